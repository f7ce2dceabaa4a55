//! Low-level arguments: parsing and validation only. No files, no clock, no env.
//!
//! Each subcommand's arguments are its own flags plus the shared groups of
//! [`groups`] (input, `--now`, policy, output), flattened.

mod groups;
#[cfg(test)]
mod tests;

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use kcred_core::{KUBEADM_DIR, KUBELET_DIR};

pub use groups::{
    ColorArgs, ColorChoice, Destination, FormatArgs, HomeArgs, InputArgs, NowArgs, PolicyArgs,
    RbacArgs, WidthArgs,
};

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
    Check(CheckArgs),
    /// List the policy rules: code, name, default severity, on or off.
    Rules(RulesArgs),
    /// Explain one rule: what it checks, why it matters, an example, the fix.
    Rule(RuleArgs),
    /// Control-plane PKI: `kubeadm certs check-expiration`'s tables from the files
    /// of /etc/kubernetes, plus kubelet.conf, the kubelet's client certificate and
    /// every other certificate under pki/; findings of a policy (default kubeadm).
    ///
    /// Missing files are rows marked !MISSING!. Exit 0 when clean, 1 when a finding
    /// is at or above --fail-on, 2 when DIR or the policy cannot be read.
    Pki(PkiArgs),
    /// Scan folders for credentials by content: kubeconfigs under any name, PEM
    /// certificates, Secrets (service-account tokens, TLS, kubeconfigs in data)
    /// and CertificateSigningRequests, each with its file and line.
    ///
    /// Honours .gitignore, follows no symbolic link unless --follow-links, skips
    /// binary and oversized files with a note, and never prints a secret value.
    /// Exit 0 when clean, 1 when a finding is at or above --fail-on, 2 on errors.
    Scan(ScanArgs),
    /// Decode one certificate bundle (PEM or DER), JWT or ExecCredential JSON,
    /// told apart by content: its facts and its expiry at --now.
    ///
    /// Prints every certificate of a bundle (subject, issuer, serial, SANs, key,
    /// validity, fingerprint); a JWT's header and claims (never the token nor
    /// its signature); an ExecCredential's token facts, client certificate and
    /// expirationTimestamp. A private key is named by its type, never printed.
    /// Exit 0 when something was decoded (expired or not), 2 when nothing was.
    Decode(DecodeArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    ///
    /// bash: `source <(kcred completions bash)`; zsh: `kcred completions zsh >
    /// "${fpath[1]}/_kcred"`; fish: `kcred completions fish >
    /// ~/.config/fish/completions/kcred.fish`; PowerShell: `kcred completions
    /// powershell | Out-String | Invoke-Expression`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `kcred man > kcred.1; man ./kcred.1`.
    Man,
}

/// `kcred completions SHELL`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// The name of the kubectl plugin's executable: `kubectl kcred` runs it.
pub const PLUGIN_EXECUTABLE: &str = "kubectl-kcred";

/// Whether the process was started as the kubectl plugin: its executable
/// (argv[0]) is `kubectl-kcred` (a symbolic link or a copy on PATH).
pub fn is_plugin(argv0: Option<&std::ffi::OsStr>) -> bool {
    argv0
        .map(std::path::Path::new)
        .and_then(|p| p.file_stem())
        .is_some_and(|stem| stem == PLUGIN_EXECUTABLE)
}

/// The command line's definition; as the plugin its usage and help say
/// `kubectl kcred …`.
pub fn definition(plugin: bool) -> clap::Command {
    let command = <Args as clap::CommandFactory>::command();
    if plugin {
        command
            .name(PLUGIN_EXECUTABLE)
            .bin_name("kubectl kcred")
            .display_name("kubectl kcred")
    } else {
        command
    }
}

/// Parses `argv` against [`definition`].
pub fn parse(argv: Vec<std::ffi::OsString>, plugin: bool) -> Result<Args, clap::Error> {
    let matches = definition(plugin).try_get_matches_from(argv)?;
    <Args as clap::FromArgMatches>::from_arg_matches(&matches)
}

