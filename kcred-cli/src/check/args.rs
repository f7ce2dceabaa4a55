//! Arguments of `check`, `rules` and `rule`: parsing and validation only.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::args::{ColorChoice, InputArgs};

/// `kcred check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Kubeconfig files to check, each loaded alone; default: KUBECONFIG or
    /// ~/.kube/config (merged as kubectl does), or --kubeconfig.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Input selection.
    #[command(flatten)]
    pub input: InputArgs,
    /// A policy file (YAML, TOML or JSON) or a preset: baseline, strict, kubeadm.
    #[arg(long, value_name = "FILE|PRESET", default_value = "baseline")]
    pub policy: String,
    /// Exit 1 when a finding has this severity or a higher one.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
    pub format: CheckFormat,
    /// Colour in the table.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The severity that fails the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any finding.
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

impl FailOn {
    /// As a core severity.
    pub fn severity(self) -> kcred_core::Severity {
        match self {
            FailOn::Info => kcred_core::Severity::Info,
            FailOn::Warning => kcred_core::Severity::Warning,
            FailOn::Error => kcred_core::Severity::Error,
        }
    }
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Findings for people, with the fix for each.
    Table,
    /// The versioned findings document (schema kcred.findings/v1).
    Json,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
    /// Prometheus text exposition, for the node-exporter textfile collector.
    Prometheus,
}

/// `kcred rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Show which rules are on, and at which severity, in this policy file or preset.
    #[arg(long, value_name = "FILE|PRESET")]
    pub policy: Option<String>,
    /// Print every rule's documentation as Markdown (docs/rules.md).
    #[arg(long)]
    pub markdown: bool,
}

/// `kcred rule CODE`.
#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// A rule code (KC101) or name (irrevocable-admin).
    #[arg(value_name = "CODE")]
    pub code: String,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::args::{Args, Command};

    use super::*;

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
        assert_eq!(check.fail_on, FailOn::Warning);
        assert_eq!(check.format, CheckFormat::Sarif);
        assert!(Args::try_parse_from(["kcred", "check", "--fail-on", "fatal"]).is_err());
        assert!(Args::try_parse_from(["kcred", "rule"]).is_err());
    }
}
