//! `kcred pki` on the kubeadm fixture (tests/data/pki/make_pki.py): exit codes,
//! kubeadm's JSON field names, findings after the table, no key material.

use std::path::PathBuf;
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{assert_exit, data, stderr, stdout, NOW};
use serde_json::Value;

fn root() -> PathBuf {
    data("pki/kubeadm")
}

fn pki(extra: &[&str]) -> Output {
    pki_at(NOW, extra)
}

fn pki_at(now: &str, extra: &[&str]) -> Output {
    let dir = root().join("etc-kubernetes");
    let kubelet = root().join("var-lib-kubelet");
    kcred!()
        .arg("pki")
        .arg(dir)
        .arg("--kubelet-dir")
        .arg(kubelet)
        .args(["--now", now])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
}

/// Every private key of the fixture, as PEM body lines: none may be printed.
fn key_lines() -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                let mut in_key = false;
                for line in text.lines() {
                    if line.contains("PRIVATE KEY-----") {
                        in_key = line.starts_with("-----BEGIN");
                    } else if in_key && line.len() > 40 {
                        out.push(line.to_owned());
                    }
                }
            }
        }
    }
    assert!(!out.is_empty());
    out
}

#[test]
fn table_then_findings_and_exit_1_on_errors() {
    let o = pki(&[]);
    assert_exit(&o, 1);
    let text = stdout(&o);
    let table_end = text.find("\n\n").unwrap();
    let findings = &text[table_end..];
    assert!(text.starts_with("CERTIFICATE  "));
    assert!(findings.contains("etc-kubernetes/pki/etcd/peer.crt: error KC001 expired"));
    // baseline's KC101 (issue 14), a warning under the kubeadm preset
    assert!(
        findings.contains("etc-kubernetes/super-admin.conf:18: warning KC101 irrevocable-admin")
    );
    assert!(findings.contains("4 finding(s): 2 error(s), 2 warning(s), 0 info"));
    for line in key_lines() {
        assert!(!text.contains(&line), "key material printed");
    }
}

#[test]
fn fail_on_and_policy_change_the_exit_code() {
    // An expired certificate is an error under every policy.
    assert_eq!(pki(&["--policy", "baseline"]).status.code(), Some(1));
    // A month earlier nothing has expired: etcd-peer has 28 days left (a warning
    // under the kubeadm preset), apiserver-kubelet-client 35 days (nothing).
    let o = pki_at("2025-12-02T00:00:00Z", &["--fail-on", "error"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = pki_at("2025-12-02T00:00:00Z", &["--fail-on", "warning"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn json_uses_kubeadms_field_names() {
    let o = pki(&["--format", "json"]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["kind"], "CertificateExpirationInfo");
    assert_eq!(doc["apiVersion"], "output.kubeadm.k8s.io/v1alpha3");
    let certs = doc["certificates"].as_array().unwrap();
    let apiserver = certs.iter().find(|c| c["name"] == "apiserver").unwrap();
    assert_eq!(apiserver["expirationDate"], "2026-01-21T01:02:03Z");
    assert_eq!(apiserver["residualTime"], 20 * 86_400 + 3_723);
    assert_eq!(apiserver["caName"], "ca");
    assert_eq!(apiserver["externallyManaged"], false);
    assert_eq!(apiserver["missing"], false);
    let missing = certs
        .iter()
        .find(|c| c["name"] == "etcd-healthcheck-client")
        .unwrap();
    assert_eq!(missing["missing"], true);
    assert_eq!(missing["expirationDate"], Value::Null);
    let cas = doc["certificateAuthorities"].as_array().unwrap();
    let fp = cas.iter().find(|c| c["name"] == "front-proxy-ca").unwrap();
    assert_eq!(fp["externallyManaged"], true);
    assert!(fp.get("caName").is_none());
    assert_eq!(doc["findings"]["policy"], "kubeadm");
    assert_eq!(doc["findings"]["summary"]["error"], 2);
    let text = stdout(&o);
    for line in key_lines() {
        assert!(!text.contains(&line), "key material printed");
    }
}

#[test]
fn a_folder_that_is_not_there_is_exit_2() {
    let o = kcred!()
        .args(["pki", "/nonexistent/kubernetes", "--now", NOW])
        .output();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a folder"));
}
