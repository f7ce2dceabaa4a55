//! `kcred check` without `--policy`: the nearest `.kcred.yaml`, `.kcred.toml`
//! or `pyproject.toml` with `[tool.kcred]` from the current folder upward,
//! else `baseline`; `--show-policy`; thresholds as a share of lifetime.

use std::path::Path;
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{assert_exit, b64url, stderr, stdout, TempDir, NOW, NOW_UNIX};

/// An opaque static token: KC008 (a warning) under baseline, KC007 (an
/// error) once static-credential is on.
const KUBECONFIG: &str = "users:\n- name: ann\n  user: {token: opaque-token}\n";
const STATIC_ON: &str = "version: 1\nrules:\n  static-credential: { enabled: true }\n";
const DAY: i64 = 86_400;

fn check_in(dir: &Path, args: &[&str]) -> Output {
    kcred!()
        .current_dir(dir)
        .env_remove("KUBECONFIG")
        .env("NO_COLOR", "1")
        .arg("check")
        .args(["--now", NOW])
        .args(args)
        .output()
}

fn codes(out: &Output) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// A tree with `config` at its top and `a/b/c/` below.
fn tree(tag: &str) -> (TempDir, String) {
    let dir = TempDir::new(tag);
    let config = dir.write("config", KUBECONFIG).display().to_string();
    std::fs::create_dir_all(dir.join("a/b/c")).unwrap();
    (dir, config)
}

#[test]
fn the_nearest_policy_file_upward_applies() {
    for (name, text) in [
        (".kcred.yaml", STATIC_ON),
        (
            ".kcred.toml",
            "version = 1\n[rules.static-credential]\nenabled = true\n",
        ),
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\n\n[tool.kcred.rules.static-credential]\nenabled = true\n",
        ),
    ] {
        let (dir, config) = tree("discovery");
        let file = dir.write(&format!("a/{name}"), text);
        let out = check_in(&dir.join("a/b/c"), &["--format", "json", &config]);
        assert_exit(&out, 1);
        assert!(codes(&out).contains(&"KC007".to_owned()), "{name}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // A file without `name:` is named by its path.
        assert_eq!(doc["policy"], file.display().to_string(), "{name}");
        // Above the file, baseline: the warning only, exit 0.
        let out = check_in(&dir, &["--format", "json", &config]);
        assert_exit(&out, 0);
        assert_eq!(codes(&out), ["KC008"], "{name}");
    }
}

#[test]
fn policy_flag_wins_and_a_pyproject_without_the_table_is_passed_over() {
    let (dir, config) = tree("discovery-flag");
    dir.write("a/.kcred.yaml", STATIC_ON);
    dir.write("a/b/pyproject.toml", "[project]\nname = \"x\"\n");
    let here = dir.join("a/b/c");
    assert_exit(&check_in(&here, &[&config]), 1);
    let out = check_in(&here, &["--policy", "baseline", &config]);
    assert_exit(&out, 0);
    let out = check_in(&here, &["--policy", "baseline", "--show-policy"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("\nfrom: --policy baseline\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn show_policy_says_what_applies_and_where_it_came_from() {
    let (dir, _) = tree("discovery-show");
    let file = dir.write(
        "a/.kcred.yaml",
        "version: 1\nname: team\nextends: strict\nrules:\n  expiring-soon: { threshold: 33%, error-threshold: 10% }\nsuppressions:\n- rule: KC101\n  users: [break-glass]\n  reason: \"offline\\nbreak-glass\"\n  expires: 2027-03-31\n",
    );
    let here = dir.join("a/b");
    let out = check_in(&here, &["--show-policy"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let from = format!(
        "policy: team\nfrom: {} (the nearest policy file from {})\n",
        file.display(),
        here.display()
    );
    assert!(text.starts_with(&from), "{text}");
    assert!(
        text.contains("\nKC003  expiring-soon                  on   warning   33%        10%\n"),
        "{text}"
    );
    assert!(
        text.contains("\nKC005  max-remaining                  on   error     24h"),
        "{text}"
    );
    // The reason's newline is escaped: a policy cannot start a line of its own.
    assert!(
        text.contains(
            "  KC101 until 2027-04-01T00:00:00Z users=break-glass: offline\\x0abreak-glass ("
        ),
        "{text}"
    );
    let out = check_in(&here, &["--show-policy", "--format", "json"]);
    assert_exit(&out, 0);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "kcred.policy/v1");
    assert_eq!(doc["name"], "team");
    assert_eq!(doc["source"]["kind"], "discovered");
    assert_eq!(doc["source"]["file"], file.display().to_string());
    assert_eq!(doc["source"]["searched_from"], here.display().to_string());
    assert_eq!(doc["rules"][2]["code"], "KC003");
    assert_eq!(doc["rules"][2]["threshold"], "33%");
    assert_eq!(doc["suppressions"][0]["reason"], "offline\nbreak-glass");
    assert_eq!(doc["suppressions"][0]["scope"]["users"][0], "break-glass");
    // Nothing found: baseline, and where the search began.
    let out = check_in(&dir, &["--show-policy", "--format", "json"]);
    assert_exit(&out, 0);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["name"], "baseline");
    assert_eq!(doc["source"]["kind"], "default");
    assert_eq!(doc["source"]["file"], serde_json::Value::Null);
    let out = check_in(&dir, &["--show-policy", "--format", "sarif"]);
    assert_exit(&out, 2);
}

#[test]
fn a_discovered_policy_that_cannot_be_read_is_exit_2() {
    let (dir, config) = tree("discovery-bad");
    let here = dir.join("a/b");
    std::fs::create_dir(dir.join("a/.kcred.yaml")).unwrap();
    let out = check_in(&here, &[&config]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains(".kcred.yaml"), "{}", stderr(&out));
    std::fs::remove_dir(dir.join("a/.kcred.yaml")).unwrap();
    dir.write("a/pyproject.toml", "[tool.kcred]\nrulez = {}\n");
    let out = check_in(&here, &["--show-policy"]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("pyproject.toml: tool.kcred") && err.contains("rulez"),
        "{err}"
    );
}

#[test]
fn expiring_soon_as_a_share_of_lifetime() {
    // Issued two days before NOW, expires a day after: a third of 3d is left.
    let claims = format!(
        r#"{{"sub":"ann","iat":{},"exp":{}}}"#,
        NOW_UNIX - 2 * DAY,
        NOW_UNIX + DAY
    );
    let token = format!("{}.{}.c2ln", b64url(r#"{"alg":"RS256"}"#), b64url(claims));
    let dir = TempDir::new("share");
    let config = dir.write(
        "config",
        format!("users:\n- name: ann\n  user: {{token: {token}}}\n"),
    );
    let config = config.display().to_string();
    let run = |share: &str| {
        let policy = dir.write(
            "p.yaml",
            format!(
                "version: 1\nrules:\n  expiring-soon: {{ threshold: {share}, severity: error }}\n"
            ),
        );
        check_in(&dir, &["--policy", policy.to_str().unwrap(), &config])
    };
    let out = run("34%");
    assert_exit(&out, 1);
    assert!(
        stdout(&out).contains("policy warns within 34% of its 3d lifetime (1d)"),
        "{}",
        stdout(&out)
    );
    assert_exit(&run("33%"), 0);
    for bad in ["0%", "101%", "33.333%"] {
        let out = run(bad);
        assert_exit(&out, 2);
        assert!(
            stderr(&out).contains("at most 100%"),
            "{bad}: {}",
            stderr(&out)
        );
    }
}
