//! Reading one kubeconfig: bytes to model (YAML or JSON), with input limits,
//! entry origins and per-file checks; reading referenced files with a size cap.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::model::{Kubeconfig, Origin};
use super::{json, paths, yaml, Limits};
use crate::error::{Error, Location};
use crate::fs::Budget;

/// The result of loading: the config (possibly partial) and every problem found.
///
/// Loading never panics and never stops at the first problem: a duplicate name
/// keeps the first entry, a file that does not parse leaves the others loaded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded {
    /// The config: merged, with relative paths resolved when read from files.
    pub config: Kubeconfig,
    /// The files actually read, in order.
    pub files: Vec<PathBuf>,
    /// Every problem found, in the order found.
    pub problems: Vec<Error>,
    /// The `# kcred: ignore[...]` comments of the YAML text
    /// ([`crate::inline_suppressions`]).
    pub suppressions: Vec<crate::policy::Suppression>,
}

/// Parses a kubeconfig from bytes: YAML, or JSON when the first non-blank
/// character is `{`.
///
/// UTF-8 with or without a byte-order mark is accepted, and UTF-16 with a
/// byte-order mark is decoded; empty or blank input is an empty config. No file
/// system access and no path resolution: `source` only names the input in
/// [`Location`]s and [`Origin`]s. Entries get the 1-based line of their list
/// item as origin for YAML input (`None` for JSON input). A name defined twice
/// in one list is reported as [`Error::DuplicateName`] and the first entry kept.
/// Errors never quote the input.
///
/// ```
/// use std::path::Path;
/// use kcred_core::{parse_kubeconfig, Limits};
///
/// let yaml = b"users:\n- name: admin\n  user:\n    token: CANARY-1\ncurrent-context: dev\n";
/// let loaded = parse_kubeconfig(yaml, Path::new("mem.yaml"), &Limits::default());
/// assert!(loaded.problems.is_empty());
/// let admin = loaded.config.user("admin").unwrap();
/// assert_eq!(admin.origin.line, Some(2));
/// assert_eq!(loaded.config.current_context.as_deref(), Some("dev"));
/// ```
pub fn parse_kubeconfig(bytes: &[u8], source: &Path, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    let at = Location::file(source);
    let text = match decode_text(bytes) {
        Some(text) => text,
        None => {
            loaded.problems.push(Error::NotUtf8 { at });
            return loaded;
        }
    };
    let trimmed = text.trim_start();
    let parsed = if trimmed.is_empty() {
        Ok((Kubeconfig::default(), None))
    } else if trimmed.starts_with('{') {
        json::parse_json(&text, source, limits).map(|config| (config, None))
    } else {
        let (suppressions, problems) = crate::policy::inline_suppressions(&text, source);
        loaded.suppressions = suppressions;
        loaded.problems.extend(problems);
        yaml::parse_yaml(&text, source, limits)
    };
    match parsed {
        Ok((parsed, ignored)) => {
            if let Some(reason) = not_a_kubeconfig(&parsed) {
                loaded.problems.push(Error::Syntax { at, reason });
            }
            let (config, problems) = set_origins(parsed, source);
            loaded.config = config;
            loaded.problems.extend(ignored);
            loaded.problems.extend(problems);
        }
        Err(err) => loaded.problems.push(err),
    }
    loaded
}

/// Reads one kubeconfig file and resolves its relative paths against the file's
/// folder (as client-go's `ResolveLocalPaths`).
///
/// The file must exist: a missing file is an [`Error::Io`] in `problems`.
///
/// ```no_run
/// use std::path::Path;
/// use kcred_core::{load_file, Limits};
///
/// let loaded = load_file(Path::new("/home/ann/.kube/config"), &Limits::default());
/// for problem in &loaded.problems {
///     eprintln!("{problem}");
/// }
/// ```
pub fn load_file(path: &Path, limits: &Limits) -> Loaded {
    load_file_within(path, limits, &Budget::new(limits))
}

/// [`load_file`], the bytes charged to a run's budget.
pub(crate) fn load_file_within(path: &Path, limits: &Limits, budget: &Budget) -> Loaded {
    let at = Location::file(path);
    let bytes = match budget.read(path, limits, &at) {
        Ok(read) => read.bytes,
        Err(err) => {
            return Loaded {
                problems: vec![err],
                ..Loaded::default()
            }
        }
    };
    parse_file_bytes(&bytes, path, limits)
}

