//! Reading the files a kubeconfig references: from disk through the input
//! boundary, or none at all; inline `*-data` or a referenced file.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine;

use crate::error::{Error, Location};
use crate::fs::{Budget, FileCache, SharedFile};
use crate::kubeconfig::Limits;

use super::DataSource;

/// Reads files that a kubeconfig references (`client-certificate`, `tokenFile`,
/// `certificate-authority`). Loading from disk is [`crate::DiskFiles`]; tests and
/// in-memory callers can supply their own.
pub trait ReferencedFiles {
    /// The bytes of `path`; `at` names the field that referenced it, for errors.
    fn read(&self, path: &Path, at: &Location) -> Result<Vec<u8>, Error>;

    /// The bytes of `path`, shared, with the identity of the file they came from
    /// when the reader knows it. The inventory decodes each identified file once
    /// and shares the result between every entry naming it (1,000 users naming
    /// one token file cost one read and one decode). Default: [`Self::read`],
    /// without identity.
    fn read_shared(&self, path: &Path, at: &Location) -> Result<SharedFile, Error> {
        self.read(path, at).map(|bytes| SharedFile {
            id: None,
            bytes: bytes.into(),
        })
    }
}

/// Reads referenced files from disk through the input boundary: regular files
/// only (never a FIFO, a device or a `/proc` file), each of at most
/// [`Limits::max_file_bytes`], all together at most [`Limits::max_total_bytes`].
///
/// One `DiskFiles` is one run: each file (by device and inode, whatever path
/// names it) is read once and its bytes are shared by every reference. Clones
/// share the cache and the budget.
#[derive(Debug, Clone)]
pub struct DiskFiles {
    limits: Limits,
    run: Arc<DiskRun>,
}

#[derive(Debug)]
pub(super) struct DiskRun {
    budget: Budget,
    cache: Mutex<FileCache>,
}

impl Default for DiskFiles {
    fn default() -> Self {
        DiskFiles::new(Limits::default())
    }
}

impl DiskFiles {
    /// Reads with these limits.
    pub fn new(limits: Limits) -> Self {
        let run = Arc::new(DiskRun {
            budget: Budget::new(&limits),
            cache: Mutex::new(FileCache::default()),
        });
        DiskFiles { limits, run }
    }

    /// How many files were read from disk so far (a file named many times
    /// counts once).
    pub fn files_read(&self) -> u64 {
        self.run
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .files_read()
    }

    /// How many bytes were read from disk so far.
    pub fn bytes_read(&self) -> u64 {
        self.run.budget.used()
    }
}

impl ReferencedFiles for DiskFiles {
    fn read(&self, path: &Path, at: &Location) -> Result<Vec<u8>, Error> {
        self.read_shared(path, at).map(|file| file.bytes.to_vec())
    }

    fn read_shared(&self, path: &Path, at: &Location) -> Result<SharedFile, Error> {
        if !crate::fs::exists(path) {
            return Err(Error::MissingFile {
                at: at.clone(),
                path: path.to_path_buf(),
            });
        }
        self.run
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .read(path, &self.run.budget, &self.limits, at)
    }
}

/// A [`ReferencedFiles`] that has no files: every reference is reported missing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoFiles;

impl ReferencedFiles for NoFiles {
    fn read(&self, path: &Path, at: &Location) -> Result<Vec<u8>, Error> {
        Err(Error::MissingFile {
            at: at.clone(),
            path: path.to_path_buf(),
        })
    }
}

/// Decodes a `*-data` field: base64 with any whitespace inside (kubectl accepts
/// line-wrapped data).
pub(crate) fn decode_base64(text: &str, at: &Location) -> Result<Vec<u8>, Error> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    let padded_or_not = |bytes: &[u8]| {
        STANDARD
            .decode(bytes)
            .or_else(|_| STANDARD_NO_PAD.decode(bytes))
    };
    // Most data is one line: decode it as it is, and copy it without the
    // whitespace only when that fails (the copy cost more than the decode).
    padded_or_not(text.as_bytes())
        .or_else(|_| {
            let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
            padded_or_not(&compact)
        })
        .map_err(|_| Error::NotBase64 { at: at.clone() })
}

/// Inline data or a referenced file, read: where from, the location of the
/// field that gave it, and the bytes.
pub(super) type Read = (DataSource, Location, Result<SharedFile, Error>);

/// Reads the inline `{field}-data` (base64; it wins, as in client-go) or the
/// file `field` names; `None` when neither is set.
pub(super) fn data_or_file(
    data: Option<&str>,
    file: Option<&str>,
    field: &str,
    entry: &Location,
    files: &dyn ReferencedFiles,
) -> Option<Read> {
    if let Some(data) = data.filter(|d| !d.is_empty()) {
        let at = entry.clone().with_field(format!("{field}-data"));
        let bytes = decode_base64(data, &at).map(|bytes| SharedFile {
            id: None,
            bytes: bytes.into(),
        });
        return Some((DataSource::Inline, at, bytes));
    }
    let path = Path::new(file.filter(|f| !f.is_empty())?);
    let at = entry.clone().with_field(field);
    let bytes = files.read_shared(path, &at);
    Some((DataSource::File(path.to_path_buf()), at, bytes))
}
