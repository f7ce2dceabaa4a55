//! `kcred`: the command line, in two layers. `args` parses and validates only
//! (the flags each subcommand shares are declared once, in `args::groups`);
//! `cmd` has one run module per subcommand, which reads the environment, the
//! clock and the files once and calls kcred-core, where all logic lives.
//!
//! A library so that every front end runs the same command line: the `kcred`
//! binary and the Python wheel's `kcred` command call [`main`]; the Python
//! `kcred.scan` walks folders with [`scan_walk`], the walk of `kcred scan`,
//! and `kcred.exposure` computes with [`ExposureParts`], as `kcred exposure` does.

mod args;
mod cmd;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::Parser;

pub use crate::cmd::exposure::ExposureParts;

use crate::args::{Args, Command};
use crate::cmd::output::Sink;
use crate::cmd::{exit, Environment, Failure};

/// Runs the command line on `argv` (the program name first: invoked as
/// `kubectl-kcred`, usage and help say `kubectl kcred`) with the process
/// environment, writing to standard output (or `--output`) and error; returns
/// the exit code.
pub fn main<I, T>(argv: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let argv: Vec<OsString> = argv.into_iter().map(Into::into).collect();
    let plugin = args::is_plugin(argv.first().map(|a| a.as_os_str()));
    let args = match args::parse(argv, plugin) {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::ERROR
            } else {
                exit::CLEAN
            };
        }
    };
    let env = Environment::from_process();
    match run(&args.command, &env, plugin) {
        Ok(code) => code,
        Err(Failure(message)) => {
            // Messages carry paths and names from input: escaped like tables.
            eprintln!("kcred: {}", kcred_core::escape_text(&message));
            exit::ERROR
        }
    }
}

/// Runs the subcommand into its destination (standard output or `--output`,
/// committed only when the report is whole). With `--format prometheus` a run
/// that fails still writes `kcred_check_success 0`, so a node where kcred
/// fails is seen failing, not merely stale.
fn run(command: &Command, env: &Environment, plugin: bool) -> Result<u8, Failure> {
    let destination = command.destination();
    let mut sink = Sink::open(destination.file)?;
    let out = sink.writer();
    let result = match command {
        Command::Inspect(a) => cmd::inspect::run(a, env, out),
        Command::Exposure(a) => cmd::exposure::run(a, env, out),
        Command::Check(a) => cmd::check::run(a, env, out),
        Command::Rules(a) => cmd::rules::run(a, out),
        Command::Rule(a) => cmd::rules::run_one(a, out),
        Command::Pki(a) => cmd::pki::run(a, env, out),
        Command::Scan(a) => cmd::scan::run(a, env, out),
        Command::Completions(a) => cmd::shell::completions(a, plugin, out),
        Command::Man => cmd::shell::man(plugin, out),
    };
    match result {
        Ok(code) => sink.commit().map(|()| code),
        Err(failure) if destination.prometheus => {
            let now = destination.now.unwrap_or(env.now);
            let failed = kcred_core::prometheus_failure(now);
            // The run's own failure is the one to report.
            if cmd::write(sink.writer(), &failed).is_ok() {
                let _ = sink.commit();
            }
            Err(failure)
        }
        Err(failure) => Err(failure),
    }
}

/// The walk of `kcred scan PATHS` with its defaults (ignore rules, tracked
/// files always scanned, links not followed, the 16 MiB file cap): every file
/// scanned by the core. A path that does not exist is an error naming it.
pub fn scan_walk(paths: &[PathBuf]) -> Result<kcred_core::ScanReport, String> {
    if let Some(p) = paths.iter().find(|p| !p.exists()) {
        return Err(format!("{} does not exist", p.display()));
    }
    let mut argv: Vec<OsString> = vec!["kcred".into(), "scan".into(), "--".into()];
    argv.extend(paths.iter().map(|p| p.clone().into_os_string()));
    let args = Args::try_parse_from(argv).map_err(|e| e.kind().to_string())?;
    let Command::Scan(scan) = &args.command else {
        return Err("not a scan".to_owned());
    };
    let limits = kcred_core::Limits {
        max_file_bytes: scan.max_file_size,
        ..kcred_core::Limits::default()
    };
    Ok(cmd::scan::walk::walk(scan, &limits))
}
