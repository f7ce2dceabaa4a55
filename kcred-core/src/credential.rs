//! Credential records and the inventory: every credential in a kubeconfig with
//! its decoded facts, where it was found, and which contexts use it.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::{Error, Location};
use crate::exec::{describe_exec, ExecInfo};
use crate::expiry::{ExpiryStatus, UnknownReason, Validity};
use crate::fs::{Budget, FileCache, FileId, SharedFile};
use crate::kubeconfig::{AuthProvider, Kubeconfig, Limits, NamedCluster, NamedUser, Origin};
use crate::platform::{detect_platform, Platform, PlatformHints};
use crate::secret::redact_url;
use crate::token::{decode_token, TokenFormat, TokenInfo};
use crate::verify::{Issuers, Verifier};
use crate::x509::{decode_certificates, CertificateInfo};

/// Reads files that a kubeconfig references (`client-certificate`, `tokenFile`,
/// `certificate-authority`). Loading from disk is [`crate::DiskFiles`]; tests and
/// in-memory callers can supply their own.
pub trait ReferencedFiles {
    /// The bytes of `path`; `at` names the field that referenced it, for errors.
    fn read(&self, path: &Path, at: &Location) -> Result<Vec<u8>, Error>;

    /// The bytes of `path`, shared, with the identity of the file they came from
    /// when the reader knows it. The inventory decodes each identified file once
    /// and shares the result between every entry naming it (1,000 users naming
    /// one token file cost one read and one decode). Default: [`Self::read`],
    /// without identity.
    fn read_shared(&self, path: &Path, at: &Location) -> Result<SharedFile, Error> {
        self.read(path, at).map(|bytes| SharedFile {
            id: None,
            bytes: bytes.into(),
        })
    }
}

/// Reads referenced files from disk through the input boundary: regular files
/// only (never a FIFO, a device or a `/proc` file), each of at most
/// [`Limits::max_file_bytes`], all together at most [`Limits::max_total_bytes`].
///
/// One `DiskFiles` is one run: each file (by device and inode, whatever path
/// names it) is read once and its bytes are shared by every reference. Clones
/// share the cache and the budget.
#[derive(Debug, Clone)]
pub struct DiskFiles {
    limits: Limits,
    run: Arc<DiskRun>,
}

#[derive(Debug)]
struct DiskRun {
    budget: Budget,
    cache: Mutex<FileCache>,
}

impl Default for DiskFiles {
    fn default() -> Self {
        DiskFiles::new(Limits::default())
    }
}

impl DiskFiles {
    /// Reads with these limits.
    pub fn new(limits: Limits) -> Self {
        let run = Arc::new(DiskRun {
            budget: Budget::new(&limits),
            cache: Mutex::new(FileCache::default()),
        });
        DiskFiles { limits, run }
    }

    /// How many files were read from disk so far (a file named many times
    /// counts once).
    pub fn files_read(&self) -> u64 {
        self.run
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .files_read()
    }

    /// How many bytes were read from disk so far.
    pub fn bytes_read(&self) -> u64 {
        self.run.budget.used()
    }
}

impl ReferencedFiles for DiskFiles {
    fn read(&self, path: &Path, at: &Location) -> Result<Vec<u8>, Error> {
        self.read_shared(path, at).map(|file| file.bytes.to_vec())
    }

    fn read_shared(&self, path: &Path, at: &Location) -> Result<SharedFile, Error> {
        if !crate::fs::exists(path) {
            return Err(Error::MissingFile {
                at: at.clone(),
                path: path.to_path_buf(),
            });
        }
        self.run
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .read(path, &self.run.budget, &self.limits, at)
    }
}

/// A [`ReferencedFiles`] that has no files: every reference is reported missing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoFiles;

impl ReferencedFiles for NoFiles {
    fn read(&self, path: &Path, at: &Location) -> Result<Vec<u8>, Error> {
        Err(Error::MissingFile {
            at: at.clone(),
            path: path.to_path_buf(),
        })
    }
}

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
}

impl CredentialKind {
    /// Stable short name: `client-certificate`, `token`, `basic-auth`, `exec`, `auth-provider`.
    pub fn name(&self) -> &'static str {
        match self {
            CredentialKind::ClientCertificate => "client-certificate",
            CredentialKind::Token => "token",
            CredentialKind::BasicAuth => "basic-auth",
            CredentialKind::Exec => "exec",
            CredentialKind::AuthProvider => "auth-provider",
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
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// A client certificate and its key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientCertificate {
    /// Where the certificate came from.
    pub source: DataSource,
    /// The leaf certificate, when it decodes.
    pub certificate: Option<CertificateInfo>,
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
type StaticStr = &'static str;

/// Kubernetes versions that removed an auth-provider from client-go.
const PROVIDER_REMOVALS: &[&str] = &["1.26"];

/// Reads `removed_in` back as one of the [`PROVIDER_REMOVALS`] (unknown values are `None`).
fn removed_in_version<'de, D: serde::Deserializer<'de>>(
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
            Credential::BasicAuth(_) | Credential::Exec(_) => None,
        }
    }

