//! High-level run: one module per subcommand. Each reads the environment, the
//! clock and the files once (through [`Environment`] and core's entry points),
//! then calls the core. The pieces they share are here: the environment, the
//! failure type, exit codes, loading, the policy, writing.
//!
//! No decoding or policy logic lives here.

pub mod check;
pub mod decode;
pub mod exposure;
pub mod inspect;
pub mod output;
pub mod pki;
pub mod rules;
pub mod scan;
pub mod shell;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use kcred_core::{load_inventory, Error, Finding, Limits, LoadedInventory, Policy, Source};
use time::OffsetDateTime;

use crate::args::{ColorArgs, ColorChoice, InputArgs, PolicyArgs, RbacArgs, WidthArgs};

/// Exit codes, as documented in the README.
pub mod exit {
    /// Nothing at or above the threshold.
    pub const CLEAN: u8 = 0;
    /// Findings at or above the threshold.
    pub const FINDINGS: u8 = 1;
    /// Usage or input error.
    pub const ERROR: u8 = 2;
}

/// The one exit-code rule of every command that reports findings:
/// [`exit::FINDINGS`] when one is at or above `--fail-on` (and no
/// `--exit-zero`), else [`exit::CLEAN`].
pub fn exit_code(findings: &[Finding], policy: &PolicyArgs) -> u8 {
    match kcred_core::worst_severity(findings) {
        Some(worst) if worst >= policy.fail_on.severity() && !policy.findings.exit_zero => {
            exit::FINDINGS
        }
        _ => exit::CLEAN,
    }
}

/// The table format of a command that reports findings: its own table (when
/// given), then the findings; with `--quiet` the findings only, and nothing at
/// all when none is active.
pub fn table_text(
    report: impl FnOnce() -> Option<String>,
    findings: &[Finding],
    color: bool,
    quiet: bool,
) -> String {
    let table = || kcred_core::findings_table(findings, color);
    match (quiet, report()) {
        (true, _) if !findings.iter().any(Finding::is_active) => String::new(),
        (true, _) | (false, None) => table(),
        (false, Some(report)) => format!("{report}\n{}", table()),
    }
}

/// What the process environment provides, read once.
pub struct Environment {
    /// `$KUBECONFIG`.
    pub kubeconfig: Option<std::ffi::OsString>,
    /// `$HOME`.
    pub home: Option<PathBuf>,
    /// `$KUBECACHEDIR`.
    pub kube_cache_dir: Option<PathBuf>,
    /// `$NO_COLOR` is set and non-empty.
    pub no_color: bool,
    /// Standard output is a terminal.
    pub stdout_is_terminal: bool,
    /// The current folder: `%SRCROOT%` of SARIF output, and where policy
    /// discovery starts (`None` when it cannot be read).
    pub working_folder: Option<PathBuf>,
    /// `$COLUMNS`, when it is a positive number: the width tables fit in.
    pub columns: Option<usize>,
    /// The clock.
    pub now: OffsetDateTime,
}

impl Environment {
    /// Reads the real environment.
    pub fn from_process() -> Self {
        Environment {
            kubeconfig: std::env::var_os("KUBECONFIG"),
            home: std::env::var_os("HOME").map(PathBuf::from),
            kube_cache_dir: std::env::var_os("KUBECACHEDIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            stdout_is_terminal: std::io::stdout().is_terminal(),
            working_folder: std::env::current_dir().ok(),
            columns: std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
                .filter(|&c: &usize| c > 0),
            now: OffsetDateTime::now_utc(),
        }
    }

    /// What kubectl reads without `--kubeconfig`.
    pub fn kubeconfigs(&self) -> Source {
        Source::Environment {
            kubeconfig: self.kubeconfig.clone(),
            home: self.home.clone(),
        }
    }

    /// The width tables fit in: none with `--wide`, else `$COLUMNS`, else
    /// [`DEFAULT_WIDTH`]. The terminal's own width is not asked (that needs
    /// an ioctl, so `unsafe` or a crate): shells export `COLUMNS` on request
    /// (`export COLUMNS`), and kubectl-style 80 is the fallback.
    pub fn table_width(&self, wide: WidthArgs) -> Option<usize> {
        (!wide.wide).then(|| self.columns.unwrap_or(DEFAULT_WIDTH))
    }

    /// Whether to colour output for this choice.
    pub fn color(&self, choice: ColorArgs) -> bool {
        match choice.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => self.stdout_is_terminal && !self.no_color,
        }
    }
}

