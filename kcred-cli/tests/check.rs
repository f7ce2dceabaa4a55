//! `kcred check`, `kcred rules`, `kcred rule`: exit codes and outputs of the
//! real binary on the platform fixtures, at a fixed --now.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use kcred_tests::kcred;
use kcred_tests::support::{assert_exit, data, read_json, stdout, Run, TempDir, NOW};

fn fixture(name: &str) -> PathBuf {
    data("platforms").join(name).join("config")
}

fn kcred(args: &[&str]) -> Output {
    kcred!()
        .args(args)
        .env_remove("KUBECONFIG")
        .env("NO_COLOR", "1")
        .output()
}

fn check(policy: &str, extra: &[&str], fixtures: &[&str]) -> Output {
    let paths: Vec<String> = fixtures
        .iter()
        .map(|f| fixture(f).display().to_string())
        .collect();
    let mut args = vec!["check", "--now", NOW, "--policy", policy];
    args.extend_from_slice(extra);
    args.extend(paths.iter().map(String::as_str));
    kcred(&args)
}

#[test]
fn aks_admin_under_strict_exits_1_with_aks_remediation() {
    let out = check("strict", &["--format", "json"], &["aks-admin"]);
    assert_exit(&out, 1);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "kcred.findings/v1");
    assert_eq!(doc["policy"], "strict");
    let findings = doc["findings"].as_array().unwrap();
    for name in ["irrevocable-admin", "static-credential", "max-remaining"] {
        let f = findings
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name} missing"));
        let fix = f["remediation"].as_str().unwrap();
        assert!(fix.contains("az aks rotate-certs"), "{fix}");
        assert!(fix.contains("disable local accounts"), "{fix}");
        assert!(f["location"]["line"].as_u64().unwrap() >= 1);
    }
}

/// `kcred check FILE` with no `--policy`: the default (baseline) verdict.
fn check_default(file: &Path) -> Output {
    kcred(&[
        "check",
        "--now",
        NOW,
        "--format",
        "json",
        file.to_str().unwrap(),
    ])
}

/// (code, severity) of each active finding.
fn verdicts(out: &Output) -> Vec<(String, String)> {
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["policy"], "baseline");
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn aks_admin_fails_the_default_policy() {
    // issue 14: `az aks get-credentials --admin` must not pass `kcred check`.
    let out = check_default(&fixture("aks-admin"));
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let got = verdicts(&out);
    assert!(got.contains(&("KC101".into(), "error".into())), "{got:?}");
    assert!(got.contains(&("KC008".into(), "warning".into())), "{got:?}");
    // the kubelogin laptop passes it
    let home = data("exposure/home-aks/.kube/config");
    let out = check_default(&home);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(verdicts(&out).is_empty(), "{}", stdout(&out));
}

#[test]
fn every_system_masters_certificate_and_opaque_token_fails_or_warns_by_default() {
    // The class, over every platform fixture: whatever holds an irrevocable
    // admin certificate fails the default check (KC101 error); an opaque
    // inline token is a warning (KC008).
    let dir = data("platforms");
    let expected = read_json(&dir.join("expected.json"));
    let mut masters = 0;
    let mut opaque = 0;
    for (file, facts) in expected["files"].as_object().unwrap() {
        let creds: Vec<&serde_json::Value> = facts["users"]
            .as_object()
            .map(|u| {
                u.values()
                    .flat_map(|u| u["credentials"].as_array().into_iter().flatten())
                    .collect()
            })
            .unwrap_or_default();
        let has_masters = creds.iter().any(|c| {
            c["certificate"]["subject_o"]
                .as_array()
                .is_some_and(|o| o.iter().any(|o| o == "system:masters"))
        });
        let has_opaque = creds
            .iter()
            .any(|c| c["kind"] == "token" && c["format"] == "opaque");
        let out = check_default(&dir.join(file));
        let got = verdicts(&out);
        let fired = |code: &str, sev: &str| got.contains(&(code.into(), sev.into()));
        assert_eq!(fired("KC101", "error"), has_masters, "{file}: {got:?}");
        assert_eq!(
            got.iter().any(|(c, _)| c == "KC008"),
            has_opaque,
            "{file}: {got:?}"
        );
        if has_masters {
            masters += 1;
            assert_eq!(out.status.code(), Some(1), "{file}");
        }
        if has_opaque {
            opaque += 1;
            assert!(fired("KC008", "warning"), "{file}: {got:?}");
        }
    }
    // the fixtures hold both cases more than once
    assert!(masters >= 3 && opaque >= 2, "{masters} {opaque}");
}

