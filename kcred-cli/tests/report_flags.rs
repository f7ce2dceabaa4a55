//! The flags every reporting subcommand shares (issue 16): `--output FILE`
//! (atomic, mode kept), `--output-format`, `--quiet`, `--exit-zero`, and
//! `check -` / `--kubeconfig -` reading one kubeconfig from stdin.

use std::path::Path;
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{repo, stderr, stdout, Run, TempDir, NOW};

const DEMO: &str = "examples/kubeconfigs/demo.yaml";
const PKI: &str = "tests/data/pki/kubeadm/etc-kubernetes";
const KUBELET: &str = "tests/data/pki/kubeadm/var-lib-kubelet";

/// `kcred SUBCOMMAND --now NOW ARGS…` from the repository root, with an empty
/// HOME (callers may add arguments).
fn run(args: &[&str], home: &Path) -> Run {
    kcred!()
        .arg(args[0])
        .args(["--now", NOW])
        .args(&args[1..])
        .current_dir(repo())
        .clean_env(home)
}

/// Asserts that `text` begins with (`at_start`) or contains `wanted`.
#[track_caller]
fn assert_has(text: String, wanted: &str, at_start: bool) {
    let found = if at_start {
        text.starts_with(wanted)
    } else {
        text.contains(wanted)
    };
    assert!(found, "{wanted:?} not in:\n{text}");
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited")
}

/// The files of a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_writes_the_file_and_nothing_to_stdout() {
    let dir = TempDir::new("flags-output");
    for (sub, args) in [
        (
            "check",
            &["check", "--kubeconfig", DEMO, "--policy", "strict"][..],
        ),
        ("inspect", &["inspect", "--kubeconfig", DEMO]),
        (
            "exposure",
            &["exposure", "--kubeconfig", DEMO, "--home", "/nonexistent"],
        ),
        ("pki", &["pki", PKI, "--kubelet-dir", KUBELET]),
        ("scan", &["scan", "examples/kubeconfigs"]),
    ] {
        let file = dir.join(format!("{sub}.json"));
        let out = run(args, &dir)
            .args(["--output-format", "json", "--output"])
            .arg(&file)
            .output();
        assert!(matches!(code(&out), 0 | 1), "{sub}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{sub}");
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert!(doc.is_object(), "{sub}");
        // The same bytes as on stdout.
        let direct = run(args, &dir).args(["--format", "json"]).output();
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            stdout(&direct),
            "{sub}"
        );
    }
    // No temporary file is left behind.
    let want = [
        "check.json",
        "exposure.json",
        "inspect.json",
        "pki.json",
        "scan.json",
    ];
    assert_eq!(listing(&dir), want);
}

#[cfg(unix)]
#[test]
fn output_mode_is_the_umask_s_or_the_existing_file_s() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("flags-mode");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let write_to = |file: &Path| {
        let args = [
            "check",
            "--kubeconfig",
            DEMO,
            "--format",
            "prometheus",
            "-o",
        ];
        let out = run(&args, &dir).arg(file).output();
        assert_eq!(code(&out), 1, "{}", stderr(&out));
    };
    let new = dir.join("new.prom");
    write_to(&new);
    // 0666 less the umask: never more than a shell redirection would give.
    let umask_file = dir.join("umask-probe");
    std::fs::write(&umask_file, "").unwrap();
    assert_eq!(mode(&new), mode(&umask_file));
    assert_eq!(mode(&new) & 0o002, 0, "world-writable");
    // An existing file keeps its mode.
    let kept = dir.write("kept.prom", "old\n");
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
    write_to(&kept);
    assert_eq!(mode(&kept), 0o640);
    assert!(std::fs::read_to_string(&kept)
        .unwrap()
        .contains("kcred_check_success 1"));
}

#[test]
fn a_failed_run_leaves_the_old_file() {
    let dir = TempDir::new("flags-failed");
    // (With --format json a run that reads nothing writes its document: KC901.)
    let file = dir.write("report.sarif", "old\n");
    let out = run(
        &[
            "check",
            "--kubeconfig",
            "/no/such/file",
            "--format",
            "sarif",
            "-o",
        ],
        &dir,
    )
    .arg(&file)
    .output();
    assert_eq!(code(&out), 2);
    assert_has(stderr(&out), "kcred: /no/such/file", true);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "old\n");
    assert_eq!(listing(&dir), ["report.sarif"]);
    // A folder that does not exist, or a FILE that is a folder: exit 2, said.
    for bad in [dir.join("no/such/dir/x.prom"), dir.to_path_buf()] {
        let out = run(&["check", "--kubeconfig", DEMO, "--output"], &dir)
            .arg(&bad)
            .output();
        assert_eq!(code(&out), 2, "{bad:?}");
        assert!(stderr(&out).starts_with("kcred: "), "{}", stderr(&out));
        assert_eq!(stdout(&out), "");
    }
    assert_eq!(listing(&dir), ["report.sarif"]);
}

