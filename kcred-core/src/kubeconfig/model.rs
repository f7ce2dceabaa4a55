//! The kubeconfig v1 model, as client-go's `clientcmd/api/v1` writes it.
//!
//! Field names follow the YAML keys through `rename_all` (kebab-case for
//! clusters and users, camelCase for exec, as client-go spells them) and
//! `rename` where client-go mixes the two (`tokenFile`, `as`); keys this model does not
//! know are kept in [`Extras`] so nothing in the input is lost. Secret-bearing
//! fields are [`Secret`]s. Lists written as `null` (kubectl does) read as empty.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer, Serialize};

use crate::secret::Secret;

/// Where an entry was defined: the file that won the merge, and the entry's line.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Origin {
    /// The file that defined the entry.
    pub file: PathBuf,
    /// 1-based line of the entry's `- name:` item, when known.
    pub line: Option<u32>,
    /// Where the keys of the entry's `user:`, `cluster:` or `context:`
    /// mapping are written (YAML input; empty when not known), so that a
    /// finding about a field points at the field's line.
    #[serde(skip)]
    pub fields: Box<[FieldPosition]>,
}

/// Where one field of an entry is written: its key's 1-based line and column
/// (in characters).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPosition {
    /// The key, like `token` or `client-certificate-data`.
    pub key: Box<str>,
    /// 1-based line of the key.
    pub line: u32,
    /// 1-based column of the key's first character (a quote included).
    pub column: u32,
}

impl Origin {
    /// The line and column of `field` (a kubeconfig field, like `token`; for
    /// a nested one, like `auth-provider.config.id-token`, its first key);
    /// `None` when not known.
    ///
    /// ```
    /// use kcred_core::{parse_kubeconfig, Limits};
    /// let yaml = b"users:\n- name: u\n  user:\n    username: a\n    token: t\n";
    /// let loaded = parse_kubeconfig(yaml, "c".as_ref(), &Limits::default());
    /// let origin = &loaded.config.user("u").unwrap().origin;
    /// assert_eq!(origin.field_position("token"), Some((5, 5)));
    /// assert_eq!(origin.field_position("exec"), None);
    /// ```
    pub fn field_position(&self, field: &str) -> Option<(u32, u32)> {
        let key = field.split('.').next().unwrap_or(field);
        self.fields
            .iter()
            .find(|f| &*f.key == key)
            .map(|f| (f.line, f.column))
    }
}

/// What every kubeconfig object (the file, a cluster, a user, a context) may
/// carry besides its own fields: `extensions`, and the keys this model does
/// not know, so nothing in the input is lost. Flattened into its object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Extras {
    /// `extensions`, kept as data.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extensions: Vec<serde_json::Value>,
    /// Keys this model does not know.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// A whole kubeconfig: one file, or several merged by KUBECONFIG rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Kubeconfig {
    /// `apiVersion`, normally `v1`.
    #[serde(rename = "apiVersion", skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `kind`, normally `Config`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `preferences`, kept as data.
    #[serde(deserialize_with = "null_as_default")]
    pub preferences: serde_json::Value,
    /// `clusters`.
    #[serde(deserialize_with = "null_as_default")]
    pub clusters: Vec<NamedCluster>,
    /// `users` (client-go: AuthInfos).
    #[serde(deserialize_with = "null_as_default")]
    pub users: Vec<NamedUser>,
    /// `contexts`.
    #[serde(deserialize_with = "null_as_default")]
    pub contexts: Vec<NamedContext>,
    /// `current-context`.
    #[serde(rename = "current-context", skip_serializing_if = "Option::is_none")]
    pub current_context: Option<String>,
    /// The file `current-context` was read from (filled by the loader).
    #[serde(skip)]
    pub current_context_file: Option<PathBuf>,
    /// `extensions` and the keys this model does not know.
    #[serde(flatten)]
    pub extras: Extras,
}

