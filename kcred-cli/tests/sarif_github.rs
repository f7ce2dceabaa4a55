//! `kcred check --format sarif` as GitHub code scanning reads it: artifact
//! URIs relative to `%SRCROOT%` (the folder kcred ran in) for files under it
//! and absolute `file://` URIs for the others, fingerprints that survive a
//! line move, and rules with `helpUri`, `security-severity` and tags; the log
//! validates against the SARIF 2.1.0 schema (SKIPPED without python3's
//! jsonschema, as kcred-cli/tests/scan.rs's scan log).

use std::path::Path;
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{assert_valid_sarif, repo, stdout, TempDir, NOW};
use serde_json::Value;

/// Basic auth (KC201, error) and insecure-skip-tls-verify (KC401).
const CONFIG: &str = "apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster:
    server: https://10.0.0.1:6443
    insecure-skip-tls-verify: true
contexts:
- name: lab
  context: {cluster: lab, user: admin}
current-context: lab
users:
- name: admin
  user:
    username: admin
    password: hunter2
";

/// Under the working folder, with characters a URI must encode.
const INSIDE: &str = "kube configs/lab #1.yaml";

/// `kcred check INSIDE OUTSIDE --format sarif` in `dir`: the exit code and the log.
fn sarif_in(dir: &Path, outside: &Path) -> (Option<i32>, Value) {
    let home = TempDir::new("sarif-home");
    let out: Output = kcred!()
        .args(["check", "--now", NOW, "--format", "sarif", INSIDE])
        .arg(outside)
        .current_dir(dir)
        .clean_env(&home)
        .output();
    let log = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", stdout(&out));
    });
    (out.status.code(), log)
}

fn results(log: &Value) -> &[Value] {
    log["runs"][0]["results"].as_array().unwrap()
}

/// (rule, artifact URI, uriBaseId, line, fingerprint) of each result.
fn places(log: &Value) -> Vec<(String, String, Option<String>, u64, String)> {
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let mut all: Vec<_> = results(log)
        .iter()
        .map(|r| {
            let physical = &r["locations"][0]["physicalLocation"];
            let artifact = &physical["artifactLocation"];
            (
                text(&r["ruleId"]).unwrap(),
                text(&artifact["uri"]).unwrap(),
                text(&artifact["uriBaseId"]),
                physical["region"]["startLine"].as_u64().unwrap(),
                text(&r["partialFingerprints"]["kcredFinding/v1"]).unwrap(),
            )
        })
        .collect();
    all.sort();
    all
}

/// The working folder with [`INSIDE`], and a file outside it.
fn folders(tag: &str) -> (TempDir, TempDir, std::path::PathBuf) {
    let dir = TempDir::new(&format!("sarif-{tag}"));
    let other = TempDir::new(&format!("sarif-{tag}-other"));
    dir.write(INSIDE, CONFIG);
    let outside = other.write("config", CONFIG);
    (dir, other, outside)
}

#[test]
fn uris_are_relative_to_srcroot_under_the_working_folder_and_absolute_elsewhere() {
    let (dir, _other, outside) = folders("work");
    let (code, log) = sarif_in(&dir, &outside);
    assert_eq!(code, Some(1), "KC201 is an error");
    let base = &log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
    assert_eq!(base, &format!("file://{}/", dir.display()).as_str());
    let places = places(&log);
    let inside: Vec<_> = places.iter().filter(|p| p.2.is_some()).collect();
    let outside_uri = format!("file://{}", outside.display());
    assert!(!inside.is_empty(), "{places:?}");
    for p in &inside {
        assert_eq!(p.1, "kube%20configs/lab%20%231.yaml", "{p:?}");
        assert_eq!(p.2.as_deref(), Some("%SRCROOT%"));
    }
    let elsewhere: Vec<_> = places.iter().filter(|p| p.2.is_none()).collect();
    assert_eq!(elsewhere.len(), inside.len(), "{places:?}");
    assert!(elsewhere.iter().all(|p| p.1 == outside_uri), "{places:?}");
    // Lines and columns: 1-based lines of the entries.
    assert!(places.iter().all(|p| p.3 >= 1), "{places:?}");
}

#[test]
fn fingerprints_survive_a_line_move_and_a_second_run() {
    let (dir, _other, outside) = folders("fp");
    let (_, first) = sarif_in(&dir, &outside);
    let (_, again) = sarif_in(&dir, &outside);
    assert_eq!(places(&first), places(&again), "a second run is the same");
    // Three lines above every entry: lines move, fingerprints do not.
    dir.write(INSIDE, format!("# one\n# two\n# three\n{CONFIG}"));
    let (_, moved) = sarif_in(&dir, &outside);
    let (before, after) = (places(&first), places(&moved));
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            (&b.0, &b.1, &b.4),
            (&a.0, &a.1, &a.4),
            "same finding, same fingerprint"
        );
        let shift = if b.2.is_some() { 3 } else { 0 };
        assert_eq!(a.3, b.3 + shift, "{b:?} -> {a:?}");
    }
    // Each finding has its own fingerprint.
    let mut prints: Vec<&String> = before.iter().map(|p| &p.4).collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), before.len(), "{before:?}");
}

/// GitHub's anchor of a Markdown heading: lowercase, spaces to `-`, other
/// punctuation but `-` and `_` dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn rules_carry_help_uri_security_severity_and_tags() {
    let (dir, _other, outside) = folders("rules");
    let (_, log) = sarif_in(&dir, &outside);
    let driver = &log["runs"][0]["tool"]["driver"];
    let home = driver["informationUri"].as_str().unwrap();
    assert!(home.starts_with("https://github.com/"), "{home}");
    let docs = std::fs::read_to_string(repo().join("docs/rules.md")).unwrap();
    let anchors: Vec<String> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(anchor)
        .collect();
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["KC201", "KC401"]);
    for r in rules {
        let id = r["id"].as_str().unwrap();
        let help = r["helpUri"].as_str().unwrap();
        let (page, fragment) = help.split_once('#').unwrap();
        assert_eq!(page, format!("{home}/blob/main/docs/rules.md"));
        assert!(anchors.iter().any(|a| a == fragment), "{id}: #{fragment}");
        assert!(
            fragment.starts_with(&id.to_lowercase()),
            "{id}: #{fragment}"
        );
        let severity = r["properties"]["security-severity"].as_str().unwrap();
        let severity: f64 = severity.parse().unwrap();
        assert!((0.1..=10.0).contains(&severity), "{id}: {severity}");
        let tags: Vec<&str> = r["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(tags.contains(&"security"), "{id}: {tags:?}");
        let family = if id == "KC201" { "token" } else { "cluster" };
        assert!(tags.contains(&family), "{id}: {tags:?}");
    }
    // KC201 is an error (high), KC401 a warning (medium) in baseline.
    let severity = |i: usize| rules[i]["properties"]["security-severity"].clone();
    assert_eq!((severity(0), severity(1)), ("8.0".into(), "5.0".into()));
    assert_valid_sarif("check", &serde_json::to_vec(&log).unwrap());
}