    /// The credential's state at `now`.
    pub fn status(&self, now: OffsetDateTime) -> ExpiryStatus {
        if let Some(validity) = self.validity() {
            return validity.status(now);
        }
        let reason = match &self.credential {
            Credential::Exec(_) => UnknownReason::Dynamic,
            Credential::BasicAuth(_) => UnknownReason::NoExpiryStated,
            Credential::Token(_) => UnknownReason::OpaqueToken,
            Credential::ClientCertificate(_) | Credential::AuthProvider(_) => {
                UnknownReason::Undecodable
            }
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
                None => "(undecodable)".to_owned(),
            },
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
        }
    }

    /// Whether this is a client certificate in group `system:masters`.
    pub fn is_system_masters(&self) -> bool {
        matches!(&self.credential, Credential::ClientCertificate(cc)
            if cc.certificate.as_ref().is_some_and(|c| c.organizations.iter().any(|o| o == "system:masters")))
    }
}

fn token_format_name(format: TokenFormat) -> &'static str {
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
}

/// Everything found: credentials, clusters, and every problem met on the way.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Inventory {
    /// One record per credential (a user with a certificate and a token has two).
    pub credentials: Vec<CredentialRecord>,
    /// One record per cluster entry.
    pub clusters: Vec<ClusterRecord>,
    /// Problems; the rest of the input is still inventoried.
    ///
    /// Not read back by `Deserialize` (an [`Error`] serializes as its kind, message
    /// and location only): a deserialized inventory has no problems.
    #[serde(skip_deserializing)]
    pub problems: Vec<Error>,
}

impl Inventory {
    /// Adds another inventory's records and problems to this one.
    pub fn extend(&mut self, other: Inventory) {
        self.credentials.extend(other.credentials);
        self.clusters.extend(other.clusters);
        self.problems.extend(other.problems);
    }
}

fn at(origin: &Origin, entry: String) -> Location {
    Location::file(&origin.file)
        .with_entry(entry)
        .with_line(origin.line)
}

/// Decodes a `*-data` field: base64 with any whitespace inside (kubectl accepts
/// line-wrapped data).
pub(crate) fn decode_base64(text: &str, at: &Location) -> Result<Vec<u8>, Error> {
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let engine = &base64::engine::general_purpose::STANDARD;
    engine
        .decode(&compact)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&compact))
        .map_err(|_| Error::NotBase64 { at: at.clone() })
}

/// Reads inline data or the referenced file; `None` when neither is set.
fn data_or_file(
    data: Option<&str>,
    data_field: &str,
    file: Option<&str>,
    file_field: &str,
    entry: &Location,
    files: &dyn ReferencedFiles,
) -> Option<(DataSource, Result<SharedFile, Error>)> {
    // client-go: the `*-data` form wins over the file form.
    if let Some(data) = data.filter(|d| !d.is_empty()) {
        let at = entry.clone().with_field(data_field);
        let bytes = decode_base64(data, &at).map(|bytes| SharedFile {
            id: None,
            bytes: bytes.into(),
        });
        return Some((DataSource::Inline, bytes));
    }
    let path = Path::new(file.filter(|f| !f.is_empty())?);
    let at = entry.clone().with_field(file_field);
    Some((
        DataSource::File(path.to_path_buf()),
        files.read_shared(path, &at),
    ))
}

/// What decoding a file gave, kept for the run: each file (by identity) is
/// decoded once and the result shared by every entry naming it.
#[derive(Default)]
struct Decoded {
    certificates: Memo<FileId, Arc<[CertificateInfo]>>,
    /// A client certificate file split into leaf and chain, the chain shared.
    client_bundles: Memo<FileId, ClientBundle>,
    tokens: Memo<FileId, TokenInfo>,
    /// By certificate fingerprint and key file.
    key_matches: Memo<(String, FileId), Option<bool>>,
}

/// A client-certificate bundle: the leaf, at most [`MAX_CLIENT_CHAIN`]
/// certificates after it, and how many more there were.
type ClientBundle = (Option<CertificateInfo>, Arc<[CertificateInfo]>, usize);

/// What a computation gave, by key.
type Memo<K, T> = RefCell<HashMap<K, Result<T, Error>>>;

