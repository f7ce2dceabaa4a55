//! The pre-commit hooks of .pre-commit-hooks.yaml, run by pre-commit itself
//! (`pre-commit try-repo`) in scratch git repositories: `kcred-check` gets
//! the kubeconfigs of the layouts the README shows and nothing else;
//! `kcred-scan` finds a credential committed under any name. SKIPPED when
//! pre-commit or git is not installed (.ci/run installs pre-commit from PyPI);
//! nothing here needs the network.

use std::path::Path;
use std::process::Output;

use kcred_tests::support::{both, repo, Run, TempDir};

/// A kubeconfig with basic auth: KC201, an error under every policy.
const BASIC_AUTH: &str = "apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: 'https://10.0.0.1:6443'}
contexts:
- name: c
  context: {cluster: c, user: u}
users:
- name: u
  user: {username: admin, password: hunter2}
";

/// How to run pre-commit here: its command, or `python3 -m pre_commit`.
fn pre_commit() -> Option<Vec<&'static str>> {
    [vec!["pre-commit"], vec!["python3", "-m", "pre_commit"]]
        .into_iter()
        .find(|cmd| Run::new(cmd[0]).args(&cmd[1..]).arg("--version").succeeds())
}

fn git(dir: &Path, args: &[&str]) {
    let out = Run::new("git")
        .args([
            "-c",
            "user.name=kcred",
            "-c",
            "user.email=kcred@example.invalid",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output();
    assert!(out.status.success(), "git {args:?}: {}", both(&out));
}

/// The scratch repositories: one holding only .pre-commit-hooks.yaml (the
/// hook definitions under test, committed), one with files in each layout
/// (staged), and a folder whose `kcred` is the binary under test.
struct Scratch {
    _root: TempDir,
    hooks: std::path::PathBuf,
    project: std::path::PathBuf,
    bin: std::path::PathBuf,
    cache: std::path::PathBuf,
}

fn scratch(files: &[(&str, &str)]) -> Scratch {
    let root = TempDir::new("precommit");
    let hooks = root.join("hooks");
    let project = root.join("project");
    let bin = root.join("bin");
    for d in [&hooks, &project, &bin] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::copy(
        repo().join(".pre-commit-hooks.yaml"),
        hooks.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    git(&hooks, &["init", "-q"]);
    git(&hooks, &["add", "."]);
    git(&hooks, &["commit", "-q", "-m", "hooks"]);
    git(&project, &["init", "-q"]);
    for (rel, text) in files {
        root.write(&format!("project/{rel}"), text);
    }
    git(&project, &["add", "-A"]);
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kcred"), bin.join("kcred")).unwrap();
    let cache = root.join("cache");
    Scratch {
        _root: root,
        hooks,
        project,
        bin,
        cache,
    }
}

/// `pre-commit try-repo HOOKS HOOK --all-files --verbose` in the project.
fn try_repo(cmd: &[&str], s: &Scratch, hook: &str) -> Output {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![s.bin.clone()];
    paths.extend(std::env::split_paths(&path));
    Run::new(cmd[0])
        .args(&cmd[1..])
        .arg("try-repo")
        .arg(&s.hooks)
        .args([hook, "--all-files", "--verbose", "--color", "never"])
        .current_dir(&s.project)
        .env("PATH", std::env::join_paths(paths).unwrap())
        .env("PRE_COMMIT_HOME", &s.cache)
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .output()
}

#[test]
fn kcred_check_gets_the_kubeconfigs_of_the_readme_layouts() {
    let Some(cmd) = pre_commit() else {
        eprintln!("SKIPPED: pre-commit is not installed (python3 -m pip install pre-commit)");
        return;
    };
    let checked = [
        "kubeconfigs/prod.yaml",
        "kubeconfigs/dev.yml",
        "clusters/team.kubeconfig",
        "kubeconfig",
        "ops/kubeconfig-staging",
        "home/.kube/config",
    ];
    let left_out = [
        "docs/example.yaml",
        "kubeconfigs/old/archive.yaml",
        "notes.txt",
    ];
    let files: Vec<(&str, &str)> = checked
        .iter()
        .chain(&left_out)
        .map(|f| (*f, BASIC_AUTH))
        .collect();
    let s = scratch(&files);
    let out = try_repo(&cmd, &s, "kcred-check");
    let text = both(&out);
    assert_eq!(out.status.code(), Some(1), "findings fail the hook: {text}");
    assert!(text.contains("kcred check"), "{text}");
    for f in checked {
        assert!(text.contains(&format!("{f}:")), "{f} not checked: {text}");
    }
    for f in left_out {
        assert!(!text.contains(f), "{f} checked: {text}");
    }
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn kcred_scan_finds_a_credential_committed_under_any_name() {
    let Some(cmd) = pre_commit() else {
        eprintln!("SKIPPED: pre-commit is not installed (python3 -m pip install pre-commit)");
        return;
    };
    let s = scratch(&[("notes.txt", BASIC_AUTH), ("README.md", "# hello\n")]);
    let out = try_repo(&cmd, &s, "kcred-scan");
    let text = both(&out);
    assert_eq!(out.status.code(), Some(1), "KC501 fails the hook: {text}");
    assert!(text.contains("KC501"), "{text}");
    assert!(text.contains("notes.txt"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    // A clean tree passes.
    let s = scratch(&[("README.md", "# hello\n")]);
    let out = try_repo(&cmd, &s, "kcred-scan");
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
}