#[test]
fn quiet_prints_only_findings() {
    let home = TempDir::new("flags-quiet");
    // With findings: the findings table only (no pki/scan/exposure table).
    let pki = run(&["pki", PKI, "--kubelet-dir", KUBELET, "--quiet"], &home).output();
    assert_eq!(code(&pki), 1);
    let text = stdout(&pki);
    assert!(!text.contains("CERTIFICATE"), "{text}");
    insta::assert_snapshot!("pki_quiet", text);
    let scan = run(&["scan", "examples/kubeconfigs", "-q"], &home).output();
    assert_has(stdout(&scan), "examples/kubeconfigs/", true);
    // Clean: nothing at all, exit 0.
    let clean = home.write(
        "clean/config.yaml",
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://x'}\n",
    );
    let clean = clean.to_str().unwrap();
    let folder = home.join("clean");
    for args in [
        &["check", "--kubeconfig", clean, "--quiet"][..],
        &["check", clean, "--quiet", "--policy", "strict"],
        &["scan", folder.to_str().unwrap(), "-q"],
        &[
            "exposure",
            "--kubeconfig",
            clean,
            "--quiet",
            "--policy",
            "strict",
        ],
    ] {
        let out = run(args, &home).output();
        assert_eq!(
            (code(&out), stdout(&out).as_str()),
            (0, ""),
            "{args:?}: {}",
            stderr(&out)
        );
        // Without --quiet the same run prints its table.
        let mut loud = args.to_vec();
        loud.retain(|a| !matches!(*a, "-q" | "--quiet"));
        assert_ne!(stdout(&run(&loud, &home).output()), "", "{loud:?}");
    }
    // Machine formats are written whole.
    let json = run(
        &["check", "--kubeconfig", clean, "-q", "--format", "json"],
        &home,
    )
    .output();
    assert_has(stdout(&json), "\"findings\": []", false);
}

#[test]
fn exit_zero_keeps_the_output_and_exits_0() {
    let home = TempDir::new("flags-exit-zero");
    for args in [
        &["check", "--kubeconfig", DEMO, "--policy", "strict"][..],
        &["pki", PKI, "--kubelet-dir", KUBELET],
        &["scan", "examples/kubeconfigs"],
        &["exposure", "--kubeconfig", DEMO, "--policy", "strict"],
    ] {
        let failing = run(args, &home).output();
        assert_eq!(code(&failing), 1, "{args:?}");
        let zero = run(args, &home).arg("--exit-zero").output();
        assert_eq!(code(&zero), 0, "{args:?}");
        assert_eq!(stdout(&zero), stdout(&failing), "{args:?}");
    }
    // Still exit 2 when nothing can be read.
    let broken = run(&["check", "--kubeconfig", "/no/such", "--exit-zero"], &home).output();
    assert_eq!(code(&broken), 2);
}

#[test]
fn check_dash_reads_stdin() {
    let home = TempDir::new("flags-stdin");
    let demo = std::fs::read(repo().join(DEMO)).unwrap();
    let from_stdin = |args: &[&str], input: &[u8]| {
        run(args, &home)
            .args(["--policy", "strict"])
            .output_with_stdin(input)
            .unwrap()
    };
    let dash = from_stdin(&["check", "-"], &demo);
    assert_eq!(code(&dash), 1, "{}", stderr(&dash));
    let text = stdout(&dash);
    assert!(text.starts_with("<stdin>:53: error KC005"), "{text}");
    insta::assert_snapshot!("check_stdin", text);
    // --kubeconfig - is the same input.
    let flag = from_stdin(&["check", "--kubeconfig", "-"], &demo);
    assert_eq!(stdout(&flag), text);
    // Beside files; standard input once only.
    let both = from_stdin(&["check", DEMO, "-"], &demo);
    assert_eq!(code(&both), 1);
    assert!(stdout(&both).contains("<stdin>:") && stdout(&both).contains("demo.yaml:"));
    let twice = from_stdin(&["check", "-", "-"], &demo);
    assert_eq!(code(&twice), 2);
    assert_eq!(
        stderr(&twice),
        "kcred: - (standard input) can be given once\n"
    );
    // inspect --kubeconfig - too.
    let inspect = run(&["inspect", "--kubeconfig", "-", "--format", "json"], &home)
        .output_with_stdin(&demo)
        .unwrap();
    assert_eq!(code(&inspect), 0, "{}", stderr(&inspect));
    assert!(stdout(&inspect).contains("\"file\": \"<stdin>\""));
}

#[test]
fn stdin_has_the_file_size_limit() {
    let home = TempDir::new("flags-stdin-limit");
    let mut big = b"users: []\n".to_vec();
    big.resize(16 * 1024 * 1024 + 1, b'#');
    let out = run(&["check", "-"], &home).output_with_stdin(&big).unwrap();
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "kcred: <stdin>: file is larger than the limit of 16777216 bytes\n"
    );
    // Not YAML: a KC902 finding at <stdin>:1, as for a file.
    let out = run(&["check", "-"], &home)
        .output_with_stdin(b"users: [\n")
        .unwrap();
    assert_eq!(code(&out), 1);
    assert_has(stdout(&out), "<stdin>:1: error KC902", true);
}