impl Decoded {
    fn certificates(
        &self,
        file: &SharedFile,
        at: &Location,
    ) -> Result<Arc<[CertificateInfo]>, Error> {
        once(&self.certificates, file.id, at, || {
            decode_certificates(&file.bytes, at).map(Arc::from)
        })
    }

    /// The leaf and chain of a client-certificate file: a thousand entries naming
    /// one bundle hold one chain between them.
    fn client_bundle(&self, file: &SharedFile, at: &Location) -> Result<ClientBundle, Error> {
        once(&self.client_bundles, file.id, at, || {
            let certs = self.certificates(file, at)?;
            let chain: Arc<[CertificateInfo]> = certs
                .iter()
                .skip(1)
                .take(MAX_CLIENT_CHAIN)
                .cloned()
                .collect();
            let dropped = certs.len().saturating_sub(1 + MAX_CLIENT_CHAIN);
            Ok((certs.first().cloned(), chain, dropped))
        })
    }

    fn token(&self, file: &SharedFile, at: &Location) -> Result<TokenInfo, Error> {
        once(&self.tokens, file.id, at, || {
            decode_token(String::from_utf8_lossy(&file.bytes).trim(), at)
        })
    }

    fn key_matches(
        &self,
        leaf: &CertificateInfo,
        key: &SharedFile,
        at: &Location,
    ) -> Result<Option<bool>, Error> {
        let id = key.id.map(|id| (leaf.sha256_fingerprint.clone(), id));
        once(&self.key_matches, id, at, || {
            leaf.matches_private_key(&key.bytes, at)
        })
    }
}

/// `compute()`, or what it gave for the same `key` before (its error moved to `at`).
fn once<K: Hash + Eq, T: Clone>(
    map: &Memo<K, T>,
    key: Option<K>,
    at: &Location,
    compute: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    let Some(key) = key else {
        return compute();
    };
    if let Some(found) = map.borrow().get(&key) {
        return found.clone().map_err(|mut e| {
            if let Some(loc) = e.location_mut() {
                *loc = at.clone();
            }
            e
        });
    }
    let value = compute();
    map.borrow_mut().insert(key, value.clone());
    value
}

/// Builds the inventory of a loaded kubeconfig. Files referenced by the config are
/// read through `files`; nothing is executed.
///
/// ```
/// use kcred_core::{inventory, Kubeconfig, NoFiles, CredentialKind};
/// let mut config = Kubeconfig::default();
/// config.users.push(kcred_core::NamedUser {
///     name: "ops".into(),
///     user: kcred_core::User { token: Some(kcred_core::Secret::new("s3cr3t")), ..Default::default() },
///     origin: Default::default(),
/// });
/// let inv = inventory(&config, &NoFiles);
/// assert_eq!(inv.credentials[0].kind(), CredentialKind::Token);
/// ```
pub fn inventory(config: &Kubeconfig, files: &dyn ReferencedFiles) -> Inventory {
    inventory_with_limits(config, files, &Limits::default())
}

/// [`inventory`] with the signature-check budget of `limits`
/// ([`Limits::max_signature_checks`]).
pub fn inventory_with_limits(
    config: &Kubeconfig,
    files: &dyn ReferencedFiles,
    limits: &Limits,
) -> Inventory {
    let mut verifier = Verifier::new(limits);
    let mut inv = inventory_in(config, files, &mut verifier);
    verifier.finish(&mut inv.problems);
    inv
}

/// [`inventory`] with the signature checks of a larger run (`pki` mode).
pub(crate) fn inventory_in(
    config: &Kubeconfig,
    files: &dyn ReferencedFiles,
    verifier: &mut Verifier,
) -> Inventory {
    let mut problems = missing_references(config, &config.users);
    let links = Links::new(config, files, &mut problems);
    let mut credentials = Vec::new();
    for named in &config.users {
        links.add_user(named, files, verifier, &mut problems, &mut credentials);
    }
    Inventory {
        credentials,
        clusters: links.clusters,
        problems,
    }
}

/// [`inventory`], consuming the config: each user entry is freed once its
/// records are built, so a config and its inventory are never both whole in
/// memory (100,000 users: about half the peak). The result is the same.
///
/// ```
/// use kcred_core::{into_inventory, inventory, parse_kubeconfig, Limits, NoFiles};
/// let text = b"users:\n- name: a\n  user: {token: t1}\n- name: b\n  user: {token: t2}\n";
/// let config = parse_kubeconfig(text, "k".as_ref(), &Limits::default()).config;
/// let by_ref = inventory(&config, &NoFiles);
/// assert_eq!(into_inventory(config, &NoFiles), by_ref);
/// ```
pub fn into_inventory(config: Kubeconfig, files: &dyn ReferencedFiles) -> Inventory {
    into_inventory_with_limits(config, files, &Limits::default())
}

