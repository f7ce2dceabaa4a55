//! Exec credential plugins: which plugin a kubeconfig names and in which login
//! mode, read from its command, args and env names. kcred never runs it.
//! Also the plugin's output format, ExecCredential, when found on disk.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::{Error, Location};
use crate::expiry::Validity;
use crate::kubeconfig::ExecConfig;
use crate::secret::{redact_exec, redact_url};
use crate::token::{decode_token, TokenInfo};
use crate::x509::{decode_certificates, CertificateInfo};

/// A known exec plugin, with the facts that set its credentials' lifetime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "plugin", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ExecPlugin {
    /// Azure kubelogin (`kubelogin get-token`).
    AzureKubelogin {
        /// `--login` / `-l`, or env `AAD_LOGIN_METHOD`; kubelogin's default is `devicecode`.
        login_mode: String,
        /// `--server-id`: the AKS AAD server application.
        server_id: Option<String>,
        /// `--client-id`.
        client_id: Option<String>,
        /// `--tenant-id` / `-t`.
        tenant_id: Option<String>,
    },
    /// `aws eks get-token`.
    AwsEksGetToken {
        /// `--cluster-name` (or `--cluster-id`).
        cluster: Option<String>,
        /// `--region`.
        region: Option<String>,
        /// `--role-arn`.
        role_arn: Option<String>,
        /// env `AWS_PROFILE` or `--profile`.
        profile: Option<String>,
    },
    /// `aws-iam-authenticator token`.
    AwsIamAuthenticator {
        /// `-i` / `--cluster-id`.
        cluster: Option<String>,
        /// `-r` / `--role`.
        role_arn: Option<String>,
    },
    /// `gke-gcloud-auth-plugin`.
    GkeGcloudAuthPlugin,
    /// int128/kubelogin: `kubectl oidc-login get-token` or `kubelogin get-token --oidc-issuer-url`.
    OidcLogin {
        /// `--oidc-issuer-url`.
        issuer: Option<String>,
        /// `--oidc-client-id`.
        client_id: Option<String>,
        /// `--grant-type` as written (`None`: kubelogin's default, `auto`);
        /// `password` for `auto` with `--username`, as kubelogin reads it.
        grant_type: Option<String>,
    },
    /// Any other command.
    Other,
}

impl ExecPlugin {
    /// Stable short name: `azure-kubelogin`, `aws-eks-get-token`, ...
    pub fn name(&self) -> &'static str {
        match self {
            ExecPlugin::AzureKubelogin { .. } => "azure-kubelogin",
            ExecPlugin::AwsEksGetToken { .. } => "aws-eks-get-token",
            ExecPlugin::AwsIamAuthenticator { .. } => "aws-iam-authenticator",
            ExecPlugin::GkeGcloudAuthPlugin => "gke-gcloud-auth-plugin",
            ExecPlugin::OidcLogin { .. } => "oidc-login",
            ExecPlugin::Other => "other",
        }
    }

    /// The plugin as shown: the values it was told from the original args pass
    /// through the redaction of args (an arg holding several flags) and URLs.
    fn shown(self) -> Self {
        let text = |v: String| {
            let shown = crate::secret::redact_args("", std::slice::from_ref(&v));
            shown.into_iter().next().unwrap_or(v)
        };
        let opt = |v: Option<String>| v.map(text);
        match self {
            ExecPlugin::AzureKubelogin {
                login_mode,
                server_id,
                client_id,
                tenant_id,
            } => ExecPlugin::AzureKubelogin {
                login_mode: text(login_mode),
                server_id: opt(server_id),
                client_id: opt(client_id),
                tenant_id: opt(tenant_id),
            },
            ExecPlugin::AwsEksGetToken {
                cluster,
                region,
                role_arn,
                profile,
            } => ExecPlugin::AwsEksGetToken {
                cluster: opt(cluster),
                region: opt(region),
                role_arn: opt(role_arn),
                profile: opt(profile),
            },
            ExecPlugin::AwsIamAuthenticator { cluster, role_arn } => {
                ExecPlugin::AwsIamAuthenticator {
                    cluster: opt(cluster),
                    role_arn: opt(role_arn),
                }
            }
            ExecPlugin::OidcLogin {
                issuer,
                client_id,
                grant_type,
            } => ExecPlugin::OidcLogin {
                issuer: issuer.map(|i| redact_url(&i)),
                client_id: opt(client_id),
                grant_type: opt(grant_type),
            },
            other @ (ExecPlugin::GkeGcloudAuthPlugin | ExecPlugin::Other) => other,
        }
    }

    /// The login mode, for plugins that have one (kubelogin mode, OIDC grant type).
    pub fn login_mode(&self) -> Option<&str> {
        match self {
            ExecPlugin::AzureKubelogin { login_mode, .. } => Some(login_mode),
            // kubelogin's `auto` (the default) is the browser's authorization
            // code flow, or `password` when `--username` is given (resolved
            // when the args are read).
            ExecPlugin::OidcLogin { grant_type, .. } => Some(match grant_type.as_deref() {
                None | Some("auto" | "authcode" | "authcode-keyboard") => "interactive",
                Some(other) => other,
            }),
            _ => None,
        }
    }
}

