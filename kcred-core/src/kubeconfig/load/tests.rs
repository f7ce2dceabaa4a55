//! Loading one kubeconfig: lines, encodings, limits, canaries, and reading files.

use super::*;
#[cfg(unix)]
use crate::test_support::hostile::symlink_loop;
use crate::test_support::TempDir;

const CANARY: &str = "CANARY-7f3a91c0d2";

fn parse(text: &str) -> Loaded {
    parse_kubeconfig(text.as_bytes(), Path::new("t.yaml"), &Limits::default())
}

fn only_problem(loaded: &Loaded) -> &Error {
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
    &loaded.problems[0]
}

const SAMPLE: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://c\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n";

#[test]
fn yaml_entries_get_their_line() {
    let l = parse(SAMPLE);
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    let c = l.config.cluster("c").unwrap();
    assert_eq!((&c.origin.file, c.origin.line), (&"t.yaml".into(), Some(4)));
    assert_eq!(c.origin.field_position("server"), Some((6, 5)));
    assert_eq!(l.config.user("u").unwrap().origin.line, Some(8));
    assert_eq!(l.config.context("x").unwrap().origin.line, Some(12));
    assert_eq!(l.config.current_context.as_deref(), Some("x"));
}

#[test]
fn utf8_bom_crlf_and_utf16_boms_are_read() {
    let crlf = SAMPLE.replace('\n', "\r\n");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(crlf.as_bytes());
    let l = parse_kubeconfig(&bom, Path::new("b"), &Limits::default());
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    assert_eq!(l.config.users.len(), 1);
    for big_endian in [false, true] {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in SAMPLE.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        let l = parse_kubeconfig(&bytes, Path::new("w"), &Limits::default());
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(
            l.config.cluster("c").unwrap().cluster.server.as_deref(),
            Some("https://c")
        );
    }
    let bad = parse_kubeconfig(&[0xFF, 0xFE, 0x00], Path::new("w"), &Limits::default());
    assert_eq!(only_problem(&bad).kind(), "not-utf8");
    let latin1 = parse_kubeconfig(b"kind: \xe9\n", Path::new("l"), &Limits::default());
    assert_eq!(only_problem(&latin1).kind(), "not-utf8");
}

#[test]
fn json_is_read_without_lines() {
    let l = parse(
        r#" {"clusters":[{"name":"c","cluster":{"server":"https://c"}}],"users":null,"current-context":"x"}"#,
    );
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    assert_eq!(l.config.cluster("c").unwrap().origin.line, None);
    assert!(l.config.users.is_empty());
}

#[test]
fn empty_blank_and_comment_only_inputs_are_empty_configs() {
    for text in ["", "  \n\t\n", "# nothing here\n", "---\n"] {
        let l = parse(text);
        assert!(l.problems.is_empty(), "{text:?}: {:?}", l.problems);
        assert_eq!(l.config, Kubeconfig::default());
    }
}

#[test]
fn null_lists_are_empty() {
    let l = parse("clusters: null\nusers:\ncontexts: ~\npreferences: {}\n");
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    assert!(l.config.clusters.is_empty() && l.config.users.is_empty());
}

#[test]
fn unknown_keys_are_kept() {
    let l = parse("foo: {a: 1}\nclusters:\n- name: c\n  cluster:\n    bar: 2\n");
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    assert_eq!(l.config.extras.other["foo"], serde_json::json!({"a": 1}));
    assert_eq!(
        l.config.clusters[0].cluster.extras.other["bar"],
        serde_json::json!(2)
    );
}

