//! Date and duration extremes through every command (issue 12, arithmetic): JWT
//! `exp`/`iat`/`nbf` at i64::MAX/MIN, year ±9999 and as floats, EKS tokens signed
//! 9999-12-31T23:59:59Z, cache `expires-on` past year 9999, `--lifetime` and
//! policy thresholds past any date, `--now` at the end of time. Every run must
//! end with a typed result: exit 0/1 with output, or exit 2 with a message;
//! never a panic (exit 101, "panicked" on stderr).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{b64url, repo, stdout, TempDir, NOW};

fn kcred(args: &[&str], home: &Path) -> Output {
    kcred!().args(args).clean_env(home).output()
}

/// `kcred ARGS... --now NOW`.
fn kcred_now(args: &[&str], now: &str, home: &Path) -> Output {
    kcred(&[args, &["--now", now]].concat(), home)
}

/// `kcred ARGS... --format FORMAT --now NOW`.
fn kcred_at(args: &[&str], now: &str, format: &str, home: &Path) -> Output {
    kcred_now(&[args, &["--format", format]].concat(), now, home)
}

/// The kubeadm PKI fixture (/etc/kubernetes).
fn kubeadm_pki() -> PathBuf {
    repo().join("tests/data/pki/kubeadm/etc-kubernetes")
}

