//! `--format prometheus` of every subcommand that has it (inspect, check,
//! exposure, pki, scan): each document passes `promtool check metrics` (the
//! test says SKIPPED when promtool is not installed), ends with the success
//! and timestamp gauges, and the pki and exposure documents are snapshots. A
//! run that fails still writes `kcred_check_success 0`.

use kcred_tests::kcred;
use kcred_tests::support::{assert_promtool_accepts, repo, stderr, stdout, TempDir, NOW};

const DEMO: &str = "examples/kubeconfigs/demo.yaml";
const PKI: &str = "tests/data/pki/kubeadm/etc-kubernetes";
const KUBELET: &str = "tests/data/pki/kubeadm/var-lib-kubelet";

/// `kcred ARGS --now NOW --format prometheus` from the repository root with an
/// empty HOME: (exit code, stdout), after checking nothing went to stderr.
fn prometheus(args: &[&str]) -> (i32, String) {
    let home = TempDir::new("prometheus-home");
    let out = kcred!()
        .args(args)
        .args(["--now", NOW, "--format", "prometheus"])
        .current_dir(repo())
        .clean_env(&home)
        .output();
    assert_eq!(stderr(&out), "", "kcred {args:?}");
    (out.status.code().expect("exited"), stdout(&out))
}

/// Every subcommand's document, with its expected exit code.
fn documents() -> Vec<(&'static str, i32, String)> {
    let runs: [(&str, &[&str], i32); 6] = [
        ("inspect", &["inspect", "--kubeconfig", DEMO], 0),
        (
            "check",
            &["check", "--kubeconfig", DEMO, "--policy", "strict"],
            1,
        ),
        ("exposure", &["exposure", "--kubeconfig", DEMO], 0),
        (
            "exposure --policy",
            &["exposure", "--kubeconfig", DEMO, "--policy", "strict"],
            1,
        ),
        ("pki", &["pki", PKI, "--kubelet-dir", KUBELET], 1),
        ("scan", &["scan", "examples/kubeconfigs"], 1),
    ];
    runs.iter()
        .map(|(name, args, want)| {
            let (code, text) = prometheus(args);
            assert_eq!(code, *want, "{name}");
            (*name, code, text)
        })
        .collect()
}

#[test]
fn every_document_passes_promtool_and_reports_success() {
    let docs = documents();
    for (name, _, text) in &docs {
        assert!(text.contains("\nkcred_check_success 1\n"), "{name}: {text}");
        assert!(text.contains("\nkcred_read_errors 0\n"), "{name}");
        assert!(
            text.ends_with("kcred_check_timestamp_seconds 1767225600\n"),
            "{name}"
        );
    }
    for (name, _, text) in &docs {
        if !assert_promtool_accepts(name, text) {
            eprintln!("SKIPPED: promtool not found (Debian package `prometheus`)");
            return;
        }
    }
}

#[test]
fn pki_prometheus() {
    let (code, text) = prometheus(&["pki", PKI, "--kubelet-dir", KUBELET]);
    assert_eq!(code, 1);
    // x509-certificate-exporter's labels, from the certificate itself.
    assert!(text.contains(
        "kcred_certificate_remaining_seconds{name=\"apiserver\",file=\"tests/data/pki/kubeadm/etc-kubernetes/pki/apiserver.crt\",kind=\"certificate\",source=\"certificate-file\",ca=\"ca\",subject_CN=\"kube-apiserver\",issuer_CN=\"kubernetes\""
    ), "{text}");
    insta::assert_snapshot!("pki_prometheus", text);
}

#[test]
fn exposure_prometheus() {
    let (_, text) = prometheus(&["exposure", "--kubeconfig", DEMO, "--policy", "strict"]);
    assert!(text.contains("kcred_exposure_system_masters{context=\"aks-prod-weu-admin\""));
    assert!(text.contains("kcred_policy_findings{"));
    insta::assert_snapshot!("exposure_prometheus", text);
}

/// A run that fails (exit 2) still tells Prometheus so, on stdout or in
/// `--output`, and the error goes to stderr.
#[test]
fn a_failed_run_writes_success_0() {
    let dir = TempDir::new("prometheus-failed");
    let file = dir.join("kcred.prom");
    for output in [None, Some(file.as_path())] {
        let mut run = kcred!()
            .args(["check", "--kubeconfig", "/no/such/kubeconfig", "--now", NOW])
            .args(["--format", "prometheus"])
            .clean_env(&dir);
        if let Some(f) = output {
            run = run.arg("--output").arg(f);
        }
        let out = run.output();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("/no/such/kubeconfig"),
            "{}",
            stderr(&out)
        );
        let text = match output {
            Some(f) => std::fs::read_to_string(f).unwrap(),
            None => stdout(&out),
        };
        assert!(text.contains("\nkcred_check_success 0\n"), "{text}");
        assert!(text.ends_with("kcred_check_timestamp_seconds 1767225600\n"));
    }
    // JSON still writes its document on failure: the problem as a KC901 finding.
    let out = kcred!()
        .args([
            "check",
            "--kubeconfig",
            "/no/such/kubeconfig",
            "--format",
            "json",
        ])
        .clean_env(&dir)
        .output();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["findings"][0]["code"], "KC901", "{doc}");
}

/// A file that cannot be parsed beside one that can is a read error (the
/// run reports the rest), not a failed run.
#[test]
fn an_unreadable_file_is_a_read_error() {
    let dir = TempDir::new("prometheus-read-error");
    let bad = dir.write("bad.yaml", "users: [\n");
    let out = kcred!()
        .arg("check")
        .arg(repo().join(DEMO))
        .arg(&bad)
        .args(["--now", NOW, "--format", "prometheus", "--exit-zero"])
        .clean_env(&dir)
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\nkcred_read_errors 1\n"), "{text}");
    assert!(text.contains("\nkcred_check_success 0\n"), "{text}");
    assert!(text.contains("kcred_credential_expired{"), "{text}");
}