impl Command {
    /// Where the subcommand writes its report (`rules` and `rule`: standard output).
    pub fn destination(&self) -> Destination<'_> {
        match self {
            Command::Inspect(a) => a.output.destination(a.input.at),
            Command::Exposure(a) => a.output.destination(a.at),
            Command::Check(a) => a.output.destination(a.input.at),
            Command::Pki(a) => a.output.destination(a.at),
            Command::Scan(a) => a.output.destination(a.at),
            Command::Decode(a) => a.output.destination(a.at),
            Command::Rules(_) | Command::Rule(_) | Command::Completions(_) | Command::Man => {
                Destination::default()
            }
        }
    }
}

/// `kcred inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Input selection.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[command(flatten)]
    pub output: FormatArgs<InspectFormat>,
    /// Colour.
    #[command(flatten)]
    pub color: ColorArgs,
    /// Table width.
    #[command(flatten)]
    pub width: WidthArgs,
}

/// `kcred exposure`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("policy", |a| a.default_value(None).help(
        "Check against a policy file or preset (baseline, strict, kubeadm): its rules as \
         `kcred check` runs them, plus max-exposure over each context's window. Exit 0 \
         clean, 1 on a finding at or above --fail-on, 2 on unreadable input",
    )),
    mut_arg("fail_on", |a| a
        .requires("policy")
        .help("With --policy: exit 1 when a finding has this severity or a higher one")),
    mut_arg("quiet", |a| a
        .requires("policy")
        .help("With --policy: print the findings only, and nothing when there is none (table format)")),
)]
pub struct ExposureArgs {
    /// A kubeconfig file; repeat for several. Default: $KUBECONFIG or ~/.kube/config
    /// (with --home: HOME/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Vec<PathBuf>,
    /// The home folder and the kube cache folder to read.
    #[command(flatten)]
    pub folders: HomeArgs,
    /// The instant.
    #[command(flatten)]
    pub at: NowArgs,
    /// Override an assumed lifetime, like entra-refresh-token=30d; repeatable.
    #[arg(long = "lifetime", value_name = "NAME=DURATION")]
    pub lifetimes: Vec<String>,
    /// RBAC rights: a context whose credential can mint credentials has an
    /// unbounded window.
    #[command(flatten)]
    pub rbac: RbacArgs,
    /// An optional policy.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Output format.
    #[command(flatten)]
    pub output: FormatArgs<InspectFormat>,
}

/// Output formats of `inspect` and `exposure`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    /// Aligned columns for people.
    #[default]
    Table,
    /// The versioned JSON document (docs/json-schema.md).
    Json,
    /// Prometheus text exposition, for the node-exporter textfile collector
    /// (docs/prometheus.md).
    Prometheus,
}

/// `kcred check`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("policy", |a| a.default_value(None).help(
    "A policy file (YAML, TOML or JSON) or a preset: baseline, strict, kubeadm. Default: the \
     nearest .kcred.yaml, .kcred.toml or pyproject.toml with [tool.kcred] from the current \
     folder upward, else baseline",
)))]
pub struct CheckArgs {
    /// Kubeconfig files to check, each loaded alone; default: KUBECONFIG or
    /// ~/.kube/config (merged as kubectl does), or --kubeconfig.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Input selection.
    #[command(flatten)]
    pub input: InputArgs,
    /// The policy.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Output format.
    #[command(flatten)]
    pub output: FormatArgs<CheckFormat>,
    /// Colour.
    #[command(flatten)]
    pub color: ColorArgs,
    /// Print the effective policy and where it came from (table or json), read
    /// no kubeconfig, and exit 0 (2 when the policy cannot be read).
    #[arg(long)]
    pub show_policy: bool,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Findings for people, with the fix for each.
    #[default]
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

/// `kcred pki`.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("policy", |a| a.default_value("kubeadm")),
    mut_arg("color", |a| a.help("Colour in the findings")),
)]
pub struct PkiArgs {
    /// The kubeadm folder: *.conf and pki/.
    #[arg(value_name = "DIR", default_value = KUBEADM_DIR)]
    pub dir: PathBuf,
    /// The kubelet folder, for pki/kubelet-client-current.pem; paths under
    /// /var/lib/kubelet in kubelet.conf are read from here.
    #[arg(long, value_name = "DIR", default_value = KUBELET_DIR)]
    pub kubelet_dir: PathBuf,
    /// The instant.
    #[command(flatten)]
    pub at: NowArgs,
    /// The policy.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Output format.
    #[command(flatten)]
    pub output: FormatArgs<PkiFormat>,
    /// Colour.
    #[command(flatten)]
    pub color: ColorArgs,
    /// Table width.
    #[command(flatten)]
    pub width: WidthArgs,
}