/// The width of tables when `$COLUMNS` is not set.
pub const DEFAULT_WIDTH: usize = 80;

/// A failure that ends the run with exit code 2.
pub struct Failure(pub String);

impl Failure {
    /// Writing the output failed.
    pub fn write(e: &std::io::Error) -> Self {
        Failure(format!("cannot write output: {e}"))
    }
}

/// Writes `text`.
pub fn write(out: &mut dyn Write, text: &str) -> Result<(), Failure> {
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::write(&e))
}

/// The failure of a run that read no kubeconfig: its first problem.
fn nothing_read(error: &Error) -> Failure {
    match error {
        // No candidate path at all (no $KUBECONFIG, no home folder).
        Error::NoKubeconfig { looked_at } if looked_at.iter().all(|p| p.as_os_str().is_empty()) => {
            Failure("no kubeconfig found".to_owned())
        }
        other => Failure(other.to_string()),
    }
}

/// The default limits, with the users of large configs examined on every
/// available core (the only place the machine's parallelism is read).
pub fn inventory_limits() -> Limits {
    Limits {
        threads: std::thread::available_parallelism().map_or(1, usize::from),
        ..Limits::default()
    }
}

/// [`load_inventory`] with [`inventory_limits`]; a run that read nothing is exit 2.
pub fn load(source: &Source) -> Result<LoadedInventory, Failure> {
    load_inventory(source, &inventory_limits()).map_err(|e| nothing_read(&e))
}

/// [`kcred_core::load_inventory_keeping_config`], as [`load`].
pub fn load_keeping_config(
    source: &Source,
    limits: &Limits,
) -> Result<(LoadedInventory, kcred_core::Kubeconfig), Failure> {
    kcred_core::load_inventory_keeping_config(source, limits).map_err(|e| nothing_read(&e))
}

/// Loads `--kubeconfig` (else what kubectl would read), keeping `--context`'s
/// records only, with the rights of `--rbac` (OIDC settings from the flags,
/// else `policy`).
pub fn load_input(
    input: &InputArgs,
    env: &Environment,
    policy: Option<&Policy>,
) -> Result<LoadedInventory, Failure> {
    let source = match &input.kubeconfig {
        Some(path) => kubeconfig_file(path, &mut Stdin::default())?,
        None => env.kubeconfigs(),
    };
    let mut loaded = load_context(&source, input.context.as_deref())?;
    add_rights(&mut loaded.inventory, &input.rbac, policy)?;
    Ok(loaded)
}

/// Standard input, which a run reads at most once.
#[derive(Default)]
pub struct Stdin {
    read: bool,
}

/// The name of standard input in locations (tables, JSON, SARIF, labels).
pub const STDIN_NAME: &str = "<stdin>";

/// One kubeconfig loaded alone: the file `path`, or for `-` standard input,
/// read whole here with the size limit of a file (`Limits::max_file_bytes`),
/// whose relative file references are read from the current folder, as
/// kubectl reads them.
pub fn kubeconfig_file(path: &Path, stdin: &mut Stdin) -> Result<Source, Failure> {
    if path != Path::new("-") {
        return Ok(Source::File(path.to_owned()));
    }
    if std::mem::replace(&mut stdin.read, true) {
        return Err(Failure("- (standard input) can be given once".to_owned()));
    }
    Ok(Source::Text {
        name: PathBuf::from(STDIN_NAME),
        bytes: read_stdin()?,
        read_files: true,
    })
}

