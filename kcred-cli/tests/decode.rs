//! `kcred decode FILE|-` (issue 16): a certificate bundle, a JWT or an
//! ExecCredential, told apart by content, decoded with its facts and expiry at
//! `--now`; private keys named, never printed; nothing decodable is exit 2
//! with an error naming the input.

use std::path::Path;
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{assert_exit, repo, shown, stderr, stdout, TempDir, NOW};

/// `kcred decode ARGS --now NOW` from the repository root, empty HOME.
fn decode(args: &[&str]) -> Output {
    let home = TempDir::new("decode-home");
    kcred!()
        .arg("decode")
        .args(args)
        .args(["--now", NOW])
        .current_dir(repo())
        .clean_env(home.path())
        .output()
}

fn decode_json(args: &[&str]) -> serde_json::Value {
    let out = decode(&[args, &["--format", "json"]].concat());
    assert_exit(&out, 0);
    serde_json::from_slice(&out.stdout).unwrap()
}

const CHAIN: &str = "tests/data/certs/chain.crt";
const EXPIRED: &str = "tests/data/certs/expired.crt";
const BOUND_TOKEN: &str = "tests/data/platforms/sa-tokenfile/token";
const EXEC_CREDENTIAL: &str = "tests/data/scan/loose/tokens/get-token.json";

#[test]
fn a_bundle_is_every_certificate_in_order() {
    let out = decode(&[CHAIN]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    insta::assert_snapshot!("decode_chain_table", text);
    let doc = decode_json(&[CHAIN]);
    assert_eq!(doc["schema"], "kcred.decoded/v1");
    assert_eq!(doc["now"], NOW);
    assert_eq!(doc["source"], CHAIN);
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["subject"], "O=system:masters, CN=chained-user");
    assert_eq!(items[1]["common_name"], "edge-intermediate-ca");
    assert_eq!(items[1]["is_ca"], true);
    assert_eq!(items[0]["status"], "valid");
    assert_eq!(items[0]["not_after"], "2026-12-02T00:00:00Z");
    assert_eq!(items[0]["remaining_seconds"], 335 * 86_400);
    assert_eq!(items[0]["sha256_fingerprint"].as_str().unwrap().len(), 64);
}

#[test]
fn an_expired_certificate_decodes_and_does_not_fail() {
    let out = decode(&[EXPIRED]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("status        expired (1d ago)"),
        "{}",
        shown(&out)
    );
    let doc = decode_json(&[EXPIRED]);
    assert_eq!(doc["items"][0]["status"], "expired");
    assert_eq!(doc["items"][0]["remaining_seconds"], -86_400);
}

#[test]
fn a_der_certificate_and_standard_input() {
    let dir = TempDir::new("decode-der");
    let der = dir.path().join("c.der");
    let made = kcred_tests::support::Run::new("openssl")
        .args(["x509", "-in", CHAIN, "-outform", "DER", "-out"])
        .arg(&der)
        .current_dir(repo())
        .try_output();
    if !made.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: openssl cannot convert to DER");
        return;
    }
    let doc = decode_json(&[der.to_str().unwrap()]);
    assert_eq!(doc["items"].as_array().unwrap().len(), 1);
    assert_eq!(doc["items"][0]["common_name"], "chained-user");
    let home = TempDir::new("decode-stdin");
    let pem = std::fs::read(repo().join(CHAIN)).unwrap();
    let out = kcred!()
        .args(["decode", "-", "--format", "json", "--now", NOW])
        .clean_env(home.path())
        .output_with_stdin(&pem)
        .unwrap();
    assert_exit(&out, 0);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["source"], "<stdin>");
    assert_eq!(doc["items"].as_array().unwrap().len(), 2);
}

#[test]
fn a_private_key_is_named_and_never_printed() {
    let dir = TempDir::new("decode-key");
    let cert = std::fs::read_to_string(repo().join(EXPIRED)).unwrap();
    let key = std::fs::read_to_string(repo().join("tests/data/certs/expired.key")).unwrap();
    let both = dir.write("both.pem", format!("{cert}{key}"));
    let out = decode(&[both.to_str().unwrap()]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains(": private key (RSA), not printed"), "{text}");
    assert!(text.contains("certificate 1 of 1"), "{text}");
    let body: Vec<&str> = key.lines().filter(|l| !l.starts_with("-----")).collect();
    let doc = decode_json(&[both.to_str().unwrap()]);
    assert_eq!(
        doc["items"][1],
        serde_json::json!({"kind": "private-key", "key_type": "RSA", "printed": false})
    );
    for line in body {
        assert!(!text.contains(line) && !doc.to_string().contains(line));
    }
}

