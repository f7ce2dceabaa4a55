//! Findings about a field point at the field's line and column (issue 16):
//! the `token:` line, not the entry's `- name:` line, in the table, JSON and
//! SARIF; block and flow styles; a key of a nested mapping is never taken for
//! the field; JSON input (no entry lines) keeps no line rather than a wrong one.

use kcred_tests::kcred;
use kcred_tests::support::{assert_exit, stdout, TempDir, NOW};

/// `kcred check FILE --format FORMAT` under baseline (an opaque token is
/// KC008 unknown-expiry, a warning: exit 0).
fn check(text: &str, name: &str, format: &str) -> String {
    let dir = TempDir::new("field-lines");
    let file = dir.write(name, text);
    let out = kcred!()
        .env_remove("KUBECONFIG")
        .current_dir(dir.path())
        .args([
            "check", "--now", NOW, "--policy", "baseline", "--format", format,
        ])
        .arg(file.file_name().unwrap())
        .output();
    assert_exit(&out, 0);
    stdout(&out)
}

/// The KC008 finding's (line, column) in the JSON document.
fn kc008(text: &str, name: &str) -> (serde_json::Value, serde_json::Value) {
    let doc: serde_json::Value = serde_json::from_str(&check(text, name, "json")).unwrap();
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "KC008")
        .unwrap_or_else(|| panic!("no KC008 in {doc}"))
        .clone();
    assert_eq!(f["location"]["field"], "token");
    (
        f["location"]["line"].clone(),
        f["location"]["column"].clone(),
    )
}

/// The token is 5 lines below `- name:`, after a nested `token:` look-alike
/// (`as-user-extra.token`; `as` makes the impersonation valid).
const BLOCK: &str = "\
users:
- name: ci
  user:
    as-user-extra:
      token:
      - look-alike
    token: opaque-static-token
    as: admin
";

#[test]
fn block_style_points_at_the_token_line_in_every_format() {
    assert_eq!(kc008(BLOCK, "config"), (7.into(), 5.into()));
    let table = check(BLOCK, "config", "table");
    assert!(table.contains("config:7: warning KC008"), "{table}");
    let sarif: serde_json::Value = serde_json::from_str(&check(BLOCK, "config", "sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let region = results
        .iter()
        .find(|r| r["ruleId"] == "KC008")
        .map(|r| r["locations"][0]["physicalLocation"]["region"].clone())
        .unwrap();
    assert_eq!(
        region,
        serde_json::json!({"startLine": 7, "startColumn": 5})
    );
}

#[test]
fn flow_style_and_quoted_keys() {
    let flow =
        "users:\n- {name: ci, user: {as-user-extra: {token: [x]}, \"token\": opaque, as: a}}\n";
    assert_eq!(kc008(flow, "config"), (2.into(), 50.into()));
    let nested = "users:\n- name: ci\n  user: {\n    as-user-extra: {token: [x]},\n    token: opaque,\n    as: a\n  }\n";
    assert_eq!(kc008(nested, "config"), (5.into(), 5.into()));
}

#[test]
fn a_nested_look_alike_alone_is_never_the_field() {
    // No `token:` of the user's own before the nested one: the nested key's
    // line must not be taken, and the field found is the real one.
    let text = "users:\n- name: ci\n  user:\n    token: opaque\n    as: a\n    as-user-extra:\n      token: [x]\n";
    assert_eq!(kc008(text, "config"), (4.into(), 5.into()));
}

#[test]
fn json_input_keeps_no_line_rather_than_a_wrong_one() {
    let pretty = "{\n  \"users\": [\n    {\n      \"name\": \"ci\",\n      \"user\": {\n        \"as-user-extra\": {\"token\": [\"x\"]},\n        \"token\": \"opaque\",\n        \"as\": \"a\"\n      }\n    }\n  ]\n}\n";
    let one_line = "{\"users\": [{\"name\": \"ci\", \"user\": {\"token\": \"opaque\"}}]}";
    for text in [pretty, one_line] {
        let (line, column) = kc008(text, "config.json");
        assert_eq!(
            (line, column),
            (serde_json::Value::Null, serde_json::Value::Null)
        );
    }
}
