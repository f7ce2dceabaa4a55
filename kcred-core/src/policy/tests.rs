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
use crate::credential::{inventory, Credential, Inventory, NoFiles};
use crate::kubeconfig::Kubeconfig;

const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const DAY: i64 = 86_400;

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(NOW).unwrap()
}

/// Sets origins as the loader would: the file name and the line of `- name: X`.
pub(crate) fn inventory_of(text: &str, file: &str) -> Inventory {
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

pub(crate) fn fixture(name: &str) -> Inventory {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/platforms")
        .join(name)
        .join("config");
    let text = std::fs::read_to_string(&path).unwrap();
    inventory_of(&text, &format!("{name}/config"))
}

/// An unsigned JWT with the given claims (signatures are never verified).
pub(crate) fn jwt(claims: &str) -> String {
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(claims)
    )
}

fn token_config(claims: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://k8s.example:6443\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: alice\nusers:\n- name: alice\n  user:\n    token: {}\n",
        jwt(claims)
    )
}

fn token_expiring_in(secs: i64) -> Inventory {
    inventory_of(
        &token_config(&format!(
            r#"{{"sub":"alice","iat":{},"exp":{}}}"#,
            NOW - DAY,
            NOW + secs
        )),
        "t.yaml",
    )
}

fn policy(text: &str) -> Policy {
    parse_policy(text, Path::new("policy.yaml")).unwrap()
}

fn codes(inv: &Inventory, p: &Policy) -> Vec<Code> {
    evaluate(inv, p, now())
        .into_iter()
        .filter(|f| f.is_active())
        .map(|f| f.code)
        .collect()
}

fn fires(code: Code, inv: &Inventory, p: &Policy) -> bool {
    codes(inv, p).contains(&code)
}

fn with_rule(rule: impl std::fmt::Display, settings: &str) -> Policy {
    policy(&format!("version: 1\nrules:\n  {rule}: {settings}\n"))
}

#[test]
fn kc001_expired() {
    let base = Policy::default();
    assert!(fires(Code::Expired, &token_expiring_in(-3600), &base));
    assert!(!fires(Code::Expired, &token_expiring_in(3600), &base));
    let f = evaluate(&fixture("edge-expired"), &base, now());
    let f = f.iter().find(|f| f.code == Code::Expired).unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("expired 1d ago"), "{}", f.message);
    assert_eq!(f.location.file, Path::new("edge-expired/config"));
    assert!(f.location.line.is_some());
}

#[test]
fn kc002_not_yet_valid() {
    let base = Policy::default();
    assert!(fires(
        Code::NotYetValid,
        &fixture("edge-not-yet-valid"),
        &base
    ));
    assert!(!fires(Code::NotYetValid, &token_expiring_in(3600), &base));
}

#[test]
fn kc003_expiring_soon_with_error_threshold() {
    let base = Policy::default();
    let soon = token_expiring_in(10 * DAY);
    let found = evaluate(&soon, &base, now());
    let f = found.iter().find(|f| f.code == Code::ExpiringSoon).unwrap();
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
fn kc001_kc003_skip_auth_providers_that_refresh_themselves() {
    let base = Policy::default();
    // The oidc fixture's id-token expires in 1 h, but its refresh token renews it.
    assert!(!fires(
        Code::ExpiringSoon,
        &fixture("oidc-auth-provider"),
        &base
    ));
    assert!(!fires(Code::Expired, &fixture("oidc-auth-provider"), &base));
    assert!(!fires(
        Code::ExpiringSoon,
        &fixture("legacy-azure-auth-provider"),
        &base
    ));
    // gcp keeps no refresh token: its access token running out is still reported.
    assert!(fires(
        Code::ExpiringSoon,
        &fixture("legacy-gcp-auth-provider"),
        &base
    ));
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
    let p = with_rule("max-remaining", "{ threshold: 24h }");
    let found = evaluate(&token_expiring_in(3 * DAY), &p, now());
    let f = found.iter().find(|f| f.code == Code::MaxRemaining).unwrap();
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
    assert!(fires(Code::NeverExpires, &fixture("sa-legacy"), &base));
    assert!(fires(
        Code::NeverExpires,
        &fixture("edge-never-expires"),
        &base
    ));
    assert!(!fires(Code::NeverExpires, &token_expiring_in(DAY), &base));
}

#[test]
fn kc007_static_credential() {
    let strict = Policy::preset("strict").unwrap();
    assert!(fires(
        Code::StaticCredential,
        &fixture("aks-admin"),
        &strict
    ));
    assert!(fires(
        Code::StaticCredential,
        &fixture("basic-auth"),
        &strict
    ));
    assert!(!fires(
        Code::StaticCredential,
        &fixture("aks-kubelogin-azurecli"),
        &strict
    ));
    // service-account tokens are machine identities
    assert!(!fires(
        Code::StaticCredential,
        &fixture("sa-bound"),
        &strict
    ));
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
        let f = evaluate(&inv, &strict, now());
        let f = f.iter().find(|f| f.code == Code::UnknownExpiry).unwrap();
        assert_eq!(f.severity, Severity::Error, "{token}");
    }
    assert!(fires(Code::UnknownExpiry, &fixture("aks-admin"), &base));
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
        let long = matches!(until, Until::Never | Until::Unknown { .. });
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
    // `check` never runs it: it has no windows
    assert!(!fires(Code::MaxExposure, &fixture("aks-admin"), &strict));
}