/// Output formats of `pki`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum PkiFormat {
    /// kubeadm's two tables, then the findings.
    #[default]
    Table,
    /// kubeadm's CertificateExpirationInfo, with `findings` added.
    Json,
    /// Prometheus text exposition, for the node-exporter textfile collector
    /// (docs/prometheus.md).
    Prometheus,
}

/// `kcred scan`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("color", |a| a.help("Colour in the findings")))]
pub struct ScanArgs {
    /// Folders (or files) to scan.
    #[arg(value_name = "DIR", required = true)]
    pub paths: Vec<PathBuf>,
    /// The instant.
    #[command(flatten)]
    pub at: NowArgs,
    /// The policy.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Output format.
    #[command(flatten)]
    pub output: FormatArgs<ScanFormat>,
    /// Colour.
    #[command(flatten)]
    pub color: ColorArgs,
    /// Table width.
    #[command(flatten)]
    pub width: WidthArgs,
    /// Worker threads; default: the available parallelism.
    #[arg(long, value_name = "N")]
    pub threads: Option<NonZeroUsize>,
    /// Skip (with a note) files larger than this many bytes; one whose first or
    /// last 64 KiB looks like a credential is a KC905 finding.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Follow symbolic links (loops are detected and skipped); default: links
    /// are not followed, as git stores them.
    #[arg(long)]
    pub follow_links: bool,
    /// Also scan untracked files that .gitignore, .ignore and .git/info/exclude
    /// leave out (tracked files are always scanned).
    #[arg(long)]
    pub no_ignore: bool,
    /// Scan every blob reachable from the refs of the repository at each DIR
    /// (each distinct blob once), not the work tree.
    #[arg(long)]
    pub history: bool,
    /// With --history: only what the commits REV cannot reach introduced
    /// (REV: a commit id, an id prefix of 4+ digits, or a ref name).
    #[arg(long, value_name = "REV", requires = "history")]
    pub since: Option<String>,
}

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// Credentials with file:line, then the findings.
    #[default]
    Table,
    /// The scan document (schema kcred.scan/v1) with `findings` added.
    Json,
    /// SARIF 2.1.0 of the findings, for code-scanning upload.
    Sarif,
    /// Prometheus text exposition, for the node-exporter textfile collector
    /// (docs/prometheus.md).
    Prometheus,
}

/// `kcred decode FILE|-`.
#[derive(Debug, clap::Args)]
pub struct DecodeArgs {
    /// The file to decode, or `-` for standard input (the size limit of a
    /// kubeconfig applies).
    #[arg(value_name = "FILE|-")]
    pub input: PathBuf,
    /// The instant.
    #[command(flatten)]
    pub at: NowArgs,
    /// Output format.
    #[command(flatten)]
    pub output: FormatArgs<DecodeFormat>,
    /// Colour.
    #[command(flatten)]
    pub color: ColorArgs,
    /// Table width.
    #[command(flatten)]
    pub width: WidthArgs,
}

/// Output formats of `decode`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum DecodeFormat {
    /// One block of facts per item, for people.
    #[default]
    Table,
    /// The decode document (schema kcred.decoded/v1, docs/json-schema.md).
    Json,
}
