//! Shell and kubectl integration: `kcred completions SHELL`, `kcred man`, the
//! kubectl plugin (`kubectl-kcred` on PATH: usage and help say `kubectl kcred`)
//! and its krew manifest in plugins/.

use std::path::PathBuf;

use kcred_tests::kcred;
use kcred_tests::support::{repo, stderr, stdout, tool_available, Run, TempDir};

const SUBCOMMANDS: &[&str] = &[
    "inspect",
    "exposure",
    "check",
    "rules",
    "rule",
    "pki",
    "scan",
    "decode",
    "completions",
    "man",
];

#[test]
fn completions_for_every_shell() {
    for (shell, marker, checker) in [
        ("bash", "complete -F _kcred", Some(("bash", "-n"))),
        ("zsh", "#compdef kcred", Some(("zsh", "-n"))),
        ("fish", "complete -c kcred", Some(("fish", "--no-execute"))),
        ("powershell", "Register-ArgumentCompleter", None),
    ] {
        let out = kcred!().args(["completions", shell]).output();
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}");
        // fish spells them `-l output-format`.
        for flag in ["output-format", "exit-zero", "quiet", "kubeconfig"] {
            assert!(script.contains(flag), "{shell}: {flag}");
        }
        // The script is valid shell syntax, where that shell is installed.
        if let Some((program, check)) = checker {
            if tool_available(program, &["-c", ""]) || tool_available(program, &["--version"]) {
                let dir = TempDir::new("completions");
                let file = dir.write(&format!("kcred.{shell}"), &script);
                let ok = Run::new(program).arg(check).arg(&file).output();
                assert!(ok.status.success(), "{shell}: {}", stderr(&ok));
            } else {
                eprintln!("SKIPPED: {program} not installed, {shell} syntax not checked");
            }
        }
    }
    let bad = kcred!().args(["completions", "tcsh"]).output();
    assert_eq!(bad.status.code(), Some(2));
    let refused = stderr(&bad);
    assert!(refused.contains("possible values: bash"), "{refused}");
}

#[test]
fn man_page() {
    let out = kcred!().arg("man").output();
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(page.contains(".TH kcred 1"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("kcred\\-{sub}")) || page.contains(sub),
            "{sub}"
        );
    }
    // groff formats it without a warning, where groff is installed.
    if tool_available("groff", &["--version"]) {
        let formatted = Run::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .output_with_stdin(page.as_bytes())
            .unwrap();
        assert!(formatted.status.success());
        assert_eq!(stderr(&formatted), "", "groff warnings");
    } else {
        eprintln!("SKIPPED: groff not installed, the page is not formatted");
    }
}

/// The binary under test, linked as `kubectl-kcred` in a fresh folder.
fn plugin() -> (TempDir, PathBuf) {
    let dir = TempDir::new("plugin");
    let link = dir.join("kubectl-kcred");
    #[cfg(unix)]
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kcred"), &link).unwrap();
    #[cfg(not(unix))]
    std::fs::copy(env!("CARGO_BIN_EXE_kcred"), &link).unwrap();
    (dir, link)
}

#[test]
fn as_kubectl_kcred_usage_says_kubectl_kcred() {
    let (dir, link) = plugin();
    // Help wraps at $COLUMNS when clap's wrap_help feature is on (a
    // workspace build: a dev-dependency enables it), else never: wide enough
    // for both to agree.
    let help = Run::new(&link)
        .arg("--help")
        .clean_env(&dir)
        .env("COLUMNS", "10000")
        .output();
    assert_eq!(help.status.code(), Some(0));
    insta::assert_snapshot!("plugin_help", stdout(&help));
    let sub = Run::new(&link).args(["check", "--help"]).output();
    assert!(stdout(&sub).contains("Usage: kubectl kcred check [OPTIONS] [PATH]..."));
    // Usage errors too (exit 2).
    let bad = Run::new(&link).args(["check", "--bogus"]).output();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("Usage: kubectl kcred check"),
        "{}",
        stderr(&bad)
    );
    let version = Run::new(&link).arg("--version").output();
    assert_eq!(
        stdout(&version),
        format!("kubectl kcred {}\n", env!("CARGO_PKG_VERSION"))
    );
    // The same commands work: `kubectl kcred rules` lists the rules.
    let rules = Run::new(&link).arg("rules").output();
    assert_eq!(rules.status.code(), Some(0));
    assert!(stdout(&rules).contains("KC101"));
    // Completions for the plugin's executable, and kcred's own name unchanged.
    let fish = Run::new(&link).args(["completions", "fish"]).output();
    assert!(stdout(&fish).contains("complete -c kubectl-kcred"));
    let own = kcred!().arg("--help").output();
    assert!(stdout(&own).contains("Usage: kcred <COMMAND>"));
}

#[test]
fn krew_manifest_names_the_plugin_and_this_version() {
    let text = std::fs::read_to_string(repo().join("plugins/kcred.yaml")).unwrap();
    assert!(text.contains("apiVersion: krew.googlecontainertools.github.com/v1alpha2"));
    assert!(text.contains("kind: Plugin\nmetadata:\n  name: kcred\n"));
    let version = format!("  version: v{}\n", env!("CARGO_PKG_VERSION"));
    assert!(
        text.contains(&version),
        "plugins/kcred.yaml: version is not {version}"
    );
    let platforms = text.matches("  - selector:").count();
    assert!(platforms >= 1);
    // Every platform installs kcred as kubectl-kcred, with a sha256 to fill.
    assert_eq!(text.matches("    bin: kubectl-kcred\n").count(), platforms);
    assert_eq!(
        text.matches("{from: kcred, to: kubectl-kcred}").count(),
        platforms
    );
    let placeholder = format!("    sha256: \"{}\"\n", "0".repeat(64));
    assert_eq!(text.matches(&placeholder).count(), platforms);
    let archive = format!("/v{0}/kcred-v{0}-", env!("CARGO_PKG_VERSION"));
    assert_eq!(text.matches(&archive).count(), platforms);
}