/// [`into_inventory`] with the signature-check budget of `limits`
/// ([`Limits::max_signature_checks`]).
pub fn into_inventory_with_limits(
    mut config: Kubeconfig,
    files: &dyn ReferencedFiles,
    limits: &Limits,
) -> Inventory {
    let mut verifier = Verifier::new(limits);
    let mut users = std::mem::take(&mut config.users);
    let mut problems = missing_references(&config, &users);
    let links = Links::new(&config, files, &mut problems);
    let mut credentials = Vec::with_capacity(users.len());
    users.reverse();
    while let Some(named) = users.pop() {
        links.add_user(
            &named,
            files,
            &mut verifier,
            &mut problems,
            &mut credentials,
        );
        drop(named);
        // Give the emptied half of the list back as it empties.
        if users.capacity() > 64 && users.len() <= users.capacity() / 2 {
            users.shrink_to_fit();
        }
    }
    verifier.finish(&mut problems);
    Inventory {
        credentials,
        clusters: links.clusters,
        problems,
    }
}

/// Contexts naming a user or cluster that is not defined.
fn missing_references(config: &Kubeconfig, users: &[NamedUser]) -> Vec<Error> {
    // Name indexes: a config of 100,000 contexts must not cost 100,000² lookups.
    let user_names: HashSet<&str> = users.iter().map(|u| u.name.as_str()).collect();
    let cluster_names: HashSet<&str> = config.clusters.iter().map(|c| c.name.as_str()).collect();
    let mut problems = Vec::new();
    for ctx in &config.contexts {
        let loc = at(&ctx.origin, format!("contexts[{}]", ctx.name));
        if !user_names.contains(ctx.context.user.as_str()) && !ctx.context.user.is_empty() {
            problems.push(Error::MissingReference {
                at: loc.clone().with_field("user"),
                kind: "user",
                name: ctx.context.user.clone(),
            });
        }
        if !cluster_names.contains(ctx.context.cluster.as_str()) && !ctx.context.cluster.is_empty()
        {
            problems.push(Error::MissingReference {
                at: loc.with_field("cluster"),
                kind: "cluster",
                name: ctx.context.cluster.clone(),
            });
        }
    }
    problems
}

/// What user records are linked to: the contexts naming each user, and the
/// cluster records (CA decoded and indexed once per cluster, found by name).
struct Links<'a> {
    contexts_of_user: HashMap<&'a str, Vec<(&'a str, &'a str)>>,
    clusters: Vec<ClusterRecord>,
    cluster_index: HashMap<&'a str, usize>,
    decoded: Decoded,
    /// Each cluster's CA bundle indexed by subject Name, beside `clusters`;
    /// clusters sharing one decoded bundle share its index.
    issuers: Vec<Arc<Issuers>>,
}

impl<'a> Links<'a> {
    fn new(config: &'a Kubeconfig, files: &dyn ReferencedFiles, problems: &mut Vec<Error>) -> Self {
        let mut contexts_of_user: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        let mut contexts_of_cluster: HashMap<&str, Vec<String>> = HashMap::new();
        for ctx in &config.contexts {
            contexts_of_user
                .entry(ctx.context.user.as_str())
                .or_default()
                .push((ctx.name.as_str(), ctx.context.cluster.as_str()));
            contexts_of_cluster
                .entry(ctx.context.cluster.as_str())
                .or_default()
                .push(ctx.name.clone());
        }
        let decoded = Decoded::default();
        let mut clusters = Vec::with_capacity(config.clusters.len());
        let mut cluster_index = HashMap::with_capacity(config.clusters.len());
        for named in &config.clusters {
            cluster_index
                .entry(named.name.as_str())
                .or_insert(clusters.len());
            let contexts = contexts_of_cluster
                .remove(named.name.as_str())
                .unwrap_or_default();
            clusters.push(cluster_record(named, contexts, files, &decoded, problems));
        }
        let mut by_bundle: HashMap<*const CertificateInfo, Arc<Issuers>> = HashMap::new();
        let issuers = clusters
            .iter()
            .map(|c| {
                let index = by_bundle
                    .entry(c.ca.as_ptr())
                    .or_insert_with(|| Arc::new(Issuers::new(&c.ca)));
                Arc::clone(index)
            })
            .collect();
        Links {
            contexts_of_user,
            clusters,
            cluster_index,
            decoded,
            issuers,
        }
    }

