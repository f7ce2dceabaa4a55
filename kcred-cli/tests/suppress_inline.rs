//! `# kcred: ignore[CODE] reason: ..., until DATE` comments in a kubeconfig:
//! they suppress findings of that entry like policy suppressions, an expired
//! one is KC910, and one that says no suppression is a KC902 problem.

use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{assert_exit, stdout, Run, TempDir, NOW};

/// An opaque static token: KC008 unknown-expiry, a warning.
fn config(comment: &str) -> String {
    format!("users:\n{comment}\n- name: ci\n  user:\n    token: CANARY-7f3a-token # kcred: ignore[KC007] reason: the token line's own comment\n")
}

/// `kcred check` under baseline, failing on warnings.
fn check_run(extra: &[&str]) -> Run {
    kcred!()
        .env_remove("KUBECONFIG")
        .env("NO_COLOR", "1")
        .args(["check", "--now", NOW, "--policy", "baseline"])
        .args(["--fail-on", "warning"])
        .args(extra)
}

fn check(text: &str, extra: &[&str]) -> Output {
    let dir = TempDir::new("suppress-inline");
    let file = dir.write("config", text);
    check_run(extra).arg(file).output()
}

fn findings(out: &Output) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["findings"].as_array().unwrap().clone()
}

#[test]
fn a_comment_above_the_entry_suppresses_its_finding() {
    let out = check(&config("# nothing"), &["--format", "json"]);
    assert_exit(&out, 1);
    let out = check(
        &config("# kcred: ignore[KC008] reason: legacy CI token, until 2027-03-31"),
        &["--format", "json"],
    );
    assert_exit(&out, 0);
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "KC008");
    assert_eq!(found[0]["suppressed"]["reason"], "legacy CI token");
    assert_eq!(found[0]["suppressed"]["expires"], "2027-04-01T00:00:00Z");
    let out = check(
        &config("# kcred: ignore[unknown-expiry] reason: legacy CI token"),
        &[],
    );
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("1 suppressed"), "{}", stdout(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("CANARY-7f3a"));
}

#[test]
fn an_expired_one_is_kc910_and_suppresses_nothing() {
    let out = check(
        &config(
            "# kcred: ignore[KC008] reason: until the migration \u{202e}gnp.exe, until 2025-06-30",
        ),
        &["--format", "json"],
    );
    assert_exit(&out, 1);
    let found = findings(&out);
    let codes: Vec<&str> = found.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["KC910", "KC008"], "{found:?}");
    assert_eq!(found[0]["location"]["line"], 2);
    assert_eq!(found[0]["location"]["entry"], "users[ci]");
    assert!(found[1]["suppressed"].is_null());
    // The table escapes the comment's text.
    let out = check(
        &config(
            "# kcred: ignore[KC008] reason: until the migration \u{202e}gnp.exe, until 2025-06-30",
        ),
        &[],
    );
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(
        text.contains("KC910") && text.contains("\\u{202e}gnp.exe"),
        "{text}"
    );
    assert!(!text.contains('\u{202e}'));
}

#[test]
fn a_comment_that_says_no_suppression_is_a_problem() {
    for (comment, want) in [
        (
            "# kcred: ignore[KC999] reason: typo",
            "unknown rule \"KC999\"",
        ),
        ("# kcred: ignore[KC008]", "needs a reason"),
        (
            "# kcred: ignore[KC008] reason: x, until tomorrow",
            "neither a date",
        ),
    ] {
        let out = check(&config(comment), &["--format", "json"]);
        assert_exit(&out, 1);
        let found = findings(&out);
        let problem = found.iter().find(|f| f["code"] == "KC902").expect(comment);
        let message = problem["message"].as_str().unwrap();
        assert!(message.contains(want), "{comment}: {message}");
        assert_eq!(problem["location"]["line"], 2);
        // And the finding it meant to silence stays.
        assert!(found
            .iter()
            .any(|f| f["code"] == "KC008" && f["suppressed"].is_null()));
    }
}

#[test]
fn stdin_is_read_for_comments_too() {
    let text = config("# kcred: ignore[KC008] reason: legacy CI token");
    let out = check_run(&["-"])
        .output_with_stdin(text.as_bytes())
        .unwrap();
    assert_exit(&out, 0);
}

#[test]
fn a_cluster_entry_as_kubectl_writes_it_name_last() {
    let text = "clusters:\n# kcred: ignore[KC401] reason: lab cluster, self-signed\n- cluster:\n    server: https://lab.example:6443\n    insecure-skip-tls-verify: true\n  name: lab\n- cluster:\n    server: https://prod.example:6443\n    insecure-skip-tls-verify: true\n  name: prod\nusers: []\n";
    let out = check(text, &["--format", "json"]);
    assert_exit(&out, 1);
    let found = findings(&out);
    let kc401: Vec<(&str, bool)> = found
        .iter()
        .filter(|f| f["code"] == "KC401")
        .map(|f| {
            let entry = f["location"]["entry"].as_str().unwrap();
            (entry, f["suppressed"].is_null())
        })
        .collect();
    assert_eq!(kc401, [("clusters[lab]", false), ("clusters[prod]", true)]);
}