/// What [`load_file`] does once the bytes are read: parse, record the file,
/// and resolve relative paths against the file's folder (no reading).
pub(crate) fn parse_file_bytes(bytes: &[u8], path: &Path, limits: &Limits) -> Loaded {
    let at = Location::file(path);
    let mut loaded = parse_kubeconfig(bytes, path, limits);
    loaded.files.push(path.to_path_buf());
    match paths::base_dir(path) {
        Ok(base) => {
            for cluster in &mut loaded.config.clusters {
                paths::resolve_cluster(cluster, &base);
            }
            for user in &mut loaded.config.users {
                paths::resolve_user(user, &base);
            }
        }
        Err(err) => loaded.problems.push(Error::Io {
            at,
            reason: format!("cannot make the folder absolute: {err}"),
        }),
    }
    loaded
}

pub use crate::fs::read_limited;

/// Whether reading `path` failed because it does not exist (client-go skips
/// such files in a KUBECONFIG list).
pub(crate) fn is_not_found(path: &Path) -> bool {
    crate::fs::is_not_found(path)
}

/// Kinds of documents mistaken for a kubeconfig, as the problem names them.
const OTHER_KINDS: &[(&str, &str)] = &[
    ("ExecCredential", "an ExecCredential"),
    ("Secret", "a Secret"),
    ("ConfigMap", "a ConfigMap"),
    ("ServiceAccount", "a ServiceAccount"),
];

/// Why a document that parsed is not a kubeconfig: no users, clusters or
/// contexts, and either another `kind` or only keys a kubeconfig does not
/// have; `None` for a kubeconfig, even an empty one.
fn not_a_kubeconfig(config: &Kubeconfig) -> Option<String> {
    if !(config.users.is_empty() && config.clusters.is_empty() && config.contexts.is_empty()) {
        return None;
    }
    let none = "no users, clusters or contexts";
    match config.kind.as_deref() {
        Some("Config") => None,
        Some(kind) => Some(match OTHER_KINDS.iter().find(|(k, _)| *k == kind) {
            Some((_, what)) => format!("{none}: {what}"),
            None => format!("{none}: a document of another kind"),
        }),
        None if config.api_version.is_none()
            && config.current_context.is_none()
            && !config.extras.other.is_empty() =>
        {
            Some(format!("{none}: only keys a kubeconfig does not have"))
        }
        None => None,
    }
}

/// UTF-8 (BOM stripped) or UTF-16 with a BOM; `None` when neither.
pub(crate) fn decode_text(bytes: &[u8]) -> Option<String> {
    let utf16 = |rest: &[u8], big_endian: bool| -> Option<String> {
        let units = rest.chunks(2).map(|pair| match pair {
            [a, b] if big_endian => Some(u16::from_be_bytes([*a, *b])),
            [a, b] => Some(u16::from_le_bytes([*a, *b])),
            _ => None,
        });
        let units: Option<Vec<u16>> = units.collect();
        char::decode_utf16(units?)
            .collect::<Result<String, _>>()
            .ok()
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).ok(),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        _ => String::from_utf8(bytes.to_vec()).ok(),
    }
}

/// The per-file checks of one file's config as parsed (entries carry their
/// line in `origin.line`): sets each entry's file and drops (reporting) entries
/// whose name is already taken, in place: a 100,000-user file is never held twice.
fn set_origins(mut config: Kubeconfig, source: &Path) -> (Kubeconfig, Vec<Error>) {
    let mut problems = Vec::new();
    if config.current_context.is_some() {
        config.current_context_file = Some(source.to_path_buf());
    }
    dedup(
        &mut config.clusters,
        source,
        "cluster",
        "clusters",
        &mut problems,
        |c| (&c.name, &mut c.origin),
    );
    dedup(
        &mut config.users,
        source,
        "user",
        "users",
        &mut problems,
        |u| (&u.name, &mut u.origin),
    );
    dedup(
        &mut config.contexts,
        source,
        "context",
        "contexts",
        &mut problems,
        |c| (&c.name, &mut c.origin),
    );
    (config, problems)
}

fn dedup<T>(
    entries: &mut Vec<T>,
    source: &Path,
    kind: &'static str,
    list: &str,
    problems: &mut Vec<Error>,
    parts: impl Fn(&mut T) -> (&String, &mut Origin),
) {
    let mut seen: HashSet<String> = HashSet::new();
    entries.retain_mut(|entry| {
        let (name, origin) = parts(entry);
        if !seen.insert(name.clone()) {
            problems.push(Error::DuplicateName {
                at: Location::file(source)
                    .with_entry(format!("{list}[{name}]"))
                    .with_line(origin.line),
                kind: kind.into(),
                name: name.clone(),
            });
            return false;
        }
        origin.file = source.to_path_buf();
        true
    });
}

#[cfg(test)]
mod tests;
