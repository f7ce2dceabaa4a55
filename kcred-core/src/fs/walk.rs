//! The walk of `kcred scan` (the `ignore` crate: .gitignore rules, no symlink
//! loops, parallel): reads each file with the size cap and hands it to
//! [`scan_path`]. Ignore rules never hide a tracked file: git's own index (read
//! by [`parse_git_index`], never by running git) decides what is tracked. No
//! detection logic lives here.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};

use crate::error::{Error, Location};
use crate::kubeconfig::{read_limited, Limits};
use crate::scan::{
    name_marker, parse_git_index, scan_path, FileScan, ScanReport, SkipReason, GITLINK_MODE,
};

/// The largest `.git/index` read (big monorepos have indexes of tens of MiB).
const MAX_INDEX_BYTES: u64 = 128 * 1024 * 1024;

/// The most git work trees (the scanned ones and their submodules) whose index is read.
const MAX_REPOS: usize = 10_000;

/// How [`scan_tree`] walks (the options of `kcred scan`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WalkOptions {
    /// Worker threads (at least one is used).
    pub threads: usize,
    /// Follow symbolic links (only to folders inside the scanned trees).
    pub follow_links: bool,
    /// Scan what `.gitignore` and `.ignore` exclude too.
    pub no_ignore: bool,
}

impl Default for WalkOptions {
    /// One thread, links not followed, ignore rules applied.
    fn default() -> Self {
        WalkOptions {
            threads: 1,
            follow_links: false,
            no_ignore: false,
        }
    }
}

/// A path given to [`scan_tree`] that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingPath(pub PathBuf);

impl std::fmt::Display for MissingPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} does not exist", self.0.display())
    }
}

impl std::error::Error for MissingPath {}

/// What the walks share: the report, the files already handled (so the pass
/// over tracked files and a fail-open walk scan each file once), the work trees
/// whose `.git` a walk passed, and (with `--follow-links`) the directories
/// already entered.
struct Shared<'a> {
    args: &'a WalkOptions,
    limits: &'a Limits,
    report: Mutex<ScanReport>,
    visited: Mutex<HashSet<PathBuf>>,
    repos: Arc<Mutex<Vec<PathBuf>>>,
    dirs_entered: Arc<Mutex<HashSet<(u64, u64)>>>,
}

impl Shared<'_> {
    fn record(&self, outcome: FileScan) {
        if let Ok(mut r) = self.report.lock() {
            r.add_file(outcome);
        }
    }

    /// Whether `path` is new (and marks it handled).
    fn first_visit(&self, path: &Path) -> bool {
        self.visited
            .lock()
            .map(|mut v| v.insert(path.to_path_buf()))
            .unwrap_or(true)
    }

    fn visited(&self, path: &Path) -> bool {
        self.visited.lock().is_ok_and(|v| v.contains(path))
    }
}

/// `kcred scan .` reports `manifests/x.yaml`, as code scanning wants.
fn shown(path: &Path) -> &Path {
    path.strip_prefix("./").unwrap_or(path)
}

/// (device, inode) of a directory, to enter each once when links are followed:
/// links can make a tree a graph with exponentially many paths and no loop.
#[cfg(unix)]
fn dir_id(entry: &ignore::DirEntry) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    entry.metadata().ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_id(_entry: &ignore::DirEntry) -> Option<(u64, u64)> {
    None
}

