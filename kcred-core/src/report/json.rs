//! The versioned JSON form of an inventory (`kcred inspect --format json`).
//! Keys are stable; absent facts are `null`, never missing. Documented in
//! `docs/json-schema.md`.

use std::io::Write;
use std::path::PathBuf;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::rfc3339;
use crate::credential::{ClusterRecord, CredentialRecord, Inventory};
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
    serde_json::to_value(InventoryDocument(inventory, now, None)).unwrap_or(Value::Null)
}

/// Writes the same document as [`inventory_json`] (plus `files` when given),
/// pretty-printed, one record at a time: memory stays at one record's worth
/// however many credentials there are (a 100,000-user kubeconfig would
/// otherwise need its whole JSON tree in memory).
///
/// ```
/// let mut out = Vec::new();
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// kcred_core::write_inventory_json(&kcred_core::Inventory::default(), now, None, &mut out).unwrap();
/// let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(doc, kcred_core::inventory_json(&kcred_core::Inventory::default(), now));
/// ```
pub fn write_inventory_json(
    inventory: &Inventory,
    now: OffsetDateTime,
    files: Option<&[PathBuf]>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    super::write_pretty(out, &InventoryDocument(inventory, now, files))
}

/// The inventory document at an instant, with the files read when known;
/// keys in sorted order, as `serde_json::Map` keeps them.
struct InventoryDocument<'a>(&'a Inventory, OffsetDateTime, Option<&'a [PathBuf]>);

impl Serialize for InventoryDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let InventoryDocument(inventory, now, files) = *self;
        let mut map = serializer.serialize_map(None)?;
        let clusters = Each(&inventory.clusters, |c: &ClusterRecord| {
            cluster_json(c, now)
        });
        map.serialize_entry("clusters", &clusters)?;
        map.serialize_entry("contexts", &inventory.contexts)?;
        let credentials = Each(&inventory.credentials, |r: &CredentialRecord| {
            credential_json(r, now)
        });
        map.serialize_entry("credentials", &credentials)?;
        map.serialize_entry("current_context", &inventory.current_context)?;
        if let Some(files) = files {
            map.serialize_entry("files", files)?;
        }
        map.serialize_entry("now", &rfc3339(now))?;
        map.serialize_entry("problems", &inventory.problems)?;
        map.serialize_entry("schema", INVENTORY_SCHEMA)?;
        map.end()
    }
}

/// A list serialized item by item through `F`, never held whole.
pub(crate) struct Each<'a, T, F>(pub(crate) &'a [T], pub(crate) F);

impl<T, F: Fn(&T) -> Value> Serialize for Each<'_, T, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&(self.1)(item))?;
        }
        seq.end()
    }
}

fn cluster_json(c: &ClusterRecord, now: OffsetDateTime) -> Value {
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
    // `Credential` serializes as {"kind", "details"}: take the details out
    // rather than cloning the subtree.
    let details = match serde_json::to_value(&record.credential) {
        Ok(Value::Object(mut tagged)) => tagged.remove("details").unwrap_or(Value::Null),
        _ => Value::Null,
    };
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
        "privileges": record.privileges,
        "details": details,
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
    serde_json::to_value(FindingsDocument {
        findings,
        policy,
        now,
    })
    .unwrap_or(Value::Null)
}

/// Writes the same document as [`findings_json`], pretty-printed, one finding
/// at a time.
///
/// ```
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let mut out = Vec::new();
/// kcred_core::write_findings_json(&[], "strict", now, &mut out).unwrap();
/// let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(doc, kcred_core::findings_json(&[], "strict", now));
/// ```
pub fn write_findings_json(
    findings: &[Finding],
    policy: &str,
    now: OffsetDateTime,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let document = FindingsDocument {
        findings,
        policy,
        now,
    };
    super::write_pretty(out, &document)
}

/// The findings document; keys in sorted order, as `serde_json::Map` keeps them.
pub(crate) struct FindingsDocument<'a> {
    pub(crate) findings: &'a [Finding],
    pub(crate) policy: &'a str,
    pub(crate) now: OffsetDateTime,
}

impl Serialize for FindingsDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let findings = self.findings;
        let count = |s: Severity| {
            findings
                .iter()
                .filter(|f| f.is_active() && f.severity == s)
                .count()
        };
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("findings", &Each(findings, finding_json))?;
        map.serialize_entry("now", &rfc3339(self.now))?;
        map.serialize_entry("policy", self.policy)?;
        map.serialize_entry("schema", FINDINGS_SCHEMA)?;
        let summary = json!({
            "error": count(Severity::Error),
            "warning": count(Severity::Warning),
            "info": count(Severity::Info),
            "suppressed": findings.iter().filter(|f| !f.is_active()).count(),
        });
        map.serialize_entry("summary", &summary)?;
        map.end()
    }
}

fn finding_json(f: &Finding) -> Value {
    let l = &f.location;
    json!({
        "code": f.code,
        "name": f.name(),
        "severity": f.severity.name(),
        "location": {
            "file": l.file.display().to_string(),
            "line": l.line,
            "column": l.column,
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
