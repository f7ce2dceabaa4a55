//! One file from disk: read whole with the size cap ([`read_limited`]), or, when
//! it cannot be, a bounded look at its head and tail so that a credential past
//! a limit is reported (KC905) instead of silently skipped.

use std::path::Path;

use super::markers::{marker_in_window, name_marker, MARKER_WINDOW};
use super::{scan_bytes, FileScan, SkipReason};
use crate::error::{Error, Location};
use crate::kubeconfig::{read_limited, Limits};

/// Reads and scans one file. Never a silent skip of what looks like a
/// credential: a file over the size cap whose head or tail has credential
/// markers, or one that cannot be read at all and whose name says credential,
/// comes back with an [`super::Unreadable`] entry beside the skip.
pub fn scan_path(path: &Path, limits: &Limits) -> FileScan {
    let skip = |reason, marker: Option<&str>| FileScan::skipped(path, reason, marker);
    let at = Location::file(path);
    match read_limited(path, limits, &at) {
        Ok(bytes) => scan_bytes(&bytes, path, limits),
        Err(Error::TooLarge { limit, .. }) => {
            let window = MARKER_WINDOW as u64;
            let marker = match crate::fs::read_head_and_tail(path, window, limits, &at) {
                Ok(bytes) => marker_in_window(&bytes, crate::scan::looks_binary(&bytes)),
                Err(_) => name_marker(path),
            };
            skip(SkipReason::TooLarge { limit }, marker)
        }
        Err(Error::NotRegularFile { .. }) => skip(SkipReason::NotRegularFile, None),
        Err(Error::Io { reason, .. }) => {
            // Gone since the walk listed it: nothing there to miss.
            let marker = name_marker(path).filter(|_| crate::fs::exists(path));
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
