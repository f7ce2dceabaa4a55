//! Tables that fit: `inspect`, `pki` and `scan` fit their tables in
//! `$COLUMNS` (else 80) by shortening free-text cells with `…`; `--wide`
//! prints every cell whole. And the TLS column of `inspect`: `verified`,
//! `no CA`, `system roots`, `insecure`.

use std::path::Path;

use kcred_tests::kcred;
use kcred_tests::support::{data, repo, stderr, stdout, TempDir, NOW};

/// A CA file that decodes (kubeadm's cluster CA).
fn ca() -> std::path::PathBuf {
    data("pki/kubeadm/etc-kubernetes/pki/ca.crt")
}

/// Four clusters, one per TLS verdict, and a context with a long name.
fn config(dir: &TempDir) -> std::path::PathBuf {
    let long = format!("ctx-{}", "very-long-context-name-".repeat(4));
    let text = format!(
        "apiVersion: v1
kind: Config
clusters:
- name: with-ca
  cluster: {{server: 'https://10.0.0.1:6443', certificate-authority: '{ca}'}}
- name: ca-missing
  cluster: {{server: 'https://10.0.0.2:6443', certificate-authority: missing-ca.crt}}
- name: public
  cluster: {{server: 'https://k8s.example.com'}}
- name: lab
  cluster: {{server: 'https://10.0.0.4:6443', insecure-skip-tls-verify: true}}
contexts:
- name: {long}
  context: {{cluster: with-ca, user: dev}}
users:
- name: dev
  user: {{token: opaque-dev-token}}
",
        ca = ca().display()
    );
    dir.write("config", text)
}

/// `kcred ARGS --now NOW` in `cwd` with `COLUMNS` as given: (exit, stdout).
fn run(cwd: &Path, args: &[&str], columns: Option<&str>) -> (Option<i32>, String) {
    let home = TempDir::new("width-home");
    let mut run = kcred!()
        .args(args)
        .args(["--now", NOW])
        .current_dir(cwd)
        .clean_env(&home);
    if let Some(c) = columns {
        run = run.env("COLUMNS", c);
    }
    let out = run.output();
    assert_eq!(stderr(&out), "", "kcred {args:?}");
    (out.status.code(), stdout(&out))
}

fn widest_line(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn the_tls_column_says_what_the_entry_asks_of_a_client() {
    let dir = TempDir::new("width-tls");
    let config = config(&dir);
    let (code, text) = run(&dir, &["inspect", "--kubeconfig", "config", "--wide"], None);
    assert_eq!(code, Some(0));
    let tls_of = |cluster: &str| {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{cluster} ")))
            .unwrap_or_else(|| panic!("{cluster}: {text}"));
        line.split("   ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .nth(2)
            .unwrap()
            .to_owned()
    };
    assert_eq!(tls_of("with-ca"), "verified");
    assert_eq!(tls_of("ca-missing"), "no CA");
    assert_eq!(tls_of("public"), "system roots");
    assert_eq!(tls_of("lab"), "insecure");
    assert!(config.exists());
    let clusters: String = text
        .lines()
        .skip_while(|l| !l.starts_with("CLUSTER"))
        .take_while(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("tls_column", clusters);
}

#[test]
fn columns_sets_the_width_and_wide_prints_every_cell() {
    let dir = TempDir::new("width-cols");
    config(&dir);
    let long = format!("ctx-{}", "very-long-context-name-".repeat(4));
    let inspect = ["inspect", "--kubeconfig", "config"];
    // Default 80: the contexts table (free text only) fits, names end in `…`.
    let (code, narrow) = run(&dir, &inspect, None);
    assert_eq!(code, Some(0));
    assert!(!narrow.contains(&long), "{narrow}");
    assert!(narrow.contains('…'), "{narrow}");
    let contexts = narrow
        .split("\n\n")
        .find(|t| t.starts_with("CURRENT"))
        .unwrap();
    assert!(widest_line(contexts) <= 80, "{contexts}");
    // $COLUMNS wider than every table: nothing is cut.
    let (_, roomy) = run(&dir, &inspect, Some("400"));
    assert!(roomy.contains(&long) && !roomy.contains('…'), "{roomy}");
    // $COLUMNS narrower: tables get narrower, down to 10 per cut column.
    let (_, tight) = run(&dir, &inspect, Some("60"));
    let contexts = tight
        .split("\n\n")
        .find(|t| t.starts_with("CURRENT"))
        .unwrap();
    assert!(widest_line(contexts) <= 60, "{contexts}");
    assert_ne!(tight, narrow);
    // Not a number: 80.
    let (_, junk) = run(&dir, &inspect, Some("wide"));
    assert_eq!(junk, narrow);
    // --wide: every cell whole, whatever $COLUMNS says.
    let mut wide_args = inspect.to_vec();
    wide_args.push("--wide");
    let (code, wide) = run(&dir, &wide_args, Some("40"));
    assert_eq!(code, Some(0));
    assert_eq!(wide, roomy);
    let folder = dir.display().to_string();
    insta::assert_snapshot!("inspect_columns_60", tight.replace(&folder, "DIR"));
}

#[test]
fn pki_and_scan_take_wide_too() {
    let kubeadm = data("pki/kubeadm/etc-kubernetes");
    let kubeadm = kubeadm.to_str().unwrap();
    let empty = TempDir::new("width-kubelet");
    let kubelet = empty.to_str().unwrap();
    let pki = |extra: &[&str], columns| {
        let mut args = vec!["pki", kubeadm, "--kubelet-dir", kubelet, "--exit-zero"];
        args.extend_from_slice(extra);
        run(&repo(), &args, columns)
    };
    let (code, wide) = pki(&["--wide"], Some("20"));
    assert_eq!(code, Some(0));
    let (_, roomy) = pki(&[], Some("400"));
    assert_eq!(wide, roomy);
    let (_, tight) = pki(&[], Some("20"));
    assert!(widest_line(&tight) <= widest_line(&wide), "{tight}");
    let dir = TempDir::new("width-scan");
    dir.write(
        "repo/kubeconfigs/a.yaml",
        std::fs::read(repo().join("examples/kubeconfigs/demo.yaml")).unwrap(),
    );
    let scan = |extra: &[&str], columns| {
        let mut args = vec!["scan", "repo", "--exit-zero"];
        args.extend_from_slice(extra);
        run(&dir, &args, columns)
    };
    let (code, wide) = scan(&["--wide"], Some("20"));
    assert_eq!(code, Some(0));
    let (_, roomy) = scan(&[], Some("1000"));
    assert_eq!(wide, roomy);
    let (_, narrow) = scan(&[], None);
    assert!(narrow.contains('…'), "{narrow}");
    // file:line is never cut.
    assert!(narrow.contains("repo/kubeconfigs/a.yaml:"), "{narrow}");
}
