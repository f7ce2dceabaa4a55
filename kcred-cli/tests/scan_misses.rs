//! `kcred scan` never says "no findings" for a credential it did not read:
//! each way a kubeconfig that kubectl loads can fail kcred's reading (too
//! large, a NUL byte, not UTF-8, YAML depth, alias and duplicate-key limits,
//! syntax) is a KC905 finding with its reason; tracked files are scanned
//! whatever `.gitignore`/`.ignore` say (git's index decides); a malformed index
//! fails open; FIFOs and link graphs never hang the walk. Fixtures are made in
//! temporary folders by each test.
// Spawning is allowed here: these tests run the kcred binary and git (see /clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const NOW: &str = "2026-01-01T00:00:00Z";

/// A live kubeconfig (an opaque token: KC501 in a tree).
const KUBECONFIG: &str = "apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://example.invalid
users:
- name: u
  user:
    token: CANARY-opaque-token
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
";

/// A fresh empty folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kcred-misses-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Runs `kcred scan DIR --format json ...`, killed after 120 s (a hang fails
/// the test instead of blocking it); returns the output and the document.
fn scan(dir: &Path, extra: &[&str]) -> (Output, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kcred"))
        .args(["scan", "--now", NOW, "--format", "json"])
        .arg(dir)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("kcred scan {} did not finish in 120 s", dir.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains("CANARY"), "a secret was printed");
    let doc = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{e}: {text} {}", String::from_utf8_lossy(&out.stderr)));
    (out, doc)
}

