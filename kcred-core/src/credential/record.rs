//! The records: a credential with its decoded facts, a cluster, the inventory.

use std::hash::Hash;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::{Error, Location};
use crate::exec::ExecInfo;
use crate::expiry::{ExpiryStatus, UnknownReason, Validity};
use crate::platform::Platform;
use crate::token::{TokenFormat, TokenInfo};
use crate::x509::CertificateInfo;

/// Where a credential's bytes came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "path", rename_all = "kebab-case")]
pub enum DataSource {
    /// Inline in the kubeconfig (`*-data`, `token`).
    Inline,
    /// A file the kubeconfig points to.
    File(PathBuf),
}

/// The kind of a credential, for filtering and policy scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum CredentialKind {
    /// An X.509 client certificate.
    ClientCertificate,
    /// A bearer token (`token` or `tokenFile`).
    Token,
    /// `username` / `password`.
    BasicAuth,
    /// An exec plugin.
    Exec,
    /// An auth-provider (oidc, azure, gcp).
    AuthProvider,
    /// No credential at all (`user: {}`): requests go out anonymous.
    None,
}

impl CredentialKind {
    /// Stable short name: `client-certificate`, `token`, `basic-auth`, `exec`,
    /// `auth-provider`, `none`.
    pub fn name(&self) -> &'static str {
        match self {
            CredentialKind::ClientCertificate => "client-certificate",
            CredentialKind::Token => "token",
            CredentialKind::BasicAuth => "basic-auth",
            CredentialKind::Exec => "exec",
            CredentialKind::AuthProvider => "auth-provider",
            CredentialKind::None => "none",
        }
    }

    /// Parses a short name.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            CredentialKind::ClientCertificate,
            CredentialKind::Token,
            CredentialKind::BasicAuth,
            CredentialKind::Exec,
            CredentialKind::AuthProvider,
            CredentialKind::None,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// Why a credential's bytes were never examined: the file it names is not
/// there, could not be read, or a limit stopped kcred before it. `None` beside
/// an absent certificate means the bytes were read and did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Unread {
    /// The referenced file does not exist.
    MissingFile,
    /// The file exists but could not be read (permissions, not a regular file).
    UnreadableFile,
    /// A size or count limit stopped kcred before reading it.
    NotExamined,
}

impl Unread {
    /// Why the bytes behind `error` were never examined; `None` when the error
    /// is about bytes that were read (they did not decode).
    ///
    /// ```
    /// use kcred_core::{Error, Location, Unread};
    /// let missing = Error::MissingFile { at: Location::file("a"), path: "ca.crt".into() };
    /// assert_eq!(Unread::of(&missing), Some(Unread::MissingFile));
    /// assert_eq!(Unread::of(&Error::NotBase64 { at: Location::file("a") }), None);
    /// ```
    pub fn of(error: &Error) -> Option<Unread> {
        match error {
            Error::MissingFile { .. } => Some(Unread::MissingFile),
            Error::Io { .. } if error.io_cause() == Some(std::io::ErrorKind::NotFound) => {
                Some(Unread::MissingFile)
            }
            Error::Io { .. } | Error::NotRegularFile { .. } | Error::NotUtf8 { .. } => {
                Some(Unread::UnreadableFile)
            }
            Error::TooLarge { .. } | Error::LimitReached { .. } => Some(Unread::NotExamined),
            _ => None,
        }
    }

    /// The matching [`UnknownReason`].
    pub fn reason(self) -> UnknownReason {
        match self {
            Unread::MissingFile => UnknownReason::MissingFile,
            Unread::UnreadableFile => UnknownReason::UnreadableFile,
            Unread::NotExamined => UnknownReason::NotExamined,
        }
    }
}

/// A client certificate and its key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientCertificate {
    /// Where the certificate came from.
    pub source: DataSource,
    /// The leaf certificate, when it decodes.
    pub certificate: Option<CertificateInfo>,
    /// Why there is no certificate when its bytes were never examined (a
    /// missing file); `None` when they were (then absent means undecodable).
    #[serde(default)]
    pub unread: Option<Unread>,
    /// Further certificates in the same PEM bundle; shared between the
    /// entries that name one bundle file.
    pub chain: Arc<[CertificateInfo]>,
    /// Where the private key came from, when there is one.
    pub key_source: Option<DataSource>,
    /// Whether the private key holds the certificate's public key (`None`: unknown).
    pub key_matches: Option<bool>,
    /// Whether the certificate is signed by the CA of the cluster(s) it is used
    /// with (`None`: no CA known).
    pub signed_by_cluster_ca: Option<bool>,
}

