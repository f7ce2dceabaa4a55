//! Policy discovery: without a policy named, the nearest `.kcred.yaml`,
//! `.kcred.toml` or `pyproject.toml` with a `[tool.kcred]` table, from a folder
//! upward (as ruff finds its settings); else the preset `baseline`.
//!
//! Every file is read through the input boundary (regular files only, never a
//! pseudo-file, [`super::MAX_POLICY_BYTES`] each); the walk stops at the file system
//! root and after 64 folders.

use std::path::{Path, PathBuf};

use super::syntax::parse_table;
use super::{bad, relocate, resolve, Policy, Reader};
use crate::error::{Error, Location};

/// The file names discovery looks for in each folder, in the order it takes
/// them (`pyproject.toml` only when it has a `[tool.kcred]` table).
pub const POLICY_FILE_NAMES: &[&str] = &[".kcred.yaml", ".kcred.toml", "pyproject.toml"];

/// Most folders discovery looks in, the start included.
const MAX_DEPTH: usize = 64;

/// Where the effective policy came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyOrigin {
    /// Named by the caller (`--policy`): a preset or a file.
    Given {
        /// The preset name or file path as given.
        spec: String,
    },
    /// The nearest policy file from `searched_from` upward.
    Discovered {
        /// The file (for `pyproject.toml`, its `[tool.kcred]` table).
        file: PathBuf,
        /// The folder the search started in.
        searched_from: PathBuf,
    },
    /// No policy file from `searched_from` upward: the preset `baseline`.
    Default {
        /// The folder the search started in.
        searched_from: PathBuf,
    },
}

/// The policy that applies in `start` (an absolute folder, the current one for
/// the CLI) when none is named: the first of [`POLICY_FILE_NAMES`] found in
/// `start`, then in each parent folder up to the root (at most 64 folders),
/// loaded as [`super::load_policy`] loads a file; else `baseline`.
///
/// A candidate that exists but cannot be read (a folder named `.kcred.yaml`,
/// a FIFO, a file too large) is an error, not skipped: a policy someone wrote
/// is never silently ignored. A `pyproject.toml` without `[tool.kcred]` is
/// passed over.
///
/// ```
/// let (policy, origin) = kcred_core::discover_policy("/".as_ref()).unwrap();
/// # if matches!(origin, kcred_core::PolicyOrigin::Default { .. }) {
/// assert_eq!(policy.name, "baseline");
/// # }
/// ```
pub fn discover_policy(start: &Path) -> Result<(Policy, PolicyOrigin), Error> {
    let reader = Reader::new();
    for dir in start.ancestors().take(MAX_DEPTH) {
        for name in POLICY_FILE_NAMES {
            let path = dir.join(name);
            if !crate::fs::exists(&path) {
                continue;
            }
            let policy = match *name {
                "pyproject.toml" => match pyproject(&reader, &path)? {
                    Some(policy) => policy,
                    None => continue,
                },
                _ => reader.load_file(&path, &mut Vec::new())?,
            };
            let origin = PolicyOrigin::Discovered {
                file: path,
                searched_from: start.to_path_buf(),
            };
            return Ok((policy, origin));
        }
    }
    let origin = PolicyOrigin::Default {
        searched_from: start.to_path_buf(),
    };
    Ok((Policy::default(), origin))
}