#[test]
fn bad_input_never_echoes_the_canary() {
    let inputs = [
        format!("users:\n- name: u\n  user:\n    token: {CANARY}\n   bad: [\n"),
        format!("users:\n- name: u\n  user:\n    token: [{CANARY}]\n"),
        format!("users:\n- name: u\n  user:\n    as-groups: {CANARY}\n"),
        format!("users: {CANARY}\n"),
        format!("users:\n- name: u\n  user:\n    token: \"{CANARY}\n"),
        format!("{{\"users\": [{{\"name\": \"u\", \"user\": {{\"token\": [\"{CANARY}\"]}}}}]}}"),
        format!("{{\"users\": \"{CANARY}\"}}"),
        format!("{{\"users\": [{CANARY}]}}"),
        format!("{CANARY}: [\n"),
    ];
    for input in &inputs {
        let l = parse(input);
        assert!(!l.problems.is_empty(), "accepted: {input}");
        for p in &l.problems {
            let shown = format!("{p} {p:?}");
            assert!(!shown.contains(CANARY), "leak in {shown}");
            assert!(!shown.contains("7f3a91"), "leak in {shown}");
        }
    }
}

#[test]
fn syntax_errors_carry_the_line() {
    let l = parse("clusters:\n- name: c\n  cluster:\n    server: [\n");
    match only_problem(&l) {
        Error::Syntax { at, .. } => assert!(at.line.is_some(), "{at:?}"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn duplicate_keys_are_rejected() {
    for text in [
        "current-context: a\ncurrent-context: b\n",
        "users:\n- name: u\n  user:\n    token: a\n    token: b\n",
        "clusters:\n- name: c\n  cluster:\n    zzz: 1\n    zzz: 2\n",
        "zzz: 1\nzzz: 2\n",
    ] {
        let l = parse(text);
        assert_eq!(only_problem(&l).kind(), "syntax", "{text}");
    }
}

#[test]
fn duplicate_names_keep_the_first_and_the_rest_of_the_file() {
    let l = parse(
        "users:\n- name: u\n  user: {token: first}\n- name: u\n  user: {token: second}\n- name: v\n  user: {}\ncurrent-context: x\n",
    );
    let expected = Error::DuplicateName {
        at: Location::file("t.yaml")
            .with_entry("users[u]")
            .with_line(Some(4)),
        kind: "user".into(),
        name: "u".into(),
    };
    assert_eq!(only_problem(&l), &expected);
    assert_eq!(l.config.users.len(), 2);
    assert_eq!(
        l.config
            .user("u")
            .and_then(|u| u.user.token.as_ref())
            .map(|t| t.expose()),
        Some("first")
    );
    assert_eq!(l.config.current_context.as_deref(), Some("x"));
}

#[test]
fn alias_bomb_is_rejected_by_the_alias_budget() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let mut prev = "a";
    for n in names {
        bomb.push_str(&format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = n;
    }
    // Correctness only: the time it takes is measured, not asserted (tests/hostile).
    let l = parse(&bomb);
    assert_eq!(only_problem(&l).kind(), "syntax");
}

#[test]
fn deep_nesting_is_rejected() {
    let depth = 10_000;
    let flow = format!("x: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(only_problem(&parse(&flow)).kind(), "syntax");
    let block: String = (0..depth)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    assert_eq!(only_problem(&parse(&block)).kind(), "syntax");
    let json = format!("{{\"x\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(only_problem(&parse(&json)).kind(), "syntax");
}

#[test]
fn nesting_at_the_limit_is_read() {
    // Depth 64 counts the top-level mapping; an unknown key holds the rest.
    let block: String = (0..63).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    // (`kind: Config`: a file of unknown keys alone is not a kubeconfig)
    assert!(parse(&format!("kind: Config\n{block}")).problems.is_empty());
    let block: String = (0..65).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    assert_eq!(only_problem(&parse(&block)).kind(), "syntax");
}

#[test]
fn many_users_fit_the_scaled_budget() {
    let mut text = String::from("users:\n");
    for i in 0..15_000 {
        text.push_str(&format!(
            "- name: user-{i}\n  user:\n    client-certificate: /p/{i}.crt\n    client-key: /p/{i}.key\n    as-groups: [a, b]\n"
        ));
    }
    let l = parse(&text);
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    assert_eq!(l.config.users.len(), 15_000);
}

#[test]
fn read_limited_refuses_devices_and_directories() {
    let limits = Limits::default();
    let at = Location::file("x");
    let refused = |p: &Path| read_limited(p, &limits, &at).unwrap_err().kind();
    assert_eq!(refused(Path::new("/dev/zero")), "not-regular-file");
    let dir = TempDir::new("fifo");
    assert_eq!(refused(&dir), "not-regular-file");
    // FIFOs need mkfifo(1): tests/tests/loader_files.rs covers them.
    assert_eq!(refused(&dir.join("missing")), "io");
}

#[test]
fn read_limited_caps_the_size() {
    let dir = TempDir::new("size");
    let file = dir.write("big", vec![b'#'; 101]);
    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let at = Location::file(&file);
    assert_eq!(
        read_limited(&file, &limits, &at),
        Err(Error::TooLarge {
            at: at.clone(),
            limit: 100
        })
    );
    dir.write("big", vec![b'#'; 100]);
    assert_eq!(read_limited(&file, &limits, &at).map(|b| b.len()), Ok(100));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_io_errors() {
    let dir = TempDir::new("loop");
    let l = load_file(&symlink_loop(&dir), &Limits::default());
    assert_eq!(only_problem(&l).kind(), "io");
    assert!(l.files.is_empty());
}

#[test]
fn load_file_resolves_against_the_file_folder() {
    let dir = TempDir::new("resolve");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let file = dir.write(
        "sub/config",
        "clusters:\n- name: c\n  cluster:\n    certificate-authority: ../ca.crt\nusers:\n- name: u\n  user:\n    tokenFile: tok\n    exec: {command: kubelogin}\n",
    );
    let l = load_file(&file, &Limits::default());
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    assert_eq!(l.files, std::slice::from_ref(&file));
    let ca = dir.join("ca.crt").to_string_lossy().into_owned();
    assert_eq!(
        l.config.clusters[0]
            .cluster
            .certificate_authority
            .as_deref(),
        Some(ca.as_str())
    );
    let tok = dir.join("sub/tok").to_string_lossy().into_owned();
    assert_eq!(
        l.config.users[0].user.token_file.as_deref(),
        Some(tok.as_str())
    );
    assert_eq!(
        l.config.users[0]
            .user
            .exec
            .as_ref()
            .map(|e| e.command.as_str()),
        Some("kubelogin")
    );
}

#[test]
fn a_multi_document_file_is_read_like_client_go() {
    let text = "users:\n- name: a\n  user: {token: t}\n---\nusers:\n- name: b\n  user: {token: u}\n---\nkind: Secret\n";
    let l = parse(text);
    assert_eq!(l.config.users.len(), 1);
    assert_eq!(l.config.users[0].name, "a");
    assert_eq!(
        only_problem(&l).to_string(),
        "t.yaml (line 4): more than one YAML document: kubectl reads only the first, the rest was ignored"
    );
    // a leading marker starts the first document; comments are no content
    let l = parse("# c\n---\nusers:\n- name: a\n  user: {}\n...\n");
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    // the first document's own syntax error is reported as such
    assert_eq!(
        only_problem(&parse("users: [\n---\nkind: Config\n")).kind(),
        "syntax"
    );
}

#[test]
fn a_document_that_is_not_a_kubeconfig_says_so() {
    let cases = [
        ("{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"x\"}}", "an ExecCredential"),
        ("apiVersion: v1\nkind: Secret\ndata: {token: eA==}\n", "a Secret"),
        ("kind: Deployment\n", "a document of another kind"),
        ("name: x\nvalue: y\n", "only keys a kubeconfig does not have"),
    ];
    for (text, what) in cases {
        let p = only_problem(&parse(text)).to_string();
        assert_eq!(
            p,
            format!("t.yaml: not a valid kubeconfig (no users, clusters or contexts: {what})")
        );
    }
    // empty kubeconfigs are kubeconfigs
    for text in [
        "",
        "kind: Config\n",
        "apiVersion: v1\nusers: null\n",
        "current-context: x\n",
    ] {
        assert!(parse(text).problems.is_empty(), "{text:?}");
    }
}
