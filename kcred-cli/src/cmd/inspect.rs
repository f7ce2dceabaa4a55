//! `kcred inspect`: the inventory, as a table or the JSON document.

use std::io::Write;

use kcred_core::{inventory_table, prometheus_text, write_inventory_json, Inventory};
use time::OffsetDateTime;

use super::{exit, load_input, Environment, Failure};
use crate::args::{InspectArgs, InspectFormat};

/// Runs `kcred inspect`: exit 0 when an inventory was produced, 2 when no
/// kubeconfig could be read.
pub fn run(args: &InspectArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    let now = args.input.at.or(env.now);
    let loaded = match load_input(&args.input, env, None) {
        Ok(loaded) => loaded,
        Err(failure) if args.output.format == InspectFormat::Json => {
            return nothing_read_json(args, env, now, out).unwrap_or(Err(failure));
        }
        Err(failure) => return Err(failure),
    };
    let written = match args.output.format {
        InspectFormat::Table => {
            let text = inventory_table(
                &loaded.inventory,
                now,
                env.color(args.color),
                env.table_width(args.width),
            );
            out.write_all(text.as_bytes())
        }
        // Streamed record by record through the writer's own buffer: memory
        // stays flat however large the input.
        InspectFormat::Json => {
            write_inventory_json(&loaded.inventory, now, Some(&loaded.files), out)
        }
        // The credentials' expiry families of `check`, without findings.
        InspectFormat::Prometheus => {
            out.write_all(prometheus_text(&loaded.inventory, &[], now).as_bytes())
        }
    };
    written.map_err(|e| Failure::write(&e))?;
    // The process ends after this: freeing thousands of records one by one is a
    // measurable part of the run (BENCHMARKS.md); the OS takes the memory back.
    std::mem::forget(loaded);
    Ok(exit::CLEAN)
}

/// A JSON run that read no kubeconfig still writes the document, its problem
/// in `problems`, and exits 2; `None` when loading was not what failed (an
/// undefined `--context`, unreadable `--rbac` snapshots).
fn nothing_read_json(
    args: &InspectArgs,
    env: &Environment,
    now: OffsetDateTime,
    out: &mut dyn Write,
) -> Option<Result<u8, Failure>> {
    let problem = super::unread_input(&args.input, env)?;
    let inventory = Inventory {
        problems: vec![problem],
        ..Inventory::default()
    };
    let written = write_inventory_json(&inventory, now, Some(&[]), out);
    Some(
        written
            .map(|()| exit::ERROR)
            .map_err(|e| Failure::write(&e)),
    )
}