#[test]
fn a_jwt_shows_its_claims_never_the_token() {
    let token = std::fs::read_to_string(repo().join(BOUND_TOKEN)).unwrap();
    let out = decode(&[BOUND_TOKEN]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    insta::assert_snapshot!("decode_jwt_table", text);
    let doc = decode_json(&[BOUND_TOKEN]);
    let item = &doc["items"][0];
    assert_eq!(item["kind"], "token");
    assert_eq!(item["format"], "service-account-bound");
    assert_eq!(item["jwt"]["subject"], "system:serviceaccount:ci:deployer");
    assert_eq!(item["jwt"]["verified"], false);
    assert_eq!(
        item["service_account"]["bound_pod"],
        "deployer-7d9f8b6c5-qx2lm"
    );
    assert_eq!(item["not_after"], "2026-01-01T01:00:00Z");
    assert_eq!(item["remaining_seconds"], 3600);
    let signature = token.trim().rsplit('.').next().unwrap();
    for part in token.trim().split('.').chain([signature]) {
        assert!(!text.contains(part), "token part printed: {text}");
        assert!(!doc.to_string().contains(part), "token part in JSON");
    }
}

#[test]
fn an_exec_credential_with_a_token_and_a_client_certificate() {
    let doc = decode_json(&[EXEC_CREDENTIAL]);
    let item = &doc["items"][0];
    assert_eq!(item["kind"], "exec-credential");
    assert_eq!(item["expiration_timestamp"], "2026-01-01T01:00:00Z");
    assert_eq!(item["token"]["format"], "jwt");
    assert_eq!(item["token"]["jwt"]["subject"], "alice-sub");
    assert_eq!(item["status"], "valid");
    // A client certificate and key, and an opaque token.
    let dir = TempDir::new("decode-exec");
    let cert = std::fs::read_to_string(repo().join(EXPIRED)).unwrap();
    let key = std::fs::read_to_string(repo().join("tests/data/certs/expired.key")).unwrap();
    let doc = serde_json::json!({
        "kind": "ExecCredential",
        "apiVersion": "client.authentication.k8s.io/v1",
        "status": {
            "token": "opaque-token-value-7f3a",
            "clientCertificateData": cert,
            "clientKeyData": key,
        },
    });
    let file = dir.write("cred.json", doc.to_string());
    let out = decode(&[file.to_str().unwrap()]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    for want in [
        ": ExecCredential",
        "token                 opaque token",
        "cert subject          CN=expired",
        "client key            present, not printed",
        "status                expired (1d ago)",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
    let json = decode_json(&[file.to_str().unwrap()]);
    let item = &json["items"][0];
    assert_eq!(item["token"]["format"], "opaque");
    assert_eq!(item["client_certificate"]["common_name"], "expired");
    assert_eq!(item["has_client_key"], true);
    let key_line = key.lines().nth(1).unwrap();
    for shown in [text, json.to_string()] {
        assert!(!shown.contains("opaque-token-value-7f3a"));
        assert!(!shown.contains(key_line));
    }
}

#[test]
fn nothing_decodable_is_exit_2_naming_the_file() {
    let dir = TempDir::new("decode-garbage");
    let cases = [
        ("garbage.txt", &b"hello, this is not a credential\n"[..]),
        ("opaque", b"an-opaque-token"),
        ("binary", b"\x00\x01\x02\xff\xfe"),
        ("config.json", b"{\"kind\": \"Config\"}"),
        ("bad.jwt", b"eyJhbGciOi.eyJleHAiOjF9.c2ln"),
    ];
    for (name, bytes) in cases {
        let path = dir.write(name, bytes);
        for format in ["table", "json"] {
            let out = decode(&[path.to_str().unwrap(), "--format", format]);
            assert_exit(&out, 2);
            assert_eq!(stdout(&out), "", "{name}");
            let err = stderr(&out);
            assert!(err.starts_with("kcred: "), "{err}");
            assert!(err.contains(&*path.to_string_lossy()), "{name}: {err}");
        }
    }
    let kubeconfig = decode(&["examples/kubeconfigs/demo.yaml"]);
    assert_exit(&kubeconfig, 2);
    assert!(
        stderr(&kubeconfig).contains("kcred inspect"),
        "{}",
        shown(&kubeconfig)
    );
    let missing = decode(&["no/such/file.pem"]);
    assert_exit(&missing, 2);
    assert!(stderr(&missing).contains("no/such/file.pem"));
}

#[test]
fn control_characters_in_a_common_name_are_escaped() {
    let dir = TempDir::new("decode-cn");
    let (key, cert) = (dir.path().join("k.pem"), dir.path().join("c.pem"));
    let made = kcred_tests::support::Run::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "30"])
        .args(["-utf8", "-subj", "/CN=evil\x1b[2Jred\u{202e}txt"])
        .args(["-addext", "subjectAltName=DNS:api.example.com,IP:10.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .try_output();
    if !made.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: openssl cannot make a certificate");
        return;
    }
    let out = decode(&[cert.to_str().unwrap(), "--color", "always"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("CN=evil\\x1b[2Jred\\u{202e}txt"), "{text}");
    assert!(
        !text.contains("\x1b[2J") && !text.contains('\u{202e}'),
        "{text}"
    );
    assert!(text.contains("DNS:api.example.com, IP:10.0.0.1"), "{text}");
    let doc = decode_json(&[cert.to_str().unwrap()]);
    assert_eq!(
        doc["items"][0]["sans"],
        serde_json::json!(["DNS:api.example.com", "IP:10.0.0.1"])
    );
    assert_eq!(doc["items"][0]["key"]["curve"], "P-256");
    // The key file: named, and the width rule holds on a narrow terminal.
    let out = decode(&[key.to_str().unwrap()]);
    assert!(
        stdout(&out).contains(": private key (EC), not printed"),
        "{}",
        shown(&out)
    );
    let narrow = decode_narrow(&cert, 40);
    assert!(
        narrow
            .lines()
            .all(|l| l.chars().count() <= 40 || l.contains(": certificate")),
        "{narrow}"
    );
}

/// `kcred decode FILE` with `COLUMNS=width`.
fn decode_narrow(file: &Path, width: u16) -> String {
    let home = TempDir::new("decode-narrow");
    let out = kcred!()
        .args(["decode", file.to_str().unwrap(), "--now", NOW])
        .clean_env(home.path())
        .env("COLUMNS", width.to_string())
        .output();
    assert_exit(&out, 0);
    stdout(&out)
}
