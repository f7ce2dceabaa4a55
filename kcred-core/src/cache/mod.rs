//! Token caches found beside a kubeconfig: what credential plugins (Azure
//! kubelogin, int128 oidc-login, gke-gcloud-auth-plugin, aws-iam-authenticator)
//! and the cloud CLIs they call leave on disk, decoded read-only, and which
//! kubeconfig user each one serves.
//!
//! Parsing (`parse`) is pure: bytes in, [`CacheEntry`] out. Finding the files
//! (`find`) is the only part that touches the file system, like the kubeconfig
//! loader. Linking an entry to kubeconfig users (`link`) is pure again.

mod find;
mod link;
mod parse;

pub use find::{file_facts, find_caches, CacheScan, CacheSearch};
pub use link::link_caches;
pub use parse::parse_cache_file;

use std::path::PathBuf;

use serde::Serialize;
use time::OffsetDateTime;

use crate::error::Location;
use crate::token::TokenInfo;

/// Which tool wrote a cache file, and so what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum CacheKind {
    /// Azure kubelogin's older plaintext token file
    /// `<cache>/kubelogin/<environment>-<server-id>-<client-id>-<tenant-id>.json`
    /// (an ADAL token: `access_token`, `refresh_token`, `expires_on`).
    AzureKubeloginToken,
    /// Azure kubelogin's authentication record `<cache>/kubelogin/auth.json`:
    /// no token, but it means the tokens live in the OS secret store.
    AzureAuthRecord,
    /// Azure kubelogin's encrypted PoP token cache `<cache>/kubelogin/pop_tokens.cache`.
    AzurePopTokenCache,
    /// The Azure CLI's MSAL token cache (`~/.azure/msal_token_cache.json`,
    /// plaintext on Linux; `.bin` encrypted elsewhere): Entra refresh tokens that
    /// `kubelogin -l azurecli` and `az` use.
    AzureCliTokenCache,
    /// int128/kubelogin (oidc-login) `<cache>/oidc-login/<sha256>`: `id_token`, `refresh_token`.
    OidcLogin,
    /// `gke_gcloud_auth_plugin_cache` beside the kubeconfig: `access_token`, `token_expiry`.
    GkeGcloudAuthPlugin,
    /// gcloud's credential store `~/.config/gcloud/credentials.db` (Google refresh
    /// tokens or service-account keys) that gke-gcloud-auth-plugin calls on.
    GcloudCredentials,
    /// aws-iam-authenticator's `<cache>/aws-iam-authenticator/credentials.yaml`:
    /// AWS credentials per cluster, profile and role, with `Expires`.
    AwsIamAuthenticator,
    /// The AWS shared credentials file `~/.aws/credentials` that `aws eks get-token`
    /// and aws-iam-authenticator sign with.
    AwsSharedCredentials,
    /// A client.authentication.k8s.io ExecCredential document (v1 or v1beta1).
    ExecCredential,
}

impl CacheKind {
    /// Stable short name.
    pub fn name(&self) -> &'static str {
        match self {
            CacheKind::AzureKubeloginToken => "azure-kubelogin-token",
            CacheKind::AzureAuthRecord => "azure-auth-record",
            CacheKind::AzurePopTokenCache => "azure-pop-token-cache",
            CacheKind::AzureCliTokenCache => "azure-cli-token-cache",
            CacheKind::OidcLogin => "oidc-login",
            CacheKind::GkeGcloudAuthPlugin => "gke-gcloud-auth-plugin",
            CacheKind::GcloudCredentials => "gcloud-credentials",
            CacheKind::AwsIamAuthenticator => "aws-iam-authenticator",
            CacheKind::AwsSharedCredentials => "aws-shared-credentials",
            CacheKind::ExecCredential => "exec-credential",
        }
    }
}

/// What the file system says about a file, read once by the loading layer so
/// the rest stays pure: permission bits and last modification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileFacts {
    /// The file.
    pub path: PathBuf,
    /// Unix permission bits (`0o600`); `None` where the platform has none.
    pub mode: Option<u32>,
    /// Last modification time.
    #[serde(with = "time::serde::rfc3339::option")]
    pub modified: Option<OffsetDateTime>,
}

impl FileFacts {
    /// Whether group or others may read the file (kubectl and aws-iam-authenticator
    /// warn about the same).
    pub fn readable_by_others(&self) -> bool {
        self.mode.is_some_and(|m| m & 0o044 != 0)
    }
}

/// What identifies the kubeconfig user a cache entry serves. Every field is
/// optional; which ones are set depends on the [`CacheKind`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CacheKey {
    /// Azure environment (`AzurePublicCloud`), from the kubelogin file name.
    pub environment: Option<String>,
    /// OIDC issuer (`iss` of the cached id_token).
    pub issuer: Option<String>,
    /// OAuth client id (kubelogin `--client-id`, `aud` of an id_token, `clientId`).
    pub client_id: Option<String>,
    /// Entra tenant id.
    pub tenant_id: Option<String>,
    /// kubelogin `--server-id` (the AKS AAD server application).
    pub server_id: Option<String>,
    /// Account or user name (`username` of an auth record, id_token `sub`).
    pub account: Option<String>,
    /// Cluster id (aws-iam-authenticator `-i`).
    pub cluster: Option<String>,
    /// AWS profile.
    pub profile: Option<String>,
    /// AWS role ARN.
    pub role_arn: Option<String>,
    /// The kubeconfig context the cache was written for (gke plugin `current_context`).
    pub context: Option<String>,
}

/// One cached credential (or the presence of a credential store), decoded.
/// Token values are never kept: only what decoding them tells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CacheEntry {
    /// Which tool wrote it.
    pub kind: CacheKind,
    /// File and, for files with several entries, the entry.
    pub location: Location,
    /// What ties it to a kubeconfig user.
    pub key: CacheKey,
    /// The cached access or id token, decoded (claims unverified).
    pub token: Option<TokenInfo>,
    /// When the cached token (or AWS session) stops working.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// When the cached token was issued (JWT `iat`, ADAL `not_before`), which is
    /// also when the refresh token beside it was issued.
    #[serde(with = "time::serde::rfc3339::option")]
    pub issued_at: Option<OffsetDateTime>,
    /// A refresh token is on disk: whoever holds the file can mint new tokens.
    pub has_refresh_token: bool,
    /// Long-lived secret material on disk that mints tokens without a login
    /// (AWS access keys without a session token, a service-account key).
    pub has_long_term_key: bool,
    /// The tokens are not in this file but in the OS secret store (keyring,
    /// Keychain, DPAPI); a copied disk may or may not carry them.
    pub tokens_in_secret_store: bool,
    /// The file's permission bits and modification time.
    pub file: Option<FileFacts>,
    /// Kubeconfig users this entry serves, filled by [`link_caches`].
    pub users: Vec<String>,
}

impl CacheEntry {
    pub(crate) fn new(kind: CacheKind, location: Location) -> Self {
        CacheEntry {
            kind,
            location,
            key: CacheKey::default(),
            token: None,
            expires_at: None,
            issued_at: None,
            has_refresh_token: false,
            has_long_term_key: false,
            tokens_in_secret_store: false,
            file: None,
            users: Vec::new(),
        }
    }
}
