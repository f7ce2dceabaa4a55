use super::*;

fn parse(text: &str) -> Result<Policy, Error> {
    parse_policy(text, Path::new("policy.yaml"))
}

#[test]
fn unknown_key_names_key_and_line() {
    let err = parse("version: 1\nrules:\n  expired:\n    severty: error\n").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("severty"), "{msg}");
    assert!(
        msg.contains("unknown key `severty`: did you mean `severity`?"),
        "{msg}"
    );
    assert_eq!(err.location().and_then(|l| l.line), Some(4), "{msg}");
    // nothing near enough: no guess
    let err = parse("version: 1\nrules:\n  expired:\n    colour: red\n").unwrap_err();
    assert!(!err.to_string().contains("did you mean"), "{err}");
    let err = parse("version: 1\nrulez: {}\n").unwrap_err();
    assert!(err.to_string().contains("rulez"));
    assert_eq!(err.location().and_then(|l| l.line), Some(2));
}

#[test]
fn unknown_rule_preset_kind_glob_and_version() {
    let cases = [
        ("version: 1\nrules:\n  KC999: {}\n", "unknown rule"),
        ("version: 1\nextends: lax\n", "not a preset"),
        ("version: 2\n", "not supported"),
        ("rules: {}\n", "missing `version: 1`"),
        (
            "version: 1\nrules:\n  expired: { include: { kinds: [cert] } }\n",
            "unknown credential kind",
        ),
        (
            "version: 1\nrules:\n  expired: { include: { users: ['[a'] } }\n",
            "bad glob",
        ),
        (
            "version: 1\nrules:\n  expiring-soon: { threshold: 30 }\n",
            "no unit",
        ),
        (
            "version: 1\nsuppressions:\n- { rule: KC101, reason: '' }\n",
            "needs a reason",
        ),
        (
            "version: 1\nsuppressions:\n- { rule: KC101, reason: x, expires: soon }\n",
            "neither a date",
        ),
    ];
    for (text, want) in cases {
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains(want), "{text:?}: {err}");
    }
}

#[test]
fn yaml_json_toml_and_api_version_forms_agree() {
    let yaml = parse(
        "apiVersion: kcred/v1\nkind: Policy\nextends: strict\nrules:\n  KC005: { threshold: 8h }\n",
    )
    .unwrap();
    let json = parse_policy(
        r#"{"version": 1, "extends": "strict", "rules": {"max-remaining": {"threshold": "8h"}}}"#,
        Path::new("p.json"),
    )
    .unwrap();
    let toml = parse_policy(
        "version = 1\nextends = \"strict\"\n[rules.max-remaining]\nthreshold = \"8h\"\n",
        Path::new("p.toml"),
    )
    .unwrap();
    for p in [&yaml, &json, &toml] {
        assert_eq!(p.threshold_of(Code::MaxRemaining).unwrap(), "8h");
        assert!(p.rules[&Code::IrrevocableAdmin].enabled);
    }
    let err = parse_policy("version = 1\nbogus = 2\n", Path::new("p.toml")).unwrap_err();
    assert!(err.to_string().contains("bogus"), "{err}");
    assert_eq!(err.location().and_then(|l| l.line), Some(2), "{err}");
}

#[test]
fn suppression_dates_mean_through_that_day() {
    let p = parse("version: 1\nsuppressions:\n- rule: irrevocable-admin\n  reason: break glass\n  expires: 2026-03-31\n").unwrap();
    let s = &p.suppressions[0];
    assert_eq!(s.rule, Some(Code::IrrevocableAdmin));
    assert_eq!(
        s.expires,
        Some(time::macros::datetime!(2026-04-01 0:00 UTC))
    );
    assert_eq!(s.at.line, Some(3));
}

