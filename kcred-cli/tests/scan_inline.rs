//! `# kcred: ignore[CODE] reason: …, until DATE` comments in the inputs of
//! `scan` (scripts, `.env`, manifests: about the line they are on or above)
//! and `pki` (its kubeconfigs: about their entries), with the rules of every
//! suppression: a reason is required, an expired one is KC910, an unknown
//! rule is a KC902 problem (issue 16).

use std::path::Path;
use std::process::Output;

use kcred_tests::kcred;
use kcred_tests::support::{assert_exit, repo, shown, TempDir, NOW};

/// A live bound service-account token (valid at NOW for an hour).
fn token() -> String {
    let path = repo().join("tests/data/platforms/sa-tokenfile/token");
    std::fs::read_to_string(path).unwrap().trim().to_owned()
}

fn run(args: &[&str]) -> Output {
    kcred!()
        .env_remove("KUBECONFIG")
        .args(args)
        .args(["--now", NOW, "--format", "json"])
        .output()
}

/// `kcred scan DIR` over a folder holding `.env` with `text`.
fn scan_env(text: &str) -> (Output, serde_json::Value) {
    let dir = TempDir::new("scan-inline");
    dir.write(".env", text);
    let out = run(&["scan", dir.path().to_str().unwrap()]);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out, doc)
}

fn findings<'a>(doc: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    doc["findings"]["findings"]
        .as_array()
        .map(|all| all.iter().filter(|f| f["code"] == code).collect())
        .unwrap_or_default()
}

#[test]
fn a_comment_above_a_token_line_suppresses_its_kc501() {
    let bare = format!("APP=1\nKUBE_TOKEN={}\n", token());
    let (out, doc) = scan_env(&bare);
    assert_exit(&out, 1);
    let kc501 = findings(&doc, "KC501");
    assert_eq!(kc501.len(), 1, "{doc}");
    assert_eq!(kc501[0]["location"]["line"], 2);
    assert!(kc501[0]["suppressed"].is_null());

    for comment in [
        "# kcred: ignore[KC501] reason: revoked on 2026-01-02, until 2027-03-31\n",
        "# kcred: ignore[credential-in-repository] reason: revoked\n",
    ] {
        let (out, doc) = scan_env(&format!("APP=1\n{comment}KUBE_TOKEN={}\n", token()));
        assert_exit(&out, 0);
        let kc501 = findings(&doc, "KC501");
        assert_eq!(kc501.len(), 1, "{doc}");
        assert!(kc501[0]["suppressed"]["reason"]
            .as_str()
            .unwrap()
            .starts_with("revoked"));
    }
    // On the line itself.
    let same = format!(
        "KUBE_TOKEN={} # kcred: ignore[KC501] reason: revoked\n",
        token()
    );
    let (out, _) = scan_env(&same);
    assert_exit(&out, 0);
    // About another line: suppresses nothing.
    let other = format!(
        "# kcred: ignore[KC501] reason: revoked\nAPP=1\nKUBE_TOKEN={}\n",
        token()
    );
    let (out, _) = scan_env(&other);
    assert_exit(&out, 1);
}

#[test]
fn expired_unknown_and_reasonless_comments_are_findings_not_silence() {
    let expired = format!(
        "# kcred: ignore[KC501] reason: revoked, until 2025-06-30\nKUBE_TOKEN={}\n",
        token()
    );
    let (out, doc) = scan_env(&expired);
    assert_exit(&out, 1);
    assert!(findings(&doc, "KC501")[0]["suppressed"].is_null(), "{doc}");
    assert_eq!(findings(&doc, "KC910").len(), 1, "{doc}");
    for bad in [
        "# kcred: ignore[KC999] reason: no such rule",
        "# kcred: ignore[KC501]",
        "# kcred: ignore[KC501] reason: x, until someday",
    ] {
        let (out, doc) = scan_env(&format!("{bad}\nKUBE_TOKEN={}\n", token()));
        assert_exit(&out, 1);
        assert!(
            findings(&doc, "KC501")[0]["suppressed"].is_null(),
            "{bad}: {doc}"
        );
        let problems = findings(&doc, "KC902");
        assert_eq!(problems.len(), 1, "{bad}: {doc}");
        assert_eq!(problems[0]["location"]["line"], 1, "{bad}");
    }
}

#[test]
fn a_kubeconfig_in_a_scanned_tree_keeps_its_entry_comments() {
    let dir = TempDir::new("scan-inline-kubeconfig");
    let text = format!(
        "apiVersion: v1\nkind: Config\nusers:\n# kcred: ignore[KC501] reason: lab cluster, until 2027-03-31\n- name: ci\n  user:\n    token: {}\n",
        token()
    );
    dir.write("kubeconfig", text);
    let out = run(&["scan", dir.path().to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kc501 = findings(&doc, "KC501");
    assert_eq!(kc501.len(), 1, "{doc}");
    // At the token's line, suppressed by the comment above its entry.
    assert_eq!(kc501[0]["location"]["line"], 7);
    assert_eq!(kc501[0]["suppressed"]["reason"], "lab cluster", "{doc}");
    assert!(findings(&doc, "KC902").is_empty(), "{doc}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn pki_kubeconfigs_read_their_comments() {
    let dir = TempDir::new("pki-inline");
    let tree = dir.path().join("etc-kubernetes");
    copy_dir(&repo().join("tests/data/pki/kubeadm/etc-kubernetes"), &tree);
    let kc101 = |out: &Output| {
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        findings(&doc, "KC101")
            .first()
            .map(|f| f["suppressed"].clone())
            .unwrap_or_else(|| panic!("no KC101: {doc}"))
    };
    let pki = || {
        run(&[
            "pki",
            tree.to_str().unwrap(),
            "--kubelet-dir",
            tree.to_str().unwrap(),
        ])
    };
    assert!(kc101(&pki()).is_null());
    let conf = tree.join("super-admin.conf");
    let text = std::fs::read_to_string(&conf).unwrap().replace(
        "- name: kubernetes-super-admin",
        "# kcred: ignore[KC101] reason: break-glass, kept offline\n- name: kubernetes-super-admin",
    );
    std::fs::write(&conf, text).unwrap();
    let out = pki();
    assert_eq!(
        kc101(&out)["reason"],
        "break-glass, kept offline",
        "{}",
        shown(&out)
    );
}
