//! The release archive (scripts/release-archive) is the file both installers
//! download: the krew manifest (plugins/kcred.yaml) and `cargo binstall`
//! (kcred-cli/Cargo.toml, `[package.metadata.binstall]`). These tests make it
//! from the kcred this test run built and check the three agree.

use std::path::Path;

use kcred_tests::support::{repo, stderr, stdout, tool_available, Run, TempDir};

const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The target of the manifest's first platform (linux/amd64).
const KREW_TARGET: &str = "x86_64-unknown-linux-musl";

/// One `key = "value"` line of a TOML table, read as text (the tests crate
/// has no TOML parser, and these lines are plain strings).
fn toml_string(text: &str, table: &str, key: &str) -> String {
    let start = text
        .find(&format!("[{table}]\n"))
        .unwrap_or_else(|| panic!("no [{table}]"));
    let body = &text[start..];
    let line = body
        .lines()
        .find(|l| l.starts_with(&format!("{key} = \"")))
        .unwrap_or_else(|| panic!("no {key} in [{table}]"));
    line.split('"').nth(1).unwrap().to_string()
}

/// The URL cargo-binstall builds from the metadata: its template variables
/// filled as cargo-binstall documents them (`archive-suffix` of `tgz` is `.tar.gz`).
fn binstall_url(target: &str) -> String {
    let root = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let cli = std::fs::read_to_string(repo().join("kcred-cli/Cargo.toml")).unwrap();
    assert!(cli.contains("repository.workspace = true"));
    assert_eq!(
        toml_string(&cli, "package.metadata.binstall", "pkg-fmt"),
        "tgz"
    );
    assert_eq!(
        toml_string(&cli, "package.metadata.binstall", "bin-dir"),
        "{ bin }{ binary-ext }",
        "the archive holds kcred at its root"
    );
    toml_string(&cli, "package.metadata.binstall", "pkg-url")
        .replace(
            "{ repo }",
            &toml_string(&root, "workspace.package", "repository"),
        )
        .replace("{ version }", VERSION)
        .replace("{ target }", target)
        .replace("{ archive-suffix }", ".tar.gz")
}

fn make_archive(out: &Path, target: &str) -> (String, Vec<u8>) {
    let run = Run::new(repo().join("scripts/release-archive"))
        .args([
            "--target",
            target,
            "--bin",
            env!("CARGO_BIN_EXE_kcred"),
            "--out",
        ])
        .arg(out)
        .output();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let name = format!("kcred-v{VERSION}-{target}.tar.gz");
    let printed = stdout(&run);
    let (hash, file) = printed.trim_end().split_once("  ").expect("sha256sum line");
    assert_eq!(file, name);
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
    (hash.to_string(), std::fs::read(out.join(&name)).unwrap())
}

#[test]
fn krew_and_binstall_download_the_archive_the_release_script_makes() {
    let manifest = std::fs::read_to_string(repo().join("plugins/kcred.yaml")).unwrap();
    let krew_uri = manifest
        .lines()
        .filter_map(|l| l.trim().strip_prefix("uri: "))
        .find(|uri| uri.ends_with(&format!("-{KREW_TARGET}.tar.gz")))
        .expect("a linux/amd64 platform in the krew manifest");
    assert_eq!(binstall_url(KREW_TARGET), krew_uri);
    assert!(krew_uri.ends_with(&format!("/kcred-v{VERSION}-{KREW_TARGET}.tar.gz")));
}

#[test]
fn the_release_archive_holds_kcred_and_license_at_its_root_and_is_reproducible() {
    if !tool_available("tar", &["--version"]) || !tool_available("sha256sum", &["--version"]) {
        eprintln!("SKIPPED: tar or sha256sum not installed: the release archive is NOT checked");
        return;
    }
    let dir = TempDir::new("release");
    let (hash, bytes) = make_archive(&dir.path().join("one"), KREW_TARGET);
    let (again, same) = make_archive(&dir.path().join("two"), KREW_TARGET);
    assert_eq!((hash, bytes.len()), (again, same.len()));
    assert!(bytes == same, "two runs made different archives");

    let archive = dir
        .path()
        .join(format!("one/kcred-v{VERSION}-{KREW_TARGET}.tar.gz"));
    let listing = Run::new("tar").arg("-tzf").arg(&archive).output();
    assert_eq!(stdout(&listing), "kcred\nLICENSE\n");
    let unpacked = dir.path().join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    let untar = Run::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&unpacked)
        .output();
    assert_eq!(untar.status.code(), Some(0), "{}", stderr(&untar));
    let version = Run::new(unpacked.join("kcred")).arg("--version").output();
    assert_eq!(stdout(&version), format!("kcred {VERSION}\n"));
}

#[test]
fn the_release_script_refuses_an_unknown_argument() {
    let run = Run::new(repo().join("scripts/release-archive"))
        .arg("--upload")
        .output();
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("unknown argument: --upload"));
}