fn jwt(claims: &str) -> String {
    format!("{}.{}.c2ln", b64url(r#"{"alg":"RS256"}"#), b64url(claims))
}

fn eks(date: &str, expires: &str) -> String {
    let url = format!("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={date}&X-Amz-Expires={expires}&X-Amz-Signature=ab");
    format!("k8s-aws-v1.{}", b64url(&url))
}

/// NumericDate extremes, as JSON text: ints and floats at and past the range of
/// years -9999..=9999 (253402300799 is 9999-12-31T23:59:59Z, -377705116800 is
/// -9999-01-01T00:00:00Z).
const NUMERIC_DATES: &[&str] = &[
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "253402300799",
    "253402300800",
    "-377705116800",
    "-377705116801",
    "253402300799.999",
    "-377705116800.5",
    "9.223372036854776e18",
    "-9.223372036854776e18",
    "1.7976931348623157e308",
    "-1e15",
    "0",
];

/// Instants written as text in caches and ExecCredentials.
const TEXT_DATES: &[&str] = &[
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59.999999999Z",
    "9999-12-31T23:59:59-23:59",
    "0000-01-01T00:00:00+23:59",
    "0000-01-01T00:00:00Z",
];

/// Every token shape whose dates are extreme, and which users carry them.
fn extreme_tokens() -> Vec<String> {
    let mut out = Vec::new();
    for d in ["99991231T235959Z", "99991231T234500Z", "00000101T000000Z"] {
        for e in ["60", "9223372036854775807", "-9223372036854775808"] {
            out.push(eks(d, e));
        }
    }
    for v in NUMERIC_DATES {
        for claims in [
            format!(r#"{{"exp":{v}}}"#),
            format!(r#"{{"iat":{v}}}"#),
            format!(r#"{{"nbf":{v},"exp":253402300798}}"#),
            format!(r#"{{"iat":{v},"exp":{v},"nbf":{v}}}"#),
            format!(r#"{{"iat":-377705116800,"exp":{v}}}"#),
            format!(
                r#"{{"iss":"https://kubernetes.default.svc","exp":{v},"kubernetes.io":{{"namespace":"n","serviceaccount":{{"name":"s"}},"warnafter":{v}}}}}"#
            ),
        ] {
            out.push(jwt(&claims));
        }
    }
    out
}

/// A new temporary folder `tag` with the extremes kubeconfig, and its path.
fn extremes_in(tag: &str) -> (TempDir, String) {
    let dir = TempDir::new(tag);
    let config = extremes_kubeconfig(&dir).to_str().unwrap().to_owned();
    (dir, config)
}

/// A kubeconfig with one user (and context) per extreme: tokens, azure and oidc
/// auth-providers with refresh tokens whose access tokens were issued in year
/// 9999, `expires-on`/`expiry` extremes, and a tokenFile over the JWT size cap.
fn extremes_kubeconfig(dir: &Path) -> PathBuf {
    let big = jwt(&format!(
        r#"{{"exp":253402300799,"pad":[{}0]}}"#,
        "[[[[0]]]],".repeat(20_000)
    ));
    std::fs::write(dir.join("big.jwt"), &big).unwrap();
    let mut users = Vec::new();
    for t in extreme_tokens() {
        users.push(format!("    token: {t}\n"));
    }
    users.push("    tokenFile: big.jwt\n".to_owned());
    for v in NUMERIC_DATES.iter().chain(TEXT_DATES) {
        let issued = jwt(&format!(r#"{{"iat":{v},"exp":253402300799}}"#));
        users.push(format!(
            "    auth-provider:\n      name: azure\n      config:\n        access-token: {issued}\n        refresh-token: r\n        expires-on: \"{v}\"\n"
        ));
        users.push(format!(
            "    auth-provider:\n      name: oidc\n      config:\n        id-token: {issued}\n        refresh-token: r\n        idp-issuer-url: https://idp\n        expiry: \"{v}\"\n"
        ));
    }
    let mut yaml = String::from(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://c\n",
    );
    yaml.push_str("contexts:\n");
    for i in 0..users.len() {
        let _ = writeln!(yaml, "- name: x{i}\n  context: {{cluster: c, user: u{i}}}");
    }
    yaml.push_str("current-context: x0\nusers:\n");
    for (i, u) in users.iter().enumerate() {
        let _ = write!(yaml, "- name: u{i}\n  user:\n{u}");
    }
    let path = dir.join("config");
    std::fs::write(&path, yaml).unwrap();
    path
}

/// A typed outcome: exit 0 or 1 with output, never a panic.
fn assert_typed(out: &Output, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && out.status.code().is_some_and(|c| c <= 1),
        "{what}: exit {:?}, stderr: {stderr}",
        out.status.code()
    );
    assert!(!out.stdout.is_empty(), "{what}: no output");
}

/// A refused argument: exit 2 with a message, never a panic.
fn assert_usage_error(out: &Output, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code() == Some(2) && !stderr.contains("panicked") && !stderr.is_empty(),
        "{what}: exit {:?}, stderr: {stderr}",
        out.status.code()
    );
}

/// Instants for `--now` that parse: the ends of the representable range.
const NOWS: &[&str] = &[
    NOW,
    "9999-12-31T23:59:59.999999999Z",
    "0000-01-01T00:00:00Z",
    "0000-01-01T00:00:00-23:59",
];

#[test]
fn inspect_reports_extremes_as_typed_results() {
    let (dir, config) = extremes_in("cli-extremes-inspect");
    let config = config.as_str();
    for now in NOWS {
        for format in ["json", "table"] {
            let out = kcred_at(&["inspect", "--kubeconfig", config], now, format, &dir);
            assert_typed(&out, &format!("inspect --now {now} --format {format}"));
        }
    }
    // The year-9999 EKS token is a located, typed problem; the big token's
    // claims are refused by size, and both still appear in the inventory.
    let out = kcred_at(&["inspect", "--kubeconfig", config], NOW, "json", &dir);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = doc["problems"].to_string();
    assert!(problems.contains("out-of-range"), "{problems}");
    assert!(problems.contains("limit of 65536 bytes"), "{problems}");
    let users = doc["credentials"].as_array().unwrap().len();
    assert!(users > extreme_tokens().len(), "{users}");
}

#[test]
fn check_every_preset_and_format_on_extremes() {
    let (dir, config) = extremes_in("cli-extremes-check");
    let config = config.as_str();
    // Thresholds at the largest accepted duration (1000y) meet every date.
    let policy = dir.join("max.yaml");
    std::fs::write(
        &policy,
        "version: 1\nextends: strict\nrules:\n  expiring-soon: { threshold: 1000y, error-threshold: 365000d }\n  max-remaining: { threshold: 1000y }\n  max-lifetime: { threshold: 52142w }\n",
    )
    .unwrap();
    let policy = policy.to_str().unwrap();
    for preset in ["baseline", "strict", "kubeadm", policy] {
        for format in ["table", "json", "sarif", "prometheus"] {
            for now in NOWS {
                let out = kcred_at(
                    &["check", "--kubeconfig", config, "--policy", preset],
                    now,
                    format,
                    &dir,
                );
                assert_typed(
                    &out,
                    &format!("check --policy {preset} --format {format} --now {now}"),
                );
            }
        }
    }
}

#[test]
fn policy_thresholds_past_any_date_are_bad_policy() {
    let (dir, config) = extremes_in("cli-extremes-policy");
    let config = config.as_str();
    for threshold in [
        "1000000000000000d",
        "9223372036854775807s",
        "99999999999999999999999999d",
        "1001y",
        "365001d",
        "1000y1s",
    ] {
        let policy = dir.join("huge.yaml");
        std::fs::write(
            &policy,
            format!("version: 1\nrules:\n  expiring-soon: {{ threshold: {threshold} }}\n"),
        )
        .unwrap();
        let policy = policy.to_str().unwrap();
        let out = kcred_now(
            &["check", "--kubeconfig", config, "--policy", policy],
            NOW,
            &dir,
        );
        assert_usage_error(&out, &format!("threshold {threshold}"));
    }
}

#[test]
fn exposure_adds_lifetimes_to_year_9999_without_panic() {
    // The AKS fixture's kubelogin cache, its token re-issued in year 9999.
    let home = TempDir::new("cli-extremes-exposure");
    let src = repo().join("tests/data/exposure/home-aks/.kube");
    let kube = home.join(".kube");
    let cache = kube.join("cache/kubelogin");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::copy(src.join("config"), kube.join("config")).unwrap();
    let name = std::fs::read_dir(src.join("cache/kubelogin"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name();
    let access = jwt(r#"{"iat":253402300799,"exp":253402300799}"#);
    std::fs::write(
        cache.join(&name),
        format!(r#"{{"access_token":"{access}","refresh_token":"r","expires_on":"253402300799","not_before":"253402300799"}}"#),
    )
    .unwrap();
    let extremes = extremes_kubeconfig(&home);
    let kubeconfig = kube.join("config");
    for lifetimes in [
        &[][..],
        &["entra-refresh-token=365000d", "oidc-refresh-token=365000d"][..],
        &["entra-access-token=365000d", "google-refresh-token=365000d"][..],
    ] {
        for now in NOWS {
            for format in ["json", "table"] {
                for config in [&kubeconfig, &extremes] {
                    let mut args = vec![
                        "exposure",
                        "--kubeconfig",
                        config.to_str().unwrap(),
                        "--home",
                        home.to_str().unwrap(),
                        "--now",
                        now,
                        "--format",
                        format,
                    ];
                    for l in lifetimes {
                        args.extend(["--lifetime", l]);
                    }
                    let out = kcred(&args, &home);
                    assert_typed(
                        &out,
                        &format!("exposure {lifetimes:?} --now {now} {format}"),
                    );
                }
            }
        }
    }
    // A refresh token issued at 9999-12-31T23:59:59Z lasts past any date: until revoked.
    let out = kcred_at(
        &[
            "exposure",
            "--kubeconfig",
            kubeconfig.to_str().unwrap(),
            "--home",
            home.to_str().unwrap(),
        ],
        NOW,
        "json",
        &home,
    );
    assert!(
        stdout(&out).contains(r#""state": "never""#),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn lifetimes_and_instants_past_the_range_are_usage_errors() {
    let (dir, config) = extremes_in("cli-extremes-usage");
    let config = config.as_str();
    let pki = kubeadm_pki();
    let pki = pki.to_str().unwrap();
    for lifetime in [
        "entra-refresh-token=3000000d",
        "entra-refresh-token=365001d",
        "eks-token=9223372036854775807s",
        "oidc-refresh-token=9223372036854775807d",
        "aws-sts-session=99999999999999999999999999h",
    ] {
        let args = ["exposure", "--kubeconfig", config, "--lifetime", lifetime];
        let out = kcred_now(&args, NOW, &dir);
        assert_usage_error(&out, lifetime);
    }
    for now in [
        "+999999-01-01T00:00:00Z",
        "10000-01-01T00:00:00Z",
        "9999-12-31T23:59:59-23:59",
        "0000-01-01T00:00:00+00:01",
        "-0001-01-01T00:00:00Z",
    ] {
        for args in [
            ["inspect", "--kubeconfig", config].as_slice(),
            &["check", "--kubeconfig", config],
            &["exposure", "--kubeconfig", config],
            &["pki", pki],
        ] {
            let out = kcred_now(args, now, &dir);
            assert_usage_error(&out, &format!("{} --now {now}", args[0]));
        }
    }
}

#[test]
fn pki_and_scan_at_the_end_of_time() {
    let dir = TempDir::new("cli-extremes-pki");
    let tree = dir.join("tree");
    std::fs::create_dir_all(&tree).unwrap();
    extremes_kubeconfig(&tree);
    for now in NOWS {
        for format in ["table", "json"] {
            for (command, path) in [("pki", kubeadm_pki()), ("scan", tree.clone())] {
                let out = kcred_at(&[command, path.to_str().unwrap()], now, format, &dir);
                assert_typed(&out, &format!("{command} --now {now} {format}"));
            }
        }
    }
}