/// What kcred reports of an `exec` block. Secret-looking argument values, URL
/// credentials, scripts and all env values are left out (see [`crate::redact_args`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecInfo {
    /// `apiVersion`.
    pub api_version: Option<String>,
    /// `command` (resolved path when it contained a `/`), as [`crate::redact_command`] shows it.
    pub command: String,
    /// `args`, with values of secret-looking flags, URL credentials and
    /// scripts replaced by `<redacted>` ([`crate::redact_args`]).
    pub args: Vec<String>,
    /// A secret value (a secret-named flag's value, URL credentials) was
    /// redacted from `command` or `args`, also inside a redacted script.
    #[serde(default)]
    pub secret_in_args: bool,
    /// Names of `env` variables (values are never reported).
    pub env_names: Vec<String>,
    /// `interactiveMode`.
    pub interactive_mode: Option<String>,
    /// `provideClusterInfo`.
    pub provide_cluster_info: bool,
    /// `installHint` is present.
    pub has_install_hint: bool,
    /// Which plugin it is.
    pub plugin: ExecPlugin,
}

/// The value of a flag: `--name value`, `--name=value`, for any of `names`.
fn flag_value(args: &[String], names: &[&str]) -> Option<String> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        for name in names {
            if arg == name {
                return iter.next().cloned();
            }
            if let Some(v) = arg
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
            {
                return Some(v.to_owned());
            }
        }
    }
    None
}

/// Describes an exec block without running it.
///
/// ```
/// use kcred_core::{describe_exec, ExecConfig, ExecPlugin};
/// let exec = ExecConfig {
///     command: "kubelogin".into(),
///     args: ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"].map(String::from).to_vec(),
///     ..ExecConfig::default()
/// };
/// assert_eq!(describe_exec(&exec).plugin.login_mode(), Some("azurecli"));
/// ```
pub fn describe_exec(exec: &ExecConfig) -> ExecInfo {
    let shown = redact_exec(&exec.command, &exec.args);
    ExecInfo {
        api_version: exec.api_version.clone(),
        command: shown.command,
        args: shown.args,
        secret_in_args: shown.holds_secret,
        env_names: exec.env.iter().map(|e| e.name.clone()).collect(),
        interactive_mode: exec.interactive_mode.clone(),
        provide_cluster_info: exec.provide_cluster_info,
        has_install_hint: exec.install_hint.is_some(),
        plugin: plugin_of(exec).shown(),
    }
}

