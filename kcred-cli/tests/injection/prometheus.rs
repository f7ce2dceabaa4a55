//! Prometheus text with hostile label values passes `promtool check metrics`.

use super::*;
use kcred_tests::support::assert_promtool_accepts;

/// Every hostile class in label values (plus `"`, `\` and command prefixes)
/// still makes valid exposition text: `promtool check metrics` accepts it.
#[test]
fn prometheus_text_with_hostile_labels_passes_promtool() {
    let Ok(probe) = Run::new("promtool").arg("--version").try_output() else {
        eprintln!("SKIPPED: promtool not found (Debian package `prometheus`)");
        return;
    };
    assert!(probe.status.success());
    let dir = TempDir::new("injection-promtool");
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
    let f = file.to_str().unwrap();
    let home = dir.to_str().unwrap();
    let runs: [(&str, Vec<&str>); 3] = [
        ("check prometheus", [CHECK_PROMETHEUS, &[f]].concat()),
        (
            "exposure prometheus",
            vec![
                "exposure",
                "--now",
                NOW,
                "--format",
                "prometheus",
                "--kubeconfig",
                f,
                "--home",
                home,
            ],
        ),
        (
            "inspect prometheus",
            vec![
                "inspect",
                "--now",
                NOW,
                "--format",
                "prometheus",
                "--kubeconfig",
                f,
            ],
        ),
    ];
    for (what, args) in runs {
        let out = kcred(&args, &dir, &dir);
        assert_clean(what, &out);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("u0\\\\x00"), "{what}: {text}");
        assert!(
            assert_promtool_accepts(what, &text),
            "{what}: promtool vanished"
        );
    }
}
