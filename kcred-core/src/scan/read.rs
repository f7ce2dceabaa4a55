//! One file from disk: read whole with the size cap ([`read_limited`]), or, when
//! it cannot be, a bounded look at its head and tail so that a credential past
//! a limit is reported (KC905) instead of silently skipped.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::markers::{marker_in_window, name_marker, MARKER_WINDOW};
use super::{scan_bytes, FileScan, SkipReason};
use crate::error::{Error, Location};
use crate::kubeconfig::{read_limited, Limits};

/// The first and last [`MARKER_WINDOW`] bytes of a regular file (one window
/// when the file is smaller than two). Only called after [`read_limited`] found
/// a regular file over the cap; the open file is checked again.
fn head_and_tail(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let window = MARKER_WINDOW as u64;
    let mut out = Vec::new();
    (&mut file).take(window).read_to_end(&mut out)?;
    if meta.len() > 2 * window {
        file.seek(SeekFrom::Start(meta.len() - window))?;
        file.take(window).read_to_end(&mut out)?;
    }
    Ok(out)
}

/// Reads and scans one file. Never a silent skip of what looks like a
/// credential: a file over the size cap whose head or tail has credential
/// markers, or one that cannot be read at all and whose name says credential,
/// comes back with an [`super::Unreadable`] entry beside the skip.
pub fn scan_path(path: &Path, limits: &Limits) -> FileScan {
    let skip = |reason, marker: Option<&str>| FileScan::skipped(path, reason, marker);
    match read_limited(path, limits, &Location::file(path)) {
        Ok(bytes) => scan_bytes(&bytes, path, limits),
        Err(Error::TooLarge { limit, .. }) => {
            let marker = match head_and_tail(path) {
                Ok(bytes) => marker_in_window(&bytes, crate::scan::looks_binary(&bytes)),
                Err(_) => name_marker(path),
            };
            skip(SkipReason::TooLarge { limit }, marker)
        }
        Err(Error::NotRegularFile { .. }) => skip(SkipReason::NotRegularFile, None),
        Err(Error::Io { reason, .. }) => {
            // Gone since the walk listed it: nothing there to miss.
            let marker = name_marker(path).filter(|_| path.symlink_metadata().is_ok());
            skip(SkipReason::Unreadable { detail: reason }, marker)
        }
        Err(e) => skip(
            SkipReason::Unreadable {
                detail: e.kind().to_owned(),
            },
            name_marker(path),
        ),
    }
}
