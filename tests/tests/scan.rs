//! `scan_file` on each file of the repository fixture (tests/data/scan/make_repo.py):
//! detection by content, lines, and no secret in Debug, JSON or errors.

use std::path::{Path, PathBuf};

use kcred_core::{
    evaluate, findings_json, findings_sarif, findings_table, scan_file, scan_json, scan_table,
    Limits, Policy, ScanReport, SkipReason,
};
use kcred_tests::support::{data, now, read_json};
use serde_json::Value;

fn repo() -> PathBuf {
    data("scan/repo")
}

fn expected() -> Value {
    read_json(&data("scan/expected.json"))
}

/// Every fixture file scanned directly (no walk, so ignored files too).
fn report(files: &[&str]) -> ScanReport {
    let mut report = ScanReport::default();
    for f in files {
        let bytes = std::fs::read(repo().join(f)).unwrap();
        report.add(scan_file(&bytes, Path::new(f), &Limits::default()));
    }
    report.sort();
    report
}

#[test]
fn each_file_holds_what_the_generator_put_there() {
    let exp = expected();
    for (file, count) in exp["credentials"].as_object().unwrap() {
        let r = report(&[file]);
        assert_eq!(
            r.inventory.credentials.len() as u64,
            count.as_u64().unwrap(),
            "{file}: {:#?}",
            r.inventory.problems
        );
        assert!(r.inventory.problems.is_empty(), "{file}");
    }
    for noise in ["values.yaml", "README.md", "src/app.py", ".gitignore"] {
        let r = report(&[noise]);
        assert!(
            r.inventory.credentials.is_empty() && r.inventory.problems.is_empty(),
            "{noise}"
        );
    }
    let bin = report(&["bin/tool.bin"]);
    assert_eq!(bin.skipped[0].reason, SkipReason::Binary);
    // scan_file itself does not know .gitignore: the walk does.
    assert_eq!(
        report(&["ignored/admin.conf"]).inventory.credentials.len(),
        1
    );
}

#[test]
fn findings_and_every_rendering_keep_secrets_out() {
    let files = [
        "ops/cluster-access.txt",
        ".kube/config",
        "manifests/secrets.yaml",
        "manifests/list.json",
        "manifests/csr.yaml",
        "certs/server.pem",
        "ignored/admin.conf",
        "dev.local.yaml",
    ];
    let r = report(&files);
    let policy = Policy::preset("strict").unwrap();
    let findings = evaluate(&r.inventory, &policy, now());
    let all = [
        format!("{r:?}"),
        format!("{findings:?}"),
        scan_table(&r, now(), None),
        scan_json(&r, now()).to_string(),
        findings_table(&findings, false),
        findings_json(&findings, "strict", now()).to_string(),
        findings_sarif(&findings, None).to_string(),
    ]
    .join("\n");
    for canary in expected()["canaries"].as_array().unwrap() {
        assert!(!all.contains(canary.as_str().unwrap()), "{canary}");
    }
    assert!(!all.contains("CANARY"));
    assert!(!all.contains("PRIVATE KEY"));
}

#[test]
fn a_kubeconfig_in_a_secret_points_at_the_data_key() {
    let r = report(&["manifests/secrets.yaml"]);
    let line = expected()["lines"]["opaque_kubeconfig"].as_u64().unwrap() as u32;
    let inner: Vec<_> = r
        .inventory
        .credentials
        .iter()
        .filter(|c| {
            c.location.entry.as_deref() == Some("Secret ci/robot-kubeconfig data.kubeconfig")
        })
        .collect();
    assert_eq!(inner.len(), 2);
    assert!(inner.iter().all(|c| c.location.line == Some(line)));
    assert_eq!(inner[0].user, "deployer");
}
