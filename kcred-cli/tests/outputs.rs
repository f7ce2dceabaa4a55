//! Snapshots of what `kcred` prints for the bundled example
//! (examples/kubeconfigs/demo.yaml) at the fixtures' instant: every format of
//! `inspect`, `check` and `exposure`, and the error texts of a missing file and
//! of a file that is not YAML. The README's examples link these files
//! (`tests/snapshots/outputs__*.snap`); they replace the unchecked
//! docs/*-example.txt.
//!
//! Every run is from the repository root (or a temporary folder) with relative
//! paths, an empty HOME and no other environment, so no snapshot holds a path
//! of this machine. A change of output fails here; review it with
//! `cargo insta review` (or rerun with `INSTA_UPDATE=always`) and commit the
//! .snap files. CI sets `CI=true`, so insta never writes there.

use std::path::Path;

use kcred_tests::kcred;
use kcred_tests::support::{repo, stderr, stdout, TempDir, NOW};

const DEMO: &str = "examples/kubeconfigs/demo.yaml";

/// `kcred ARGS --now NOW` in `cwd` with an empty HOME: (exit code, stdout, stderr).
fn run_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let home = TempDir::new("outputs-home");
    let out = kcred!()
        .args(args)
        .args(["--now", NOW])
        .current_dir(cwd)
        .clean_env(&home)
        .output();
    let code = out.status.code().expect("exited");
    (code, stdout(&out), stderr(&out))
}

/// `kcred SUBCOMMAND --kubeconfig DEMO ARGS` from the repository root: its
/// stdout, after checking the exit code and that nothing went to stderr.
fn demo(subcommand: &str, args: &[&str], want_code: i32) -> String {
    let mut all = vec![subcommand, "--kubeconfig", DEMO];
    all.extend_from_slice(args);
    let (code, out, err) = run_in(&repo(), &all);
    assert_eq!(code, want_code, "kcred {all:?}: {err}");
    assert_eq!(err, "", "kcred {all:?}");
    out
}

#[test]
fn inspect_table() {
    insta::assert_snapshot!("inspect_table", demo("inspect", &[], 0));
}

#[test]
fn inspect_json() {
    insta::assert_snapshot!("inspect_json", demo("inspect", &["--format", "json"], 0));
}

#[test]
fn check_table() {
    let out = demo("check", &["--policy", "strict"], 1);
    insta::assert_snapshot!("check_table", out);
}

#[test]
fn check_json() {
    let out = demo("check", &["--policy", "strict", "--format", "json"], 1);
    insta::assert_snapshot!("check_json", out);
}

#[test]
fn check_sarif() {
    let out = demo("check", &["--policy", "strict", "--format", "sarif"], 1);
    // %SRCROOT% is the folder kcred ran in: this machine's repository.
    let root = format!("\"file://{}/\"", repo().display());
    assert!(out.contains(&root), "{out}");
    insta::assert_snapshot!("check_sarif", out.replace(&root, "\"file:///REPO/\""));
}

#[test]
fn check_prometheus() {
    let out = demo(
        "check",
        &["--policy", "strict", "--format", "prometheus"],
        1,
    );
    insta::assert_snapshot!("check_prometheus", out);
}

#[test]
fn exposure_table() {
    insta::assert_snapshot!("exposure_table", demo("exposure", &[], 0));
}

#[test]
fn exposure_json() {
    let out = demo("exposure", &["--format", "json"], 0);
    insta::assert_snapshot!("exposure_json", out);
}

/// Exit code, stdout and stderr of an error, as one text.
fn shown(code: i32, out: &str, err: &str) -> String {
    format!("exit: {code}\n--- stdout\n{out}--- stderr\n{err}")
}

#[test]
fn error_missing_file() {
    let args = [
        "inspect",
        "--kubeconfig",
        "examples/kubeconfigs/missing.yaml",
    ];
    let (code, out, err) = run_in(&repo(), &args);
    insta::assert_snapshot!("error_missing_file", shown(code, &out, &err));
}

#[test]
fn error_bad_yaml() {
    let dir = TempDir::new("outputs-bad-yaml");
    dir.write("bad.yaml", "users: [\n");
    let (code, out, err) = run_in(&dir, &["inspect", "--kubeconfig", "bad.yaml"]);
    insta::assert_snapshot!("error_bad_yaml_inspect", shown(code, &out, &err));
    let (code, out, err) = run_in(&dir, &["check", "--kubeconfig", "bad.yaml"]);
    insta::assert_snapshot!("error_bad_yaml_check", shown(code, &out, &err));
}
