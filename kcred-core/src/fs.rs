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

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use time::OffsetDateTime;

use crate::cache::FileFacts;
use crate::error::{Error, Location};
use crate::kubeconfig::Limits;

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

/// The bytes one run may read in total ([`Limits::max_total_bytes`]). Shared by
/// every read of the run; thread-safe.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: u64,
    used: AtomicU64,
}

impl Budget {
    pub(crate) fn new(limits: &Limits) -> Self {
        Budget {
            limit: limits.max_total_bytes,
            used: AtomicU64::new(0),
        }
    }

    /// Bytes read so far.
    pub(crate) fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    /// Reads `path` as [`read_file`] does, charging the bytes to this budget;
    /// a file that would take the run past it is not read.
    pub(crate) fn read(
        &self,
        path: &Path,
        limits: &Limits,
        at: &Location,
    ) -> Result<FileRead, Error> {
        self.read_capped(path, limits.max_file_bytes, limits, at)
    }

    /// [`Self::read`] with another per-file cap (policies have their own).
    pub(crate) fn read_capped(
        &self,
        path: &Path,
        max: u64,
        limits: &Limits,
        at: &Location,
    ) -> Result<FileRead, Error> {
        let (file, meta) = open_regular(path, max, limits, at)?;
        self.read_opened(file, &meta, path, max, at)
    }

    /// Reads a file [`open_regular`] opened, if the run can afford it.
    fn read_opened(
        &self,
        file: File,
        meta: &Metadata,
        path: &Path,
        max: u64,
        at: &Location,
    ) -> Result<FileRead, Error> {
        let used = self.used();
        if used.saturating_add(meta.len()) > self.limit {
            return Err(Error::LimitReached {
                at: at.clone(),
                what: format!(
                    "{} ({} bytes): the run has already read {used} bytes",
                    path.display(),
                    meta.len()
                ),
                limit: self.limit,
            });
        }
        let read = read_open(file, meta, path, max, at)?;
        self.used
            .fetch_add(read.bytes.len() as u64, Ordering::Relaxed);
        Ok(read)
    }
}

fn io_error(at: &Location, err: &std::io::Error) -> Error {
    Error::Io {
        at: at.clone(),
        reason: err.to_string(),
    }
}

/// Kernel pseudo file systems (Linux `statfs` magic numbers): their "regular
/// files" are kernel interfaces that may block (`/proc/kmsg`), never end, or
/// act when read. `/dev` is devtmpfs (the tmpfs magic): its devices are refused
/// as not regular files.
#[cfg(any(target_os = "linux", target_os = "android"))]
const PSEUDO_FILE_SYSTEMS: &[(&str, u32)] = &[
    ("proc", 0x9fa0),
    ("sysfs", 0x6265_6572),
    ("devpts", 0x1cd1),
    ("debugfs", 0x6462_6720),
    ("tracefs", 0x7472_6163),
    ("securityfs", 0x7363_6673),
    ("cgroup", 0x0027_e0eb),
    ("cgroup2", 0x6367_7270),
    ("configfs", 0x6265_6570),
    ("efivarfs", 0xde5e_81e4),
    ("bpf", 0xcafe_4a11),
    ("pstore", 0x6165_676c),
    ("fusectl", 0x6573_5543),
    ("binfmt_misc", 0x4249_4e4d),
    ("mqueue", 0x1980_0202),
    ("selinuxfs", 0xf97c_ff8c),
    ("smackfs", 0x4341_5d53),
    ("nsfs", 0x6e73_6673),
];

/// The pseudo file system `file` lives on, if any.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn pseudo_file_system(file: &File) -> Option<&'static str> {
    let magic = rustix::fs::fstatfs(file).ok()?.f_type as u32;
    PSEUDO_FILE_SYSTEMS
        .iter()
        .find(|(_, m)| *m == magic)
        .map(|(name, _)| *name)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn pseudo_file_system(_file: &File) -> Option<&'static str> {
    None
}