/// The policy of `[tool.kcred]` in a `pyproject.toml`, `None` without that
/// table. `version = 1` may be left out there: the table says what it is.
fn pyproject(reader: &Reader, path: &Path) -> Result<Option<Policy>, Error> {
    let (text, id) = reader.read(path, &[])?;
    let at = Location::file(path).with_entry("tool.kcred");
    let mut document: toml::Table = match toml::from_str(&text) {
        Ok(document) => document,
        Err(e) => {
            let line = e.span().and_then(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                u32::try_from(line).ok()
            });
            return Err(bad(
                &Location::file(path).with_line(line),
                "not valid TOML".to_owned(),
            ));
        }
    };
    let Some(toml::Value::Table(mut table)) = document
        .get_mut("tool")
        .and_then(|tool| tool.as_table_mut())
        .and_then(|tool| tool.remove("kcred"))
    else {
        return Ok(None);
    };
    if !table.contains_key("version") && !table.contains_key("apiVersion") {
        table.insert("version".to_owned(), toml::Value::Integer(1));
    }
    let file = parse_table(table, &text, path).map_err(|e| relocate(e, &at))?;
    let mut chain = Vec::new();
    reader
        .resolve_in(path, id, &mut chain, |extends| {
            resolve(&file, &text, path, extends)
        })
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "version: 1\nrules:\n  expiring-soon: { threshold: 14d }\n";

    /// A scratch tree `a/b/c` with `files` (path under the tree, text) written.
    fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("kcred-discover-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a/b/c")).unwrap();
        for (path, text) in files {
            std::fs::write(dir.join(path), text).unwrap();
        }
        dir
    }

    fn threshold(p: &Policy) -> Option<&str> {
        p.threshold_of(crate::policy::Code::ExpiringSoon)
    }

    #[test]
    fn nearest_file_wins_then_baseline() {
        let pyproject =
            "[project]\nname = \"x\"\n[tool.kcred.rules.expiring-soon]\nthreshold = \"3d\"\n";
        let dir = tree(
            "nearest",
            &[("a/.kcred.yaml", POLICY), ("a/b/pyproject.toml", pyproject)],
        );
        // c has nothing: b's pyproject is the nearest.
        let (p, origin) = discover_policy(&dir.join("a/b/c")).unwrap();
        assert_eq!(threshold(&p), Some("3d"));
        assert!(
            matches!(origin, PolicyOrigin::Discovered { file, .. } if file == dir.join("a/b/pyproject.toml"))
        );
        // A pyproject.toml without [tool.kcred] is passed over.
        std::fs::write(dir.join("a/b/pyproject.toml"), "[project]\nname = \"x\"\n").unwrap();
        let (p, origin) = discover_policy(&dir.join("a/b/c")).unwrap();
        assert_eq!(threshold(&p), Some("14d"));
        assert!(
            matches!(origin, PolicyOrigin::Discovered { file, .. } if file == dir.join("a/.kcred.yaml"))
        );
        // In one folder .kcred.yaml comes before .kcred.toml.
        std::fs::write(dir.join("a/.kcred.toml"), "version = 1\n").unwrap();
        let (p, _) = discover_policy(&dir.join("a")).unwrap();
        assert_eq!(threshold(&p), Some("14d"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unreadable_or_bad_candidates_are_errors() {
        let dir = tree("bad", &[]);
        std::fs::create_dir(dir.join("a/.kcred.yaml")).unwrap();
        let err = discover_policy(&dir.join("a/b")).unwrap_err();
        assert!(matches!(err, Error::NotRegularFile { .. }), "{err:?}");
        std::fs::remove_dir(dir.join("a/.kcred.yaml")).unwrap();
        std::fs::write(dir.join("a/b/pyproject.toml"), "[tool.kcred]\nrulez = {}\n").unwrap();
        let err = discover_policy(&dir.join("a/b")).unwrap_err().to_string();
        assert!(
            err.contains("pyproject.toml") && err.contains("tool.kcred") && err.contains("rulez"),
            "{err}"
        );
        std::fs::write(dir.join("a/b/pyproject.toml"), "[tool.kcred\n").unwrap();
        let err = discover_policy(&dir.join("a/b")).unwrap_err().to_string();
        assert!(
            err.contains("not valid TOML") && err.contains("line 1"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn extends_in_pyproject_is_read_beside_it() {
        let extends = "[tool.kcred]\nextends = \"base.yaml\"\n";
        let dir = tree(
            "extends",
            &[("a/base.yaml", POLICY), ("a/pyproject.toml", extends)],
        );
        let (p, _) = discover_policy(&dir.join("a/b")).unwrap();
        assert_eq!(threshold(&p), Some("14d"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
