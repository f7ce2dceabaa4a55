//! The secrets canary matrix: every secret-bearing field of a kubeconfig holds a
//! unique canary, and no canary (nor its base64 form) may appear in stdout or
//! stderr of any command in any format, on success or on error; nor in the
//! `Debug`, `Display` or JSON forms of the core's values. The kubeconfig also
//! holds an exec plugin and an auth-provider `cmd-path` that would create marker
//! files: after every command neither exists. The home folder holds token caches
//! (kubelogin, oidc-login, aws-iam-authenticator, gke plugin, MSAL, AWS
//! credentials) whose secrets are canaries too.
//!
//! Adding a subcommand or a format (check, exposure, pki, scan...) is one line in
//! [`COMMANDS`]; adding a secret-bearing field is one line in [`Canaries::new`].
// Spawning is allowed here: these tests run the kcred binary (see /clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;

/// Every command and output format that reads kubeconfigs, and whether it takes
/// `--context`. The input arguments (`--kubeconfig FILE` or `KUBECONFIG`) and
/// `--now` are added by the test; HOME holds token caches with canaries.
const COMMANDS: &[(&[&str], bool)] = &[
    (&["inspect", "--format", "table", "--color", "never"], true),
    (&["inspect", "--format", "table", "--color", "always"], true),
    (&["inspect", "--format", "json"], true),
    (
        &[
            "check", "--policy", "strict", "--format", "table", "--color", "always",
        ],
        true,
    ),
    (&["check", "--policy", "strict", "--format", "json"], true),
    (&["check", "--policy", "strict", "--format", "sarif"], true),
    (
        &["check", "--policy", "strict", "--format", "prometheus"],
        true,
    ),
    (&["check", "--policy", "baseline", "--format", "json"], true),
    (&["exposure", "--format", "table"], false),
    (&["exposure", "--format", "json"], false),
];

/// Commands that take a folder instead of kubeconfig paths: the folder holding
/// the canary kubeconfig (for `pki`, as `admin.conf` of an /etc/kubernetes tree).
const FOLDER_COMMANDS: &[&[&str]] = &[
    &["scan", "--format", "table", "--color", "always"],
    &["scan", "--format", "json"],
    &["scan", "--format", "sarif"],
    &["pki", "--format", "table"],
    &["pki", "--format", "json"],
];

