//! One input boundary (issue 12): /proc files wherever a path comes from, one read and one
//! decode per file however many entries name it, the run byte budget, caches among
//! decoys, capped PKI folders.

use super::*;

/// `/proc/kmsg` says "regular file" to `stat` and blocks on read (CI runs as
/// root). Every way a path reaches kcred refuses pseudo-file-system files by
/// what the opened descriptor is: the kubeconfig itself, a `tokenFile`, a
/// `certificate-authority`, a policy and its `extends:`, a pki certificate
/// symlinked there. `/proc/self/status` stands in (readable, never blocks).
#[cfg(target_os = "linux")]
#[test]
fn proc_files_are_refused_wherever_a_path_comes_from() {
    let proc_file = PathBuf::from("/proc/self/status");
    let dir = TempDir::new("hostile-proc");
    let refused = |e: &Error| matches!(e, Error::NotRegularFile { .. });
    // Where the refused files were named.
    let refused_at = move |problems: &[Error]| -> Vec<Location> {
        let located = problems.iter().filter(|p| refused(p)).map(Error::location);
        located.map(|l| l.cloned().unwrap()).collect()
    };
    within_bound(move || {
        let (loaded, _) = merged_with_survivor(&proc_file);
        assert!(refused(only(&loaded.problems)), "{:?}", loaded.problems);

        let config = format!(
            "- name: tf\n  user:\n    tokenFile: {p}\nclusters:\n- name: c\n  cluster:\n    certificate-authority: {p}\n",
            p = proc_file.display()
        );
        let (_, inv) = inventory_of_disk(&config);
        let at = refused_at(&inv.problems);
        let fields: Vec<_> = at.iter().filter_map(|l| l.field.as_deref()).collect();
        assert_eq!(
            fields,
            ["certificate-authority", "tokenFile"],
            "{:?}",
            inv.problems
        );

        let policy = kcred_core::load_policy(proc_file.to_str().unwrap()).unwrap_err();
        assert!(refused(&policy), "{policy:?}");
        std::fs::write(
            dir.join("team.yaml"),
            format!("version: 1\nextends: {}\n", proc_file.display()),
        )
        .unwrap();
        let extends = kcred_core::load_policy(dir.join("team.yaml").to_str().unwrap()).unwrap_err();
        assert!(refused(&extends), "{extends:?}");

        std::fs::create_dir_all(dir.join("kubernetes/pki")).unwrap();
        std::os::unix::fs::symlink(&proc_file, dir.join("kubernetes/pki/apiserver.crt")).unwrap();
        std::os::unix::fs::symlink(&proc_file, dir.join("kubernetes/pki/extra.crt")).unwrap();
        let layout = kcred_core::PkiLayout {
            dir: dir.join("kubernetes"),
            kubelet_dir: dir.join("kubelet"),
        };
        let limits = Limits::default();
        let (others, listed) = kcred_core::pki_certificate_files(&layout, &limits);
        assert!(listed.is_empty(), "{listed:?}");
        let report =
            kcred_core::pki_report(&layout, &others, &DiskFiles::new(limits.clone()), &limits);
        let refused_files: Vec<_> = refused_at(&report.inventory.problems)
            .into_iter()
            .map(|l| l.file)
            .collect();
        assert_eq!(
            refused_files,
            [
                dir.join("kubernetes/pki/apiserver.crt"),
                dir.join("kubernetes/pki/extra.crt")
            ]
        );
    });
}

/// `users:` with `n` users `u{i}`, each holding the one field line `field(i)`.
fn users(n: usize, field: impl Fn(usize) -> String) -> String {
    list("users", n, |i| {
        format!("- name: u{i}\n  user:\n    {}", field(i))
    })
}

/// Inventories `text` (as the file `name`) through one `DiskFiles`, returned
/// with the inventory so the test can count what was read.
fn inventory_reading(text: &str, name: &str, limits: Limits) -> (Inventory, DiskFiles) {
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new(name), &limits);
    let files = DiskFiles::new(limits);
    let inv = inventory(&loaded.config, &files);
    (inv, files)
}

fn jwt_file(dir: &Path) -> PathBuf {
    let token = jwt(
        r#"{"alg":"RS256"}"#,
        br#"{"sub":"shared","exp":1767229200,"aud":["k8s"]}"#,
    );
    let path = dir.join("token.jwt");
    std::fs::write(&path, token).unwrap();
    path
}

