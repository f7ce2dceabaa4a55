//! `kcred`: the command line, in two layers. `args` parses and validates only
//! (the flags each subcommand shares are declared once, in `args::groups`);
//! `cmd` has one run module per subcommand, which reads the environment, the
//! clock and the files once and calls kcred-core, where all logic lives.

mod args;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Args, Command};
use crate::cmd::{exit, Environment, Failure};

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::ERROR
            } else {
                exit::CLEAN
            });
        }
    };
    let env = Environment::from_process();
    let mut stdout = std::io::stdout().lock();
    let result = match &args.command {
        Command::Inspect(a) => cmd::inspect::run(a, &env, &mut stdout),
        Command::Exposure(a) => cmd::exposure::run(a, &env, &mut stdout),
        Command::Check(a) => cmd::check::run(a, &env, &mut stdout),
        Command::Rules(a) => cmd::rules::run(a, &mut stdout),
        Command::Rule(a) => cmd::rules::run_one(a, &mut stdout),
        Command::Pki(a) => cmd::pki::run(a, &env, &mut stdout),
        Command::Scan(a) => cmd::scan::run(a, &env, &mut stdout),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure(message)) => {
            // Messages carry paths and names from input: escaped like tables.
            eprintln!("kcred: {}", kcred_core::escape_text(&message));
            ExitCode::from(exit::ERROR)
        }
    }
}
