//! End-to-end tests of `kcred inspect`: the real binary, real fixture files,
//! a fixed `--now`, and a clean environment (HOME and KUBECONFIG set per test).

use std::path::{Path, PathBuf};
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{repo, strings_at, TempDir, NOW};
use serde_json::Value;

fn kcred(args: &[&str], envs: &[(&str, &Path)]) -> Output {
    let home = TempDir::new("cli-home");
    let mut cmd = kcred!().args(args).clean_env(&home);
    for (k, v) in envs {
        cmd = cmd.env(k, v);
    }
    cmd.output()
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `kcred inspect --kubeconfig CONFIG` at NOW, plus `extra` arguments.
fn inspect_at(config: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["inspect", "--kubeconfig", config.to_str().unwrap()];
    args.extend_from_slice(&["--now", NOW]);
    args.extend_from_slice(extra);
    kcred(&args, &[])
}

/// `kcred inspect` on the bundled demo at NOW, plus `extra` arguments.
fn inspect_demo(extra: &[&str]) -> Output {
    inspect_at(&repo().join("examples/kubeconfigs/demo.yaml"), extra)
}

#[test]
fn demo_inventory_as_json() {
    let doc = json(&inspect_demo(&["--format", "json"]));
    assert_eq!(doc["schema"], "kcred.inventory/v1");
    assert_eq!(doc["now"], NOW);
    let creds = doc["credentials"].as_array().unwrap();
    let summary: Vec<(String, String, String)> = creds
        .iter()
        .map(|c| {
            (
                c["user"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let admin = "clusterAdmin_rg-platform_aks-prod-weu".to_owned();
    assert!(summary.contains(&(admin.clone(), "client-certificate".into(), "valid".into())));
    assert!(summary.contains(&(admin.clone(), "token".into(), "unknown".into())));
    assert!(summary.contains(&("ci-deployer".into(), "token".into(), "expired".into())));
    let cert = creds
        .iter()
        .find(|c| c["user"] == admin.as_str() && c["kind"] == "client-certificate")
        .unwrap();
    assert_eq!(cert["not_after"], "2027-09-23T00:00:00Z");
    assert_eq!(cert["remaining_seconds"], 630 * 86_400);
    assert_eq!(cert["platform"], "aks");
    assert_eq!(
        cert["details"]["certificate"]["organizations"][0],
        "system:masters"
    );
    assert_eq!(cert["location"]["entry"], format!("users[{admin}]"));
    assert!(cert["location"]["line"].as_u64().unwrap() > 1);
    let expired = creds.iter().find(|c| c["user"] == "ci-deployer").unwrap();
    assert_eq!(expired["remaining_seconds"], -3600);
    // Every key is present in every record, null when unknown.
    for c in creds {
        for key in [
            "not_before",
            "not_after",
            "remaining_seconds",
            "lifetime_seconds",
            "impersonation",
            "unknown_reason",
        ] {
            assert!(c.get(key).is_some(), "{key} missing");
        }
    }
}

#[test]
fn table_shows_remaining_and_status() {
    // Every cell whole: at 80 columns the identity is shortened.
    let out = inspect_demo(&["--wide"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("CONTEXTS"));
    let row = text
        .lines()
        .find(|l| l.contains("CN=masterclient"))
        .unwrap();
    assert!(row.contains("630d") && row.ends_with("valid"), "{row}");
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
    let coloured = inspect_demo(&["--color", "always"]);
    assert!(String::from_utf8(coloured.stdout)
        .unwrap()
        .contains("\u{1b}[32mvalid"));
}

#[test]
fn kubeconfig_env_merges_like_kubectl() {
    let a = repo().join("tests/data/platforms/kind/config");
    let b = repo().join("tests/data/platforms/sa-bound/config");
    let joined = std::env::join_paths([&a, &PathBuf::from("/nonexistent/config"), &b]).unwrap();
    let joined = PathBuf::from(joined);
    let doc = json(&kcred(
        &["inspect", "--now", NOW, "--format", "json"],
        &[("KUBECONFIG", &joined)],
    ));
    let users = strings_at(&doc["credentials"], "user");
    assert_eq!(users, ["kind-kind", "deployer"]);
    assert_eq!(doc["files"].as_array().unwrap().len(), 2);
}

#[test]
fn context_filter_and_errors_exit_2() {
    let demo = repo().join("examples/kubeconfigs/demo.yaml");
    let doc = json(&inspect_demo(&[
        "--format",
        "json",
        "--context",
        "kind-kind",
    ]));
    assert_eq!(doc["credentials"].as_array().unwrap().len(), 1);
    let out = kcred(
        &[
            "inspect",
            "--kubeconfig",
            demo.to_str().unwrap(),
            "--context",
            "nope",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"nope\""));
    let out = kcred(&["inspect", "--kubeconfig", "/nonexistent/kubeconfig"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/kubeconfig"));
    let out = kcred(&["inspect", "--now", "tomorrow"], &[]);
    assert_eq!(out.status.code(), Some(2));
    // No KUBECONFIG and an empty HOME: nothing to read.
    let out = kcred(&["inspect"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

/// Users whose certificate, key and token files are not there.
const MISSING_REFERENCES: &str = "apiVersion: v1\nkind: Config\nusers:\n- name: cert\n  user:\n    client-certificate: gone.crt\n    client-key: gone.key\n- name: tok\n  user:\n    tokenFile: gone.token\n";

#[test]
fn a_missing_referenced_file_reads_missing_file_not_undecodable() {
    let dir = TempDir::new("missing-ref");
    let config = dir.write("config", MISSING_REFERENCES);
    let out = inspect_at(&config, &["--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    for c in doc["credentials"].as_array().unwrap() {
        assert_eq!(c["status"], "unknown", "{c}");
        assert_eq!(c["unknown_reason"], "missing-file", "{c}");
        assert_eq!(c["identity"], "(missing file)", "{c}");
        assert_eq!(c["details"]["unread"], "missing-file", "{c}");
    }
    let kinds = strings_at(&doc["problems"], "kind");
    assert_eq!(kinds, ["missing-file"; 3]);
    let out = inspect_at(&config, &["--wide"]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(table.matches("(missing file)").count(), 2, "{table}");
    assert!(!table.contains("undecodable"), "{table}");
}
