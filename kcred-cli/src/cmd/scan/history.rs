//! `kcred scan --history`: the core reads each repository's objects, the
//! findings are evaluated as a scan's, and rendered with their places.

use std::io::Write;

use kcred_core::{
    evaluate_scan, history_table, scan_history, scan_prometheus, write_history_json,
    write_history_sarif, HistoryOptions, HistoryReport,
};

use super::super::{defaulted_policy, Environment, Failure};
use super::{limits, write_output, Renderings};
use crate::args::ScanArgs;

/// Runs the history scan of every DIR: exit codes as `scan`'s.
pub fn run(args: &ScanArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    let now = args.at.or(env.now);
    let limits = limits(args);
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
    let renderings = Renderings {
        table: &|| history_table(&report, now, env.table_width(args.width)),
        json: &|out| write_history_json(&report, &findings, &policy.name, since, now, out),
        sarif: &|out| write_history_sarif(&report, &findings, env.working_folder.as_deref(), out),
        prometheus: &|| scan_prometheus(&report.scan, &findings, now),
    };
    write_output(args, env, &findings, &renderings, out)
}
