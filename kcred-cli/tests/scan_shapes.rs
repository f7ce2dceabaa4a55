//! `kcred scan shapes` from tests/data/scan (tests/data/scan/make_shapes.py):
//! certificates paired with private keys in other files by public key (keys
//! in PEM files and in Kubernetes Secrets' `data` / `stringData`),
//! kubeconfigs embedded in Terraform state, Helm values, CI variables and
//! Ansible vars at their value's line and path, expired and not-yet-valid
//! credentials as KC502 warnings (never KC001/KC002 in a scan), and the
//! look-alikes quiet. Nothing is regenerated at test time.

use std::collections::BTreeSet;
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{assert_exit, data, read_json, stdout, NOW};
use serde_json::{json, Value};

/// `kcred scan shapes --now NOW --format FORMAT` from tests/data/scan.
fn scan(format: &str) -> Output {
    let args = ["scan", "shapes", "--now", NOW, "--format", format];
    kcred!().current_dir(data("scan")).args(args).output()
}

fn json_scan() -> Value {
    let out = scan("json");
    assert_exit(&out, 1);
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn expected() -> Value {
    read_json(&data("scan/shapes-expected.json"))
}

fn rel(v: &Value) -> String {
    let file = v.as_str().unwrap();
    file.strip_prefix("shapes/").unwrap_or(file).to_owned()
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"]["findings"].as_array().unwrap()
}

/// Each credential: file, line, entry, kind, identity, status, notAfter, and
/// where its key is (`inline`, the file a pairing found, or none).
#[test]
fn every_shape_is_found_at_its_file_and_line_with_its_facts() {
    let doc = json_scan();
    let mut records: Vec<Value> = doc["credentials"]
        .as_array()
        .unwrap()
        .iter()
        // A kubeconfig whose only user has <placeholder> values holds no credential.
        .filter(|c| c["kind"] != "none")
        .map(|c| {
            let l = &c["location"];
            let key = match &c["details"]["key_source"] {
                Value::Object(k) if k["type"] == "inline" => json!("inline"),
                Value::Object(k) => json!(rel(&k["path"])),
                _ => Value::Null,
            };
            json!([
                rel(&l["file"]),
                l["line"],
                l["entry"],
                c["kind"],
                c["identity"],
                c["status"],
                c["not_after"],
                key
            ])
        })
        .collect();
    records.sort_by_key(|r| r.to_string());
    let mut want = expected()["records"].as_array().unwrap().clone();
    want.sort_by_key(|r| r.to_string());
    assert_eq!(Value::from(records), Value::from(want), "{doc:#}");
}

#[test]
fn live_shapes_are_kc501_and_unusable_ones_kc502() {
    let doc = json_scan();
    let mut got: Vec<Value> = findings(&doc)
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("KC5"))
        .map(|f| {
            json!([
                rel(&f["location"]["file"]),
                f["location"]["line"],
                f["code"]
            ])
        })
        .collect();
    got.sort_by_key(|f| f.to_string());
    let mut want = expected()["findings"].as_array().unwrap().clone();
    want.sort_by_key(|f| f.to_string());
    assert_eq!(Value::from(got), Value::from(want), "{doc:#}");
    // In a scan, an expired or not-yet-valid credential is a KC502 warning with
    // its date, not a KC001/KC002 error.
    for f in findings(&doc) {
        assert!(
            !["KC001", "KC002"].contains(&f["code"].as_str().unwrap()),
            "{f:#}"
        );
        if f["code"] == "KC502" {
            assert_eq!(f["severity"], "warning");
        }
    }
    let message = |file: &str, code: &str| -> String {
        findings(&doc)
            .iter()
            .find(|f| f["location"]["file"] == format!("shapes/{file}") && f["code"] == code)
            .unwrap_or_else(|| panic!("no {code} on {file}"))["message"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Each finding says why: file, code, and a part of its message.
    let why = [
        ("pki/admin.crt", "KC501", "(shapes/pki/admin.key)"),
        (
            "pki/admin.crt",
            "KC501",
            "system:masters, the worst credential",
        ),
        (
            "pki/ca.crt",
            "KC501",
            "issue client certificates for any user",
        ),
        (
            "old/deployer.crt",
            "KC502",
            "expired 2025-12-02T00:00:00Z (30d ago)",
        ),
        (
            "next/rotation.crt",
            "KC502",
            "not valid until 2026-01-11T00:00:00Z",
        ),
        ("pki/apiserver.crt", "KC502", "server certificate"),
        (
            "keys/signing.key",
            "KC502",
            "no certificate of the scan holds its public key",
        ),
        (
            "test/fixtures/expired-token.txt",
            "KC502",
            "expired 2025-10-03T00:00:00Z",
        ),
    ];
    for (file, code, part) in why {
        let text = message(file, code);
        assert!(text.contains(part), "{file} {code}: {text}");
    }
}

/// Each look-alike is quiet: no finding of any rule, no problem, nothing unreadable.
#[test]
fn look_alikes_stay_quiet() {
    let doc = json_scan();
    let quiet: BTreeSet<String> = expected()["quiet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q[0].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(quiet.len(), 8);
    for f in findings(&doc) {
        let file = rel(&f["location"]["file"]);
        assert!(!quiet.contains(&file), "look-alike {file} fired: {f:#}");
    }
    for list in ["problems", "unreadable"] {
        for p in doc[list].as_array().unwrap() {
            let text = p.to_string();
            assert!(!quiet.iter().any(|q| text.contains(q.as_str())), "{text}");
        }
    }
    // The JWT of a web app is no credential at all, nor base64 of other YAML.
    let files: BTreeSet<String> = doc["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| rel(&c["location"]["file"]))
        .collect();
    for file in [
        "web/testdata/session.json",
        "helm/other-values.yaml",
        "helm/manifest-values.yaml",
        "locales/en.json",
        "docs/kubeconfig.md",
    ] {
        assert!(!files.contains(file), "{file}");
    }
    // The <placeholder> kubeconfigs of the Helm example are read (text and
    // base64), and the placeholder rule leaves them no credential.
    let example: Vec<&Value> = doc["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| rel(&c["location"]["file"]) == "docs/helm-example.yaml")
        .collect();
    assert_eq!(example.len(), 2, "{example:#?}");
    assert!(example.iter().all(|c| c["kind"] == "none"), "{example:#?}");
}

/// No secret of the fixtures reaches the table, JSON or SARIF output.
#[test]
fn no_key_or_token_is_printed() {
    let tree = data("scan/shapes");
    let mut secrets = Vec::new();
    for file in [
        "pki/admin.key",
        ".minikube/k.pem",
        "keys/signing.key",
        "test/fixtures/expired-token.txt",
    ] {
        let text = std::fs::read_to_string(tree.join(file)).unwrap();
        // The second line of a PEM key, or the token's signature part.
        let secret = match text.lines().nth(1) {
            Some(line) => line.to_owned(),
            None => text.trim().rsplit('.').next().unwrap().to_owned(),
        };
        secrets.push(secret);
    }
    // Keys held in Secrets: the base64 `data` value, the line below a `stringData` key.
    for (file, key) in [
        ("k8s/deployer-tls.yaml", "tls.key: "),
        ("k8s/jenkins-client.yaml", "client.key: "),
        ("k8s/old-tls.yaml", "tls.key: |"),
    ] {
        let text = std::fs::read_to_string(tree.join(file)).unwrap();
        let mut lines = text.lines().skip_while(|l| !l.contains(key));
        let at = lines.next().unwrap().trim();
        let value = match at.strip_suffix('|') {
            Some(_) => lines.nth(1).unwrap().trim(),
            None => at.rsplit(' ').next().unwrap(),
        };
        secrets.push(value.to_owned());
    }
    for format in ["table", "json", "sarif"] {
        let out = stdout(&scan(format));
        assert!(!out.contains("PRIVATE KEY-----"), "{format}");
        for s in &secrets {
            assert!(!out.contains(s.as_str()), "{format} printed a secret");
        }
    }
}
