//! A kubeconfig written as a mapping inside another document (Helm values
//! `kubeconfig: {apiVersion: v1, clusters: [...], users: [...]}`, Ansible vars,
//! a JSON file's `kubeconfig` object): told by its shape, re-written as block
//! YAML one value a line, and read by the kubeconfig loader, each line of that
//! text mapped back to the line of its value in the outer file.

use serde_saphyr::Spanned;

use super::node::Node;
use crate::scan::manifest::line_of;

/// Fields a kubeconfig user can authenticate with: a mapping shaped like a
/// kubeconfig is read only when one of its users has one.
pub(super) const USER_FIELDS: &[&str] = &[
    "token",
    "tokenFile",
    "client-certificate-data",
    "client-certificate",
    "client-key-data",
    "password",
    "exec",
    "auth-provider",
];

/// The value of `key` in a mapping's entries.
fn get<'a>(entries: &'a [(String, Spanned<Node>)], key: &str) -> Option<&'a Node> {
    entries
        .iter()
        .find_map(|(k, v)| (k == key).then_some(&v.value))
}

/// Whether a mapping is a kubeconfig: `users` a list of `{name, user: {...}}`
/// with a user that carries a credential field, beside a `clusters` or
/// `contexts` list or `kind: Config`. Helm values with `users: [alice]` and a
/// `clusters` count are not.
pub(super) fn is_kubeconfig(entries: &[(String, Spanned<Node>)]) -> bool {
    let Some(Node::Seq(users)) = get(entries, "users") else {
        return false;
    };
    let list = |key| matches!(get(entries, key), Some(Node::Seq(_)));
    let config = matches!(get(entries, "kind"), Some(Node::Str(k)) if k == "Config");
    if !(config || list("clusters") || list("contexts")) {
        return false;
    }
    users.iter().any(|u| match &u.value {
        Node::Map(user) => match get(user, "user") {
            Some(Node::Map(fields)) => fields
                .iter()
                .any(|(k, _)| USER_FIELDS.contains(&k.as_str())),
            _ => false,
        },
        _ => false,
    })
}

/// `node` as block YAML text, a line per scalar and per key of a mapping or
/// list (strings and keys that are not plain names double-quoted, so no value
/// changes meaning), with
/// the outer line of each line of the text (`offset` added to the document's
/// lines). Block style: the kubeconfig loader reads its fields' lines.
pub(super) fn yaml_lines(node: &Spanned<Node>, offset: u32) -> (String, Vec<Option<u32>>) {
    let mut text = String::new();
    let mut lines = Vec::new();
    for (line, outer) in block(node, offset) {
        text.push_str(&line);
        text.push('\n');
        lines.push(outer);
    }
    (text, lines)
}

/// The lines of `node` at indentation 0, each with its outer line.
fn block(node: &Spanned<Node>, offset: u32) -> Vec<(String, Option<u32>)> {
    let here = line_of(node).map(|n| n.saturating_add(offset));
    let mut out = Vec::new();
    match &node.value {
        Node::Map(entries) if !entries.is_empty() => {
            for (key, value) in entries {
                let key = key_text(key);
                match inline(&value.value) {
                    Some(text) => {
                        let at = line_of(value).map(|n| n.saturating_add(offset));
                        out.push((format!("{key}: {text}"), at));
                    }
                    None => {
                        out.push((format!("{key}:"), here));
                        let nested = block(value, offset);
                        out.extend(nested.into_iter().map(|(l, n)| (format!("  {l}"), n)));
                    }
                }
            }
        }
        Node::Seq(items) if !items.is_empty() => {
            for item in items {
                for (i, (l, n)) in block(item, offset).into_iter().enumerate() {
                    let lead = if i == 0 { "- " } else { "  " };
                    out.push((format!("{lead}{l}"), n));
                }
            }
        }
        value => out.push((inline(value).unwrap_or_default(), here)),
    }
    out
}

/// A value written on its key's line: a scalar, `{}` or `[]`.
fn inline(node: &Node) -> Option<String> {
    match node {
        Node::Str(s) => Some(quoted(s)),
        Node::Other(json) => Some(json.clone()),
        Node::Map(entries) if entries.is_empty() => Some("{}".to_owned()),
        Node::Seq(items) if items.is_empty() => Some("[]".to_owned()),
        Node::Map(_) | Node::Seq(_) => None,
    }
}

/// A key as written: plain when it is a plain name (the line index of the
/// kubeconfig loader reads `users:` and `token:` plain), else double-quoted.
fn key_text(key: &str) -> String {
    let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if plain {
        key.to_owned()
    } else {
        quoted(key)
    }
}

fn quoted(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}
