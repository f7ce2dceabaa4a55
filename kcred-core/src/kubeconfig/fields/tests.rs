use std::path::Path;

use crate::kubeconfig::{parse_kubeconfig, Limits, Loaded};

fn parse(text: &str) -> Loaded {
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("c.yaml"), &Limits::default());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded
}

fn user_field(loaded: &Loaded, user: &str, field: &str) -> Option<(u32, u32)> {
    loaded
        .config
        .user(user)
        .unwrap()
        .origin
        .field_position(field)
}

#[test]
fn block_fields_at_their_line_and_column() {
    let l = parse(concat!(
        "users:\n",                    // 1
        "- name: u\n",                 // 2
        "  user:\n",                   // 3
        "    # a comment\n",           // 4
        "    username: a\n",           // 5
        "    \"password\": b\n",       // 6
        "    exec:\n",                 // 7
        "      command: x\n",          // 8
        "      env:\n",                // 9
        "      - name: token\n",       // 10
        "        value: v\n",          // 11
        "      token: nested\n",       // 12
        "    token: t  # the token\n", // 13
        "- user:\n",                   // 14
        "    tokenFile: /t\n",         // 15
        "  name: second\n",            // 16
    ));
    assert_eq!(user_field(&l, "u", "username"), Some((5, 5)));
    assert_eq!(user_field(&l, "u", "password"), Some((6, 5)));
    assert_eq!(user_field(&l, "u", "exec"), Some((7, 5)));
    // `exec.env[].name` and `exec.token` are not the user's fields.
    assert_eq!(user_field(&l, "u", "token"), Some((13, 5)));
    assert_eq!(user_field(&l, "u", "name"), None);
    assert_eq!(user_field(&l, "second", "tokenFile"), Some((15, 5)));
}

#[test]
fn flow_fields_and_flow_items() {
    let l = parse(concat!(
        "users:\n",
        "- name: a\n",
        "  user: {exec: {env: [{name: token, value: v}]}, token: t}\n",
        "- {name: b, user: {\"client-certificate-data\": x, 'token': y}}\n",
        "- name: c\n",
        "  user: {\n",
        "    auth-provider: {name: oidc, config: {id-token: z}},\n",
        "    username: it's,\n",
        "    password: p\n",
        "  }\n",
    ));
    assert_eq!(user_field(&l, "a", "exec"), Some((3, 10)));
    assert_eq!(user_field(&l, "a", "token"), Some((3, 50)));
    assert_eq!(
        user_field(&l, "b", "client-certificate-data"),
        Some((4, 20))
    );
    assert_eq!(user_field(&l, "b", "token"), Some((4, 50)));
    assert_eq!(user_field(&l, "b", "name"), None);
    assert_eq!(
        user_field(&l, "c", "auth-provider.config.id-token"),
        Some((7, 5))
    );
    assert_eq!(user_field(&l, "c", "password"), Some((9, 5)));
}

#[test]
fn clusters_and_json_input() {
    let l = parse("clusters:\n- name: k\n  cluster:\n    server: https://k\n    certificate-authority-data: x\n");
    let k = &l.config.cluster("k").unwrap().origin;
    assert_eq!(k.field_position("certificate-authority-data"), Some((5, 5)));
    // JSON entries have no line: nothing is guessed.
    let j = parse("{\"users\": [{\"name\": \"u\", \"user\": {\"token\": \"t\"}}]}");
    assert_eq!(user_field(&j, "u", "token"), None);
}
