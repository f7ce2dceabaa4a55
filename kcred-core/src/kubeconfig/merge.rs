//! The KUBECONFIG merge, as client-go's `ClientConfigLoadingRules.Load` does it.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::error::Error;
use crate::fs::Budget;
use crate::kubeconfig::load::{is_not_found, load_file_within, Loaded};
use crate::kubeconfig::model::Kubeconfig;
use crate::kubeconfig::Limits;

/// Loads and merges a list of kubeconfig files with KUBECONFIG semantics.
///
/// - Empty paths are skipped; missing files are skipped silently, and
///   [`Error::NoKubeconfig`] is reported only when the list names files and
///   every one of them is missing.
/// - A file that cannot be read or parsed is reported in `problems`; the other
///   files still load.
/// - The first file to define a cluster, user or context name wins with its
///   whole entry (fields are never merged across files); so do top-level
///   `extensions` (by name) and unknown top-level keys.
/// - `current-context`, `apiVersion` and `kind` take the first non-empty value;
///   `preferences` too, key by key (`colors` is true if any file says so,
///   preference `extensions` are united by name).
/// - Relative paths are resolved against the folder of the file that defined
///   the entry, and each entry's [`Origin`](crate::Origin) names that file.
///
/// ```no_run
/// use std::path::PathBuf;
/// use kcred_core::{kubeconfig_paths, load_merged, Limits};
///
/// let env = std::env::var_os("KUBECONFIG");
/// let home = std::env::var_os("HOME").map(PathBuf::from);
/// let paths = kubeconfig_paths(env.as_deref(), home.as_deref());
/// let loaded = load_merged(&paths, &Limits::default());
/// println!("{} users from {} files", loaded.config.users.len(), loaded.files.len());
/// ```
pub fn load_merged(paths: &[PathBuf], limits: &Limits) -> Loaded {
    let mut merged = Loaded::default();
    let mut missing = Vec::new();
    let mut named = 0usize;
    let budget = Budget::new(limits);
    for path in paths {
        if path.as_os_str().is_empty() {
            continue;
        }
        named += 1;
        if is_not_found(path) {
            missing.push(path.clone());
            continue;
        }
        let one = load_file_within(path, limits, &budget);
        merged.files.extend(one.files);
        merged.problems.extend(one.problems);
        merged.suppressions.extend(one.suppressions);
        merge_into(&mut merged.config, one.config);
    }
    if named > 0 && missing.len() == named {
        merged
            .problems
            .push(Error::NoKubeconfig { looked_at: missing });
    }
    merged
}

/// Adds `next` (a later file) under `acc`: earlier definitions win.
fn merge_into(acc: &mut Kubeconfig, next: Kubeconfig) {
    fn first_wins<T>(acc: &mut Vec<T>, mut next: Vec<T>, name: impl Fn(&T) -> &str) {
        if acc.is_empty() {
            // The first file: its list as it is, never copied.
            *acc = next;
            return;
        }
        let taken: HashSet<&str> = acc.iter().map(&name).collect();
        next.retain(|e| !taken.contains(name(e)));
        drop(taken);
        acc.append(&mut next);
    }
    first_wins(&mut acc.clusters, next.clusters, |c| &c.name);
    first_wins(&mut acc.users, next.users, |u| &u.name);
    first_wins(&mut acc.contexts, next.contexts, |c| &c.name);

    let taken: HashSet<Option<String>> = acc.extras.extensions.iter().map(extension_name).collect();
    acc.extras.extensions.extend(
        next.extras
            .extensions
            .into_iter()
            .filter(|e| !taken.contains(&extension_name(e))),
    );
    for (key, value) in next.extras.other {
        acc.extras.other.entry(key).or_insert(value);
    }

    let non_empty = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.is_empty());
    if !non_empty(&acc.current_context) && non_empty(&next.current_context) {
        acc.current_context = next.current_context;
        acc.current_context_file = next.current_context_file;
    }
    if !non_empty(&acc.api_version) && non_empty(&next.api_version) {
        acc.api_version = next.api_version;
    }
    if !non_empty(&acc.kind) && non_empty(&next.kind) {
        acc.kind = next.kind;
    }
    merge_preferences(&mut acc.preferences, next.preferences);
}

/// `preferences` merge key by key like client-go's mergo pass: the first
/// non-empty value of each key wins, `colors` is true if any file says so, and
/// `extensions` are united by name, first wins.
fn merge_preferences(acc: &mut serde_json::Value, next: serde_json::Value) {
    use serde_json::Value;
    let is_empty = |v: &Value| match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        Value::Number(_) | Value::Bool(true) => false,
    };
    let Value::Object(next) = next else {
        if is_empty(acc) && !is_empty(&next) {
            *acc = next;
        }
        return;
    };
    if acc.is_null() {
        *acc = Value::Object(serde_json::Map::new());
    }
    let Value::Object(acc) = acc else {
        return;
    };
    for (key, value) in next {
        match (acc.get_mut(&key), value) {
            (Some(Value::Array(mine)), Value::Array(theirs)) if key == "extensions" => {
                let taken: HashSet<Option<String>> = mine.iter().map(extension_name).collect();
                mine.extend(
                    theirs
                        .into_iter()
                        .filter(|e| !taken.contains(&extension_name(e))),
                );
            }
            (Some(mine), value) => {
                if is_empty(mine) && !is_empty(&value) {
                    *mine = value;
                }
            }
            (None, value) => {
                acc.insert(key, value);
            }
        }
    }
}

fn extension_name(ext: &serde_json::Value) -> Option<String> {
    ext.get("name").and_then(|n| n.as_str()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TempDir;

    #[test]
    fn first_definition_wins_whole_and_current_context_first_non_empty() {
        let d = TempDir::new("first");
        let a = d.write(
            "a",
            "users:\n- name: u\n  user: {token: a}\ncurrent-context: \"\"\n",
        );
        let b = d.write("b", "users:\n- name: u\n  user: {username: b}\n- name: v\n  user: {}\ncurrent-context: ctx-b\n");
        let l = load_merged(
            &[a.clone(), PathBuf::new(), d.join("missing"), b.clone()],
            &Limits::default(),
        );
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.files, [a.clone(), b.clone()]);
        let u = l.config.user("u").unwrap();
        assert_eq!(u.user.username, None);
        assert_eq!(u.origin.file, a);
        assert_eq!(l.config.user("v").unwrap().origin.file, b);
        assert_eq!(l.config.current_context.as_deref(), Some("ctx-b"));
    }

    #[test]
    fn a_broken_file_does_not_stop_the_others() {
        let d = TempDir::new("broken");
        let a = d.write("a", "users: [\n");
        let b = d.write("b", "users:\n- name: v\n  user: {}\n");
        let l = load_merged(&[a, b], &Limits::default());
        assert_eq!(l.problems.len(), 1);
        assert_eq!(l.problems[0].kind(), "syntax");
        assert!(l.config.user("v").is_some());
    }

    #[test]
    fn all_missing_is_no_kubeconfig() {
        let d = TempDir::new("missing");
        let paths = [d.join("x"), d.join("y")];
        let l = load_merged(&paths, &Limits::default());
        assert_eq!(
            l.problems,
            [Error::NoKubeconfig {
                looked_at: paths.to_vec()
            }]
        );
        assert!(load_merged(&[], &Limits::default()).problems.is_empty());
    }
}
