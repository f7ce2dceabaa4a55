//! `--rbac` on `inspect` and `check`: each credential's rights from an offline
//! RBAC snapshot (the stolen-laptop owner's second question), end to end.

use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{assert_exit, b64url, repo, stderr, stdout, TempDir, NOW};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    let home = TempDir::new("rights-home");
    kcred!()
        .args(args)
        .clean_env(&home)
        .current_dir(repo())
        .output()
}

const DEMO: &str = "examples/kubeconfigs/demo.yaml";

/// `kcred SUBCOMMAND --kubeconfig DEMO --now NOW` plus `extra`.
fn on_demo(subcommand: &str, extra: &[&str]) -> Output {
    let mut args = vec![subcommand, "--kubeconfig", DEMO, "--now", NOW];
    args.extend_from_slice(extra);
    run(&args)
}
const KUBEADM: &str = "tests/data/rbac/kubeadm-defaults.yaml";

fn privileges_by_identity(out: &Output) -> Vec<(String, Value)> {
    assert_exit(out, 0);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["credentials"]
        .as_array()
        .expect("credentials")
        .iter()
        .map(|c| {
            (
                c["identity"].as_str().unwrap_or("").to_owned(),
                c["privileges"].clone(),
            )
        })
        .collect()
}

#[test]
fn inspect_json_gives_certificate_and_service_account_rights() {
    let out = on_demo("inspect", &["--format", "json", "--rbac", KUBEADM]);
    let rights = privileges_by_identity(&out);
    let of = |id: &str| &rights.iter().find(|(i, _)| i.contains(id)).expect(id).1;
    // kind's admin: O=kubeadm:cluster-admins, bound to cluster-admin by kubeadm's binding.
    let kind = of("O=kubeadm:cluster-admins");
    assert_eq!(kind["cluster_admin"], true);
    assert_eq!(kind["can_mint_credentials"], true);
    assert_eq!(kind["identity"]["user"], "kubernetes-admin");
    let chain = &kind["bindings"][0]["grants"][0];
    assert_eq!(
        chain["binding"],
        "ClusterRoleBinding/kubeadm:cluster-admins"
    );
    // AKS admin: system:masters needs no binding.
    assert_eq!(of("O=system:masters")["cluster_admin"], true);
    // The CI service account has no binding in this snapshot: known, and no rights.
    let sa = of("sa:ci/deployer");
    assert_eq!(sa["cluster_admin"], false);
    assert_eq!(sa["identity"]["user"], "system:serviceaccount:ci:deployer");
    // Exec plugins: the identity lives in the cloud, so rights are unknown (null).
    assert!(of("aws-eks-get-token").is_null());
}

#[test]
fn without_rbac_the_json_says_null_and_the_table_has_no_rights_column() {
    let out = on_demo("inspect", &["--format", "json"]);
    assert!(privileges_by_identity(&out)
        .iter()
        .all(|(_, p)| p.is_null()));
    let table = stdout(&on_demo("inspect", &[]));
    assert!(!table.contains("RIGHTS"), "{table}");
}

#[test]
fn inspect_table_has_a_rights_column() {
    // --wide: at 80 columns the identities are shortened.
    let args = ["--rbac", KUBEADM, "--rbac", "tests/data/rbac", "--wide"];
    let out = on_demo("inspect", &args);
    assert_exit(&out, 0);
    let table = stdout(&out);
    let header = table.lines().next().expect("header");
    assert!(header.trim_end().ends_with("RIGHTS"), "{header}");
    let kind = table
        .lines()
        .find(|l| l.starts_with("kind-kind "))
        .expect("kind row");
    assert!(kind.trim_end().ends_with("cluster-admin"), "{kind}");
    let eks = table
        .lines()
        .find(|l| l.contains("aws-eks-get-token"))
        .expect("eks row");
    assert!(eks.trim_end().ends_with("unknown"), "{eks}");
}

#[test]
fn an_unreadable_snapshot_fails_alone_and_is_a_finding_beside_a_readable_one() {
    let out = run(&[
        "inspect",
        "--kubeconfig",
        DEMO,
        "--rbac",
        "/no/such/rbac.yaml",
    ]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("/no/such/rbac.yaml"),
        "{}",
        stderr(&out)
    );
    let dir = TempDir::new("rights-bad");
    let bad = dir.write("bad.yaml", "kind: [");
    let bad = bad.to_str().expect("utf-8 path");
    let out = on_demo(
        "check",
        &["--format", "json", "--rbac", bad, "--rbac", KUBEADM],
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let problem = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["location"]["file"].as_str() == Some(bad))
        .expect("the bad snapshot is a finding");
    assert_eq!(problem["severity"], "error");
}