const NOW: &str = "2026-01-01T00:00:00Z";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "kcred-canary-{tag}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Unique canaries, one per secret-bearing field, and the files that hold them.
struct Canaries {
    /// (field, canary): each canary is unique, so a leak names its field.
    values: Vec<(&'static str, String)>,
    /// Other forms a secret is written in (the base64 of `*-data` fields). The
    /// `bad-cert` canary is not here: certificates are public, so only its raw
    /// text (which an error message might echo) must stay out of outputs.
    encoded: Vec<(&'static str, String)>,
    config: PathBuf,
    broken: PathBuf,
    markers: Vec<PathBuf>,
}

impl Canaries {
    fn new(dir: &Path) -> Self {
        let c = |field: &str| format!("CANARY-{field}-{}", std::process::id());
        let values: Vec<(&'static str, String)> = [
            "token",
            "password",
            "client-key-data",
            "client-key-file",
            "token-file",
            "jwt-signature",
            "oidc-id-token",
            "oidc-refresh-token",
            "oidc-client-secret",
            "azure-access-token",
            "azure-refresh-token",
            "gcp-access-token",
            "exec-env-value",
            "exec-env-secret",
            "exec-arg-client-secret",
            "exec-arg-password",
            "exec-arg-token",
            "exec-arg-oidc-secret",
            "exec-arg-p",
            "exec-arg-pass",
            "exec-arg-pwd",
            "exec-arg-auth",
            "exec-arg-one",
            "exec-arg-glued-p",
            "exec-arg-colon",
            "exec-arg-slash",
            "exec-arg-url-userinfo",
            "exec-arg-url-query",
            "exec-script",
            "exec-command-env",
            "exec-command-flag",
            "exec-command-url-userinfo",
            "exec-command-url-query",
            "server-userinfo",
            "server-query",
            "server-fragment",
            "proxy-url-userinfo",
            "proxy-url-query",
            "idp-issuer-url-userinfo",
            "idp-issuer-url-query",
            "bad-jwt",
            "bad-cert",
            "bad-key",
            "syntax-error",
            "type-error",
        ]
        .into_iter()
        .map(|f| (f, c(f)))
        .collect();
        let v = |field: &str| values.iter().find(|(f, _)| *f == field).unwrap().1.clone();

        let cert = std::fs::read(repo().join("tests/data/certs/expired.crt")).unwrap();
        let key_pem = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
            v("client-key-data")
        );
        let key_file = dir.join("client.key");
        std::fs::write(
            &key_file,
            format!(
                "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
                v("client-key-file")
            ),
        )
        .unwrap();
        let token_file = dir.join("token");
        std::fs::write(&token_file, v("token-file")).unwrap();
        let jwt = format!(
            "{}.{}.{}",
            b64url(br#"{"alg":"RS256","kid":"k"}"#),
            b64url(
                br#"{"sub":"system:serviceaccount:ci:deployer","exp":1767229200,"iat":1767225600}"#
            ),
            v("jwt-signature")
        );
        let markers = vec![dir.join("MARKER-exec"), dir.join("MARKER-cmd-path")];
        let encoded = vec![
            ("client-key-data (base64)", b64(key_pem.as_bytes())),
            ("bad-key (base64)", b64(v("bad-key").as_bytes())),
            ("jwt", jwt.clone()),
        ];
        let text = format!(
            r#"apiVersion: v1
kind: Config
current-context: ctx-tok
clusters:
- name: c
  cluster:
    server: "https://admin:{server_userinfo}@example.invalid:6443/?token={server_query}#{server_fragment}"
    proxy-url: "http://proxy:{proxy_userinfo}@proxy.invalid:3128/?key={proxy_query}"
contexts:
- name: ctx-tok
  context: {{cluster: c, user: tok}}
- name: ctx-exec
  context: {{cluster: c, user: exec}}
users:
- name: tok
  user:
    token: {token}
    username: admin
    password: {password}
- name: certkey
  user:
    client-certificate-data: {cert}
    client-key-data: {key}
- name: certfile
  user:
    client-certificate-data: {cert}
    client-key: {key_file}
- name: tokenfile
  user:
    tokenFile: {token_file}
- name: jwt
  user:
    token: {jwt}
- name: oidc
  user:
    auth-provider:
      name: oidc
      config:
        client-id: kube
        client-secret: {oidc_secret}
        id-token: {oidc_id}
        refresh-token: {oidc_refresh}
        idp-issuer-url: "https://u:{idp_userinfo}@issuer.invalid/realms/a?token={idp_query}"
- name: azure
  user:
    auth-provider:
      name: azure
      config:
        access-token: {azure_access}
        refresh-token: {azure_refresh}
        expires-on: "1767229200"
- name: gcp
  user:
    auth-provider:
      name: gcp
      config:
        access-token: {gcp_access}
        expiry: "2026-01-01T01:00:00Z"
        cmd-path: /bin/sh
        cmd-args: -c 'touch {marker_cmd}'
- name: exec
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args: ["-c", "touch {marker_exec} # {exec_script}", "--client-secret", "{arg_secret}", "--password={arg_password}", "--token", "{arg_token}", "--oidc-client-secret={arg_oidc}"]
      env:
      - {{name: SOME_SETTING, value: {env_value}}}
      - {{name: AAD_SERVICE_PRINCIPAL_CLIENT_SECRET, value: {env_secret}}}
      interactiveMode: Never
- name: exec-flags
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: kubelogin
      args: [get-token, --login, spn, -p, "{arg_p}", --pass, "{arg_pass}", "--pwd={arg_pwd}", "--auth={arg_auth}", "--client-secret {arg_one}", "-p{arg_glued}", "--password:{arg_colon}", /password, "{arg_slash}", "--oidc-issuer-url=https://u:{arg_url_userinfo}@issuer.invalid/?token={arg_url_query}", --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]
- name: exec-command
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: "AWS_SECRET_ACCESS_KEY={command_env} kubelogin --client-secret={command_flag}"
      args: [get-token]
- name: exec-url
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: "https://u:{command_url_userinfo}@plugins.invalid/bin/plugin?sig={command_url_query}"
- name: badjwt
  user:
    token: eyJ{bad_jwt}.eyJ.x
- name: badcert
  user:
    client-certificate-data: {bad_cert}
    client-key-data: {bad_key}
"#,
            token = v("token"),
            password = v("password"),
            cert = b64(&cert),
            key = b64(key_pem.as_bytes()),
            key_file = key_file.display(),
            token_file = token_file.display(),
            oidc_secret = v("oidc-client-secret"),
            oidc_id = v("oidc-id-token"),
            oidc_refresh = v("oidc-refresh-token"),
            azure_access = v("azure-access-token"),
            azure_refresh = v("azure-refresh-token"),
            gcp_access = v("gcp-access-token"),
            marker_cmd = markers[1].display(),
            marker_exec = markers[0].display(),
            arg_secret = v("exec-arg-client-secret"),
            arg_password = v("exec-arg-password"),
            arg_token = v("exec-arg-token"),
            arg_oidc = v("exec-arg-oidc-secret"),
            env_value = v("exec-env-value"),
            exec_script = v("exec-script"),
            arg_p = v("exec-arg-p"),
            arg_pass = v("exec-arg-pass"),
            arg_pwd = v("exec-arg-pwd"),
            arg_auth = v("exec-arg-auth"),
            arg_one = v("exec-arg-one"),
            arg_glued = v("exec-arg-glued-p"),
            arg_colon = v("exec-arg-colon"),
            arg_slash = v("exec-arg-slash"),
            arg_url_userinfo = v("exec-arg-url-userinfo"),
            arg_url_query = v("exec-arg-url-query"),
            command_env = v("exec-command-env"),
            command_flag = v("exec-command-flag"),
            command_url_userinfo = v("exec-command-url-userinfo"),
            command_url_query = v("exec-command-url-query"),
            server_userinfo = v("server-userinfo"),
            server_query = v("server-query"),
            server_fragment = v("server-fragment"),
            proxy_userinfo = v("proxy-url-userinfo"),
            proxy_query = v("proxy-url-query"),
            idp_userinfo = v("idp-issuer-url-userinfo"),
            idp_query = v("idp-issuer-url-query"),
            env_secret = v("exec-env-secret"),
            bad_jwt = v("bad-jwt"),
            bad_cert = b64(v("bad-cert").as_bytes()),
            bad_key = b64(v("bad-key").as_bytes()),
        );
        let config = dir.join("config");
        std::fs::write(&config, text).unwrap();
        // A file that does not parse, with canaries where the parser stops.
        let broken = dir.join("broken");
        std::fs::write(
            &broken,
            format!(
                "users:\n- name: b\n  user:\n    token: [{}]\n    password: \"{}\n",
                v("type-error"),
                v("syntax-error")
            ),
        )
        .unwrap();
        Canaries {
            values,
            encoded,
            config,
            broken,
            markers,
        }
    }

    /// Panics naming the field whose canary appears in `text`.
    fn assert_absent(&self, what: &str, text: &str) {
        for (field, canary) in self.values.iter().chain(&self.encoded) {
            assert!(
                !text.contains(canary.as_str()),
                "{what}: the {field} canary leaked:\n{text}"
            );
        }
        assert!(!text.contains("CANARY"), "{what}: a canary leaked:\n{text}");
    }

    fn assert_nothing_executed(&self, what: &str) {
        for marker in &self.markers {
            assert!(!marker.exists(), "{what}: {} was created", marker.display());
        }
    }
}

/// Copies the exposure fixtures' token caches (every secret in them is a
/// `CANARY-...` value) into `home` and beside the kubeconfig in `dir`. AWS access
/// key ids are identifiers, not secrets: their canary-looking ids are replaced.
fn plant_token_caches(home: &Path, dir: &Path) {
    let src = repo().join("tests/data/exposure");
    let copy = |from: &str, to: PathBuf| {
        let text = std::fs::read_to_string(src.join(from)).unwrap();
        let text = text
            .replace("AKIACANARYEXAMPLE", "AKIAIOSFODNN7EXAMPLE")
            .replace("ASIACANARYEXAMPLE", "ASIAIOSFODNN7EXAMPLE");
        assert!(text.contains("CANARY"), "{from} holds no canary");
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, text).unwrap();
    };
    let kube = home.join(".kube/cache");
    let kubelogin = std::fs::read_dir(src.join("home-aks/.kube/cache/kubelogin"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".json"))
        .unwrap();
    copy(
        &format!("home-aks/.kube/cache/kubelogin/{kubelogin}"),
        kube.join("kubelogin").join(&kubelogin),
    );
    let oidc = std::fs::read_dir(src.join("home-oidc/.kube/cache/oidc-login"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| !n.ends_with(".lock"))
        .unwrap();
    copy(
        &format!("home-oidc/.kube/cache/oidc-login/{oidc}"),
        kube.join("oidc-login").join(&oidc),
    );
    copy(
        "home-eks/.kube/cache/aws-iam-authenticator/credentials.yaml",
        kube.join("aws-iam-authenticator/credentials.yaml"),
    );
    copy(
        "home-gke/.kube/gke_gcloud_auth_plugin_cache",
        dir.join("gke_gcloud_auth_plugin_cache"),
    );
    copy(
        "home-gke/.kube/gke_gcloud_auth_plugin_cache",
        home.join(".kube/gke_gcloud_auth_plugin_cache"),
    );
    copy(
        "caches/msal_token_cache.json",
        home.join(".azure/msal_token_cache.json"),
    );
    copy("caches/aws-credentials", home.join(".aws/credentials"));
}

fn kcred(args: &[&str], kubeconfig_env: Option<&str>, home: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kcred"));
    cmd.args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin");
    if let Some(value) = kubeconfig_env {
        cmd.env("KUBECONFIG", value);
    }
    cmd.output().unwrap()
}

fn shown(out: &Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn no_canary_in_any_command_format_or_error_and_nothing_executed() {
    let dir = tempdir("matrix");
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
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
            }
            assert!(
                !out.stdout.is_empty() || !out.stderr.is_empty(),
                "{what}: no output"
            );
            canaries.assert_absent(&what, &shown(&out));
            canaries.assert_nothing_executed(&what);
        }
    }
}