/// Standard input, read whole with the size limit of a file
/// (`Limits::max_file_bytes`).
pub fn read_stdin() -> Result<Vec<u8>, Failure> {
    let limit = Limits::default().max_file_bytes;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Failure(format!("cannot read standard input: {e}")))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        let at = kcred_core::Location::file(STDIN_NAME);
        return Err(Failure(Error::TooLarge { at, limit }.to_string()));
    }
    Ok(bytes)
}

/// Gives each record its rights by the `--rbac` snapshots (nothing without
/// them). A snapshot file that cannot be read is a problem of the inventory,
/// as an unreadable kubeconfig is, and the rest still reports; when no
/// snapshot could be read at all the run fails (exit 2) rather than report
/// rights from nothing. The cluster's OIDC settings are the `--oidc-*` flags,
/// each over the policy's `oidc:` (flags win).
pub fn add_rights(
    inventory: &mut kcred_core::Inventory,
    args: &RbacArgs,
    policy: Option<&Policy>,
) -> Result<(), Failure> {
    if args.rbac.is_empty() {
        return Ok(());
    }
    let (snapshot, mut problems) =
        kcred_core::load_rbac(&args.rbac, &kcred_core::Limits::default());
    if snapshot.is_empty() && !problems.is_empty() {
        return Err(Failure(problems.swap_remove(0).to_string()));
    }
    inventory.problems.extend(problems);
    let written = policy.and_then(|p| p.oidc.clone());
    let oidc = match &args.oidc_username_claim {
        None => written,
        Some(claim) => {
            let mut oidc = written.unwrap_or_default();
            oidc.username_claim.clone_from(claim);
            for (flag, field) in [
                (&args.oidc_username_prefix, &mut oidc.username_prefix),
                (&args.oidc_groups_claim, &mut oidc.groups_claim),
                (&args.oidc_groups_prefix, &mut oidc.groups_prefix),
            ] {
                if flag.is_some() {
                    field.clone_from(flag);
                }
            }
            Some(oidc)
        }
    };
    kcred_core::attach_privileges(inventory, &snapshot, oidc.as_ref());
    Ok(())
}

/// Why `--kubeconfig` (else what kubectl would read) could not be read, for a
/// JSON run that still writes its document; `None` when the input was stdin
/// (it is not read twice) or when loading was not what failed.
pub fn unread_input(input: &InputArgs, env: &Environment) -> Option<Error> {
    let source = match &input.kubeconfig {
        Some(path) if path.as_os_str() == "-" => return None,
        Some(path) => Source::File(path.clone()),
        None => env.kubeconfigs(),
    };
    load_inventory(&source, &inventory_limits()).err()
}

/// Loads `source`, keeping the records of `context` only when given.
pub fn load_context(source: &Source, context: Option<&str>) -> Result<LoadedInventory, Failure> {
    let mut loaded = load(source)?;
    match context {
        Some(context) if !loaded.select_context(context) => {
            Err(Failure(format!("context {context:?} is not defined")))
        }
        _ => Ok(loaded),
    }
}

/// Reads a policy file or preset.
pub fn policy(spec: &str) -> Result<Policy, Failure> {
    kcred_core::load_policy(spec).map_err(|e| Failure(e.to_string()))
}

/// The policy of `--policy`, when one is given (or defaulted).
pub fn policy_of(args: &PolicyArgs) -> Result<Option<Policy>, Failure> {
    args.policy.as_deref().map(policy).transpose()
}

/// The policy of a subcommand whose `--policy` has a default.
pub fn defaulted_policy(args: &PolicyArgs) -> Result<Policy, Failure> {
    policy_of(args)?.ok_or_else(|| Failure("--policy: no policy given".to_owned()))
}
