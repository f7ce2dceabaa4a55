//! Kubeconfigs embedded in other documents: Terraform state and outputs
//! (`kube_config_raw`, `kube_admin_config_raw`, `outputs.*.value`,
//! azurerm's `kube_config[0].client_certificate` / `client_key`), Helm values,
//! CI variables files, Ansible vars: any YAML or JSON string value that holds
//! a kubeconfig as text or as base64, told by content (it parses as one: it has
//! `users` with `clusters` or `contexts`, or `kind: Config`), and any mapping
//! that holds a client certificate beside its key. Each credential is reported
//! at the outer file, the line of the value, and the value's path inside the
//! document (`resources[0].instances[0].attributes.kube_config_raw`). Private
//! keys in values are indexed for pairing like those of PEM files.
//!
//! Bounded: the YAML budgets of [`Limits`] apply to the outer document and to
//! each embedded kubeconfig, values are decoded only when they start like
//! base64 of a kubeconfig or of PEM, and at most [`MAX_EMBEDDED`] kubeconfigs
//! are read per document (the rest is an [`Unreadable`] entry).

mod mapping;
mod node;

use std::borrow::Cow;
use std::path::Path;

use serde_saphyr::Spanned;

use self::node::Node;
use super::manifest::{
    documents, line_of, parse_kubeconfig_shape, starts_like_data, unreadable_doc,
};
use super::markers::credential_marker;
use super::{certificate_record, kubeconfig_inventory, pem, Pin, PrivateKey, Unreadable};
use crate::credential::{decode_base64, DataSource, Inventory};
use crate::error::Location;
use crate::kubeconfig::{yaml_options, Limits};
use crate::x509::decode_certificates;

/// Most kubeconfigs read from the values of one document.
pub(super) const MAX_EMBEDDED: usize = 64;

/// Deepest nesting of the documents walked for values (Terraform state holds
/// its kubeconfigs 6 levels down). A [`Node`] level costs more stack than the
/// typed models do, so this stays well below [`Limits::max_depth`]: a deeper
/// document is not walked (what in it looks like a credential and could not be
/// parsed is `manifest`'s [`Unreadable`] already).
pub(super) const MAX_WALK_DEPTH: usize = 24;

/// Words of which a text needs one to hold an embedded client certificate,
/// key or kubeconfig: azurerm's and kubeconfigs' fields, PEM, `kind: Config`.
const HINTS: &[&str] = &[
    "client_certificate",
    "client-certificate-data",
    "client-key-data",
    "PRIVATE KEY",
    "kind: Config",
    "\"kind\":\"Config\"",
    "\"kind\": \"Config\"",
];

/// Words a text needs all of to hold a kubeconfig as text (a kubeconfig has
/// `users`, `clusters` and `contexts`); Helm values with a `users:` list alone
/// are not parsed a second time.
const TEXT_KUBECONFIG: &[&str] = &["users", "clusters", "contexts"];

/// How base64 of a kubeconfig or of PEM starts.
const BASE64_STARTS: &[&str] = &[
    "YXBpVmVyc2lvbj",
    "Y2x1c3RlcnM6",
    "a2luZDogQ29uZmln",
    "Y3VycmVudC1jb250ZXh0",
    "eyJhcGlWZXJzaW9u",
    "eyJraW5kIjoiQ29uZmln",
    "LS0tLS1CRUdJTi",
];

/// Fields of a client certificate and of its key, as kubeconfigs and azurerm's
/// `kube_config` block name them (ExecCredentials are `loose`'s).
const CERT_FIELDS: &[&str] = &["client_certificate", "client-certificate-data"];
const KEY_FIELDS: &[&str] = &["client_key", "client-key-data"];