/// Which plugin an exec block names, told from its original command, args and
/// env (not the redacted ones); the values are as written.
pub(crate) fn plugin_of(exec: &ExecConfig) -> ExecPlugin {
    let env = |name: &str| {
        exec.env
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.value.expose().to_owned())
    };
    let program = exec
        .command
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(&exec.command)
        .trim_end_matches(".exe");
    let args = &exec.args;
    let has = |word: &str| args.iter().any(|a| a == word);
    match program {
        "kubelogin" if args.iter().any(|a| a.starts_with("--oidc-issuer-url")) => oidc(args),
        "kubelogin" => ExecPlugin::AzureKubelogin {
            login_mode: flag_value(args, &["--login", "-l"])
                .or_else(|| env("AAD_LOGIN_METHOD"))
                .unwrap_or_else(|| "devicecode".to_owned()),
            server_id: flag_value(args, &["--server-id"]),
            client_id: flag_value(args, &["--client-id"]),
            tenant_id: flag_value(args, &["--tenant-id", "-t"]),
        },
        "kubectl" | "kubectl-oidc_login"
            if has("oidc-login") || program == "kubectl-oidc_login" =>
        {
            oidc(args)
        }
        "aws" if has("eks") && has("get-token") => ExecPlugin::AwsEksGetToken {
            cluster: flag_value(args, &["--cluster-name", "--cluster-id"]),
            region: flag_value(args, &["--region"]),
            role_arn: flag_value(args, &["--role-arn", "--role"]),
            profile: flag_value(args, &["--profile"]).or_else(|| env("AWS_PROFILE")),
        },
        "aws-iam-authenticator" => ExecPlugin::AwsIamAuthenticator {
            cluster: flag_value(args, &["-i", "--cluster-id"]),
            role_arn: flag_value(args, &["-r", "--role"]),
        },
        "gke-gcloud-auth-plugin" => ExecPlugin::GkeGcloudAuthPlugin,
        _ => ExecPlugin::Other,
    }
}

fn oidc(args: &[String]) -> ExecPlugin {
    let grant_type = flag_value(args, &["--grant-type"]);
    let auto = matches!(grant_type.as_deref(), None | Some("auto"));
    ExecPlugin::OidcLogin {
        issuer: flag_value(args, &["--oidc-issuer-url"]),
        client_id: flag_value(args, &["--oidc-client-id"]),
        // kubelogin: `auto` with `--username` is the password grant.
        grant_type: match auto && flag_value(args, &["--username"]).is_some() {
            true => Some("password".to_owned()),
            false => grant_type,
        },
    }
}

/// What an ExecCredential (a plugin's output, sometimes cached on disk) holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecCredentialInfo {
    /// `apiVersion` (`client.authentication.k8s.io/v1` or `v1beta1`).
    pub api_version: Option<String>,
    /// `status.expirationTimestamp`.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expiration: Option<OffsetDateTime>,
    /// `status.token`, decoded.
    pub token: Option<TokenInfo>,
    /// `status.clientCertificateData`, decoded.
    pub client_certificate: Option<CertificateInfo>,
    /// `status.clientKeyData` is present.
    pub has_client_key: bool,
    /// When the credential stops working: the expiration timestamp, else the token's
    /// or certificate's own end.
    pub validity: Option<Validity>,
}

