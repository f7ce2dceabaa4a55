//! `kcred scan --history`: the core reads each repository's objects, the
//! findings are evaluated as a scan's, and rendered with their places.

use std::io::Write;

use kcred_core::{
    evaluate_scan, history_table, scan_history, scan_prometheus, write_history_json,
    write_history_sarif, HistoryOptions, HistoryReport, Limits,
};

use super::super::{defaulted_policy, exit_code, table_text, Environment, Failure};
use crate::args::{ScanArgs, ScanFormat};

/// Runs the history scan of every DIR: exit codes as `scan`'s.
pub fn run(args: &ScanArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    let now = args.at.or(env.now);
    let limits = Limits {
        max_file_bytes: args.max_file_size,
        ..Limits::default()
    };
    let options = HistoryOptions {
        since: args.since.clone(),
        ..HistoryOptions::default()
    };
    let mut report = HistoryReport::default();
    for repo in &args.paths {
        let one = scan_history(repo, &options, &limits).map_err(|e| Failure(e.to_string()))?;
        report.extend(one);
    }
    let policy = defaulted_policy(&args.policy)?;
    let findings = evaluate_scan(&report.scan, &policy, now);
    let since = args.since.as_deref();
    let written = match args.output.format {
        ScanFormat::Table => {
            let table = || Some(history_table(&report, now, env.table_width(args.width)));
            let quiet = args.policy.findings.quiet;
            let text = table_text(table, &findings, env.color(args.color), quiet);
            out.write_all(text.as_bytes())
        }
        ScanFormat::Json => write_history_json(&report, &findings, &policy.name, since, now, out),
        ScanFormat::Sarif => {
            write_history_sarif(&report, &findings, env.working_folder.as_deref(), out)
        }
        ScanFormat::Prometheus => {
            out.write_all(scan_prometheus(&report.scan, &findings, now).as_bytes())
        }
    };
    written.map_err(|e| Failure::write(&e))?;
    Ok(exit_code(&findings, &args.policy))
}
