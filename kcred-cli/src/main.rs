//! `kcred`: the command line. Argument parsing is in `args`, the environment,
//! clock and file reading in `run`; all logic is in kcred-core.

mod args;
mod check;
mod exposure;
mod pki;
mod run;
mod scan;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match args::Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                run::exit::ERROR
            } else {
                run::exit::CLEAN
            });
        }
    };
    let env = run::Environment::from_process();
    let mut stdout = std::io::stdout().lock();
    let result = match &args.command {
        args::Command::Inspect(inspect) => run::inspect(inspect, &env, &mut stdout),
        args::Command::Exposure(a) => exposure::run(a, &env, &mut stdout),
        args::Command::Check(check) => check::run::check(check, &env, &mut stdout),
        args::Command::Rules(rules) => check::run::rules(rules, &mut stdout),
        args::Command::Rule(rule) => check::run::rule_doc(rule, &mut stdout),
        args::Command::Pki(a) => pki::run(a, &env, &mut stdout),
        args::Command::Scan(a) => scan::run(a, &env, &mut stdout),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(run::Failure(message)) => {
            // Messages carry paths and names from input: escaped like tables.
            eprintln!("kcred: {}", kcred_core::escape_text(&message));
            ExitCode::from(run::exit::ERROR)
        }
    }
}
