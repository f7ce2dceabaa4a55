//! `kcred check` and `kcred scan`: one series per credential.
//!
//! - `kcred_credential_expiration_timestamp_seconds`: when each credential
//!   stops working; only credentials with a stated end.
//! - `kcred_credential_expired` (0/1), `kcred_credential_remaining_seconds`
//!   (negative once expired): credentials whose validity is known.
//! - `kcred_credential_expiry_unknown` (1, with a `reason`): credentials whose
//!   end cannot be told from the files (opaque tokens, exec plugins, basic
//!   auth, undecodable data).
//!
//! Labels: `file`, `context` (the first context using the credential, or ""),
//! `user`, `kind`. One series per label set: a second credential of the same
//! kind for the same user and file (a broken input, or two certificates of
//! one bundle in `scan`) is left out.

use time::OffsetDateTime;

use crate::credential::{CredentialRecord, Inventory};
use crate::expiry::{ExpiryStatus, UnknownReason};
use crate::policy::Finding;
use crate::scan::ScanReport;

use super::{flag, labels, Exposition, Samples};

/// The inventory's expiry facts and the active findings as Prometheus text
/// (`kcred check --format prometheus`).
///
/// ```
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let text = kcred_core::prometheus_text(&kcred_core::Inventory::default(), &[], now);
/// assert!(text.contains("kcred_check_timestamp_seconds 1767225600\n"));
/// assert!(text.contains("kcred_check_success 1\n"));
/// ```
pub fn prometheus_text(inventory: &Inventory, findings: &[Finding], now: OffsetDateTime) -> String {
    let mut e = Exposition::default();
    credential_families(&mut e, inventory, now);
    e.findings(findings);
    e.finish(inventory.problems.len(), now)
}

/// A scan's credentials and findings as Prometheus text (`kcred scan --format
/// prometheus`): the families of [`prometheus_text`], plus
/// `kcred_scan_files_scanned` and `kcred_scan_files_skipped`. Unreadable
/// credential-like text is a finding (KC905), not a read error.
///
/// ```
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let text = kcred_core::scan_prometheus(&kcred_core::ScanReport::default(), &[], now);
/// assert!(text.contains("kcred_scan_files_scanned 0\n"));
/// ```
pub fn scan_prometheus(report: &ScanReport, findings: &[Finding], now: OffsetDateTime) -> String {
    let mut e = Exposition::default();
    credential_families(&mut e, &report.inventory, now);
    e.findings(findings);
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    e.single(
        "kcred_scan_files_scanned",
        "Files read and scanned.",
        count(report.files_scanned),
    );
    e.single(
        "kcred_scan_files_skipped",
        "Files not scanned (binary, oversized, unreadable, links not followed).",
        count(report.skipped.len()),
    );
    e.finish(report.inventory.problems.len(), now)
}

/// The label set of one credential, then `extra`.
fn credential_labels(r: &CredentialRecord, extra: &[(&str, &str)]) -> String {
    let file = r.location.file.display().to_string();
    let context = r.contexts.first().map(String::as_str).unwrap_or("");
    let mut pairs = vec![
        ("file", file.as_str()),
        ("context", context),
        ("user", r.user.as_str()),
        ("kind", r.kind().name()),
    ];
    pairs.extend_from_slice(extra);
    labels(&pairs)
}

/// The stable name of an unknown expiry's reason, as the JSON spells it.
fn reason_name(reason: UnknownReason) -> &'static str {
    match reason {
        UnknownReason::OpaqueToken => "opaque-token",
        UnknownReason::Dynamic => "dynamic",
        UnknownReason::NoExpiryStated => "no-expiry-stated",
        UnknownReason::Undecodable => "undecodable",
        UnknownReason::MissingFile => "missing-file",
        UnknownReason::UnreadableFile => "unreadable-file",
        UnknownReason::NotExamined => "not-examined",
    }
}

/// `kcred_credential_expiry_unknown` of `inventory` alone (`kcred pki`).
pub(super) fn unknown_family(e: &mut Exposition, inventory: &Inventory, now: OffsetDateTime) {
    let mut unknown = Samples::default();
    for r in &inventory.credentials {
        if let ExpiryStatus::Unknown { reason } = r.status(now) {
            let l = credential_labels(r, &[("reason", reason_name(reason))]);
            unknown.push(&l, 1);
        }
    }
    e.family(
        "kcred_credential_expiry_unknown",
        "1 for a credential whose end cannot be told from the files (opaque token, exec plugin, basic auth, undecodable), by reason.",
        &unknown,
    );
}

/// The four `kcred_credential_*` families.
fn credential_families(e: &mut Exposition, inventory: &Inventory, now: OffsetDateTime) {
    let mut expiration = Samples::default();
    let mut expired = Samples::default();
    let mut remaining = Samples::default();
    let mut seen = std::collections::BTreeSet::new();
    for r in &inventory.credentials {
        let l = credential_labels(r, &[]);
        if !seen.insert(l.clone()) {
            continue;
        }
        let validity = r.validity();
        if let Some(end) = validity
            .filter(|v| !v.never_expires)
            .and_then(|v| v.not_after)
        {
            expiration.push(&l, end.unix_timestamp());
        }
        match r.status(now) {
            ExpiryStatus::Valid { remaining: left } => {
                expired.push(&l, 0);
                remaining.push(&l, left.whole_seconds());
            }
            ExpiryStatus::NotYetValid { .. } => {
                expired.push(&l, 0);
                if let Some(left) = validity.and_then(|v| v.remaining(now)) {
                    remaining.push(&l, left.whole_seconds());
                }
            }
            ExpiryStatus::Expired { since } => {
                expired.push(&l, flag(true));
                remaining.push(&l, since.whole_seconds().saturating_neg());
            }
            ExpiryStatus::NeverExpires => expired.push(&l, 0),
            ExpiryStatus::Unknown { .. } => {}
        }
    }
    e.family(
        "kcred_credential_expiration_timestamp_seconds",
        "When the credential stops working, as Unix seconds (credentials with a stated end).",
        &expiration,
    );
    e.family(
        "kcred_credential_expired",
        "1 when the credential had expired at the time of the check, else 0.",
        &expired,
    );
    e.family(
        "kcred_credential_remaining_seconds",
        "Seconds from the check until the credential expires (negative once expired).",
        &remaining,
    );
    unknown_family(e, inventory, now);
}