/// A bearer token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// Where the token came from.
    pub source: DataSource,
    /// What decoding told (format, claims, validity).
    pub info: TokenInfo,
    /// The inline `token` of an entry that also sets `tokenFile`: client-go
    /// sends the file's token whenever the file reads, this one only when it
    /// does not.
    #[serde(default)]
    pub fallback: bool,
    /// Why the token was never examined (its `tokenFile` is missing or
    /// unreadable); `None` when it was read.
    #[serde(default)]
    pub unread: Option<Unread>,
}

/// Basic auth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicAuth {
    /// `username`.
    pub username: String,
    /// Whether a password is present (its value is never reported).
    pub has_password: bool,
}

/// An auth-provider block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthProviderInfo {
    /// `oidc`, `azure`, `gcp`...
    pub name: String,
    /// `idp-issuer-url` (oidc), without its credentials ([`crate::redact_url`]).
    pub issuer: Option<String>,
    /// `client-id`.
    pub client_id: Option<String>,
    /// The cached `id-token` (oidc), decoded.
    pub id_token: Option<TokenInfo>,
    /// The cached `access-token` (azure, gcp), decoded.
    pub access_token: Option<TokenInfo>,
    /// `expires-on` (azure, Unix seconds) or `expiry` (gcp, RFC 3339).
    #[serde(with = "time::serde::rfc3339::option")]
    pub expiry: Option<OffsetDateTime>,
    /// A `refresh-token` is on disk: whoever holds the file can mint new tokens.
    pub has_refresh_token: bool,
    /// A `client-secret` is on disk.
    pub has_client_secret: bool,
    /// The Kubernetes version that removed this provider from client-go, if it did.
    #[serde(deserialize_with = "removed_in_version")]
    pub removed_in: Option<StaticStr>,
}

/// `&'static str` under another name, so serde's derive does not take it as a
/// borrow (which would tie `Deserialize` to `'static` input).
pub(super) type StaticStr = &'static str;

/// Kubernetes versions that removed an auth-provider from client-go.
pub(super) const PROVIDER_REMOVALS: &[&str] = &["1.26"];

/// Reads `removed_in` back as one of the [`PROVIDER_REMOVALS`] (unknown values are `None`).
pub(super) fn removed_in_version<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<&'static str>, D::Error> {
    let text = Option::<String>::deserialize(d)?;
    Ok(text.and_then(|t| PROVIDER_REMOVALS.iter().copied().find(|k| *k == t)))
}

/// Impersonation settings on a user entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impersonation {
    /// `as`.
    pub user: Option<String>,
    /// `as-uid`.
    pub uid: Option<String>,
    /// `as-groups`.
    pub groups: Vec<String>,
}

/// A credential with its decoded facts.
///
/// Each payload is boxed: the payloads range from 32 to 1,000 bytes, and a
/// record should not cost the largest of them (100,000 token users would hold
/// 100 MB of padding).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "details", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Credential {
    /// A client certificate.
    ClientCertificate(Box<ClientCertificate>),
    /// A bearer token.
    Token(Box<Token>),
    /// Basic auth.
    BasicAuth(Box<BasicAuth>),
    /// An exec plugin.
    Exec(Box<ExecInfo>),
    /// An auth-provider.
    AuthProvider(Box<AuthProviderInfo>),
    /// No credential: the user entry sets none (`user: {}`, or impersonation
    /// alone), so requests go out anonymous.
    None,
}

macro_rules! credential_from {
    ($($payload:ident => $variant:ident),* $(,)?) => {$(
        impl From<$payload> for Credential {
            fn from(payload: $payload) -> Self {
                Credential::$variant(Box::new(payload))
            }
        }
    )*};
}

credential_from!(
    ClientCertificate => ClientCertificate,
    Token => Token,
    BasicAuth => BasicAuth,
    ExecInfo => Exec,
    AuthProviderInfo => AuthProvider,
);

