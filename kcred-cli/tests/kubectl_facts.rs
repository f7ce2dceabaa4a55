//! End-to-end tests of the facts kcred must state as kubectl does (issue 14):
//! the current context, `user: {}`, what client-go refuses or reads otherwise
//! than written, multi-document files, files that are not kubeconfigs, and the
//! words of every such problem (snapshot `kubectl_facts__messages`).

use std::path::Path;
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{b64, TempDir, NOW};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    let home = TempDir::new("facts-home");
    kcred!().args(args).clean_env(&home).output()
}

fn inspect(config: &Path, extra: &[&str]) -> Output {
    let path = config.to_str().unwrap();
    run(&[&["inspect", "--kubeconfig", path, "--now", NOW][..], extra].concat())
}

/// `kcred check` of `config` with the default policy.
fn check(config: &Path) -> Output {
    run(&[
        "check",
        "--kubeconfig",
        config.to_str().unwrap(),
        "--now",
        NOW,
    ])
}

/// The inventory's one problem is `kind` with `message` after `config`'s path.
fn only_problem(config: &Path, kind: &str, message: &str) -> Value {
    let d = doc(&inspect(config, &["--format", "json"]));
    let want = format!("{kind}: {}: {message}", config.display());
    assert_eq!(problem_messages(&d), [want]);
    d
}

fn doc(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn problem_messages(doc: &Value) -> Vec<String> {
    doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p["kind"].as_str().unwrap(),
                p["message"].as_str().unwrap()
            )
        })
        .collect()
}

const CONTEXTS: &str = "\
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: https://c.example}
users:
- name: u
  user: {token: an-opaque-token}
- name: anon
  user: {}
contexts:
- name: dev
  context: {cluster: c, user: u, namespace: team-a}
- name: guest
  context: {cluster: c, user: anon}
current-context: dev
";

#[test]
fn the_current_context_and_the_contexts_are_listed_like_get_contexts() {
    let dir = TempDir::new("facts");
    let config = dir.write("config", CONTEXTS);
    let out = inspect(&config, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let d = doc(&out);
    assert_eq!(d["current_context"], "dev");
    assert_eq!(
        d["contexts"],
        serde_json::json!([
            {"name": "dev", "cluster": "c", "user": "u", "namespace": "team-a"},
            {"name": "guest", "cluster": "c", "user": "anon", "namespace": null},
        ])
    );
    // `user: {}` is a credential of kind none, reported like any other
    let anon: Vec<&Value> = d["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["user"] == "anon")
        .collect();
    assert_eq!(anon.len(), 1);
    assert_eq!(anon[0]["kind"], "none");
    assert_eq!(anon[0]["identity"], "(anonymous)");
    assert_eq!(anon[0]["contexts"], serde_json::json!(["guest"]));
    assert!(d["problems"].as_array().unwrap().is_empty(), "{d}");

    let out = inspect(&config, &[]);
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    let rows: Vec<Vec<&str>> = table
        .split("\n\n")
        .find(|s| s.starts_with("CURRENT"))
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"],
            vec!["*", "dev", "c", "u", "team-a"],
            vec!["guest", "c", "anon"],
        ]
    );
    assert!(table.contains("anon   none"), "{table}");
}

#[test]
fn a_current_context_naming_nothing_is_kept_and_reported() {
    let dir = TempDir::new("facts");
    let config = dir.write(
        "config",
        CONTEXTS.replace("current-context: dev", "current-context: gone"),
    );
    let d = only_problem(
        &config,
        "missing-reference",
        "current-context: refers to context \"gone\", which is not defined",
    );
    assert_eq!(d["current_context"], "gone");
    let out = check(&config);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("KC902"));
}

#[test]
fn a_file_that_is_not_a_kubeconfig_is_kc902() {
    let dir = TempDir::new("facts");
    let exec = dir.write(
        "exec.json",
        r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"CANARY-x"}}"#,
    );
    only_problem(
        &exec,
        "syntax",
        "not a valid kubeconfig (no users, clusters or contexts: an ExecCredential)",
    );
    let out = check(&exec);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error KC902 invalid-kubeconfig"), "{text}");
    assert!(!text.contains("CANARY"), "{text}");
}