/// `kcred exposure --home tests/data/exposure/NAME --now NOW` plus `extra`.
fn exposure(name: &str, extra: &[&str]) -> Output {
    let home = data("exposure").join(name);
    let mut args = vec!["exposure", "--home", home.to_str().unwrap(), "--now", NOW];
    args.extend_from_slice(extra);
    kcred(&args)
}

#[test]
fn exposure_policy_is_the_laptop_gate() {
    // kubelogin's cache holds a 90-day refresh token: strict's 24h fails it.
    let out = exposure("home-aks", &["--policy", "strict", "--fail-on", "error"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("error KC009 max-exposure [context aks-prod-weu"),
        "{text}"
    );
    assert!(text.contains("89d more"), "{text}");
    // the default policy passes it, and so does no policy (exit 0 as before)
    for extra in [&["--policy", "baseline"][..], &[]] {
        let out = exposure("home-aks", extra);
        assert_eq!(out.status.code(), Some(0), "{extra:?}: {}", stdout(&out));
    }
    // a sign-in frequency of 12h, modelled with --lifetime, passes strict
    let out = exposure(
        "home-aks",
        &[
            "--policy",
            "strict",
            "--lifetime",
            "entra-refresh-token=12h",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // an OIDC refresh token with no known lifetime: an unknown window fails it
    let out = exposure("home-oidc", &["--policy", "strict", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "kcred.exposure/v1");
    assert_eq!(doc["findings"]["policy"], "strict");
    assert_eq!(doc["findings"]["findings"][0]["code"], "KC009");
    assert!(doc["files"].as_array().is_some_and(|f| !f.is_empty()));
    // short-lived exec tokens pass; --fail-on moves the threshold
    let out = exposure("home-eks", &["--policy", "strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // exit 2 like check: a bad policy, or --fail-on without --policy
    assert_eq!(
        exposure("home-aks", &["--policy", "nope"]).status.code(),
        Some(2)
    );
    assert_eq!(
        exposure("home-aks", &["--fail-on", "error"]).status.code(),
        Some(2)
    );
}

#[test]
fn kubelogin_under_strict_is_clean() {
    let out = check("strict", &[], &["aks-kubelogin-azurecli"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "no findings\n");
}

#[test]
fn fail_on_sets_the_threshold() {
    // edge-expired is an error under baseline
    let out = check("baseline", &[], &["edge-expired"]);
    assert_eq!(out.status.code(), Some(1));
    let out = check("baseline", &[], &["aks-kubelogin-azurecli", "eks"]);
    assert_eq!(out.status.code(), Some(0));
    // insecure-skip-tls-verify is a warning under baseline
    let dir = TempDir::new("cli-check");
    let cfg = dir.write(
        "insecure.yaml",
        "apiVersion: v1\nclusters:\n- name: dev\n  cluster:\n    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: true\n",
    );
    let run = |fail_on: &str| {
        kcred(&[
            "check",
            "--now",
            NOW,
            "--fail-on",
            fail_on,
            cfg.to_str().unwrap(),
        ])
        .status
        .code()
    };
    assert_eq!(run("error"), Some(0));
    assert_eq!(run("warning"), Some(1));
    assert_eq!(run("info"), Some(1));
}

#[test]
fn usage_and_input_errors_exit_2() {
    assert_eq!(
        kcred(&["check", "--fail-on", "fatal"]).status.code(),
        Some(2)
    );
    assert_eq!(
        kcred(&["check", "--now", "yesterday"]).status.code(),
        Some(2)
    );
    let out = kcred(&["check", "--now", NOW, "/nonexistent/kubeconfig"]);
    assert_eq!(out.status.code(), Some(2));
    let out = check("no-such-preset", &[], &["eks"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown preset"));
    let dir = TempDir::new("cli-policy");
    let policy = dir.write(
        "p.yaml",
        "version: 1\nrules:\n  expired:\n    severty: warning\n",
    );
    let out = check(policy.to_str().unwrap(), &[], &["eks"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("severty") && err.contains("line 4"), "{err}");
    assert_eq!(kcred(&["rule", "KC999"]).status.code(), Some(2));
}

/// A file that cannot be read is a KC901 finding beside the others' findings
/// (nothing is lost); a run that reads nothing is exit 2, and with
/// `--format json` still writes its document.
#[test]
fn an_unreadable_file_is_a_finding_and_the_rest_still_reports() {
    let missing = "/nonexistent/kubeconfig";
    let admin = fixture("aks-admin").display().to_string();
    let out = kcred(&["check", "--now", NOW, "--format", "json", missing, &admin]);
    assert_exit(&out, 1);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"KC901") && codes.contains(&"KC101"),
        "{codes:?}"
    );

    let nothing_readable: [&[&str]; 3] = [
        &[missing],
        &["--kubeconfig", missing],
        &[missing, "/nonexistent/other"],
    ];
    for inputs in nothing_readable {
        let mut args = vec!["check", "--now", NOW, "--format", "json"];
        args.extend_from_slice(inputs);
        let out = kcred(&args);
        assert_exit(&out, 2);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["schema"], "kcred.findings/v1", "{args:?}");
        let findings = doc["findings"].as_array().unwrap();
        assert!(!findings.is_empty(), "{args:?}");
        for f in findings {
            assert_eq!(f["code"], "KC901", "{args:?}");
            assert!(
                f["message"].as_str().unwrap().contains("missing file"),
                "{f}"
            );
        }
    }
    // A table run that reads nothing says why on stderr and writes no table.
    let out = kcred(&["check", "--now", NOW, missing, "/nonexistent/other"]);
    assert_exit(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing file"));
}

#[test]
fn a_broken_input_file_fails_the_check() {
    let out = check("baseline", &["--format", "json"], &["edge-truncated-pem"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("\"KC903\""));
}

#[test]
fn sarif_and_prometheus_formats() {
    let out = check("strict", &["--format", "sarif"], &["aks-admin"]);
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let out = check("strict", &["--format", "prometheus"], &["aks-admin"]);
    let text = stdout(&out);
    assert!(
        text.contains("# TYPE kcred_policy_findings gauge"),
        "{text}"
    );
    assert!(text.contains("code=\"KC101\""), "{text}");
}

#[test]
fn rules_and_rule() {
    let out = kcred(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("KC101  irrevocable-admin"), "{text}");
    let out = kcred(&["rule", "irrevocable-admin"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for section in ["What it checks", "Why it matters", "Example", "How to fix"] {
        assert!(text.contains(section), "{text}");
    }
    let md = stdout(&kcred(&["rules", "--markdown"]));
    let file =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md"))
            .unwrap();
    assert_eq!(md, file);
}

/// Runs kcred and kills it if it has not exited within a generous bound: a
/// blocked read never returns. `None`: it had to be killed.
fn kcred_bounded(args: &[&str]) -> Option<Output> {
    kcred!()
        .args(args)
        .env_remove("KUBECONFIG")
        .env("NO_COLOR", "1")
        .output_within(Duration::from_secs(120))
}

/// `--policy /proc/kmsg` ("regular file" to stat, blocks on read as root), a
/// FIFO, or a policy that `extends:` one: exit 2 at once with a typed error,
/// never a hang. The same for the kubeconfig.
#[cfg(target_os = "linux")]
#[test]
fn a_policy_or_kubeconfig_that_would_block_exits_2_promptly() {
    let dir = TempDir::new("cli-block");
    let fifo = dir.join("fifo.yaml");
    let made = Run::new("mkfifo").arg(&fifo).succeeds();
    let extends = dir.write("extends.yaml", "version: 1\nextends: /proc/kmsg\n");
    let mut policies = vec!["/proc/kmsg", "/proc/self/status", extends.to_str().unwrap()];
    if made {
        policies.push(fifo.to_str().unwrap());
    }
    let eks = fixture("eks").display().to_string();
    for policy in &policies {
        let out = kcred_bounded(&["check", "--now", NOW, "--policy", policy, &eks])
            .unwrap_or_else(|| panic!("--policy {policy}: blocked"));
        assert_eq!(out.status.code(), Some(2), "--policy {policy}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("not a regular file"),
            "--policy {policy}: {err}"
        );
    }
    for kubeconfig in ["/proc/kmsg", fifo.to_str().unwrap()] {
        if !Path::new(kubeconfig).exists() {
            continue;
        }
        let out = kcred_bounded(&["check", "--now", NOW, kubeconfig])
            .unwrap_or_else(|| panic!("{kubeconfig}: blocked"));
        assert_eq!(out.status.code(), Some(2), "{kubeconfig}");
    }
}
