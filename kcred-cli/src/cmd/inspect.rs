//! `kcred inspect`: the inventory, as a table or the JSON document.

use std::io::Write;

use kcred_core::{inventory_table, write_inventory_json};

use super::{exit, load_input, Environment, Failure};
use crate::args::{InspectArgs, InspectFormat};

/// Runs `kcred inspect`: exit 0 when an inventory was produced, 2 when no
/// kubeconfig could be read.
pub fn run(args: &InspectArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    let loaded = load_input(&args.input, env, None)?;
    let now = args.input.at.or(env.now);
    let written = match args.output.format {
        InspectFormat::Table => {
            let text = inventory_table(&loaded.inventory, now, env.color(args.color));
            out.write_all(text.as_bytes())
        }
        // Streamed record by record: memory stays flat however large the input.
        InspectFormat::Json => {
            let mut buffered = std::io::BufWriter::new(out);
            write_inventory_json(&loaded.inventory, now, Some(&loaded.files), &mut buffered)
                .and_then(|()| buffered.flush())
        }
    };
    written.map_err(|e| Failure::write(&e))?;
    // The process ends after this: freeing thousands of records one by one is a
    // measurable part of the run (BENCHMARKS.md); the OS takes the memory back.
    std::mem::forget(loaded);
    Ok(exit::CLEAN)
}
