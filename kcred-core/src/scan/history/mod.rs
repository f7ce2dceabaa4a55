//! `kcred scan --history`: every blob reachable from a repository's refs,
//! each distinct blob scanned once by [`scan_bytes`](super::scan_bytes) (the
//! work tree's per-file scan), each distinct credential reported once with
//! every place it appears (commit, path) and whether it is still in `HEAD`.
//!
//! The objects are read by an own, read-only git reader (`repo`, `pack`,
//! `object`): refs, loose objects, packs with `.idx` v2 and their deltas,
//! commits and trees. A repository can be hostile, so everything is bounded
//! ([`HistoryLimits`]): object and delta sizes, delta chain depth, commits,
//! trees and blobs visited, tree depth, path length, bytes read. History
//! cycles stop at a visited set. A bad object is a typed error naming the
//! repository and the object; the rest of the history still scans, and what
//! could not be examined is in the report's problems (never silence).

mod object;
mod pack;
mod render;
mod repo;
#[cfg(test)]
mod tests;
mod walk;

pub use object::{
    apply_delta, inflate, parse_commit, parse_loose, parse_tag, parse_tree, Commit, EntryKind,
    Object, ObjectId, ObjectKind, TreeEntry,
};
pub use pack::{ObjectLimits, Pack, PackIndex};
pub use render::{
    history_json, history_sarif, history_table, write_history_json, write_history_sarif,
};

use std::path::Path;

use serde::Serialize;

use super::ScanReport;
use crate::error::{Error, Location};
use crate::kubeconfig::Limits;

/// Bounds of a history scan; a bound reached is an
/// [`Error::LimitReached`] in the report, and what it left out is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLimits {
    /// Largest object, inflated or built by deltas. Default: 64 MiB. Blobs
    /// are also held to [`Limits::max_file_bytes`], as work-tree files are.
    pub max_object_bytes: usize,
    /// Longest delta chain. Default: 256 (git's own default depth is 50).
    pub max_delta_depth: usize,
    /// Commits visited. Default: 1,000,000.
    pub max_commits: usize,
    /// Trees read (each distinct tree at each path once). Default: 10,000,000.
    pub max_trees: usize,
    /// Distinct blobs scanned. Default: 5,000,000.
    pub max_blobs: usize,
    /// Deepest folder nesting. Default: 256.
    pub max_tree_depth: usize,
    /// Longest path in a tree, in bytes. Default: 4,096.
    pub max_path_bytes: usize,
    /// Bytes read from the repository's files (packs, loose objects, refs).
    /// Default: 4 GiB.
    pub max_read_bytes: u64,
}

impl Default for HistoryLimits {
    fn default() -> Self {
        HistoryLimits {
            max_object_bytes: 64 << 20,
            max_delta_depth: 256,
            max_commits: 1_000_000,
            max_trees: 10_000_000,
            max_blobs: 5_000_000,
            max_tree_depth: 256,
            max_path_bytes: super::MAX_INDEX_PATH,
            max_read_bytes: 4 << 30,
        }
    }
}

/// What to scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryOptions {
    /// Only commits that `since` cannot reach (git's `since..refs`), and of
    /// those only the blobs their parents outside that range do not hold:
    /// what the range introduced. A full commit id, a ref name, or an
    /// unambiguous prefix of at least 4 digits.
    pub since: Option<String>,
    /// Bounds.
    pub limits: HistoryLimits,
}

/// One place a credential's blob appears: the commit that first holds the
/// blob at that path (history is walked oldest first), and the path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Place {
    /// The commit id, 40 hex digits.
    pub commit: String,
    /// The path in that commit's tree (`/`-separated; not UTF-8 replaced).
    pub path: String,
    /// Whether `HEAD` holds this blob at this path.
    pub in_head: bool,
}

/// Where one credential of the report appears in history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryCredential {
    /// The record's location in the report (`<path>@<commit>` as its file).
    pub location: Location,
    /// Every place, oldest commit first.
    pub places: Vec<Place>,
    /// Whether `HEAD` still holds one of the blobs it is in.
    pub in_head: bool,
    /// For a certificate paired with a private key of another blob (the key
    /// committed in another file or commit): where that key appears, and
    /// whether `HEAD` still holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Box<HistoryCredential>>,
}

/// What a history scan found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoryReport {
    /// The findings as a scan report (so policies and renderers apply): one
    /// record per distinct credential at its first place, its file written
    /// `<repo>/<path>@<12-digit commit>`; problems include the objects and
    /// refs that could not be examined. `files_scanned` counts blobs.
    pub scan: ScanReport,
    /// Where each credential of `scan` appears, in the order of `scan`'s
    /// records: sorted by file, as [`scan_history`] and [`Self::extend`] leave
    /// them ([`Self::places_of`] searches by halves).
    pub credentials: Vec<HistoryCredential>,
    /// Where each private key no certificate holds the public key of appears,
    /// in the order of `scan.private_keys` (rule KC502); sorted by file too.
    pub keys: Vec<HistoryCredential>,
    /// Commits examined.
    pub commits: usize,
    /// Distinct blobs examined (scanned or skipped as binary or too large).
    pub blobs: usize,
    /// Bytes of blob content scanned.
    pub blob_bytes: u64,
}