/// 1,000 users whose `tokenFile` names one file (directly, through a symlink,
/// through a hard link): the file is read once and decoded once, and every
/// record holds the same decoded claims (one copy in memory, not 1,000).
#[cfg(unix)]
#[test]
fn thousand_token_files_naming_one_file_cost_one_read_and_one_decode() {
    let dir = TempDir::new("hostile-fanout-token");
    let token = jwt_file(&dir);
    std::os::unix::fs::symlink(&token, dir.join("link.jwt")).unwrap();
    std::fs::hard_link(&token, dir.join("hard.jwt")).unwrap();
    let names = ["token.jwt", "link.jwt", "hard.jwt", "./token.jwt"];
    let text = users(1000, |i| {
        format!("tokenFile: {}", dir.join(names[i % names.len()]).display())
    });
    let (inv, files) = inventory_reading(&text, "fan", Limits::default());
    assert!(inv.problems.is_empty(), "{:?}", inv.problems.first());
    assert_eq!(files.files_read(), 1, "one file, read once");
    let jwts: Vec<_> = inv
        .credentials
        .iter()
        .map(|r| match &r.credential {
            Credential::Token(t) => t.info.jwt.clone().expect("a JWT"),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(jwts.len(), 1000);
    assert_eq!(jwts[0].subject.as_deref(), Some("shared"));
    assert!(
        jwts.iter().all(|j| std::sync::Arc::ptr_eq(j, &jwts[0])),
        "decoded once, shared"
    );
}

/// A decode failure is found once per file but reported for every entry naming
/// it, each at its own location.
#[test]
fn a_bad_shared_token_file_is_reported_at_each_user() {
    let dir = TempDir::new("hostile-fanout-bad");
    let path = dir.join("bad.jwt");
    std::fs::write(&path, "eyJhbGciOiJSUzI1NiJ9.!!!.sig").unwrap();
    let text = users(3, |_| format!("tokenFile: {}", path.display()));
    let (inv, files) = inventory_reading(&text, "fan", Limits::default());
    assert_eq!(files.files_read(), 1);
    let at: Vec<_> = inv
        .problems
        .iter()
        .map(|p| (p.kind(), p.location().and_then(|l| l.entry.clone())))
        .collect();
    let want: Vec<_> = (0..3)
        .map(|i| ("bad-token", Some(format!("users[u{i}]"))))
        .collect();
    assert_eq!(at, want);
}

/// 50 clusters (and a symlink) naming one CA bundle: one read, one decode, one
/// list of certificates shared by every cluster record.
#[cfg(unix)]
#[test]
fn fifty_clusters_naming_one_ca_bundle_share_one_decode() {
    let dir = TempDir::new("hostile-fanout-ca");
    let one = std::fs::read_to_string(data("certs/root-ca.crt")).unwrap();
    let bundle = dir.join("bundle.pem");
    std::fs::write(&bundle, one.repeat(200)).unwrap();
    std::os::unix::fs::symlink(&bundle, dir.join("link.pem")).unwrap();
    let mut text = String::from("clusters:\n");
    for i in 0..50 {
        let path = if i % 2 == 0 {
            dir.join("bundle.pem")
        } else {
            dir.join("link.pem")
        };
        text.push_str(&format!(
            "- name: c{i}\n  cluster:\n    server: https://c{i}\n    certificate-authority: {}\n",
            path.display()
        ));
    }
    let (inv, files) = inventory_reading(&text, "fan", Limits::default());
    assert!(inv.problems.is_empty(), "{:?}", inv.problems.first());
    assert_eq!(files.files_read(), 1);
    assert_eq!(inv.clusters.len(), 50);
    assert_eq!(inv.clusters[0].ca.len(), 200);
    assert!(inv
        .clusters
        .iter()
        .all(|c| std::sync::Arc::ptr_eq(&c.ca, &inv.clusters[0].ca)));
}

/// 1,000 users naming one client-certificate bundle (a leaf and 200 more
/// certificates) hold one chain between them, not a thousand copies, and each
/// says which certificates past the cap were not examined.
#[test]
fn thousand_users_naming_one_certificate_bundle_share_one_chain() {
    let dir = TempDir::new("hostile-fanout-client-cert");
    let leaf = std::fs::read_to_string(data("certs/chain.crt")).unwrap();
    let more = std::fs::read_to_string(data("certs/root-ca.crt")).unwrap();
    let bundle = dir.join("client.pem");
    std::fs::write(&bundle, format!("{leaf}{}", more.repeat(200))).unwrap();
    let text = users(1000, |_| {
        format!("client-certificate: {}", bundle.display())
    });
    let (inv, files) = inventory_reading(&text, "fan", Limits::default());
    assert_eq!(inv.problems.len(), 1000);
    assert!(inv
        .problems
        .iter()
        .all(|p| p.kind() == "limit-reached" && p.location().unwrap().entry.is_some()));
    assert_eq!(files.files_read(), 1);
    let chains: Vec<_> = inv
        .credentials
        .iter()
        .map(|r| match &r.credential {
            Credential::ClientCertificate(c) => c.chain.clone(),
            other => panic!("not a client certificate: {other:?}"),
        })
        .collect();
    assert_eq!(chains.len(), 1000);
    assert_eq!(chains[0].len(), 8);
    assert!(chains.iter().all(|c| std::sync::Arc::ptr_eq(c, &chains[0])));
}

/// Files that would take one run past `max_total_bytes` are not read; each is a
/// limit-reached problem on its own field, and the rest is still reported.
#[test]
fn the_run_byte_budget_is_a_typed_problem_per_unread_file() {
    let dir = TempDir::new("hostile-budget");
    let text = users(10, |i| {
        let path = dir.write(&format!("t{i}"), format!("opaque-token-{i:0>100}"));
        format!("tokenFile: {}", path.display())
    });
    let limits = Limits {
        max_total_bytes: 500,
        ..Limits::default()
    };
    let (inv, files) = inventory_reading(&text, "b", limits);
    assert_eq!(inv.credentials.len(), 10);
    assert!(files.bytes_read() <= 500);
    assert_eq!(files.files_read(), 4);
    let kinds: Vec<_> = inv.problems.iter().map(Error::kind).collect();
    assert_eq!(kinds, ["limit-reached"; 6]);
}

fn kubelogin_fixture() -> (PathBuf, String) {
    let dir = data("exposure/home-aks/.kube/cache/kubelogin");
    let name = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".json"))
        .unwrap();
    (dir.join(&name), name)
}

