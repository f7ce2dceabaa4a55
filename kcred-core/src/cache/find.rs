//! Finding cache files: the only part of `cache` that touches the file system.
//! Read-only, size-capped ([`read_limited`]), no symlinked directory followed.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::parse::parse_cache_file;
use super::{CacheEntry, CacheKind, FileFacts};
use crate::error::{Error, Location};
use crate::kubeconfig::{read_limited, Limits};

/// Most files looked at in one cache folder (a kubectl discovery cache can be large).
const MAX_FILES_PER_DIR: usize = 4096;

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
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    };
    #[cfg(not(unix))]
    let mode = None;
    Some(FileFacts {
        path: path.to_path_buf(),
        mode,
        modified: meta.modified().ok().and_then(modified_at),
    })
}

/// A file's modification time as an instant; `None` outside years 0000 to 9999
/// (`OffsetDateTime::from(SystemTime)` panics there, and a planted mtime can be).
fn modified_at(t: std::time::SystemTime) -> Option<OffsetDateTime> {
    let seconds = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).ok()?,
        Err(before) => i64::try_from(before.duration().as_secs())
            .ok()?
            .checked_neg()?,
    };
    crate::expiry::from_unix(seconds)
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
pub fn find_caches(search: &CacheSearch<'_>, limits: &Limits) -> CacheScan {
    let mut scan = CacheScan::default();
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
        for file in files_in(&dir.join("kubelogin")) {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let kind = match name {
                "auth.json" => CacheKind::AzureAuthRecord,
                "pop_tokens.cache" => CacheKind::AzurePopTokenCache,
                n if n.ends_with(".json") => CacheKind::AzureKubeloginToken,
                _ => continue,
            };
            read_one(kind, &file, limits, &mut seen, &mut scan);
        }
        for file in files_in(&dir.join("oidc-login")) {
            if file.extension().is_some_and(|e| e == "lock") {
                continue;
            }
            read_one(CacheKind::OidcLogin, &file, limits, &mut seen, &mut scan);
        }
        let aws = dir.join("aws-iam-authenticator").join("credentials.yaml");
        read_one(
            CacheKind::AwsIamAuthenticator,
            &aws,
            limits,
            &mut seen,
            &mut scan,
        );
        exec_credentials(dir, 0, limits, &mut seen, &mut scan);
    }
    for dir in &beside {
        let gke = dir.join("gke_gcloud_auth_plugin_cache");
        read_one(
            CacheKind::GkeGcloudAuthPlugin,
            &gke,
            limits,
            &mut seen,
            &mut scan,
        );
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
            read_one(kind, &path, limits, &mut seen, &mut scan);
        }
    }
    scan
}

fn push_unique(list: &mut Vec<PathBuf>, path: PathBuf) {
    if !list.contains(&path) {
        list.push(path);
    }
}

/// Regular files (or symlinks to them) directly in `dir`, sorted by name.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .take(MAX_FILES_PER_DIR)
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// ExecCredential JSON files anywhere else in the cache folder, two levels deep.
fn exec_credentials(
    dir: &Path,
    depth: u8,
    limits: &Limits,
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
    for file in files_in(dir) {
        if file.extension().is_some_and(|e| e == "json") {
            let at = Location::file(&file);
            let Ok(bytes) = read_limited(&file, limits, &at) else {
                continue;
            };
            if memchr_contains(&bytes, b"ExecCredential") {
                parse_into(CacheKind::ExecCredential, &file, &bytes, seen, scan);
            }
        }
    }
    if depth >= 1 {
        return;
    }
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut dirs: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .take(MAX_FILES_PER_DIR)
        // `file_type` does not follow symlinks: a symlinked folder is never entered.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !KNOWN.iter().any(|k| e.file_name() == *k))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for sub in dirs {
        exec_credentials(&sub, depth + 1, limits, seen, scan);
    }
}

fn memchr_contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn read_one(
    kind: CacheKind,
    path: &Path,
    limits: &Limits,
    seen: &mut Vec<PathBuf>,
    scan: &mut CacheScan,
) {
    if std::fs::symlink_metadata(path).is_err() || seen.iter().any(|p| p == path) {
        return;
    }
    let at = Location::file(path);
    let presence_only = matches!(
        kind,
        CacheKind::AzurePopTokenCache | CacheKind::GcloudCredentials
    ) || (kind == CacheKind::AzureCliTokenCache
        && path.extension().is_some_and(|e| e == "bin"));
    if presence_only {
        if std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            parse_into(kind, path, b"", seen, scan);
        }
        return;
    }
    match read_limited(path, limits, &at) {
        Ok(bytes) => parse_into(kind, path, &bytes, seen, scan),
        Err(e) => scan.problems.push(e),
    }
}

fn parse_into(
    kind: CacheKind,
    path: &Path,
    bytes: &[u8],
    seen: &mut Vec<PathBuf>,
    scan: &mut CacheScan,
) {
    seen.push(path.to_path_buf());
    let facts = file_facts(path);
    match parse_cache_file(kind, bytes, &Location::file(path)) {
        Ok(entries) => scan.entries.extend(entries.into_iter().map(|mut e| {
            e.file = facts.clone();
            e
        })),
        Err(e) => scan.problems.push(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planted_modification_times_are_none_not_panics() {
        use std::time::{Duration, UNIX_EPOCH};
        let secs = |s: u64| Duration::from_secs(s);
        assert_eq!(
            modified_at(UNIX_EPOCH + secs(1_767_225_600)),
            OffsetDateTime::from_unix_timestamp(1_767_225_600).ok()
        );
        assert!(modified_at(UNIX_EPOCH - secs(1)).is_some());
        for far in [253_402_300_800, 1 << 40, i64::MAX as u64] {
            if let Some(t) = UNIX_EPOCH.checked_add(secs(far)) {
                assert_eq!(modified_at(t), None, "{far}");
            }
            if let Some(t) = UNIX_EPOCH.checked_sub(secs(far)) {
                assert_eq!(modified_at(t), None, "-{far}");
            }
        }
    }
}
