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