#[test]
fn kc101_irrevocable_admin() {
    let strict = Policy::preset("strict").unwrap();
    assert!(fires(
        Code::IrrevocableAdmin,
        &fixture("aks-admin"),
        &strict
    ));
    // On in baseline too: `az aks get-credentials --admin` fails the default check.
    let base = Policy::default();
    let found = evaluate(&fixture("aks-admin"), &base, now());
    let f = found
        .iter()
        .find(|f| f.code == Code::IrrevocableAdmin)
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(crate::worst_severity(&found), Some(Severity::Error));
    assert!(fires(
        Code::IrrevocableAdmin,
        &fixture("kubeadm-super-admin"),
        &base
    ));
    assert!(!fires(
        Code::IrrevocableAdmin,
        &fixture("kubeadm-admin"),
        &base
    ));
    assert!(fires(
        Code::IrrevocableAdmin,
        &fixture("kubeadm-super-admin"),
        &strict
    ));
    // kubeadm >= 1.29 admin.conf is O=kubeadm:cluster-admins
    assert!(!fires(
        Code::IrrevocableAdmin,
        &fixture("kubeadm-admin"),
        &strict
    ));
}

#[test]
fn kc102_weak_key() {
    let base = Policy::default();
    let found = evaluate(&fixture("edge-rsa1024-sha1"), &base, now());
    let f = found.iter().find(|f| f.code == Code::WeakKey).unwrap();
    assert!(f.message.contains("1024-bit RSA key"), "{}", f.message);
    assert!(f.message.contains("sha1WithRSAEncryption"), "{}", f.message);
    assert!(!fires(Code::WeakKey, &fixture("edge-ecdsa-p384"), &base));
}

#[test]
fn kc103_cert_key_mismatch() {
    let base = Policy::default();
    assert!(fires(
        Code::CertKeyMismatch,
        &fixture("edge-key-mismatch"),
        &base
    ));
    assert!(!fires(Code::CertKeyMismatch, &fixture("aks-admin"), &base));
}

#[test]
fn kc104_not_signed_by_cluster_ca() {
    let p = with_rule("not-signed-by-cluster-ca", "{ enabled: true }");
    assert!(fires(
        Code::NotSignedByClusterCa,
        &fixture("edge-wrong-ca"),
        &p
    ));
    assert!(!fires(
        Code::NotSignedByClusterCa,
        &fixture("edge-chain"),
        &p
    ));
}

#[test]
fn kc201_basic_auth() {
    let base = Policy::default();
    assert!(fires(Code::BasicAuth, &fixture("basic-auth"), &base));
    assert!(!fires(Code::BasicAuth, &token_expiring_in(DAY), &base));
}

