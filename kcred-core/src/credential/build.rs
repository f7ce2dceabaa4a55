//! Building the inventory of a loaded kubeconfig: users linked to their
//! contexts and clusters, each file decoded once per run.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hash;
use std::sync::Arc;

use crate::error::{Error, Location};
use crate::fs::{FileId, SharedFile};
use crate::kubeconfig::{Kubeconfig, Limits, NamedCluster, NamedUser, Origin};
use crate::platform::{detect_platform, Platform, PlatformHints};
use crate::secret::redact_url;
use crate::token::{decode_token, TokenInfo};
use crate::verify::{Issuers, Verifier};
use crate::x509::{decode_certificates, CertificateInfo};

use super::files::data_or_file;
use super::parallel::{Run, ROUND_USERS};
use super::record::{ClusterRecord, ContextRecord, CredentialRecord, Inventory};
use super::user::{impersonation, platform_of, user_credentials, Trust, MAX_CLIENT_CHAIN};
use super::ReferencedFiles;

pub(super) fn at(origin: &Origin, entry: String) -> Location {
    Location::file(&origin.file)
        .with_entry(entry)
        .with_line(origin.line)
}

/// What decoding a file gave, kept for the run: each file (by identity) is
/// decoded once and the result shared by every entry naming it.
#[derive(Default)]
pub(super) struct Decoded {
    certificates: Memo<FileId, Arc<[CertificateInfo]>>,
    /// A client certificate file split into leaf and chain, the chain shared.
    client_bundles: Memo<FileId, ClientBundle>,
    tokens: Memo<FileId, TokenInfo>,
    /// By certificate fingerprint and key file.
    key_matches: Memo<(String, FileId), Option<bool>>,
}

/// A client-certificate bundle: the leaf, at most [`MAX_CLIENT_CHAIN`]
/// certificates after it, and how many more there were.
pub(super) type ClientBundle = (Option<CertificateInfo>, Arc<[CertificateInfo]>, usize);

