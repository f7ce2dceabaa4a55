//! YAML and JSON documents: kubeconfigs, Secrets, CertificateSigningRequests,
//! and `List`s of them. A document that does not parse, or parses into
//! something else, is not a problem: most YAML in a repository is neither;
//! unless it looks like a credential (see [`super::markers`]): then it is an
//! [`Unreadable`] entry, reported as KC905.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::markers::{content_marker, credential_marker, kubeconfig_text_marker};
use super::{certificate_record, kubeconfig_inventory, pem, Pin, PrivateKey, Unreadable};
use crate::credential::{decode_base64, Inventory};
use crate::error::{Error, Location};
use crate::kubeconfig::{yaml_limit_reason, yaml_options, Limits};
use crate::secret::Secret;
use crate::token::decode_token;
use crate::x509::decode_certificates;

/// The fields kcred reads from any Kubernetes object or kubeconfig; everything
/// else is ignored. Secret values stay in [`Secret`].
#[derive(Deserialize, Default)]
struct Object {
    kind: Option<Spanned<String>>,
    metadata: Option<Metadata>,
    #[serde(rename = "type")]
    secret_type: Option<String>,
    data: Option<BTreeMap<String, Spanned<Option<Secret>>>>,
    #[serde(rename = "stringData")]
    string_data: Option<BTreeMap<String, Spanned<Option<Secret>>>>,
    spec: Option<CsrSpec>,
    status: Option<CsrStatus>,
    items: Option<Vec<Object>>,
    users: Option<IgnoredAny>,
    clusters: Option<IgnoredAny>,
    contexts: Option<IgnoredAny>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    name: Option<String>,
    namespace: Option<String>,
}

#[derive(Deserialize, Default)]
struct CsrSpec {
    #[serde(rename = "expirationSeconds")]
    expiration_seconds: Option<i64>,
}

#[derive(Deserialize, Default)]
struct CsrStatus {
    certificate: Option<Spanned<Option<String>>>,
}

pub(super) fn line_of<T>(s: &Spanned<T>) -> Option<u32> {
    u32::try_from(s.referenced.line()).ok().filter(|n| *n > 0)
}

/// Quick test before parsing: a document without any of these words cannot be
/// a kubeconfig or an object kcred reads.
fn worth_parsing(text: &str) -> bool {
    ["kind", "users", "clusters"]
        .iter()
        .any(|w| text.contains(w))
}

/// Splits YAML text into documents at `---` and `...` lines; each with the
/// number of lines before it.
pub(super) fn documents(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0u32;
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i).unwrap_or(u32::MAX);
        let marker =
            line == "---" || line.starts_with("--- ") || line.starts_with("---\t") || line == "...";
        if marker {
            if !current.trim().is_empty() {
                out.push((start, std::mem::take(&mut current)));
            }
            current.clear();
            // `--- kind: x` keeps content on the marker line; rare, and dropped.
            start = n + 1;
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    if !current.trim().is_empty() {
        out.push((start, current));
    }
    out
}

/// The parser's complaint in words that carry nothing from the input (the
/// same classes as the kubeconfig loader's).
fn parse_reason(err: &serde_saphyr::Error) -> String {
    use serde_saphyr::Error as E;
    if let Some(reason) = yaml_limit_reason(err) {
        return reason;
    }
    match err.without_snippet() {
        E::SerdeInvalidType { .. } | E::SerdeInvalidValue { .. } | E::SerdeInvalidLength { .. } => {
            "a value of the wrong type".to_owned()
        }
        _ => "YAML syntax error".to_owned(),
    }
}