#[test]
fn kc202_token_and_basic_auth_together() {
    let base = Policy::default();
    let found = evaluate(&fixture("token-and-basic"), &base, now());
    assert_eq!(
        found
            .iter()
            .filter(|f| f.code == Code::TokenAndBasicAuthTogether)
            .count(),
        1
    );
    assert!(!fires(
        Code::TokenAndBasicAuthTogether,
        &fixture("basic-auth"),
        &base
    ));
}

#[test]
fn kc301_removed_auth_provider() {
    let base = Policy::default();
    assert!(fires(
        Code::RemovedAuthProvider,
        &fixture("legacy-azure-auth-provider"),
        &base
    ));
    assert!(fires(
        Code::RemovedAuthProvider,
        &fixture("legacy-gcp-auth-provider"),
        &base
    ));
    assert!(!fires(
        Code::RemovedAuthProvider,
        &fixture("oidc-auth-provider"),
        &base
    ));
}

#[test]
fn kc302_refresh_token_on_disk() {
    let strict = Policy::preset("strict").unwrap();
    assert!(fires(
        Code::RefreshTokenOnDisk,
        &fixture("oidc-auth-provider"),
        &strict
    ));
    assert!(!fires(
        Code::RefreshTokenOnDisk,
        &fixture("oidc-login"),
        &strict
    ));
}

#[test]
fn kc303_exec_plugin_not_allowed() {
    let p = with_rule("exec-plugin-not-allowed", "{ allow: [kubelogin, aws] }");
    assert!(!fires(
        Code::ExecPluginNotAllowed,
        &fixture("aks-kubelogin-azurecli"),
        &p
    ));
    assert!(!fires(Code::ExecPluginNotAllowed, &fixture("eks"), &p));
    assert!(fires(Code::ExecPluginNotAllowed, &fixture("gke"), &p));
    // without an allowlist the rule does nothing
    assert!(!fires(
        Code::ExecPluginNotAllowed,
        &fixture("gke"),
        &Policy::default()
    ));
}

fn exec_config(extra: &str) -> Inventory {
    inventory_of(
        &format!("apiVersion: v1\nusers:\n- name: bob\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubelogin\n{extra}"),
        "e.yaml",
    )
}

#[test]
fn kc304_exec_interactive_mode() {
    let base = Policy::default();
    assert!(fires(Code::ExecInteractiveMode, &exec_config(""), &base));
    assert!(!fires(
        Code::ExecInteractiveMode,
        &exec_config("      interactiveMode: Never\n"),
        &base
    ));
    // v1beta1 does not need it
    assert!(!fires(
        Code::ExecInteractiveMode,
        &fixture("aks-kubelogin-azurecli"),
        &base
    ));
}

#[test]
fn kc401_insecure_skip_tls_verify() {
    let text = "apiVersion: v1\nclusters:\n- name: dev\n  cluster:\n    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: true\n";
    let base = Policy::default();
    let found = evaluate(&inventory_of(text, "k.yaml"), &base, now());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, Code::InsecureSkipTlsVerify);
    assert_eq!(found[0].location.cluster.as_deref(), Some("dev"));
    assert_eq!(found[0].location.line, Some(3));
    assert!(!fires(
        Code::InsecureSkipTlsVerify,
        &fixture("aks-admin"),
        &base
    ));
}

#[test]
fn kc402_file_reference() {
    let p = with_rule("file-reference", "{ enabled: true }");
    let found = evaluate(&fixture("minikube"), &p, now());
    assert!(found
        .iter()
        .any(|f| f.code == Code::FileReference && f.location.user.is_some()));
    assert!(found
        .iter()
        .any(|f| f.code == Code::FileReference && f.location.user.is_none()));
    assert!(!fires(Code::FileReference, &fixture("aks-admin"), &p));
}

#[test]
fn kc9xx_input_problems_fail_the_check() {
    let base = Policy::default();
    // minikube references files; with no files they are missing
    assert!(fires(
        Code::MissingReferencedFile,
        &fixture("minikube"),
        &base
    ));
    assert!(fires(
        Code::UndecodableCredential,
        &fixture("edge-truncated-pem"),
        &base
    ));
    assert!(fires(
        Code::InvalidKubeconfig,
        &fixture("edge-missing-user"),
        &base
    ));
    let mut inv = Inventory::default();
    inv.problems.push(crate::Error::Io {
        at: crate::Location::file("/nonexistent"),
        reason: "not found".into(),
    });
    let found = evaluate(&inv, &base, now());
    assert_eq!(found[0].code, Code::UnreadableInput);
    assert_eq!(found[0].message, "cannot read file (not found)");
    for clean in ["aks-kubelogin-azurecli", "eks", "gke"] {
        let codes = codes(&fixture(clean), &base);
        assert!(
            codes.iter().all(|c| !c.as_str().starts_with("KC9")),
            "{clean}: {codes:?}"
        );
    }
}

