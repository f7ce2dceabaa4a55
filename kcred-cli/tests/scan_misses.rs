//! `kcred scan` never says "no findings" for a credential it did not read:
//! each way a kubeconfig that kubectl loads can fail kcred's reading (too
//! large, a NUL byte, not UTF-8, YAML depth, alias and duplicate-key limits,
//! syntax) is a KC905 finding with its reason; tracked files are scanned
//! whatever `.gitignore`/`.ignore` say (git's index decides); a malformed index
//! fails open; FIFOs and link graphs never hang the walk. Fixtures are made in
//! temporary folders by each test.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use kcred_tests::kcred;
use kcred_tests::support::{stderr, stdout, strings_at, tool_available, Run, TempDir, NOW};
use serde_json::Value;

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
fn temp(name: &str) -> TempDir {
    TempDir::new(&format!("misses-{name}"))
}

/// Runs `kcred scan DIR --format json ...`, killed after 120 s (a hang fails
/// the test instead of blocking it); returns the output and the document.
fn scan(dir: &Path, extra: &[&str]) -> (Output, Value) {
    let out = kcred!()
        .args(["scan", "--now", NOW, "--format", "json"])
        .arg(dir)
        .args(extra)
        .output_within(Duration::from_secs(120))
        .unwrap_or_else(|| panic!("kcred scan {} did not finish in 120 s", dir.display()));
    let text = stdout(&out);
    assert!(!text.contains("CANARY"), "a secret was printed");
    let doc =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text} {}", stderr(&out)));
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

/// The `skipped` note of `doc` with this reason.
fn skipped_note<'a>(doc: &'a Value, reason: &str) -> &'a Value {
    doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["reason"] == reason)
        .unwrap_or_else(|| panic!("no {reason} note: {doc:#}"))
}

fn git(dir: &Path, args: &[&str]) {
    let out = Run::new("git")
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
        .output();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
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
        ("deep/config", deep.into_bytes(), "nested too deeply"),
        ("aliases/config", aliases.into_bytes(), "alias"),
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
        dir.write(rel, bytes);
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
}

#[test]
fn what_does_not_look_like_a_credential_is_still_only_a_note() {
    let dir = temp("noise");
    // A README quoting a kubeconfig, broken as YAML; a big log; a binary with a CA.
    dir.write(
        "README.md",
        "Set up access: copy this\n\n```yaml\nkind: Config\nusers: [\n```\n",
    );
    dir.write("big.log", "x".repeat(17 * 1024 * 1024));
    dir.write(
        "tool.bin",
        b"\x7fELF\0\0-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    );
    let (out, doc) = scan(&dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{doc:#}");
    assert_eq!(doc["unreadable"].as_array().unwrap().len(), 0, "{doc:#}");
    let skipped = strings_at(&doc["skipped"], "reason");
    assert_eq!(skipped, ["too-large", "binary"], "{doc:#}");
}

/// A repository whose committed ignore file is `*` and whose tracked
/// deploy/kubeconfig holds a live token; an untracked, ignored kubeconfig too.
/// `None` (after saying SKIPPED) when git is not there to build it.
fn star_repo(name: &str, ignore_file: &str) -> Option<TempDir> {
    if !tool_available("git", &["--version"]) {
        eprintln!("SKIPPED: needs git to build the repository fixture");
        return None;
    }
    let dir = temp(name);
    git(&dir, &["init", "-q"]);
    dir.write("deploy/kubeconfig", KUBECONFIG);
    dir.write(ignore_file, "*\n");
    git(&dir, &["add", "-f", ignore_file, "deploy/kubeconfig"]);
    git(&dir, &["commit", "-qm", "x"]);
    dir.write("scratch/untracked.yaml", KUBECONFIG);
    Some(dir)
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
    for ignore_file in [".gitignore", ".ignore"] {
        let Some(dir) = star_repo(&format!("star{ignore_file}"), ignore_file) else {
            return;
        };
        let tracked = format!("{}/deploy/kubeconfig", dir.display());
        for version in ["2", "3", "4"] {
            if version == "3" {
                // An intent-to-add entry needs the extended flags of version 3.
                dir.write("deploy/later.txt", "notes\n");
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
    }
}

#[test]
fn a_malformed_index_is_noted_and_ignore_rules_are_not_applied() {
    let Some(dir) = star_repo("malformed", ".gitignore") else {
        return;
    };
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
        let note = skipped_note(&doc, "git-index-malformed");
        assert!(note["file"].as_str().unwrap().ends_with(".git/index"));
        assert_eq!(note["problem"]["kind"], "bad-document", "{note:#}");
        // Failing open: the untracked, ignored file is scanned too.
        assert_eq!(files_with(&doc, "KC501").len(), 2, "{doc:#}");
    }
}

#[test]
fn git_files_are_followed_inside_the_tree_and_noted_outside_it() {
    // A submodule: its `.git` file points into the parent's .git/modules.
    let Some(sub) = star_repo("sub-origin", ".gitignore") else {
        return;
    };
    let top = temp("super");
    git(&top, &["init", "-q"]);
    top.write("README.md", "top\n");
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
    let wt_parent = temp("wt");
    let wt = wt_parent.join("wt");
    git(&sub, &["worktree", "add", "-q", wt.to_str().unwrap()]);
    let (_, doc) = scan(&wt, &[]);
    let note = skipped_note(&doc, "git-index-not-read");
    assert!(
        note["detail"]
            .as_str()
            .unwrap()
            .contains("outside the scanned tree"),
        "{note:#}"
    );
}

#[cfg(unix)]
#[test]
fn fifos_and_link_graphs_never_hang_the_walk() {
    use std::os::unix::fs::symlink;
    let dir = temp("links");
    dir.write("d0/config", KUBECONFIG);
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
    let fifo_made = Run::new("mkfifo").arg(dir.join("d3/pipe")).succeeds();
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
    outside.write("config", KUBECONFIG);
    dir.write("real/config", KUBECONFIG);
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
}
