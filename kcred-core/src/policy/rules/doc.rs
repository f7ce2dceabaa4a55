//! Each rule's documentation, cut at compile time from its family's Markdown
//! file (`lifetime.md` beside `lifetime.rs`): a heading `## KC001 expired`,
//! the one-line summary, then the sections *What it checks*, *Why it
//! matters*, *Example* (a fenced block) and *How to fix*. A rule whose
//! section is missing or out of shape does not compile.

use crate::policy::code::Code;

/// The documentation of one rule, as [`super::Rule`] carries it.
pub(crate) struct Doc {
    pub(crate) summary: &'static str,
    pub(crate) what: &'static str,
    pub(crate) why: &'static str,
    pub(crate) example: &'static str,
    pub(crate) fix: &'static str,
}

const WHAT: &[u8] = b"\n\n### What it checks\n\n";
const WHY: &[u8] = b"\n\n### Why it matters\n\n";
const EXAMPLE: &[u8] = b"\n\n### Example\n\n```yaml\n";
const FIX: &[u8] = b"\n```\n\n### How to fix\n\n";
const NEXT: &[u8] = b"\n\n## ";

impl Doc {
    /// The section of `code` in the family file `md`.
    pub(crate) const fn of(md: &'static str, code: Code) -> Doc {
        let b = md.as_bytes();
        let start = heading(b, code);
        let what = find(b, start, WHAT);
        let why = find(b, what, WHY);
        let example = find(b, why, EXAMPLE);
        let fix = find(b, example, FIX);
        let end = match search(b, fix, NEXT) {
            Some(end) => end,
            None => trim_end(b),
        };
        Doc {
            summary: cut(md, start, what),
            what: cut(md, what + WHAT.len(), why),
            why: cut(md, why + WHY.len(), example),
            example: cut(md, example + EXAMPLE.len(), fix),
            fix: cut(md, fix + FIX.len(), end),
        }
    }
}

/// Where the text after the heading `## {code} {name}` and its blank line starts.
const fn heading(b: &[u8], code: Code) -> usize {
    let (text, name) = (code.as_str().as_bytes(), code.name().as_bytes());
    let mut i = 0;
    while i < b.len() {
        let at_line = i == 0 || b[i - 1] == b'\n';
        let mut j = i;
        if at_line && starts(b, j, b"## ") {
            j += 3;
            if starts(b, j, text) && starts(b, j + text.len(), b" ") {
                j += text.len() + 1;
                if starts(b, j, name) && starts(b, j + name.len(), b"\n\n") {
                    return j + name.len() + 2;
                }
            }
        }
        i += 1;
    }
    panic!("a rule has no section in its family's Markdown file")
}

/// Whether `b[at..]` starts with `pat`.
const fn starts(b: &[u8], at: usize, pat: &[u8]) -> bool {
    if at + pat.len() > b.len() {
        return false;
    }
    let mut k = 0;
    while k < pat.len() {
        if b[at + k] != pat[k] {
            return false;
        }
        k += 1;
    }
    true
}

/// The first place at or after `from` where `pat` starts.
const fn search(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    let mut i = from;
    while i + pat.len() <= b.len() {
        if starts(b, i, pat) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// [`search`] for a section that must be there.
const fn find(b: &[u8], from: usize, pat: &[u8]) -> usize {
    match search(b, from, pat) {
        Some(i) => i,
        None => panic!(
            "a rule's section lacks a part (What it checks, Why it matters, Example, How to fix)"
        ),
    }
}

/// The length of `b` without its trailing newlines.
const fn trim_end(b: &[u8]) -> usize {
    let mut end = b.len();
    while end > 0 && b[end - 1] == b'\n' {
        end -= 1;
    }
    end
}

/// `md[from..to]`.
const fn cut(md: &'static str, from: usize, to: usize) -> &'static str {
    let (_, rest) = md.as_bytes().split_at(from);
    let (part, _) = rest.split_at(to - from);
    match core::str::from_utf8(part) {
        Ok(text) => text,
        Err(_) => panic!("a rule's section is cut inside a character"),
    }
}