#[test]
fn kc910_expired_suppression_and_live_suppression() {
    let strict_with = |expires: &str| {
        policy(&format!(
            "version: 1\nextends: strict\nsuppressions:\n- rule: irrevocable-admin\n  users: ['clusterAdmin_*']\n  reason: break-glass account\n  expires: {expires}\n"
        ))
    };
    let inv = fixture("aks-admin");
    let live = evaluate(&inv, &strict_with("2026-06-30"), now());
    let kc101 = live
        .iter()
        .find(|f| f.code == Code::IrrevocableAdmin)
        .unwrap();
    assert_eq!(
        kc101.suppressed.as_ref().unwrap().reason,
        "break-glass account"
    );
    assert!(!live.iter().any(|f| f.code == Code::ExpiredSuppression));
    let lapsed = evaluate(&inv, &strict_with("2025-12-31"), now());
    assert!(lapsed
        .iter()
        .any(|f| f.code == Code::IrrevocableAdmin && f.is_active()));
    let kc910 = lapsed
        .iter()
        .find(|f| f.code == Code::ExpiredSuppression)
        .unwrap();
    assert_eq!(kc910.severity, Severity::Warning);
    assert_eq!(kc910.location.file, Path::new("policy.yaml"));
    assert_eq!(kc910.location.line, Some(4));
}

#[test]
fn scopes_include_and_exclude() {
    let inv = fixture("aks-admin");
    let only_other = policy(
        "version: 1\nextends: strict\nrules:\n  KC101: { include: { contexts: ['prod-*'] } }\n",
    );
    assert!(!fires(Code::IrrevocableAdmin, &inv, &only_other));
    let exclude_kind =
        policy("version: 1\nextends: strict\nrules:\n  KC007: { exclude: { kinds: [token] } }\n");
    let found = evaluate(&inv, &exclude_kind, now());
    let kinds: Vec<_> = found
        .iter()
        .filter(|f| f.code == Code::StaticCredential)
        .map(|f| f.kind)
        .collect();
    assert_eq!(kinds, [Some(crate::CredentialKind::ClientCertificate)]);
    let by_file = policy(
        "version: 1\nextends: strict\nrules:\n  KC101: { exclude: { files: ['aks-*/config'] } }\n",
    );
    assert!(!fires(Code::IrrevocableAdmin, &inv, &by_file));
    let by_name = policy(
        "version: 1\nextends: strict\nrules:\n  KC101: { exclude: { files: ['config'] } }\n",
    );
    assert!(!fires(Code::IrrevocableAdmin, &inv, &by_name));
    let by_user = policy("version: 1\nextends: strict\nrules:\n  KC101: { include: { users: ['clusterAdmin_*'], clusters: ['aks-prod-*'] } }\n");
    assert!(fires(Code::IrrevocableAdmin, &inv, &by_user));
}

#[test]
fn aks_admin_under_strict_fails_with_platform_remediation() {
    let found = evaluate(
        &fixture("aks-admin"),
        &Policy::preset("strict").unwrap(),
        now(),
    );
    for code in [
        Code::IrrevocableAdmin,
        Code::StaticCredential,
        Code::MaxRemaining,
    ] {
        let f = found
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("{code} missing: {found:#?}"));
        assert_eq!(f.severity, Severity::Error);
        assert!(
            f.remediation.contains("az aks rotate-certs"),
            "{}",
            f.remediation
        );
        assert!(
            f.remediation.contains("local accounts"),
            "{}",
            f.remediation
        );
    }
    let kc005 = found.iter().find(|f| f.code == Code::MaxRemaining).unwrap();
    assert!(
        kc005.message.starts_with(
            "client certificate for user clusterAdmin_rg-platform_aks-prod-weu expires in "
        ),
        "{}",
        kc005.message
    );
    assert!(
        kc005.message.ends_with("; policy allows at most 24h"),
        "{}",
        kc005.message
    );
    assert_eq!(worst_severity(&found), Some(Severity::Error));
}

