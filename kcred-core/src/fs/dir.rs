//! Listing a folder: every name read, sorted, then capped, so that what the
//! cap leaves out is the same on every run and is reported, not skipped.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::io_error;
use crate::error::{Error, Location};
use crate::kubeconfig::Limits;

/// Most names read from one folder before sorting: past this, the rest of the
/// folder is reported unexamined (a folder of a million names is an attack).
const MAX_NAMES_READ: usize = 1 << 20;

/// One name in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DirEntry {
    /// The folder joined with the name.
    pub(crate) path: PathBuf,
    /// The name.
    pub(crate) name: OsString,
    /// A folder itself (a symlink to one is not).
    pub(crate) is_dir: bool,
}

/// What listing a folder gave: the entries to examine, in name order, and what
/// was left out.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) entries: Vec<DirEntry>,
    pub(crate) problems: Vec<Error>,
}

/// Lists `dir`: reads every name, keeps those `keep` accepts, sorts them by name,
/// and returns the first [`Limits::max_dir_entries`]; the rest are reported as
/// one [`Error::LimitReached`] naming them. A missing folder (or a file where
/// the folder should be) lists empty without a problem; one that cannot be read
/// is an [`Error::Io`].
pub(crate) fn list_dir(
    dir: &Path,
    limits: &Limits,
    mut keep: impl FnMut(&DirEntry) -> bool,
) -> Listing {
    let at = Location::file(dir);
    let mut listing = Listing::default();
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return listing
        }
        Err(e) => {
            listing.problems.push(io_error(&at, &e));
            return listing;
        }
    };
    let mut names_read = 0usize;
    for entry in read {
        names_read += 1;
        if names_read > MAX_NAMES_READ {
            listing.problems.push(Error::LimitReached {
                at: at.clone(),
                what: format!(
                    "names of {} after the first {MAX_NAMES_READ}",
                    dir.display()
                ),
                limit: MAX_NAMES_READ as u64,
            });
            break;
        }
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                listing.problems.push(io_error(&at, &e));
                continue;
            }
        };
        let entry = DirEntry {
            path: entry.path(),
            name: entry.file_name(),
            // `file_type` does not follow symlinks: a symlinked folder is not a folder.
            is_dir: entry.file_type().is_ok_and(|t| t.is_dir()),
        };
        if keep(&entry) {
            listing.entries.push(entry);
        }
    }
    listing.entries.sort_by(|a, b| a.name.cmp(&b.name));
    let cap = limits.max_dir_entries;
    if listing.entries.len() > cap {
        let left = listing.entries.len() - cap;
        let first = listing.entries[cap].name.to_string_lossy().into_owned();
        listing.entries.truncate(cap);
        listing.problems.push(Error::LimitReached {
            at,
            what: format!(
                "{left} entries of {} in name order from {first:?} on",
                dir.display()
            ),
            limit: cap as u64,
        });
    }
    listing
}