/// Whether the document starts like YAML or JSON data (its first line that is
/// not blank or a comment is `key:`, `- item`, `{`, `[` or a quoted key), so a
/// README that merely mentions `kind: Config` is not taken for a broken one.
pub(super) fn starts_like_data(doc: &str) -> bool {
    let Some(first) = doc
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('%'))
    else {
        return false;
    };
    if first.starts_with(['{', '[', '"', '\'']) || first.starts_with("- ") || first == "-" {
        return true;
    }
    first.split_once(':').is_some_and(|(key, rest)| {
        !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
            && (rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

/// A document that looks like a credential and did not parse, or `None`.
pub(super) fn unreadable_doc(
    doc: &str,
    path: &Path,
    line: Option<u32>,
    reason: String,
    marker: Option<&'static str>,
) -> Option<Unreadable> {
    let looks_like = marker.filter(|_| starts_like_data(doc))?;
    Some(Unreadable {
        location: Location::file(path).with_line(line),
        looks_like: looks_like.to_owned(),
        reason,
    })
}

/// Where the objects of one file put what they hold: credentials and
/// problems, what could not be parsed, and private keys (for pairing).
struct Out<'a> {
    inv: &'a mut Inventory,
    unreadable: &'a mut Vec<Unreadable>,
    keys: &'a mut Vec<PrivateKey>,
}

/// Every credential in the documents of `text`; what looks like a credential
/// but does not parse goes to `unreadable`, the private keys Secrets hold (any
/// `data` or `stringData` value with a PEM private key, `tls.key` of a
/// `kubernetes.io/tls` Secret) to `keys`, each at its value's line.
pub(super) fn scan_documents(
    text: &str,
    path: &Path,
    limits: &Limits,
    unreadable: &mut Vec<Unreadable>,
    keys: &mut Vec<PrivateKey>,
) -> Inventory {
    let mut inv = Inventory::default();
    if !worth_parsing(text) {
        return inv;
    }
    for (offset, doc) in documents(text) {
        if !worth_parsing(&doc) {
            continue;
        }
        let object = match serde_saphyr::from_str_with_options::<Option<Object>>(
            &doc,
            yaml_options(&doc, limits),
        ) {
            Ok(Some(object)) => object,
            Ok(None) => continue,
            Err(err) => {
                let line = err
                    .location()
                    .and_then(|l| u32::try_from(l.line()).ok())
                    .filter(|l| *l > 0)
                    .unwrap_or(1);
                let marker = credential_marker(doc.as_bytes(), false);
                // Valid YAML of another shape (a top-level sequence, a CI
                // variables export) is no broken object: `embedded` reads its values.
                let valid = || {
                    serde_saphyr::from_str_with_options::<IgnoredAny>(
                        &doc,
                        yaml_options(&doc, limits),
                    )
                    .is_ok()
                };
                if marker.is_some() && valid() {
                    continue;
                }
                let line = Some(line.saturating_add(offset));
                unreadable.extend(unreadable_doc(&doc, path, line, parse_reason(&err), marker));
                continue;
            }
        };
        let mut out = Out {
            inv: &mut inv,
            unreadable: &mut *unreadable,
            keys: &mut *keys,
        };
        object_credentials(&object, &doc, offset, path, limits, &mut out);
    }
    inv
}

fn is_kubeconfig(o: &Object) -> bool {
    match o.kind.as_ref().map(|k| k.value.as_str()) {
        Some("Config") => true,
        None => o.users.is_some() && (o.clusters.is_some() || o.contexts.is_some()),
        Some(_) => false,
    }
}

fn object_credentials(
    o: &Object,
    doc: &str,
    offset: u32,
    path: &Path,
    limits: &Limits,
    out: &mut Out<'_>,
) {
    let kind = o.kind.as_ref().map(|k| k.value.as_str());
    let kind_line = o.kind.as_ref().and_then(line_of).map(|n| n + offset);
    if is_kubeconfig(o) {
        let found = kubeconfig_inventory(doc, path, limits, offset, None);
        // Without `kind: Config`, a document that does not parse as a kubeconfig
        // is something else that happens to have `users` (Helm values, say).
        let syntax = found.problems.iter().find(|p| p.kind() == "syntax");
        match syntax {
            Some(Error::Syntax { at, reason }) if kind.is_none() => {
                // Unless it holds credential content, or what failed is the
                // YAML itself (a limit, a duplicate key) and not its shape.
                let yaml_failed = reason.starts_with("YAML") || reason.contains("duplicate key");
                let marker = content_marker(doc.as_bytes()).or_else(|| {
                    yaml_failed
                        .then(|| credential_marker(doc.as_bytes(), false))
                        .flatten()
                });
                let line = at.line.or(Some(offset + 1));
                out.unreadable
                    .extend(unreadable_doc(doc, path, line, reason.clone(), marker));
            }
            _ => out.inv.extend(found),
        }
        return;
    }
    match kind {
        Some("Secret") => secret(o, offset, kind_line, path, limits, out),
        Some("CertificateSigningRequest") => csr(o, offset, kind_line, path, out.inv),
        Some(k) if k.ends_with("List") => {
            for item in o.items.iter().flatten() {
                // Items of a List have no document of their own: never kubeconfigs.
                if !is_kubeconfig(item) {
                    object_credentials(item, "", offset, path, limits, out);
                }
            }
        }
        _ => {}
    }
}

fn object_name(kind: &str, o: &Object) -> String {
    let meta = o.metadata.as_ref();
    let name = meta.and_then(|m| m.name.as_deref()).unwrap_or("(unnamed)");
    match meta.and_then(|m| m.namespace.as_deref()) {
        Some(ns) => format!("{kind} {ns}/{name}"),
        None => format!("{kind} {name}"),
    }
}

/// One value of `data` (base64) or `stringData` (text), decoded, with its line.
struct Value {
    field: String,
    line: Option<u32>,
    bytes: Result<Vec<u8>, Error>,
}

fn values(o: &Object, offset: u32, at: &Location) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (map, base64) in [(&o.data, true), (&o.string_data, false)] {
        let prefix = if base64 { "data" } else { "stringData" };
        for (key, value) in map.iter().flatten() {
            let Some(secret) = &value.value else {
                continue;
            };
            let line = line_of(value).map(|n| n + offset);
            let field = format!("{prefix}.{key}");
            let here = at.clone().with_field(field.clone()).with_line(line);
            let bytes = if base64 {
                decode_base64(secret.expose(), &here)
            } else {
                Ok(secret.expose().as_bytes().to_vec())
            };
            out.push((key.clone(), Value { field, line, bytes }));
        }
    }
    out
}

fn secret(
    o: &Object,
    offset: u32,
    kind_line: Option<u32>,
    path: &Path,
    limits: &Limits,
    out: &mut Out<'_>,
) {
    let name = object_name("Secret", o);
    let at = Location::file(path).with_entry(name.clone());
    let secret_type = o.secret_type.as_deref().unwrap_or("Opaque");
    for (key, value) in values(o, offset, &at) {
        let here = at
            .clone()
            .with_field(value.field.clone())
            .with_line(value.line.or(kind_line));
        let bytes = match value.bytes {
            Ok(bytes) => bytes,
            Err(e) => {
                out.inv.problems.push(e);
                continue;
            }
        };
        // A private key in any value (`tls.key`, `client.key`, an Opaque
        // Secret's PEM): indexed for pairing with a certificate of this
        // Secret or anywhere in the tree, by its public key.
        let text = String::from_utf8_lossy(&bytes);
        out.keys.extend(pem::private_keys(&text, path, Some(&here)));
        let inv = &mut *out.inv;
        let unreadable = &mut *out.unreadable;
        match (secret_type, key.as_str()) {
            ("kubernetes.io/service-account-token", "token") => match decode_token(&text, &here) {
                Ok(info) => inv.credentials.push(super::token_record(here, info)),
                Err(e) => inv.problems.push(e),
            },
            // The cluster CA and namespace beside a token are not credentials.
            ("kubernetes.io/service-account-token", _) => {}
            ("kubernetes.io/tls", "tls.crt") => certificate(&bytes, here, inv),
            (_, key) => {
                let parsed = parse_kubeconfig_shape(&text, limits);
                if let Some(Err(reason)) = &parsed {
                    // A kubeconfig in a Secret value that does not parse.
                    let marker = credential_marker(text.as_bytes(), false);
                    if let Some(u) = unreadable_doc(&text, path, None, reason.clone(), marker) {
                        unreadable.push(Unreadable {
                            location: here.clone(),
                            ..u
                        });
                    }
                }
                if matches!(parsed, Some(Ok(true))) {
                    let line = here.line.unwrap_or(1);
                    let entry = format!("{name} {}", value.field);
                    inv.extend(kubeconfig_inventory(
                        &text,
                        path,
                        limits,
                        0,
                        Some(Pin::at(&entry, line)),
                    ));
                } else if secret_type != "kubernetes.io/tls"
                    && (key.ends_with(".crt") || key.ends_with(".pem"))
                    && text.contains("-----BEGIN CERTIFICATE-----")
                {
                    certificate(&bytes, here, inv);
                }
            }
        }
    }
}

/// `None`: not worth parsing (the markers say it cannot be a kubeconfig:
/// [`kubeconfig_text_marker`]); `Some(Ok(is_kubeconfig))`; `Some(Err(reason))`:
/// the value does not parse.
pub(super) fn parse_kubeconfig_shape(text: &str, limits: &Limits) -> Option<Result<bool, String>> {
    kubeconfig_text_marker(text)?;
    Some(
        match serde_saphyr::from_str_with_options::<Option<Object>>(
            text,
            yaml_options(text, limits),
        ) {
            Ok(Some(o)) => Ok(is_kubeconfig(&o)),
            Ok(None) => Ok(false),
            Err(err) => Err(parse_reason(&err)),
        },
    )
}

fn certificate(bytes: &[u8], at: Location, inv: &mut Inventory) {
    match decode_certificates(bytes, &at) {
        Ok(mut certs) => {
            let leaf = certs.remove(0);
            inv.credentials.push(certificate_record(at, leaf, certs));
        }
        Err(e) => inv.problems.push(e),
    }
}

fn csr(o: &Object, offset: u32, kind_line: Option<u32>, path: &Path, inv: &mut Inventory) {
    let mut name = object_name("CertificateSigningRequest", o);
    if let Some(seconds) = o.spec.as_ref().and_then(|s| s.expiration_seconds) {
        name = format!(
            "{name} (expirationSeconds {seconds}: {})",
            crate::expiry::human_duration(time::Duration::seconds(seconds))
        );
    }
    let Some(cert) = o.status.as_ref().and_then(|s| s.certificate.as_ref()) else {
        return; // pending or denied: no credential yet
    };
    let Some(text) = cert.value.as_deref().filter(|t| !t.trim().is_empty()) else {
        return;
    };
    let line = line_of(cert).map(|n| n + offset).or(kind_line);
    let at = Location::file(path)
        .with_entry(name)
        .with_field("status.certificate")
        .with_line(line);
    match decode_base64(text, &at) {
        Ok(bytes) => certificate(&bytes, at, inv),
        Err(e) => inv.problems.push(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_keep_their_line_offsets() {
        let docs = documents("a: 1\n---\nb: 2\nc: 3\n--- \n...\nd: 4\n");
        let offsets: Vec<u32> = docs.iter().map(|(o, _)| *o).collect();
        assert_eq!(offsets, [0, 2, 6]);
    }

    #[test]
    fn a_token_secret_points_at_its_token_line() {
        let yaml = "kind: ConfigMap\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\n  namespace: build\ntype: kubernetes.io/service-account-token\ndata:\n  namespace: YnVpbGQ=\n  token: Q0FOQVJZLW9wYXF1ZQ==\n";
        let inv = scan_documents(
            yaml,
            Path::new("s.yaml"),
            &Limits::default(),
            &mut Vec::new(),
            &mut Vec::new(),
        );
        assert_eq!(inv.credentials.len(), 1, "{:?}", inv.problems);
        let l = &inv.credentials[0].location;
        assert_eq!(l.line, Some(11));
        assert_eq!(l.entry.as_deref(), Some("Secret build/ci"));
        assert_eq!(l.field.as_deref(), Some("data.token"));
        assert!(!format!("{inv:?}").contains("CANARY"));
    }

    #[test]
    fn a_kubeconfig_in_a_secret_that_does_not_parse_is_unreadable_at_its_key() {
        let deep = format!("{}{}", "[".repeat(90), "]".repeat(90));
        let yaml = format!("kind: Secret\nmetadata: {{name: k}}\nstringData:\n  config: |\n    kind: Config\n    users: []\n    x: {deep}\n");
        let mut unreadable = Vec::new();
        let inv = scan_documents(
            &yaml,
            Path::new("s.yaml"),
            &Limits::default(),
            &mut unreadable,
            &mut Vec::new(),
        );
        assert!(inv.credentials.is_empty());
        assert_eq!(unreadable.len(), 1, "{unreadable:?}");
        assert_eq!(unreadable[0].location.line, Some(5)); // the block scalar's first line
        assert_eq!(
            unreadable[0].location.field.as_deref(),
            Some("stringData.config")
        );
        assert!(unreadable[0].reason.contains("nested too deeply"));
    }

    #[test]
    fn bad_base64_is_a_problem_with_its_line() {
        let yaml =
            "kind: Secret\nmetadata: {name: x}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: '!!!'\n";
        let inv = scan_documents(
            yaml,
            Path::new("s.yaml"),
            &Limits::default(),
            &mut Vec::new(),
            &mut Vec::new(),
        );
        assert_eq!(inv.problems.len(), 1);
        assert_eq!(inv.problems[0].location().unwrap().line, Some(5));
    }
}
