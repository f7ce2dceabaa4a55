//! `kcred scan`: one row per credential with its file and line, then the files
//! skipped and the problems; and the versioned JSON form.

use std::fmt::Write;

use serde_json::{json, Value};
use time::OffsetDateTime;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::json::{CredentialJson, Each, FindingsDocument, LocationJson, ViaValue};
use super::rfc3339;
use super::table::{expires, remaining};
use super::text::{cell_in, column_widths, escape_text, pad, GAP};
use crate::credential::CredentialRecord;
use crate::error::Error;
use crate::policy::Finding;
use crate::scan::{skip_reason_text, ScanReport, Unreadable};

/// Schema identifier of the scan document.
pub const SCAN_SCHEMA: &str = "kcred.scan/v1";

fn place(r: &CredentialRecord) -> String {
    match r.location.line {
        Some(line) => format!("{}:{line}", r.location.file.display()),
        None => r.location.file.display().to_string(),
    }
}

/// What the record is: the kubeconfig user, or the object and field.
fn what(r: &CredentialRecord) -> String {
    let l = &r.location;
    let inner = match (&l.entry, &l.field) {
        (Some(e), Some(f)) => format!("{e} {f}"),
        (Some(e), None) => e.clone(),
        (None, Some(f)) => f.clone(),
        (None, None) => String::new(),
    };
    if r.user.is_empty() || inner.contains("users[") {
        inner
    } else {
        format!("{inner} (user {})", r.user)
    }
}

/// Credentials (LOCATION file:line, WHAT, KIND, IDENTITY, EXPIRES, REMAINING,
/// STATUS), then skipped files and problems, then a count line. The table
/// fits in `width` (`None`: every cell whole), as [`crate::inventory_table`]'s do.
pub fn scan_table(report: &ScanReport, now: OffsetDateTime, width: Option<usize>) -> String {
    let header = [
        "LOCATION",
        "WHAT",
        "KIND",
        "IDENTITY",
        "EXPIRES",
        "REMAINING",
        "STATUS",
    ];
    let rows: Vec<[String; 7]> = report
        .inventory
        .credentials
        .iter()
        .map(|r| {
            let status = r.status(now);
            [
                place(r),
                what(r),
                r.kind().name().to_owned(),
                r.identity(),
                expires(r.validity()),
                remaining(status),
                status.name().to_owned(),
            ]
        })
        .collect();
    // LOCATION (file:line) is what a reader acts on: never cut.
    let widths = column_widths(&header, &["WHAT", "IDENTITY"], &rows, width);
    let mut out = String::new();
    let head = header.map(str::to_owned);
    for row in std::iter::once(&head).chain(&rows) {
        let mut line = String::new();
        for (c, &width) in row.iter().zip(&widths) {
            pad(&mut line, &cell_in(c, width), width);
            line.extend(std::iter::repeat_n(' ', GAP));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(out, "\n{} file(s) skipped:", report.skipped.len());
        for s in &report.skipped {
            let line = format!("{}: {}", s.file.display(), skip_reason_text(&s.reason));
            let _ = writeln!(out, "  {}", escape_text(&line));
        }
    }
    if !report.unreadable.is_empty() {
        let _ = writeln!(
            out,
            "\n{} credential-looking input(s) not fully read (KC905):",
            report.unreadable.len()
        );
        for u in &report.unreadable {
            let line = format!("{}: {}: {}", u.location, u.looks_like, u.reason);
            let _ = writeln!(out, "  {}", escape_text(&line));
        }
    }
    if !report.inventory.problems.is_empty() {
        let _ = writeln!(out, "\n{} problem(s):", report.inventory.problems.len());
        for p in &report.inventory.problems {
            let _ = writeln!(out, "  {}", escape_text(&p.to_string()));
        }
    }
    let _ = writeln!(
        out,
        "\n{} credential(s) in {} file(s) scanned",
        report.inventory.credentials.len(),
        report.files_scanned
    );
    out
}

/// The scan as a JSON document: `schema`, `now`, `files_scanned`,
/// `credentials` (the inventory form, each with its `location`), `skipped`
/// (`file`, `reason`, `limit`/`detail`/`problem`), `unreadable` (`location`,
/// `looks_like`, `reason`: what looks like a credential but was not read) and
/// `problems`.
///
/// ```
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let doc = kcred_core::scan_json(&kcred_core::ScanReport::default(), now);
/// assert_eq!(doc["schema"], "kcred.scan/v1");
/// ```
pub fn scan_json(report: &ScanReport, now: OffsetDateTime) -> Value {
    json!({
        "schema": SCAN_SCHEMA,
        "now": rfc3339(now),
        "files_scanned": report.files_scanned,
        "credentials": Each(&report.inventory.credentials, |r| CredentialJson::new(r, now)),
        "skipped": report.skipped,
        "unreadable": report.unreadable,
        "problems": report.inventory.problems,
    })
}

/// Writes [`scan_json`] with `findings` (the [`crate::findings_json`] document of
/// `policy`) under the key `findings`, as it goes: a scan of a tree with
/// hundreds of thousands of credentials does not hold its JSON tree in memory.
///
/// ```
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let report = kcred_core::ScanReport::default();
/// let mut out = Vec::new();
/// kcred_core::write_scan_json(&report, &[], "baseline", now, &mut out).unwrap();
/// let mut doc = kcred_core::scan_json(&report, now);
/// doc["findings"] = kcred_core::findings_json(&[], "baseline", now);
/// assert_eq!(serde_json::from_slice::<serde_json::Value>(&out).unwrap(), doc);
/// ```
pub fn write_scan_json(
    report: &ScanReport,
    findings: &[Finding],
    policy: &str,
    now: OffsetDateTime,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let document = ScanDocument {
        report,
        findings: FindingsDocument {
            findings,
            policy,
            now,
        },
        now,
    };
    super::write_pretty(out, &document)
}

/// The scan document; keys in sorted order, as `serde_json::Map` keeps them.
struct ScanDocument<'a> {
    report: &'a ScanReport,
    findings: FindingsDocument<'a>,
    now: OffsetDateTime,
}

