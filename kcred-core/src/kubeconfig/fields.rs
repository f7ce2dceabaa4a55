//! The line and column of each field of a kubeconfig entry (`token:`,
//! `client-certificate-data:`, `exec:`…), found in the raw YAML text after the
//! parse, so that findings point at the field rather than at the entry's
//! `- name:` line.
//!
//! No second YAML loader: the items of `users`, `clusters` and `contexts` come
//! from the one line index the inline suppressions read
//! ([`crate::policy::line_index`]); within one item (its lines only), the keys
//! of its `user:` / `cluster:` / `context:` mapping are read, block style or
//! flow style (`user: {token: x}`, `- {name: u, user: {…}}`), keys plain or
//! quoted. Only that mapping's own keys count: a key of a nested mapping
//! (`exec.env[].name`, `auth-provider.config.id-token`) is never taken for a
//! field of the entry. What is not found keeps the entry's line.

use super::model::{FieldPosition, Kubeconfig, Origin};
use crate::policy::{line_index, split_comment, IndexedItem};

/// Gives each entry of `config` whose line is known the positions of its
/// fields, read from `text` (the YAML the entries were parsed from).
pub(crate) fn add_field_positions(config: &mut Kubeconfig, text: &str) {
    let (items, _) = line_index(text);
    if items.is_empty() {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    let find = |list: &str, origin: &mut Origin, mapping: &str| {
        let Some(line) = origin.line.and_then(|l| usize::try_from(l).ok()) else {
            return;
        };
        let item = items
            .binary_search_by_key(&line, |i| i.first.saturating_add(1))
            .ok()
            .and_then(|i| items.get(i))
            .filter(|i| i.list == list);
        if let Some(item) = item {
            origin.fields = fields_of(&lines, item, mapping).into_boxed_slice();
        }
    };
    for u in &mut config.users {
        find("users", &mut u.origin, "user");
    }
    for c in &mut config.clusters {
        find("clusters", &mut c.origin, "cluster");
    }
    for c in &mut config.contexts {
        find("contexts", &mut c.origin, "context");
    }
}

/// The keys of `item`'s `mapping:` value, with their 1-based line and column.
fn fields_of(lines: &[&str], item: &IndexedItem, mapping: &str) -> Vec<FieldPosition> {
    let Some(region) = lines.get(item.first..=item.last.min(lines.len().saturating_sub(1))) else {
        return Vec::new();
    };
    let first = region.first().copied().unwrap_or_default();
    let dash = first.len() - first.trim_start().len();
    let after_dash = first[dash..].trim_start_matches(['-', ' ']);
    // `- {name: u, user: {token: x}}`: the whole item is one flow mapping.
    if after_dash.starts_with('{') {
        let start = (0, first.len() - after_dash.len());
        return flow_keys(region, start, item.first)
            .into_iter()
            .filter(|k| k.depth == 2 && k.parent.as_deref() == Some(mapping))
            .map(|k| k.position)
            .collect();
    }
    for (n, line) in region.iter().enumerate() {
        let (content, _) = split_comment(line);
        let body = content.trim_start();
        let indent = line.len() - body.len();
        let (col, body) = if n == 0 {
            (line.len() - after_dash.len(), after_dash)
        } else {
            (indent, body)
        };
        if col != item.key_col || body.is_empty() {
            continue;
        }
        let Some((key, rest)) = key_of(body) else {
            continue;
        };
        if key != mapping {
            continue;
        }
        let rest_at = line.len() - rest.trim_start().len();
        let rest = rest.trim();
        if rest.starts_with('{') {
            return flow_keys(&region[n..], (0, rest_at), item.first + n)
                .into_iter()
                .filter(|k| k.depth == 1)
                .map(|k| k.position)
                .collect();
        }
        if rest.is_empty() {
            return block_keys(&region[n + 1..], item.key_col, item.first + n + 1);
        }
        return Vec::new();
    }
    Vec::new()
}

/// The keys of the block mapping whose lines are `lines` (more indented than
/// `parent_col`): those at the mapping's own indent only.
fn block_keys(lines: &[&str], parent_col: usize, first_line: usize) -> Vec<FieldPosition> {
    let mut own: Option<usize> = None;
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        if indent <= parent_col {
            break;
        }
        if *own.get_or_insert(indent) != indent {
            continue;
        }
        if let Some((key, _)) = key_of(split_comment(body).0) {
            out.extend(position(key, first_line + n, line, indent));
        }
    }
    out
}

