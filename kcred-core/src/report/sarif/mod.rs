//! SARIF 2.1.0 for code-scanning upload (GitHub code scanning places it):
//! only the rules that fired, sorted by code, each with its help text, its
//! `helpUri` (the rule's section of docs/rules.md), `security-severity` and
//! tags; one result per finding with a physical location (file relative to
//! `%SRCROOT%` when under the working folder, 1-based line) and a
//! `partialFingerprints` entry that stays the same when lines move.
//! Suppressed findings carry a SARIF suppression.

mod result;
#[cfg(test)]
mod tests;
mod uri;

use std::io::Write;
use std::path::Path;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{json, Value};

use self::result::ResultJson;
use super::json::Each;

use crate::policy::{Code, Finding, Severity};

/// The SARIF `version`.
pub const SARIF_VERSION: &str = "2.1.0";
const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The repository: `tool.driver.informationUri`, and the base of each rule's `helpUri`.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The `partialFingerprints` key of kcred's fingerprint (its version).
pub const SARIF_FINGERPRINT_KEY: &str = "kcredFinding/v1";

/// GitHub's `security-severity` of a severity (a number as a string; GitHub
/// reads 7.0–8.9 as high, 4.0–6.9 as medium, 0.1–3.9 as low).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

/// The findings as a SARIF 2.1.0 log with one run of tool `kcred`.
/// `working_folder` (absolute; the CLI passes its current folder) is where
/// `%SRCROOT%` points: files under it get URIs relative to it, others
/// absolute `file://` URIs. Without one, relative paths stay relative to
/// `%SRCROOT%` and the run has no `originalUriBaseIds`.
///
/// ```
/// let log = kcred_core::findings_sarif(&[], Some("/work/repo".as_ref()));
/// assert_eq!(
///     log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
///     "file:///work/repo/"
/// );
/// assert_eq!(log["version"], "2.1.0");
/// assert_eq!(log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len(), 0);
/// ```
pub fn findings_sarif(findings: &[Finding], working_folder: Option<&Path>) -> Value {
    serde_json::to_value(SarifLog::new(findings, working_folder)).unwrap_or(Value::Null)
}

/// Writes the same log as [`findings_sarif`], pretty-printed, one result at a
/// time: 100,000 findings never need the whole JSON tree in memory.
///
/// ```
/// let mut out = Vec::new();
/// kcred_core::write_findings_sarif(&[], None, &mut out).unwrap();
/// let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(log, kcred_core::findings_sarif(&[], None));
/// ```
pub fn write_findings_sarif(
    findings: &[Finding],
    working_folder: Option<&Path>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    super::write_pretty(out, &SarifLog::new(findings, working_folder))
}

/// The log; keys in sorted order, as `serde_json::Map` keeps them.
struct SarifLog<'a> {
    findings: &'a [Finding],
    /// Codes of the rules that fired, sorted: `ruleIndex` points into it;
    /// each with the highest severity its findings have.
    codes: Vec<(Code, Severity)>,
    /// `%SRCROOT%`.
    working_folder: Option<&'a Path>,
}

impl<'a> SarifLog<'a> {
    fn new(findings: &'a [Finding], working_folder: Option<&'a Path>) -> Self {
        let mut codes: Vec<(Code, Severity)> =
            findings.iter().map(|f| (f.code, f.severity)).collect();
        // Highest severity first within a code, then one entry per code.
        codes.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        codes.dedup_by_key(|c| c.0);
        SarifLog {
            findings,
            codes,
            working_folder,
        }
    }

    fn rules(&self) -> Vec<Value> {
        self.codes
            .iter()
            .map(|&(code, severity)| {
                let r = code.rule();
                json!({
                    "id": r.code,
                    "name": r.name,
                    "shortDescription": { "text": r.summary },
                    "fullDescription": { "text": r.what },
                    "help": { "text": r.text(), "markdown": r.markdown() },
                    "helpUri": help_uri(code),
                    "defaultConfiguration": { "level": level(r.default_severity) },
                    "properties": {
                        "security-severity": security_severity(severity),
                        "tags": ["security", r.family.name(), "kubernetes", "credentials"],
                    },
                })
            })
            .collect()
    }
}

impl Serialize for SarifLog<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("$schema", SARIF_SCHEMA)?;
        map.serialize_entry("runs", &[SarifRun(self)])?;
        map.serialize_entry("version", SARIF_VERSION)?;
        map.end()
    }
}

/// The one run: `columnKind`, `results` (streamed), `tool`.
struct SarifRun<'a, 'b>(&'a SarifLog<'b>);

impl Serialize for SarifRun<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let log = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("columnKind", "unicodeCodePoints")?;
        if let Some(folder) = log.working_folder.and_then(uri::folder_uri) {
            let base = json!({ uri::SRCROOT: { "uri": folder } });
            map.serialize_entry("originalUriBaseIds", &base)?;
        }
        let results = Each(log.findings, |finding| ResultJson { log, finding });
        map.serialize_entry("results", &results)?;
        let tool = json!({ "driver": {
            "name": "kcred",
            "informationUri": REPOSITORY,
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": log.rules(),
        }});
        map.serialize_entry("tool", &tool)?;
        map.end()
    }
}

/// The rule's section of docs/rules.md: its heading `## KC101 irrevocable-admin`
/// is the anchor `#kc101-irrevocable-admin`.
fn help_uri(code: Code) -> String {
    format!(
        "{REPOSITORY}/blob/main/docs/rules.md#{}-{}",
        code.as_str().to_ascii_lowercase(),
        code.name()
    )
}

/// What identifies a finding across runs, whatever its line and message (a
/// remaining time changes every run): the rule, the file (as its URI, so the
/// same under any checkout folder), the entry and the field; the context, user
/// and cluster too, for a finding with no entry. SHA-256, hex.
fn fingerprint(f: &Finding, file_uri: &str) -> String {
    let l = &f.location;
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let parts = [
        Some(f.code.as_str()),
        Some(file_uri),
        l.entry.as_deref(),
        l.field.as_deref(),
        l.context.as_deref().filter(|_| l.entry.is_none()),
        l.user.as_deref().filter(|_| l.entry.is_none()),
        l.cluster.as_deref().filter(|_| l.entry.is_none()),
    ];
    for part in parts {
        // Length-prefixed: no two lists of parts hash the same bytes.
        let part = part.unwrap_or("");
        ctx.update(&u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
        ctx.update(part.as_bytes());
    }
    ctx.finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