#[test]
fn kubelogin_exec_under_strict_is_clean() {
    let strict = Policy::preset("strict").unwrap();
    for name in [
        "aks-kubelogin-azurecli",
        "aks-kubelogin-devicecode",
        "aks-kubelogin-interactive",
        "aks-user-devicecode",
    ] {
        let found = evaluate(&fixture(name), &strict, now());
        assert!(found.is_empty(), "{name}: {found:#?}");
    }
}

#[test]
fn deterministic_order() {
    let mut inv = fixture("aks-admin");
    inv.extend(fixture("basic-auth"));
    inv.extend(fixture("edge-expired"));
    let strict = Policy::preset("strict").unwrap();
    let a = evaluate(&inv, &strict, now());
    inv.credentials.reverse();
    let b = evaluate(&inv, &strict, now());
    assert_eq!(a, b);
    let files: Vec<_> = a.iter().map(|f| f.location.file.clone()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn kc501_credential_in_repository_only_from_scans_and_only_while_usable() {
    let base = Policy::default();
    let repo_codes = |inv: &Inventory| -> Vec<Code> {
        evaluate_repository(inv, &base, now())
            .into_iter()
            .filter(|f| f.is_active())
            .map(|f| f.code)
            .collect()
    };
    let live = token_expiring_in(60 * DAY);
    assert!(repo_codes(&live).contains(&Code::CredentialInRepository));
    let f = evaluate_repository(&live, &base, now())
        .into_iter()
        .find(|f| f.code == Code::CredentialInRepository)
        .unwrap();
    assert_eq!(
        f.message,
        "static token for user alice is in the tree with its token; anyone who can read it can use it for 60d more"
    );
    // An expired token in a repository is history, not access.
    assert!(!repo_codes(&token_expiring_in(-3600)).contains(&Code::CredentialInRepository));
    // A kubeconfig checked with `kcred check` is not a repository finding.
    assert!(!fires(Code::CredentialInRepository, &live, &base));
    // A certificate with its key is usable; without its key it is public.
    let mut kind = fixture("kind");
    assert!(repo_codes(&kind).contains(&Code::CredentialInRepository));
    for r in &mut kind.credentials {
        if let Credential::ClientCertificate(c) = &mut r.credential {
            c.key_source = None;
        }
    }
    assert!(!repo_codes(&kind).contains(&Code::CredentialInRepository));
}

#[test]
fn every_rule_is_exercised_by_a_test_above() {
    // keeps the registry and these tests in step
    let src = include_str!("tests.rs");
    for r in RULES {
        let code = r.code.as_str().to_ascii_lowercase();
        let family = format!("{}xx", &code[..3]);
        assert!(
            src.contains(&format!("fn {code}_")) || src.contains(&format!("fn {family}_")),
            "no test for {}",
            r.code
        );
    }
}

// ---- outputs -------------------------------------------------------------

fn external_tool(name: &str) -> bool {
    std::process::Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
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
        assert_eq!(loc.len(), 7);
        assert!(loc.contains_key("line"));
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
    let log = crate::findings_sarif(&found);
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
    assert!(
        out.status.success(),
        "SARIF does not validate:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
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
    assert!(
        out.status.success(),
        "promtool check metrics failed:\n{}{}\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn findings_table_shows_location_message_and_fix() {
    let found = evaluate(
        &fixture("aks-admin"),
        &Policy::preset("strict").unwrap(),
        now(),
    );
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
    all_on.rules.get_mut(&Code::MaxLifetime).unwrap().threshold = PolicyDuration::parse("1h").ok();
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
        crate::findings_sarif(&found).to_string(),
        crate::prometheus_text(&inv, &found, now()),
        format!("{found:?}"),
    ];
    for out in outputs {
        assert!(!out.contains("CANARY"), "secret leaked:\n{out}");
    }
}