/// Walks `roots` in parallel and scans every file not handled yet; ignore rules
/// apply when `apply_ignore` (and `--no-ignore` is not given).
fn walk_tree(shared: &Shared<'_>, roots: &[PathBuf], apply_ignore: bool) {
    let args = shared.args;
    let Some((first, rest)) = roots.split_first() else {
        return;
    };
    let mut builder = WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    let threads = args.threads.max(1);
    let ignore = apply_ignore && !args.no_ignore;
    let follow = args.follow_links;
    let repos = Arc::clone(&shared.repos);
    let dirs_entered = Arc::clone(&shared.dirs_entered);
    // With --follow-links, a link is followed only to a folder inside the
    // scanned trees: a planted link to `/proc` or `/` would walk the machine.
    let inside: Vec<PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect();
    let outside: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let outside_seen = Arc::clone(&outside);
    builder
        .hidden(false) // .env, .kube/config: hidden files are where credentials hide
        .follow_links(follow)
        .require_git(false) // an exported tree's .gitignore still counts
        .git_ignore(ignore)
        .git_exclude(ignore)
        .git_global(false) // the scanning user's global excludes are not the repo's
        .ignore(ignore)
        .parents(ignore)
        .threads(threads)
        .filter_entry(move |e| {
            if e.file_name() == ".git" {
                if let Some(parent) = e.path().parent() {
                    if let Ok(mut repos) = repos.lock() {
                        repos.push(parent.to_path_buf());
                    }
                }
                return false;
            }
            if follow && e.path_is_symlink() && e.file_type().is_some_and(|t| t.is_dir()) {
                let real = std::fs::canonicalize(e.path()).ok();
                if !real.is_some_and(|real| inside.iter().any(|root| real.starts_with(root))) {
                    if let Ok(mut outside) = outside_seen.lock() {
                        outside.push(e.path().to_path_buf());
                    }
                    return false;
                }
            }
            if follow && e.file_type().is_some_and(|t| t.is_dir()) {
                if let (Some(id), Ok(mut seen)) = (dir_id(e), dirs_entered.lock()) {
                    return seen.insert(id);
                }
            }
            true
        });
    builder.build_parallel().run(|| {
        Box::new(move |entry| {
            let outcome = match entry {
                Ok(entry) => {
                    let path = entry.path();
                    match entry.file_type() {
                        Some(t) if t.is_file() => shared
                            .first_visit(path)
                            .then(|| scan_path(shown(path), shared.limits)),
                        // Folders are walked; links not followed are skipped, as git stores them.
                        Some(t) if t.is_dir() || t.is_symlink() => None,
                        // A FIFO, socket or device: never opened (reading could block).
                        _ => shared.first_visit(path).then(|| {
                            FileScan::skipped(shown(path), SkipReason::NotRegularFile, None)
                        }),
                    }
                }
                // A symbolic link loop, a folder that vanished, no permission: noted,
                // and a finding when the name says credential.
                Err(err) => {
                    let file = error_path(&err).unwrap_or_default();
                    let gone = err
                        .io_error()
                        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound);
                    let marker = if is_loop(&err) || gone {
                        None
                    } else {
                        name_marker(&file)
                    };
                    let detail = error_text(&err);
                    Some(FileScan::skipped(
                        shown(&file),
                        SkipReason::Unreadable { detail },
                        marker,
                    ))
                }
            };
            if let Some(outcome) = outcome {
                shared.record(outcome);
            }
            WalkState::Continue
        })
    });
    let outside = outside.lock().map(|mut o| std::mem::take(&mut *o));
    for link in outside.unwrap_or_default() {
        if shared.first_visit(&link) {
            let detail = "a symbolic link to a folder outside the scanned tree (not followed)";
            shared.record(FileScan::skipped(
                shown(&link),
                SkipReason::Unreadable {
                    detail: detail.to_owned(),
                },
                None,
            ));
        }
    }
}

/// Where a work tree's index is, if it has one kcred may read.
enum IndexAt {
    /// No `.git` here.
    None,
    /// `.git/index` (or the index in the `gitdir` a `.git` file names).
    At(PathBuf),
    /// A `.git` that cannot be used: noted; `fail_open` when ignore rules must
    /// then not be applied (it is malformed, not merely out of reach).
    Unusable {
        dot_git: PathBuf,
        reason: SkipReason,
        fail_open: bool,
    },
}