fn cache_scan(home: &Path) -> kcred_core::CacheScan {
    kcred_core::find_caches(
        &kcred_core::CacheSearch {
            home: Some(home),
            kube_cache_dir: None,
            kubeconfig_files: &[],
        },
        &Limits::default(),
    )
}

/// 60,000 decoy files beside the real kubelogin cache. Names that cannot be
/// caches never count against the folder's cap, so the real cache is found;
/// 60,000 `*.json` decoys that sort first fill the cap, and that is reported
/// (limit-reached naming what was left), never a silent "no cache".
#[test]
fn the_real_kubelogin_cache_is_found_among_sixty_thousand_decoys_or_the_cap_is_reported() {
    let (real, name) = kubelogin_fixture();
    let real_text = std::fs::read(&real).unwrap();
    for (label, decoy) in [
        ("other-names", "decoy-{i}.tmp"),
        ("json-first", "AAAA-{i}.json"),
    ] {
        let home = TempDir::new(&format!("hostile-decoys-{label}"));
        let folder = home.join(".kube/cache/kubelogin");
        std::fs::create_dir_all(&folder).unwrap();
        for i in 0..60_000 {
            std::fs::write(folder.join(decoy.replace("{i}", &format!("{i:05}"))), "{}").unwrap();
        }
        std::fs::write(folder.join(&name), &real_text).unwrap();
        let scan = cache_scan(&home);
        let found = scan.entries.iter().any(|e| {
            e.kind == kcred_core::CacheKind::AzureKubeloginToken
                && e.location.file == folder.join(&name)
        });
        let limit: Vec<_> = scan
            .problems
            .iter()
            .filter(|p| matches!(p, Error::LimitReached { .. }))
            .collect();
        match label {
            "other-names" => {
                assert!(found, "{label}: the real cache was not found");
                assert!(scan.problems.is_empty(), "{:?}", scan.problems.first());
            }
            _ => {
                assert!(!found);
                assert!(
                    matches!(limit[..], [Error::LimitReached { what, limit: 4096, .. }] if what.starts_with("55905 entries")),
                    "{label}: {limit:?}"
                );
            }
        }
        std::fs::remove_dir_all(&home).ok();
    }
}

/// pki: certificate files under pki/ are listed whole, sorted, then capped.
#[test]
fn pki_folders_are_listed_sorted_then_capped_with_the_rest_reported() {
    let dir = TempDir::new("hostile-pki-cap");
    let pki = dir.join("kubernetes/pki");
    std::fs::create_dir_all(pki.join("etcd")).unwrap();
    for i in (0..30).rev() {
        std::fs::write(pki.join(format!("c{i:02}.crt")), "x").unwrap();
    }
    std::fs::write(pki.join("sa.pub"), "x").unwrap();
    std::fs::write(pki.join("etcd/ca.crt"), "x").unwrap();
    let layout = kcred_core::PkiLayout {
        dir: dir.join("kubernetes"),
        kubelet_dir: dir.join("kubelet"),
    };
    let limits = Limits {
        max_dir_entries: 5,
        ..Limits::default()
    };
    let (files, problems) = kcred_core::pki_certificate_files(&layout, &limits);
    let mut want: Vec<PathBuf> = (0..5).map(|i| pki.join(format!("c{i:02}.crt"))).collect();
    want.push(pki.join("etcd/ca.crt"));
    assert_eq!(files, want);
    assert!(
        matches!(&problems[..], [Error::LimitReached { what, limit: 5, .. }] if what.starts_with("25 entries")),
        "{problems:?}"
    );
}
