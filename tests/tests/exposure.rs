//! Exposure report against the fixtures in tests/data/exposure/ (made by
//! make_exposure_fixtures.py) and the AKS --admin platform fixture. Windows are
//! asserted to the second at NOW.

use std::path::Path;

use kcred_core::{
    attach_privileges, exposure, exposure_json, exposure_table, find_caches, inventory,
    link_caches, load_merged, load_rbac, parse_cache_file, permission_warnings, CacheEntry,
    CacheKind, CacheSearch, ContextExposure, DiskFiles, ExposureReport, LifetimeDefaults, Limits,
    Location, RbacSnapshot, Revocability, Until,
};
use kcred_tests::support::{at, data, now, read_json, TempDir, NOW_UNIX as NOW};
use serde_json::Value;

fn expected() -> Value {
    read_json(&data("exposure/expected.json"))
}

/// `Until::At` the Unix seconds of `unix` (a number of an expected.json).
fn until_at(unix: &Value) -> Until {
    Until::At {
        at: at(unix.as_i64().expect("unix seconds")),
    }
}

struct Run {
    contexts: Vec<ContextExposure>,
    caches: Vec<CacheEntry>,
    text: String,
}

/// What `kcred exposure --kubeconfig FILE --home HOME` does, through the core API.
fn run(kubeconfig: &Path, home: Option<&Path>, defaults: &LifetimeDefaults) -> Run {
    run_with_rbac(kubeconfig, home, defaults, None)
}

/// [`run`] with `--rbac`: each record's rights by `rbac`.
fn run_with_rbac(
    kubeconfig: &Path,
    home: Option<&Path>,
    defaults: &LifetimeDefaults,
    rbac: Option<&RbacSnapshot>,
) -> Run {
    let limits = Limits::default();
    let loaded = load_merged(&[kubeconfig.to_path_buf()], &limits);
    assert!(!loaded.files.is_empty(), "{kubeconfig:?} did not load");
    let mut inv = inventory(&loaded.config, &DiskFiles::new(limits.clone()));
    if let Some(snapshot) = rbac {
        attach_privileges(&mut inv, snapshot, None);
    }
    let mut scan = find_caches(
        &CacheSearch {
            home,
            kube_cache_dir: None,
            kubeconfig_files: &loaded.files,
        },
        &limits,
    );
    assert_eq!(scan.problems, []);
    link_caches(&mut scan.entries, &loaded.config);
    let contexts = exposure(&inv, &scan.entries, defaults, now());
    let report = ExposureReport {
        contexts: &contexts,
        caches: &scan.entries,
        file_warnings: &[],
        problems: &inv.problems,
        defaults,
        now: now(),
    };
    let text = format!(
        "{}\n{}\n{:?}",
        exposure_table(&report),
        exposure_json(&report),
        scan.entries
    );
    assert!(!text.contains("CANARY"), "a secret reached the output");
    Run {
        contexts,
        caches: scan.entries,
        text,
    }
}

fn home(name: &str, defaults: &LifetimeDefaults) -> Run {
    let home = data("exposure").join(name);
    run(&home.join(".kube/config"), Some(&home), defaults)
}

#[test]
fn aks_admin_certificate_is_irrevocable_and_static_token_never_expires() {
    let platforms = read_json(&data("platforms/expected.json"));
    let not_after = platforms["files"]["aks-admin/config"]["users"]
        ["clusterAdmin_rg-platform_aks-prod-weu"]["credentials"][0]["certificate"]["not_after"]
        ["unix"]
        .as_i64()
        .unwrap();
    let r = run(
        &data("platforms/aks-admin/config"),
        None,
        &LifetimeDefaults::default(),
    );
    assert_eq!(r.contexts.len(), 1);
    let c = &r.contexts[0];
    assert!(c.system_masters && c.irrevocable);
    let cert = &c.credentials[0];
    assert!(cert.what.contains("O=system:masters"), "{}", cert.what);
    assert_eq!(cert.until, Until::At { at: at(not_after) });
    assert_eq!(
        cert.revocability,
        Revocability::IrrevocableUntilCaRotation {
            system_masters: true
        }
    );
    assert!(cert
        .revoke
        .starts_with("irrevocable except by `az aks rotate-certs -g rg-platform -n aks-prod-weu`"));
    let token = &c.credentials[1];
    assert_eq!(token.until, Until::Never);
    assert_eq!(token.revocability, Revocability::ServerRevocableToken);
    // The static token has no end, so neither has the context.
    assert_eq!(c.until, Until::Never);
    assert!(c.steps[0].starts_with("az aks rotate-certs -g rg-platform -n aks-prod-weu"));
    assert!(r
        .text
        .contains("IRREVOCABLE: client certificate in system:masters"));
}

