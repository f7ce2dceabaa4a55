//! One test that fires and one that does not, per rule, at a fixed `now`.
//! Inputs are small kubeconfigs written here (tokens as hand-made JWTs) or the
//! generated platform fixtures in `tests/data/platforms/`.
// Test-only module: spawning is allowed here (python3 jsonschema for SARIF,
// promtool for the Prometheus text); the library itself never spawns (/clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::path::Path;

use base64::Engine;
use time::OffsetDateTime;

use super::*;
use crate::credential::{inventory, Inventory, NoFiles};
use crate::kubeconfig::Kubeconfig;

pub(super) const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
pub(super) const DAY: i64 = 86_400;

pub(super) fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(NOW).unwrap()
}

/// Sets origins as the loader would: the file name and the line of `- name: X`.
pub(super) fn inventory_of(text: &str, file: &str) -> Inventory {
    let mut config: Kubeconfig = serde_saphyr::from_str(text).unwrap();
    let line = |name: &str| {
        text.lines()
            .position(|l| {
                let t = l.trim_start().trim_start_matches("- ");
                t == format!("name: {name}") || t == format!("name: \"{name}\"")
            })
            .map(|i| i as u32 + 1)
    };
    for u in &mut config.users {
        u.origin.file = file.into();
        u.origin.line = line(&u.name);
    }
    for c in &mut config.clusters {
        c.origin.file = file.into();
        c.origin.line = line(&c.name);
    }
    for c in &mut config.contexts {
        c.origin.file = file.into();
        c.origin.line = line(&c.name);
    }
    inventory(&config, &NoFiles)
}

pub(super) fn fixture(name: &str) -> Inventory {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/platforms")
        .join(name)
        .join("config");
    let text = std::fs::read_to_string(&path).unwrap();
    inventory_of(&text, &format!("{name}/config"))
}

/// An unsigned JWT with the given claims (signatures are never verified).
pub(super) fn jwt(claims: &str) -> String {
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(claims)
    )
}

pub(super) fn token_config(claims: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://k8s.example:6443\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: alice\nusers:\n- name: alice\n  user:\n    token: {}\n",
        jwt(claims)
    )
}

pub(super) fn token_expiring_in(secs: i64) -> Inventory {
    inventory_of(
        &token_config(&format!(
            r#"{{"sub":"alice","iat":{},"exp":{}}}"#,
            NOW - DAY,
            NOW + secs
        )),
        "t.yaml",
    )
}

pub(super) fn policy(text: &str) -> Policy {
    parse_policy(text, Path::new("policy.yaml")).unwrap()
}

pub(super) fn codes(inv: &Inventory, p: &Policy) -> Vec<Code> {
    evaluate(inv, p, now())
        .into_iter()
        .filter(|f| f.is_active())
        .map(|f| f.code)
        .collect()
}

/// The first finding of rule `code` that `p` gives on `inv` (panics when none).
pub(super) fn finding(code: Code, inv: &Inventory, p: &Policy) -> Finding {
    let found = evaluate(inv, p, now());
    found
        .into_iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code:?}"))
}

/// The policy of one rule's `settings` and that rule's first finding on `inv`.
pub(super) fn finding_under(rule: &str, settings: &str, inv: &Inventory) -> (Policy, Finding) {
    let p = with_rule(rule, settings);
    let code = Code::from_code_or_name(rule).unwrap();
    let f = finding(code, inv, &p);
    (p, f)
}

pub(super) fn fires(code: Code, inv: &Inventory, p: &Policy) -> bool {
    codes(inv, p).contains(&code)
}

/// The findings of `strict` on a platform fixture.
pub(super) fn strict_findings(name: &str) -> Vec<Finding> {
    evaluate(&fixture(name), &Policy::preset("strict").unwrap(), now())
}

pub(super) fn with_rule(rule: impl std::fmt::Display, settings: &str) -> Policy {
    policy(&format!("version: 1\nrules:\n  {rule}: {settings}\n"))
}

// ---- KC0xx: lifetime and kind ----------------------------------------------

#[test]
fn kc001_expired() {
    let base = Policy::default();
    assert!(fires(Code::Expired, &token_expiring_in(-3600), &base));
    assert!(!fires(Code::Expired, &token_expiring_in(3600), &base));
    let f = finding(Code::Expired, &fixture("edge-expired"), &base);
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("expired 1d ago"), "{}", f.message);
    assert_eq!(f.location.file, Path::new("edge-expired/config"));
    assert!(f.location.line.is_some());
}

