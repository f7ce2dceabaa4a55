//! `kcred`: the command line, in two layers. `args` parses and validates only
//! (the flags each subcommand shares are declared once, in `args::groups`);
//! `cmd` has one run module per subcommand, which reads the environment, the
//! clock and the files once and calls kcred-core, where all logic lives.
//!
//! A library so that every front end runs the same command line: the `kcred`
//! binary and the Python wheel's `kcred` command call [`main`]; the Python
//! `kcred.exposure` computes with [`ExposureParts`], as `kcred exposure` does.

mod args;
mod cmd;

use std::ffi::OsString;

pub use crate::cmd::exposure::ExposureParts;

use crate::args::Command;
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
        Command::Decode(a) => cmd::decode::run(a, env, out),
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
