//! Every command and format of the binary, on success and on error: no canary printed,
//! nothing executed; and the matrix itself sees every user and cache.

use super::*;

/// A fresh folder for the test and an empty home folder inside it.
fn dir_and_home(tag: &str) -> (TempDir, PathBuf) {
    let dir = TempDir::new(&format!("canary-{tag}"));
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    (dir, home)
}

#[test]
fn no_canary_in_any_command_format_or_error_and_nothing_executed() {
    let (dir, home) = dir_and_home("matrix");
    let canaries = Canaries::new(&dir);
    plant_token_caches(&home, &dir);
    let config = canaries.config.to_str().unwrap();
    let broken = canaries.broken.to_str().unwrap();
    let merged = format!("{config}:{broken}");
    for (command, takes_context) in COMMANDS {
        let name = command.join(" ");
        let with = |extra: &[&str]| -> Vec<String> {
            command
                .iter()
                .chain(extra)
                .chain(&["--now", NOW])
                .map(|s| (*s).to_owned())
                .collect()
        };
        let mut runs: Vec<(String, Vec<String>, Option<&str>)> = vec![
            ("--kubeconfig".into(), with(&["--kubeconfig", config]), None),
            ("KUBECONFIG=config:broken".into(), with(&[]), Some(&merged)),
            (
                "--kubeconfig broken".into(),
                with(&["--kubeconfig", broken]),
                None,
            ),
        ];
        if *takes_context {
            runs.push((
                "--context ctx-exec".into(),
                with(&["--kubeconfig", config, "--context", "ctx-exec"]),
                None,
            ));
        }
        for (input, args, env) in runs {
            let what = format!("`kcred {name}` with {input}");
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = kcred(&args, env, &home);
            let code = out.status.code();
            // 0 or 1 with an inventory (problems listed in it), 2 on a fatal error;
            // never a usage error, which would mean the matrix tested nothing.
            assert!(matches!(code, Some(0..=2)), "{what}\n{}", shown(&out));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stderr.contains("unexpected argument") && !stderr.contains("Usage:"),
                "{what}: usage error\n{stderr}"
            );
            if !input.ends_with("broken") {
                assert!(!out.stdout.is_empty(), "{what}: no output\n{stderr}");
                // Undecodable entries are problems in the inventory, not a failure.
                if command[0] == "inspect" {
                    assert_eq!(code, Some(0), "{what}\n{}", shown(&out));
                }
            }
            assert!(
                !out.stdout.is_empty() || !out.stderr.is_empty(),
                "{what}: no output"
            );
            canaries.assert_safe(&what, &out);
        }
    }
}

#[test]
fn no_canary_from_folder_commands_and_nothing_executed() {
    let (dir, home) = dir_and_home("folders");
    std::fs::create_dir_all(dir.join("tree")).unwrap();
    let canaries = Canaries::new(&dir.join("tree"));
    // pki reads <DIR>/admin.conf: the canary kubeconfig is it.
    std::fs::copy(&canaries.config, dir.join("tree/admin.conf")).unwrap();
    let tree = dir.join("tree");
    for command in FOLDER_COMMANDS {
        let mut args: Vec<&str> = command.to_vec();
        args.extend([tree.to_str().unwrap(), "--now", NOW]);
        let what = format!("`kcred {}`", args.join(" "));
        let out = kcred(&args, None, &home);
        assert!(
            matches!(out.status.code(), Some(0..=1)),
            "{what}\n{}",
            shown(&out)
        );
        assert!(!out.stdout.is_empty(), "{what}: no output");
        if command == &["scan", "--format", "json"] {
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let found = doc["credentials"].as_array().map_or(0, Vec::len);
            assert!(
                found >= 10,
                "{what}: the scan found only {found} credentials"
            );
        }
        canaries.assert_safe(&what, &out);
    }
}

