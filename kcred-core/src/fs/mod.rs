//! The input boundary: the only code in kcred-core that touches the file system.
//!
//! Every file is opened once, without blocking (`O_NONBLOCK`, so a FIFO or a
//! device swapped in under the path cannot hang the open), and judged by what the
//! *opened descriptor* is (`fstat`, `fstatfs`), never by an earlier look at the
//! path: a symlink flipped between a check and the open cannot slip a FIFO or a
//! device past. What is not a regular file is refused, and so are files of the
//! kernel's pseudo file systems (`/proc`, `/sys`, ...: `/proc/kmsg` says "regular
//! file" and blocks forever on read). At most limit + 1 bytes are read.
//!
//! Folders are listed whole, sorted, then capped: what the cap leaves out is
//! reported as [`Error::LimitReached`], never skipped silently. A [`Budget`]
//! bounds the bytes one run reads in total.
//!
//! Parts: `open` judges and reads one descriptor, `budget` bounds a run's
//! bytes, `cache` reads each file once per run, `dir` lists folders, `walk` walks
//! the trees of `kcred scan`.

mod budget;
mod cache;
mod dir;
mod open;
#[cfg(test)]
mod tests;
mod walk;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::cache::FileFacts;
use crate::error::{Error, Location};
use crate::kubeconfig::Limits;

pub(crate) use self::budget::Budget;
pub(crate) use self::cache::FileCache;
pub(crate) use self::dir::{list_dir, DirEntry};
use self::open::{facts_of, open_regular, Opened};
pub use self::walk::{scan_tree, MissingPath, WalkOptions};

/// Which file bytes came from: device and inode of the opened file, so two paths
/// naming one file (symlinks, hard links, `a/../a`) are known to be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId {
    /// The device (`st_dev`).
    pub dev: u64,
    /// The inode (`st_ino`).
    pub ino: u64,
}

/// A file's bytes, shared: every reference to one file gets the same bytes
/// (see [`crate::ReferencedFiles::read_shared`]).
#[derive(Clone, PartialEq, Eq)]
pub struct SharedFile {
    /// The file the bytes came from, when the reader knows it; decoded results
    /// are shared between references with the same id.
    pub id: Option<FileId>,
    /// The bytes.
    pub bytes: Arc<[u8]>,
}

/// Never prints the bytes: they may be a key or a token.
impl std::fmt::Debug for SharedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedFile")
            .field("id", &self.id)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// One file read: its identity, bytes and permission facts (from the descriptor).
pub(crate) struct FileRead {
    pub(crate) id: FileId,
    pub(crate) bytes: Vec<u8>,
    pub(crate) facts: FileFacts,
}

fn io_error(at: &Location, err: &std::io::Error) -> Error {
    Error::Io {
        at: at.clone(),
        reason: io_reason(err),
    }
}

/// The operating system's causes kcred says in words, each with its kind: one
/// table, read both ways (`io_reason` writes the words, `io_cause` reads them back
/// so that the Python edge can raise `FileNotFoundError` and its siblings).
const CAUSES: &[(std::io::ErrorKind, &str)] = {
    use std::io::ErrorKind as K;
    &[
        (K::NotFound, "missing file"),
        (K::PermissionDenied, "permission denied"),
        (K::IsADirectory, "a folder, not a file"),
        (K::NotADirectory, "a path component is not a folder"),
        (K::UnexpectedEof, "the file ended while it was read"),
        (K::Interrupted, "the read was interrupted"),
        (K::WouldBlock, "the read was interrupted"),
    ]
};

/// The operating system's reason in words, without its error number.
pub(crate) fn io_reason(err: &std::io::Error) -> String {
    if let Some((_, words)) = CAUSES.iter().find(|(kind, _)| *kind == err.kind()) {
        return (*words).to_owned();
    }
    // `std` appends " (os error N)" to the system's message.
    let text = err.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The kind of an I/O reason `io_reason` wrote in words.
pub(crate) fn io_cause(reason: &str) -> Option<std::io::ErrorKind> {
    CAUSES
        .iter()
        .find(|(_, words)| *words == reason)
        .map(|(kind, _)| *kind)
}

/// Reads one file (no run budget): see [`read_limited`].
pub(crate) fn read_file(path: &Path, limits: &Limits, at: &Location) -> Result<FileRead, Error> {
    open_regular(path, limits.max_file_bytes, limits, at)?.read(path, limits.max_file_bytes, at)
}

/// Reads a file of at most `limits.max_file_bytes`, refusing anything that is
/// not a regular file (a FIFO, a device such as `/dev/zero`, a directory) and
/// the files of kernel pseudo file systems (`/proc/kmsg`, `/sys/...`), so it
/// never blocks or reads without bound.
///
/// The file is opened once, without blocking, and the opened descriptor is
/// what is checked: a path swapped for a FIFO between two looks cannot hang it.
/// Symbolic links are followed by the operating system; a loop is an
/// [`Error::Io`]. Errors carry `at`, the field or file that named the path.
///
/// ```
/// use std::path::Path;
/// use kcred_core::{read_limited, Error, Limits, Location};
///
/// let at = Location::file("/dev/zero");
/// let err = read_limited(Path::new("/dev/zero"), &Limits::default(), &at).unwrap_err();
/// assert_eq!(err, Error::NotRegularFile { at });
/// ```
pub fn read_limited(path: &Path, limits: &Limits, at: &Location) -> Result<Vec<u8>, Error> {
    read_file(path, limits, at).map(|read| read.bytes)
}

/// The first and last `window` bytes of a regular file of any size (one window
/// when the file is smaller than two), opened as [`read_limited`] opens: for a
/// look at the markers of a file too large to read whole.
pub(crate) fn read_head_and_tail(
    path: &Path,
    window: u64,
    limits: &Limits,
    at: &Location,
) -> Result<Vec<u8>, Error> {
    use std::io::{Seek, SeekFrom};
    let Opened { mut file, meta } = open_regular(path, u64::MAX, limits, at)?;
    let mut out = Vec::new();
    (&mut file)
        .take(window)
        .read_to_end(&mut out)
        .map_err(|e| io_error(at, &e))?;
    if meta.len() > window.saturating_mul(2) {
        file.seek(SeekFrom::Start(meta.len().saturating_sub(window)))
            .map_err(|e| io_error(at, &e))?;
        file.take(window)
            .read_to_end(&mut out)
            .map_err(|e| io_error(at, &e))?;
    }
    Ok(out)
}

/// Whether anything (a dangling symlink included) is at `path`.
pub(crate) fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Whether `path` (followed) does not exist.
pub(crate) fn is_not_found(path: &Path) -> bool {
    matches!(std::fs::metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
}

/// Permission bits and modification time of `path` (following symlinks), or
/// `None` when it cannot be looked at.
pub(crate) fn facts(path: &Path) -> Option<FileFacts> {
    std::fs::metadata(path).ok().map(|m| facts_of(path, &m))
}

/// Whether `path` (followed) is a regular file, judged without opening it: for
/// files whose presence alone is reported (encrypted caches).
pub(crate) fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Whether `path` (followed) is a folder.
pub(crate) fn is_dir(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_dir())
}
