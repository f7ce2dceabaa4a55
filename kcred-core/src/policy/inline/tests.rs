use super::*;

/// A suppression's rule, entry, contexts and line.
type Seen<'a> = (Option<Code>, Option<&'a str>, &'a [String], Option<u32>);

fn read(text: &str) -> (Vec<Suppression>, Vec<String>) {
    let (found, problems) = inline_suppressions(text, Path::new("k.yaml"));
    (found, problems.iter().map(ToString::to_string).collect())
}

const KUBECTL_STYLE: &str = "\
apiVersion: v1
clusters:
# kcred: ignore[KC401] reason: lab cluster with a self-signed API server
- cluster:
    server: https://lab:6443
    insecure-skip-tls-verify: true
  name: lab
contexts:
- context:
    cluster: lab
    user: bg
  name: lab   # kcred: ignore[KC007, expired] reason: lab only
users:
- name: bg
  user:
    client-key-data: |
      # kcred: ignore[KC101] reason: inside a block scalar: content, not a comment
    # kcred: ignore[KC101] reason: break-glass, until 2027-03-31
    client-certificate-data: abc
    token: \"x # kcred: ignore[KC201] reason: inside quotes\"
- name: 'other'
  user: {}
";

#[test]
fn entries_fields_and_kubectls_name_last_layout() {
    let (found, problems) = read(KUBECTL_STYLE);
    assert!(problems.is_empty(), "{problems:?}");
    let seen: Vec<Seen<'_>> = found
        .iter()
        .map(|s| {
            (
                s.rule,
                s.entry.as_deref(),
                s.scope.contexts.as_slice(),
                s.at.line,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                Some(Code::InsecureSkipTlsVerify),
                Some("clusters[lab]"),
                &[][..],
                Some(3)
            ),
            (
                Some(Code::StaticCredential),
                None,
                &["lab".to_owned()][..],
                Some(12)
            ),
            (Some(Code::Expired), None, &["lab".to_owned()][..], Some(12)),
            (
                Some(Code::IrrevocableAdmin),
                Some("users[bg]"),
                &[][..],
                Some(18)
            ),
        ]
    );
    assert_eq!(found[0].scope.files, ["k.yaml"]);
    assert_eq!(found[3].reason, "break-glass");
    assert_eq!(
        found[3].expires,
        Some(time::macros::datetime!(2027-04-01 0:00 UTC))
    );
    assert_eq!(found[0].expires, None);
}

#[test]
fn a_comment_that_says_no_suppression_is_a_problem() {
    for (comment, want) in [
        ("ignore[KC999] reason: x", "unknown rule \"KC999\""),
        ("ignore[KC101]", "needs a reason"),
        ("ignore[KC101] reason:   ", "needs a reason"),
        ("ignore[KC101] reason: x, until soon", "neither a date"),
        ("ignore[] reason: x", "unknown rule"),
        ("ignore[KC101 reason: x", "without its `]`"),
        ("noqa", "not a suppression"),
        ("ignore[\u{1b}[2J] reason: x", "unknown rule (see"),
    ] {
        let text = format!("users:\n# kcred: {comment}\n- name: a\n  user: {{}}\n");
        let (found, problems) = read(&text);
        assert!(found.is_empty(), "{comment}");
        assert_eq!(problems.len(), 1, "{comment}");
        assert!(
            problems[0].contains(want) && problems[0].contains("line 2"),
            "{comment}: {problems:?}"
        );
        assert!(problems[0].contains("users[a]"), "{problems:?}");
        assert!(!problems[0].contains('\u{1b}'));
    }
    // On no entry: above a top-level key, after a blank line, or at the end.
    for text in [
        "# kcred: ignore[KC101] reason: x\ncurrent-context: a\n",
        "users:\n# kcred: ignore[KC101] reason: x\n\n- name: a\n  user: {}\n",
        "users:\n- name: a\n  user: {}\n# kcred: ignore[KC101] reason: x\n",
        "users: [] # kcred: ignore[KC101] reason: x\n",
    ] {
        let (found, problems) = read(text);
        assert!(found.is_empty());
        assert!(
            problems[0].contains("must be on or above"),
            "{text:?}: {problems:?}"
        );
    }
}

#[test]
fn bounded_and_shortened() {
    let long = "r".repeat(1000);
    let (found, _) = read(&format!(
        "users:\n- name: a  # kcred: ignore[KC101] reason: {long}\n"
    ));
    assert_eq!(found[0].reason.chars().count(), MAX_REASON_CHARS + 1);
    let many = "# kcred: ignore[KC101] reason: x\n".repeat(MAX_COMMENTS + 5);
    let (found, problems) = read(&format!("users:\n{many}- name: a\n"));
    assert_eq!(found.len(), MAX_COMMENTS);
    assert!(problems[0].contains("more than 1000"), "{problems:?}");
    // Names in flow mappings and quotes.
    let (found, _) =
        read("users:\n- {name: \"a b\", user: {}}  # kcred: ignore[KC101] reason: x\n");
    assert_eq!(found[0].entry.as_deref(), Some("users[a b]"));
}
