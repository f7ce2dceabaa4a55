//! The `kcred` binary: the command line of the `kcred` library crate.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(kcred::main(std::env::args_os()))
}