/// Opens `path` for reading without blocking and returns it with the metadata
/// of the opened descriptor, once that is known to be a regular file of at most
/// `max` bytes, not on a pseudo file system (unless [`Limits::allow_pseudo_files`]).
fn open_regular(
    path: &Path,
    max: u64,
    limits: &Limits,
    at: &Location,
) -> Result<(File, Metadata), Error> {
    let refused = || Error::NotRegularFile { at: at.clone() };
    // A hint only, so that a device is not even opened (opening some has effects:
    // a tape rewinds, a watchdog arms); the descriptor below decides.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(refused());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
        options.custom_flags(flags.bits() as i32);
    }
    let file = options.open(path).map_err(|e| io_error(at, &e))?;
    let meta = file.metadata().map_err(|e| io_error(at, &e))?;
    if !meta.is_file() {
        return Err(refused());
    }
    if !limits.allow_pseudo_files && pseudo_file_system(&file).is_some() {
        return Err(refused());
    }
    #[cfg(unix)]
    {
        // A regular file: blocking reads again (some network file systems would
        // answer "try again" to a non-blocking read).
        let flags = rustix::fs::fcntl_getfl(&file).map_err(|e| io_error(at, &e.into()))?;
        rustix::fs::fcntl_setfl(&file, flags - rustix::fs::OFlags::NONBLOCK)
            .map_err(|e| io_error(at, &e.into()))?;
    }
    if meta.len() > max {
        return Err(Error::TooLarge {
            at: at.clone(),
            limit: max,
        });
    }
    Ok((file, meta))
}

/// Reads an opened regular file: at most `max` + 1 bytes, so a file that grew
/// past the cap since `fstat` is still refused.
fn read_open(
    file: File,
    meta: &Metadata,
    path: &Path,
    max: u64,
    at: &Location,
) -> Result<FileRead, Error> {
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(max)).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(at, &e))?;
    if bytes.len() as u64 > max {
        return Err(Error::TooLarge {
            at: at.clone(),
            limit: max,
        });
    }
    Ok(FileRead {
        id: file_id(meta),
        bytes,
        facts: facts_of(path, meta),
    })
}

fn file_id(meta: &Metadata) -> FileId {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        FileId {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }
    #[cfg(not(unix))]
    {
        // No inode: the size and modification time stand in (sharing is then
        // only an optimisation that may not happen).
        let _ = meta;
        FileId { dev: 0, ino: 0 }
    }
}

fn facts_of(path: &Path, meta: &Metadata) -> FileFacts {
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    };
    #[cfg(not(unix))]
    let mode = None;
    FileFacts {
        path: path.to_path_buf(),
        mode,
        modified: meta.modified().ok().and_then(modified_at),
    }
}

/// A file's modification time as an instant; `None` outside years 0000 to 9999
/// (`OffsetDateTime::from(SystemTime)` panics there, and a planted mtime can be).
pub(crate) fn modified_at(t: std::time::SystemTime) -> Option<OffsetDateTime> {
    let seconds = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).ok()?,
        Err(before) => i64::try_from(before.duration().as_secs())
            .ok()?
            .checked_neg()?,
    };
    crate::expiry::from_unix(seconds)
}

/// Reads one file (no run budget): see [`read_limited`].
pub(crate) fn read_file(path: &Path, limits: &Limits, at: &Location) -> Result<FileRead, Error> {
    let (file, meta) = open_regular(path, limits.max_file_bytes, limits, at)?;
    read_open(file, &meta, path, limits.max_file_bytes, at)
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
    let (mut file, meta) = open_regular(path, u64::MAX, limits, at)?;
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

/// The per-run file cache behind [`crate::DiskFiles`]: each file (by device and
/// inode) is read once, and every reference gets the same bytes.
#[derive(Default)]
pub(crate) struct FileCache {
    by_path: HashMap<PathBuf, FileId>,
    by_id: HashMap<FileId, Arc<[u8]>>,
    files_read: u64,
}

/// Counts only: the cache holds keys and tokens.
impl std::fmt::Debug for FileCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileCache")
            .field("files", &self.by_id.len())
            .field("files_read", &self.files_read)
            .finish()
    }
}

impl FileCache {
    /// The bytes of `path`, read through `budget` unless this file (same path,
    /// or same device and inode under another path) was read before.
    pub(crate) fn read(
        &mut self,
        path: &Path,
        budget: &Budget,
        limits: &Limits,
        at: &Location,
    ) -> Result<SharedFile, Error> {
        if let Some(id) = self.by_path.get(path) {
            if let Some(bytes) = self.by_id.get(id) {
                return Ok(SharedFile {
                    id: Some(*id),
                    bytes: bytes.clone(),
                });
            }
        }
        let (file, meta) = open_regular(path, limits.max_file_bytes, limits, at)?;
        let id = file_id(&meta);
        if let Some(bytes) = self.by_id.get(&id) {
            let bytes = bytes.clone();
            self.by_path.insert(path.to_path_buf(), id);
            return Ok(SharedFile {
                id: Some(id),
                bytes,
            });
        }
        let read = budget.read_opened(file, &meta, path, limits.max_file_bytes, at)?;
        self.files_read += 1;
        let bytes: Arc<[u8]> = read.bytes.into();
        self.by_id.insert(id, bytes.clone());
        self.by_path.insert(path.to_path_buf(), id);
        Ok(SharedFile {
            id: Some(id),
            bytes,
        })
    }

