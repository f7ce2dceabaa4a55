//! The versioned JSON form of an inventory (`kcred inspect --format json`).
//! Keys are stable; absent facts are `null`, never missing. Documented in
//! `docs/json-schema.md`.

use serde_json::{json, Value};
use time::OffsetDateTime;

use super::rfc3339;
use crate::credential::{CredentialRecord, Inventory};
use crate::expiry::ExpiryStatus;
use crate::policy::{Finding, Severity};

/// Schema identifier written as `schema` at the top of the document.
pub const INVENTORY_SCHEMA: &str = "kcred.inventory/v1";

/// The inventory as a JSON document at `now`.
///
/// ```
/// let doc = kcred_core::inventory_json(&kcred_core::Inventory::default(), time::macros::datetime!(2026-01-01 0:00 UTC));
/// assert_eq!(doc["schema"], "kcred.inventory/v1");
/// assert_eq!(doc["now"], "2026-01-01T00:00:00Z");
/// ```
pub fn inventory_json(inventory: &Inventory, now: OffsetDateTime) -> Value {
    json!({
        "schema": INVENTORY_SCHEMA,
        "now": rfc3339(now),
        "credentials": inventory.credentials.iter().map(|r| credential_json(r, now)).collect::<Vec<_>>(),
        "clusters": inventory.clusters.iter().map(|c| {
            let ca = c.ca.first();
            json!({
                "name": c.name,
                "location": c.location,
                "server": c.server,
                "contexts": c.contexts,
                "insecure_skip_tls_verify": c.insecure_skip_tls_verify,
                "ca_source": c.ca_source,
                "ca": ca,
                "ca_not_after": ca.and_then(|ca| ca.validity.not_after).map(rfc3339),
                "ca_status": ca.map(|ca| ca.validity.status(now).name()),
            })
        }).collect::<Vec<_>>(),
        "problems": inventory.problems,
    })
}

/// One credential record with its status at `now`.
pub(crate) fn credential_json(record: &CredentialRecord, now: OffsetDateTime) -> Value {
    let validity = record.validity();
    let status = record.status(now);
    let remaining = match status {
        ExpiryStatus::Valid { remaining } => Some(remaining.whole_seconds()),
        ExpiryStatus::Expired { since } => Some(-since.whole_seconds()),
        _ => None,
    };
    let details = serde_json::to_value(&record.credential).unwrap_or(Value::Null);
    json!({
        "user": record.user,
        "contexts": record.contexts,
        "clusters": record.clusters,
        "kind": record.kind().name(),
        "platform": record.platform.name(),
        "identity": record.identity(),
        "location": record.location,
        "status": status.name(),
        "unknown_reason": match status { ExpiryStatus::Unknown { reason } => serde_json::to_value(reason).ok(), _ => None },
        "not_before": validity.and_then(|v| v.not_before).map(rfc3339),
        "not_after": validity.and_then(|v| v.not_after).map(rfc3339),
        "never_expires": validity.is_some_and(|v| v.never_expires),
        "remaining_seconds": remaining,
        "lifetime_seconds": validity.and_then(|v| v.lifetime()).map(|d| d.whole_seconds()),
        "impersonation": record.impersonation,
        "details": details.get("details").cloned().unwrap_or(Value::Null),
    })
}

/// Schema identifier of the findings document (`kcred check --format json`).
pub const FINDINGS_SCHEMA: &str = "kcred.findings/v1";

/// Findings as a JSON document: `schema`, `now`, `policy`, a `summary` of active
/// findings by severity (and how many are suppressed), and the findings in
/// evaluation order. Keys are stable; absent facts are `null`.
///
/// ```
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let doc = kcred_core::findings_json(&[], "strict", now);
/// assert_eq!(doc["schema"], "kcred.findings/v1");
/// assert_eq!(doc["summary"]["error"], 0);
/// ```
pub fn findings_json(findings: &[Finding], policy: &str, now: OffsetDateTime) -> Value {
    let count = |s: Severity| {
        findings
            .iter()
            .filter(|f| f.is_active() && f.severity == s)
            .count()
    };
    json!({
        "schema": FINDINGS_SCHEMA,
        "now": rfc3339(now),
        "policy": policy,
        "summary": {
            "error": count(Severity::Error),
            "warning": count(Severity::Warning),
            "info": count(Severity::Info),
            "suppressed": findings.iter().filter(|f| !f.is_active()).count(),
        },
        "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
    })
}

fn finding_json(f: &Finding) -> Value {
    let l = &f.location;
    json!({
        "code": f.code,
        "name": f.name,
        "severity": f.severity.name(),
        "location": {
            "file": l.file.display().to_string(),
            "line": l.line,
            "context": l.context,
            "user": l.user,
            "cluster": l.cluster,
            "entry": l.entry,
            "field": l.field,
        },
        "kind": f.kind.map(|k| k.name()),
        "platform": f.platform.name(),
        "message": f.message,
        "remediation": f.remediation,
        "suppressed": f.suppressed.as_ref().map(|s| json!({"reason": s.reason, "expires": s.expires})),
    })
}
