use super::*;

const KUBECONFIG: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://k.example:443'}\nusers:\n- name: ci\n  user: {token: CANARY-embedded}\ncontexts:\n- name: x\n  context: {cluster: c, user: ci}\n";

fn walk(text: &str) -> (Inventory, Vec<Unreadable>) {
    let mut unreadable = Vec::new();
    let inv = scan(
        text,
        Path::new("f"),
        &Limits::default(),
        &mut unreadable,
        &mut Vec::new(),
    );
    (inv, unreadable)
}

#[test]
fn a_kubeconfig_in_a_json_string_is_found_at_its_line_and_path() {
    let raw = serde_json::to_string(KUBECONFIG).unwrap();
    let text = format!("{{\n  \"resources\": [\n    {{\n      \"instances\": [\n        {{\"attributes\": {{\n          \"kube_config_raw\": {raw}\n        }}}}\n      ]\n    }}\n  ]\n}}\n");
    let (inv, unreadable) = walk(&text);
    assert!(unreadable.is_empty(), "{unreadable:?}");
    assert_eq!(inv.credentials.len(), 1, "{:?}", inv.problems);
    let l = &inv.credentials[0].location;
    assert_eq!(
        l.entry.as_deref(),
        Some("resources[0].instances[0].attributes.kube_config_raw")
    );
    assert_eq!(l.line, Some(6));
    assert!(!format!("{inv:?}").contains("CANARY"));
}

#[test]
fn a_base64_kubeconfig_in_yaml_values_is_found() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(KUBECONFIG);
    let text = format!("# helm values\nreplicas: 2\ndeploy:\n  kubeconfig: {b64}\n");
    let (inv, _) = walk(&text);
    assert_eq!(inv.credentials.len(), 1);
    let l = &inv.credentials[0].location;
    assert_eq!(l.entry.as_deref(), Some("deploy.kubeconfig"));
    assert_eq!(l.line, Some(4));
}

#[test]
fn base64_that_is_no_kubeconfig_and_prose_stay_quiet() {
    let (inv, unreadable) =
        walk("notes: YXBpVmVyc2lvbjogdjEKYm9yaW5nOiB0cnVlCg==\nusers: [alice, bob]\n");
    assert!(inv.credentials.is_empty() && inv.problems.is_empty());
    assert!(unreadable.is_empty());
    let (inv, _) = walk("# users and clusters\nWe list users here.\n");
    assert!(inv.credentials.is_empty());
}

#[test]
fn paths_quote_keys_that_are_not_plain_names() {
    let mut at = String::from("outputs");
    push_key(&mut at, "kube config");
    push_key(&mut at, "value");
    assert_eq!(at, "outputs[\"kube config\"].value");
}

#[test]
fn a_broken_kubeconfig_value_is_unreadable_at_its_path() {
    let deep = format!("{}{}", "[".repeat(90), "]".repeat(90));
    let text = format!("deploy:\n  config: |\n    kind: Config\n    users: []\n    client-key-data: x\n    x: {deep}\n");
    let (inv, unreadable) = walk(&text);
    assert!(inv.credentials.is_empty());
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert_eq!(
        unreadable[0].location.entry.as_deref(),
        Some("deploy.config")
    );
    assert_eq!(unreadable[0].location.line, Some(3));
}

#[test]
fn at_most_max_embedded_kubeconfigs_are_read_per_document() {
    let raw = serde_json::to_string(KUBECONFIG).unwrap();
    let items: Vec<String> = (0..MAX_EMBEDDED + 3).map(|_| raw.clone()).collect();
    let text = format!("[{}]\n", items.join(",\n"));
    let (inv, unreadable) = walk(&text);
    assert_eq!(inv.credentials.len(), MAX_EMBEDDED);
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert!(unreadable[0].reason.contains("the rest were not read"));
}