/// Finds the index of the work tree `dir`. A `.git` file (worktrees,
/// submodules: `gitdir: PATH`) or link is followed only to a folder inside the
/// scanned tree (`inside`, canonical): kcred reads nothing outside what it was
/// asked to scan.
fn locate_index(dir: &Path, inside: &[PathBuf]) -> IndexAt {
    let dot_git = dir.join(".git");
    let Ok(meta) = std::fs::symlink_metadata(&dot_git) else {
        return IndexAt::None;
    };
    if meta.is_dir() {
        return IndexAt::At(dot_git.join("index"));
    }
    let unusable = |reason, fail_open| IndexAt::Unusable {
        dot_git: dot_git.clone(),
        reason,
        fail_open,
    };
    let malformed = |reason: String| {
        unusable(
            SkipReason::GitIndexMalformed {
                problem: Box::new(Error::BadDocument {
                    at: Location::file(shown(&dot_git)),
                    what: "git file".into(),
                    reason,
                }),
            },
            true,
        )
    };
    let target = if meta.is_file() {
        let small = Limits {
            max_file_bytes: 64 * 1024,
            ..Limits::default()
        };
        let text = match read_limited(&dot_git, &small, &Location::file(&dot_git)) {
            Ok(bytes) => String::from_utf8(bytes).unwrap_or_default(),
            Err(e) => return malformed(e.kind().to_owned()),
        };
        let Some(gitdir) = text.lines().find_map(|l| l.strip_prefix("gitdir:")) else {
            return malformed("no gitdir: line".to_owned());
        };
        dir.join(gitdir.trim())
    } else {
        dot_git.clone() // a symbolic link: where it points
    };
    let Ok(real) = std::fs::canonicalize(&target) else {
        return malformed("its gitdir does not exist".to_owned());
    };
    if !inside.iter().any(|root| real.starts_with(root)) {
        let detail = format!(
            "{} points to {}, outside the scanned tree",
            shown(&dot_git).display(),
            real.display()
        );
        return unusable(SkipReason::GitIndexNotRead { detail }, false);
    }
    IndexAt::At(real.join("index"))
}

#[cfg(unix)]
fn index_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn index_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Scans one tracked file the walk did not reach (ignore rules matched it or a
/// folder above it). Links, in the path or at its end, are followed only with
/// `--follow-links`, as in the walk; a path no longer in the work tree has
/// nothing to scan.
fn tracked_file(shared: &Shared<'_>, work_tree: &Path, rel: &Path, checked: &mut PathBuf) {
    let follow = shared.args.follow_links;
    let path = work_tree.join(rel);
    // The folders above were checked for the previous path (paths come sorted).
    let parent = path.parent().unwrap_or(work_tree);
    if parent != checked.as_path() {
        let mut at = work_tree.to_path_buf();
        for part in rel.parent().into_iter().flat_map(Path::components) {
            at.push(part);
            let Ok(meta) = std::fs::symlink_metadata(&at) else {
                return;
            };
            let ok = if meta.file_type().is_symlink() {
                follow && std::fs::metadata(&at).is_ok_and(|m| m.is_dir())
            } else {
                meta.is_dir()
            };
            if !ok {
                return;
            }
        }
        *checked = parent.to_path_buf();
    }
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return;
    };
    let meta = if meta.file_type().is_symlink() {
        match (follow, std::fs::metadata(&path)) {
            (true, Ok(target)) => target,
            _ => return,
        }
    } else {
        meta
    };
    if meta.is_dir() || !shared.first_visit(&path) {
        return;
    }
    let outcome = if meta.is_file() {
        scan_path(shown(&path), shared.limits)
    } else {
        FileScan::skipped(shown(&path), SkipReason::NotRegularFile, None)
    };
    shared.record(outcome);
}

