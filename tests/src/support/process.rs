//! The one process runner of the tests: the `kcred` binary under test and the
//! tools some tests need (kubectl, git, mkfifo, python3, sh); never a command
//! named in an input.
// Spawning is allowed here: this is the runner the test files share (see
// /clippy.toml and MAY_SPAWN in tests/tests/no_exec.rs).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `Run::new(env!("CARGO_BIN_EXE_kcred"))`: the binary under test, for the
/// integration tests of kcred-cli (the only crate that has it).
#[macro_export]
macro_rules! kcred {
    () => {
        $crate::support::Run::new(env!("CARGO_BIN_EXE_kcred"))
    };
}

/// A command to run, built like [`Command`]; stdin is always empty.
#[derive(Debug)]
pub struct Run {
    cmd: Command,
}

impl Run {
    /// `program`, with the test's environment until [`Run::clean_env`].
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        Run {
            cmd: Command::new(program),
        }
    }

    /// Only `HOME=home` and `PATH=/usr/bin:/bin`: nothing of the caller's
    /// environment (KUBECONFIG, colour, caches) leaks in.
    pub fn clean_env(self, home: &Path) -> Self {
        self.env_clear()
            .env("HOME", home)
            .env("PATH", "/usr/bin:/bin")
    }

    /// No environment at all (until [`Run::env`]).
    pub fn env_clear(mut self) -> Self {
        self.cmd.env_clear();
        self
    }

    /// One argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.cmd.arg(arg);
        self
    }

    /// Arguments.
    pub fn args<S: AsRef<OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.cmd.args(args);
        self
    }

    /// One environment variable.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// Removes one variable of the inherited environment.
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Self {
        self.cmd.env_remove(key);
        self
    }

    /// The working folder.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Runs to the end; stdout and stderr captured. Panics if it cannot start.
    pub fn output(self) -> Output {
        self.try_output().unwrap()
    }

    /// Runs to the end; `Err` when the program cannot be started.
    pub fn try_output(mut self) -> std::io::Result<Output> {
        self.cmd.stdin(Stdio::null()).output()
    }

    /// Whether it starts and exits 0 (output discarded): `tool --version`,
    /// `mkfifo PATH`, `sh -n -c LINE`.
    pub fn succeeds(self) -> bool {
        self.try_output().is_ok_and(|o| o.status.success())
    }

    /// Runs with `input` on stdin (written from another thread, so a child
    /// that answers while it reads cannot block); `Err` when it cannot start.
    pub fn output_with_stdin(mut self, input: &[u8]) -> std::io::Result<Output> {
        use std::io::Write as _;
        let mut child = self
            .cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let input = input.to_vec();
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let out = child.wait_with_output()?;
        let _ = writer.join();
        Ok(out)
    }

    /// Runs, killing it after `limit`: a blocked read never returns. `None`:
    /// it had to be killed.
    pub fn output_within(mut self, limit: Duration) -> Option<Output> {
        let mut child = self
            .cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + limit;
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(child.wait_with_output().unwrap())
    }
}

/// Whether `program args...` runs and exits 0 (`kubectl version --client`).
pub fn tool_available(program: &str, args: &[&str]) -> bool {
    Run::new(program).args(args).succeeds()
}

/// Asserts that `promtool check metrics` accepts `text` (`what` names it in
/// the message); `false` (nothing checked) when promtool is not installed.
#[track_caller]
pub fn assert_promtool_accepts(what: &str, text: &str) -> bool {
    let Ok(checked) = Run::new("promtool")
        .args(["check", "metrics"])
        .output_with_stdin(text.as_bytes())
    else {
        return false;
    };
    assert!(
        checked.status.success(),
        "{what}: promtool: {}",
        both(&checked)
    );
    true
}

/// Asserts that the SARIF log `log` validates against the SARIF 2.1.0 schema
/// (tests/data/schemas), with python3's jsonschema; `false` (nothing checked,
/// SKIPPED printed) when that is not installed.
#[track_caller]
pub fn assert_valid_sarif(what: &str, log: &[u8]) -> bool {
    if !tool_available("python3", &["-c", "import jsonschema"]) {
        eprintln!("SKIPPED: SARIF schema validation needs python3 with the jsonschema package");
        return false;
    }
    let dir = super::TempDir::new("sarif-schema");
    let file = dir.write("log.sarif", log);
    let script = "import json,sys,jsonschema\n\
                  s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2]))\n\
                  v=jsonschema.validators.validator_for(s)(s)\n\
                  errs=list(v.iter_errors(d))\n\
                  [print(e.message, list(e.path)) for e in errs[:5]]\n\
                  sys.exit(1 if errs else 0)";
    let check = Run::new("python3")
        .args(["-c", script])
        .arg(super::data("schemas/sarif-schema-2.1.0.json"))
        .arg(&file)
        .output();
    assert!(
        check.status.success(),
        "{what}: SARIF does not validate:\n{}",
        stdout(&check)
    );
    true
}

/// Asserts the exit code, with stderr as the message when it differs.
#[track_caller]
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", stderr(out));
}

/// stdout, lossily as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr, lossily as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// stdout then stderr, as one text (what a terminal shows).
pub fn both(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

/// stdout and stderr under headings, for assertion messages.
pub fn shown(out: &Output) -> String {
    format!("--- stdout\n{}\n--- stderr\n{}", stdout(out), stderr(out))
}
