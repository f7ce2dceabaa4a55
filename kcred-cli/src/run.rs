//! High-level run: reads the environment, the clock and the files once, then
//! calls the core. No decoding or policy logic lives here.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use kcred_core::{
    inventory_table, load_inventory, write_inventory_json, Error, Inventory, Limits,
    LoadedInventory, Source,
};
use time::OffsetDateTime;

use crate::args::{ColorChoice, InputArgs, InspectArgs, InspectFormat};

/// Exit codes, as documented in the README.
pub mod exit {
    /// Nothing at or above the threshold.
    pub const CLEAN: u8 = 0;
    /// Findings at or above the threshold.
    pub const FINDINGS: u8 = 1;
    /// Usage or input error.
    pub const ERROR: u8 = 2;

    /// The one exit-code rule of every command that reports findings:
    /// [`FINDINGS`] when one is at or above `fail_on`, else [`CLEAN`].
    pub fn for_findings(
        findings: &[kcred_core::Finding],
        fail_on: crate::check::args::FailOn,
    ) -> u8 {
        match kcred_core::worst_severity(findings) {
            Some(worst) if worst >= fail_on.severity() => FINDINGS,
            _ => CLEAN,
        }
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
            now: OffsetDateTime::now_utc(),
        }
    }
}

/// A failure that ends the run with exit code 2.
pub struct Failure(pub String);

/// The loaded inventory for the input arguments, and the instant to use.
pub struct Input {
    /// Credentials, clusters, problems.
    pub inventory: Inventory,
    /// `--now` or the clock.
    pub now: OffsetDateTime,
    /// Files read.
    pub files: Vec<PathBuf>,
}

/// Loads the kubeconfig(s) the way kubectl would pick them, and inventories them.
pub fn load_input(input: &InputArgs, env: &Environment) -> Result<Input, Failure> {
    let source = match &input.kubeconfig {
        Some(path) => Source::File(path.clone()),
        None => Source::Environment {
            kubeconfig: env.kubeconfig.clone(),
            home: env.home.clone(),
        },
    };
    let mut loaded = load(&source)?;
    if let Some(context) = &input.context {
        if !loaded.select_context(context) {
            return Err(Failure(format!("context {context:?} is not defined")));
        }
    }
    Ok(Input {
        inventory: loaded.inventory,
        now: input.now.unwrap_or(env.now),
        files: loaded.files,
    })
}

/// The failure of a run that read no kubeconfig: its first problem.
pub fn nothing_read(error: &Error) -> Failure {
    match error {
        // No candidate path at all (no $KUBECONFIG, no home folder).
        Error::NoKubeconfig { looked_at } if looked_at.iter().all(|p| p.as_os_str().is_empty()) => {
            Failure("no kubeconfig found".to_owned())
        }
        other => Failure(other.to_string()),
    }
}

/// [`load_inventory`] with the default limits, its failure as exit 2.
pub fn load(source: &Source) -> Result<LoadedInventory, Failure> {
    load_inventory(source, &Limits::default()).map_err(|e| nothing_read(&e))
}

/// Whether to colour output for this choice and environment.
pub fn use_color(choice: ColorChoice, env: &Environment) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => env.stdout_is_terminal && !env.no_color,
    }
}

/// `kcred inspect`.
pub fn inspect(args: &InspectArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    let input = load_input(&args.input, env)?;
    let written = match args.format {
        InspectFormat::Table => {
            let text = inventory_table(&input.inventory, input.now, use_color(args.color, env));
            out.write_all(text.as_bytes())
        }
        // Streamed record by record: memory stays flat however large the input.
        InspectFormat::Json => {
            let mut buffered = std::io::BufWriter::new(out);
            write_inventory_json(
                &input.inventory,
                input.now,
                Some(&input.files),
                &mut buffered,
            )
            .and_then(|()| buffered.flush())
        }
    };
    written.map_err(|e| Failure(format!("cannot write output: {e}")))?;
    // The process ends after this: freeing thousands of records one by one is a
    // measurable part of the run (BENCHMARKS.md); the OS takes the memory back.
    std::mem::forget(input);
    Ok(exit::CLEAN)
}