/// One credential found in the input, where it is and whom it serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialRecord {
    /// The user entry's name.
    pub user: String,
    /// Contexts that use this user, in file order.
    pub contexts: Vec<String>,
    /// Clusters those contexts point to.
    pub clusters: Vec<String>,
    /// File, entry, field and line.
    pub location: Location,
    /// Platform told from the kubeconfig.
    pub platform: Platform,
    /// Impersonation set on the same user entry.
    pub impersonation: Option<Impersonation>,
    /// What the credential may do by an RBAC snapshot ([`crate::attach_privileges`]);
    /// `None` without a snapshot or when its identity is not known.
    #[serde(default)]
    pub privileges: Option<Box<crate::rbac::Privileges>>,
    /// The credential.
    #[serde(flatten)]
    pub credential: Credential,
}

impl CredentialRecord {
    /// The credential's kind.
    pub fn kind(&self) -> CredentialKind {
        match &self.credential {
            Credential::ClientCertificate(_) => CredentialKind::ClientCertificate,
            Credential::Token(_) => CredentialKind::Token,
            Credential::BasicAuth(_) => CredentialKind::BasicAuth,
            Credential::Exec(_) => CredentialKind::Exec,
            Credential::AuthProvider(_) => CredentialKind::AuthProvider,
            Credential::None => CredentialKind::None,
        }
    }

    /// When the credential works, when that is written in the files.
    pub fn validity(&self) -> Option<Validity> {
        match &self.credential {
            Credential::ClientCertificate(c) => c.certificate.as_ref().map(|c| c.validity),
            Credential::Token(t) => t.info.validity,
            Credential::AuthProvider(a) => a
                .expiry
                .map(|end| Validity::between(None, end))
                .or_else(|| a.id_token.as_ref().and_then(|t| t.validity))
                .or_else(|| a.access_token.as_ref().and_then(|t| t.validity)),
            Credential::BasicAuth(_) | Credential::Exec(_) | Credential::None => None,
        }
    }

    /// The credential's state at `now`.
    pub fn status(&self, now: OffsetDateTime) -> ExpiryStatus {
        if let Some(validity) = self.validity() {
            return validity.status(now);
        }
        let reason = match &self.credential {
            Credential::Exec(_) => UnknownReason::Dynamic,
            Credential::BasicAuth(_) | Credential::None => UnknownReason::NoExpiryStated,
            Credential::Token(t) => t.unread.map_or(UnknownReason::OpaqueToken, Unread::reason),
            Credential::ClientCertificate(c) => {
                c.unread.map_or(UnknownReason::Undecodable, Unread::reason)
            }
            Credential::AuthProvider(_) => UnknownReason::Undecodable,
        };
        ExpiryStatus::Unknown { reason }
    }

    /// Who the credential says you are: certificate CN and groups, JWT subject,
    /// basic-auth user name, or the exec plugin.
    pub fn identity(&self) -> String {
        match &self.credential {
            Credential::ClientCertificate(c) => match &c.certificate {
                Some(cert) if cert.organizations.is_empty() => {
                    format!("CN={}", cert.common_name.as_deref().unwrap_or(""))
                }
                Some(cert) => format!(
                    "CN={} O={}",
                    cert.common_name.as_deref().unwrap_or(""),
                    cert.organizations.join(",")
                ),
                None => unread_identity(c.unread, "undecodable"),
            },
            Credential::Token(t) if t.unread.is_some() => unread_identity(t.unread, "opaque"),
            Credential::Token(t) => match (&t.info.service_account, &t.info.jwt) {
                (Some(sa), _) => format!(
                    "sa:{}/{}",
                    sa.namespace.as_deref().unwrap_or("?"),
                    sa.name.as_deref().unwrap_or("?")
                ),
                (None, Some(jwt)) => jwt
                    .subject
                    .clone()
                    .map(|s| format!("sub={s}"))
                    .unwrap_or_default(),
                (None, None) => format!("({})", token_format_name(t.info.format)),
            },
            Credential::BasicAuth(b) => format!("user={}", b.username),
            Credential::Exec(e) => match e.plugin.login_mode() {
                Some(mode) => format!("{} ({mode})", e.plugin.name()),
                None => e.plugin.name().to_owned(),
            },
            Credential::AuthProvider(a) => match a
                .id_token
                .as_ref()
                .and_then(|t| t.jwt.as_ref())
                .and_then(|j| j.subject.clone())
            {
                Some(sub) => format!("{} sub={sub}", a.name),
                None => a.name.clone(),
            },
            Credential::None => "(anonymous)".to_owned(),
        }
    }

