//! RBAC rights from an offline snapshot: the authorizer vectors of
//! `tests/data/rbac/authorizer-vectors.yaml` (taken from Kubernetes' own tests),
//! and the rights of credentials against a kubeadm cluster's default roles.

use std::path::Path;

use base64::Engine;
use kcred_core::{
    can_i, decode_certificates, decode_token, identity_of_token, parse_rbac, privileges, Access,
    CertificateInfo, Identity, Limits, Location, OidcClaims, Privileges, RbacSnapshot,
};
use serde::Deserialize;

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/rbac")
        .join(name)
}

fn snapshot(files: &[&str]) -> RbacSnapshot {
    let mut all = RbacSnapshot::default();
    for f in files {
        let bytes = std::fs::read(data(f)).expect("fixture");
        all.merge(parse_rbac(&bytes, &data(f), &Limits::default()).expect("snapshot parses"));
    }
    all
}

#[derive(Deserialize)]
struct Case {
    source: String,
    objects: String,
    #[serde(default)]
    allow: Vec<Req>,
    #[serde(default)]
    deny: Vec<Req>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Req {
    user: String,
    groups: Vec<String>,
    verb: String,
    group: String,
    resource: String,
    subresource: String,
    name: String,
    namespace: Option<String>,
    path: Option<String>,
}

impl Req {
    fn decide(&self, snapshot: &RbacSnapshot) -> bool {
        // The vectors' users are given exactly; no system:authenticated added.
        let identity = Identity {
            user: self.user.clone(),
            groups: self.groups.clone(),
        };
        let access = Access {
            verb: &self.verb,
            api_group: &self.group,
            resource: &self.resource,
            subresource: &self.subresource,
            name: &self.name,
            namespace: self.namespace.as_deref(),
            path: self.path.as_deref(),
        };
        can_i(snapshot, &identity, &access)
    }