/// A named cluster entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NamedCluster {
    /// The entry's name.
    #[serde(default)]
    pub name: String,
    /// The cluster.
    #[serde(default, deserialize_with = "null_as_default")]
    pub cluster: Cluster,
    /// Where the entry was defined (filled by the loader).
    #[serde(skip_deserializing)]
    pub origin: Origin,
}

/// A cluster: where the API server is and how to trust it.
///
/// `Debug` shows `server` and `proxy-url` without their credentials
/// ([`crate::redact_url`]); `Serialize` keeps the file's values.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Cluster {
    /// `server`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// `tls-server-name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_server_name: Option<String>,
    /// `insecure-skip-tls-verify`.
    #[serde(skip_serializing_if = "is_false")]
    pub insecure_skip_tls_verify: bool,
    /// `certificate-authority`: a path, resolved against the defining file's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_authority: Option<String>,
    /// `certificate-authority-data`: base64 of PEM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_authority_data: Option<String>,
    /// `proxy-url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_url: Option<String>,
    /// `disable-compression`.
    #[serde(skip_serializing_if = "is_false")]
    pub disable_compression: bool,
    /// `extensions` and the keys this model does not know.
    #[serde(flatten)]
    pub extras: Extras,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = |u: &Option<String>| u.as_deref().map(crate::secret::redact_url);
        f.debug_struct("Cluster")
            .field("server", &url(&self.server))
            .field("tls_server_name", &self.tls_server_name)
            .field("insecure_skip_tls_verify", &self.insecure_skip_tls_verify)
            .field("certificate_authority", &self.certificate_authority)
            .field(
                "certificate_authority_data",
                &self.certificate_authority_data,
            )
            .field("proxy_url", &url(&self.proxy_url))
            .field("disable_compression", &self.disable_compression)
            .field("extensions", &self.extras.extensions)
            .field("other", &self.extras.other)
            .finish()
    }
}

/// A named user entry (client-go: NamedAuthInfo).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NamedUser {
    /// The entry's name.
    #[serde(default)]
    pub name: String,
    /// The user.
    #[serde(default, deserialize_with = "null_as_default")]
    pub user: User,
    /// Where the entry was defined (filled by the loader).
    #[serde(skip_deserializing)]
    pub origin: Origin,
}

/// A user: how to authenticate (client-go: AuthInfo).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct User {
    /// `client-certificate`: a path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate: Option<String>,
    /// `client-certificate-data`: base64 of PEM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate_data: Option<String>,
    /// `client-key`: a path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
    /// `client-key-data`: base64 of a PEM private key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_key_data: Option<Secret>,
    /// `token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    /// `tokenFile`: a path.
    #[serde(rename = "tokenFile", skip_serializing_if = "Option::is_none")]
    pub token_file: Option<String>,
    /// `as`: user to impersonate.
    #[serde(rename = "as", skip_serializing_if = "Option::is_none")]
    pub impersonate: Option<String>,
    /// `as-uid`.
    #[serde(rename = "as-uid", skip_serializing_if = "Option::is_none")]
    pub impersonate_uid: Option<String>,
    /// `as-groups`.
    #[serde(
        rename = "as-groups",
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub impersonate_groups: Vec<String>,
    /// `as-user-extra`.
    #[serde(
        rename = "as-user-extra",
        deserialize_with = "null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub impersonate_user_extra: BTreeMap<String, Vec<String>>,
    /// `username` (basic auth).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `password` (basic auth).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// `auth-provider`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_provider: Option<Box<AuthProvider>>,
    /// `exec`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exec: Option<Box<ExecConfig>>,
    /// `extensions` and the keys this model does not know.
    #[serde(flatten)]
    pub extras: Extras,
}

/// An `auth-provider` block (oidc, azure, gcp). Every config value is held as a
/// [`Secret`] because providers keep tokens there; known non-secret keys are read
/// with [`AuthProvider::public`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthProvider {
    /// `name`: `oidc`, `azure`, `gcp`...
    pub name: String,
    /// `config`.
    #[serde(deserialize_with = "null_as_default")]
    pub config: BTreeMap<String, Secret>,
}

