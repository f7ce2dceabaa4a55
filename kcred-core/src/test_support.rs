//! What kcred-core's unit tests share: a temporary folder that cleans up after
//! itself. Test-only code, so it may touch the file system directly (the
//! boundary test in `fs/tests.rs` lets it).

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

pub(crate) mod hostile;

/// A fresh, empty folder under the system's temp dir, removed with everything
/// in it when dropped. Derefs to its path, so `dir.join("a")` and `&dir` work
/// where a `&Path` is wanted.
#[derive(Debug)]
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    /// A new folder; `name` says which test made it (when one is left behind).
    pub(crate) fn new(name: &str) -> Self {
        // Process id and a counter: unique across parallel tests and across
        // runs (a stale folder of an earlier run with the same id is emptied).
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("kcred-test-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Writes `contents` to `name` in this folder and returns its path.
    pub(crate) fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