/// What a computation gave, by key.
pub(super) type Memo<K, T> = RefCell<HashMap<K, Result<T, Error>>>;

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
    pub(super) fn client_bundle(
        &self,
        file: &SharedFile,
        at: &Location,
    ) -> Result<ClientBundle, Error> {
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

    pub(super) fn token(&self, file: &SharedFile, at: &Location) -> Result<TokenInfo, Error> {
        once(&self.tokens, file.id, at, || {
            decode_token(String::from_utf8_lossy(&file.bytes).trim(), at)
        })
    }

    pub(super) fn key_matches(
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
pub(super) fn once<K: Hash + Eq, T: Clone>(
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
    let mut inv = inventory_in(config, files, &mut verifier, limits.threads);
    verifier.finish(&mut inv.problems);
    inv
}

/// [`inventory`] with the signature checks of a larger run (`pki` mode), users
/// on at most `threads` workers.
pub(crate) fn inventory_in(
    config: &Kubeconfig,
    files: &dyn ReferencedFiles,
    verifier: &mut Verifier,
    threads: usize,
) -> Inventory {
    let mut problems = missing_references(config, &config.users);
    let decoded = Decoded::default();
    let links = Links::new(config, files, &decoded, &mut problems);
    let mut credentials = Vec::new();
    let mut run = Run {
        links: &links,
        files,
        decoded: &decoded,
        verifier,
        threads,
    };
    for round in config.users.chunks(ROUND_USERS) {
        run.add_users(round, &mut problems, &mut credentials);
    }
    Inventory {
        credentials,
        clusters: links.clusters,
        contexts: context_records(config),
        current_context: config.current_context.clone(),
        problems,
        suppressions: Vec::new(),
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
    let users = std::mem::take(&mut config.users);
    let mut problems = missing_references(&config, &users);
    let decoded = Decoded::default();
    let links = Links::new(&config, files, &decoded, &mut problems);
    let mut credentials = Vec::with_capacity(users.len());
    let mut users = VecDeque::from(users);
    let mut run = Run {
        links: &links,
        files,
        decoded: &decoded,
        verifier: &mut verifier,
        threads: limits.threads,
    };
    while !users.is_empty() {
        let n = ROUND_USERS.min(users.len());
        let round = &users.make_contiguous()[..n];
        if run.threads_for(round) > 1 {
            // A round of users inventoried on several threads, then freed.
            run.add_users(round, &mut problems, &mut credentials);
            users.drain(..n);
        } else {
            // One by one, each user freed once inventoried (its memory is
            // then reused by the next one's records).
            for named in users.drain(..n) {
                run.add_user(&named, &mut problems, &mut credentials);
            }
        }
        // Give the emptied half of the list back as it empties.
        if users.capacity() > 64 && users.len() <= users.capacity() / 2 {
            users.shrink_to_fit();
        }
    }
    verifier.finish(&mut problems);
    let contexts = context_records(&config);
    Inventory {
        credentials,
        clusters: links.clusters,
        contexts,
        current_context: config.current_context.take(),
        problems,
        suppressions: Vec::new(),
    }
}

/// The context entries as `kubectl config get-contexts` lists them.
fn context_records(config: &Kubeconfig) -> Vec<ContextRecord> {
    config
        .contexts
        .iter()
        .map(|c| ContextRecord {
            name: c.name.clone(),
            cluster: c.context.cluster.clone(),
            user: c.context.user.clone(),
            namespace: c.context.namespace.clone(),
        })
        .collect()
}

/// Contexts (and `current-context`) naming an entry that is not defined, and
/// what kubectl refuses or reads otherwise than written.
pub(super) fn missing_references(config: &Kubeconfig, users: &[NamedUser]) -> Vec<Error> {
    // Name indexes: a config of 100,000 contexts must not cost 100,000² lookups.
    let user_names: HashSet<&str> = users.iter().map(|u| u.name.as_str()).collect();
    let cluster_names: HashSet<&str> = config.clusters.iter().map(|c| c.name.as_str()).collect();
    let mut problems = Vec::new();
    if let Some(current) = config.current_context.as_deref().filter(|c| !c.is_empty()) {
        if config.context(current).is_none() {
            let file = config.current_context_file.clone().unwrap_or_default();
            problems.push(Error::MissingReference {
                at: Location::file(file).with_field("current-context"),
                kind: "context".into(),
                name: current.to_owned(),
            });
        }
    }
    for ctx in &config.contexts {
        let loc = at(&ctx.origin, format!("contexts[{}]", ctx.name));
        if !user_names.contains(ctx.context.user.as_str()) && !ctx.context.user.is_empty() {
            problems.push(Error::MissingReference {
                at: loc.clone().with_field("user"),
                kind: "user".into(),
                name: ctx.context.user.clone(),
            });
        }
        if !cluster_names.contains(ctx.context.cluster.as_str()) && !ctx.context.cluster.is_empty()
        {
            problems.push(Error::MissingReference {
                at: loc.with_field("cluster"),
                kind: "cluster".into(),
                name: ctx.context.cluster.clone(),
            });
        }
    }
    problems.extend(crate::kubeconfig::not_as_written(config, users));
    problems
}

/// What user records are linked to: the contexts naming each user, and the
/// cluster records (CA decoded and indexed once per cluster, found by name).
pub(super) struct Links<'a> {
    contexts_of_user: HashMap<&'a str, Vec<(&'a str, &'a str)>>,
    clusters: Vec<ClusterRecord>,
    cluster_index: HashMap<&'a str, usize>,
    /// Each cluster's CA bundle indexed by subject Name, beside `clusters`;
    /// clusters sharing one decoded bundle share its index.
    issuers: Vec<Arc<Issuers>>,
}

impl<'a> Links<'a> {
    fn new(
        config: &'a Kubeconfig,
        files: &dyn ReferencedFiles,
        decoded: &Decoded,
        problems: &mut Vec<Error>,
    ) -> Self {
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
        let mut clusters = Vec::with_capacity(config.clusters.len());
        let mut cluster_index = HashMap::with_capacity(config.clusters.len());
        for named in &config.clusters {
            cluster_index
                .entry(named.name.as_str())
                .or_insert(clusters.len());
            let contexts = contexts_of_cluster
                .remove(named.name.as_str())
                .unwrap_or_default();
            clusters.push(cluster_record(named, contexts, files, decoded, problems));
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
            issuers,
        }
    }

    /// The records of one user entry, appended to `out`.
    pub(super) fn add_user(
        &self,
        named: &NamedUser,
        files: &dyn ReferencedFiles,
        decoded: &Decoded,
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
        let found = user_credentials(named, &trust, files, decoded, verifier, problems);
        let contexts: Vec<String> = uses.iter().map(|(c, _)| (*c).to_owned()).collect();
        let mut cluster_names: Vec<String> = uses.iter().map(|(_, c)| (*c).to_owned()).collect();
        cluster_names.dedup();
        let impersonation = impersonation(named);
        for (location, credential) in found {
            // The field's line (`token:`), not the entry's, when it is known.
            let location = location.at_field_of(&named.origin);
            let mut record = CredentialRecord {
                user: named.name.clone(),
                contexts: contexts.clone(),
                clusters: cluster_names.clone(),
                location,
                platform: Platform::Generic,
                impersonation: impersonation.clone(),
                privileges: None,
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
pub(super) fn cluster_record(
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
        cluster.certificate_authority.as_deref(),
        "certificate-authority",
        &entry,
        files,
    );
    let (ca_source, ca) = match read {
        None => (None, Arc::from(Vec::new())),
        Some((source, at, bytes)) => match bytes.and_then(|b| decoded.certificates(&b, &at)) {
            Ok(certs) => (Some(source), certs),
            Err(e) => {
                problems.push(e);
                (Some(source), Arc::from(Vec::new()))
            }
        },
    };
    let server = cluster.server.as_deref().map(redact_url);
    let platform = detect_platform(&PlatformHints {
        server: server.as_deref(),
        context: contexts.first().map(String::as_str),
        ca_common_name: ca.first().and_then(|ca| ca.common_name.as_deref()),
        ..PlatformHints::default()
    });
    ClusterRecord {
        name: named.name.clone(),
        location: entry,
        server,
        contexts,
        insecure_skip_tls_verify: cluster.insecure_skip_tls_verify,
        ca_source,
        ca,
        platform,
    }
}
