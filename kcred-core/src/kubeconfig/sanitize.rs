//! Parser messages without the input: a parser quotes what it could not read,
//! and in a kubeconfig that may be a token.

/// Keeps a parser message only as far as it cannot carry input: quoted parts
/// are cut, position suffixes dropped, and if any longer word of what remains
/// also occurs in the input, only the generic `kind` is returned.
pub(crate) fn sanitize(message: &str, input: &str, kind: &str) -> String {
    let first_line = message.lines().next().unwrap_or_default();
    let mut out = String::new();
    let mut open: Option<char> = None;
    for ch in first_line.chars() {
        match open {
            Some(q) if ch == q => {
                open = None;
                out.push('…');
                out.push(q);
            }
            Some(_) => {}
            None if matches!(ch, '"' | '`' | '\'') => {
                open = Some(ch);
                out.push(ch);
            }
            None => out.push(ch),
        }
    }
    if open.is_some() {
        return kind.to_string();
    }
    for marker in [" at line ", " at position "] {
        if let Some(pos) = out.find(marker) {
            out.truncate(pos);
        }
    }
    let leaks = out
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_')
        .any(|word| word.len() >= 6 && input.contains(word) && !PARSER_WORDS.contains(&word));
    let out = out.trim();
    if leaks || out.is_empty() || out.len() > 200 {
        kind.to_string()
    } else {
        out.to_string()
    }
}

/// Words of parser messages that may also occur in a kubeconfig.
const PARSER_WORDS: &[&str] = &[
    "expected",
    "mapping",
    "sequence",
    "string",
    "scalar",
    "invalid",
    "unexpected",
    "document",
    "struct",
    "missing",
    "unknown",
    "duplicate",
    "integer",
    "boolean",
    "while",
    "parsing",
    "found",
    "character",
    "indentation",
    "column",
];