/// Whether `text` is worth parsing for embedded kubeconfigs: the YAML parse
/// that keeps every value's line costs about twice the typed one.
pub(super) fn worth_walking(text: &str) -> bool {
    let mapping = || {
        text.contains("users")
            && (text.contains("clusters") || text.contains("contexts"))
            && mapping::USER_FIELDS.iter().any(|f| text.contains(f))
    };
    HINTS.iter().chain(BASE64_STARTS).any(|h| text.contains(h))
        || TEXT_KUBECONFIG.iter().all(|w| text.contains(w))
        || mapping()
}

/// The credentials embedded in the values of the documents of `text`; what
/// looks like a kubeconfig and does not parse goes to `unreadable`, private
/// keys to `keys`.
pub(super) fn scan(
    text: &str,
    path: &Path,
    limits: &Limits,
    unreadable: &mut Vec<Unreadable>,
    keys: &mut Vec<PrivateKey>,
) -> Inventory {
    let mut walk = Walk {
        path,
        limits,
        inv: Inventory::default(),
        unreadable,
        keys,
        read: 0,
    };
    if !worth_walking(text) {
        return walk.inv;
    }
    for (offset, doc) in documents(text) {
        if !starts_like_data(&doc) {
            continue;
        }
        let shallow = Limits {
            max_depth: limits.max_depth.min(MAX_WALK_DEPTH),
            ..limits.clone()
        };
        let options = yaml_options(&doc, &shallow);
        // What does not parse here was judged by `manifest` already.
        let Ok(Some(root)) =
            serde_saphyr::from_str_with_options::<Option<Spanned<Node>>>(&doc, options)
        else {
            continue;
        };
        walk.read = 0;
        walk.node(&root, offset, &mut String::new());
    }
    walk.inv
}

struct Walk<'a> {
    path: &'a Path,
    limits: &'a Limits,
    inv: Inventory,
    unreadable: &'a mut Vec<Unreadable>,
    keys: &'a mut Vec<PrivateKey>,
    /// Kubeconfigs read from this document so far.
    read: usize,
}

/// `at` with `key` appended: `.key`, or `["key"]` when it is not a plain name.
fn push_key(at: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    match (plain, at.is_empty()) {
        (true, true) => at.push_str(key),
        (true, false) => {
            at.push('.');
            at.push_str(key);
        }
        (false, _) => at.push_str(&format!("[{key:?}]")),
    }
}

/// The text a value holds: itself, or what its base64 decodes to when it
/// starts like base64 of a kubeconfig or of PEM.
fn held_text(value: &str) -> Option<Cow<'_, str>> {
    let trimmed = value.trim_start();
    if !BASE64_STARTS.iter().any(|s| trimmed.starts_with(s)) {
        return Some(Cow::Borrowed(value));
    }
    let bytes = decode_base64(trimmed, &Location::default()).ok()?;
    String::from_utf8(bytes).ok().map(Cow::Owned)
}

