//! Byte-identity of the direct SARIF results: the findings of the JSON
//! corpus (`report/json/tests.rs`) are written through [`ResultJson`] and
//! through the `Value` each result was built as before (kept here only).

use serde_json::{json, Value};

use super::*;
use crate::report::json::corpus_findings;

/// A result as a `Value`, as `SarifLog::result` built it.
fn old_result(log: &SarifLog<'_>, f: &Finding) -> Value {
    let l = &f.location;
    let artifact = uri::artifact(&l.file, log.working_folder);
    let mut place = json!({ "uri": artifact.uri });
    if artifact.relative {
        place["uriBaseId"] = json!(uri::SRCROOT);
    }
    let mut physical = json!({ "artifactLocation": place });
    if let Some(line) = l.line.filter(|n| *n >= 1) {
        physical["region"] = json!({ "startLine": line });
        // The field's key, when the location knows where it is written.
        if let Some(column) = l.column.filter(|c| *c >= 1) {
            physical["region"]["startColumn"] = json!(column);
        }
    }
    let mut result = json!({
        "ruleId": f.code,
        "ruleIndex": log.codes.binary_search_by(|c| c.0.cmp(&f.code)).unwrap_or(0),
        "level": level(f.severity),
        "message": { "text": format!("{} Fix: {}", f.message, f.remediation) },
        "partialFingerprints": { SARIF_FINGERPRINT_KEY: fingerprint(f, &artifact.uri) },
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

#[test]
fn results_are_the_bytes_of_the_value_results() {
    let folders = [
        None,
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()),
    ];
    let mut results = 0;
    for findings in corpus_findings() {
        for folder in folders {
            let log = SarifLog::new(&findings, folder);
            for f in &findings {
                results += 1;
                let direct = ResultJson {
                    log: &log,
                    finding: f,
                };
                let old = old_result(&log, f);
                assert_eq!(serde_json::to_value(&direct).unwrap(), old);
                assert_eq!(crate::json_text(&direct), crate::json_text(&old));
            }
            // The whole log: results streamed among `Value` parts.
            let mut bytes = Vec::new();
            write_findings_sarif(&findings, folder, &mut bytes).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            let reparsed: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(text, crate::json_text(&reparsed));
        }
    }
    assert!(results > 400, "only {results} results");
}
