//! Which files KUBECONFIG names, and resolving relative paths the way client-go's
//! `ResolveLocalPaths` does.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use crate::kubeconfig::model::{NamedCluster, NamedUser};

/// The candidate kubeconfig files, in precedence order, from the value of
/// `$KUBECONFIG` and the home directory.
///
/// `$KUBECONFIG` is split like [`std::env::split_paths`] (on `:` on Unix); empty
/// entries are dropped and duplicates keep their first position. When the
/// variable is unset or empty the answer is `home/.kube/config` (nothing when
/// `home` is `None` too). Pure: reads neither the environment nor the disk.
///
/// ```
/// use std::ffi::OsStr;
/// use std::path::{Path, PathBuf};
/// use kcred_core::kubeconfig_paths;
///
/// let home = Path::new("/home/ann");
/// assert_eq!(kubeconfig_paths(None, Some(home)), [PathBuf::from("/home/ann/.kube/config")]);
/// assert_eq!(
///     kubeconfig_paths(Some(OsStr::new("a::b:a")), Some(home)),
///     [PathBuf::from("a"), PathBuf::from("b")]
/// );
/// ```
pub fn kubeconfig_paths(kubeconfig_env: Option<&OsStr>, home: Option<&Path>) -> Vec<PathBuf> {
    let from_env: Vec<PathBuf> = match kubeconfig_env {
        Some(value) if !value.is_empty() => {
            let mut seen = HashSet::new();
            std::env::split_paths(value)
                .filter(|p| !p.as_os_str().is_empty())
                .filter(|p| seen.insert(p.clone()))
                .collect()
        }
        _ => Vec::new(),
    };
    if kubeconfig_env.is_some_and(|v| !v.is_empty()) {
        return from_env;
    }
    home.map(|h| vec![h.join(".kube").join("config")])
        .unwrap_or_default()
}

/// Lexically cleans a path like Go's `filepath.Clean`: drops `.`, folds `..`
/// into the previous component (never above the root), removes repeated `/`.
pub(crate) fn clean(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(comp),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// The folder relative paths in `file` are resolved against: Go's
/// `filepath.Abs(filepath.Dir(file))`. Reads the current directory when `file`
/// is relative.
pub(crate) fn base_dir(file: &Path) -> std::io::Result<PathBuf> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Ok(clean(&std::path::absolute(dir)?))
}

/// Go's `filepath.Join(base, reference)` for a relative, non-empty reference;
/// empty and absolute references are returned untouched.
fn resolve(reference: &str, base: &Path) -> Option<String> {
    if reference.is_empty() || Path::new(reference).is_absolute() {
        return None;
    }
    Some(clean(&base.join(reference)).to_string_lossy().into_owned())
}

fn resolve_in_place(field: &mut Option<String>, base: &Path) {
    if let Some(resolved) = field.as_deref().and_then(|r| resolve(r, base)) {
        *field = Some(resolved);
    }
}

/// Resolves a cluster's file references (`certificate-authority`) against `base`.
pub(crate) fn resolve_cluster(entry: &mut NamedCluster, base: &Path) {
    resolve_in_place(&mut entry.cluster.certificate_authority, base);
}

/// Resolves a user's file references against `base`: `client-certificate`,
/// `client-key`, `tokenFile`, and `exec.command` only when it contains a `/`
/// (a bare command is looked up on `PATH`). client-go leaves `auth-provider`
/// config (such as `idp-certificate-authority`) as written, and so do we.
pub(crate) fn resolve_user(entry: &mut NamedUser, base: &Path) {
    let user = &mut entry.user;
    resolve_in_place(&mut user.client_certificate, base);
    resolve_in_place(&mut user.client_key, base);
    resolve_in_place(&mut user.token_file, base);
    if let Some(exec) = user.exec.as_mut() {
        if exec.command.contains('/') {
            if let Some(resolved) = resolve(&exec.command, base) {
                exec.command = resolved;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubeconfig::model::{ExecConfig, User};

    fn paths(v: &[&str]) -> Vec<PathBuf> {
        v.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn unset_or_empty_env_means_home_config() {
        let home = Path::new("/h");
        assert_eq!(
            kubeconfig_paths(None, Some(home)),
            paths(&["/h/.kube/config"])
        );
        assert_eq!(
            kubeconfig_paths(Some(OsStr::new("")), Some(home)),
            paths(&["/h/.kube/config"])
        );
        assert!(kubeconfig_paths(None, None).is_empty());
    }

    #[test]
    fn env_is_split_deduplicated_and_empty_entries_dropped() {
        let got = kubeconfig_paths(Some(OsStr::new(":/a/x::b/y:/a/x:")), Some(Path::new("/h")));
        assert_eq!(got, paths(&["/a/x", "b/y"]));
        // Only separators: no file at all, and no fallback to home (client-go does the same).
        assert!(kubeconfig_paths(Some(OsStr::new(":::")), Some(Path::new("/h"))).is_empty());
    }

    #[test]
    fn clean_is_lexical_like_go() {
        assert_eq!(
            clean(Path::new("/a/b/../c/./d//e")),
            PathBuf::from("/a/c/d/e")
        );
        assert_eq!(clean(Path::new("/../x")), PathBuf::from("/x"));
        assert_eq!(clean(Path::new("a/../../x")), PathBuf::from("../x"));
        assert_eq!(clean(Path::new("./")), PathBuf::from("."));
    }

    #[test]
    fn resolves_only_relative_non_empty_paths_and_slash_commands() {
        let base = Path::new("/cfg/dir");
        let mut u = NamedUser {
            user: User {
                client_certificate: Some("./c/../cert.pem".into()),
                client_key: Some("/abs/key".into()),
                token_file: Some(String::new()),
                exec: Some(Box::new(ExecConfig {
                    command: "bin/plugin".into(),
                    ..ExecConfig::default()
                })),
                ..User::default()
            },
            ..NamedUser::default()
        };
        resolve_user(&mut u, base);
        assert_eq!(
            u.user.client_certificate.as_deref(),
            Some("/cfg/dir/cert.pem")
        );
        assert_eq!(u.user.client_key.as_deref(), Some("/abs/key"));
        assert_eq!(u.user.token_file.as_deref(), Some(""));
        assert_eq!(
            u.user.exec.as_ref().map(|e| e.command.as_str()),
            Some("/cfg/dir/bin/plugin")
        );
        let mut bare = NamedUser::default();
        bare.user.exec = Some(Box::new(ExecConfig {
            command: "kubelogin".into(),
            ..ExecConfig::default()
        }));
        resolve_user(&mut bare, base);
        assert_eq!(bare.user.exec.map(|e| e.command), Some("kubelogin".into()));
    }
}
