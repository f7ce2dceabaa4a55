//! The registry (docs current, codes sorted and in their family), the table
//! of platform fixtures each rule fires on or not, and the tests of each rule
//! from KC1xx to KC9xx that need more; KC0xx and the helpers are in
//! `policy/tests.rs`.

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

/// Each line: a rule, a policy (a preset, or `allow`, `ca-check` or
/// `file-ref`: one rule's settings over `baseline`, see [`policy_named`]),
/// the platform fixtures the rule fires on and, marked `!`, those it does not.
const FIXTURES: &str = "
expired                    baseline  !oidc-auth-provider
not-yet-valid              baseline  edge-not-yet-valid
# The oidc fixture's id-token expires in 1 h, but its refresh token renews it.
# gcp keeps no refresh token: its access token running out is still reported.
expiring-soon              baseline  !oidc-auth-provider !legacy-azure-auth-provider legacy-gcp-auth-provider
never-expires              baseline  sa-legacy edge-never-expires
# service-account tokens are machine identities
static-credential          strict    aks-admin basic-auth !aks-kubelogin-azurecli !sa-bound
unknown-expiry             baseline  aks-admin
# `check` never runs it: it has no windows
max-exposure               strict    !aks-admin
# kubeadm >= 1.29 admin.conf is O=kubeadm:cluster-admins
irrevocable-admin          strict    aks-admin kubeadm-super-admin !kubeadm-admin
irrevocable-admin          baseline  kubeadm-super-admin !kubeadm-admin
weak-key                   baseline  !edge-ecdsa-p384
cert-key-mismatch          baseline  edge-key-mismatch !aks-admin
not-signed-by-cluster-ca   ca-check  edge-wrong-ca !edge-chain
basic-auth                 baseline  basic-auth
token-and-basic-auth-together baseline !basic-auth
removed-auth-provider      baseline  legacy-azure-auth-provider legacy-gcp-auth-provider !oidc-auth-provider
refresh-token-on-disk      strict    oidc-auth-provider !oidc-login
exec-plugin-not-allowed    allow     gke !aks-kubelogin-azurecli !eks
# without an allowlist the rule does nothing
exec-plugin-not-allowed    baseline  !gke
# v1beta1 does not need it
exec-interactive-mode      baseline  !aks-kubelogin-azurecli
insecure-skip-tls-verify   baseline  !aks-admin
file-reference             file-ref  !aks-admin
# minikube references files; with no files they are missing
missing-referenced-file    baseline  minikube
undecodable-credential     baseline  edge-truncated-pem
invalid-kubeconfig         baseline  edge-missing-user
";

/// The policies of [`FIXTURES`].
fn policy_named(name: &str) -> Policy {
    match name {
        "allow" => with_rule("exec-plugin-not-allowed", "{ allow: [kubelogin, aws] }"),
        "ca-check" => with_rule("not-signed-by-cluster-ca", "{ enabled: true }"),
        "file-ref" => with_rule("file-reference", "{ enabled: true }"),
        preset => Policy::preset(preset).unwrap(),
    }
}

/// The rules [`FIXTURES`] covers.
fn fixture_codes() -> impl Iterator<Item = Code> {
    FIXTURES
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| !w.starts_with('#'))
        .map(|w| Code::from_code_or_name(w).unwrap_or_else(|| panic!("no rule {w}")))
}

#[test]
fn each_rule_fires_or_not_on_the_platform_fixtures() {
    let rows = FIXTURES
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    for (row, code) in rows.zip(fixture_codes()) {
        let mut words = row.split_whitespace().skip(1);
        let settings = words.next().unwrap();
        let p = policy_named(settings);
        for name in words {
            let (name, want) = match name.strip_prefix('!') {
                Some(name) => (name, false),
                None => (name, true),
            };
            let fired = fires(code, &fixture(name), &p);
            assert_eq!(fired, want, "{code} on {name} under {settings}");
        }
    }
}