    /// Whether this is a client certificate in group `system:masters`.
    pub fn is_system_masters(&self) -> bool {
        matches!(&self.credential, Credential::ClientCertificate(cc)
            if cc.certificate.as_ref().is_some_and(|c| c.organizations.iter().any(|o| o == "system:masters")))
    }
}

/// `(missing file)`, `(unreadable file)`, `(not examined)`, or `(otherwise)`.
fn unread_identity(unread: Option<Unread>, otherwise: &str) -> String {
    let what = unread.map_or(otherwise, |u| match u {
        Unread::MissingFile => "missing file",
        Unread::UnreadableFile => "unreadable file",
        Unread::NotExamined => "not examined",
    });
    format!("({what})")
}

pub(super) fn token_format_name(format: TokenFormat) -> &'static str {
    match format {
        TokenFormat::Jwt => "jwt",
        TokenFormat::ServiceAccountLegacy => "legacy service-account token",
        TokenFormat::ServiceAccountBound => "bound service-account token",
        TokenFormat::EksPresigned => "eks token",
        TokenFormat::OpenShiftOAuth => "openshift oauth token",
        TokenFormat::BootstrapToken => "bootstrap token",
        TokenFormat::Opaque => "opaque token",
    }
}

/// A cluster entry and its trust settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterRecord {
    /// Entry name.
    pub name: String,
    /// File, entry and line.
    pub location: Location,
    /// `server`, without its credentials ([`crate::redact_url`]).
    pub server: Option<String>,
    /// Contexts using this cluster.
    pub contexts: Vec<String>,
    /// `insecure-skip-tls-verify`.
    pub insecure_skip_tls_verify: bool,
    /// Where the CA came from.
    pub ca_source: Option<DataSource>,
    /// The CA certificates (first one first), when they decode. Shared between
    /// the clusters that name one CA file.
    pub ca: Arc<[CertificateInfo]>,
    /// The platform the entry belongs to, detected once from its server, first
    /// context and CA ([`crate::detect_platform`]).
    pub platform: Platform,
}

/// A context entry as `kubectl config get-contexts` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContextRecord {
    /// The context's name.
    pub name: String,
    /// The cluster it names (as written; may be empty or undefined).
    pub cluster: String,
    /// The user it names (as written; may be empty or undefined).
    pub user: String,
    /// Its default namespace, when set.
    pub namespace: Option<String>,
}

/// Everything found: credentials, clusters, and every problem met on the way.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Inventory {
    /// One record per credential (a user with a certificate and a token has two).
    pub credentials: Vec<CredentialRecord>,
    /// One record per cluster entry.
    pub clusters: Vec<ClusterRecord>,
    /// The context entries, in file order.
    #[serde(default)]
    pub contexts: Vec<ContextRecord>,
    /// `current-context` as written (the first file of a merge to set it wins),
    /// even when it names no context (then also a problem).
    #[serde(default)]
    pub current_context: Option<String>,
    /// Problems; the rest of the input is still inventoried.
    ///
    /// Not read back by `Deserialize` (an [`Error`] serializes as its kind, message
    /// and location only): a deserialized inventory has no problems.
    #[serde(skip_deserializing)]
    pub problems: Vec<Error>,
    /// Suppressions written in the kubeconfigs (`# kcred: ignore[KC101]
    /// reason: ...` comments, [`crate::inline_suppressions`]); evaluation
    /// applies them beside the policy's. Not serialized.
    #[serde(skip)]
    pub suppressions: Vec<crate::policy::Suppression>,
}

impl Inventory {
    /// Adds another inventory's records and problems to this one.
    pub fn extend(&mut self, other: Inventory) {
        self.credentials.extend(other.credentials);
        self.clusters.extend(other.clusters);
        self.contexts.extend(other.contexts);
        if self.current_context.is_none() {
            self.current_context = other.current_context;
        }
        self.problems.extend(other.problems);
        self.suppressions.extend(other.suppressions);
    }
}
