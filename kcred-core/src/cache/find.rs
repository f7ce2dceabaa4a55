//! Finding cache files: the only part of `cache` that looks at the file system,
//! always through the input boundary (`crate::fs`): read-only, size-capped,
//! regular files only, folders listed whole and sorted before their entry cap,
//! no symlinked directory followed.

use std::path::{Path, PathBuf};

use super::parse::parse_cache_file;
use super::{CacheEntry, CacheKind, FileFacts};
use crate::error::{Error, Location};
use crate::fs::{list_dir, Budget, DirEntry};
use crate::kubeconfig::Limits;

/// Where to look. The caller reads the environment; the core never does.
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheSearch<'a> {
    /// The home folder (`$HOME`, or an investigator's copy of one).
    pub home: Option<&'a Path>,
    /// `$KUBECACHEDIR`, which replaces `~/.kube/cache` when set.
    pub kube_cache_dir: Option<&'a Path>,
    /// The kubeconfig files in use: a `cache/` folder and a
    /// `gke_gcloud_auth_plugin_cache` beside each are looked at too.
    pub kubeconfig_files: &'a [PathBuf],
}

/// What was found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CacheScan {
    /// Decoded entries, in the order found.
    pub entries: Vec<CacheEntry>,
    /// Files that exist but could not be read or decoded.
    pub problems: Vec<Error>,
}

/// Permission bits and modification time of `path` (following symlinks), or
/// `None` when it cannot be looked at.
pub fn file_facts(path: &Path) -> Option<FileFacts> {
    crate::fs::facts(path)
}

/// Finds and decodes every token cache the search names:
///
/// - in the kube cache folder (`$KUBECACHEDIR`, else `~/.kube/cache`) and in a
///   `cache/` folder beside each kubeconfig: `kubelogin/*.json`, `kubelogin/auth.json`,
///   `kubelogin/pop_tokens.cache`, `oidc-login/*`, `aws-iam-authenticator/credentials.yaml`,
///   and ExecCredential JSON files elsewhere in it (two levels deep, kubectl's
///   `discovery/` and `http/` caches skipped);
/// - `gke_gcloud_auth_plugin_cache` beside each kubeconfig;
/// - in the home folder: `.azure/msal_token_cache.{json,bin}`,
///   `.config/gcloud/credentials.db`, `.aws/credentials`.
///
/// Each folder is listed whole and sorted; at most [`Limits::max_dir_entries`]
/// of the files that could be caches are examined, and the rest are reported as
/// [`Error::LimitReached`] (never skipped silently). All reads together stay
/// within [`Limits::max_total_bytes`].
pub fn find_caches(search: &CacheSearch<'_>, limits: &Limits) -> CacheScan {
    let mut scan = CacheScan::default();
    let reader = Reader {
        limits,
        budget: Budget::new(limits),
    };
    let mut cache_dirs: Vec<PathBuf> = Vec::new();
    match (search.kube_cache_dir, search.home) {
        (Some(dir), _) => cache_dirs.push(dir.to_path_buf()),
        (None, Some(home)) => cache_dirs.push(home.join(".kube").join("cache")),
        (None, None) => {}
    }
    let mut beside: Vec<PathBuf> = Vec::new();
    for file in search.kubeconfig_files {
        if let Some(parent) = file.parent() {
            push_unique(&mut cache_dirs, parent.join("cache"));
            push_unique(&mut beside, parent.to_path_buf());
        }
    }
    let mut seen: Vec<PathBuf> = Vec::new();
    for dir in &cache_dirs {
        // Only names that can be caches count against the folder's cap: decoys
        // named otherwise cannot push the real cache out.
        let kubelogin = files_in(&dir.join("kubelogin"), &reader, &mut scan, |e| {
            kubelogin_kind(e).is_some()
        });
        for entry in kubelogin {
            if let Some(kind) = kubelogin_kind(&entry) {
                reader.read_one(kind, &entry.path, &mut seen, &mut scan);
            }
        }
        let oidc = files_in(&dir.join("oidc-login"), &reader, &mut scan, |e| {
            Path::new(&e.name).extension().is_none_or(|x| x != "lock")
        });
        for entry in oidc {
            reader.read_one(CacheKind::OidcLogin, &entry.path, &mut seen, &mut scan);
        }
        let aws = dir.join("aws-iam-authenticator").join("credentials.yaml");
        reader.read_one(CacheKind::AwsIamAuthenticator, &aws, &mut seen, &mut scan);
        exec_credentials(dir, 0, &reader, &mut seen, &mut scan);
    }
    for dir in &beside {
        let gke = dir.join("gke_gcloud_auth_plugin_cache");
        reader.read_one(CacheKind::GkeGcloudAuthPlugin, &gke, &mut seen, &mut scan);
    }
    if let Some(home) = search.home {
        let azure = home.join(".azure");
        for (kind, path) in [
            (
                CacheKind::AzureCliTokenCache,
                azure.join("msal_token_cache.json"),
            ),
            (
                CacheKind::AzureCliTokenCache,
                azure.join("msal_token_cache.bin"),
            ),
            (
                CacheKind::GcloudCredentials,
                home.join(".config").join("gcloud").join("credentials.db"),
            ),
            (
                CacheKind::AwsSharedCredentials,
                home.join(".aws").join("credentials"),
            ),
        ] {
            reader.read_one(kind, &path, &mut seen, &mut scan);
        }
    }
    scan
}

