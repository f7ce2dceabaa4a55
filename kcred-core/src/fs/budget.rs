//! The bytes one run may read in total, charged by every read of the run.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::open::{open_regular, Opened};
use super::FileRead;
use crate::error::{Error, Location};
use crate::kubeconfig::Limits;

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

    /// Reads `path` as [`read_file`](super::read_file) does, charging the bytes to this budget;
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
        let opened = open_regular(path, max, limits, at)?;
        self.read_opened(opened, path, max, at)
    }

    /// Reads a file [`open_regular`] opened, if the run can afford it.
    pub(super) fn read_opened(
        &self,
        opened: Opened,
        path: &Path,
        max: u64,
        at: &Location,
    ) -> Result<FileRead, Error> {
        let used = self.used();
        let len = opened.meta.len();
        if used.saturating_add(len) > self.limit {
            return Err(Error::LimitReached {
                at: at.clone(),
                what: format!(
                    "{} ({} bytes): the run has already read {used} bytes",
                    path.display(),
                    len
                ),
                limit: self.limit,
            });
        }
        let read = opened.read(path, max, at)?;
        self.used
            .fetch_add(read.bytes.len() as u64, Ordering::Relaxed);
        Ok(read)
    }
}
