//! `kcred.scan`: credentials committed in trees of files — the walk of
//! `kcred scan` (the command line's library) and the core's evaluation.

use std::collections::HashMap;
use std::path::PathBuf;

use kcred_core::{
    evaluate_scan, history_json, history_table, scan_history, scan_json, scan_table, Error,
    HistoryOptions, HistoryReport, Limits, Location,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use super::{report_class, Report};
use crate::errors::{self, boundary_at, PyProblem};
use crate::json::{text, Many, Plain, Time};
use crate::rbac::Rbac;
use crate::reports::{PyScanCredential, PySkipped, PyUnreadable};

report_class! {
    /// A scan (`kcred scan --format json`): the credentials found in the
    /// files, the files skipped, what looked like a credential but could not
    /// be read, and the policy's findings.
    PyScan "Scan", len = "credentials", repr = |this| {
        format!(
            "<Scan {} credentials in {} files, {} findings at {}>",
            this.0.count("credentials"),
            this.0.document["files_scanned"],
            this.0.findings.len(),
            text(&this.0.document, "now")
        )
    }, {
        schema: Plain,
        now: Time,
        files_scanned: Plain,
        credentials: Many<PyScanCredential>,
        skipped: Many<PySkipped>,
        unreadable: Many<PyUnreadable>,
        problems: Many<PyProblem>,
        history: Plain,
    }
}

/// Scans folders (or files) for committed credentials as `kcred scan` does
/// (.gitignore rules, tracked files always scanned, links not followed) and
/// evaluates `policy` (a `Policy`, preset or file; default `baseline`) at `now`.
/// With `history=True` each path is a git repository whose history is scanned
/// as `kcred scan --history [--since REV]` does (every blob reachable from its
/// refs, once; each credential with the commits and paths that hold it).
/// `rbac`/`oidc` give each credential found its rights, as for `load` (and the
/// rights rules, KC6xx, their input).
#[pyfunction]
#[pyo3(signature = (paths, *, history=false, since=None, policy=None, now=None, rbac=None, oidc=None))]
#[allow(clippy::too_many_arguments)] // the keyword arguments of one Python function
pub fn scan(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    history: bool,
    since: Option<String>,
    policy: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
    rbac: Option<&Bound<'_, PyAny>>,
    oidc: Option<HashMap<String, Option<String>>>,
) -> PyResult<PyScan> {
    boundary_at(py, now, |now| {
        let rbac = Rbac::from_args(rbac, oidc)?;
        let paths: Vec<PathBuf> = crate::convert::paths(paths)?;
        if let Some(missing) = paths.iter().find(|p| !p.exists()) {
            let err = Error::MissingFile {
                at: Location::file(missing),
                path: missing.clone(),
            };
            return Err(errors::to_py(py, &err));
        }
        if since.is_some() && !history {
            return Err(PyValueError::new_err("since= needs history=True"));
        }
        let policy = crate::policy::resolve(py, policy)?;
        if history {
            let options = HistoryOptions {
                since: since.clone(),
                ..HistoryOptions::default()
            };
            let mut all = py
                .detach(|| -> Result<HistoryReport, Error> {
                    let mut all = HistoryReport::default();
                    for path in &paths {
                        all.extend(scan_history(path, &options, &Limits::default())?);
                    }
                    Ok(all)
                })
                .map_err(|e| errors::to_py(py, &e))?;
            rbac.attach(py, &mut all.scan.inventory)?;
            let all = &all;
            return Ok(py.detach(move || {
                let findings = evaluate_scan(&all.scan, &policy, now);
                let document = history_json(all, &findings, &policy.name, since.as_deref(), now);
                let table = history_table(all, now, None);
                PyScan(Report::new(document, table, Some((findings, &policy)), now))
            }));
        }
        // The walk of `kcred scan` with its defaults, on the available cores.
        let mut walk = kcred_core::WalkOptions::default();
        walk.threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut report = py
            .detach(|| kcred_core::scan_tree(&paths, &walk, &kcred_core::Limits::default()))
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        rbac.attach(py, &mut report.inventory)?;
        Ok(py.detach(move || {
            let findings = evaluate_scan(&report, &policy, now);
            let table = scan_table(&report, now, None);
            let document = scan_json(&report, now);
            PyScan(Report::new(document, table, Some((findings, &policy)), now))
        }))
    })
}
