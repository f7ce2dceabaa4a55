//! Opening one file and judging the opened descriptor (never the path): a
//! regular file, not on a kernel pseudo file system, within the size cap.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use time::OffsetDateTime;

use super::{io_error, FileId, FileRead};
use crate::cache::FileFacts;
use crate::error::{Error, Location};
use crate::kubeconfig::Limits;

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
pub(super) fn open_regular(
    path: &Path,
    max: u64,
    limits: &Limits,
    at: &Location,
) -> Result<Opened, Error> {
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
    Ok(Opened { file, meta })
}

/// A file [`open_regular`] opened and judged: a regular file within the cap
/// when opened, with the metadata of its descriptor.
pub(super) struct Opened {
    pub(super) file: File,
    pub(super) meta: Metadata,
}

impl Opened {
    /// Reads the file: at most `max` + 1 bytes, so a file that grew past the
    /// cap since `fstat` is still refused.
    pub(super) fn read(self, path: &Path, max: u64, at: &Location) -> Result<FileRead, Error> {
        let Opened { file, meta } = self;
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
            id: file_id(&meta),
            bytes,
            facts: facts_of(path, &meta),
        })
    }
}

pub(super) fn file_id(meta: &Metadata) -> FileId {
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

pub(super) fn facts_of(path: &Path, meta: &Metadata) -> FileFacts {
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
pub(super) fn modified_at(t: std::time::SystemTime) -> Option<OffsetDateTime> {
    let seconds = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).ok()?,
        Err(before) => i64::try_from(before.duration().as_secs())
            .ok()?
            .checked_neg()?,
    };
    crate::expiry::from_unix(seconds)
}