/// Tracked files are scanned whatever `.gitignore` or `.ignore` say: reads the
/// index of every work tree met (the scanned folders, nested repositories the
/// walk passed, submodules), and scans each tracked file the walk did not
/// reach. Returns the work trees whose index is malformed: ignore rules must
/// not be applied there.
fn tracked_pass(shared: &Shared<'_>, roots: &[PathBuf]) -> Vec<PathBuf> {
    let inside: Vec<PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect();
    let mut queue: Vec<PathBuf> = roots.iter().filter(|r| r.is_dir()).cloned().collect();
    if let Ok(mut found) = shared.repos.lock() {
        queue.append(&mut found);
    }
    let mut done = HashSet::new();
    let mut fail_open = Vec::new();
    let mut pending: Vec<(PathBuf, PathBuf)> = Vec::new();
    let index_limits = Limits {
        max_file_bytes: MAX_INDEX_BYTES,
        ..Limits::default()
    };
    while let Some(work_tree) = queue.pop() {
        if done.len() >= MAX_REPOS {
            let detail = format!("more than {MAX_REPOS} git work trees in the scan");
            let reason = SkipReason::GitIndexNotRead { detail };
            shared.record(FileScan::skipped(
                shown(&work_tree.join(".git")),
                reason,
                None,
            ));
            break;
        }
        let Ok(real) = std::fs::canonicalize(&work_tree) else {
            continue;
        };
        if !done.insert(real) {
            continue;
        }
        let index = match locate_index(&work_tree, &inside) {
            IndexAt::None => continue,
            IndexAt::At(index) => index,
            IndexAt::Unusable {
                dot_git,
                reason,
                fail_open: open,
            } => {
                shared.record(FileScan::skipped(shown(&dot_git), reason, None));
                if open {
                    fail_open.push(work_tree);
                }
                continue;
            }
        };
        let at = Location::file(shown(&index));
        let parsed = match read_limited(&index, &index_limits, &at) {
            // A repository with nothing added yet has no index: nothing is tracked.
            Err(Error::Io { .. }) if !index.exists() => continue,
            Ok(bytes) => parse_git_index(&bytes, &at),
            Err(e) => Err(e),
        };
        let entries = match parsed {
            Ok(index) => index.entries,
            Err(problem) => {
                let reason = SkipReason::GitIndexMalformed {
                    problem: Box::new(problem),
                };
                shared.record(FileScan::skipped(shown(&index), reason, None));
                fail_open.push(work_tree);
                continue;
            }
        };
        for entry in entries {
            let rel = index_path(&entry.path);
            let path = work_tree.join(&rel);
            match entry.mode {
                GITLINK_MODE => queue.push(path),
                m if m & 0o170000 == 0o040000 => {} // a sparse-index folder: not checked out
                _ if shared.visited(&path) => {}
                _ => pending.push((work_tree.clone(), rel)),
            }
        }
    }
    pending.sort();
    pending.dedup();
    let threads = shared.args.threads.max(1);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(pending.len()) {
            scope.spawn(|| {
                let mut checked = PathBuf::new();
                while let Some((tree, rel)) = pending.get(next.fetch_add(1, Ordering::Relaxed)) {
                    tracked_file(shared, tree, rel, &mut checked);
                }
            });
        }
    });
    fail_open
}

/// Scans the files and folders `paths` as `kcred scan` does: walks them
/// (ignore rules on unless [`WalkOptions::no_ignore`]), then scans the tracked
/// files ignore rules hid, then walks without ignore rules the work trees whose
/// git index is malformed (failing open: scanning more, never less). Each file
/// is read once, within `limits`; the report is sorted.
///
/// ```
/// use kcred_core::{scan_tree, Limits, WalkOptions};
/// let tree = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/kubeconfigs");
/// let report = scan_tree(&[tree], &WalkOptions::default(), &Limits::default()).unwrap();
/// assert!(report.files_scanned > 0);
/// let missing = scan_tree(&["/nonexistent".into()], &WalkOptions::default(), &Limits::default());
/// assert_eq!(missing.unwrap_err().to_string(), "/nonexistent does not exist");
/// ```
pub fn scan_tree(
    paths: &[PathBuf],
    args: &WalkOptions,
    limits: &Limits,
) -> Result<ScanReport, MissingPath> {
    if let Some(p) = paths.iter().find(|p| !p.exists()) {
        return Err(MissingPath(p.clone()));
    }
    let shared = Shared {
        args,
        limits,
        report: Mutex::new(ScanReport::default()),
        visited: Mutex::new(HashSet::new()),
        repos: Arc::default(),
        dirs_entered: Arc::default(),
    };
    walk_tree(&shared, paths, true);
    if !args.no_ignore {
        let fail_open = tracked_pass(&shared, paths);
        walk_tree(&shared, &fail_open, false);
    }
    let mut report = shared.report.into_inner().unwrap_or_default();
    report.finish();
    Ok(report)
}

fn is_loop(err: &ignore::Error) -> bool {
    match err {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
        ignore::Error::Partial(errs) => errs.iter().any(is_loop),
        _ => false,
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.first().and_then(error_path),
        _ => None,
    }
}

/// The walker's message without the path (already in `file`).
fn error_text(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_text(err),
        ignore::Error::Loop { .. } => "symbolic link loop".to_owned(),
        ignore::Error::Partial(errs) => errs.first().map(error_text).unwrap_or_default(),
        other => other.to_string(),
    }
}