#[test]
fn a_mapping_with_a_client_certificate_and_its_key_is_a_credential() {
    use base64::Engine as _;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/scan/shapes");
    let cert = std::fs::read_to_string(dir.join("pki/admin.crt")).unwrap();
    let key = std::fs::read_to_string(dir.join("pki/admin.key")).unwrap();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let text = format!(
        "{{\"kube_config\": [{{\n  \"client_certificate\": \"{}\",\n  \"client_key\": \"{}\"\n}}]}}\n",
        b64(&cert),
        b64(&key)
    );
    let mut keys = Vec::new();
    let inv = scan(
        &text,
        Path::new("f"),
        &Limits::default(),
        &mut Vec::new(),
        &mut keys,
    );
    assert_eq!(inv.credentials.len(), 1, "{:?}", inv.problems);
    let r = &inv.credentials[0];
    assert_eq!(r.location.entry.as_deref(), Some("kube_config[0]"));
    assert_eq!(r.location.field.as_deref(), Some("client_certificate"));
    assert_eq!(r.location.line, Some(2));
    let crate::Credential::ClientCertificate(c) = &r.credential else {
        panic!("{r:?}");
    };
    assert_eq!(c.key_source, Some(DataSource::Inline));
    assert_eq!(c.key_matches, Some(true));
    // The key is indexed too (at the value), so pairing does not call it alone.
    assert_eq!(keys.len(), 1);
    assert_eq!(
        keys[0].location.entry.as_deref(),
        Some("kube_config[0].client_key")
    );
}

#[test]
fn deep_documents_fit_a_walk_threads_stack() {
    // `kcred scan` walks on threads with the default 2 MiB stack.
    for depth in [MAX_WALK_DEPTH - 1, MAX_WALK_DEPTH + 1, 100] {
        let text = format!(
            "users: x\nclusters: y\nk: {}\"YXBpVmVyc2lvbjogdjEK\"{}\n",
            "{a: [".repeat(depth / 2),
            "]}".repeat(depth / 2)
        );
        let (inv, _) = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || walk(&text))
            .unwrap()
            .join()
            .unwrap();
        assert!(inv.credentials.is_empty());
    }
}

#[test]
fn a_kubeconfig_written_as_a_mapping_is_found_at_its_fields_lines() {
    // Block YAML (Helm values) and flow YAML on one line (Ansible vars).
    let block = "replicas: 2\ndeployer:\n  kubeconfig:\n    apiVersion: v1\n    clusters:\n    - name: c\n      cluster:\n        server: https://k.example:443\n        insecure-skip-tls-verify: true\n    users:\n    - name: ci\n      user:\n        token: CANARY-mapping\n";
    let flow = "k8s_auth: {kubeconfig: {apiVersion: v1, clusters: [{name: c, cluster: {server: 'https://k.example'}}], users: [{name: u, user: {token: CANARY-flow}}]}}\n";
    for (text, entry, line) in [
        (block, "deployer.kubeconfig", 13),
        (flow, "k8s_auth.kubeconfig", 1),
    ] {
        let (inv, unreadable) = walk(text);
        assert!(unreadable.is_empty(), "{unreadable:?}");
        assert_eq!(inv.credentials.len(), 1, "{text}: {:?}", inv.problems);
        let l = &inv.credentials[0].location;
        assert_eq!(l.entry.as_deref(), Some(entry));
        assert_eq!(l.line, Some(line), "{text}");
        assert!(l.field.as_deref().unwrap().starts_with("users["), "{l:?}");
        assert_eq!(
            l.column, None,
            "a column of the re-written text is not the file's"
        );
        assert!(!format!("{inv:?}").contains("CANARY"));
    }
}

#[test]
fn mappings_that_only_look_like_kubeconfigs_stay_quiet() {
    for text in [
        // Helm values: a list of user names, a cluster count.
        "users:\n  - alice\nclusters: 3\nkind: of\n",
        // Users without credentials, nested: a directory, not a kubeconfig.
        "app:\n  users: [{name: a, user: {email: a@example.com}}]\n  clusters: [{name: c}]\n  token: none\n",
    ] {
        let (inv, unreadable) = walk(text);
        assert!(inv.credentials.is_empty() && inv.problems.is_empty(), "{text}");
        assert!(unreadable.is_empty());
    }
}