#[test]
fn kc101_irrevocable_admin() {
    // On in baseline too: `az aks get-credentials --admin` fails the default check.
    let found = evaluate(&fixture("aks-admin"), &Policy::default(), now());
    let f = found
        .iter()
        .find(|f| f.code == Code::IrrevocableAdmin)
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(crate::worst_severity(&found), Some(Severity::Error));
}

#[test]
fn kc102_weak_key() {
    let base = Policy::default();
    let found = evaluate(&fixture("edge-rsa1024-sha1"), &base, now());
    let f = found.iter().find(|f| f.code == Code::WeakKey).unwrap();
    assert!(f.message.contains("1024-bit RSA key"), "{}", f.message);
    assert!(f.message.contains("sha1WithRSAEncryption"), "{}", f.message);
}

#[test]
fn kc201_basic_auth() {
    assert!(!fires(
        Code::BasicAuth,
        &token_expiring_in(DAY),
        &Policy::default()
    ));
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
}

#[test]
fn kc203_unsigned_jwt() {
    let base = Policy::default();
    let text = include_str!("../../../../tests/data/tokens/unsigned-jwt.yaml");
    let inv = inventory_of(text, "unsigned-jwt.yaml");
    assert!(fires(Code::UnsignedJwt, &inv, &base));
    // a signed JWT does not
    assert!(!fires(Code::UnsignedJwt, &token_expiring_in(3600), &base));
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
}

#[test]
fn kc9xx_input_problems_fail_the_check() {
    let base = Policy::default();
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
    let found = strict_findings("aks-admin");
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

/// The active findings of `baseline` on `inv` as found in a repository.
fn scanned(inv: &Inventory) -> Vec<Finding> {
    evaluate_repository(inv, &Policy::default(), now())
        .into_iter()
        .filter(|f| f.is_active())
        .collect()
}

#[test]
fn kc501_credential_in_repository_only_from_scans_and_only_while_usable() {
    let base = Policy::default();
    let repo_codes =
        |inv: &Inventory| -> Vec<Code> { scanned(inv).iter().map(|f| f.code).collect() };
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
fn kc502_unusable_credential_in_repository_takes_the_place_of_kc001_in_scans() {
    let base = Policy::default();
    let expired = token_expiring_in(-3600);
    let found = scanned(&expired);
    let codes: Vec<Code> = found.iter().map(|f| f.code).collect();
    assert!(
        codes.contains(&Code::UnusableCommittedCredential),
        "{codes:?}"
    );
    assert!(!codes.contains(&Code::Expired), "{codes:?}");
    let f = found
        .iter()
        .find(|f| f.code == Code::UnusableCommittedCredential)
        .unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "static token for user alice is in the tree with its token but does not authenticate as it is: expired 2025-12-31T23:00:00Z (1h ago)"
    );
    // Outside a scan, KC001 still reports it and KC502 does not.
    assert!(fires(Code::Expired, &expired, &base));
    assert!(!fires(Code::UnusableCommittedCredential, &expired, &base));
    // A live token is KC501, not KC502.
    let live = scanned(&token_expiring_in(60 * DAY));
    assert!(!live
        .iter()
        .any(|f| f.code == Code::UnusableCommittedCredential));
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
            src.contains(&format!("fn {code}_"))
                || src.contains(&format!("fn {family}_"))
                || fixture_codes().any(|c| c == r.code),
            "no test for {}",
            r.code
        );
    }
}

#[test]
fn rules_table_shows_each_rule_under_the_policy() {
    let base = rules_table(None);
    let strict = rules_table(Some(&Policy::preset("strict").unwrap()));
    assert!(
        base.starts_with("policy: baseline\n\nCODE   NAME "),
        "{base}"
    );
    assert!(strict.starts_with("policy: strict\n"), "{strict}");
    assert_eq!(base.lines().count(), RULES.len() + 5);
    // max-remaining is off in baseline and an error in strict.
    let row = |table: &str| {
        let line = table
            .lines()
            .find(|l| l.starts_with(Code::MaxRemaining.as_str()))
            .unwrap();
        line.split_whitespace()
            .skip(2)
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(row(&base), "error off");
    assert_eq!(row(&strict), "error on");
}