/// A key found in flow style: its depth (1 inside the first `{`), the key
/// that holds its mapping, and where it is.
struct FlowKey {
    depth: usize,
    parent: Option<String>,
    position: FieldPosition,
}

/// The keys of the flow mapping that starts at `start` (line index in
/// `lines`, byte column), up to its closing `}`; `first_line` is the 0-based
/// line of `lines[0]` in the file.
fn flow_keys(lines: &[&str], start: (usize, usize), first_line: usize) -> Vec<FlowKey> {
    let mut out = Vec::new();
    // Each open bracket: whether it is a mapping, and the key it is the value of.
    let mut stack: Vec<(bool, Option<String>)> = Vec::new();
    let mut last_key: Option<String> = None;
    let mut expect_key = false;
    // The last character that is not white space: a quote opens a string only
    // after one of `{[,:` (else it is inside a plain scalar, like `it's`).
    let mut prev = ',';
    for (n, line) in lines.iter().enumerate().skip(start.0) {
        let from = if n == start.0 { start.1 } else { 0 };
        let Some(text) = line.get(from..) else {
            return out;
        };
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            match c {
                '{' | '[' => {
                    let parent = if c == '{' { last_key.take() } else { None };
                    stack.push((c == '{', parent));
                    expect_key = c == '{';
                }
                '}' | ']' => {
                    stack.pop();
                    if stack.is_empty() {
                        return out;
                    }
                    expect_key = false;
                }
                ',' => expect_key = stack.last().is_some_and(|(map, _)| *map),
                '#' if i == 0 || text[..i].ends_with([' ', '\t']) => break,
                _ if expect_key => {
                    expect_key = false;
                    let rest = &text[i..];
                    let Some((key, after)) = key_of(rest) else {
                        continue;
                    };
                    let depth = stack.len();
                    let parent = stack.last().and_then(|(_, p)| p.clone());
                    out.extend(
                        position(key, first_line + n, line, from + i).map(|p| FlowKey {
                            depth,
                            parent,
                            position: p,
                        }),
                    );
                    last_key = Some(key.to_owned());
                    // Past the key and its `:`.
                    let skip = rest.len() - after.len();
                    while chars.peek().is_some_and(|(j, _)| *j < i + skip) {
                        chars.next();
                    }
                    prev = ':';
                    continue;
                }
                '"' | '\'' if "{[,:".contains(prev) => skip_quoted(&mut chars, c),
                _ => {}
            }
            prev = c;
        }
    }
    out
}

fn skip_quoted(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, quote: char) {
    while let Some((_, c)) = chars.next() {
        if c == '\\' && quote == '"' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                continue;
            }
            return;
        }
    }
}

/// `key: rest`, `"key": rest`, `'key': rest` at the start of `text`: the key
/// (unquoted when it needs no unescaping) and what follows its `:`.
fn key_of(text: &str) -> Option<(&str, &str)> {
    let (key, after) = match text.chars().next()? {
        q @ ('"' | '\'') => {
            let end = text[1..].find(q)? + 1;
            let key = &text[1..end];
            if key.contains('\\') {
                return None;
            }
            (key, text[end + 1..].trim_start_matches([' ', '\t']))
        }
        _ => {
            let end = text.find(':')?;
            let key = &text[..end];
            if key.is_empty() || key.contains(['{', '}', '[', ']', ',', '#', ' ']) {
                return None;
            }
            (key, &text[end..])
        }
    };
    let rest = after.strip_prefix(':')?;
    // A plain key needs white space (or the end) after its `:`; a quoted one
    // does not (`"token":"x"`).
    let quoted = text.starts_with(['"', '\'']);
    (quoted || rest.is_empty() || rest.starts_with([' ', '\t'])).then_some((key, rest))
}

/// A field position from a 0-based line and a byte column in `line`.
fn position(key: &str, line: usize, text: &str, byte_col: usize) -> Option<FieldPosition> {
    let column = text.get(..byte_col)?.chars().count().checked_add(1)?;
    Some(FieldPosition {
        key: key.into(),
        line: u32::try_from(line.checked_add(1)?).ok()?,
        column: u32::try_from(column).ok()?,
    })
}

#[cfg(test)]
mod tests;
