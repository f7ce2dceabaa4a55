//! A history scan in each format: the scan renderers' output with the places
//! added (table: a HISTORY section; JSON: a `history` key per credential and
//! one for the walk; SARIF: the commit, path and places in each result's
//! `properties`, the artifact named by its path). Prometheus is the scan's.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Value};
use time::OffsetDateTime;

use super::{HistoryCredential, HistoryReport};
use crate::policy::Finding;
use crate::report::{escape_text, findings_json, findings_sarif, scan_json, scan_table};

/// How many places the table lists per credential before "and N more".
const TABLE_PLACES: usize = 5;

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// The scan table, then HISTORY: per credential whether `HEAD` still holds
/// it and where it appears (commit, path), then what the walk covered.
pub fn history_table(report: &HistoryReport, now: OffsetDateTime, width: Option<usize>) -> String {
    let mut out = scan_table(&report.scan, now, width);
    if !report.credentials.is_empty() {
        out.push_str("\nHISTORY\n");
    }
    for c in &report.credentials {
        let shown = c.location.file.display().to_string();
        let line = c.location.line.map(|n| format!(":{n}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "{}{line}  in HEAD: {}",
            escape_text(&shown),
            yes_no(c.in_head)
        );
        for p in c.places.iter().take(TABLE_PLACES) {
            let head = if p.in_head { "  (in HEAD)" } else { "" };
            let _ = writeln!(
                out,
                "  {}  {}{head}",
                &p.commit[..12.min(p.commit.len())],
                escape_text(&p.path)
            );
        }
        if c.places.len() > TABLE_PLACES {
            let _ = writeln!(out, "  and {} more places", c.places.len() - TABLE_PLACES);
        }
        if let Some(key) = &c.key {
            let shown = key.location.file.display().to_string();
            let (shown, head) = (escape_text(&shown), yes_no(key.in_head));
            let _ = writeln!(out, "  its key: {shown}  in HEAD: {head}");
        }
    }
    let _ = writeln!(
        out,
        "history: {} commits, {} distinct blobs ({} bytes) examined",
        report.commits, report.blobs, report.blob_bytes
    );
    out
}

fn places_json(c: &HistoryCredential) -> Value {
    let mut doc = json!({ "in_head": c.in_head, "places": c.places });
    if let Some(key) = &c.key {
        doc["key"] = places_json(key);
    }
    doc
}

/// The scan document (schema kcred.scan/v1) with `findings`, a `history` key
/// on each credential (`in_head`, `places`: `commit`, `path`, `in_head`) and a
/// top-level `history` (`commits`, `blobs`, `blob_bytes`, `since`).
pub fn history_json(
    report: &HistoryReport,
    findings: &[Finding],
    policy: &str,
    since: Option<&str>,
    now: OffsetDateTime,
) -> Value {
    let mut doc = scan_json(&report.scan, now);
    doc["findings"] = findings_json(findings, policy, now);
    if let Some(list) = doc["credentials"].as_array_mut() {
        for (item, c) in list.iter_mut().zip(&report.credentials) {
            item["history"] = places_json(c);
        }
    }
    doc["history"] = json!({
        "commits": report.commits,
        "blobs": report.blobs,
        "blob_bytes": report.blob_bytes,
        "since": since,
    });
    doc
}

/// Writes [`history_json`] as every JSON output is written.
pub fn write_history_json(
    report: &HistoryReport,
    findings: &[Finding],
    policy: &str,
    since: Option<&str>,
    now: OffsetDateTime,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let doc = history_json(report, findings, policy, since, now);
    crate::report::write_pretty(out, &doc)
}

/// The findings' SARIF log; a result from history carries `commit`, `path`,
/// `inHead` and `places` in its `properties`, and its artifact is the path
/// (without the `@commit` the report's file names add).
pub fn history_sarif(
    report: &HistoryReport,
    findings: &[Finding],
    working_folder: Option<&Path>,
) -> Value {
    let mut log = findings_sarif(findings, working_folder);
    let Some(results) = log
        .pointer_mut("/runs/0/results")
        .and_then(Value::as_array_mut)
    else {
        return log;
    };
    for (result, f) in results.iter_mut().zip(findings) {
        let Some(c) = report.places_of_file(&f.location.file) else {
            continue;
        };
        let Some(first) = c.places.first() else {
            continue;
        };
        let props = &mut result["properties"];
        props["commit"] = json!(first.commit);
        props["path"] = json!(first.path);
        props["inHead"] = json!(c.in_head);
        props["places"] = json!(c.places);
        let uri = result.pointer_mut("/locations/0/physicalLocation/artifactLocation/uri");
        if let Some(uri) = uri {
            let text = uri.as_str().unwrap_or_default().to_owned();
            let suffix = format!("@{}", &first.commit[..12.min(first.commit.len())]);
            if let Some(stripped) = text.strip_suffix(&suffix) {
                *uri = json!(stripped);
            }
        }
    }
    log
}

/// Writes [`history_sarif`] as every SARIF output is written.
pub fn write_history_sarif(
    report: &HistoryReport,
    findings: &[Finding],
    working_folder: Option<&Path>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    crate::report::write_pretty(out, &history_sarif(report, findings, working_folder))
}