#[test]
fn oidc_flags_need_rbac() {
    let out = run(&[
        "inspect",
        "--kubeconfig",
        DEMO,
        "--oidc-username-claim",
        "email",
    ]);
    assert_exit(&out, 2);
}

#[test]
fn exposure_marks_a_context_whose_credential_can_mint_as_unbounded() {
    let out = on_demo("exposure", &["--format", "json", "--rbac", KUBEADM]);
    assert_exit(&out, 0);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let context = |name: &str| {
        doc["contexts"]
            .as_array()
            .expect("contexts")
            .iter()
            .find(|c| c["context"] == name)
            .expect(name)
            .clone()
    };
    let kind = context("kind-kind");
    assert_eq!(kind["until"]["state"], "unbounded");
    assert_eq!(
        kind["until_text"],
        "unbounded: until the minted credentials are found and revoked"
    );
    assert_eq!(kind["credentials"][0]["can_mint_credentials"], true);
    assert_eq!(kind["credentials"][0]["until"]["state"], "at");
    let steps: Vec<&str> = kind["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        steps.iter().any(|s| s.starts_with("kubectl get csr")),
        "{steps:#?}"
    );
    // AKS admin (system:masters): the audit step is AKS's.
    let aks = context("aks-prod-weu-admin");
    assert_eq!(aks["until"]["state"], "unbounded");
    assert!(aks["steps"].as_array().expect("steps").iter().any(|s| s
        .as_str()
        .is_some_and(|s| s.starts_with("az monitor log-analytics query"))));
    // The expired service-account token mints nothing: its window is its own.
    let ci = context("ci-deployer@staging");
    assert_eq!(ci["until"]["state"], "expired");
    // Without --rbac nothing is unbounded and nobody's rights are known.
    let plain: Value =
        serde_json::from_slice(&on_demo("exposure", &["--format", "json"]).stdout).expect("json");
    assert!(plain["contexts"]
        .as_array()
        .expect("contexts")
        .iter()
        .all(|c| c["until"]["state"] != "unbounded"
            && c["credentials"][0]["can_mint_credentials"].is_null()));
    // The table says it in words.
    let table = stdout(&on_demo("exposure", &["--rbac", KUBEADM]));
    assert!(
        table.contains(
            "usable until: unbounded: until the minted credentials are found and revoked"
        ),
        "{table}"
    );
}

/// The active finding codes of `kcred check --format json` with `args`.
fn check_codes(args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--format", "json", "--now", NOW];
    all.extend_from_slice(args);
    let out = run(&all);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .filter_map(|f| f["code"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn the_policys_oidc_settings_tell_oidc_users_unless_flags_say_otherwise() {
    let dir = TempDir::new("rights-oidc");
    let claims = r#"{"iss":"https://login.example.com","sub":"0a1b","preferred_username":"support","exp":1798761600}"#;
    let token = format!("{}.{}.c2ln", b64url(r#"{"alg":"RS256"}"#), b64url(claims));
    let config = dir.write(
        "config",
        format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: support\n  user:\n    token: {token}\n"
        ),
    );
    let policy = dir.write(
        "policy.yaml",
        "version: 1\noidc:\n  username_claim: preferred_username\n  username_prefix: \"-\"\n",
    );
    let (config, policy) = (
        config.to_str().expect("utf-8"),
        policy.to_str().expect("utf-8"),
    );
    let snapshot = "tests/data/rbac/snapshot.yaml";
    // snapshot.yaml lets the user `support` impersonate: it can mint.
    let with_policy = ["--policy", policy, "--rbac", snapshot, config];
    assert!(check_codes(&with_policy).contains(&"KC602".to_owned()));
    // Without the policy's settings the OIDC identity is unknown: silent.
    assert!(!check_codes(&["--rbac", snapshot, config]).contains(&"KC602".to_owned()));
    // A flag wins over the policy (its prefix `-` still applies): user 0a1b, no rights.
    let mut flagged = with_policy.to_vec();
    flagged.extend(["--oidc-username-claim", "sub"]);
    assert!(!check_codes(&flagged).contains(&"KC602".to_owned()));
}