fn findings(doc: &Value) -> Vec<(String, String, String)> {
    doc["findings"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["location"]["file"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.email=t@example.invalid", "-c", "user.name=t"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn each_way_of_not_reading_a_kubeconfig_is_a_kc905_finding_with_its_reason() {
    let dir = temp("classes");
    let deep = format!(
        "{KUBECONFIG}extensions:\n- name: e\n  extension: {}{}\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    let aliases = format!(
        "{KUBECONFIG}x: &a [1]\ny: [{}]\n",
        vec!["*a"; 10_001].join(",")
    );
    let duplicate = KUBECONFIG.replace(
        "    token: CANARY-opaque-token\n",
        "    token: CANARY-opaque-token\n    token: CANARY-second\n",
    );
    // No `kind`: a kubeconfig by its keys, with the duplicate inside a user.
    let duplicate_shapeless = duplicate.replace("kind: Config\n", "");
    let syntax = KUBECONFIG.replace("current-context: x\n", "current-context: [x\n");
    let mut nul = KUBECONFIG.as_bytes().to_vec();
    nul.insert(KUBECONFIG.find("users").unwrap(), 0);
    let late_nul = format!("{KUBECONFIG}# {}\0\n", "p".repeat(9000));
    let mut not_utf8 = KUBECONFIG.as_bytes().to_vec();
    not_utf8.extend(b"# caf\xe9\n");
    // Past the default 16 MiB cap: kubeconfig then padding, and padding first.
    let pad = format!("# {}\n", "a".repeat(16 * 1024 * 1024));
    let big_head = format!("{KUBECONFIG}{pad}");
    let big_tail = format!("{pad}{KUBECONFIG}");
    let minified = format!(
        "{{\"apiVersion\":\"v1\",\"kind\":\"Config\",\"users\":[{{\"name\":\"u\",\"user\":{{\"token\":\"CANARY-json\"}}}}],\"pad\":\"{}\"}}",
        "a".repeat(16 * 1024 * 1024)
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("deep/config", deep.into_bytes(), "Depth"),
        ("aliases/config", aliases.into_bytes(), "Aliases"),
        ("duplicate/config", duplicate.into_bytes(), "duplicate key"),
        (
            "shapeless/config",
            duplicate_shapeless.into_bytes(),
            "duplicate key",
        ),
        ("syntax/config", syntax.into_bytes(), "syntax"),
        ("nul/config", nul, "binary"),
        ("late-nul/config", late_nul.into_bytes(), "YAML"),
        ("latin1/config", not_utf8, "not UTF-8"),
        ("big-head/config", big_head.into_bytes(), "larger than"),
        ("big-tail/config", big_tail.into_bytes(), "larger than"),
        ("minified/config.json", minified.into_bytes(), "larger than"),
    ];
    for (rel, bytes, reason) in &cases {
        let one = dir.join(rel.split('/').next().unwrap());
        write(&dir, rel, bytes);
        let (out, doc) = scan(&one, &[]);
        assert_eq!(out.status.code(), Some(1), "{rel}: {doc:#}");
        let found = findings(&doc);
        assert!(
            found.iter().any(|(code, file, message)| code == "KC905"
                && file.ends_with(rel)
                && message.contains(reason)),
            "{rel}: want KC905 with {reason:?}, got {found:#?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn what_does_not_look_like_a_credential_is_still_only_a_note() {
    let dir = temp("noise");
    // A README quoting a kubeconfig, broken as YAML; a big log; a binary with a CA.
    write(
        &dir,
        "README.md",
        "Set up access: copy this\n\n```yaml\nkind: Config\nusers: [\n```\n",
    );
    write(&dir, "big.log", "x".repeat(17 * 1024 * 1024));
    write(
        &dir,
        "tool.bin",
        b"\x7fELF\0\0-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    );
    let (out, doc) = scan(&dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{doc:#}");
    assert_eq!(doc["unreadable"].as_array().unwrap().len(), 0, "{doc:#}");
    let skipped: Vec<&str> = doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["too-large", "binary"], "{doc:#}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A repository whose committed ignore file is `*` and whose tracked
/// deploy/kubeconfig holds a live token; an untracked, ignored kubeconfig too.
fn star_repo(name: &str, ignore_file: &str) -> PathBuf {
    let dir = temp(name);
    git(&dir, &["init", "-q"]);
    write(&dir, "deploy/kubeconfig", KUBECONFIG);
    write(&dir, ignore_file, "*\n");
    git(&dir, &["add", "-f", ignore_file, "deploy/kubeconfig"]);
    git(&dir, &["commit", "-qm", "x"]);
    write(&dir, "scratch/untracked.yaml", KUBECONFIG);
    dir
}

fn files_with(doc: &Value, code: &str) -> Vec<String> {
    let mut out: Vec<String> = findings(doc)
        .into_iter()
        .filter(|(c, _, _)| c == code)
        .map(|(_, f, _)| f)
        .collect();
    out.sort();
    out
}

#[test]
fn a_tracked_file_is_scanned_whatever_gitignore_or_ignore_say() {
    if !git_available() {
        eprintln!("SKIPPED: needs git to build the repository fixture");
        return;
    }
    for ignore_file in [".gitignore", ".ignore"] {
        let dir = star_repo(&format!("star{ignore_file}"), ignore_file);
        let tracked = format!("{}/deploy/kubeconfig", dir.display());
        for version in ["2", "3", "4"] {
            if version == "3" {
                // An intent-to-add entry needs the extended flags of version 3.
                write(&dir, "deploy/later.txt", "notes\n");
                git(&dir, &["add", "-f", "-N", "deploy/later.txt"]);
            }
            git(&dir, &["update-index", "--index-version", version]);
            let (out, doc) = scan(&dir, &[]);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{ignore_file} v{version}: {doc:#}"
            );
            // The tracked one is found; the untracked ignored one is still skipped.
            assert_eq!(
                files_with(&doc, "KC501"),
                std::slice::from_ref(&tracked),
                "{doc:#}"
            );
        }
        // --no-ignore still scans everything.
        let (_, doc) = scan(&dir, &["--no-ignore"]);
        assert_eq!(files_with(&doc, "KC501").len(), 2, "{doc:#}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_malformed_index_is_noted_and_ignore_rules_are_not_applied() {
    if !git_available() {
        eprintln!("SKIPPED: needs git to build the repository fixture");
        return;
    }
    let dir = star_repo("malformed", ".gitignore");
    let index = dir.join(".git/index");
    let good = std::fs::read(&index).unwrap();
    let mut flipped = good.clone();
    flipped[20] ^= 0x40; // the checksum no longer matches
    for bad in [
        b"DIRC\0\0\0\x02garbage".to_vec(),
        flipped,
        good[..40].to_vec(),
    ] {
        std::fs::write(&index, &bad).unwrap();
        let (out, doc) = scan(&dir, &[]);
        assert_eq!(out.status.code(), Some(1), "{doc:#}");
        let note = doc["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["reason"] == "git-index-malformed")
            .unwrap_or_else(|| panic!("no git-index-malformed note: {doc:#}"));
        assert!(note["file"].as_str().unwrap().ends_with(".git/index"));
        assert_eq!(note["problem"]["kind"], "bad-document", "{note:#}");
        // Failing open: the untracked, ignored file is scanned too.
        assert_eq!(files_with(&doc, "KC501").len(), 2, "{doc:#}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn git_files_are_followed_inside_the_tree_and_noted_outside_it() {
    if !git_available() {
        eprintln!("SKIPPED: needs git to build the repository fixture");
        return;
    }
    // A submodule: its `.git` file points into the parent's .git/modules.
    let sub = star_repo("sub-origin", ".gitignore");
    let top = temp("super");
    git(&top, &["init", "-q"]);
    write(&top, "README.md", "top\n");
    git(&top, &["add", "README.md"]);
    git(
        &top,
        &[
            "submodule",
            "add",
            "-q",
            sub.to_str().unwrap(),
            "vendor/sub",
        ],
    );
    git(&top, &["commit", "-qm", "x"]);
    let (out, doc) = scan(&top, &[]);
    assert_eq!(out.status.code(), Some(1), "{doc:#}");
    assert_eq!(
        files_with(&doc, "KC501"),
        [format!("{}/vendor/sub/deploy/kubeconfig", top.display())],
        "{doc:#}"
    );
    // A worktree: its gitdir is in the origin repository, outside the scanned tree.
    let wt = std::env::temp_dir().join(format!("kcred-misses-wt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&wt);
    git(&sub, &["worktree", "add", "-q", wt.to_str().unwrap()]);
    let (_, doc) = scan(&wt, &[]);
    let note = doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["reason"] == "git-index-not-read")
        .unwrap_or_else(|| panic!("no git-index-not-read note: {doc:#}"));
    assert!(
        note["detail"]
            .as_str()
            .unwrap()
            .contains("outside the scanned tree"),
        "{note:#}"
    );
    for d in [&sub, &top, &wt] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[cfg(unix)]
#[test]
fn fifos_and_link_graphs_never_hang_the_walk() {
    use std::os::unix::fs::symlink;
    let dir = temp("links");
    write(&dir, "d0/config", KUBECONFIG);
    // 40 levels, two links each to the next: 2^40 paths, no loop. Each folder
    // must be entered once.
    for i in 0..40 {
        let here = dir.join(format!("d{i}"));
        std::fs::create_dir_all(&here).unwrap();
        for name in ["a", "b"] {
            symlink(dir.join(format!("d{}", i + 1)), here.join(name)).unwrap();
        }
    }
    std::fs::create_dir_all(dir.join("d40")).unwrap();
    let fifo_made = Command::new("mkfifo")
        .arg(dir.join("d3/pipe"))
        .status()
        .is_ok_and(|s| s.success());
    symlink(dir.join("d3/pipe"), dir.join("pipe-link")).unwrap();
    for extra in [&[][..], &["--follow-links"][..]] {
        let (out, doc) = scan(&dir, extra);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {doc:#}");
        assert_eq!(files_with(&doc, "KC501").len(), 1, "{extra:?}: {doc:#}");
        if fifo_made {
            assert!(
                doc["skipped"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["reason"] == "not-regular-file"),
                "{extra:?}: {doc:#}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// With `--follow-links`, links to folders outside the scanned tree (`/proc`,
/// `/`, a sibling folder) are noted and not followed; a link inside the tree
/// still is (a link to `/` is an ancestor: noted as a loop). Killed after 120 s
/// like every scan here, so walking `/proc` fails.
#[test]
fn links_out_of_the_tree_are_noted_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = temp("links-out");
    let outside = temp("links-out-elsewhere");
    write(&outside, "config", KUBECONFIG);
    write(&dir, "real/config", KUBECONFIG);
    symlink("/proc", dir.join("proc")).unwrap();
    symlink("/", dir.join("root")).unwrap();
    symlink(&outside, dir.join("elsewhere")).unwrap();
    symlink(dir.join("real"), dir.join("inside")).unwrap();
    let (out, doc) = scan(&dir, &["--follow-links"]);
    assert_eq!(out.status.code(), Some(1), "{doc:#}");
    let found = files_with(&doc, "KC501");
    assert_eq!(
        found.len(),
        1,
        "only the real folder's kubeconfig: {found:?}"
    );
    let noted: Vec<String> = doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap_or_default().to_owned())
        .collect();
    for name in ["proc", "root", "elsewhere"] {
        assert!(
            noted.iter().any(|f| f.ends_with(name)),
            "{name} not noted: {doc:#}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&outside);
}
