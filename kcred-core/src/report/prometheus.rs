//! Prometheus text exposition (format 0.0.4) for the node-exporter textfile
//! collector. Metric names follow x509-certificate-exporter's spirit:
//!
//! - `kcred_credential_expiration_timestamp_seconds` (gauge): when each
//!   credential stops working; only credentials with a stated end.
//! - `kcred_credential_expired` (gauge, 0/1), `kcred_credential_remaining_seconds`
//!   (gauge, negative once expired): credentials whose validity is known.
//! - `kcred_policy_findings` (gauge): active findings by file, context, user,
//!   kind, code and severity.
//! - `kcred_check_timestamp_seconds` (gauge): the `now` of the check, to alert on
//!   a stale textfile.
//!
//! Labels: `file`, `context` (the first context using the credential, or ""),
//! `user`, `kind`, plus `code` and `severity` on findings.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use time::OffsetDateTime;

use crate::credential::Inventory;
use crate::expiry::ExpiryStatus;
use crate::policy::Finding;

use super::text::{command_hash, push_visible};

/// Escapes a label value: backslash, double quote and newline as Prometheus
/// does; every other control or invisible format character as the text
/// `\x1b` / `\u{202e}` (its backslash escaped in turn), as tables show them.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut shown = String::new();
    for (i, c) in value.char_indices() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            // `##[` / `##vso[`: CI command prefixes, honoured mid-line.
            '#' if command_hash(value, i) => out.push_str("\\\\x23"),
            c => {
                shown.clear();
                if push_visible(c, &mut shown) {
                    out.push_str(&shown.replace('\\', "\\\\"));
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
}

fn labels(pairs: &[(&str, &str)]) -> String {
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

fn header(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
}

/// The inventory's expiry facts and the active findings as Prometheus text.
///
/// ```
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let text = kcred_core::prometheus_text(&kcred_core::Inventory::default(), &[], now);
/// assert!(text.contains("kcred_check_timestamp_seconds 1767225600\n"));
/// ```
pub fn prometheus_text(inventory: &Inventory, findings: &[Finding], now: OffsetDateTime) -> String {
    let mut expiration = Vec::new();
    let mut expired = Vec::new();
    let mut remaining = Vec::new();
    let mut seen = BTreeSet::new();
    for r in &inventory.credentials {
        let file = r.location.file.display().to_string();
        let context = r.contexts.first().cloned().unwrap_or_default();
        let l = labels(&[
            ("file", &file),
            ("context", &context),
            ("user", &r.user),
            ("kind", r.kind().name()),
        ]);
        // One series per label set: a second credential of the same kind for the
        // same user and file (only possible in a broken input) is left out.
        if !seen.insert(l.clone()) {
            continue;
        }
        let validity = r.validity();
        if let Some(end) = validity
            .filter(|v| !v.never_expires)
            .and_then(|v| v.not_after)
        {
            expiration.push(format!("{l} {}", end.unix_timestamp()));
        }
        match r.status(now) {
            ExpiryStatus::Valid { remaining: left } => {
                expired.push(format!("{l} 0"));
                remaining.push(format!("{l} {}", left.whole_seconds()));
            }
            ExpiryStatus::NotYetValid { .. } => {
                expired.push(format!("{l} 0"));
                if let Some(left) = validity.and_then(|v| v.remaining(now)) {
                    remaining.push(format!("{l} {}", left.whole_seconds()));
                }
            }
            ExpiryStatus::Expired { since } => {
                expired.push(format!("{l} 1"));
                remaining.push(format!("{l} {}", -since.whole_seconds()));
            }
            ExpiryStatus::NeverExpires => expired.push(format!("{l} 0")),
            ExpiryStatus::Unknown { .. } => {}
        }
    }
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.is_active()) {
        let loc = &f.location;
        let l = labels(&[
            ("file", &loc.file.display().to_string()),
            ("context", loc.context.as_deref().unwrap_or("")),
            ("user", loc.user.as_deref().unwrap_or("")),
            ("kind", f.kind.map(|k| k.name()).unwrap_or("")),
            ("code", f.code.as_str()),
            ("severity", f.severity.name()),
        ]);
        *counts.entry(l).or_default() += 1;
    }

    let mut out = String::new();
    let mut family = |name: &str, help: &str, samples: &[String]| {
        header(&mut out, name, help);
        for s in samples {
            let _ = writeln!(out, "{name}{s}");
        }
    };
    family(
        "kcred_credential_expiration_timestamp_seconds",
        "When the credential stops working, as Unix seconds (credentials with a stated end).",
        &expiration,
    );
    family(
        "kcred_credential_expired",
        "1 when the credential had expired at the time of the check, else 0.",
        &expired,
    );
    family(
        "kcred_credential_remaining_seconds",
        "Seconds from the check until the credential expires (negative once expired).",
        &remaining,
    );
    let findings: Vec<String> = counts
        .into_iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    family(
        "kcred_policy_findings",
        "Active policy findings by file, context, user, credential kind, rule code and severity.",
        &findings,
    );
    header(
        &mut out,
        "kcred_check_timestamp_seconds",
        "When the check was made (its now), as Unix seconds.",
    );
    let _ = writeln!(
        out,
        "kcred_check_timestamp_seconds {}",
        now.unix_timestamp()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(labels(&[("user", "x\"y")]), "{user=\"x\\\"y\"}");
        assert_eq!(
            escape("a\x1b[2J\r\u{202e}"),
            "a\\\\x1b[2J\\\\x0d\\\\u{202e}"
        );
        assert_eq!(escape("a##[x"), "a#\\\\x23[x");
    }
}