#[test]
fn no_canary_from_folder_commands_and_nothing_executed() {
    let dir = tempdir("folders");
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
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
        canaries.assert_absent(&what, &shown(&out));
        canaries.assert_nothing_executed(&what);
    }
}

#[test]
fn no_canary_from_a_policy_or_the_files_it_extends() {
    // `extends:` may name any file (`/etc/shadow`): a parser error about it must
    // not echo its first key, nor any other byte of it, in any policy format.
    let dir = tempdir("policy");
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
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
                let what = format!("`kcred {}`", args.join(" "));
                let out = kcred(&args, None, &home);
                assert_eq!(out.status.code(), Some(2), "{what}\n{}", shown(&out));
                assert!(!out.stderr.is_empty(), "{what}: no error shown");
                canaries.assert_absent(&what, &shown(&out));
                canaries.assert_nothing_executed(&what);
                runs += 1;
            }
        }
    }
    assert_eq!(runs, victims.len() * 4 * 3);
}

#[test]
fn the_matrix_sees_every_user() {
    // Guards the matrix itself: the canary file loads, and every user is
    // inventoried, so the leaks above were looked for in real output.
    let dir = tempdir("sanity");
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let canaries = Canaries::new(&dir);
    let out = kcred(
        &[
            "inspect",
            "--kubeconfig",
            canaries.config.to_str().unwrap(),
            "--now",
            NOW,
            "--format",
            "json",
        ],
        None,
        &home,
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
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
    let out = kcred(
        &[
            "exposure",
            "--kubeconfig",
            canaries.config.to_str().unwrap(),
            "--now",
            NOW,
            "--format",
            "json",
        ],
        None,
        &home,
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
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

#[test]
fn no_canary_in_debug_display_or_json_of_core_values() {
    use kcred_core::{inventory, inventory_json, inventory_table, load_file, DiskFiles, Limits};
    let dir = tempdir("debug");
    let canaries = Canaries::new(&dir);
    let now = time::OffsetDateTime::from_unix_timestamp(1_767_225_600).unwrap();
    for path in [&canaries.config, &canaries.broken] {
        let loaded = load_file(path, &Limits::default());
        let inv = inventory(&loaded.config, &DiskFiles::default());
        let problems: Vec<String> = loaded
            .problems
            .iter()
            .chain(&inv.problems)
            .map(|p| format!("{p}\n{p:?}"))
            .collect();
        for (what, text) in [
            ("Debug of Loaded", format!("{loaded:?}")),
            ("Debug of Inventory", format!("{inv:?}")),
            ("Display and Debug of problems", problems.join("\n")),
            (
                "serde JSON of Inventory",
                serde_json::to_string(&inv).unwrap(),
            ),
            ("inventory_json", inventory_json(&inv, now).to_string()),
            ("inventory_table", inventory_table(&inv, now, true)),
        ] {
            canaries.assert_absent(&format!("{}: {what}", path.display()), &text);
        }
    }
}
