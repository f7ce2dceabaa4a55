//! The argument groups several subcommands share, each declared once here and
//! `#[command(flatten)]`ed into the subcommands that take it. A subcommand that
//! words a shared flag differently says so with `mut_arg` on its own struct.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use time::OffsetDateTime;

/// Input: the one kubeconfig to load and the context to keep (`inspect`, `check`).
#[derive(Debug, Clone, clap::Args)]
#[command(mut_arg("now", |a| a.help("The instant to evaluate expiry at (RFC 3339); default: the clock")))]
pub struct InputArgs {
    /// A kubeconfig file, loaded alone (like kubectl --kubeconfig); must exist.
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Only credentials used by this context.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// The instant.
    #[command(flatten)]
    pub at: NowArgs,
    /// RBAC rights.
    #[command(flatten)]
    pub rbac: RbacArgs,
}

/// The folders `exposure` reads besides the kubeconfigs: a home folder (its
/// `.kube/config`, its cloud CLI stores) and the kube token cache.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct HomeArgs {
    /// The home folder to examine (a copy of a stolen laptop's, say).
    #[arg(long, value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// The kube cache folder; default $KUBECACHEDIR, else HOME/.kube/cache.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

/// `--rbac` and the cluster's OIDC claim settings: each credential's rights
/// from an offline RBAC snapshot (docs/rbac.md).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RbacArgs {
    /// An RBAC snapshot (file or folder of YAML/JSON: `kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml`); repeatable. Adds each credential's rights.
    #[arg(long, value_name = "PATH")]
    pub rbac: Vec<PathBuf>,
    /// The cluster's --oidc-username-claim, to tell OIDC users (default: OIDC users stay unknown).
    #[arg(long, value_name = "CLAIM", requires = "rbac")]
    pub oidc_username_claim: Option<String>,
    /// The cluster's --oidc-username-prefix (`-`: none).
    #[arg(long, value_name = "PREFIX", requires = "oidc_username_claim")]
    pub oidc_username_prefix: Option<String>,
    /// The cluster's --oidc-groups-claim.
    #[arg(long, value_name = "CLAIM", requires = "oidc_username_claim")]
    pub oidc_groups_claim: Option<String>,
    /// The cluster's --oidc-groups-prefix.
    #[arg(long, value_name = "PREFIX", requires = "oidc_groups_claim")]
    pub oidc_groups_prefix: Option<String>,
}

/// `--now`: the instant to evaluate at.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct NowArgs {
    /// The instant to evaluate at (RFC 3339); default: the clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<OffsetDateTime>,
}

impl NowArgs {
    /// `--now`, else `clock`.
    pub fn or(self, clock: OffsetDateTime) -> OffsetDateTime {
        self.now.unwrap_or(clock)
    }
}

/// Policy: which policy to check against, the severity that fails the run,
/// and what a run with findings prints ([`FindingsArgs`]).
#[derive(Debug, Clone, clap::Args)]
pub struct PolicyArgs {
    /// A policy file (YAML, TOML or JSON) or a preset: baseline, strict, kubeadm.
    #[arg(long, value_name = "FILE|PRESET", default_value = "baseline")]
    pub policy: Option<String>,
    /// Exit 1 when a finding has this severity or a higher one.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// `--quiet`, `--exit-zero`.
    #[command(flatten)]
    pub findings: FindingsArgs,
}

/// Output: `--format` (one enum of formats per subcommand) and `--output`.
#[derive(Debug, Clone, clap::Args)]
pub struct FormatArgs<F: Format> {
    /// Output format.
    #[arg(long, visible_alias = "output-format", value_enum, default_value_t = F::default())]
    pub format: F,
    /// Write the report to FILE instead of standard output, atomically (a
    /// temporary file in FILE's folder, then renamed over FILE): a reader such
    /// as node-exporter's textfile collector never sees half a report. FILE
    /// keeps its mode; a new one gets 0666 less the umask, as a shell
    /// redirection would.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl<F: Format> FormatArgs<F> {
    /// Where this run writes, at the instant `at`.
    pub fn destination(&self, at: NowArgs) -> Destination<'_> {
        Destination {
            file: self.output.as_deref(),
            prometheus: self
                .format
                .to_possible_value()
                .is_some_and(|v| v.get_name() == "prometheus"),
            now: at.now,
        }
    }
}

/// Where a subcommand writes its report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Destination<'a> {
    /// `--output FILE`; standard output when `None`.
    pub file: Option<&'a Path>,
    /// The format is Prometheus text: a run that fails still writes
    /// `kcred_check_success 0`.
    pub prometheus: bool,
    /// `--now`.
    pub now: Option<OffsetDateTime>,
}

/// What a run that reports findings prints and how it exits: `--quiet`,
/// `--exit-zero`.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct FindingsArgs {
    /// Print the findings only, and nothing at all when there is none (the
    /// table format; JSON, SARIF and Prometheus documents are written whole).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Exit 0 even when a finding is at or above --fail-on (2 still means the
    /// input or the policy could not be read).
    #[arg(long)]
    pub exit_zero: bool,
}

/// The output formats of one subcommand.
pub trait Format: ValueEnum + Default + Copy + Send + Sync + std::fmt::Debug + 'static {}

impl<F: ValueEnum + Default + Copy + Send + Sync + std::fmt::Debug + 'static> Format for F {}

/// Output: `--color`.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct ColorArgs {
    /// Colour in the table.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Output: `--wide`, for the subcommands that print tables.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct WidthArgs {
    /// Print every table cell whole (up to 256 characters) instead of fitting
    /// the table in $COLUMNS (else 80) columns with cells shortened by `…`.
    #[arg(long)]
    pub wide: bool,
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

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `--now`'s parser: an RFC 3339 instant kcred can compute with.
pub(crate) fn parse_instant(text: &str) -> Result<OffsetDateTime, String> {
    let bad = || format!("{text:?} is not an RFC 3339 instant like 2026-01-01T00:00:00Z");
    let t = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|_| bad())?;
    // 9999-12-31T23:59:59-23:59 parses but is in year 10000 in UTC (and
    // 0000-01-01T00:00:00+01:00 in year -1), which kcred cannot compute with or
    // write: refuse it here (exit 2) rather than fail later.
    let utc = t.checked_to_offset(time::UtcOffset::UTC);
    utc.filter(|u| u.year() >= 0)
        .map(|_| t)
        .ok_or_else(|| format!("{text:?} is out of range (years 0000 to 9999 in UTC)"))
}
