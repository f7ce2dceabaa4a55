//! Reading special files: kcred must refuse FIFOs without blocking.
// Spawning is allowed here: mkfifo makes the FIFO under test (see /clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::path::PathBuf;
use std::process::Command;

use kcred_core::{load_file, load_merged, read_limited, Error, Limits, Location};

fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("kcred-files-{nanos}-{name}"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn fifo_is_refused_without_blocking() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("config");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: mkfifo not available");
        return;
    }
    let at = Location::file(&fifo);
    assert_eq!(
        read_limited(&fifo, &Limits::default(), &at),
        Err(Error::NotRegularFile { at: at.clone() })
    );
    let loaded = load_file(&fifo, &Limits::default());
    assert_eq!(loaded.problems, [Error::NotRegularFile { at }]);
    let merged = load_merged(&[fifo], &Limits::default());
    assert_eq!(merged.problems.len(), 1);
    // Reaching this line is the proof that nothing blocked on the FIFO.
}
