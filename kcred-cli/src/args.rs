//! Low-level arguments: parsing and validation only. No files, no clock, no env.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Tell every Kubernetes credential you hold, when it stops working, and whether it
/// breaks your lifetime policy. kcred reads files only: it never runs an exec
/// plugin and never opens a network connection.
#[derive(Debug, Parser)]
#[command(name = "kcred", version, about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every credential in the kubeconfig(s) with its expiry.
    ///
    /// Reads KUBECONFIG (merged as kubectl does) or ~/.kube/config unless
    /// --kubeconfig is given. Exit 0 when an inventory was produced (problems
    /// are listed in it), 2 when no kubeconfig could be read or on usage errors.
    Inspect(InspectArgs),
    /// Per context: what someone holding this disk can use, until when (refresh
    /// tokens counted), whether it can be revoked, and the steps to take now.
    ///
    /// Reads the kubeconfig(s), the token caches beside them and the cloud CLI
    /// credential files in the home folder. --home points it at a copied home
    /// folder (then $KUBECONFIG and $KUBECACHEDIR are ignored).
    Exposure(ExposureArgs),
    /// Check every credential against a lifetime policy (docs/policy.md).
    ///
    /// Exit 0 when clean, 1 when a finding is at or above --fail-on, 2 when a
    /// kubeconfig or the policy cannot be read, or on usage errors.
    Check(crate::check::args::CheckArgs),
    /// List the policy rules: code, name, default severity, on or off.
    Rules(crate::check::args::RulesArgs),
    /// Explain one rule: what it checks, why it matters, an example, the fix.
    Rule(crate::check::args::RuleArgs),
    /// Control-plane PKI: `kubeadm certs check-expiration`'s tables from the files
    /// of /etc/kubernetes, plus kubelet.conf, the kubelet's client certificate and
    /// every other certificate under pki/; findings of a policy (default kubeadm).
    ///
    /// Missing files are rows marked !MISSING!. Exit 0 when clean, 1 when a finding
    /// is at or above --fail-on, 2 when DIR or the policy cannot be read.
    Pki(crate::pki::PkiArgs),
    /// Scan folders for credentials by content: kubeconfigs under any name, PEM
    /// certificates, Secrets (service-account tokens, TLS, kubeconfigs in data)
    /// and CertificateSigningRequests, each with its file and line.
    ///
    /// Honours .gitignore, follows no symbolic link unless --follow-links, skips
    /// binary and oversized files with a note, and never prints a secret value.
    /// Exit 0 when clean, 1 when a finding is at or above --fail-on, 2 on errors.
    Scan(crate::scan::ScanArgs),
}

/// Where to read kubeconfigs from and at which instant.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// A kubeconfig file, loaded alone (like kubectl --kubeconfig); must exist.
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Only credentials used by this context.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// The instant to evaluate expiry at (RFC 3339); default: the clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<time::OffsetDateTime>,
}

/// `kcred inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Input selection.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Table)]
    pub format: InspectFormat,
    /// Colour in the table.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `kcred exposure`.
#[derive(Debug, clap::Args)]
pub struct ExposureArgs {
    /// A kubeconfig file; repeat for several. Default: $KUBECONFIG or ~/.kube/config
    /// (with --home: HOME/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Vec<PathBuf>,
    /// The home folder to examine (a copy of a stolen laptop's, say).
    #[arg(long, value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// The kube cache folder; default $KUBECACHEDIR, else HOME/.kube/cache.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// The instant to evaluate at (RFC 3339); default: the clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<time::OffsetDateTime>,
    /// Override an assumed lifetime, like entra-refresh-token=30d; repeatable.
    #[arg(long = "lifetime", value_name = "NAME=DURATION")]
    pub lifetimes: Vec<String>,
    /// Check against a policy file or preset (baseline, strict, kubeadm): its rules
    /// as `kcred check` runs them, plus max-exposure over each context's window.
    /// Exit 0 clean, 1 on a finding at or above --fail-on, 2 on unreadable input.
    #[arg(long, value_name = "FILE|PRESET")]
    pub policy: Option<String>,
    /// With --policy: exit 1 when a finding has this severity or a higher one.
    #[arg(long, value_enum, default_value_t = crate::check::args::FailOn::Error, requires = "policy")]
    pub fail_on: crate::check::args::FailOn,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Table)]
    pub format: InspectFormat,
}

/// Output formats of `inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    /// Aligned columns for people.
    Table,
    /// The versioned JSON document (docs/json-schema.md).
    Json,
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

pub(crate) fn parse_instant(text: &str) -> Result<time::OffsetDateTime, String> {
    let bad = || format!("{text:?} is not an RFC 3339 instant like 2026-01-01T00:00:00Z");
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|_| bad())?;
    // 9999-12-31T23:59:59-23:59 parses but is in year 10000 in UTC (and
    // 0000-01-01T00:00:00+01:00 in year -1), which kcred cannot compute with or
    // write: refuse it here (exit 2) rather than fail later.
    let utc = t.checked_to_offset(time::UtcOffset::UTC);
    utc.filter(|u| u.year() >= 0)
        .map(|_| t)
        .ok_or_else(|| format!("{text:?} is out of range (years 0000 to 9999 in UTC)"))
}

#[cfg(test)]
mod tests {
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
        assert_eq!(inspect.format, InspectFormat::Json);
        assert_eq!(inspect.input.now.unwrap().unix_timestamp(), 1_767_225_600);
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
    }
}
