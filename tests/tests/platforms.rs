//! Data-driven test: every fixture in tests/data/platforms/ (made by
//! tests/data/make_fixtures.py with openssl and Python `cryptography`) is loaded
//! and inventoried, and the facts are compared with `expected.json`, written by
//! the same script from the generating tools' own view of what they made.
//! Known gaps are listed in `exceptions.json` with a reason each; only unexpected
//! differences fail, and an exception that no longer happens fails too (so the
//! list stays honest).

use std::collections::BTreeMap;
use std::path::PathBuf;

use kcred_core::{
    into_inventory, inventory, inventory_json, inventory_table, load_file, Credential,
    CredentialRecord, DiskFiles, Limits,
};
use kcred_tests::support::{data, read_json, NOW_AT};
use serde_json::Value;
use time::OffsetDateTime;

fn data_dir() -> PathBuf {
    data("platforms")
}

fn expected_kind(kind: &str) -> &str {
    match kind {
        "token-file" => "token",
        other => other,
    }
}

/// expected.json names plugins by their binaries; kcred by what they are.
fn expected_plugin(plugin: &str) -> &str {
    match plugin {
        "kubelogin" => "azure-kubelogin",
        "kubelogin-oidc" => "oidc-login",
        other => other,
    }
}

fn expected_status(status: &str) -> &str {
    match status {
        "no-expiry" => "never-expires",
        other => other,
    }
}

/// Compares one record with one expected credential; pushes `id: what` on mismatch.
fn compare(
    id: &str,
    record: &CredentialRecord,
    expected: &Value,
    now: OffsetDateTime,
    diffs: &mut Vec<String>,
) {
    let mut check = |what: &str, ours: Value, theirs: &Value| {
        if &ours != theirs {
            diffs.push(format!("{id}: {what}: kcred {ours} expected {theirs}"));
        }
    };
    let status = expected["status"].as_str().unwrap_or_default();
    if status != "invalid" {
        check(
            "status",
            Value::from(record.status(now).name()),
            &Value::from(expected_status(status)),
        );
    }
    if let Some(unix) = expected["expiry"].get("unix") {
        let ours = record
            .validity()
            .and_then(|v| v.not_after)
            .map(|t| t.unix_timestamp());
        check("expiry", ours.map(Value::from).unwrap_or(Value::Null), unix);
    }
    match &record.credential {
        Credential::ClientCertificate(c) => {
            let e = &expected["certificate"];
            let Some(cert) = &c.certificate else {
                if !e.is_null() {
                    diffs.push(format!("{id}: certificate did not decode"));
                }
                return;
            };
            check(
                "subject_cn",
                cert.common_name.clone().into(),
                &e["subject_cn"],
            );
            check(
                "subject_o",
                cert.organizations.clone().into(),
                &e["subject_o"],
            );
            check(
                "issuer_cn",
                cert.issuer_common_name.clone().into(),
                &e["issuer_cn"],
            );
            check("serial", cert.serial.clone().into(), &e["serial"]);
            check(
                "sha256",
                cert.sha256_fingerprint.clone().into(),
                &e["sha256_fingerprint"],
            );
            let nb = cert.validity.not_before.map(|t| t.unix_timestamp());
            check("not_before", nb.into(), &e["not_before"]["unix"]);
            let na = cert.validity.not_after.map(|t| t.unix_timestamp());
            check("not_after", na.into(), &e["not_after"]["unix"]);
            check(
                "key_algorithm",
                cert.key.algorithm.clone().into(),
                &e["key_algorithm"],
            );
            check("key_size", cert.key.bits.into(), &e["key_size"]);
            check("key_curve", cert.key.curve.clone().into(), &e["key_curve"]);
            check(
                "signature_algorithm",
                cert.signature_algorithm.clone().into(),
                &e["signature_algorithm"],
            );
            check("key_matches", c.key_matches.into(), &e["key_matches"]);
            check(
                "signed_by_cluster_ca",
                c.signed_by_cluster_ca.into(),
                &e["signed_by_cluster_ca"],
            );
            check("chain_len", (c.chain.len() + 1).into(), &e["chain_len"]);
        }
        Credential::Token(t) => {
            let e = &expected["jwt"];
            if e.is_null() {
                return;
            }
            let Some(jwt) = &t.info.jwt else {
                diffs.push(format!("{id}: token not decoded as JWT"));
                return;
            };
            let unix = |t: Option<OffsetDateTime>| t.map(|t| t.unix_timestamp());
            check("iss", jwt.issuer.clone().into(), &e["iss"]);
            check("sub", jwt.subject.clone().into(), &e["sub"]);
            check("exp", unix(jwt.expires_at).into(), &e["exp"]);
            check("iat", unix(jwt.issued_at).into(), &e["iat"]);
            check("nbf", unix(jwt.not_before).into(), &e["nbf"]);
            check("jti", jwt.jwt_id.clone().into(), &e["jti"]);
            check("claims", Value::Object(jwt.claims.clone()), &e["claims"]);
            check("alg", jwt.algorithm.clone().into(), &e["header"]["alg"]);
        }
        Credential::Exec(x) => {
            let e = &expected["exec"];
            check(
                "plugin",
                x.plugin.name().into(),
                &Value::from(expected_plugin(e["plugin"].as_str().unwrap_or_default())),
            );
            check("command", x.command.clone().into(), &e["command"]);
            check(
                "interactive_mode",
                x.interactive_mode.clone().into(),
                &e["interactive_mode"],
            );
            if let Some(mode) = e.get("login_mode") {
                check("login_mode", x.plugin.login_mode().into(), mode);
            }
        }
        Credential::AuthProvider(a) => {
            check("provider", a.name.clone().into(), &expected["provider"]);
            if let Some(issuer) = expected.get("idp_issuer_url") {
                check("issuer", a.issuer.clone().into(), issuer);
            }
        }
        Credential::BasicAuth(b) => {
            check("username", b.username.clone().into(), &expected["username"]);
        }
        _ => diffs.push(format!("{id}: a credential kind this test does not check")),
    }
}