#[test]
fn no_canary_from_a_policy_or_the_files_it_extends() {
    // `extends:` may name any file (`/etc/shadow`): a parser error about it must
    // not echo its first key, nor any other byte of it, in any policy format.
    let (dir, home) = dir_and_home("policy");
    let canaries = Canaries::new(&dir);
    let config = canaries.config.to_str().unwrap();
    let c = |what: &str| format!("CANARY-policy-{what}-{}", std::process::id());
    let victims = [
        ("yaml", format!("{}: v\nother: 1\n", c("yaml-key"))),
        ("toml", format!("{} = \"v\"\n", c("toml-key"))),
        ("json", format!("{{\"{}\": \"v\"}}", c("json-key"))),
        (
            "yaml",
            format!("root:$6${}:19000:0:99999:7:::\n", c("shadow")),
        ),
        (
            "toml",
            format!("root:$6${}:19000:0:99999:7:::\n", c("shadow-toml")),
        ),
        ("yaml", format!("password: {}\n", c("yaml-value"))),
        ("json", format!("{{\"password\": [\"{}\"", c("json-syntax"))),
        (
            "yaml",
            format!(
                "version: 1\nrules:\n  expired: {{ severity: {} }}\n",
                c("variant")
            ),
        ),
        (
            "yaml",
            format!(
                "version: 1\nrules:\n  expired: {{ threshold: {} }}\n",
                c("duration")
            ),
        ),
    ];
    let mut runs = 0;
    for (i, (ext, text)) in victims.iter().enumerate() {
        let victim = format!("victim{i}.{ext}");
        std::fs::write(dir.join(&victim), text).unwrap();
        let mains = [
            ("yaml", format!("version: 1\nextends: {victim}\n")),
            ("toml", format!("version = 1\nextends = \"{victim}\"\n")),
            (
                "json",
                format!("{{\"version\": 1, \"extends\": \"{victim}\"}}"),
            ),
        ];
        let mut policies = vec![dir.join(&victim)];
        for (main_ext, main) in mains {
            let path = dir.join(format!("main{i}.{main_ext}"));
            std::fs::write(&path, main).unwrap();
            policies.push(path);
        }
        for policy in &policies {
            for format in ["table", "json", "sarif"] {
                let args = [
                    "check",
                    "--policy",
                    policy.to_str().unwrap(),
                    "--format",
                    format,
                    "--kubeconfig",
                    config,
                    "--now",
                    NOW,
                ];
                let out = run_safely(&canaries, &args, &home, 2);
                assert!(!out.stderr.is_empty(), "{args:?}: no error shown");
                runs += 1;
            }
        }
    }
    assert_eq!(runs, victims.len() * 4 * 3);
}

