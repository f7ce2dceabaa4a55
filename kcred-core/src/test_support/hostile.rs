//! Helpers for hostile-input tests, shared by kcred-core's unit tests and the
//! `kcred_tests` hostile suite (which includes this file by path, as the unit
//! tests' `test_support` is not part of the library).

use std::path::{Path, PathBuf};

/// Runs `f` on a thread and fails (instead of hanging the suite) when it has
/// not returned within a generous bound: a blocked read never returns.
pub(crate) fn within_bound<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(120))
        .expect("a read blocked (watchdog)")
}

/// Two links in `dir`, `a` to `b` and `b` to `a`; returns the path of `a`.
#[cfg(unix)]
pub(crate) fn symlink_loop(dir: &Path) -> PathBuf {
    std::os::unix::fs::symlink(dir.join("b"), dir.join("a")).unwrap();
    std::os::unix::fs::symlink(dir.join("a"), dir.join("b")).unwrap();
    dir.join("a")
}