/// Parses an ExecCredential JSON document.
pub fn parse_exec_credential(bytes: &[u8], at: &Location) -> Result<ExecCredentialInfo, Error> {
    let bad = |reason: String| Error::BadDocument {
        at: at.clone(),
        what: "ExecCredential".into(),
        reason,
    };
    let doc: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| bad(format!("line {}: {}", e.line(), classify(&e))))?;
    let kind = doc.get("kind").and_then(|v| v.as_str());
    if kind != Some("ExecCredential") {
        return Err(bad("kind is not ExecCredential".to_owned()));
    }
    // client-go refuses what it cannot decode: no apiVersion, one it no
    // longer registers (v1alpha1, removed in 1.24), no status.
    match doc.get("apiVersion").and_then(|v| v.as_str()) {
        None | Some("") => return Err(bad("no apiVersion".to_owned())),
        Some("client.authentication.k8s.io/v1" | "client.authentication.k8s.io/v1beta1") => {}
        Some("client.authentication.k8s.io/v1alpha1") => {
            return Err(bad(
                "apiVersion client.authentication.k8s.io/v1alpha1 is no longer accepted, since Kubernetes 1.24"
                    .to_owned(),
            ))
        }
        Some(_) => {
            return Err(bad(
                "apiVersion is not client.authentication.k8s.io/v1 or v1beta1".to_owned(),
            ))
        }
    }
    let Some(status) = doc.get("status").filter(|s| s.is_object()).cloned() else {
        return Err(bad("no status".to_owned()));
    };
    let text = |key: &str| status.get(key).and_then(|v| v.as_str());
    let expiration = match text("expirationTimestamp") {
        Some(ts) => Some(
            crate::expiry::parse_rfc3339(ts).ok_or_else(|| Error::BadTimestamp {
                at: at.clone().with_field("status.expirationTimestamp"),
            })?,
        ),
        None => None,
    };
    let token = match text("token") {
        Some(t) => Some(decode_token(t, &at.clone().with_field("status.token"))?),
        None => None,
    };
    let client_certificate = match text("clientCertificateData") {
        Some(pem) => decode_certificates(
            pem.as_bytes(),
            &at.clone().with_field("status.clientCertificateData"),
        )?
        .into_iter()
        .next(),
        None => None,
    };
    let validity = match expiration {
        Some(end) => Some(Validity::between(None, end)),
        None => token
            .as_ref()
            .and_then(|t| t.validity)
            .or_else(|| client_certificate.as_ref().map(|c| c.validity)),
    };
    Ok(ExecCredentialInfo {
        api_version: doc
            .get("apiVersion")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        expiration,
        token,
        client_certificate,
        has_client_key: text("clientKeyData").is_some(),
        validity,
    })
}

