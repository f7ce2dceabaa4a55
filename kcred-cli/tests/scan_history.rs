//! `kcred scan --history` on repositories made at test time by `git` (kcred
//! itself never runs it): a credential committed then deleted is found at its
//! commit and "not in HEAD"; the same blob at two paths and two commits is one
//! credential with both places; packed (`git gc`) and loose objects read the
//! same; `--since` leaves out what older commits hold; a corrupt object is a
//! typed problem while the rest still scans; no output prints the token.
//! Without `git` on PATH every test prints SKIPPED and passes.

use std::path::Path;
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{
    assert_exit, assert_valid_sarif, data, stdout, tool_available, Run, TempDir, NOW,
};
use serde_json::{json, Value};

/// A live service-account token (expires 2026-01-31, after NOW).
fn token() -> String {
    std::fs::read_to_string(data("scan/loose/deploy/sa.token")).unwrap()
}

/// A second, different credential: the CI script's token line.
fn script() -> String {
    std::fs::read_to_string(data("scan/loose/ci/deploy.sh")).unwrap()
}

/// A scratch repository driven by `git`, one commit per step, dated a day apart.
struct Repo {
    dir: TempDir,
    day: u32,
}

impl Repo {
    fn new(tag: &str) -> Self {
        let repo = Repo {
            dir: TempDir::new(tag),
            day: 0,
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Run::new("git")
            .current_dir(self.dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .output();
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// Writes (or with `None` deletes) files, commits them, returns the id.
    fn commit(&mut self, files: &[(&str, Option<&str>)]) -> String {
        for (rel, text) in files {
            match text {
                Some(text) => {
                    self.dir.write(rel, text);
                }
                None => std::fs::remove_file(self.dir.path().join(rel)).unwrap(),
            }
        }
        self.day += 1;
        let date = format!("2025-01-{:02}T00:00:00Z", self.day);
        self.git(&["add", "-A"]);
        Run::new("git")
            .current_dir(self.dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(["-c", "commit.gpgsign=false", "commit", "-q", "-m", "step"])
            .output();
        self.git(&["rev-parse", "HEAD"])
    }

    /// A new repository, or `None` (SKIPPED printed) without git on PATH.
    fn or_skip(tag: &str) -> Option<Self> {
        if !tool_available("git", &["--version"]) {
            eprintln!("{tag}: SKIPPED (git is not on PATH)");
            return None;
        }
        Some(Repo::new(tag))
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn history(repo: &Path, extra: &[&str]) -> Output {
    kcred!()
        .current_dir(repo)
        .args(["scan", "--history", ".", "--now", NOW])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
}

fn json(repo: &Path, extra: &[&str]) -> (Output, Value) {
    let out = history(repo, &[&["--format", "json"], extra].concat());
    let doc = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    (out, doc)
}

fn codes(doc: &Value) -> Vec<String> {
    doc["findings"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_deleted_credential_is_found_at_its_commit_not_in_head_packed_or_loose() {
    for packed in [false, true] {
        let Some(mut repo) = Repo::or_skip("history-deleted") else {
            return;
        };
        let added = repo.commit(&[
            ("deploy/sa.token", Some(&token())),
            ("README", Some("hi\n")),
        ]);
        repo.commit(&[("deploy/sa.token", None)]);
        if packed {
            repo.git(&["gc", "-q", "--aggressive"]);
        }
        let packs = std::fs::read_dir(repo.path().join(".git/objects/pack"))
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(
            packs > 0,
            packed,
            "the variant reads the code path it names"
        );
        let (out, doc) = json(repo.path(), &[]);
        assert_exit(&out, 1);
        let creds = doc["credentials"].as_array().unwrap();
        assert_eq!(creds.len(), 1, "{doc:#}");
        let h = &creds[0]["history"];
        assert_eq!(h["in_head"], false);
        assert_eq!(h["places"].as_array().unwrap().len(), 1);
        assert_eq!(h["places"][0]["commit"], added.as_str());
        assert_eq!(h["places"][0]["path"], "deploy/sa.token");
        let file = creds[0]["location"]["file"].as_str().unwrap();
        assert_eq!(file, format!("./deploy/sa.token@{}", &added[..12]));
        assert!(
            codes(&doc).contains(&"KC501".to_owned()),
            "{:?}",
            codes(&doc)
        );
        assert_eq!(doc["history"]["commits"], 2);
        assert_eq!(doc["problems"].as_array().unwrap().len(), 0, "{doc:#}");
        let table = stdout(&history(repo.path(), &[]));
        assert!(table.contains("in HEAD: no"), "{table}");
        assert!(table.contains(&added[..12]), "{table}");
    }
}

#[test]
fn one_blob_at_two_paths_and_two_commits_is_one_credential_with_both_places() {
    let Some(mut repo) = Repo::or_skip("history-twice") else {
        return;
    };
    let first = repo.commit(&[("a/sa.token", Some(&token()))]);
    let second = repo.commit(&[("b/copy.token", Some(&token()))]);
    let (out, doc) = json(repo.path(), &[]);
    assert_exit(&out, 1);
    let creds = doc["credentials"].as_array().unwrap();
    assert_eq!(creds.len(), 1, "{doc:#}");
    let places: Vec<(String, String, bool)> = creds[0]["history"]["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["commit"].as_str().unwrap().to_owned(),
                p["path"].as_str().unwrap().to_owned(),
                p["in_head"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            (first, "a/sa.token".to_owned(), true),
            (second.clone(), "b/copy.token".to_owned(), true),
        ]
    );
    assert_eq!(creds[0]["history"]["in_head"], true);
    assert_eq!(doc["history"]["blobs"], 1, "the blob is read once");

    let sarif = history(repo.path(), &["--format", "sarif"]);
    assert_valid_sarif("history SARIF", &sarif.stdout);
    let log: Value = serde_json::from_str(&stdout(&sarif)).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let leak = results.iter().find(|r| r["ruleId"] == "KC501").unwrap();
    assert_eq!(leak["properties"]["path"], "a/sa.token");
    assert_eq!(leak["properties"]["places"][1]["commit"], second.as_str());
    let uri = &leak["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "a/sa.token");
}

#[test]
fn since_leaves_out_what_older_commits_hold() {
    let Some(mut repo) = Repo::or_skip("history-since") else {
        return;
    };
    let old = repo.commit(&[("deploy/sa.token", Some(&token()))]);
    repo.git(&["tag", "v1"]);
    let new = repo.commit(&[("README", Some("docs\n"))]);
    for since in [old.as_str(), &old[..8], "v1", "refs/tags/v1"] {
        let (out, doc) = json(repo.path(), &["--since", since]);
        assert_exit(&out, 0);
        assert_eq!(
            doc["credentials"].as_array().unwrap().len(),
            0,
            "{since}: {doc:#}"
        );
        assert_eq!(doc["history"]["commits"], 1, "{since}");
        assert_eq!(doc["history"]["since"], since);
    }
    // A credential the newer commit adds is found.
    let newest = repo.commit(&[("ci/deploy.sh", Some(&script()))]);
    let (out, doc) = json(repo.path(), &["--since", &new]);
    assert_exit(&out, 1);
    let creds = doc["credentials"].as_array().unwrap();
    assert!(!creds.is_empty(), "{doc:#}");
    for c in creds {
        assert_eq!(
            c["history"]["places"][0]["commit"],
            newest.as_str(),
            "{c:#}"
        );
    }
    let bad = history(repo.path(), &["--since", "no-such-ref"]);
    assert_exit(&bad, 2);
}

#[test]
fn a_corrupt_object_is_a_problem_and_the_rest_still_scans() {
    let Some(mut repo) = Repo::or_skip("history-corrupt") else {
        return;
    };
    repo.commit(&[("deploy/sa.token", Some(&token()))]);
    repo.commit(&[("ci/deploy.sh", Some(&script()))]);
    let blob = repo.git(&["rev-parse", "HEAD:ci/deploy.sh"]);
    let object = repo
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    let mut perms = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&object, perms).unwrap();
    std::fs::write(&object, b"not zlib at all").unwrap();
    let (out, doc) = json(repo.path(), &[]);
    assert_exit(&out, 1);
    assert_eq!(doc["credentials"].as_array().unwrap().len(), 1, "{doc:#}");
    let problems = doc["problems"].to_string();
    assert!(problems.contains(&blob), "{problems}");
    assert!(problems.contains("zlib"), "{problems}");
}

#[test]
fn no_output_prints_the_token() {
    let Some(mut repo) = Repo::or_skip("history-canary") else {
        return;
    };
    let kubeconfig = "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: CANARY-history-7f3a\n";
    repo.commit(&[
        ("deploy/sa.token", Some(&token())),
        ("kube/config", Some(kubeconfig)),
    ]);
    repo.commit(&[("deploy/sa.token", None), ("kube/config", None)]);
    let secret = token().trim().to_owned();
    let signature = secret.rsplit('.').next().unwrap().to_owned();
    for format in ["table", "json", "sarif", "prometheus"] {
        let out = history(repo.path(), &["--format", format]);
        assert_exit(&out, 1);
        let text = stdout(&out);
        assert!(!text.is_empty(), "{format}");
        assert!(!text.contains(&signature), "{format} printed the token");
        assert!(
            !text.contains("CANARY"),
            "{format} printed the kubeconfig's token"
        );
        assert!(
            text.contains("kube/config"),
            "{format} names the kubeconfig"
        );
    }
}

#[test]
fn a_folder_that_is_no_repository_is_an_error() {
    let dir = TempDir::new("history-none");
    let out = history(dir.path(), &[]);
    assert_exit(&out, 2);
}

#[test]
fn a_blob_over_the_size_cap_is_skipped_with_a_note() {
    let Some(mut repo) = Repo::or_skip("history-large") else {
        return;
    };
    let big = "x".repeat(4096);
    let commit = repo.commit(&[("assets/big.txt", Some(&big))]);
    let (out, doc) = json(repo.path(), &["--max-file-size", "1000"]);
    assert_exit(&out, 0);
    let skipped = &doc["skipped"][0];
    assert_eq!(skipped["reason"], "too-large", "{doc:#}");
    let file = format!("./assets/big.txt@{}", &commit[..12]);
    assert_eq!(skipped["file"], file.as_str());
}

/// A file of tests/data/scan/shapes (tests/data/scan/make_shapes.py).
fn shape(rel: &str) -> String {
    std::fs::read_to_string(data("scan/shapes").join(rel)).unwrap()
}

/// The finding of `code` on `file`, or a panic naming what was found.
fn finding<'a>(doc: &'a Value, code: &str, file: &str) -> &'a Value {
    let all = doc["findings"]["findings"].as_array().unwrap();
    all.iter()
        .find(|f| f["code"] == code && f["location"]["file"] == file)
        .unwrap_or_else(|| panic!("no {code} on {file}: {all:#?}"))
}

#[test]
fn a_certificate_pairs_with_its_key_from_another_commit_after_the_key_is_deleted() {
    let Some(mut repo) = Repo::or_skip("history-pairs") else {
        return;
    };
    // Live system:masters and expired certificates, then their keys under
    // other names a commit later, then the keys deleted; a key of no certificate.
    let certs = repo.commit(&[
        ("pki/admin.crt", Some(&shape("pki/admin.crt"))),
        ("old/deployer.crt", Some(&shape("old/deployer.crt"))),
    ]);
    let keys = repo.commit(&[
        ("secrets/admin.key", Some(&shape("pki/admin.key"))),
        ("secrets/0001.pem", Some(&shape("backup/0001.pem"))),
        ("keys/signing.key", Some(&shape("keys/signing.key"))),
    ]);
    repo.commit(&[("secrets/admin.key", None), ("secrets/0001.pem", None)]);
    let (out, doc) = json(repo.path(), &[]);
    assert_exit(&out, 1);
    let at = |path: &str, commit: &str| format!("./{path}@{}", &commit[..12]);
    let creds = doc["credentials"].as_array().unwrap();
    assert_eq!(creds.len(), 2, "{doc:#}");
    for (c, cert, key, who, status) in [
        (
            &creds[0],
            "old/deployer.crt",
            "secrets/0001.pem",
            "CN=deployer O=ci",
            "expired",
        ),
        (
            &creds[1],
            "pki/admin.crt",
            "secrets/admin.key",
            "CN=kubernetes-admin O=system:masters",
            "valid",
        ),
    ] {
        assert_eq!(c["location"]["file"], at(cert, &certs).as_str(), "{c:#}");
        assert_eq!(c["location"]["line"], 1);
        assert_eq!(
            (&c["kind"], &c["identity"]),
            (&json!("client-certificate"), &json!(who))
        );
        assert_eq!(c["status"], status);
        assert_eq!(c["details"]["key_source"]["path"], at(key, &keys).as_str());
        let h = &c["history"];
        assert_eq!(h["in_head"], true, "the certificate is still in HEAD");
        assert_eq!(h["key"]["in_head"], false, "its key is not: {h:#}");
        assert_eq!(h["key"]["places"][0]["commit"], keys.as_str());
        assert_eq!(h["key"]["places"][0]["path"], key);
    }
    let admin = finding(&doc, "KC501", &at("pki/admin.crt", &certs));
    let message = admin["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("private key ({})", at("secrets/admin.key", &keys))),
        "{message}"
    );
    assert!(message.contains("system:masters"), "{message}");
    let expired = finding(&doc, "KC502", &at("old/deployer.crt", &certs));
    assert!(
        expired["message"].as_str().unwrap().contains("expired"),
        "{expired:#}"
    );
    // The key no certificate holds is KC502 at its own commit, once.
    let alone = finding(&doc, "KC502", &at("keys/signing.key", &keys));
    assert!(
        alone["message"]
            .as_str()
            .unwrap()
            .contains("no certificate"),
        "{alone:#}"
    );
    assert_eq!(
        codes(&doc).iter().filter(|c| *c == "KC502").count(),
        2,
        "{:?}",
        codes(&doc)
    );
    // The table says where the key is and that HEAD no longer holds it.
    let table = stdout(&history(repo.path(), &[]));
    let line = format!("its key: {}  in HEAD: no", at("secrets/admin.key", &keys));
    assert!(table.contains(&line), "{table}");
    // SARIF: the key alone carries its commit too.
    let sarif = history(repo.path(), &["--format", "sarif"]);
    assert_valid_sarif("history SARIF", &sarif.stdout);
    let log: Value = serde_json::from_str(&stdout(&sarif)).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let uri = |r: &Value| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone();
    let key = results
        .iter()
        .find(|r| uri(r) == "keys/signing.key")
        .unwrap();
    assert_eq!(key["properties"]["commit"], keys.as_str());
    assert_eq!(key["properties"]["inHead"], true);
    let cert = results.iter().find(|r| r["ruleId"] == "KC501").unwrap();
    assert_eq!(cert["properties"]["commit"], certs.as_str());
    // No output prints a key: the line below each key's BEGIN line.
    let secrets: Vec<String> = ["pki/admin.key", "backup/0001.pem", "keys/signing.key"]
        .iter()
        .map(|f| shape(f).lines().nth(1).unwrap().to_owned())
        .collect();
    for format in ["table", "json", "sarif", "prometheus"] {
        let text = stdout(&history(repo.path(), &["--format", format]));
        assert!(!text.contains("PRIVATE KEY-----"), "{format}");
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{format} printed a key");
        }
    }
}
