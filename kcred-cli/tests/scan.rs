//! `kcred scan` on the repository fixture (tests/data/scan/make_repo.py): findings
//! land on the file and line expected.json names (SARIF too), .gitignore'd,
//! binary and oversized files are skipped, a symbolic link loop ends the walk
//! of that branch only, and no secret value reaches any output.

use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{
    assert_exit, assert_valid_sarif, data, read_json, stdout, Run, TempDir, NOW,
};
use serde_json::Value;

fn expected() -> Value {
    read_json(&data("scan/expected.json"))
}

/// Runs `kcred scan repo ...` from tests/data/scan, so paths read `repo/...`.
fn scan(extra: &[&str]) -> Output {
    kcred!()
        .current_dir(data("scan"))
        .args(["scan", "repo", "--now", NOW])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
}

fn canaries() -> Vec<String> {
    let exp = expected();
    let mut out: Vec<String> = exp["canaries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    out.extend(["CANARY".to_owned(), "PRIVATE KEY".to_owned()]);
    out
}

fn assert_no_secret(text: &str) {
    for c in canaries() {
        assert!(!text.contains(&c), "secret {c:?} printed");
    }
}

/// `kcred scan loose --format json` from tests/data/scan (tests/data/scan/make_loose.py):
/// tokens in configuration text, a file holding only a token and saved
/// ExecCredentials are found by content, at their lines, live ones as KC501,
/// and the look-alikes in docs/README.md stay quiet.
#[test]
fn loose_tokens_and_exec_credentials_are_found_by_content() {
    let out = kcred!()
        .current_dir(data("scan"))
        .args(["scan", "loose", "--now", NOW, "--format", "json"])
        .output();
    assert_exit(&out, 1);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let exp = read_json(&data("scan/loose-expected.json"));
    let rel = |v: &Value| {
        v.as_str()
            .unwrap()
            .strip_prefix("loose/")
            .unwrap()
            .to_owned()
    };
    let mut findings: Vec<Value> = doc["findings"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        // The lifetime rules (KC001 expired, KC003...) apply too; KC501 is the leak.
        .filter(|f| f["code"] == "KC501")
        .map(|f| {
            serde_json::json!([
                rel(&f["location"]["file"]),
                f["location"]["line"],
                f["code"]
            ])
        })
        .collect();
    findings.sort_by_key(|f| f.to_string());
    assert_eq!(Value::from(findings), exp["findings"], "{doc:#}");
    let mut records: Vec<Value> = doc["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let l = &c["location"];
            let format = &c["details"]["info"]["format"];
            serde_json::json!([rel(&l["file"]), l["line"], l["entry"], format, c["status"]])
        })
        .collect();
    records.sort_by_key(|r| r.to_string());
    assert_eq!(Value::from(records), exp["records"], "{doc:#}");
}

#[test]
fn sarif_results_land_on_the_expected_lines() {
    let o = scan(&["--format", "sarif"]);
    assert_exit(&o, 1);
    let text = stdout(&o);
    assert_no_secret(&text);
    let log: Value = serde_json::from_str(&text).unwrap();
    let mut got: Vec<(String, u64, String)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                loc["artifactLocation"]["uri"].as_str().unwrap().to_owned(),
                loc["region"]["startLine"].as_u64().unwrap(),
                r["ruleId"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    let want: Vec<(String, u64, String)> = expected()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                format!("repo/{}", f[0].as_str().unwrap()),
                f[1].as_u64().unwrap(),
                f[2].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn json_lists_credentials_per_file_and_skips() {
    let o = scan(&["--format", "json"]);
    let text = stdout(&o);
    assert_no_secret(&text);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["schema"], "kcred.scan/v1");
    let exp = expected();
    let mut per_file = std::collections::BTreeMap::<String, u64>::new();
    for c in doc["credentials"].as_array().unwrap() {
        let file = c["location"]["file"].as_str().unwrap();
        *per_file
            .entry(file.strip_prefix("repo/").unwrap().to_owned())
            .or_default() += 1;
    }
    let want: std::collections::BTreeMap<String, u64> = exp["credentials"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    // Nothing from ignored/ or dev.local.yaml (.gitignore), values.yaml or README.md.
    assert_eq!(per_file, want);
    let skipped: Vec<(&str, &str)> = doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["file"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped, [("repo/bin/tool.bin", "binary")]);
    assert_eq!(doc["problems"].as_array().unwrap().len(), 0);
    // Lines and dates to the second.
    let lines = &exp["lines"];
    let find = |file: &str, field: &str| -> Value {
        doc["credentials"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| {
                let l = &c["location"];
                let place = format!(
                    "{} {}",
                    l["entry"].as_str().unwrap_or(""),
                    l["field"].as_str().unwrap_or("")
                );
                l["file"] == format!("repo/{file}") && place.contains(field)
            })
            .cloned()
            .unwrap_or_else(|| panic!("{file} {field}"))
    };
    let sa = find("manifests/secrets.yaml", "data.token");
    assert_eq!(sa["location"]["line"], lines["sa_token"]);
    assert_eq!(sa["status"], "never-expires");
    assert_eq!(sa["location"]["entry"], "Secret build/deployer-token");
    let tls = find("manifests/secrets.yaml", "data.tls.crt");
    assert_eq!(tls["location"]["line"], lines["tls_crt"]);
    let alice = find("manifests/csr.yaml", "status.certificate");
    assert_eq!(alice["not_after"], "2026-01-01T22:00:00Z");
    assert_eq!(alice["remaining_seconds"], 22 * 3600);
    assert_eq!(
        alice["location"]["entry"],
        "CertificateSigningRequest alice (expirationSeconds 86400: 1d)"
    );
    let bob = find("manifests/list.json", "status.certificate");
    assert_eq!(bob["status"], "expired");
    assert_eq!(bob["remaining_seconds"], -9 * 86_400);
    let list = find("manifests/list.json", "stringData.config");
    assert_eq!(list["location"]["line"], lines["list_config"]);
    assert_eq!(list["kind"], "token");
}

#[test]
fn table_shows_file_and_line_and_no_secret() {
    let o = scan(&[]);
    let text = stdout(&o);
    assert_no_secret(&text);
    let exp = expected();
    let pem = exp["lines"]["server_pem"].as_array().unwrap();
    for line in pem {
        assert!(
            text.contains(&format!("repo/certs/server.pem:{line} ")),
            "{text}"
        );
    }
    assert!(
        text.contains("12 credential(s) in 10 file(s) scanned"),
        "{text}"
    );
    // baseline since issue 14: KC101 (error) on .kube/config, KC008 (warning) on 3 opaque tokens;
    // since issue 15 the expired certificate with its key is KC502 (warning), not KC001, and
    // the expired certificate without its key is quiet; since issue 15 point 1 the TLS
    // Secret's server certificate pairs with its tls.key: KC502 (warning).
    assert!(
        text.contains("16 finding(s): 8 error(s), 8 warning(s), 0 info"),
        "{text}"
    );
}

#[test]
fn threads_do_not_change_the_result() {
    let one = stdout(&scan(&["--format", "json", "--threads", "1"]));
    let four = stdout(&scan(&["--format", "json", "--threads", "4"]));
    assert_eq!(one, four);
}

#[test]
fn a_symlink_loop_is_noted_when_links_are_followed() {
    let o = scan(&["--format", "json", "--follow-links"]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let skipped = doc["skipped"].as_array().unwrap();
    assert!(skipped
        .iter()
        .any(|s| s["file"] == "repo/links/loop" && s["detail"] == "symbolic link loop"));
    // Nothing is found twice through the loop.
    assert_eq!(doc["credentials"].as_array().unwrap().len(), 12);
}

#[test]
fn oversized_files_are_skipped_with_a_note() {
    let o = scan(&["--format", "json", "--max-file-size", "2048"]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let big: Vec<&str> = doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"] == "too-large")
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert!(big.contains(&"repo/manifests/secrets.yaml"), "{big:?}");
    assert!(!big.contains(&"repo/README.md"));
}

#[test]
fn gitignore_can_be_turned_off() {
    let o = scan(&["--format", "json", "--no-ignore"]);
    let text = stdout(&o);
    assert!(text.contains("repo/ignored/admin.conf"));
    assert!(text.contains("repo/dev.local.yaml"));
    assert_no_secret(&text);
}

#[test]
fn a_path_that_is_not_there_is_exit_2() {
    let o = scan(&["does-not-exist"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn scan_sarif_is_valid_sarif_2_1_0() {
    let o = scan(&["--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1), "findings at error level");
    assert_valid_sarif("scan", &o.stdout);
}

/// The JSON document of a scan with many credentials is written as it goes:
/// 50,000 tokens in one file fit in a 400 MB address space (the whole
/// `serde_json` tree took about 400 MB resident alone). Bounded by `ulimit -v`,
/// not by time.
#[test]
fn json_of_many_credentials_streams_within_a_memory_bound() {
    let dir = TempDir::new("scan-many");
    let mut text = String::from("apiVersion: v1\nkind: Config\nclusters: []\nusers:\n");
    for i in 0..50_000 {
        text.push_str(&format!("- name: u{i}\n  user: {{token: t{i}}}\n"));
    }
    dir.write("many.yaml", text);
    let script = format!(
        "ulimit -v 400000; exec '{}' scan '{}' --threads 1 --now {NOW} --format json",
        env!("CARGO_BIN_EXE_kcred"),
        dir.display()
    );
    let o = Run::new("sh").args(["-c", &script]).output();
    drop(dir);
    assert_exit(&o, 1);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["credentials"].as_array().unwrap().len(), 50_000);
    assert_eq!(doc["schema"], "kcred.scan/v1");
}
