//! Inline suppressions: a comment in a kubeconfig's YAML,
//!
//! ```yaml
//! users:
//! # kcred: ignore[KC101] reason: break-glass account, until 2027-03-31
//! - name: break-glass
//!   user:
//!     client-certificate-data: ...   # kcred: ignore[KC004] reason: kept on paper
//! ```
//!
//! on the line of, or the line above, a user, cluster or context entry (its
//! `- ` line) or one of its fields, suppresses the rules it names for that
//! entry, with the rules of policy suppressions: a reason is required, `until`
//! is a date (through that day) or an RFC 3339 instant, and an expired one is
//! KC910. Comments are only in the text, so the text's lines are scanned here
//! (never the YAML parser's tree); a comment that names an unknown rule, gives
//! no reason or is on no entry is a problem (KC902), never silence.

use std::path::Path;

use time::OffsetDateTime;

use super::code::Code;
use super::model::{parse_expiry, Scope, Suppression};
use crate::error::{Error, Location};

/// Most `kcred:` comments read from one file.
const MAX_COMMENTS: usize = 1_000;
/// Longest reason kept, in characters.
const MAX_REASON_CHARS: usize = 200;

/// A list item of `users`, `clusters` or `contexts`: its lines and name. The
/// one line index of a kubeconfig's YAML text: suppressions and field lines
/// (`kubeconfig/fields.rs`) both read it.
pub(crate) struct Item {
    /// `users`, `clusters` or `contexts`.
    pub(crate) list: &'static str,
    /// 0-based line of its `- ` line.
    pub(crate) first: usize,
    /// 0-based line of its last line.
    pub(crate) last: usize,
    /// The byte column of its keys (`name:` among them).
    pub(crate) key_col: usize,
    name: Option<String>,
}

/// A `kcred:` comment: its line, its text after `kcred:`, and whether it has
/// the line to itself (then it is about the next line).
pub(crate) struct Marker<'t> {
    line: usize,
    text: &'t str,
    alone: bool,
}

/// The suppressions written as `# kcred: ignore[...]` comments in a kubeconfig
/// `text` (YAML; JSON has no comments) read from `file`, and the problems of
/// the comments that do not say one.
///
/// ```
/// use kcred_core::{inline_suppressions, Code};
/// let text = "users:\n# kcred: ignore[KC101] reason: break-glass, until 2027-03-31\n- name: bg\n  user: {}\n";
/// let (found, problems) = inline_suppressions(text, "config".as_ref());
/// assert!(problems.is_empty());
/// assert_eq!(found[0].rule, Some(Code::IrrevocableAdmin));
/// assert_eq!(found[0].entry.as_deref(), Some("users[bg]"));
/// assert_eq!(found[0].reason, "break-glass");
/// ```
pub fn inline_suppressions(text: &str, file: &Path) -> (Vec<Suppression>, Vec<Error>) {
    each_comment(text, file, |items, lines, m, at| {
        let item =
            target(lines, m).and_then(|t| items.iter().find(|i| i.first <= t && t <= i.last));
        let Some(item) = item else {
            return Err(bad(at, "a kcred comment must be on or above a user, cluster or context entry or one of its fields".to_owned()));
        };
        let Some(name) = &item.name else {
            return Err(bad(
                at,
                format!(
                    "the {} entry this kcred comment is about has no name",
                    item.list
                ),
            ));
        };
        let entry = format!("{}[{name}]", item.list);
        let at = at.with_entry(entry.clone());
        let (codes, reason, expires) = parse_marker(m.text).map_err(|r| bad(at.clone(), r))?;
        Ok(codes
            .into_iter()
            .map(|code| suppression(code, &reason, expires, item.list, name, &entry, file, &at))
            .collect())
    })
}