    /// The records of one user entry, appended to `out`.
    fn add_user(
        &self,
        named: &NamedUser,
        files: &dyn ReferencedFiles,
        verifier: &mut Verifier,
        problems: &mut Vec<Error>,
        out: &mut Vec<CredentialRecord>,
    ) {
        let uses: &[(&str, &str)] = self
            .contexts_of_user
            .get(named.name.as_str())
            .map_or(&[], Vec::as_slice);
        let user_clusters: Vec<&ClusterRecord> = uses
            .iter()
            .filter_map(|(_, c)| self.cluster_index.get(c).map(|i| &self.clusters[*i]))
            .collect();
        // Each cluster's CA once, however many contexts use it.
        let mut trusted: Vec<usize> = uses
            .iter()
            .filter_map(|(_, c)| self.cluster_index.get(c).copied())
            .collect();
        trusted.sort_unstable();
        trusted.dedup();
        let trust: Vec<Trust<'_>> = trusted
            .into_iter()
            .map(|i| (&self.clusters[i].ca[..], &*self.issuers[i]))
            .collect();
        let found = user_credentials(named, &trust, files, &self.decoded, verifier, problems);
        let contexts: Vec<String> = uses.iter().map(|(c, _)| (*c).to_owned()).collect();
        let mut cluster_names: Vec<String> = uses.iter().map(|(_, c)| (*c).to_owned()).collect();
        cluster_names.dedup();
        let impersonation = impersonation(named);
        for (location, credential) in found {
            let mut record = CredentialRecord {
                user: named.name.clone(),
                contexts: contexts.clone(),
                clusters: cluster_names.clone(),
                location,
                platform: Platform::Generic,
                impersonation: impersonation.clone(),
                credential,
            };
            record.platform = platform_of(
                &record,
                user_clusters.first().copied(),
                uses.first().map(|(c, _)| *c),
            );
            out.push(record);
        }
    }
}

/// A cluster entry's record: server, contexts and the decoded CA.
fn cluster_record(
    named: &NamedCluster,
    contexts: Vec<String>,
    files: &dyn ReferencedFiles,
    decoded: &Decoded,
    problems: &mut Vec<Error>,
) -> ClusterRecord {
    let cluster = &named.cluster;
    let entry = at(&named.origin, format!("clusters[{}]", named.name));
    let read = data_or_file(
        cluster.certificate_authority_data.as_deref(),
        "certificate-authority-data",
        cluster.certificate_authority.as_deref(),
        "certificate-authority",
        &entry,
        files,
    );
    let (ca_source, ca) = match read {
        None => (None, Arc::from(Vec::new())),
        Some((source, bytes)) => {
            let field = match source {
                DataSource::Inline => "certificate-authority-data",
                DataSource::File(_) => "certificate-authority",
            };
            let at = entry.clone().with_field(field);
            match bytes.and_then(|b| decoded.certificates(&b, &at)) {
                Ok(certs) => (Some(source), certs),
                Err(e) => {
                    problems.push(e);
                    (Some(source), Arc::from(Vec::new()))
                }
            }
        }
    };
    ClusterRecord {
        name: named.name.clone(),
        location: entry,
        server: cluster.server.as_deref().map(redact_url),
        contexts,
        insecure_skip_tls_verify: cluster.insecure_skip_tls_verify,
        ca_source,
        ca,
    }
}

fn impersonation(named: &NamedUser) -> Option<Impersonation> {
    let u = &named.user;
    (u.impersonate.is_some() || u.impersonate_uid.is_some() || !u.impersonate_groups.is_empty())
        .then(|| Impersonation {
            user: u.impersonate.clone(),
            uid: u.impersonate_uid.clone(),
            groups: u.impersonate_groups.clone(),
        })
}

fn platform_of(
    record: &CredentialRecord,
    cluster: Option<&ClusterRecord>,
    context: Option<&str>,
) -> Platform {
    let mut hints = PlatformHints {
        server: cluster.and_then(|c| c.server.as_deref()),
        context,
        user: &record.user,
        ca_common_name: cluster
            .and_then(|c| c.ca.first())
            .and_then(|ca| ca.common_name.as_deref()),
        ..PlatformHints::default()
    };
    match &record.credential {
        Credential::ClientCertificate(cc) => {
            if let Some(cert) = &cc.certificate {
                hints.cert_common_name = cert.common_name.as_deref();
                hints.cert_groups = &cert.organizations;
            }
        }
        Credential::Token(t) => {
            hints.token_prefix = match t.info.format {
                TokenFormat::OpenShiftOAuth => Some("sha256~"),
                TokenFormat::EksPresigned => Some("k8s-aws-v1."),
                _ => None,
            }
        }
        Credential::Exec(e) => hints.exec_plugin = Some(e.plugin.name()),
        Credential::AuthProvider(a) => hints.auth_provider = Some(&a.name),
        _ => {}
    }
    detect_platform(&hints)
}

