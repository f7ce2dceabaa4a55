//! The no-execution, no-network guarantee, checked at the source: kcred-core
//! names neither `std::process` nor `std::net`, the CLI neither spawns nor
//! connects, the clippy config that enforces it workspace-wide is in place, and
//! only the known test files opt out of it. The behaviour itself (an exec
//! command or `cmd-path` that would create a marker file is never run) is tested
//! end to end in kcred-cli/tests/canary.rs and inspect.rs.

use std::path::{Path, PathBuf};

use kcred_tests::support::repo;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap()) {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != ".git" && name != ".venv" {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Code without `//` comments (doc comments may mention what the code avoids).
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What in `text` reaches process or network APIs, however it is imported.
fn forbidden_in(text: &str, words: &[&str]) -> Vec<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut found: Vec<String> = words
        .iter()
        .filter(|w| compact.contains(*w))
        .map(|w| (*w).to_owned())
        .collect();
    // `use std::process::{Command, ExitCode};`.
    for group in compact.split("process::{").skip(1) {
        let inner = group.split('}').next().unwrap_or_default();
        if inner
            .split(',')
            .any(|item| item == "Command" || item.starts_with("Commandas"))
        {
            found.push(format!("process::{{{inner}}}"));
        }
    }
    // `use std::{fs, process};` and friends.
    for group in compact.split("std::{").skip(1) {
        let inner = group.split('}').next().unwrap_or_default();
        for item in inner.split(',') {
            let head = item.split("::").next().unwrap_or_default();
            if head == "process" || head == "net" {
                found.push(format!("std::{{{item}}}"));
            }
        }
    }
    found
}

#[test]
fn the_check_sees_the_usual_spellings() {
    let cli = ["process::Command", "std::net", "net::"];
    for text in [
        "use std::process::Command;",
        "use std::process::{Command, ExitCode};",
        "use std::process::{ExitCode, Command as Cmd};",
        "use std::{fs, net};",
        "let s = std::net::TcpStream::connect(a);",
        "use std::{io, process::Command};",
    ] {
        assert!(!forbidden_in(text, &cli).is_empty(), "missed: {text}");
    }
    for text in [
        "use std::process::ExitCode;",
        "enum Command { Inspect }",
        "Command::Inspect(a) => {}",
    ] {
        let found: Vec<String> = forbidden_in(text, &cli)
            .into_iter()
            .filter(|f| f != "std::{process::ExitCode}")
            .collect();
        assert!(found.is_empty(), "false alarm on {text}: {found:?}");
    }
}

#[test]
fn core_names_neither_std_process_nor_std_net() {
    let mut files = Vec::new();
    rust_files(&repo().join("kcred-core/src"), &mut files);
    assert!(files.len() > 5, "kcred-core/src not found");
    // Out-of-line test modules (`#[cfg(test)] mod tests;`) are not part of the
    // library; they may spawn tools (promtool, python3), as MAY_SPAWN lists.
    let test_only = test_module_files(&files);
    assert!(test_only.iter().all(|f| files.contains(f)), "{test_only:?}");
    files.retain(|f| !test_only.contains(f));
    let words = [
        "std::process",
        "std::net",
        "process::",
        "net::",
        "Command",
        "TcpStream",
        "UdpSocket",
        "TcpListener",
        "UnixStream",
        "disallowed_methods",
        "disallowed_types",
    ];
    for file in files {
        let found = forbidden_in(&library_code(&file), &words);
        assert!(found.is_empty(), "{}: {found:?}", file.display());
    }
}

/// Code up to an inline `#[cfg(test)] mod tests {`: unit tests sit at the bottom of each
/// module (STYLE.md §8) and may use `std::process::id()` for temp names.
fn library_code(path: &Path) -> String {
    let text = code(path);
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|w| {
            w[0].trim() == "#[cfg(test)]"
                && w[1].trim().starts_with("mod ")
                && w[1].trim().ends_with('{')
        })
        .unwrap_or(lines.len());
    lines[..end].join("\n")
}