/// Reads every `kcred:` comment of `text` (at most [`MAX_COMMENTS`]) with
/// `about`, which gives the suppressions a comment says or its problem.
fn each_comment(
    text: &str,
    file: &Path,
    mut about: impl FnMut(&[Item], &[&str], &Marker<'_>, Location) -> Result<Vec<Suppression>, Error>,
) -> (Vec<Suppression>, Vec<Error>) {
    // Every comment this reads holds `kcred:`: a file without it (nearly all)
    // costs one substring search, not a pass that indexes every entry.
    if !text.contains("kcred:") {
        return (Vec::new(), Vec::new());
    }
    let (items, markers) = scan(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (n, m) in markers.iter().enumerate() {
        let at = Location::file(file).with_line(u32::try_from(m.line + 1).ok());
        if n == MAX_COMMENTS {
            problems.push(bad(
                at,
                format!("more than {MAX_COMMENTS} kcred comments: the rest are not read"),
            ));
            break;
        }
        match about(&items, &lines, m, at) {
            Ok(said) => found.extend(said),
            Err(problem) => problems.push(problem),
        }
    }
    (found, problems)
}

fn bad(at: Location, reason: String) -> Error {
    Error::BadPolicy {
        at,
        reason: format!("kcred comment: {reason}"),
    }
}

#[allow(clippy::too_many_arguments)]
fn suppression(
    code: Code,
    reason: &str,
    expires: Option<OffsetDateTime>,
    list: &str,
    name: &str,
    entry: &str,
    file: &Path,
    at: &Location,
) -> Suppression {
    // A context is matched by name (the credentials it uses may be in another
    // file); a user or cluster entry by its file and entry.
    let (scope, entry) = match list {
        "contexts" => (
            Scope {
                contexts: vec![glob::Pattern::escape(name)],
                ..Scope::default()
            },
            None,
        ),
        _ => (
            Scope {
                files: vec![glob::Pattern::escape(&file.to_string_lossy())],
                ..Scope::default()
            },
            Some(entry.to_owned()),
        ),
    };
    Suppression {
        rule: Some(code),
        reason: reason.to_owned(),
        expires,
        scope,
        entry,
        line: None,
        at: at.clone(),
    }
}

/// The suppressions written as `# kcred: ignore[...]` comments in any text
/// that allows `#` comments (a shell script, an `.env`, CI YAML, a manifest)
/// read by `scan` from `file`: each is about the line it is on, or (alone on
/// its line) the next line, and covers the findings of its rules at that
/// line; with the rules of [`inline_suppressions`] (a reason required, an
/// unknown rule or a bad date a problem, an expired one KC910).
///
/// ```
/// use kcred_core::{line_suppressions, Code};
/// let text = "# kcred: ignore[KC501] reason: revoked on 2026-01-02\nTOKEN=eyJ...\n";
/// let (found, problems) = line_suppressions(text, "deploy.sh".as_ref());
/// assert!(problems.is_empty());
/// assert_eq!((found[0].rule, found[0].line), (Some(Code::CredentialInRepository), Some(2)));
/// ```
pub fn line_suppressions(text: &str, file: &Path) -> (Vec<Suppression>, Vec<Error>) {
    each_comment(text, file, |_, lines, m, at| {
        let Some(line) = target(lines, m).and_then(|t| u32::try_from(t + 1).ok()) else {
            return Err(bad(
                at,
                "a kcred comment must be on or above the line it is about".to_owned(),
            ));
        };
        let (codes, reason, expires) = parse_marker(m.text).map_err(|r| bad(at.clone(), r))?;
        // The file's, at this line (no entry: a script has none).
        Ok(codes
            .into_iter()
            .map(|code| Suppression {
                line: Some(line),
                entry: None,
                ..suppression(code, &reason, expires, "files", "", "", file, &at)
            })
            .collect())
    })
}

/// The line a marker is about: its own, or (alone on its line) the next line
/// that is not a comment, when no blank line comes first.
fn target(lines: &[&str], m: &Marker<'_>) -> Option<usize> {
    if !m.alone {
        return Some(m.line);
    }
    lines
        .iter()
        .enumerate()
        .skip(m.line + 1)
        .find(|(_, l)| !l.trim_start().starts_with('#'))
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, _)| i)
}

