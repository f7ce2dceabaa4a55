//! The versioned JSON form of an inventory (`kcred inspect --format json`).
//! Keys are stable; absent facts are `null`, never missing. Documented in
//! `docs/json-schema.md`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;
use time::OffsetDateTime;

use super::rfc3339;
use record::ClusterJson;
pub(crate) use record::{CredentialJson, LocationJson, ViaValue};

mod record;
use crate::credential::Inventory;
use crate::policy::{Code, Finding, FindingLocation, Severity};

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
        let clusters = Each(&inventory.clusters, |c| ClusterJson::new(c, now));
        map.serialize_entry("clusters", &clusters)?;
        map.serialize_entry("contexts", &inventory.contexts)?;
        let credentials = Each(&inventory.credentials, |r| CredentialJson::new(r, now));
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

/// A list serialized item by item through `F`, never held whole: `F` makes
/// each item's view (a borrowing struct in sorted key order, [`record`]).
pub(crate) struct Each<'a, T, F>(pub(crate) &'a [T], pub(crate) F);

impl<'a, T, V: Serialize, F: Fn(&'a T) -> V> Serialize for Each<'a, T, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(&self.1))
    }
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
        map.serialize_entry("findings", &Each(findings, FindingJson::new))?;
        map.serialize_entry("now", &rfc3339(self.now))?;
        map.serialize_entry("policy", self.policy)?;
        map.serialize_entry("schema", FINDINGS_SCHEMA)?;
        let summary = SummaryJson {
            error: count(Severity::Error),
            info: count(Severity::Info),
            suppressed: findings.iter().filter(|f| !f.is_active()).count(),
            warning: count(Severity::Warning),
        };
        map.serialize_entry("summary", &summary)?;
        map.end()
    }
}

/// One finding, its keys (and its location's) in sorted order.
#[derive(Serialize)]
pub(crate) struct FindingJson<'a> {
    code: Code,
    kind: Option<&'static str>,
    location: FindingLocationJson<'a>,
    message: &'a str,
    name: &'static str,
    platform: &'static str,
    remediation: &'a str,
    severity: &'static str,
    suppressed: Option<SuppressedJson<'a>>,
}

impl<'a> FindingJson<'a> {
    /// The finding's view.
    pub(crate) fn new(f: &'a Finding) -> Self {
        FindingJson {
            code: f.code,
            kind: f.kind.map(|k| k.name()),
            location: FindingLocationJson(&f.location),
            message: &f.message,
            name: f.name(),
            platform: f.platform.name(),
            remediation: &f.remediation,
            severity: f.severity.name(),
            suppressed: f.suppressed.as_ref().map(|s| SuppressedJson {
                expires: s.expires.as_deref(),
                reason: &s.reason,
            }),
        }
    }
}

/// A finding's location; `file` as displayed (lossy for a non-UTF-8 path).
struct FindingLocationJson<'a>(&'a FindingLocation);

impl Serialize for FindingLocationJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Sorted<'a> {
            cluster: Option<&'a str>,
            column: Option<u32>,
            context: Option<&'a str>,
            entry: Option<&'a str>,
            field: Option<&'a str>,
            #[serde(serialize_with = "displayed")]
            file: &'a Path,
            line: Option<u32>,
            user: Option<&'a str>,
        }
        let l = self.0;
        Sorted {
            cluster: l.cluster.as_deref(),
            column: l.column,
            context: l.context.as_deref(),
            entry: l.entry.as_deref(),
            field: l.field.as_deref(),
            file: &l.file,
            line: l.line,
            user: l.user.as_deref(),
        }
        .serialize(serializer)
    }
}

/// A path as `Path::display` shows it.
fn displayed<S: Serializer>(path: &&Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&path.display())
}

/// Why a finding is suppressed.
#[derive(Serialize)]
struct SuppressedJson<'a> {
    expires: Option<&'a str>,
    reason: &'a str,
}

/// The active findings by severity, and how many are suppressed.
#[derive(Serialize)]
struct SummaryJson {
    error: usize,
    info: usize,
    suppressed: usize,
    warning: usize,
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) use tests::corpus_findings;