impl HistoryReport {
    /// Adds another repository's report (`kcred scan --history A B`), records
    /// and their places kept side by side in file order.
    pub fn extend(&mut self, other: HistoryReport) {
        merge_by_file(
            (&mut self.scan.inventory.credentials, &mut self.credentials),
            (other.scan.inventory.credentials, other.credentials),
        );
        merge_by_file(
            (&mut self.scan.private_keys, &mut self.keys),
            (other.scan.private_keys, other.keys),
        );
        let s = &mut self.scan;
        s.inventory.problems.extend(other.scan.inventory.problems);
        s.inventory.clusters.extend(other.scan.inventory.clusters);
        s.skipped.extend(other.scan.skipped);
        s.unreadable.extend(other.scan.unreadable);
        s.files_scanned += other.scan.files_scanned;
        self.commits += other.commits;
        self.blobs += other.blobs;
        self.blob_bytes += other.blob_bytes;
    }

    /// Where the record at `location` appears, if it came from history.
    pub fn places_of(&self, location: &Location) -> Option<&HistoryCredential> {
        same_file(&self.credentials, &location.file)
            .iter()
            .find(|c| c.location == *location)
    }

    /// The history entry for a finding's file (`<path>@<commit>`): the first
    /// credential whose record has that file, else the first private key
    /// left alone there.
    pub fn places_of_file(&self, file: &Path) -> Option<&HistoryCredential> {
        same_file(&self.credentials, file)
            .first()
            .or_else(|| same_file(&self.keys, file).first())
    }
}

/// The entries of `list` (sorted by file) whose file is `file`, in order:
/// found by halves, so a report of many credentials renders in n log n.
fn same_file<'a>(list: &'a [HistoryCredential], file: &Path) -> &'a [HistoryCredential] {
    let start = list.partition_point(|c| c.location.file.as_path() < file);
    let len = list[start..].partition_point(|c| c.location.file.as_path() == file);
    &list[start..start + len]
}

/// Appends `other`'s items and their histories to `mine`, both kept side by
/// side and sorted by the history's file (stable: one repository's order
/// within a file is kept).
fn merge_by_file<T>(
    mine: (&mut Vec<T>, &mut Vec<HistoryCredential>),
    other: (Vec<T>, Vec<HistoryCredential>),
) {
    let items = std::mem::take(mine.0).into_iter().chain(other.0);
    let places = std::mem::take(mine.1).into_iter().chain(other.1);
    let mut pairs: Vec<(T, HistoryCredential)> = items.zip(places).collect();
    pairs.sort_by(|a, b| a.1.location.file.cmp(&b.1.location.file));
    for (item, history) in pairs {
        mine.0.push(item);
        mine.1.push(history);
    }
}

/// Scans the history of the repository at `repo` (a work tree holding `.git`,
/// a linked worktree, or a bare repository). `Err` only when `repo` is not a
/// repository or `since` names nothing; a bad object, a missing parent or a
/// limit reached is a problem in the report and the rest still scans.
///
/// Scanning does not depend on the time; [`crate::evaluate_scan`] on
/// `report.scan` takes `now`.
///
/// ```
/// use kcred_core::{scan_history, HistoryOptions, Limits};
/// let err = scan_history(std::path::Path::new("/nonexistent"), &HistoryOptions::default(), &Limits::default());
/// assert!(err.is_err());
/// ```
pub fn scan_history(
    repo: &Path,
    options: &HistoryOptions,
    limits: &Limits,
) -> Result<HistoryReport, Error> {
    walk::scan(repo, options, limits)
}

#[cfg(test)]
mod index_tests {
    use super::*;
    use crate::scan::PrivateKey;

    fn entry(file: &str, line: u32) -> HistoryCredential {
        HistoryCredential {
            location: Location::file(file).with_line(Some(line)),
            places: Vec::new(),
            in_head: line % 2 == 0,
            key: None,
        }
    }

    /// A report of keys alone at `files`, two per file, as a walk leaves it.
    fn report(files: &[String]) -> HistoryReport {
        let mut r = HistoryReport::default();
        for f in files {
            for line in [1, 2] {
                r.keys.push(entry(f, line));
                r.scan.private_keys.push(PrivateKey {
                    location: Location::file(f).with_line(Some(line)),
                    label: "PRIVATE KEY".to_owned(),
                    fingerprint: [0; 32],
                });
            }
        }
        r
    }

    #[test]
    fn lookups_by_halves_find_what_a_linear_search_finds() {
        let names = |from: usize| -> Vec<String> {
            (from..2000)
                .step_by(2)
                .map(|i| format!("r/f{i:05}@abc"))
                .collect()
        };
        // Two repositories with interleaved files, merged as `scan --history A B` does.
        let mut merged = HistoryReport::default();
        merged.extend(report(&names(1)));
        merged.extend(report(&names(0)));
        assert_eq!(merged.keys.len(), 4000);
        for (k, h) in merged.scan.private_keys.iter().zip(&merged.keys) {
            assert_eq!(k.location, h.location, "keys and their places stay aligned");
        }
        merged.credentials = merged.keys.iter().step_by(3).cloned().collect();
        for i in 0..2001 {
            let file = std::path::PathBuf::from(format!("r/f{i:05}@abc"));
            let linear = merged
                .credentials
                .iter()
                .chain(&merged.keys)
                .find(|c| c.location.file == file);
            assert_eq!(merged.places_of_file(&file), linear, "{file:?}");
            for line in [1, 2, 3] {
                let at = Location::file(&file).with_line(Some(line));
                let linear = merged.credentials.iter().find(|c| c.location == at);
                assert_eq!(merged.places_of(&at), linear, "{at:?}");
            }
        }
    }
}
