//! `kcred decode`: what one certificate bundle, token or ExecCredential holds,
//! as blocks of facts for people or as the `kcred.decoded/v1` document.

use std::fmt::Write;

use serde_json::{json, Value};
use time::OffsetDateTime;

use super::rfc3339;
use super::table::{expires, remaining};
use super::text::{cell_in, column_widths, escape_text, pad, GAP};
use crate::decode::{Decoded, DecodedCertificate, DecodedExecCredential, DecodedItem};
use crate::expiry::{ExpiryStatus, Validity};
use crate::token::TokenInfo;
use crate::x509::KeyInfo;

/// Schema identifier of the decode document.
pub const DECODED_SCHEMA: &str = "kcred.decoded/v1";

/// One block's facts: (label, value); the `status` row is painted.
type Facts = Vec<(&'static str, String)>;

/// Each item of `decoded` as a titled block of `label  value` lines, values
/// escaped and shortened with `…` to fit `width` (`None`: whole, up to
/// [`crate::CELL_MAX`]); `color` paints the status value. `name` is the input's
/// name (a path, or `<stdin>`), shown in the titles.
///
/// ```
/// use kcred_core::{decode, decoded_table, Location};
/// let key = b"-----BEGIN PRIVATE KEY-----\nMAwCAQAwBQYDK2VwBAA=\n-----END PRIVATE KEY-----\n";
/// let decoded = decode(key, &Location::file("k.pem")).unwrap();
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// assert_eq!(decoded_table(&decoded, "k.pem", now, false, None), "k.pem: private key (Ed25519), not printed\n");
/// ```
pub fn decoded_table(
    decoded: &Decoded,
    name: &str,
    now: OffsetDateTime,
    color: bool,
    width: Option<usize>,
) -> String {
    let mut out = String::new();
    let name = escape_text(name);
    let certificates = decoded
        .items
        .iter()
        .filter(|i| matches!(i, DecodedItem::Certificate(_)))
        .count();
    for (n, item) in decoded.items.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let (title, facts) = match item {
            DecodedItem::Certificate(c) => (
                format!("certificate {} of {certificates}", c.index),
                certificate_facts(c, now),
            ),
            DecodedItem::PrivateKey { key_type } => {
                let _ = writeln!(out, "{name}: private key ({key_type}), not printed");
                continue;
            }
            DecodedItem::OtherPem { label } => {
                let _ = writeln!(out, "{name}: PEM block {}, not decoded", escape_text(label));
                continue;
            }
            DecodedItem::Token(t) => (format!("token ({})", token_format(t)), token_facts(t, now)),
            DecodedItem::ExecCredential(e) => ("ExecCredential".to_owned(), exec_facts(e, now)),
        };
        let _ = writeln!(out, "{name}: {title}");
        block(&mut out, &facts, color, width);
    }
    out
}

/// `label  value` lines, indented, the values fitted in `width`.
fn block(out: &mut String, facts: &Facts, color: bool, width: Option<usize>) {
    let rows: Vec<[String; 2]> = facts
        .iter()
        .map(|(label, value)| [(*label).to_owned(), value.clone()])
        .collect();
    let indent = 2;
    let widths = column_widths(
        &["FIELD", "VALUE"],
        &["VALUE"],
        &rows,
        width.map(|w| w.saturating_sub(indent)),
    );
    let (label_width, value_width) = (widths[0], widths[1]);
    for [label, value] in &rows {
        out.push_str("  ");
        pad(out, label, label_width);
        out.extend(std::iter::repeat_n(' ', GAP));
        let shown = cell_in(value, value_width);
        let paint = (color && label == "status").then(|| paint(value));
        match paint {
            Some(code) => {
                let _ = writeln!(out, "\x1b[{code}m{shown}\x1b[0m");
            }
            None => {
                let _ = writeln!(out, "{shown}");
            }
        }
    }
}

/// The colour of a status value, as the inventory table paints its statuses.
fn paint(status: &str) -> &'static str {
    match status.split(' ').next().unwrap_or_default() {
        "valid" => "32",
        "expired" | "not-yet-valid" => "31",
        "never-expires" => "33",
        _ => "2",
    }
}

fn key_text(key: &KeyInfo) -> String {
    let mut text = key.algorithm.clone();
    if let Some(curve) = &key.curve {
        let _ = write!(text, " {curve}");
    } else if let Some(bits) = key.bits {
        let _ = write!(text, " {bits} bits");
    }
    text
}

/// `valid (364d left)`, `expired (3d ago)`, `not-yet-valid (starts in 2d)`,
/// `never-expires`, `unknown`.
fn status_text(validity: Option<Validity>, now: OffsetDateTime) -> String {
    let status = status_of(validity, now);
    let name = status.name();
    match status {
        ExpiryStatus::Valid { .. } => format!("{name} ({} left)", remaining(status)),
        ExpiryStatus::Expired { .. } => {
            format!("{name} ({} ago)", remaining(status).trim_start_matches('-'))
        }
        ExpiryStatus::NotYetValid { .. } => format!("{name} ({})", remaining(status)),
        _ => name.to_owned(),
    }
}