/// A fresh folder `kcred-TAG-PID` under the temp folder holding `files`
/// (name, text); the caller removes it.
fn policy_files(tag: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kcred-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

#[test]
fn load_follows_extends_files_and_refuses_loops() {
    let dir = policy_files(
        "policy",
        &[
            (
                "base.yaml",
                "version: 1\nextends: strict\nrules:\n  max-remaining: { threshold: 12h }\n",
            ),
            (
                "team.yaml",
                "version: 1\nextends: base.yaml\nrules:\n  KC101: { severity: warning }\n",
            ),
            ("a.yaml", "version: 1\nextends: b.yaml\n"),
            ("b.yaml", "version: 1\nextends: a.yaml\n"),
        ],
    );
    let p = load_policy(dir.join("team.yaml").to_str().unwrap()).unwrap();
    assert_eq!(p.threshold_of(Code::MaxRemaining).unwrap(), "12h");
    assert_eq!(p.rules[&Code::IrrevocableAdmin].severity, Severity::Warning);
    assert!(p.rules[&Code::StaticCredential].enabled);
    let err = load_policy(dir.join("a.yaml").to_str().unwrap()).unwrap_err();
    assert!(err.to_string().contains("loops"), "{err}");
    let err = load_policy(dir.join("missing.yaml").to_str().unwrap()).unwrap_err();
    assert_eq!(err.kind(), "io");
    std::fs::remove_dir_all(&dir).ok();
}

/// Files a policy might name in `extends:` (or be given as), each holding
/// canaries where a parser would stop: none may appear in the error.
fn hostile_files() -> Vec<(&'static str, String)> {
    let mut files = Vec::new();
    for (ext, first_key, shadow, value, syntax, wrong_type) in [
        (
            "yaml",
            "CANARY-k1: v\nother: 1\n",
            "root:$6$CANARYhash$x:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
            "password: CANARY-v\n",
            "key: [CANARY-v\n",
            "version: CANARY-v\n",
        ),
        (
            "toml",
            "CANARY-k1 = \"v\"\nother = 1\n",
            "root:$6$CANARYhash$x:19000:0:99999:7:::\n",
            "password = \"CANARY-v\"\n",
            "key = [\"CANARY-v\"\n",
            "version = \"CANARY-v\"\n",
        ),
        (
            "json",
            "{\"CANARY-k1\": \"v\", \"other\": 1}",
            "{root:$6$CANARYhash$x:19000}",
            "{\"password\": \"CANARY-v\"}",
            "{\"key\": [\"CANARY-v\"",
            "{\"version\": \"CANARY-v\"}",
        ),
    ] {
        for text in [first_key, shadow, value, syntax, wrong_type] {
            files.push((ext, text.to_owned()));
        }
    }
    // Declared policies with canaries in values and in keys no rule has.
    for body in [
        "rules:\n  expired: { severity: CANARY-v }\n",
        "rules:\n  expired: { threshold: CANARY-v }\n",
        "rules:\n  expired: { threshold: 30CANARY }\n",
        "rules:\n  expired: { include: { users: ['[CANARY'] } }\n",
        "rules:\n  expired: { include: { kinds: [CANARY-kind] } }\n",
        "rules:\n  expired: { allow: ['[CANARY'] }\n",
        "rules:\n  'CANARY key!': {}\n",
        "rules:\n  expired: { 'CANARY key!': 1 }\n",
        "'CANARY key!': 1\n",
        "suppressions:\n- { rule: 'CANARY rule!', reason: r }\n",
        "suppressions:\n- { rule: KC101, reason: r, expires: CANARY-date }\n",
        "suppressions:\n- { rule: KC101, reason: r, users: ['[CANARY'] }\n",
        "name: [CANARY-v]\n",
    ] {
        files.push(("yaml", format!("version: 1\n{body}")));
    }
    files
}

#[test]
fn no_parser_message_quotes_a_policy_or_a_file_it_extends() {
    let dir = std::env::temp_dir().join(format!("kcred-policy-canary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut checked = 0;
    for (i, (ext, text)) in hostile_files().into_iter().enumerate() {
        let victim = dir.join(format!("victim{i}.{ext}"));
        std::fs::write(&victim, &text).unwrap();
        let mut errors = vec![
            parse_policy(&text, &victim).unwrap_err(),
            load_policy(victim.to_str().unwrap()).unwrap_err(),
        ];
        // Named by `extends:` of a policy in each format.
        for (main_ext, main) in [
            ("yaml", format!("version: 1\nextends: victim{i}.{ext}\n")),
            (
                "toml",
                format!("version = 1\nextends = \"victim{i}.{ext}\"\n"),
            ),
            (
                "json",
                format!("{{\"version\": 1, \"extends\": \"victim{i}.{ext}\"}}"),
            ),
        ] {
            let path = dir.join(format!("main{i}.{main_ext}"));
            std::fs::write(&path, main).unwrap();
            errors.push(load_policy(path.to_str().unwrap()).unwrap_err());
        }
        for err in errors {
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("CANARY"), "{text:?}: {shown}");
            assert_eq!(err.kind(), "bad-policy", "{text:?}: {shown}");
            checked += 1;
        }
    }
    assert!(checked >= 100, "{checked}");
    // Without disk access an extended file is refused without quoting it.
    let err = parse("version: 1\nextends: 'CANARY preset!'\n").unwrap_err();
    assert!(!err.to_string().contains("CANARY"), "{err}");
    // The first-key case still says where: the victim's line 1.
    let victim = dir.join("first.yaml");
    std::fs::write(&victim, "CANARY-k1: v\n").unwrap();
    let err = load_policy(victim.to_str().unwrap()).unwrap_err();
    assert_eq!(err.location().and_then(|l| l.line), Some(1), "{err}");
    assert!(err.to_string().contains("unknown key"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn oidc_settings_in_yaml_toml_and_json_override_the_extended_ones_field_by_field() {
    assert_eq!(Policy::default().oidc, None);
    let p = parse("version: 1\noidc:\n  username-claim: email\n  groups_claim: groups\n  groups-prefix: 'oidc:'\n").unwrap();
    let oidc = p.oidc.expect("oidc");
    assert_eq!(oidc.username_claim, "email");
    assert_eq!(oidc.groups_claim.as_deref(), Some("groups"));
    assert_eq!(oidc.groups_prefix.as_deref(), Some("oidc:"));
    assert_eq!(
        oidc.username_prefix, None,
        "the API server's default prefix"
    );
    let toml = parse_policy(
        "version = 1\n[oidc]\nusername_prefix = \"-\"\n",
        Path::new("p.toml"),
    )
    .unwrap();
    let oidc = toml.oidc.expect("oidc");
    assert_eq!(oidc.username_claim, "sub", "the API server's default claim");
    assert_eq!(oidc.username_prefix.as_deref(), Some("-"));
    let json = parse(r#"{"version": 1, "oidc": {"username_claim": "upn"}}"#).unwrap();
    assert_eq!(json.oidc.expect("oidc").username_claim, "upn");
    // A policy extending another keeps what it does not say.
    let dir = policy_files(
        "oidc",
        &[
            (
                "base.yaml",
                "version: 1\noidc: {username-claim: email, groups-claim: groups}\n",
            ),
            (
                "team.yaml",
                "version: 1\nextends: base.yaml\noidc: {groups-prefix: 'corp:'}\n",
            ),
        ],
    );
    let team = load_policy(dir.join("team.yaml").to_str().unwrap());
    std::fs::remove_dir_all(&dir).ok();
    let oidc = team.unwrap().oidc.expect("oidc");
    assert_eq!(
        (
            oidc.username_claim.as_str(),
            oidc.groups_claim.as_deref(),
            oidc.groups_prefix.as_deref()
        ),
        ("email", Some("groups"), Some("corp:"))
    );
    // Unknown keys are errors that name the key.
    let err = parse("version: 1\noidc:\n  user-claim: email\n").unwrap_err();
    assert!(err.to_string().contains("user-claim"), "{err}");
    assert_eq!(err.location().and_then(|l| l.line), Some(3), "{err}");
}
