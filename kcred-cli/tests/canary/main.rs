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

use std::path::{Path, PathBuf};
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{b64, b64url, repo, shown, TempDir, NOW, NOW_AT};

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
    // The policy discovered from kcred-cli/ upward (none: baseline), and shown.
    (&["check", "--format", "json"], true),
    (&["check", "--show-policy", "--policy", "strict"], true),
    (&["check", "--show-policy", "--format", "json"], true),
    (&["inspect", "--format", "prometheus"], true),
    (&["exposure", "--format", "table"], false),
    (&["exposure", "--format", "json"], false),
    (&["exposure", "--format", "prometheus"], false),
    (
        &["exposure", "--policy", "strict", "--format", "prometheus"],
        false,
    ),
    // With rights (cargo runs tests in kcred-cli/): privileges, RIGHTS, unbounded windows.
    (&["inspect", "--format", "json", "--rbac", RBAC], true),
    (&["exposure", "--format", "table", "--rbac", RBAC], false),
    (&["exposure", "--format", "json", "--rbac", RBAC], false),
];

/// An RBAC snapshot for the commands that take `--rbac`.
const RBAC: &str = "../tests/data/rbac";

/// Commands that take a folder instead of kubeconfig paths: the folder holding
/// the canary kubeconfig (for `pki`, as `admin.conf` of an /etc/kubernetes tree).
const FOLDER_COMMANDS: &[&[&str]] = &[
    &["scan", "--format", "table", "--color", "always"],
    &["scan", "--format", "json"],
    &["scan", "--format", "sarif"],
    &["scan", "--format", "prometheus"],
    &["pki", "--format", "table"],
    &["pki", "--format", "json"],
    &["pki", "--format", "prometheus"],
];

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

    /// No canary in the run's stdout or stderr, and no marker file made.
    fn assert_safe(&self, what: &str, out: &Output) {
        self.assert_absent(what, &shown(out));
        self.assert_nothing_executed(what);
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
    let mut cmd = kcred!().args(args).clean_env(home);
    if let Some(value) = kubeconfig_env {
        cmd = cmd.env("KUBECONFIG", value);
    }
    cmd.output()
}

mod commands;
mod core_values;
