use clap::{CommandFactory, Parser};

use super::*;

#[test]
fn parses_inspect() {
    let args = Args::try_parse_from([
        "kcred",
        "inspect",
        "--now",
        "2026-01-01T00:00:00Z",
        "--format",
        "json",
    ])
    .unwrap();
    let Command::Inspect(inspect) = args.command else {
        panic!("not inspect");
    };
    assert_eq!(inspect.output.format, InspectFormat::Json);
    assert_eq!(
        inspect.input.at.now.unwrap().unix_timestamp(),
        1_767_225_600
    );
    assert!(Args::try_parse_from(["kcred", "inspect", "--now", "yesterday"]).is_err());
}

#[test]
fn parses_exposure() {
    let args = Args::try_parse_from([
        "kcred",
        "exposure",
        "--kubeconfig",
        "a",
        "--kubeconfig",
        "b",
        "--home",
        "/h",
        "--lifetime",
        "entra-refresh-token=30d",
    ])
    .unwrap();
    let Command::Exposure(e) = args.command else {
        panic!("not exposure");
    };
    assert_eq!(e.kubeconfig.len(), 2);
    assert_eq!(e.lifetimes, ["entra-refresh-token=30d"]);
    assert_eq!(e.policy.policy, None);
    assert!(Args::try_parse_from(["kcred", "exposure", "--fail-on", "info"]).is_err());
}

#[test]
fn parses_check() {
    let args = Args::try_parse_from([
        "kcred",
        "check",
        "a.yaml",
        "b.yaml",
        "--policy",
        "strict",
        "--fail-on",
        "warning",
        "--format",
        "sarif",
        "--now",
        "2026-01-01T00:00:00Z",
    ])
    .unwrap();
    let Command::Check(check) = args.command else {
        panic!("not check");
    };
    assert_eq!(check.paths.len(), 2);
    assert_eq!(check.policy.fail_on, FailOn::Warning);
    assert_eq!(check.output.format, CheckFormat::Sarif);
    assert!(Args::try_parse_from(["kcred", "check", "--fail-on", "fatal"]).is_err());
    assert!(Args::try_parse_from(["kcred", "rule"]).is_err());
}

#[test]
fn shared_groups_keep_each_subcommands_defaults() {
    let policy_of = |argv: &[&str]| match Args::try_parse_from(argv).unwrap().command {
        Command::Check(a) => a.policy.policy,
        Command::Pki(a) => a.policy.policy,
        Command::Scan(a) => a.policy.policy,
        _ => unreachable!(),
    };
    assert_eq!(policy_of(&["kcred", "check"]).as_deref(), Some("baseline"));
    assert_eq!(policy_of(&["kcred", "pki"]).as_deref(), Some("kubeadm"));
    assert_eq!(
        policy_of(&["kcred", "scan", "."]).as_deref(),
        Some("baseline")
    );
    Args::command().debug_assert();
}