/// `kcred SUBCOMMAND --kubeconfig CONFIG --now NOW --format json`, parsed.
fn json_of(subcommand: &str, config: &Path, home: &Path) -> serde_json::Value {
    let config = config.to_str().unwrap();
    let args = [
        subcommand,
        "--kubeconfig",
        config,
        "--now",
        NOW,
        "--format",
        "json",
    ];
    let out = kcred(&args, None, home);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_matrix_sees_every_user() {
    // Guards the matrix itself: the canary file loads, and every user is
    // inventoried, so the leaks above were looked for in real output.
    let (dir, home) = dir_and_home("sanity");
    let canaries = Canaries::new(&dir);
    let doc = json_of("inspect", &canaries.config, &home);
    let users: std::collections::BTreeSet<&str> = doc["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["user"].as_str())
        .collect();
    for user in [
        "tok",
        "certkey",
        "certfile",
        "tokenfile",
        "jwt",
        "oidc",
        "azure",
        "gcp",
        "exec",
        "exec-flags",
        "exec-command",
        "exec-url",
        "badjwt",
        "badcert",
    ] {
        assert!(users.contains(user), "{user} missing from {users:?}");
    }
    // Problems about the bad entries are reported (without their values).
    assert!(!doc["problems"].as_array().unwrap().is_empty());
    // `exposure` finds every planted cache, so their canaries were looked for too.
    plant_token_caches(&home, &dir);
    let doc = json_of("exposure", &canaries.config, &home);
    let text = doc["caches"].to_string();
    for kind in [
        "azure-kubelogin-token",
        "oidc-login",
        "aws-iam-authenticator",
        "gke-gcloud-auth-plugin",
        "azure-cli-token-cache",
        "aws-shared-credentials",
    ] {
        assert!(
            text.contains(kind),
            "exposure did not read the {kind} cache"
        );
    }
}

/// The canary kubeconfig read from stdin (`check -`, `inspect --kubeconfig -`)
/// and every report written with `--output FILE`: no canary in the file, on
/// stdout or stderr; nothing executed.
#[test]
fn no_canary_from_stdin_or_in_output_files() {
    let (dir, home) = dir_and_home("stdin-output");
    let canaries = Canaries::new(&dir);
    let config = std::fs::read(&canaries.config).unwrap();
    let file = dir.join("report.out");
    for args in [
        &["check", "-", "--policy", "strict", "--format", "table"][..],
        &["check", "-", "--policy", "strict", "--format", "json"],
        &["check", "-", "--policy", "strict", "--format", "sarif"],
        &["check", "-", "--policy", "strict", "--format", "prometheus"],
        &["inspect", "--kubeconfig", "-", "--format", "table"],
        &["inspect", "--kubeconfig", "-", "--format", "json"],
        &["inspect", "--kubeconfig", "-", "--format", "prometheus"],
    ] {
        let what = format!("`kcred {}` --output", args.join(" "));
        let out = kcred!()
            .args(args)
            .args(["--now", NOW, "--output"])
            .arg(&file)
            .current_dir(&dir)
            .clean_env(&home)
            .output_with_stdin(&config)
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{what}\n{}",
            shown(&out)
        );
        assert!(out.stdout.is_empty(), "{what}: printed with --output");
        let written = std::fs::read_to_string(&file).unwrap();
        // SARIF writes the name as a URI reference.
        let stdin = match args.contains(&"sarif") {
            true => "\"%3Cstdin%3E\"",
            false => "<stdin>",
        };
        assert!(written.contains(stdin), "{what}: {written}");
        canaries.assert_absent(&what, &written);
        canaries.assert_safe(&what, &out);
    }
}

#[test]
fn no_canary_from_decode_and_nothing_executed() {
    // `kcred decode` of every canary-bearing file: the kubeconfigs (nothing
    // decodable), a private key, an opaque token, a JWT whose signature is a
    // canary, and ExecCredentials holding canary tokens and keys.
    let (dir, home) = dir_and_home("decode");
    let canaries = Canaries::new(&dir);
    let value = |field: &str| {
        let all = canaries.values.iter().chain(&canaries.encoded);
        all.into_iter()
            .find(|(f, _)| *f == field)
            .unwrap()
            .1
            .clone()
    };
    let key = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        value("client-key-data")
    );
    let exec = |token: String| {
        serde_json::json!({
            "kind": "ExecCredential",
            "apiVersion": "client.authentication.k8s.io/v1",
            "status": {"token": token, "clientKeyData": key},
        })
        .to_string()
    };
    let jwt = dir.join("jwt");
    std::fs::write(&jwt, value("jwt")).unwrap();
    let opaque_exec = dir.join("exec-opaque.json");
    std::fs::write(&opaque_exec, exec(value("token"))).unwrap();
    let jwt_exec = dir.join("exec-jwt.json");
    std::fs::write(&jwt_exec, exec(value("jwt"))).unwrap();
    let decodable = [jwt, opaque_exec, jwt_exec];
    // client.key's body is a canary, not base64: a PEM that does not decode.
    let undecodable = [
        canaries.config.clone(),
        canaries.broken.clone(),
        dir.join("token"),
        dir.join("client.key"),
    ];
    for (input, want) in decodable
        .iter()
        .map(|p| (p, 0))
        .chain(undecodable.iter().map(|p| (p, 2)))
    {
        for format in ["table", "json"] {
            let args = [
                "decode",
                input.to_str().unwrap(),
                "--format",
                format,
                "--now",
                NOW,
            ];
            run_safely(&canaries, &args, &home, want);
        }
    }
}

/// `kcred ARGS` without KUBECONFIG: exits `want`, shows something, prints no
/// canary and runs nothing.
fn run_safely(canaries: &Canaries, args: &[&str], home: &Path, want: i32) -> Output {
    let what = format!("`kcred {}`", args.join(" "));
    let out = kcred(args, None, home);
    assert_eq!(out.status.code(), Some(want), "{what}\n{}", shown(&out));
    assert!(
        !out.stdout.is_empty() || !out.stderr.is_empty(),
        "{what}: nothing shown"
    );
    canaries.assert_safe(&what, &out);
    out
}
