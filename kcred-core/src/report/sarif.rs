//! SARIF 2.1.0 for code-scanning upload: only the rules that fired, sorted by
//! code, each with its help text; one result per finding with a physical
//! location (file, 1-based line). Suppressed findings carry a SARIF suppression.

use std::io::Write;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{json, Value};

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

/// A file path as a URI reference: `/` separators, and the characters that
/// would end or break a URI path percent-encoded.
fn uri(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '[' => out.push_str("%5B"),
            ']' => out.push_str("%5D"),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The findings as a SARIF 2.1.0 log with one run of tool `kcred`.
///
/// ```
/// let log = kcred_core::findings_sarif(&[]);
/// assert_eq!(log["version"], "2.1.0");
/// assert_eq!(log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len(), 0);
/// ```
pub fn findings_sarif(findings: &[Finding]) -> Value {
    serde_json::to_value(SarifLog::new(findings)).unwrap_or(Value::Null)
}

/// Writes the same log as [`findings_sarif`], pretty-printed, one result at a
/// time: 100,000 findings never need the whole JSON tree in memory.
///
/// ```
/// let mut out = Vec::new();
/// kcred_core::write_findings_sarif(&[], &mut out).unwrap();
/// let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(log, kcred_core::findings_sarif(&[]));
/// ```
pub fn write_findings_sarif(findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    super::write_pretty(out, &SarifLog::new(findings))
}

/// The log; keys in sorted order, as `serde_json::Map` keeps them.
struct SarifLog<'a> {
    findings: &'a [Finding],
    /// Codes of the rules that fired, sorted: `ruleIndex` points into it.
    codes: Vec<Code>,
}

impl<'a> SarifLog<'a> {
    fn new(findings: &'a [Finding]) -> Self {
        let mut codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
        codes.sort_unstable();
        codes.dedup();
        SarifLog { findings, codes }
    }

    fn rules(&self) -> Vec<Value> {
        self.codes
            .iter()
            .map(|c| c.rule())
            .map(|r| {
                json!({
                    "id": r.code,
                    "name": r.name,
                    "shortDescription": { "text": r.summary },
                    "fullDescription": { "text": r.what },
                    "help": { "text": r.text(), "markdown": r.markdown() },
                    "defaultConfiguration": { "level": level(r.default_severity) },
                    "properties": { "tags": ["kubernetes", "credentials", r.family.name()] },
                })
            })
            .collect()
    }

    fn result(&self, f: &Finding) -> Value {
        let l = &f.location;
        let mut physical = json!({ "artifactLocation": { "uri": uri(&l.file) } });
        if let Some(line) = l.line.filter(|n| *n >= 1) {
            physical["region"] = json!({ "startLine": line });
        }
        let mut result = json!({
            "ruleId": f.code,
            "ruleIndex": self.codes.binary_search(&f.code).unwrap_or(0),
            "level": level(f.severity),
            "message": { "text": format!("{} Fix: {}", f.message, f.remediation) },
            "properties": {
                "name": f.name(),
                "remediation": f.remediation,
                "platform": f.platform.name(),
                "context": l.context,
                "user": l.user,
                "cluster": l.cluster,
                "field": l.field,
                "kind": f.kind.map(|k| k.name()),
            },
        });
        if !l.file.as_os_str().is_empty() {
            let mut location = json!({ "physicalLocation": physical });
            if let Some(entry) = &l.entry {
                location["logicalLocations"] = json!([{ "fullyQualifiedName": entry }]);
            }
            result["locations"] = json!([location]);
        }
        if let Some(s) = &f.suppressed {
            result["suppressions"] = json!([{ "kind": "external", "justification": s.reason }]);
        }
        result
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
        map.serialize_entry("results", &Each(log.findings, |f: &Finding| log.result(f)))?;
        let tool = json!({ "driver": {
            "name": "kcred",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": log.rules(),
        }});
        map.serialize_entry("tool", &tool)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_escaped() {
        assert_eq!(uri("a b/c#1.yaml".as_ref()), "a%20b/c%231.yaml");
        assert_eq!(uri("/home/x/.kube/config".as_ref()), "/home/x/.kube/config");
    }
}
