//! `kcred completions SHELL` and `kcred man`: generated from the one clap
//! definition ([`crate::args::definition`]), so they cannot drift from the flags.

use std::io::Write;

use super::{exit, Failure};
use crate::args::{definition, CompletionsArgs, PLUGIN_EXECUTABLE};

/// Writes the completion script of `args.shell`, for the name kcred was run
/// as (`kcred`, or `kubectl-kcred` as the kubectl plugin).
pub fn completions(
    args: &CompletionsArgs,
    plugin: bool,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let name = if plugin { PLUGIN_EXECUTABLE } else { "kcred" };
    let mut command = definition(false).name(name).bin_name(name);
    command.build();
    // The fallible generator: a closed pipe is exit 2, not a panic.
    clap_complete::Generator::try_generate(&args.shell, &command, out)
        .map_err(|e| Failure::write(&e))?;
    Ok(exit::CLEAN)
}

/// Writes the manual page, in roff.
pub fn man(plugin: bool, out: &mut dyn Write) -> Result<u8, Failure> {
    clap_mangen::Man::new(definition(plugin))
        .render(out)
        .map_err(|e| Failure::write(&e))?;
    Ok(exit::CLEAN)
}
