//! The per-run file cache: one read per file, known by device and inode, so
//! two paths naming one file (symlinks, hard links) share its bytes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::open::{file_id, open_regular};
use super::{Budget, FileId, SharedFile};
use crate::error::{Error, Location};
use crate::kubeconfig::Limits;

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
        let opened = open_regular(path, limits.max_file_bytes, limits, at)?;
        let id = file_id(&opened.meta);
        if let Some(bytes) = self.by_id.get(&id) {
            let bytes = bytes.clone();
            self.by_path.insert(path.to_path_buf(), id);
            return Ok(SharedFile {
                id: Some(id),
                bytes,
            });
        }
        let read = budget.read_opened(opened, path, limits.max_file_bytes, at)?;
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
