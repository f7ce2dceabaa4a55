//! What the test files of the workspace share: the fixed instant, the
//! repository's folders, temporary folders that clean up after themselves,
//! base64, and the process runner (`kcred-cli/tests` reaches the `kcred`
//! binary through [`kcred!`](crate::kcred)).

use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::Value;
use time::macros::datetime;
use time::OffsetDateTime;

mod process;

pub use process::{
    assert_exit, assert_promtool_accepts, assert_valid_sarif, both, shown, stderr, stdout,
    tool_available, Run,
};

/// The fixed instant every fixture is dated against, as `--now` takes it.
pub const NOW: &str = "2026-01-01T00:00:00Z";
/// [`NOW`] in Unix seconds.
pub const NOW_UNIX: i64 = 1_767_225_600;
/// [`NOW`] as the core takes it.
pub const NOW_AT: OffsetDateTime = datetime!(2026-01-01 00:00:00 UTC);

/// [`NOW_AT`], for code that calls a function.
pub fn now() -> OffsetDateTime {
    NOW_AT
}

/// The instant `unix` seconds after the epoch.
pub fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap()
}

/// The root of the repository (the workspace folder).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `tests/data/REL`: the fixtures.
pub fn data(rel: &str) -> PathBuf {
    repo().join("tests/data").join(rel)
}

/// The JSON document in `path` (an `expected.json` of a fixture).
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// The string `key` of each element of the JSON array `array`.
pub fn strings_at<'a>(array: &'a Value, key: &str) -> Vec<&'a str> {
    array
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap())
        .collect()
}

/// Standard base64 with padding (`*-data` fields).
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// URL-safe base64 without padding (JWT segments).
pub fn b64url(bytes: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A fresh, empty temporary folder, removed with everything in it when dropped.
/// Derefs to its [`Path`], so `dir.join("config")` works.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// A new folder named after `tag`, the process and a per-process counter
    /// (unique across the threads of one test binary).
    pub fn new(tag: &str) -> Self {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("kcred-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir { path }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` to `REL` in the folder (making its parents) and returns
    /// the file's path: a kubeconfig, a policy, a fixture tree.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