#[test]
fn kubelogin_converted_aks_reports_the_refresh_token_window() {
    let e = &expected()["home-aks"];
    let r = home("home-aks", &LifetimeDefaults::default());
    let c = r
        .contexts
        .iter()
        .find(|c| c.context == "aks-prod-weu")
        .unwrap();
    // Entra refresh token: issued with the access token (iat), 90 days.
    assert_eq!(c.until, until_at(&e["until"]));
    assert_eq!(e["until"].as_i64().unwrap(), NOW - 1800 + 90 * 86_400);
    assert_eq!(
        c.credentials.len(),
        1,
        "the exec entry gives way to its cache"
    );
    let cached = &c.credentials[0];
    assert_eq!(cached.source, "azure-kubelogin-token");
    assert!(cached.renewable);
    assert_eq!(
        cached.access_token_until,
        Some(at(e["access_until"].as_i64().unwrap()))
    );
    assert!(!c.irrevocable);
    assert!(c
        .steps
        .iter()
        .any(|s| s.starts_with("kubelogin remove-cache-dir")));
    // A 30-day override moves the window.
    let mut d = LifetimeDefaults::default();
    d.set("entra-refresh-token", "30d").unwrap();
    let r = home("home-aks", &d);
    assert_eq!(
        r.contexts[0].until,
        until_at(&(NOW - 1800 + 30 * 86_400).into())
    );
    // The ExecCredential file is found but serves no user it can name.
    let exec = r
        .caches
        .iter()
        .find(|c| c.kind == CacheKind::ExecCredential)
        .unwrap();
    assert!(exec.users.is_empty());
    assert_eq!(exec.expires_at, Some(at(NOW + 600)));
}

#[test]
fn oidc_login_window_is_unknown_until_a_lifetime_is_given() {
    let e = &expected()["home-oidc"];
    let r = home("home-oidc", &LifetimeDefaults::default());
    let c = &r.contexts[0];
    assert_eq!(
        c.until,
        Until::Unknown {
            at_least: Some(at(e["access_until"].as_i64().unwrap()))
        }
    );
    let mut d = LifetimeDefaults::default();
    d.set("oidc-refresh-token", "10h").unwrap();
    let r = home("home-oidc", &d);
    assert_eq!(
        r.contexts[0].until,
        until_at(&(e["issued"].as_i64().unwrap() + 36_000).into())
    );
    assert_eq!(r.caches.len(), 1, "the .lock file is not a cache");
}

#[test]
fn gke_and_eks_caches_give_their_expiry() {
    let e = expected();
    let gke = home("home-gke", &LifetimeDefaults::default());
    assert_eq!(gke.contexts[0].until, until_at(&e["home-gke"]["until"]));
    assert_eq!(
        gke.caches[0].users,
        ["gke_acme-platform_europe-west1_web-prod"]
    );
    let eks = home("home-eks", &LifetimeDefaults::default());
    assert_eq!(eks.contexts[0].until, until_at(&e["home-eks"]["until"]));
    assert_eq!(eks.caches[0].users, ["aws"]);
}