/// What a file in `kubelogin/` holds, by its name; `None`: not a kubelogin cache.
fn kubelogin_kind(entry: &DirEntry) -> Option<CacheKind> {
    if entry.is_dir {
        return None;
    }
    match entry.name.to_str()? {
        "auth.json" => Some(CacheKind::AzureAuthRecord),
        "pop_tokens.cache" => Some(CacheKind::AzurePopTokenCache),
        n if n.ends_with(".json") => Some(CacheKind::AzureKubeloginToken),
        _ => None,
    }
}

/// The reads of one search: its limits and its byte budget.
struct Reader<'a> {
    limits: &'a Limits,
    budget: Budget,
}

fn push_unique(list: &mut Vec<PathBuf>, path: PathBuf) {
    if !list.contains(&path) {
        list.push(path);
    }
}

/// Entries other than folders directly in `dir` that `keep` accepts, sorted by
/// name and capped; what the cap leaves out is a problem of the scan.
fn files_in(
    dir: &Path,
    reader: &Reader<'_>,
    scan: &mut CacheScan,
    mut keep: impl FnMut(&DirEntry) -> bool,
) -> Vec<DirEntry> {
    let listing = list_dir(dir, reader.limits, |e| !e.is_dir && keep(e));
    scan.problems.extend(listing.problems);
    listing.entries
}

/// ExecCredential JSON files anywhere else in the cache folder, two levels deep.
fn exec_credentials(
    dir: &Path,
    depth: u8,
    reader: &Reader<'_>,
    seen: &mut Vec<PathBuf>,
    scan: &mut CacheScan,
) {
    const KNOWN: [&str; 5] = [
        "discovery",
        "http",
        "kubelogin",
        "oidc-login",
        "aws-iam-authenticator",
    ];
    // One listing: `*.json` files, and the folders to enter (`is_dir` does not
    // follow symlinks: a symlinked folder is never entered).
    let listing = list_dir(dir, reader.limits, |e| {
        if e.is_dir {
            depth < 1 && !KNOWN.iter().any(|k| e.name == *k)
        } else {
            Path::new(&e.name).extension().is_some_and(|x| x == "json")
        }
    });
    scan.problems.extend(listing.problems);
    let (dirs, files): (Vec<DirEntry>, Vec<DirEntry>) =
        listing.entries.into_iter().partition(|e| e.is_dir);
    for file in files {
        let at = Location::file(&file.path);
        let read = match reader.budget.read(&file.path, reader.limits, &at) {
            Ok(read) => read,
            // The run's budget is spent: say so. Other files that cannot be read
            // here are not known to be caches at all.
            Err(e @ Error::LimitReached { .. }) => {
                scan.problems.push(e);
                continue;
            }
            Err(_) => continue,
        };
        if memchr_contains(&read.bytes, b"ExecCredential") {
            parse_into(
                CacheKind::ExecCredential,
                &file.path,
                &read.bytes,
                Some(read.facts),
                seen,
                scan,
            );
        }
    }
    for sub in dirs {
        exec_credentials(&sub.path, depth + 1, reader, seen, scan);
    }
}

fn memchr_contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

impl Reader<'_> {
    fn read_one(
        &self,
        kind: CacheKind,
        path: &Path,
        seen: &mut Vec<PathBuf>,
        scan: &mut CacheScan,
    ) {
        if !crate::fs::exists(path) || seen.iter().any(|p| p == path) {
            return;
        }
        let at = Location::file(path);
        let presence_only = matches!(
            kind,
            CacheKind::AzurePopTokenCache | CacheKind::GcloudCredentials
        ) || (kind == CacheKind::AzureCliTokenCache
            && path.extension().is_some_and(|e| e == "bin"));
        if presence_only {
            if crate::fs::is_regular(path) {
                parse_into(kind, path, b"", file_facts(path), seen, scan);
            }
            return;
        }
        match self.budget.read(path, self.limits, &at) {
            Ok(read) => parse_into(kind, path, &read.bytes, Some(read.facts), seen, scan),
            Err(e) => scan.problems.push(e),
        }
    }
}

fn parse_into(
    kind: CacheKind,
    path: &Path,
    bytes: &[u8],
    facts: Option<FileFacts>,
    seen: &mut Vec<PathBuf>,
    scan: &mut CacheScan,
) {
    seen.push(path.to_path_buf());
    match parse_cache_file(kind, bytes, &Location::file(path)) {
        Ok(entries) => scan.entries.extend(entries.into_iter().map(|mut e| {
            e.file = facts.clone();
            e
        })),
        Err(e) => scan.problems.push(e),
    }
}