/// Files declared as `#[cfg(test)] mod name;` by another file of `files`.
fn test_module_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for file in files {
        let compact: String = code(file).chars().filter(|c| !c.is_whitespace()).collect();
        let dir = match file.file_name().and_then(|n| n.to_str()) {
            Some("mod.rs" | "lib.rs" | "main.rs") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        for rest in compact.split("#[cfg(test)]mod").skip(1) {
            let Some(name) = rest.split(';').next().filter(|n| !n.contains('{')) else {
                continue;
            };
            for candidate in [
                dir.join(format!("{name}.rs")),
                dir.join(name).join("mod.rs"),
            ] {
                if candidate.exists() {
                    out.push(candidate);
                }
            }
        }
    }
    out
}

#[test]
fn core_depends_on_no_process_or_network_crate() {
    let manifest = std::fs::read_to_string(repo().join("kcred-core/Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap_or_default()
        .split("\n[")
        .next()
        .unwrap_or_default();
    for name in [
        "tokio",
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "mio",
        "socket2",
        "nix",
        "libc",
        "subprocess",
        "duct",
        "which",
    ] {
        let declared = deps.lines().any(|l| {
            l.trim_start().starts_with(&format!("{name} "))
                || l.trim_start().starts_with(&format!("{name}="))
                || l.trim_start().starts_with(&format!("{name}."))
        });
        assert!(!declared, "kcred-core depends on {name}");
    }
}

#[test]
fn cli_neither_spawns_nor_connects() {
    let mut files = Vec::new();
    rust_files(&repo().join("kcred-cli/src"), &mut files);
    // `std::process::ExitCode` is how the CLI exits; anything that runs or connects is not.
    let words = [
        "process::Command",
        "std::net",
        "net::",
        "TcpStream",
        "UdpSocket",
        "UnixStream",
        "disallowed_methods",
        "disallowed_types",
    ];
    for file in files {
        let text = code(&file);
        let found = forbidden_in(&text, &words);
        let found: Vec<String> = found
            .into_iter()
            .filter(|f| f != "std::{process::ExitCode}")
            .collect();
        assert!(found.is_empty(), "{}: {found:?}", file.display());
        // A clap `Command` enum is fine; std's is not.
        assert!(
            !text.contains("use std::process::Command"),
            "{}",
            file.display()
        );
    }
}

#[test]
fn clippy_config_forbids_process_and_network_apis() {
    let config = std::fs::read_to_string(repo().join("clippy.toml")).unwrap();
    for path in [
        "std::process::Command::new",
        "std::process::Command",
        "std::net::TcpStream",
        "std::net::UdpSocket",
        "std::net::TcpListener",
    ] {
        assert!(
            config.contains(&format!("path = \"{path}\"")),
            "clippy.toml lacks {path}"
        );
    }
    // No nested clippy.toml may override it for one crate.
    for crate_dir in CRATE_DIRS {
        for name in ["clippy.toml", ".clippy.toml"] {
            assert!(
                !repo().join(crate_dir).join(name).exists(),
                "{crate_dir}/{name} would override /clippy.toml"
            );
        }
    }
}

/// The folders of the crates (the root workspace's and kcred-py).
const CRATE_DIRS: &[&str] = &[
    "kcred-core",
    "kcred-cli",
    "tests",
    "examples",
    "benches",
    "kcred-py",
];

/// Test files that may spawn processes. Adding one is a reviewed decision.
/// The test files spawn through the one runner in tests/src/support/process.rs
/// (the kcred binary, kubectl, git, mkfifo, python3, sh, promtool).
const MAY_SPAWN: &[&str] = &[
    "tests/src/support/process.rs",
    "kcred-core/src/policy/tests.rs",
];

#[test]
fn only_known_test_files_opt_out_of_the_clippy_config() {
    let mut files = Vec::new();
    for dir in CRATE_DIRS {
        let dir = repo().join(dir);
        if dir.exists() {
            rust_files(&dir, &mut files);
        }
    }
    for file in files {
        let rel = file
            .strip_prefix(repo())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "tests/tests/no_exec.rs" {
            continue; // this checker names the lints it looks for
        }
        let text = code(&file);
        let opts_out = text.contains("clippy::disallowed_methods")
            || text.contains("clippy::disallowed_types");
        assert!(
            !opts_out || MAY_SPAWN.contains(&rel.as_str()),
            "{rel} opts out of the no-execution lints; add it to MAY_SPAWN if it must spawn"
        );
    }
}