#[test]
fn presence_and_store_caches() {
    let dir = data("exposure/caches");
    let read = |kind, name: &str| {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap();
        parse_cache_file(kind, &bytes, &Location::file(&path)).unwrap()
    };
    let rec = &read(CacheKind::AzureAuthRecord, "kubelogin/auth.json")[0];
    assert!(rec.tokens_in_secret_store);
    assert_eq!(rec.key.account.as_deref(), Some("alice@example.com"));
    let pop = &read(CacheKind::AzurePopTokenCache, "kubelogin/pop_tokens.cache")[0];
    assert!(pop.tokens_in_secret_store);
    let msal = &read(CacheKind::AzureCliTokenCache, "msal_token_cache.json")[0];
    assert!(msal.has_refresh_token);
    assert_eq!(
        msal.expires_at.map(|t| t.unix_timestamp()),
        expected()["caches"]["msal_access_until"].as_i64()
    );
    let aws = read(CacheKind::AwsSharedCredentials, "aws-credentials");
    assert_eq!(aws.len(), 1);
    assert!(aws[0].has_long_term_key);
    let shown = format!(
        "{rec:?}{pop:?}{msal:?}{aws:?}{}",
        serde_json::to_string(msal).unwrap()
    );
    assert!(!shown.contains("CANARY"));
}

#[cfg(unix)]
#[test]
fn group_readable_files_are_flagged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("exposure-mode");
    let open = dir.join("config");
    let closed = dir.join("cache.json");
    std::fs::write(&open, "x").unwrap();
    std::fs::write(&closed, "x").unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o600)).unwrap();
    let facts: Vec<_> = [&open, &closed]
        .iter()
        .filter_map(|p| kcred_core::file_facts(p))
        .collect();
    let warnings = permission_warnings(&facts);
    drop(dir);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].path, open);
    assert_eq!(warnings[0].mode, "0644");
}

#[test]
fn a_credential_that_can_mint_has_an_unbounded_window_and_steps_to_find_what_it_minted() {
    let kubeconfig = data("platforms/kubeadm-admin/config");
    let (snapshot, problems) = load_rbac(&[data("rbac/kubeadm-defaults.yaml")], &Limits::default());
    assert_eq!(problems, []);
    let d = LifetimeDefaults::default();
    // admin.conf: O=kubeadm:cluster-admins, bound to cluster-admin by kubeadm.
    let r = run_with_rbac(&kubeconfig, None, &d, Some(&snapshot));
    let c = &r.contexts[0];
    assert_eq!(c.until, Until::Unbounded);
    let cert = &c.credentials[0];
    assert_eq!(cert.can_mint_credentials, Some(true));
    assert!(
        matches!(cert.until, Until::At { .. }),
        "its own window stays"
    );
    assert!(
        r.text
            .contains("unbounded: until the minted credentials are found and revoked"),
        "{}",
        r.text
    );
    assert!(
        r.text.contains(r#""state":"unbounded""#),
        "the JSON says it too"
    );
    // Look for what it minted since it was issued (its notBefore).
    let platforms = read_json(&data("platforms/expected.json"));
    let since = platforms["files"]["kubeadm-admin/config"]["users"]["kubernetes-admin"]
        ["credentials"][0]["certificate"]["not_before"]["rfc3339"]
        .as_str()
        .unwrap();
    let hunt: Vec<&String> = c.steps.iter().filter(|s| s.contains(since)).collect();
    assert_eq!(hunt.len(), 4, "{:#?}", c.steps);
    assert!(hunt[0].contains("type=kubernetes.io/service-account-token"));
    assert!(hunt[1].starts_with("kubectl get csr"));
    assert!(hunt[3].starts_with("jq -c --arg user kubernetes-admin "));
    // Without a snapshot, or with one that grants it nothing, the window is its own.
    let plain = run(&kubeconfig, None, &d);
    assert_eq!(plain.contexts[0].until, cert.until);
    assert_eq!(plain.contexts[0].credentials[0].can_mint_credentials, None);
    let none = run_with_rbac(&kubeconfig, None, &d, Some(&RbacSnapshot::default()));
    assert_eq!(none.contexts[0].until, cert.until);
    assert_eq!(
        none.contexts[0].credentials[0].can_mint_credentials,
        Some(false)
    );
    assert!(!none.contexts[0].steps.iter().any(|s| s.contains("get csr")));
}
