//! `kcred scan`: the core walks the trees, evaluates and renders.

use std::io::Write;
use std::num::NonZeroUsize;

use kcred_core::{
    evaluate_scan, scan_prometheus, scan_table, scan_tree, write_findings_sarif, write_scan_json,
    Limits, WalkOptions,
};

mod history;

use super::{defaulted_policy, exit_code, table_text, Environment, Failure};
use crate::args::{ScanArgs, ScanFormat};

/// Runs `kcred scan`: exit 0 clean, 1 when an active finding is at or above
/// `--fail-on`, 2 when a path or the policy cannot be read.
pub fn run(args: &ScanArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    if args.history {
        return history::run(args, env, out);
    }
    let now = args.at.or(env.now);
    let limits = limits(args);
    let mut walk = WalkOptions::default();
    // `--threads`, else the available parallelism.
    walk.threads = args
        .threads
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    walk.follow_links = args.follow_links;
    walk.no_ignore = args.no_ignore;
    // A missing path is reported before a bad policy, as it always was.
    let report = scan_tree(&args.paths, &walk, &limits).map_err(|e| Failure(e.to_string()))?;
    let policy = defaulted_policy(&args.policy)?;
    let findings = evaluate_scan(&report, &policy, now);
    let renderings = Renderings {
        table: &|| scan_table(&report, now, env.table_width(args.width)),
        json: &|out| write_scan_json(&report, &findings, &policy.name, now, out),
        sarif: &|out| write_findings_sarif(&findings, env.working_folder.as_deref(), out),
        prometheus: &|| scan_prometheus(&report, &findings, now),
    };
    write_output(args, env, &findings, &renderings, out)
}

/// The file limits `scan` reads with (`--max-file-size`).
fn limits(args: &ScanArgs) -> Limits {
    Limits {
        max_file_bytes: args.max_file_size,
        ..Limits::default()
    }
}

/// A scan's four renderings; the one `--format` asks for is written.
struct Renderings<'a> {
    table: &'a dyn Fn() -> String,
    json: &'a dyn Fn(&mut dyn Write) -> std::io::Result<()>,
    sarif: &'a dyn Fn(&mut dyn Write) -> std::io::Result<()>,
    prometheus: &'a dyn Fn() -> String,
}

/// Writes the rendering `--format` asks for (the table with the findings
/// after it) and returns the exit code.
fn write_output(
    args: &ScanArgs,
    env: &Environment,
    findings: &[kcred_core::Finding],
    renderings: &Renderings<'_>,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let written = match args.output.format {
        ScanFormat::Table => {
            let table = || Some((renderings.table)());
            let quiet = args.policy.findings.quiet;
            let text = table_text(table, findings, env.color(args.color), quiet);
            out.write_all(text.as_bytes())
        }
        ScanFormat::Json => (renderings.json)(out),
        ScanFormat::Sarif => (renderings.sarif)(out),
        ScanFormat::Prometheus => out.write_all((renderings.prometheus)().as_bytes()),
    };
    written.map_err(|e| Failure::write(&e))?;
    Ok(exit_code(findings, &args.policy))
}