/// Adds to `inventory` (what `scan` found in `text`, read from `file`) the
/// [`line_suppressions`] of the `kcred:` comments that no kubeconfig entry
/// already read (a kubeconfig's comments are about its entries: they are in
/// `inventory.suppressions`, or its problems, at the comment's line).
pub(crate) fn add_line_suppressions(
    inventory: &mut crate::credential::Inventory,
    text: &str,
    file: &Path,
) {
    let (found, problems) = line_suppressions(text, file);
    let read: std::collections::HashSet<Option<u32>> = inventory
        .suppressions
        .iter()
        .map(|s| s.at.line)
        .chain(inventory.problems.iter().filter_map(|p| match p {
            Error::BadPolicy { at, reason } if reason.starts_with("kcred comment:") => {
                Some(at.line)
            }
            _ => None,
        }))
        .collect();
    let unread = |at: &Location| !read.contains(&at.line);
    inventory
        .suppressions
        .extend(found.into_iter().filter(|s| unread(&s.at)));
    inventory.problems.extend(
        problems
            .into_iter()
            .filter(|p| p.location().is_some_and(unread)),
    );
}

/// `ignore[KC101, KC004] reason: why, until 2027-03-31`.
fn parse_marker(text: &str) -> Result<(Vec<Code>, String, Option<OffsetDateTime>), String> {
    let usage = "write it like `# kcred: ignore[KC101] reason: why, until 2027-03-31`";
    let rest = text
        .trim_start()
        .strip_prefix("ignore[")
        .ok_or_else(|| format!("not a suppression ({usage})"))?;
    let (codes, rest) = rest
        .split_once(']')
        .ok_or_else(|| format!("ignore[ without its `]` ({usage})"))?;
    let mut out = Vec::new();
    for code in codes.split(',').map(str::trim) {
        let known = Code::from_code_or_name(code).ok_or_else(|| {
            let plain = !code.is_empty()
                && code.len() <= 40
                && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            match plain {
                true => format!("unknown rule {code:?} (see `kcred rules`)"),
                false => "unknown rule (see `kcred rules`)".to_owned(),
            }
        })?;
        out.push(known);
    }
    let reason = rest
        .trim_start()
        .strip_prefix("reason:")
        .ok_or_else(|| format!("a suppression needs a reason ({usage})"))?;
    let (reason, expires) = match reason.rsplit_once(", until ") {
        Some((reason, until)) => {
            let at = parse_expiry(until)
                .ok_or_else(|| "until is neither a date (2027-03-31) nor RFC 3339".to_owned())?;
            (reason, Some(at))
        }
        None => (reason, None),
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(format!("a suppression needs a reason ({usage})"));
    }
    let mut kept: String = reason.chars().take(MAX_REASON_CHARS).collect();
    if kept.len() < reason.len() {
        kept.push('…');
    }
    Ok((out, kept, expires))
}