impl Serialize for ScanDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let now = self.now;
        let report = self.report;
        let mut map = serializer.serialize_map(None)?;
        let credentials = Each(&report.inventory.credentials, |r| {
            CredentialJson::new(r, now)
        });
        map.serialize_entry("credentials", &credentials)?;
        map.serialize_entry("files_scanned", &report.files_scanned)?;
        map.serialize_entry("findings", &self.findings)?;
        map.serialize_entry("now", &rfc3339(now))?;
        // Keys sorted at every level, as in `scan_json`.
        let problems = Each(&report.inventory.problems, ProblemJson);
        map.serialize_entry("problems", &problems)?;
        map.serialize_entry("schema", SCAN_SCHEMA)?;
        // A skip's keys depend on its reason: through its `Value`.
        map.serialize_entry("skipped", &Each(&report.skipped, ViaValue))?;
        map.serialize_entry("unreadable", &Each(&report.unreadable, UnreadableJson))?;
        map.end()
    }
}

/// A problem as in `scan_json`: `kind`, `location`, `message`.
struct ProblemJson<'a>(&'a Error);

impl Serialize for ProblemJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("kind", self.0.kind())?;
        map.serialize_entry("location", &self.0.location().map(LocationJson))?;
        map.serialize_entry("message", &self.0.to_string())?;
        map.end()
    }
}

/// Input that looks like a credential but was not read: `location`,
/// `looks_like`, `reason`.
struct UnreadableJson<'a>(&'a Unreadable);

impl Serialize for UnreadableJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let u = self.0;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("location", &LocationJson(&u.location))?;
        map.serialize_entry("looks_like", &u.looks_like)?;
        map.serialize_entry("reason", &u.reason)?;
        map.end()
    }
}