#[test]
fn platform_fixtures_match_expected_facts() {
    let dir = data_dir();
    let expected = read_json(&dir.join("expected.json"));
    let exceptions: BTreeMap<String, String> =
        serde_json::from_value(read_json(&dir.join("exceptions.json"))).unwrap();
    let now = NOW_AT;
    let limits = Limits::default();
    let mut diffs = Vec::new();
    let mut checked = 0;
    let files = expected["files"].as_object().unwrap();
    assert!(
        files.len() >= 40,
        "expected.json lists {} files",
        files.len()
    );
    for (file, e_file) in files {
        let loaded = load_file(&dir.join(file), &limits);
        let inv = inventory(&loaded.config, &DiskFiles::new(limits.clone()));
        // The consuming form (what the CLI runs) must give the same inventory.
        assert_eq!(
            into_inventory(loaded.config.clone(), &DiskFiles::new(limits.clone())),
            inv,
            "{file}: into_inventory differs from inventory"
        );
        for (user, e_user) in e_file["users"].as_object().unwrap() {
            let records: Vec<&CredentialRecord> =
                inv.credentials.iter().filter(|r| &r.user == user).collect();
            let id = format!("{file}#{user}");
            let e_kinds: Vec<&str> = e_user["kinds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| expected_kind(k.as_str().unwrap()))
                .collect();
            let kinds: Vec<&str> = records.iter().map(|r| r.kind().name()).collect();
            if kinds != e_kinds {
                diffs.push(format!("{id}: kinds: kcred {kinds:?} expected {e_kinds:?}"));
                continue;
            }
            let contexts: Vec<Value> = records
                .first()
                .map(|r| r.contexts.iter().map(|c| Value::from(c.as_str())).collect())
                .unwrap_or_default();
            if Value::Array(contexts.clone()) != e_user["referenced_by_contexts"] {
                diffs.push(format!(
                    "{id}: contexts: kcred {contexts:?} expected {}",
                    e_user["referenced_by_contexts"]
                ));
            }
            for (record, e_cred) in records
                .iter()
                .zip(e_user["credentials"].as_array().unwrap())
            {
                compare(&id, record, e_cred, now, &mut diffs);
                checked += 1;
            }
        }
        // No secret of this file may appear in any rendering.
        let rendered = format!(
            "{}\n{}\n{:?}",
            inventory_json(&inv, now),
            inventory_table(&inv, now, false, None),
            inv
        );
        for secret in e_file["secrets"].as_array().unwrap() {
            let secret = secret.as_str().unwrap();
            assert!(
                !rendered.contains(secret),
                "{file}: a secret appears in the output"
            );
        }
    }
    assert!(checked >= 50, "only {checked} credentials compared");
    let mut unexpected = Vec::new();
    let mut stale: Vec<&String> = exceptions.keys().collect();
    for diff in &diffs {
        match exceptions.keys().find(|k| diff.starts_with(k.as_str())) {
            Some(k) => stale.retain(|s| *s != k),
            None => unexpected.push(diff.as_str()),
        }
    }
    assert!(
        unexpected.is_empty(),
        "unexpected differences:\n{}",
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "exceptions that no longer happen (remove them): {stale:?}"
    );
}

/// The streaming writers (what the CLI prints) write the same documents as the
/// `serde_json::Value` builders, on every fixture's findings and inventory.
#[test]
fn streamed_json_and_sarif_equal_the_documents() {
    let dir = data_dir();
    let now = NOW_AT;
    let limits = Limits::default();
    let policy = kcred_core::load_policy("strict").unwrap();
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let config = entry.unwrap().path().join("config");
        if !config.is_file() {
            continue;
        }
        let loaded = load_file(&config, &limits);
        let inv = inventory(&loaded.config, &DiskFiles::new(limits.clone()));
        let findings = kcred_core::evaluate(&inv, &policy, now);
        let parse = |bytes: Vec<u8>| serde_json::from_slice::<Value>(&bytes).unwrap();

        let mut out = Vec::new();
        kcred_core::write_findings_sarif(&findings, None, &mut out).unwrap();
        assert_eq!(
            parse(out),
            kcred_core::findings_sarif(&findings, None),
            "{config:?}"
        );
        let mut out = Vec::new();
        kcred_core::write_findings_json(&findings, "strict", now, &mut out).unwrap();
        assert_eq!(
            parse(out),
            kcred_core::findings_json(&findings, "strict", now),
            "{config:?}"
        );
        let mut out = Vec::new();
        kcred_core::write_inventory_json(&inv, now, None, &mut out).unwrap();
        assert_eq!(parse(out), inventory_json(&inv, now), "{config:?}");
        compared += findings.len();
    }
    assert!(compared > 50, "only {compared} findings compared");
}