fn status_of(validity: Option<Validity>, now: OffsetDateTime) -> ExpiryStatus {
    validity.map_or(
        ExpiryStatus::Unknown {
            reason: crate::expiry::UnknownReason::OpaqueToken,
        },
        |v| v.status(now),
    )
}

fn optional(value: Option<&str>) -> String {
    value.unwrap_or("-").to_owned()
}

fn instant(t: Option<OffsetDateTime>) -> String {
    t.map(rfc3339).unwrap_or_else(|| "-".to_owned())
}

fn list(values: &[String]) -> String {
    if values.is_empty() {
        "-".to_owned()
    } else {
        values.join(", ")
    }
}

fn certificate_facts(c: &DecodedCertificate, now: OffsetDateTime) -> Facts {
    let i = &c.info;
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    vec![
        ("subject", i.subject.clone()),
        ("issuer", i.issuer.clone()),
        ("serial", i.serial.clone()),
        ("SANs", list(&c.sans)),
        ("key", key_text(&i.key)),
        ("signature", i.signature_algorithm.clone()),
        ("CA", yes_no(i.is_ca)),
        ("self-issued", yes_no(i.self_issued)),
        ("not before", instant(i.validity.not_before)),
        ("not after", expires(Some(i.validity))),
        ("status", status_text(Some(i.validity), now)),
        ("sha256", i.sha256_fingerprint.clone()),
    ]
}

fn token_format(t: &TokenInfo) -> &'static str {
    use crate::token::TokenFormat as F;
    match t.format {
        F::Jwt => "JWT",
        F::ServiceAccountLegacy => "legacy service-account JWT",
        F::ServiceAccountBound => "bound service-account JWT",
        F::EksPresigned => "EKS presigned",
        F::OpenShiftOAuth => "OpenShift OAuth",
        F::BootstrapToken => "bootstrap",
        _ => "opaque token",
    }
}

fn token_facts(t: &TokenInfo, now: OffsetDateTime) -> Facts {
    let mut facts = Vec::new();
    if let Some(jwt) = &t.jwt {
        facts.extend([
            ("alg", optional(jwt.algorithm.as_deref())),
            ("kid", optional(jwt.key_id.as_deref())),
            ("iss", optional(jwt.issuer.as_deref())),
            ("sub", optional(jwt.subject.as_deref())),
            ("aud", list(&jwt.audience)),
            ("iat", instant(jwt.issued_at)),
            ("nbf", instant(jwt.not_before)),
            ("exp", instant(jwt.expires_at)),
        ]);
    }
    if let Some(sa) = &t.service_account {
        let fields = [
            ("namespace", &sa.namespace),
            ("service account", &sa.name),
            ("uid", &sa.uid),
            ("secret", &sa.secret),
            ("bound pod", &sa.bound_pod),
            ("bound node", &sa.bound_node),
            ("bound secret", &sa.bound_secret),
        ];
        facts.extend(
            fields
                .into_iter()
                .filter_map(|(label, v)| v.clone().map(|v| (label, v))),
        );
        if let Some(warn) = sa.warn_after {
            facts.push(("warn after", rfc3339(warn)));
        }
    }
    if t.jwt.is_some() {
        facts.push(("signature", "not verified".to_owned()));
    }
    if t.validity.is_some() || t.jwt.is_some() {
        facts.push(("expires", expires(t.validity)));
    }
    facts.push(("status", status_text(t.validity, now)));
    facts
}

fn exec_facts(e: &DecodedExecCredential, now: OffsetDateTime) -> Facts {
    let mut facts = vec![
        ("apiVersion", optional(e.api_version.as_deref())),
        ("expirationTimestamp", instant(e.expiration)),
    ];
    match &e.token {
        Some(t) => {
            facts.push(("token", token_format(t).to_owned()));
            if t.jwt.is_some() || t.service_account.is_some() {
                let inner = token_facts(t, now);
                facts.extend(inner.into_iter().filter(|(l, _)| *l != "status"));
            }
        }
        None => facts.push(("token", "-".to_owned())),
    }
    if let Some(c) = &e.client_certificate {
        let inner = certificate_facts(c, now);
        facts.extend(
            inner
                .into_iter()
                .filter(|(l, _)| *l != "status")
                .map(|(l, v)| (cert_label(l), v)),
        );
    }
    if e.has_client_key {
        facts.push(("client key", "present, not printed".to_owned()));
    }
    facts.push(("status", status_text(e.validity, now)));
    facts
}