#[test]
fn kc002_not_yet_valid() {
    let base = Policy::default();
    assert!(!fires(Code::NotYetValid, &token_expiring_in(3600), &base));
}

#[test]
fn kc003_expiring_soon_with_error_threshold() {
    let base = Policy::default();
    let soon = token_expiring_in(10 * DAY);
    let f = finding(Code::ExpiringSoon, &soon, &base);
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "static token for user alice expires in 10d (2026-01-11T00:00:00Z); policy warns within 30d"
    );
    assert!(!fires(
        Code::ExpiringSoon,
        &token_expiring_in(60 * DAY),
        &base
    ));
    let kubeadm = Policy::preset("kubeadm").unwrap();
    let sev = |inv: &Inventory| {
        evaluate(inv, &kubeadm, now())
            .into_iter()
            .find(|f| f.code == Code::ExpiringSoon)
            .map(|f| f.severity)
    };
    assert_eq!(sev(&token_expiring_in(20 * DAY)), Some(Severity::Warning));
    assert_eq!(sev(&token_expiring_in(5 * DAY)), Some(Severity::Error));
}

#[test]
fn kc003_threshold_as_a_share_of_lifetime() {
    // Issued a day before NOW: a token that expires in 2d has lived a third of
    // its 3d lifetime, and two thirds are left.
    let settings = "{ threshold: 70%, error-threshold: 50% }";
    let (p, f) = finding_under("expiring-soon", settings, &token_expiring_in(2 * DAY));
    assert_eq!(
        f.message,
        "static token for user alice expires in 2d (2026-01-03T00:00:00Z); policy warns within 70% of its 3d lifetime (2d)"
    );
    assert_eq!(f.severity, Severity::Warning);
    let at_50 = with_rule("expiring-soon", "{ threshold: 50% }");
    assert!(!fires(
        Code::ExpiringSoon,
        &token_expiring_in(2 * DAY),
        &at_50
    ));
    // A day left of two: 50% is an error at a 50% error threshold.
    let f = evaluate(&token_expiring_in(DAY), &p, now());
    assert_eq!(
        f.iter()
            .find(|f| f.code == Code::ExpiringSoon)
            .unwrap()
            .severity,
        Severity::Error
    );
    // No start, no lifetime: a share does not apply.
    let no_iat = inventory_of(
        &token_config(&format!(r#"{{"exp":{}}}"#, NOW + 60)),
        "t.yaml",
    );
    assert!(!fires(Code::ExpiringSoon, &no_iat, &at_50));
    // Out of range, or on a rule that is not expiring-soon: a bad policy.
    for (rule, settings, want) in [
        (
            "expiring-soon",
            "{ threshold: 0% }",
            "more than 0% and at most 100%",
        ),
        (
            "expiring-soon",
            "{ threshold: 100.5% }",
            "more than 0% and at most 100%",
        ),
        (
            "expiring-soon",
            "{ threshold: 33 }",
            "or a share of lifetime like 33%",
        ),
        (
            "max-remaining",
            "{ threshold: 33% }",
            "for expiring-soon only",
        ),
        (
            "max-lifetime",
            "{ error-threshold: 33% }",
            "for expiring-soon only",
        ),
    ] {
        let text = format!("version: 1\nrules:\n  {rule}: {settings}\n");
        let err = parse_policy(&text, Path::new("p.yaml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{settings}: {err}");
        assert!(err.contains("line 3"), "{err}");
    }
}

#[test]
fn kc004_max_lifetime() {
    let p = with_rule("max-lifetime", "{ threshold: 90d }");
    assert!(fires(Code::MaxLifetime, &token_expiring_in(365 * DAY), &p));
    assert!(!fires(Code::MaxLifetime, &token_expiring_in(30 * DAY), &p));
    // off by default
    assert!(!fires(
        Code::MaxLifetime,
        &token_expiring_in(365 * DAY),
        &Policy::default()
    ));
}

#[test]
fn kc005_max_remaining() {
    let (p, f) = finding_under(
        "max-remaining",
        "{ threshold: 24h }",
        &token_expiring_in(3 * DAY),
    );
    assert_eq!(
        f.message,
        "static token for user alice expires in 3d (2026-01-04T00:00:00Z); policy allows at most 24h"
    );
    assert!(!fires(Code::MaxRemaining, &token_expiring_in(3600), &p));
    let never = inventory_of(&token_config(r#"{"sub":"alice"}"#), "t.yaml");
    assert!(fires(Code::MaxRemaining, &never, &p));
}

#[test]
fn kc006_never_expires() {
    let base = Policy::default();
    let never = inventory_of(
        &token_config(r#"{"sub":"alice","iat":1700000000}"#),
        "t.yaml",
    );
    assert!(fires(Code::NeverExpires, &never, &base));
    assert!(!fires(Code::NeverExpires, &token_expiring_in(DAY), &base));
}

fn inline_token_config(token: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://k8s.example:6443\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: alice\nusers:\n- name: alice\n  user:\n    token: {token}\n"
    )
}

#[test]
fn kc008_unknown_expiry() {
    let base = Policy::default();
    let strict = Policy::preset("strict").unwrap();
    // Opaque tokens of every shape a platform or a person writes: hex (AKS
    // local admin), base64, a static token-auth-file value, a short password-like string.
    let opaque = [
        "0123456789abcdef".repeat(4),
        "QWxhZGRpbjpvcGVuIHNlc2FtZQ==".to_owned(),
        "31ada4fd-adec-460c-809a-9e56ceb75269".to_owned(),
        "s3cr3t".to_owned(),
        "a.b.c".to_owned(),
    ];
    for token in &opaque {
        let inv = inventory_of(&inline_token_config(token), "t.yaml");
        let found = evaluate(&inv, &base, now());
        let f = found.iter().find(|f| f.code == Code::UnknownExpiry);
        let f = f.unwrap_or_else(|| panic!("no KC008 for {token}"));
        assert_eq!(f.severity, Severity::Warning, "{token}");
        assert_eq!(
            f.message,
            "static token for user alice is an opaque token: its expiry is not in the token or the file, so it works until it is removed on the server"
        );
        let f = finding(Code::UnknownExpiry, &inv, &strict);
        assert_eq!(f.severity, Severity::Error, "{token}");
    }
    // Tokens whose lifetime is known or bounded by their issuer are not reported.
    let known = [
        jwt(&format!(r#"{{"sub":"alice","exp":{}}}"#, NOW + DAY)),
        jwt(r#"{"sub":"alice"}"#), // no exp: KC006 never-expires instead
        "sha256~abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG".to_owned(),
        "abcdef.0123456789abcdef".to_owned(), // bootstrap token
    ];
    for token in &known {
        let inv = inventory_of(&inline_token_config(token), "t.yaml");
        assert!(!fires(Code::UnknownExpiry, &inv, &base), "{token}");
    }
    for name in [
        "eks-static-token",
        "openshift",
        "sa-bound",
        "sa-legacy",
        "sa-tokenfile",
    ] {
        assert!(!fires(Code::UnknownExpiry, &fixture(name), &base), "{name}");
    }
}

/// A context whose only credential has the window `until`.
fn exposed_context(name: &str, until: crate::exposure::Until) -> crate::exposure::ContextExposure {
    use crate::exposure::{ContextExposure, ExposedCredential, Revocability};
    ContextExposure {
        context: name.to_owned(),
        user: format!("{name}-user"),
        cluster: Some("c".to_owned()),
        platform: crate::platform::Platform::Generic,
        credentials: vec![ExposedCredential {
            what: "cached token with refresh token".to_owned(),
            source: "kubelogin",
            location: crate::error::Location::file("home/.kube/cache/t.json"),
            until,
            access_token_until: None,
            renewable: true,
            revocability: Revocability::ExpiryOnly,
            revoke: String::new(),
            can_mint_credentials: None,
        }],
        until,
        irrevocable: false,
        system_masters: false,
        steps: Vec::new(),
    }
}

#[test]
fn kc009_max_exposure() {
    use crate::exposure::Until;
    let strict = Policy::preset("strict").unwrap();
    let at = |secs: i64| OffsetDateTime::from_unix_timestamp(NOW + secs).unwrap();
    // (window, fails strict's 24h)
    let cases = [
        (Until::At { at: at(60) }, false),
        (Until::At { at: at(DAY) }, false),
        (Until::At { at: at(DAY + 1) }, true),
        (Until::At { at: at(90 * DAY) }, true),
        (Until::Never, true),
        (Until::Unbounded, true),
        (Until::Unknown { at_least: None }, true),
        (
            Until::Unknown {
                at_least: Some(at(60)),
            },
            true,
        ),
        (Until::Expired { at: at(-60) }, false),
        (Until::NotUsable, false),
    ];
    for (until, fails) in cases {
        let ctx = exposed_context("ctx", until);
        let found = evaluate_exposure(std::slice::from_ref(&ctx), &strict, now());
        assert_eq!(found.len(), usize::from(fails), "{until:?}: {found:?}");
        if let Some(f) = found.first() {
            assert_eq!((f.code, f.severity), (Code::MaxExposure, Severity::Error));
            assert_eq!(f.location.context.as_deref(), Some("ctx"));
            assert_eq!(f.location.user.as_deref(), Some("ctx-user"));
            assert!(
                f.message.ends_with("policy allows at most 24h"),
                "{}",
                f.message
            );
        }
        // off in baseline; the threshold is the policy's
        assert!(
            evaluate_exposure(std::slice::from_ref(&ctx), &Policy::default(), now()).is_empty()
        );
        let week = with_rule("max-exposure", "{ enabled: true, threshold: 100d }");
        let found = evaluate_exposure(&[ctx], &week, now());
        let long = matches!(
            until,
            Until::Never | Until::Unbounded | Until::Unknown { .. }
        );
        assert_eq!(!found.is_empty(), long, "{until:?}");
    }
    let f = &evaluate_exposure(
        &[exposed_context("aks", Until::At { at: at(90 * DAY) })],
        &strict,
        now(),
    )[0];
    assert_eq!(
        f.message,
        "context aks lets whoever holds this disk in for 90d more (until 2026-04-01T00:00:00Z) through the cached token with refresh token (kubelogin); policy allows at most 24h"
    );
}

// ---- outputs ---------------------------------------------------------------

fn external_tool(name: &str) -> bool {
    std::process::Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Fails with what the external tool said (and `extra`) unless it succeeded.
fn tool_succeeded(out: &std::process::Output, what: &str, extra: &str) {
    assert!(
        out.status.success(),
        "{what}:\n{}{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        if extra.is_empty() {
            String::new()
        } else {
            format!("\n{extra}")
        }
    );
}

/// Everything the renderers see, from fixtures that fire many rules.
fn many_findings() -> (Inventory, Vec<Finding>) {
    let mut inv = Inventory::default();
    for name in [
        "aks-admin",
        "basic-auth",
        "edge-expired",
        "edge-rsa1024-sha1",
        "legacy-azure-auth-provider",
        "minikube",
        "sa-legacy",
    ] {
        inv.extend(fixture(name));
    }
    let p = policy(
        "version: 1\nextends: strict\nrules:\n  file-reference: { enabled: true }\n  max-lifetime: { threshold: 30d }\nsuppressions:\n- { rule: KC201, reason: legacy lab, users: [admin] }\n",
    );
    let found = evaluate(&inv, &p, now());
    (inv, found)
}

#[test]
fn findings_json_has_stable_keys_and_nulls() {
    let (_, found) = many_findings();
    let doc = crate::findings_json(&found, "strict", now());
    assert_eq!(doc["schema"], "kcred.findings/v1");
    assert_eq!(doc["now"], "2026-01-01T00:00:00Z");
    let first = &doc["findings"][0];
    let keys: Vec<_> = first.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "code",
            "kind",
            "location",
            "message",
            "name",
            "platform",
            "remediation",
            "severity",
            "suppressed"
        ]
    );
    for f in doc["findings"].as_array().unwrap() {
        let loc = f["location"].as_object().unwrap();
        assert_eq!(loc.len(), 8);
        assert!(loc.contains_key("line") && loc.contains_key("column"));
    }
    assert!(doc["summary"]["suppressed"].as_u64().unwrap() >= 1);
}

#[test]
fn findings_round_trip_through_json() {
    let (_, found) = many_findings();
    assert!(found
        .iter()
        .any(|f| f.suppressed.is_some() && f.kind.is_some()));
    for f in &found {
        let json = serde_json::to_value(f).unwrap();
        assert_eq!(json["code"], f.code.as_str());
        assert_eq!(json["name"], f.name());
        let back: Finding = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(&back, f);
        assert_eq!(serde_json::to_value(&back).unwrap(), json);
    }
    let mut unknown = serde_json::to_value(&found[0]).unwrap();
    unknown["code"] = "no-such-rule".into();
    assert!(serde_json::from_value::<Finding>(unknown).is_err());
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let (_, found) = many_findings();
    let log = crate::findings_sarif(&found, None);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<_> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "rules sorted, each once");
    for r in log["runs"][0]["results"].as_array().unwrap() {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        if let Some(line) = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() {
            assert!(line >= 1);
        }
    }
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/schemas/sarif-schema-2.1.0.json");
    let has_jsonschema = std::process::Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_jsonschema {
        eprintln!("SKIPPED: SARIF schema validation needs python3 with the jsonschema package");
        return;
    }
    let dir = std::env::temp_dir().join(format!("kcred-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("out.sarif");
    std::fs::write(&file, serde_json::to_string_pretty(&log).unwrap()).unwrap();
    let script = "import json,sys,jsonschema\n\
                  s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2]))\n\
                  v=jsonschema.validators.validator_for(s)(s)\n\
                  errs=sorted(v.iter_errors(d), key=str)\n\
                  [print(e.message, list(e.path)) for e in errs[:5]]\n\
                  sys.exit(1 if errs else 0)";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&schema)
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    tool_succeeded(&out, "SARIF does not validate", "");
}

#[test]
fn prometheus_text_passes_promtool() {
    let (inv, found) = many_findings();
    let text = crate::prometheus_text(&inv, &found, now());
    for name in [
        "kcred_credential_expiration_timestamp_seconds",
        "kcred_credential_expired",
        "kcred_credential_remaining_seconds",
        "kcred_policy_findings",
    ] {
        assert!(text.contains(&format!("# TYPE {name} gauge\n")), "{name}");
    }
    assert!(text.contains(
        "kcred_credential_expired{file=\"edge-expired/config\",context=\"expired@edge\",user=\"expired\",kind=\"client-certificate\"} 1\n"
    ), "{text}");
    assert!(
        text.contains("code=\"KC101\",severity=\"error\"} 1\n"),
        "{text}"
    );
    // suppressed findings are not counted
    assert!(!text.contains("code=\"KC201\""), "{text}");
    if !external_tool("promtool") {
        eprintln!("SKIPPED: promtool not found (Debian package `prometheus`); `promtool check metrics` not run");
        return;
    }
    use std::io::Write;
    let mut child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    tool_succeeded(&out, "promtool check metrics failed", &text);
}

#[test]
fn findings_table_shows_location_message_and_fix() {
    let found = strict_findings("aks-admin");
    let table = crate::findings_table(&found, false);
    assert!(table.contains("aks-admin/config:"), "{table}");
    assert!(table.contains("error KC101 irrevocable-admin [context aks-prod-weu-admin, user clusterAdmin_rg-platform_aks-prod-weu]"), "{table}");
    assert!(
        table.contains("  fix: AKS: disable local accounts"),
        "{table}"
    );
    assert!(!table.contains('\x1b'));
    assert!(crate::findings_table(&found, true).contains("\x1b[1;31merror\x1b[0m"));
}

#[test]
fn secrets_never_appear_in_any_format() {
    let text = "apiVersion: v1\nclusters:\n- name: c\n  cluster:\n    server: https://k8s.example:6443\n    insecure-skip-tls-verify: true\ncontexts:\n- name: ctx\n  context: { cluster: c, user: both }\nusers:\n- name: both\n  user:\n    token: CANARY-7f3a-token\n    username: admin\n    password: CANARY-7f3a-password\n    client-key-data: CANARY-7f3a-key\n    client-certificate-data: CANARY-7f3a-cert\n- name: oidc\n  user:\n    auth-provider:\n      name: azure\n      config:\n        refresh-token: CANARY-7f3a-refresh\n        access-token: CANARY-7f3a.access.token\n        client-secret: CANARY-7f3a-client-secret\n- name: plugin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubelogin\n      args: [get-token, --client-secret, CANARY-7f3a-arg, --password=CANARY-7f3a-arg2]\n      env:\n      - { name: AZURE_CLIENT_SECRET, value: CANARY-7f3a-env }\n";
    let inv = inventory_of(text, "canary.yaml");
    let mut all_on = Policy::preset("strict").unwrap();
    for s in all_on.rules.values_mut() {
        s.enabled = true;
    }
    all_on.rules.get_mut(&Code::MaxLifetime).unwrap().threshold =
        crate::policy::Threshold::parse("1h").ok();
    all_on
        .rules
        .get_mut(&Code::ExecPluginNotAllowed)
        .unwrap()
        .allow = Some(vec!["aws".into()]);
    let found = evaluate(&inv, &all_on, now());
    assert!(found.len() >= 8, "{found:#?}");
    let outputs = [
        crate::findings_table(&found, true),
        crate::findings_json(&found, "all", now()).to_string(),
        crate::findings_sarif(&found, None).to_string(),
        crate::prometheus_text(&inv, &found, now()),
        format!("{found:?}"),
    ];
    for out in outputs {
        assert!(!out.contains("CANARY"), "secret leaked:\n{out}");
    }
}
