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
// These tests run the kcred binary, and python3 / sh / printf to split
// suggested commands (never the command itself), through kcred_tests::support.

use std::path::Path;
use std::process::Output;

use kcred_core::{escape_text, shell_quote, CELL_MAX};
use kcred_tests::kcred;
use kcred_tests::support::{b64, b64url, both, stderr, Run, TempDir, NOW};
use serde_json::Value;

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
    '\u{8e2}',   // Arabic disputed end of ayah (format)
    '\u{1d173}', // musical symbol begin beam (format)
    '\u{e0041}', // tag character
];

/// What no output may hold raw: every code point of the Unicode general
/// categories Cc, Cf, Zl and Zp (from the Unicode database,
/// tests/data/unicode/hidden.txt), but the line feed that ends a line.
fn hidden(c: char) -> bool {
    static TABLE: std::sync::OnceLock<Vec<(u32, u32)>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let text = include_str!("../../../tests/data/unicode/hidden.txt");
        let code = |hex: &str| u32::from_str_radix(hex.trim(), 16).unwrap();
        text.lines()
            .filter_map(|line| line.split_once(';'))
            .filter_map(|(range, _)| range.split_once(".."))
            .map(|(first, last)| (code(first), code(last)))
            .collect()
    });
    let code = u32::from(c);
    c != '\n'
        && table
            .iter()
            .any(|&(first, last)| (first..=last).contains(&code))
}

/// `kcred check` in Prometheus text under the strict policy (add the file).
const CHECK_PROMETHEUS: &[&str] = &[
    "check",
    "--now",
    NOW,
    "--policy",
    "strict",
    "--format",
    "prometheus",
];

/// The binary with a clean environment, run in `cwd`.
fn kcred(args: &[&str], cwd: &Path, home: &Path) -> Output {
    kcred!()
        .args(args)
        .current_dir(cwd)
        .clean_env(home)
        .env("NO_COLOR", "1")
        .output()
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
    let out = Run::new("python3")
        .args(["-c", SCRIPT])
        .output_with_stdin(serde_json::to_string(marks).unwrap().as_bytes())
        .ok()?;
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
        Some(pem) => format!("client-certificate-data: {}", b64(pem)),
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

mod prometheus;
mod quoting;
mod text_outputs;
