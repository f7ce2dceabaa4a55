//! Reading special files: kcred must refuse FIFOs without blocking.

use kcred_core::{load_file, load_merged, read_limited, Error, Limits, Location};
use kcred_tests::support::{Run, TempDir};

#[test]
fn fifo_is_refused_without_blocking() {
    let dir = TempDir::new("files-fifo");
    let fifo = dir.join("config");
    if !Run::new("mkfifo").arg(&fifo).succeeds() {
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
