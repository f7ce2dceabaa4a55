//! `kcred decode FILE|-`: reads one input (through core's input boundary, or
//! standard input with the same size limit), decodes it in core, writes the
//! blocks of facts or the JSON document.

use std::io::Write;
use std::path::Path;

use kcred_core::{decode, decoded_json, decoded_table, json_text, read_limited, Limits, Location};

use super::{exit, read_stdin, write, Environment, Failure, STDIN_NAME};
use crate::args::{DecodeArgs, DecodeFormat};

/// Runs `kcred decode`: exit 0 when the input decoded (an expired
/// certificate too: this is an inspector, `check` is the gate), 2 when it
/// could not be read or holds nothing kcred decodes.
pub fn run(args: &DecodeArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    let stdin = args.input == Path::new("-");
    let name = if stdin {
        Path::new(STDIN_NAME)
    } else {
        args.input.as_path()
    };
    let at = Location::file(name);
    let bytes = if stdin {
        read_stdin()?
    } else {
        read_limited(&args.input, &Limits::default(), &at).map_err(|e| Failure(e.to_string()))?
    };
    let decoded = decode(&bytes, &at).map_err(|e| Failure(e.to_string()))?;
    let now = args.at.or(env.now);
    let shown = name.display().to_string();
    let text = match args.output.format {
        DecodeFormat::Table => decoded_table(
            &decoded,
            &shown,
            now,
            env.color(args.color),
            env.table_width(args.width),
        ),
        DecodeFormat::Json => json_text(&decoded_json(&decoded, &shown, now)),
    };
    write(out, &text)?;
    Ok(exit::CLEAN)
}