#[test]
fn a_json_run_that_read_nothing_still_writes_the_document() {
    let out = run(&[
        "inspect",
        "--kubeconfig",
        "/no/such/kubeconfig",
        "--format",
        "json",
        "--now",
        NOW,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let d = doc(&out);
    assert_eq!(d["schema"], "kcred.inventory/v1");
    assert_eq!(d["credentials"], serde_json::json!([]));
    assert_eq!(d["problems"][0]["kind"], "io");
    // the table form still fails on stderr, as before
    let out = run(&[
        "inspect",
        "--kubeconfig",
        "/no/such/kubeconfig",
        "--now",
        NOW,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn token_and_token_file_report_both_the_file_first() {
    let dir = TempDir::new("facts");
    dir.write("token", "file-token-value\n");
    let config = dir.write(
        "config",
        "users:\n- name: u\n  user:\n    token: inline-token-value\n    tokenFile: token\n",
    );
    let d = doc(&inspect(&config, &["--format", "json"]));
    let tokens: Vec<(String, bool)> = d["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["location"]["field"].as_str().unwrap().to_owned(),
                c["details"]["fallback"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tokens,
        [("tokenFile".to_owned(), false), ("token".to_owned(), true)]
    );
    let text = d.to_string();
    assert!(!text.contains("token-value"), "{text}");
}

/// The words of every problem kcred reports for what kubectl refuses or reads
/// otherwise than written, snapshotted.
#[test]
fn messages() {
    let dir = TempDir::new("facts");
    let config = dir.write(
        "config",
        "\
apiVersion: v1
kind: Config
clusters:
- name: no-server
  cluster: {certificate-authority: ca.crt, certificate-authority-data: eA==}
contexts:
- name: half
  context: {cluster: no-server}
users:
- name: exec-and-provider
  user:
    exec: {env: [{value: v}], interactiveMode: Sometimes}
    auth-provider: {name: oidc}
- name: old-exec
  user:
    exec: {command: tool, apiVersion: client.authentication.k8s.io/v1alpha1}
    as-groups: [admins]
- name: both-forms
  user: {client-key: k.pem, client-key-data: eA==}
current-context: missing
---
kind: Secret
",
    );
    let d = doc(&inspect(&config, &["--format", "json"]));
    let prefix = format!("{}", config.display());
    let shown: Vec<String> = problem_messages(&d)
        .iter()
        .map(|m| m.replace(&prefix, "config"))
        .collect();
    insta::assert_snapshot!("messages", shown.join("\n"));
}

/// The words of certificate, file and policy problems, snapshotted: "not
/// PEM", "PEM with a truncated body" and "PEM around bytes that are not a
/// certificate" told apart; a missing file; a mistyped policy key.
#[test]
fn decoding_messages() {
    let dir = TempDir::new("facts");
    let user = |name: &str, data: &str| {
        format!("- name: {name}\n  user:\n    client-certificate-data: {data}\n")
    };
    let config = dir.write(
        "config",
        format!(
            "kind: Config\nusers:\n{}{}{}- name: gone\n  user:\n    tokenFile: no-such-token\n",
            user("not-pem", &b64("just some bytes")),
            user("truncated", &b64("-----BEGIN CERTIFICATE-----\nMIIB")),
            user(
                "not-a-cert",
                &b64("-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n")
            ),
        ),
    );
    let d = doc(&inspect(&config, &["--format", "json"]));
    let prefix = format!("{}", dir.path().display());
    let mut shown: Vec<String> = problem_messages(&d)
        .iter()
        .map(|m| m.replace(&prefix, "DIR"))
        .collect();
    let policy = dir.write(
        "policy.yaml",
        "version: 1\nrules:\n  expired:\n    severty: error\n",
    );
    let out = run(&[
        "check",
        "--kubeconfig",
        config.to_str().unwrap(),
        "--policy",
        policy.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    shown.push(
        String::from_utf8_lossy(&out.stderr)
            .trim()
            .replace(&prefix, "DIR"),
    );
    let out = run(&[
        "inspect",
        "--kubeconfig",
        dir.path().join("nope").to_str().unwrap(),
    ]);
    shown.push(
        String::from_utf8_lossy(&out.stderr)
            .trim()
            .replace(&prefix, "DIR"),
    );
    insta::assert_snapshot!("decoding_messages", shown.join("\n"));
}
