//! The registry (docs current, codes sorted and in their family) and one
//! test that fires and one that does not for each rule from KC1xx to KC9xx;
//! KC0xx and the helpers are in `policy/tests.rs`.

use std::path::Path;

use super::*;
use crate::credential::{Credential, Inventory};
use crate::policy::tests::*;
use crate::policy::*;

#[test]
fn docs_rules_md_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let want = rules_markdown();
    if std::env::var_os("KCRED_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is out of date: run `KCRED_BLESS=1 cargo test -p kcred-core docs_rules_md_is_current`"
    );
}

#[test]
fn one_rule_per_code_in_code_order() {
    assert_eq!(RULES.len(), Code::ALL.len());
    for (r, c) in RULES.iter().zip(Code::ALL) {
        assert_eq!(r.code, *c);
        assert_eq!(c.rule().code, *c);
        assert_eq!(r.name, c.name());
    }
}

#[test]
fn codes_and_names_are_unique_sorted_and_in_their_family() {
    for pair in RULES.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "{} {}",
            pair[0].code,
            pair[1].code
        );
    }
    let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), RULES.len());
    for r in RULES {
        let hundreds = &r.code.as_str()[2..3];
        let family = match hundreds {
            "0" => Family::Lifetime,
            "1" => Family::Certificate,
            "2" => Family::Token,
            "3" => Family::Exec,
            "4" => Family::Cluster,
            "5" => Family::Repository,
            "6" => Family::Rights,
            _ => Family::Input,
        };
        assert_eq!(r.family, family, "{}", r.code);
        assert!(r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        assert!(!r.what.is_empty() && !r.why.is_empty() && !r.fix.is_empty());
    }
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
    let src = [
        include_str!("../tests.rs"),
        include_str!("tests.rs"),
        include_str!("rights.rs"),
    ]
    .concat();
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