impl Walk<'_> {
    fn node(&mut self, node: &Spanned<Node>, offset: u32, at: &mut String) {
        match &node.value {
            Node::Str(value) => {
                let line = line_of(node).map(|n| n.saturating_add(offset));
                self.string(value, line, at);
            }
            // A kubeconfig written as a mapping (not the document itself:
            // `manifest` reads that): read whole, not walked into.
            Node::Map(entries) if !at.is_empty() && mapping::is_kubeconfig(entries) => {
                let line = line_of(node).map(|n| n.saturating_add(offset));
                if self.count(at, line) {
                    let (text, lines) = mapping::yaml_lines(node, offset);
                    let pin = Pin {
                        entry: at,
                        line: line.unwrap_or(1),
                        lines: &lines,
                    };
                    let found = kubeconfig_inventory(&text, self.path, self.limits, 0, Some(pin));
                    self.inv.extend(found);
                }
            }
            Node::Map(entries) => {
                self.client_certificate(entries, offset, at);
                for (key, value) in entries {
                    let len = at.len();
                    push_key(at, key);
                    self.node(value, offset, at);
                    at.truncate(len);
                }
            }
            Node::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("[{i}]"));
                    self.node(item, offset, at);
                    at.truncate(len);
                }
            }
            Node::Other(_) => {}
        }
    }

    /// Counts one more kubeconfig read from this document: whether it may be
    /// read (at most [`MAX_EMBEDDED`]; the first one over is an [`Unreadable`]).
    fn count(&mut self, at: &str, line: Option<u32>) -> bool {
        self.read += 1;
        if self.read == MAX_EMBEDDED + 1 {
            self.unreadable.push(Unreadable {
                location: self.here(at, line),
                looks_like: "a kubeconfig in a document value".to_owned(),
                reason: format!(
                    "more than {MAX_EMBEDDED} kubeconfigs in one document: the rest were not read"
                ),
            });
        }
        self.read <= MAX_EMBEDDED
    }

    fn here(&self, at: &str, line: Option<u32>) -> Location {
        let entry = if at.is_empty() { "(document)" } else { at };
        Location::file(self.path).with_entry(entry).with_line(line)
    }

    /// A string value: a kubeconfig (text or base64), or private keys.
    fn string(&mut self, value: &str, line: Option<u32>, at: &str) {
        let Some(text) = held_text(value) else {
            return;
        };
        match parse_kubeconfig_shape(&text, self.limits) {
            Some(Ok(true)) => {
                if self.count(at, line) {
                    let entry = if at.is_empty() { "(document)" } else { at };
                    let pin = Some(Pin::at(entry, line.unwrap_or(1)));
                    self.inv
                        .extend(kubeconfig_inventory(&text, self.path, self.limits, 0, pin));
                }
                return;
            }
            Some(Err(reason)) => {
                let marker = credential_marker(text.as_bytes(), false);
                if let Some(u) = unreadable_doc(&text, self.path, line, reason, marker) {
                    self.unreadable.push(Unreadable {
                        location: self.here(at, line),
                        ..u
                    });
                }
                return;
            }
            _ => {}
        }
        let here = self.here(at, line);
        self.keys
            .extend(pem::private_keys(&text, self.path, Some(&here)));
    }

    /// A mapping with a client certificate (azurerm's `kube_config[0]`, a
    /// kubeconfig's user written as data rather than text): a certificate
    /// record, with its key when the mapping holds one.
    fn client_certificate(&mut self, entries: &[(String, Spanned<Node>)], offset: u32, at: &str) {
        let find = |names: &[&str]| {
            entries.iter().find_map(|(k, v)| match &v.value {
                Node::Str(s) if names.contains(&k.as_str()) => Some((k.as_str(), s.as_str(), v)),
                _ => None,
            })
        };
        let Some((field, cert, node)) = find(CERT_FIELDS) else {
            return;
        };
        let Some(pem) = pem_bytes(cert) else {
            return;
        };
        let line = line_of(node).map(|n| n.saturating_add(offset));
        let here = self.here(at, line).with_field(field);
        let mut certs = match decode_certificates(&pem, &here) {
            Ok(certs) => certs,
            Err(e) => {
                self.inv.problems.push(e);
                return;
            }
        };
        let leaf = certs.remove(0);
        let key = find(KEY_FIELDS).and_then(|(_, key, _)| pem_bytes(key));
        let key_matches = key
            .as_ref()
            .and_then(|k| leaf.matches_private_key(k, &here).ok().flatten());
        let mut record = certificate_record(here, leaf, certs);
        if let crate::Credential::ClientCertificate(c) = &mut record.credential {
            c.key_source = key.map(|_| DataSource::Inline);
            c.key_matches = key_matches;
        }
        self.inv.credentials.push(record);
    }
}

/// PEM bytes of a value that is PEM text or base64 of PEM.
fn pem_bytes(value: &str) -> Option<Vec<u8>> {
    if value.contains("-----BEGIN ") {
        return Some(value.as_bytes().to_vec());
    }
    let bytes = decode_base64(value.trim(), &Location::default()).ok()?;
    bytes
        .windows(11)
        .any(|w| w == b"-----BEGIN ")
        .then_some(bytes)
}

#[cfg(test)]
mod tests;
