//! Structure: duplicate keys and names; 100,000 users; many contexts, clusters and users.

use super::*;

#[test]
fn duplicate_keys_are_a_syntax_error_and_duplicate_names_keep_the_first() {
    let dir = TempDir::new("hostile-dup");
    let path = dir.join("dup.yaml");
    std::fs::write(
        &path,
        "users:\n- name: u\n  user:\n    token: a\n    token: b\n",
    )
    .unwrap();
    let (loaded, _) = merged_with_survivor(&path);
    let reason = syntax_reason(only(&loaded.problems), &path);
    assert!(reason.contains("duplicate"), "{reason}");
    // JSON duplicate keys too.
    let json = dir.join("dup.json");
    std::fs::write(&json, r#"{"current-context": "a", "current-context": "b"}"#).unwrap();
    let (loaded, _) = merged_with_survivor(&json);
    syntax_reason(only(&loaded.problems), &json);
    // Duplicate entry names: the first is kept, the rest of the file is read.
    let (loaded, inv) = inventory_of(
        "- name: survivor\n  user: {token: second}\n- name: after\n  user: {token: t}\n",
    );
    assert!(
        matches!(only(&loaded.problems), Error::DuplicateName { name, .. } if name == "survivor")
    );
    assert_eq!(inv.credentials.len(), 2);
}

#[test]
fn hundred_thousand_users_are_all_reported() {
    let n = 100_000;
    let text = "apiVersion: v1\nkind: Config\n".to_owned()
        + &list("users", n, |i| {
            format!("- name: user-{i}\n  user:\n    token: sha256~t{i:0>43}")
        });
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("many"), &Limits::default());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems.first());
    assert_eq!(loaded.config.users.len(), n);
    assert_eq!(
        loaded.config.users[n - 1].origin.line,
        Some(3 + 3 * (n as u32 - 1) + 1)
    );
    let inv = inventory(&loaded.config, &NoFiles);
    assert_eq!(inv.credentials.len(), n);
    assert!(inv.problems.is_empty());
}

/// Every context names its own user and cluster: lookups by name must stay
/// linear (a scan per context made 100,000 contexts take over a minute in
/// `inventory`, `link_caches` and `exposure`; tests/hostile/measure.sh times it).
#[test]
fn many_contexts_clusters_and_users_are_all_linked() {
    let n = 30_000;
    let text = [
        "apiVersion: v1\nkind: Config\n".to_owned(),
        list("clusters", n, |i| {
            format!("- {{name: c{i}, cluster: {{server: https://c{i}}}}}")
        }),
        list("contexts", n, |i| {
            format!("- {{name: x{i}, context: {{cluster: c{i}, user: u{i}}}}}")
        }),
        list("users", n, |i| {
            format!("- {{name: u{i}, user: {{token: sha256~t{i}}}}}")
        }),
    ]
    .concat();
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("many"), &Limits::default());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems.first());
    let mut caches = Vec::new();
    kcred_core::link_caches(&mut caches, &loaded.config);
    let inv = inventory(&loaded.config, &NoFiles);
    assert!(inv.problems.is_empty(), "{:?}", inv.problems.first());
    assert_eq!(inv.credentials.len(), n);
    for (i, record) in inv.credentials.iter().enumerate() {
        assert_eq!(record.user, format!("u{i}"));
        assert_eq!(record.contexts, [format!("x{i}")]);
        assert_eq!(record.clusters, [format!("c{i}")]);
    }
    let now = datetime!(2026-01-01 00:00 UTC);
    let contexts = kcred_core::exposure(&inv, &caches, &Default::default(), now);
    assert_eq!(contexts.len(), n);
    assert_eq!(contexts[n - 1].context, format!("x{}", n - 1));
    assert_eq!(contexts[n - 1].user, format!("u{}", n - 1));
    assert_eq!(
        contexts[n - 1].cluster.as_deref(),
        Some(format!("c{}", n - 1).as_str())
    );
    assert_eq!(contexts[n - 1].credentials.len(), 1);
}