    /// Files actually read from disk.
    pub(crate) fn files_read(&self) -> u64 {
        self.files_read
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

    fn temp_dir(name: &str) -> PathBuf {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("kcred-fs-{nanos}-{name}"));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        use rustix::fs::{mknodat, FileType, Mode, CWD};
        mknodat(CWD, path, FileType::Fifo, Mode::RUSR | Mode::WUSR, 0).unwrap();
    }

    /// Runs `f` on a thread and fails (instead of hanging the suite) when it has
    /// not returned within a generous bound: a blocked read never returns.
    fn within_bound<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(std::time::Duration::from_secs(120))
            .expect("a read blocked (watchdog)")
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn proc_and_sys_files_are_refused_unless_allowed() {
        let limits = Limits::default();
        for path in [
            "/proc/self/status",
            "/proc/version",
            "/sys/kernel/uevent_seqnum",
        ] {
            let path = Path::new(path);
            if !path.exists() {
                continue;
            }
            let at = Location::file(path);
            // `stat` calls these regular files; the descriptor's file system tells.
            assert!(std::fs::metadata(path).unwrap().is_file());
            assert_eq!(
                read_limited(path, &limits, &at),
                Err(Error::NotRegularFile { at: at.clone() }),
                "{}",
                path.display()
            );
        }
        let allowed = Limits {
            allow_pseudo_files: true,
            ..Limits::default()
        };
        let at = Location::file("/proc/self/status");
        let bytes = read_limited(Path::new("/proc/self/status"), &allowed, &at).unwrap();
        assert!(!bytes.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn fifo_is_refused_without_blocking() {
        let dir = temp_dir("fifo");
        let fifo = dir.join("fifo");
        mkfifo(&fifo);
        let result = within_bound(move || {
            let at = Location::file(&fifo);
            read_limited(&fifo, &Limits::default(), &at).map_err(|e| e.kind())
        });
        assert_eq!(result, Err("not-regular-file"));
    }

    /// A symlink flipped between a regular file and a FIFO while reads run: the
    /// old check-the-path-then-open reader blocked in `open` when the FIFO won
    /// the race. Every read must return (the file's bytes or a refusal).
    #[cfg(unix)]
    #[test]
    fn symlink_flipped_to_a_fifo_never_blocks_a_read() {
        use std::sync::atomic::AtomicBool;
        let dir = temp_dir("flip");
        let regular = dir.join("regular");
        std::fs::write(&regular, "users: []\n").unwrap();
        let fifo = dir.join("fifo");
        mkfifo(&fifo);
        let link = dir.join("link");
        std::os::unix::fs::symlink(&regular, &link).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flips = Arc::new(AtomicU64::new(0));
        let flipper = {
            let (stop, flips, dir, link) = (stop.clone(), flips.clone(), dir.clone(), link.clone());
            std::thread::spawn(move || {
                let tmp = dir.join("link.tmp");
                let mut to_fifo = true;
                while !stop.load(Ordering::Relaxed) {
                    let target = if to_fifo { &fifo } else { &regular };
                    let _ = std::fs::remove_file(&tmp);
                    std::os::unix::fs::symlink(target, &tmp).unwrap();
                    std::fs::rename(&tmp, &link).unwrap();
                    to_fifo = !to_fifo;
                    flips.fetch_add(1, Ordering::Relaxed);
                }
            })
        };
        let outcomes = {
            let flips = flips.clone();
            within_bound(move || {
                let limits = Limits::default();
                let at = Location::file(&link);
                let (mut read, mut refused, mut reads) = (0u64, 0u64, 0u64);
                // Reads for as long as the flipper flips (at least 20,000 flips and
                // 5,000 reads), however the threads are scheduled.
                while (flips.load(Ordering::Relaxed) < 20_000 || reads < 5_000) && reads < 2_000_000
                {
                    reads += 1;
                    match read_limited(&link, &limits, &at) {
                        Ok(bytes) => {
                            assert_eq!(bytes, b"users: []\n");
                            read += 1;
                        }
                        Err(Error::NotRegularFile { .. }) => refused += 1,
                        // The link replaced between path lookups.
                        Err(Error::Io { .. }) => {}
                        Err(other) => panic!("unexpected {other:?}"),
                    }
                }
                (read, refused)
            })
        };
        stop.store(true, Ordering::Relaxed);
        flipper.join().unwrap();
        assert!(outcomes.0 + outcomes.1 > 0, "{outcomes:?}");
    }

    #[test]
    fn listing_reads_every_name_sorts_then_caps_and_reports_the_rest() {
        let dir = temp_dir("list");
        // Created in reverse order: the directory's own order is not name order.
        for i in (0..50).rev() {
            std::fs::write(dir.join(format!("f{i:02}.crt")), "x").unwrap();
        }
        std::fs::write(dir.join("a-note.txt"), "x").unwrap();
        std::fs::create_dir(dir.join("sub.crt")).unwrap();
        let limits = Limits {
            max_dir_entries: 10,
            ..Limits::default()
        };
        let listing = list_dir(&dir, &limits, |e| {
            !e.is_dir && e.name.to_string_lossy().ends_with(".crt")
        });
        let names: Vec<String> = listing
            .entries
            .iter()
            .map(|e| e.name.to_string_lossy().into_owned())
            .collect();
        let want: Vec<String> = (0..10).map(|i| format!("f{i:02}.crt")).collect();
        assert_eq!(names, want);
        match &listing.problems[..] {
            [Error::LimitReached { at, what, limit }] => {
                assert_eq!(at.file, dir);
                assert_eq!(*limit, 10);
                assert!(what.starts_with("40 entries"), "{what}");
                assert!(what.contains("\"f10.crt\""), "{what}");
            }
            other => panic!("expected one limit-reached, got {other:?}"),
        }
        // Under the cap: everything, no problem; a missing folder: nothing, no problem.
        let all = list_dir(&dir, &Limits::default(), |_| true);
        assert_eq!(all.entries.len(), 52);
        assert!(all.problems.is_empty());
        let none = list_dir(&dir.join("missing"), &Limits::default(), |_| true);
        assert!(none.entries.is_empty() && none.problems.is_empty());
    }

    #[test]
    fn the_run_budget_refuses_the_file_that_would_exceed_it() {
        let dir = temp_dir("budget");
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::write(&a, [b'a'; 60]).unwrap();
        std::fs::write(&b, [b'b'; 60]).unwrap();
        let limits = Limits {
            max_total_bytes: 100,
            ..Limits::default()
        };
        let budget = Budget::new(&limits);
        assert!(budget.read(&a, &limits, &Location::file(&a)).is_ok());
        let err = budget.read(&b, &limits, &Location::file(&b)).err().unwrap();
        assert!(
            matches!(&err, Error::LimitReached { limit: 100, what, .. } if what.contains(&*b.to_string_lossy())),
            "{err:?}"
        );
        assert_eq!(budget.used(), 60);
    }

    #[cfg(unix)]
    #[test]
    fn the_cache_reads_one_file_once_whatever_path_names_it() {
        let dir = temp_dir("cache");
        let file = dir.join("token");
        std::fs::write(&file, "opaque-token").unwrap();
        std::os::unix::fs::symlink(&file, dir.join("link")).unwrap();
        std::fs::hard_link(&file, dir.join("hard")).unwrap();
        let limits = Limits::default();
        let budget = Budget::new(&limits);
        let mut cache = FileCache::default();
        let mut seen = Vec::new();
        for name in ["token", "link", "hard", "token", "./link"] {
            let path = dir.join(name);
            let got = cache
                .read(&path, &budget, &limits, &Location::file(&path))
                .unwrap();
            seen.push(got);
        }
        assert_eq!(cache.files_read(), 1);
        assert_eq!(budget.used(), 12);
        assert!(seen.iter().all(|s| Arc::ptr_eq(&s.bytes, &seen[0].bytes)));
        assert!(!format!("{:?} {cache:?}", seen[0]).contains("opaque"));
    }

    /// The boundary holds: no other library code of kcred-core reaches the file
    /// system itself (test modules may, to make their inputs).
    #[test]
    fn no_other_core_module_touches_the_file_system() {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        walk(&src, &mut files);
        let words = [
            "std::fs",
            "File::open",
            "OpenOptions",
            "read_dir",
            "canonicalize",
            ".exists()",
            "metadata(",
            ".is_file()",
            ".is_dir()",
        ];
        for file in files {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if file == src.join("fs.rs") || name == "tests.rs" {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let library = text.split("#[cfg(test)]\nmod tests {").next().unwrap();
            for word in words {
                assert!(
                    !library.contains(word),
                    "{} uses {word}: go through crate::fs",
                    file.display()
                );
            }
        }
    }
}