/// A certificate fact's label inside an ExecCredential block.
fn cert_label(label: &'static str) -> &'static str {
    match label {
        "subject" => "cert subject",
        "issuer" => "cert issuer",
        "serial" => "cert serial",
        "SANs" => "cert SANs",
        "key" => "cert key",
        "signature" => "cert signature",
        "CA" => "cert CA",
        "self-issued" => "cert self-issued",
        "not before" => "cert not before",
        "not after" => "cert not after",
        "sha256" => "cert sha256",
        other => other,
    }
}

/// The `kcred.decoded/v1` document: `schema`, `now`, `source` (the input's
/// name) and `items[]`, each with its `kind` (docs/json-schema.md).
///
/// ```
/// use kcred_core::{decode, decoded_json, Location};
/// let key = b"-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----\n";
/// let decoded = decode(key, &Location::file("k.pem")).unwrap();
/// let doc = decoded_json(&decoded, "k.pem", time::macros::datetime!(2026-01-01 0:00 UTC));
/// assert_eq!(doc["items"][0], serde_json::json!({"kind": "private-key", "key_type": "RSA", "printed": false}));
/// ```
pub fn decoded_json(decoded: &Decoded, name: &str, now: OffsetDateTime) -> Value {
    let items: Vec<Value> = decoded.items.iter().map(|i| item_json(i, now)).collect();
    json!({
        "schema": DECODED_SCHEMA,
        "now": rfc3339(now),
        "source": name,
        "items": items,
    })
}

fn item_json(item: &DecodedItem, now: OffsetDateTime) -> Value {
    match item {
        DecodedItem::Certificate(c) => certificate_json(c, now),
        DecodedItem::PrivateKey { key_type } => {
            json!({"kind": "private-key", "key_type": key_type, "printed": false})
        }
        DecodedItem::OtherPem { label } => json!({"kind": "pem-block", "label": label}),
        DecodedItem::Token(t) => token_json(t, now),
        DecodedItem::ExecCredential(e) => {
            let mut doc = json!({
                "kind": "exec-credential",
                "api_version": e.api_version,
                "expiration_timestamp": e.expiration.map(rfc3339),
                "token": e.token.as_ref().map(|t| token_json(t, now)),
                "client_certificate": e.client_certificate.as_ref().map(|c| certificate_json(c, now)),
                "has_client_key": e.has_client_key,
            });
            add_status(&mut doc, e.validity, now);
            doc
        }
    }
}

/// `not_before`, `not_after`, `never_expires`, `status`, `remaining_seconds`
/// (negative once expired), as the inventory's records carry them.
fn add_status(doc: &mut Value, validity: Option<Validity>, now: OffsetDateTime) {
    let status = status_of(validity, now);
    let remaining = match status {
        ExpiryStatus::Valid { remaining } => Some(remaining.whole_seconds()),
        ExpiryStatus::Expired { since } => Some(since.whole_seconds().saturating_neg()),
        _ => None,
    };
    doc["not_before"] = json!(validity.and_then(|v| v.not_before).map(rfc3339));
    doc["not_after"] = json!(validity.and_then(|v| v.not_after).map(rfc3339));
    doc["never_expires"] = json!(validity.is_some_and(|v| v.never_expires));
    doc["status"] = json!(status.name());
    doc["remaining_seconds"] = json!(remaining);
}

fn certificate_json(c: &DecodedCertificate, now: OffsetDateTime) -> Value {
    let i = &c.info;
    let mut doc = json!({
        "kind": "certificate",
        "index": c.index,
        "subject": i.subject,
        "common_name": i.common_name,
        "organizations": i.organizations,
        "issuer": i.issuer,
        "issuer_common_name": i.issuer_common_name,
        "serial": i.serial,
        "sans": c.sans,
        "key": i.key,
        "signature_algorithm": i.signature_algorithm,
        "is_ca": i.is_ca,
        "self_issued": i.self_issued,
        "sha256_fingerprint": i.sha256_fingerprint,
    });
    add_status(&mut doc, Some(i.validity), now);
    doc
}

fn token_json(t: &TokenInfo, now: OffsetDateTime) -> Value {
    // The named claims only: never the token, never its signature.
    let jwt = t.jwt.as_ref().map(|j| {
        json!({
            "algorithm": j.algorithm,
            "key_id": j.key_id,
            "issuer": j.issuer,
            "subject": j.subject,
            "audience": j.audience,
            "expires_at": j.expires_at.map(rfc3339),
            "issued_at": j.issued_at.map(rfc3339),
            "not_before": j.not_before.map(rfc3339),
            "jwt_id": j.jwt_id,
            "verified": false,
        })
    });
    let mut doc = json!({
        "kind": "token",
        "format": t.format,
        "jwt": jwt,
        "service_account": t.service_account,
    });
    add_status(&mut doc, t.validity, now);
    doc
}
