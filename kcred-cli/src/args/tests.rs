use clap::{CommandFactory, Parser};

use super::groups::FailOn;
use super::*;

/// The subcommand `line` (after `kcred`, split at spaces) parses to.
fn parse_line(line: &str) -> Command {
    parse(&line.split(' ').collect::<Vec<_>>())
}

/// The subcommand `argv` (after `kcred`) parses to.
fn parse(argv: &[&str]) -> Command {
    let all = std::iter::once("kcred").chain(argv.iter().copied());
    match Args::try_parse_from(all) {
        Ok(args) => args.command,
        Err(e) => panic!("kcred {argv:?}: {e}"),
    }
}

/// Every argv that must be refused (exit 2), and why.
const REFUSED: &[(&[&str], &str)] = &[
    (&["inspect", "--now", "yesterday"], "not an instant"),
    (
        &["exposure", "--fail-on", "info"],
        "--fail-on needs --policy",
    ),
    (&["exposure", "--quiet"], "--quiet needs --policy"),
    (&["check", "--fail-on", "fatal"], "no such severity"),
    (&["rule"], "CODE is required"),
    (&["inspect", "--quiet"], "inspect reports no findings"),
    (&["check", "--format", "yaml"], "no such format"),
];

#[test]
fn refuses_bad_arguments() {
    for (argv, why) in REFUSED {
        let all = std::iter::once("kcred").chain(argv.iter().copied());
        assert!(Args::try_parse_from(all).is_err(), "{argv:?}: {why}");
    }
}

#[test]
fn parses_inspect() {
    let argv = [
        "inspect",
        "--now",
        "2026-01-01T00:00:00Z",
        "--format",
        "json",
    ];
    let Command::Inspect(inspect) = parse(&argv) else {
        panic!("not inspect");
    };
    assert_eq!(inspect.output.format, InspectFormat::Json);
    let now = inspect.input.at.now.map(|t| t.unix_timestamp());
    assert_eq!(now, Some(1_767_225_600));
}

#[test]
fn parses_exposure() {
    let line =
        "exposure --kubeconfig a --kubeconfig b --home /h --lifetime entra-refresh-token=30d";
    let Command::Exposure(e) = parse_line(line) else {
        panic!("not exposure");
    };
    assert_eq!(e.kubeconfig.len(), 2);
    assert_eq!(e.lifetimes, ["entra-refresh-token=30d"]);
    assert_eq!(e.policy.policy, None);
    assert_eq!(e.folders.home.as_deref(), Some(std::path::Path::new("/h")));
}

#[test]
fn parses_check() {
    let line = "check a.yaml b.yaml --policy strict --fail-on warning --format sarif --now 2026-01-01T00:00:00Z";
    let Command::Check(check) = parse_line(line) else {
        panic!("not check");
    };
    assert_eq!(check.paths.len(), 2);
    assert_eq!(check.policy.fail_on, FailOn::Warning);
    assert_eq!(check.output.format, CheckFormat::Sarif);
    assert!(!check.policy.findings.quiet && !check.policy.findings.exit_zero);
}

/// `--output`, `--output-format`, `--quiet` and `--exit-zero` are the same
/// flags on every subcommand that reports.
#[test]
fn output_flags_are_shared() {
    for sub in [
        &["check"][..],
        &["pki"],
        &["scan", "."],
        &["exposure", "--policy", "strict"],
    ] {
        let mut argv = sub.to_vec();
        argv.extend([
            "--output-format",
            "prometheus",
            "-o",
            "x.prom",
            "-q",
            "--exit-zero",
        ]);
        let command = parse(&argv);
        let d = command.destination();
        assert!(d.prometheus, "{argv:?}");
        assert_eq!(d.file, Some(std::path::Path::new("x.prom")));
        let policy = match &command {
            Command::Check(a) => &a.policy,
            Command::Pki(a) => &a.policy,
            Command::Scan(a) => &a.policy,
            Command::Exposure(a) => &a.policy,
            _ => unreachable!(),
        };
        assert!(
            policy.findings.quiet && policy.findings.exit_zero,
            "{argv:?}"
        );
    }
    let inspect = parse(&["inspect", "--output", "i.json", "--format", "json"]);
    assert!(!inspect.destination().prometheus);
    assert!(parse(&["rules"]).destination().file.is_none());
}

#[test]
fn shared_groups_keep_each_subcommands_defaults() {
    let policy_of = |argv: &[&str]| match parse(argv) {
        Command::Check(a) => a.policy.policy,
        Command::Pki(a) => a.policy.policy,
        Command::Scan(a) => a.policy.policy,
        _ => unreachable!(),
    };
    // check has no default: it discovers the policy (docs/policy.md).
    assert_eq!(policy_of(&["check"]).as_deref(), None);
    assert_eq!(policy_of(&["pki"]).as_deref(), Some("kubeadm"));
    assert_eq!(policy_of(&["scan", "."]).as_deref(), Some("baseline"));
    Args::command().debug_assert();
}