/// Config keys of auth-providers that hold no secret.
const PUBLIC_PROVIDER_KEYS: &[&str] = &[
    "idp-issuer-url",
    "client-id",
    "idp-certificate-authority",
    "extra-scopes",
    "expires-on",
    "expires-in",
    "expiry",
    "expiry-key",
    "token-key",
    "cmd-path",
    "cmd-args",
    "tenant-id",
    "apiserver-id",
    "environment",
    "config-mode",
    "scopes",
];

impl AuthProvider {
    /// A config value that is known not to be secret (`idp-issuer-url`, `expiry`...);
    /// `None` for secret keys and absent ones.
    pub fn public(&self, key: &str) -> Option<&str> {
        if PUBLIC_PROVIDER_KEYS.contains(&key) {
            self.config.get(key).map(Secret::expose)
        } else {
            None
        }
    }
}

/// An `exec` credential plugin. kcred never runs it.
///
/// `Debug` shows `command`, `args` and `installHint` redacted as the inventory
/// reports them ([`crate::redact_args`]: values of secret-looking flags, URL
/// credentials, scripts); `Serialize` keeps
/// the file's args (what `kubectl config view --raw` prints).
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExecConfig {
    /// `apiVersion` of the ExecCredential the plugin speaks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `command`: resolved against the defining file's folder when it contains a `/`.
    pub command: String,
    /// `args`.
    #[serde(deserialize_with = "null_as_default")]
    pub args: Vec<String>,
    /// `env`: names are public, values are secrets.
    #[serde(deserialize_with = "null_as_default")]
    pub env: Vec<ExecEnvVar>,
    /// `installHint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub install_hint: Option<String>,
    /// `provideClusterInfo`.
    #[serde(skip_serializing_if = "is_false")]
    pub provide_cluster_info: bool,
    /// `interactiveMode`: `Never`, `IfAvailable` or `Always`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interactive_mode: Option<String>,
    /// Keys this model does not know.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

impl std::fmt::Debug for ExecConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecConfig")
            .field("api_version", &self.api_version)
            .field("command", &crate::secret::redact_command(&self.command))
            .field(
                "args",
                &crate::secret::redact_args(&self.command, &self.args),
            )
            .field("env", &self.env)
            .field(
                "install_hint",
                &self
                    .install_hint
                    .as_deref()
                    .map(crate::secret::redact_command),
            )
            .field("provide_cluster_info", &self.provide_cluster_info)
            .field("interactive_mode", &self.interactive_mode)
            .field("other", &self.other)
            .finish()
    }
}

/// One `env` item of an exec plugin.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ExecEnvVar {
    /// Variable name.
    pub name: String,
    /// Variable value (may hold a secret such as a client secret).
    pub value: Secret,
}

/// A named context entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NamedContext {
    /// The entry's name.
    #[serde(default)]
    pub name: String,
    /// The context.
    #[serde(default, deserialize_with = "null_as_default")]
    pub context: Context,
    /// Where the entry was defined (filled by the loader).
    #[serde(skip_deserializing)]
    pub origin: Origin,
}

/// A context: a user on a cluster, with a default namespace.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Context {
    /// `cluster`: a cluster name.
    pub cluster: String,
    /// `user`: a user name.
    pub user: String,
    /// `namespace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `extensions` and the keys this model does not know.
    #[serde(flatten)]
    pub extras: Extras,
}

impl Kubeconfig {
    /// The cluster entry with this name.
    pub fn cluster(&self, name: &str) -> Option<&NamedCluster> {
        self.clusters.iter().find(|c| c.name == name)
    }

    /// The user entry with this name.
    pub fn user(&self, name: &str) -> Option<&NamedUser> {
        self.users.iter().find(|u| u.name == name)
    }

    /// The context entry with this name.
    pub fn context(&self, name: &str) -> Option<&NamedContext> {
        self.contexts.iter().find(|c| c.name == name)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Reads `null` as the type's default (kubectl writes `users: null`).
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
