//! Hostile inputs: files an attacker may plant where kcred looks. Each test states
//! the typed error (or the correct result) it expects and, where one bad part
//! could hide the rest, checks that the rest of the input is still reported.
//!
//! No test here decides pass/fail on time: time and peak memory of each case are
//! measured on the release CLI by `tests/hostile/measure.sh`, which prints a table.
//! Every case is bounded by construction (size caps before reading, alias and
//! nesting budgets, refusing non-regular files), which these tests pin down.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use kcred_core::{
    decode_certificates, decode_token, inventory, load_file, load_merged, parse_kubeconfig,
    Credential, CredentialRecord, DiskFiles, Error, ExpiryStatus, Inventory, Limits, Loaded,
    Location, NoFiles, TokenFormat, UnknownReason,
};
use kcred_tests::support::{b64, b64url, data, Run, TempDir, NOW_AT as NOW};
use time::macros::datetime;
use time::OffsetDateTime;

/// A well-formed kubeconfig with one user, `survivor`, whose token must still be
/// reported whatever happens to the hostile file loaded beside it.
const SURVIVOR: &str = "users:\n- name: survivor\n  user:\n    token: sha256~survivor-token-0123456789abcdefghijklmnopq\n";

fn survivor_file(dir: &Path) -> PathBuf {
    let path = dir.join("survivor.yaml");
    std::fs::write(&path, SURVIVOR).unwrap();
    path
}

/// KUBECONFIG=hostile:survivor. The hostile file must give exactly `expected`,
/// and the survivor must still be loaded and inventoried.
fn merged_with_survivor(hostile: &Path) -> (Loaded, Inventory) {
    let dir = TempDir::new("hostile-survivor");
    let loaded = load_merged(
        &[hostile.to_path_buf(), survivor_file(&dir)],
        &Limits::default(),
    );
    assert!(
        loaded.config.user("survivor").is_some(),
        "the rest of the input was lost: {:?}",
        loaded.problems
    );
    let inv = inventory(&loaded.config, &NoFiles);
    assert!(inv.credentials.iter().any(|r| r.user == "survivor"));
    (loaded, inv)
}

/// `key:` and `n` list items under it, item `i` being `item(i)` (YAML
/// lines without their final newline).
fn list(key: &str, n: usize, item: impl Fn(usize) -> String) -> String {
    let mut text = format!("{key}:\n");
    for i in 0..n {
        text.push_str(&item(i));
        text.push('\n');
    }
    text
}

fn only(problems: &[Error]) -> &Error {
    assert_eq!(problems.len(), 1, "{problems:#?}");
    &problems[0]
}

fn syntax_reason(err: &Error, file: &Path) -> String {
    match err {
        Error::Syntax { at, reason } => {
            assert_eq!(at.file, file);
            reason.clone()
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

/// Inventories `yaml` (with the survivor user appended) without files.
fn inventory_of(users_yaml: &str) -> (Loaded, Inventory) {
    let text = format!("{SURVIVOR}{users_yaml}");
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("mem.yaml"), &Limits::default());
    let inv = inventory(&loaded.config, &NoFiles);
    assert!(
        inv.credentials.iter().any(|r| r.user == "survivor"),
        "the rest of the input was lost"
    );
    (loaded, inv)
}

/// Inventories `yaml` (with the survivor user appended), reading files from disk.
fn inventory_of_disk(users_yaml: &str) -> (Loaded, Inventory) {
    let text = format!("{SURVIVOR}{users_yaml}");
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("mem.yaml"), &Limits::default());
    let inv = inventory(&loaded.config, &DiskFiles::default());
    assert!(inv.credentials.iter().any(|r| r.user == "survivor"));
    (loaded, inv)
}

/// A JWT with an unchecked signature.
fn jwt(header: &str, claims: &[u8]) -> String {
    format!("{}.{}.c2ln", b64url(header.as_bytes()), b64url(claims))
}

fn record<'a>(inv: &'a Inventory, user: &str) -> &'a CredentialRecord {
    inv.credentials
        .iter()
        .find(|r| r.user == user)
        .unwrap_or_else(|| panic!("no record for {user}"))
}

fn problem_at<'a>(inv: &'a Inventory, entry: &str) -> Vec<&'a Error> {
    inv.problems
        .iter()
        .filter(|p| p.location().and_then(|l| l.entry.as_deref()) == Some(entry))
        .collect()
}

/// The helpers kcred-core's own hostile-input unit tests use.
#[path = "../../../kcred-core/src/test_support/hostile.rs"]
mod core_hostile;
use core_hostile::*;

mod certificates;
mod encodings;
mod input_boundary;
mod special_files;
mod structure;
mod tokens;
mod yaml_bombs;