/// Intermediates kept after a client certificate's leaf (real chains have one
/// or two); the rest of a bundle is reported as not examined.
pub const MAX_CLIENT_CHAIN: usize = 8;

/// A cluster's CA bundle and its index.
type Trust<'a> = (&'a [CertificateInfo], &'a Issuers);

/// The credentials of one user entry, each with its location.
fn user_credentials(
    named: &NamedUser,
    clusters: &[Trust<'_>],
    files: &dyn ReferencedFiles,
    decoded: &Decoded,
    verifier: &mut Verifier,
    problems: &mut Vec<Error>,
) -> Vec<(Location, Credential)> {
    let user = &named.user;
    let entry = at(&named.origin, format!("users[{}]", named.name));
    let mut out = Vec::new();

    let cert = data_or_file(
        user.client_certificate_data.as_deref(),
        "client-certificate-data",
        user.client_certificate.as_deref(),
        "client-certificate",
        &entry,
        files,
    );
    if let Some((source, bytes)) = cert {
        let field = match source {
            DataSource::Inline => "client-certificate-data",
            DataSource::File(_) => "client-certificate",
        };
        let loc = entry.clone().with_field(field);
        let bundle = bytes.and_then(|b| decoded.client_bundle(&b, &loc));
        // The leaf is this record's own copy; the decode and the chain are shared.
        let (leaf, certs, dropped) = bundle.unwrap_or_else(|e| {
            problems.push(e);
            (None, Arc::from(Vec::new()), 0)
        });
        if dropped > 0 {
            problems.push(Error::LimitReached {
                at: loc.clone(),
                what: format!(
                    "{dropped} certificates after the first {} of the client certificate bundle",
                    1 + MAX_CLIENT_CHAIN
                ),
                limit: MAX_CLIENT_CHAIN as u64,
            });
        }
        let key = data_or_file(
            user.client_key_data.as_ref().map(|s| s.expose()),
            "client-key-data",
            user.client_key.as_deref(),
            "client-key",
            &entry,
            files,
        );
        let (key_source, key_matches) = match (key, &leaf) {
            (None, _) => (None, None),
            (Some((source, bytes)), leaf) => {
                let field = match source {
                    DataSource::Inline => "client-key-data",
                    DataSource::File(_) => "client-key",
                };
                let key_at = entry.clone().with_field(field);
                let matches = match (bytes, leaf) {
                    (Ok(bytes), Some(leaf)) => decoded
                        .key_matches(leaf, &bytes, &key_at)
                        .unwrap_or_else(|e| {
                            problems.push(e);
                            None
                        }),
                    (Err(e), _) => {
                        problems.push(e);
                        None
                    }
                    (Ok(_), None) => None,
                };
                (Some(source), matches)
            }
        };
        let signed_by_cluster_ca = leaf
            .as_ref()
            .and_then(|leaf| signed_by_cluster_ca(leaf, &certs, clusters, verifier, &loc))
            // Certificates past the cap were not examined: one of them might
            // have led to the CA, so "not signed" is not known.
            .filter(|signed| *signed || dropped == 0);
        out.push((
            loc,
            ClientCertificate {
                source,
                certificate: leaf,
                chain: certs,
                key_source,
                key_matches,
                signed_by_cluster_ca,
            }
            .into(),
        ));
    }

    // client-go: an inline `token` wins over `tokenFile`.
    let token = match (&user.token, user.token_file.as_deref()) {
        (Some(t), _) if !t.is_empty() => {
            let loc = entry.clone().with_field("token");
            let info = decode_token(t.expose(), &loc);
            Some((DataSource::Inline, info, loc))
        }
        (_, Some(path)) if !path.is_empty() => {
            let path = Path::new(path);
            let loc = entry.clone().with_field("tokenFile");
            // Decoded once per file, however many users name it.
            let info = files
                .read_shared(path, &loc)
                .and_then(|file| decoded.token(&file, &loc));
            Some((DataSource::File(path.to_path_buf()), info, loc))
        }
        _ => None,
    };
    if let Some((source, info, loc)) = token {
        let info = info.unwrap_or_else(|e| {
            problems.push(e);
            opaque()
        });
        out.push((loc, Token { source, info }.into()));
    }

    if user.username.as_deref().is_some_and(|u| !u.is_empty())
        || user.password.as_ref().is_some_and(|p| !p.is_empty())
    {
        out.push((
            entry.clone().with_field("username"),
            BasicAuth {
                username: user.username.clone().unwrap_or_default(),
                has_password: user.password.as_ref().is_some_and(|p| !p.is_empty()),
            }
            .into(),
        ));
    }

    if let Some(exec) = &user.exec {
        out.push((entry.clone().with_field("exec"), describe_exec(exec).into()));
    }

    if let Some(provider) = &user.auth_provider {
        let loc = entry.clone().with_field("auth-provider");
        out.push((
            loc.clone(),
            describe_auth_provider(provider, &loc, problems).into(),
        ));
    }
    out
}

/// Whether `leaf` is signed by the CA of every cluster in `clusters` that has
/// one, directly or through the intermediates of its own bundle; `None` when no
/// cluster has a CA, or when the check budget left the answer unknown (then
/// noted in `verifier`, which reports it).
fn signed_by_cluster_ca(
    leaf: &CertificateInfo,
    chain: &[CertificateInfo],
    clusters: &[Trust<'_>],
    verifier: &mut Verifier,
    at: &Location,
) -> Option<bool> {
    let clusters: Vec<&Trust<'_>> = clusters.iter().filter(|(ca, _)| !ca.is_empty()).collect();
    if clusters.is_empty() {
        return None;
    }
    verifier.admit(1 + chain.len());
    let chain_index = Issuers::new(chain);
    let mut undecided = false;
    for (ca, index) in clusters {
        let direct = verifier.issued_by_any(leaf, ca, index);
        let verdict = match direct {
            Some(true) => Some(true),
            _ => match verifier.chain_reaches(leaf, (chain, &chain_index), (ca, index)) {
                Some(false) => direct,
                through_chain => through_chain,
            },
        };
        match verdict {
            Some(true) => {}
            Some(false) => return Some(false),
            None => undecided = true,
        }
    }
    if undecided {
        verifier.undecided(at);
        return None;
    }
    Some(true)
}

fn opaque() -> TokenInfo {
    TokenInfo {
        format: TokenFormat::Opaque,
        jwt: None,
        service_account: None,
        validity: None,
    }
}

fn describe_auth_provider(
    p: &AuthProvider,
    at: &Location,
    problems: &mut Vec<Error>,
) -> AuthProviderInfo {
    let secret = |key: &str| p.config.get(key).filter(|s| !s.is_empty());
    let mut token = |key: &str| {
        secret(key).map(|t| {
            let loc = at.clone().with_field(format!("auth-provider.config.{key}"));
            decode_token(t.expose(), &loc).unwrap_or_else(|e| {
                problems.push(e);
                opaque()
            })
        })
    };
    let id_token = token("id-token");
    let access_token = token("access-token");
    let expiry = match (p.public("expires-on"), p.public("expiry")) {
        (Some(unix), _) => parse_expiry(
            unix,
            &at.clone().with_field("auth-provider.config.expires-on"),
            problems,
        ),
        (None, Some(rfc3339)) => parse_expiry(
            rfc3339,
            &at.clone().with_field("auth-provider.config.expiry"),
            problems,
        ),
        _ => None,
    };
    AuthProviderInfo {
        name: p.name.clone(),
        issuer: p.public("idp-issuer-url").map(redact_url),
        client_id: p.public("client-id").map(str::to_owned),
        id_token,
        access_token,
        expiry,
        has_refresh_token: secret("refresh-token").is_some(),
        has_client_secret: secret("client-secret").is_some(),
        removed_in: match p.name.as_str() {
            "azure" | "gcp" => Some(PROVIDER_REMOVALS[0]),
            _ => None,
        },
    }
}

/// `expires-on` is Unix seconds as a string (azure); `expiry` is RFC 3339 (gcp).
fn parse_expiry(text: &str, at: &Location, problems: &mut Vec<Error>) -> Option<OffsetDateTime> {
    let text = text.trim();
    let parsed = match text.parse::<i64>() {
        Ok(secs) => crate::expiry::from_unix(secs),
        Err(_) => crate::expiry::parse_rfc3339(text),
    };
    if parsed.is_none() {
        problems.push(Error::BadTimestamp { at: at.clone() });
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubeconfig::User;
    use crate::secret::Secret;

    fn user(name: &str, user: User) -> NamedUser {
        NamedUser {
            name: name.into(),
            user,
            origin: Origin {
                file: "cfg".into(),
                line: Some(3),
            },
        }
    }

    #[test]
    fn base64_with_whitespace_decodes() {
        let at = Location::file("x");
        assert_eq!(decode_base64("aGVs\n bG8=\r\n", &at).unwrap(), b"hello");
        assert_eq!(decode_base64("aGVsbG8", &at).unwrap(), b"hello");
        assert!(matches!(
            decode_base64("!!!", &at),
            Err(Error::NotBase64 { .. })
        ));
    }

    #[test]
    fn bad_data_is_a_problem_and_the_rest_still_reports() {
        let mut config = Kubeconfig::default();
        config.users.push(user(
            "broken",
            User {
                client_certificate_data: Some("not base64 !!".into()),
                token: Some(Secret::new("CANARY-opaque-token")),
                ..User::default()
            },
        ));
        config.users.push(user(
            "basic",
            User {
                username: Some("admin".into()),
                password: Some(Secret::new("CANARY-password")),
                ..User::default()
            },
        ));
        let inv = inventory(&config, &NoFiles);
        let kinds: Vec<_> = inv.credentials.iter().map(CredentialRecord::kind).collect();
        assert_eq!(
            kinds,
            [
                CredentialKind::ClientCertificate,
                CredentialKind::Token,
                CredentialKind::BasicAuth
            ]
        );
        assert_eq!(inv.problems.len(), 1);
        assert_eq!(
            inv.problems[0].to_string(),
            "cfg: users[broken].client-certificate-data (line 3): not valid base64"
        );
        let all = format!("{inv:?} {}", serde_json::to_string(&inv).unwrap());
        assert!(!all.contains("CANARY"));
    }

    #[test]
    fn a_big_bundle_named_by_many_users_keeps_a_capped_chain_each() {
        // Any bundle longer than the cap, inline, for many users: each record
        // keeps at most MAX_CLIENT_CHAIN intermediates and says what it dropped.
        let one = include_str!("../../tests/data/certs/chain.crt");
        for copies in [1, MAX_CLIENT_CHAIN / 2 + 1, 50] {
            let bundle = one.repeat(copies);
            let data = base64::engine::general_purpose::STANDARD.encode(&bundle);
            let mut config = Kubeconfig::default();
            for i in 0..40 {
                config.users.push(user(
                    &format!("u{i}"),
                    User {
                        client_certificate_data: Some(data.clone()),
                        ..User::default()
                    },
                ));
            }
            let inv = inventory(&config, &NoFiles);
            let total = 2 * copies;
            let limited = inv
                .problems
                .iter()
                .filter(|p| matches!(p, Error::LimitReached { .. }))
                .count();
            assert_eq!(limited, if total > 1 + MAX_CLIENT_CHAIN { 40 } else { 0 });
            for r in &inv.credentials {
                let Credential::ClientCertificate(c) = &r.credential else {
                    panic!("{r:?}")
                };
                assert!(c.certificate.is_some());
                assert_eq!(c.chain.len(), (total - 1).min(MAX_CLIENT_CHAIN));
            }
        }
    }

    #[test]
    fn inventory_reads_back_from_its_serde_form() {
        let mut config = Kubeconfig::default();
        config.users.push(user(
            "mixed",
            User {
                token: Some(Secret::new("CANARY-opaque-token")),
                username: Some("admin".into()),
                password: Some(Secret::new("CANARY-password")),
                auth_provider: Some(Box::new(AuthProvider {
                    name: "azure".into(),
                    config: [("expires-on".to_owned(), Secret::new("1767225600"))].into(),
                })),
                ..User::default()
            },
        ));
        let inv = inventory(&config, &NoFiles);
        let text = serde_json::to_string(&inv).unwrap();
        let back: Inventory = serde_json::from_str(&text).unwrap();
        assert_eq!(back.credentials, inv.credentials);
        assert_eq!(back.clusters, inv.clusters);
        assert!(back.problems.is_empty());
        assert!(matches!(
            &back.credentials[2].credential,
            Credential::AuthProvider(a) if a.removed_in == Some("1.26")
        ));
    }

    #[test]
    fn missing_referenced_file_and_missing_context_user() {
        let mut config = Kubeconfig::default();
        config.users.push(user(
            "files",
            User {
                token_file: Some("/nonexistent/token".into()),
                ..User::default()
            },
        ));
        config.contexts.push(crate::kubeconfig::NamedContext {
            name: "ctx".into(),
            context: crate::kubeconfig::Context {
                cluster: "c".into(),
                user: "ghost".into(),
                ..Default::default()
            },
            origin: Origin::default(),
        });
        let inv = inventory(&config, &NoFiles);
        assert_eq!(inv.credentials.len(), 1);
        let kinds: Vec<_> = inv.problems.iter().map(Error::kind).collect();
        assert_eq!(
            kinds,
            ["missing-reference", "missing-reference", "missing-file"]
        );
    }
}