/// The items of `users`, `clusters` and `contexts` (block style) and the
/// `kcred:` comments, in one pass over the lines. Block scalars (`|`, `>`)
/// are content, never comments.
pub(crate) fn scan(text: &str) -> (Vec<Item>, Vec<Marker<'_>>) {
    let mut items: Vec<Item> = Vec::new();
    let mut markers = Vec::new();
    let mut section: Option<&'static str> = None;
    let mut item_indent: Option<usize> = None;
    let mut open: Option<usize> = None;
    let mut current: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if let Some(col) = open {
            if body.is_empty() || indent > col {
                continue;
            }
            open = None;
        }
        if body.is_empty() {
            continue;
        }
        if let Some(comment) = body.strip_prefix('#') {
            if let Some(text) = comment.trim_start().strip_prefix("kcred:") {
                markers.push(Marker {
                    line: i,
                    text,
                    alone: true,
                });
            }
            continue;
        }
        let (content, comment) = split_comment(body);
        if let Some(text) = comment.and_then(|c| c.trim_start().strip_prefix("kcred:")) {
            markers.push(Marker {
                line: i,
                text,
                alone: false,
            });
        }
        let content = content.trim_end();
        let key = content.trim_start_matches(['-', ' ']);
        let col = indent + (content.len() - key.len());
        if opens_block(content) {
            open = Some(col);
        }
        if indent == 0 && (content.starts_with("---") || !content.starts_with('-')) {
            section = ["users", "clusters", "contexts"]
                .into_iter()
                .find(|s| content.strip_prefix(s).is_some_and(|r| r.trim() == ":"));
            item_indent = None;
            current = None;
            continue;
        }
        let Some(list) = section else {
            continue;
        };
        let is_item = content == "-" || content.starts_with("- ");
        if is_item && *item_indent.get_or_insert(indent) == indent {
            items.push(Item {
                list,
                first: i,
                last: i,
                key_col: col,
                name: name_of(key),
            });
            current = Some(items.len() - 1);
            continue;
        }
        match (current.and_then(|c| items.get_mut(c)), item_indent) {
            (Some(item), Some(ii)) if indent > ii => {
                item.last = i;
                if item.name.is_none() && col == item.key_col && !content.starts_with('-') {
                    item.name = name_of(key);
                }
            }
            _ => current = None,
        }
    }
    (items, markers)
}

/// The value of `name:` when `content` is that key (or a flow mapping that
/// holds it), unquoted.
fn name_of(content: &str) -> Option<String> {
    let value = match content.strip_prefix('{') {
        Some(flow) => flow
            .split(',')
            .find_map(|kv| kv.trim_start().strip_prefix("name:"))?
            .split('}')
            .next()?,
        None => content.strip_prefix("name:")?,
    };
    if !(value.is_empty() || value.starts_with([' ', '\t'])) && content.starts_with("name:") {
        return None;
    }
    let value = value.trim();
    let unquoted = if let Some(v) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        v.replace("\\\"", "\"").replace("\\\\", "\\")
    } else if let Some(v) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        v.replace("''", "'")
    } else {
        value.to_owned()
    };
    (!unquoted.is_empty()).then_some(unquoted)
}

/// Whether the line's value opens a block scalar (`key: |`, `- >-`).
fn opens_block(content: &str) -> bool {
    let last = content.rsplit([' ', '\t']).next().unwrap_or("");
    let indicator = last.strip_prefix(['|', '>']);
    let head = content.len() - last.len();
    indicator
        .is_some_and(|rest| rest.len() <= 2 && rest.bytes().all(|b| b"+-123456789".contains(&b)))
        && (head == 0 || content[..head].trim_end().ends_with([':', '-']))
}

/// The line's content and its comment (the text after a `#` that follows a
/// space, outside quotes).
pub(crate) fn split_comment(body: &str) -> (&str, Option<&str>) {
    let bytes = body.as_bytes();
    let mut quote: Option<u8> = None;
    let (mut prev, mut last) = (b' ', b',');
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(b'"') if b == b'\\' => {
                i += 2;
                continue;
            }
            Some(b'\'') if b == b'\'' && bytes.get(i + 1) == Some(&b'\'') => {
                i += 2;
                continue;
            }
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'#' && (prev == b' ' || prev == b'\t') => {
                return (&body[..i], Some(&body[i + 1..]));
            }
            None if (b == b'"' || b == b'\'') && b":-[{,?".contains(&last) => quote = Some(b),
            None => {}
        }
        prev = b;
        if !b.is_ascii_whitespace() {
            last = b;
        }
        i += 1;
    }
    (body, None)
}

#[cfg(test)]
mod tests;