    fn describe(&self) -> String {
        format!(
            "{} {:?} {} {}/{}/{} name={:?} ns={:?} path={:?}",
            self.user,
            self.groups,
            self.verb,
            self.group,
            self.resource,
            self.subresource,
            self.name,
            self.namespace,
            self.path
        )
    }
}

#[test]
fn authorizer_vectors_decide_as_kubernetes_does() {
    let text = std::fs::read_to_string(data("authorizer-vectors.yaml")).expect("vectors");
    let cases: Vec<Case> = serde_saphyr::from_str(&text).expect("vectors parse");
    assert!(cases.len() >= 9, "the vector file lost cases");
    let mut checked = 0;
    for case in &cases {
        let snap = parse_rbac(
            case.objects.as_bytes(),
            Path::new("case"),
            &Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", case.source));
        assert!(!snap.is_empty(), "{}: no objects", case.source);
        for r in &case.allow {
            assert!(
                r.decide(&snap),
                "{}: should allow {}",
                case.source,
                r.describe()
            );
            checked += 1;
        }
        for r in &case.deny {
            assert!(
                !r.decide(&snap),
                "{}: should deny {}",
                case.source,
                r.describe()
            );
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} requests checked");
}

fn cluster() -> RbacSnapshot {
    snapshot(&["kubeadm-defaults.yaml", "snapshot.yaml"])
}

/// The first certificate of `tests/data/certs/NAME`.
fn certificate(name: &str) -> CertificateInfo {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/certs")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture");
    decode_certificates(&bytes, &Location::file(name))
        .expect("cert")
        .swap_remove(0)
}

/// The binding and role of the first grant that gives `right`.
fn first_grant<'p>(rights: &'p Privileges, right: &str) -> (&'p str, &'p str) {
    let chain = rights
        .bindings
        .iter()
        .find(|b| b.right == right)
        .unwrap_or_else(|| panic!("no {right} chain"));
    (&chain.grants[0].binding, &chain.grants[0].role)
}

#[test]
fn system_masters_is_cluster_admin_whatever_the_snapshot_says() {
    let info = certificate("never-expires.crt");
    let groups: Vec<&str> = info.organizations.iter().map(String::as_str).collect();
    let identity = Identity::user(info.common_name.as_deref().expect("CN"), &groups);
    for snap in [RbacSnapshot::default(), cluster()] {
        let rights = privileges(&snap, &identity);
        assert!(rights.cluster_admin && rights.can_mint_credentials);
        assert!(rights.can_read_secrets.cluster_wide && rights.can_impersonate);
        assert_eq!(rights.summary(), "cluster-admin");
    }
}

#[test]
fn kubeadm_cluster_admins_group_is_cluster_admin_through_its_binding() {
    let rights = privileges(
        &cluster(),
        &Identity::user("kubernetes-admin", &["kubeadm:cluster-admins"]),
    );
    assert!(rights.cluster_admin && rights.can_mint_credentials && rights.can_escalate);
    assert_eq!(
        first_grant(&rights, "cluster-admin"),
        (
            "ClusterRoleBinding/kubeadm:cluster-admins",
            "ClusterRole/cluster-admin"
        )
    );
    // Without the snapshot's binding the same user has no rights.
    assert_eq!(
        privileges(
            &RbacSnapshot::default(),
            &Identity::user("kubernetes-admin", &["kubeadm:cluster-admins"])
        )
        .summary(),
        "-"
    );
}

#[test]
fn edit_in_one_namespace_can_mint_there_through_aggregated_rules() {
    let info = certificate("ecdsa-p384.crt");
    assert_eq!(info.organizations, ["devs"]);
    // The fixture's group is `devs`; the snapshot binds `payments-devs`.
    let outsider = privileges(&cluster(), &Identity::user("ecdsa-p384-user", &["devs"]));
    assert_eq!(outsider.summary(), "-");
    let rights = privileges(&cluster(), &Identity::user("dev1", &["payments-devs"]));
    assert!(!rights.cluster_admin);
    assert_eq!(rights.can_read_secrets.namespaces, ["payments"]);
    assert!(!rights.can_read_secrets.cluster_wide);
    assert_eq!(rights.can_exec_pods.namespaces, ["payments"]);
    assert!(
        rights.can_impersonate,
        "edit may impersonate service accounts"
    );
    assert!(!rights.can_escalate);
    let hows: Vec<&str> = rights.mint_paths.iter().map(|m| m.how.as_str()).collect();
    assert!(hows.contains(&"create serviceaccounts/token"), "{hows:?}");
    assert!(
        hows.iter().any(|h| h.starts_with("create workloads")),
        "{hows:?}"
    );
    assert_eq!(rights.summary(), "mint");
    assert_eq!(
        first_grant(&rights, "read-secrets"),
        (
            "RoleBinding/payments/payments-edit",
            "ClusterRole/system:aggregate-to-edit"
        )
    );
}

fn jwt(claims: serde_json::Value) -> String {
    let b64 = |v: &serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    format!(
        "{}.{}.c2ln",
        b64(&serde_json::json!({"alg": "RS256"})),
        b64(&claims)
    )
}

#[test]
fn service_account_token_reads_the_secrets_of_its_role_binding_only() {
    let token = jwt(serde_json::json!({
        "iss": "https://kubernetes.default.svc.cluster.local",
        "sub": "system:serviceaccount:monitoring:prometheus",
        "kubernetes.io": {"namespace": "monitoring", "serviceaccount": {"name": "prometheus", "uid": "u"}},
        "exp": 1_900_000_000
    }));
    let info = decode_token(&token, &Location::file("t")).expect("token");
    let identity =
        identity_of_token(&info, None).expect("a service account is known without OIDC settings");
    assert_eq!(identity.user, "system:serviceaccount:monitoring:prometheus");
    assert!(identity
        .groups
        .contains(&"system:serviceaccounts:monitoring".to_owned()));
    let rights = privileges(&cluster(), &identity);
    assert_eq!(rights.can_read_secrets.namespaces, ["monitoring"]);
    assert!(!rights.can_mint_credentials);
    assert_eq!(rights.summary(), "secrets");
}

#[test]
fn csr_create_and_approve_with_a_signer_mints_certificates() {
    let rights = privileges(
        &cluster(),
        &Identity::service_account("kube-system", "approver"),
    );
    let csr = rights
        .mint_paths
        .iter()
        .find(|m| m.how.contains("certificatesigningrequests"))
        .expect("CSR path");
    assert!(csr.reach.cluster_wide);
    // Without the signer's approve right, creating and approving is not enough.
    let mut text = std::fs::read_to_string(data("snapshot.yaml")).expect("fixture");
    text = text.replace("name: csr-approver-signer", "name: csr-approver-signer-gone")
        .replace("namespace: kube-system}\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n  metadata: {name: impersonator}", "namespace: elsewhere}\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n  metadata: {name: impersonator}");
    let mut snap = snapshot(&["kubeadm-defaults.yaml"]);
    snap.merge(parse_rbac(text.as_bytes(), Path::new("s"), &Limits::default()).expect("parses"));
    let rights = privileges(&snap, &Identity::service_account("kube-system", "approver"));
    assert!(!rights.can_mint_credentials, "{:?}", rights.mint_paths);
}

#[test]
fn impersonation_rights_mint() {
    let rights = privileges(&cluster(), &Identity::user("support", &[]));
    assert!(rights.can_impersonate && rights.can_mint_credentials);
    assert_eq!(rights.summary(), "mint");
}

#[test]
fn oidc_identity_needs_the_clusters_claim_settings() {
    let token = jwt(serde_json::json!({
        "iss": "https://login.example.com", "sub": "0a1b", "email": "alice@example.com",
        "groups": ["sre"], "exp": 1_900_000_000
    }));
    let info = decode_token(&token, &Location::file("t")).expect("token");
    assert_eq!(
        identity_of_token(&info, None),
        None,
        "unknown without the cluster's settings"
    );
    let default = identity_of_token(&info, Some(&OidcClaims::default())).expect("sub");
    assert_eq!(default.user, "https://login.example.com#0a1b");
    let mut claims = OidcClaims::default();
    claims.username_claim = "email".into();
    claims.username_prefix = Some("oidc:".into());
    claims.groups_claim = Some("groups".into());
    claims.groups_prefix = Some("oidc:".into());
    let alice = identity_of_token(&info, Some(&claims)).expect("email");
    assert_eq!(alice.user, "oidc:alice@example.com");
    assert!(alice.groups.contains(&"oidc:sre".to_owned()));
    let rights = privileges(&cluster(), &alice);
    assert_eq!(
        rights.summary(),
        "-",
        "view grants no secrets and no minting"
    );
    assert!(can_i(
        &cluster(),
        &alice,
        &Access {
            verb: "list",
            resource: "pods",
            namespace: Some("monitoring"),
            ..Access::default()
        }
    ));
}

#[test]
fn snapshot_inputs_fail_typed_and_bounded() {
    let limits = Limits::default();
    let err = parse_rbac(b"kind: [unclosed", Path::new("bad.yaml"), &limits).unwrap_err();
    assert_eq!(err.kind(), "bad-document");
    assert!(err.to_string().starts_with("bad.yaml"), "{err}");
    let err = parse_rbac(&[0xff, 0xfe, 0x00], Path::new("bin"), &limits).unwrap_err();
    assert_eq!(err.kind(), "not-utf8");
    // Alias bombs stop at the YAML budget, not in memory.
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..12 {
        bomb.push_str(&format!(
            "b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
            p = if i == 0 {
                "a".to_owned()
            } else {
                format!("b{}", i - 1)
            }
        ));
    }
    assert!(parse_rbac(bomb.as_bytes(), Path::new("bomb"), &limits).is_err());
    // JSON (kubectl -o json) reads too.
    let json = br#"{"kind":"List","items":[{"kind":"ClusterRoleBinding","metadata":{"name":"x"},"roleRef":{"kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"User","name":"j"}]}]}"#;
    let snap = parse_rbac(json, Path::new("j.json"), &limits).expect("json");
    assert_eq!(snap.len(), 1);
}

#[test]
fn load_rbac_reads_files_and_folders_and_reports_what_it_cannot() {
    let dir = std::env::temp_dir().join(format!("kcred-rbac-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).expect("tmp");
    std::fs::copy(data("kubeadm-defaults.yaml"), dir.join("a.yaml")).expect("copy");
    std::fs::write(dir.join("b.json"), "{not json").expect("write");
    std::fs::write(dir.join("notes.txt"), "kind: ClusterRole").expect("write");
    std::fs::copy(data("snapshot.yaml"), dir.join("sub/ignored.yaml")).expect("copy");
    let missing = dir.join("missing.yaml");
    let (snap, problems) = kcred_core::load_rbac(
        &[
            dir.clone(),
            data("snapshot.yaml"),
            missing.clone(),
            "/dev/zero".into(),
        ],
        &Limits::default(),
    );
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        snap.len(),
        14 + 9,
        "a.yaml and snapshot.yaml count, the rest does not"
    );
    let kinds: Vec<&str> = problems.iter().map(|p| p.kind()).collect();
    assert_eq!(
        kinds,
        ["bad-document", "missing-file", "not-regular-file"],
        "{problems:?}"
    );
    assert!(problems[0].to_string().contains("b.json"));
}