/// A serde_json error's category, never its text (which may quote input).
pub(crate) fn classify(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected shape",
        serde_json::error::Category::Eof => "unexpected end of input",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubeconfig::ExecEnvVar;

    #[test]
    fn exec_config_debug_redacts_secret_args_and_env_values() {
        // Regression (issue 7 canary matrix): Debug of a loaded config showed
        // `--client-secret` values verbatim.
        let exec = ExecConfig {
            command: "kubelogin".into(),
            args: [
                "get-token",
                "--client-secret",
                "CANARY-a",
                "--password=CANARY-b",
                "--login",
                "spn",
            ]
            .map(String::from)
            .to_vec(),
            env: vec![ExecEnvVar {
                name: "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET".into(),
                value: crate::Secret::new("CANARY-c"),
            }],
            ..ExecConfig::default()
        };
        let shown = format!("{exec:?} {exec:#?}");
        assert!(!shown.contains("CANARY"), "{shown}");
        assert!(
            shown.contains("--login") && shown.contains("spn"),
            "{shown}"
        );
    }
    use crate::secret::Secret;

    fn exec(command: &str, args: &[&str]) -> ExecConfig {
        ExecConfig {
            command: command.into(),
            args: args.iter().map(|s| s.to_string()).collect(),
            ..ExecConfig::default()
        }
    }

    #[test]
    fn kubelogin_modes() {
        let mut e = exec(
            "kubelogin",
            &[
                "get-token",
                "--environment",
                "AzurePublicCloud",
                "--server-id",
                "6dae",
                "--client-id",
                "80fa",
                "--tenant-id",
                "t1",
                "--login",
                "spn",
                "--client-secret",
                "CANARY-spn",
            ],
        );
        let info = describe_exec(&e);
        assert_eq!(
            info.plugin,
            ExecPlugin::AzureKubelogin {
                login_mode: "spn".into(),
                server_id: Some("6dae".into()),
                client_id: Some("80fa".into()),
                tenant_id: Some("t1".into())
            }
        );
        assert!(!format!("{info:?}").contains("CANARY"));
        e.args = vec!["get-token".into()];
        e.env = vec![ExecEnvVar {
            name: "AAD_LOGIN_METHOD".into(),
            value: Secret::new("workloadidentity"),
        }];
        assert_eq!(
            describe_exec(&e).plugin.login_mode(),
            Some("workloadidentity")
        );
        e.env.clear();
        assert_eq!(describe_exec(&e).plugin.login_mode(), Some("devicecode"));
    }

    #[test]
    fn other_plugins() {
        let eks = describe_exec(&exec(
            "aws",
            &[
                "--region",
                "eu-west-1",
                "eks",
                "get-token",
                "--cluster-name",
                "prod",
                "--output",
                "json",
            ],
        ));
        assert_eq!(
            eks.plugin,
            ExecPlugin::AwsEksGetToken {
                cluster: Some("prod".into()),
                region: Some("eu-west-1".into()),
                role_arn: None,
                profile: None
            }
        );
        assert_eq!(
            describe_exec(&exec("gke-gcloud-auth-plugin", &[])).plugin,
            ExecPlugin::GkeGcloudAuthPlugin
        );
        let oidc = describe_exec(&exec(
            "kubectl",
            &[
                "oidc-login",
                "get-token",
                "--oidc-issuer-url=https://issuer",
                "--oidc-client-id=kube",
                "--oidc-client-secret=CANARY-x",
            ],
        ));
        assert_eq!(oidc.plugin.name(), "oidc-login");
        assert!(oidc.args.iter().all(|a| !a.contains("CANARY")));
        assert_eq!(
            describe_exec(&exec(
                "/usr/local/bin/aws-iam-authenticator",
                &["token", "-i", "c1"]
            ))
            .plugin,
            ExecPlugin::AwsIamAuthenticator {
                cluster: Some("c1".into()),
                role_arn: None
            }
        );
        assert_eq!(
            describe_exec(&exec("my-tool", &[])).plugin,
            ExecPlugin::Other
        );
    }

    #[test]
    fn oidc_login_modes_follow_kubelogin() {
        let mode = |args: &[&str]| {
            let mut all = vec!["oidc-login", "get-token", "--oidc-issuer-url=https://i"];
            all.extend_from_slice(args);
            describe_exec(&exec("kubectl", &all))
                .plugin
                .login_mode()
                .map(str::to_owned)
        };
        assert_eq!(mode(&[]).as_deref(), Some("interactive"));
        assert_eq!(mode(&["--grant-type=auto"]).as_deref(), Some("interactive"));
        assert_eq!(
            mode(&["--grant-type=authcode-keyboard"]).as_deref(),
            Some("interactive")
        );
        assert_eq!(mode(&["--username=ann"]).as_deref(), Some("password"));
        assert_eq!(
            mode(&["--grant-type=device-code"]).as_deref(),
            Some("device-code")
        );
        assert_eq!(
            mode(&["--grant-type", "client-credentials", "--username", "x"]).as_deref(),
            Some("client-credentials")
        );
    }

    #[test]
    fn exec_credential() {
        let doc = br#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2026-01-01T01:00:00Z","token":"CANARY-opaque"}}"#;
        let info = parse_exec_credential(doc, &Location::file("x.json")).unwrap();
        assert_eq!(
            info.validity.unwrap().not_after,
            Some(time::macros::datetime!(2026-01-01 1:00 UTC))
        );
        assert!(!serde_json::to_string(&info).unwrap().contains("CANARY"));
        let err =
            parse_exec_credential(b"{\"kind\":\"CANARY", &Location::file("x.json")).unwrap_err();
        assert!(!err.to_string().contains("CANARY"));
        // what client-go refuses: no apiVersion, v1alpha1, another one, no status
        let refused = |doc: &str| {
            parse_exec_credential(doc.as_bytes(), &Location::file("x.json"))
                .unwrap_err()
                .to_string()
        };
        let v = |api: &str| {
            format!(r#"{{"kind":"ExecCredential","apiVersion":"{api}","status":{{"token":"t"}}}}"#)
        };
        assert_eq!(
            refused(r#"{"kind":"ExecCredential","status":{"token":"t"}}"#),
            "x.json: not a valid ExecCredential (no apiVersion)"
        );
        assert_eq!(
            refused(&v("client.authentication.k8s.io/v1alpha1")),
            "x.json: not a valid ExecCredential (apiVersion client.authentication.k8s.io/v1alpha1 is no longer accepted, since Kubernetes 1.24)"
        );
        assert!(refused(&v("v2")).contains("is not client.authentication.k8s.io/v1 or v1beta1"));
        assert_eq!(
            refused(r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1"}"#),
            "x.json: not a valid ExecCredential (no status)"
        );
    }
}
