//! `kcred scan`: walks the trees (the `ignore` crate: .gitignore rules, no
//! symlink loops, parallel), reads each file with the size cap, and hands the
//! bytes to the core. No detection logic lives here.

use std::io::Write;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use clap::ValueEnum;
use ignore::{WalkBuilder, WalkState};
use kcred_core::{
    evaluate_repository, findings_json, findings_table, load_policy, read_limited, scan_file,
    scan_json, scan_table, worst_severity, write_findings_sarif, Error, Limits, Location,
    ScanReport, SkipReason, Skipped,
};

use crate::args::{parse_instant, ColorChoice};
use crate::check::args::FailOn;
use crate::run::{exit, use_color, Environment, Failure};

/// `kcred scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Folders (or files) to scan.
    #[arg(value_name = "DIR", required = true)]
    pub paths: Vec<PathBuf>,
    /// The instant to evaluate at (RFC 3339); default: the clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<time::OffsetDateTime>,
    /// A policy file (YAML, TOML or JSON) or a preset: baseline, strict, kubeadm.
    #[arg(long, value_name = "FILE|PRESET", default_value = "baseline")]
    pub policy: String,
    /// Exit 1 when a finding has this severity or a higher one.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Table)]
    pub format: ScanFormat,
    /// Colour in the findings.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Worker threads; default: the available parallelism.
    #[arg(long, value_name = "N")]
    pub threads: Option<NonZeroUsize>,
    /// Skip (with a note) files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Follow symbolic links (loops are detected and skipped); default: links
    /// are not followed, as git stores them.
    #[arg(long)]
    pub follow_links: bool,
    /// Also scan files that .gitignore, .ignore and .git/info/exclude leave out.
    #[arg(long)]
    pub no_ignore: bool,
}

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// Credentials with file:line, then the findings.
    Table,
    /// The scan document (schema kcred.scan/v1) with `findings` added.
    Json,
    /// SARIF 2.1.0 of the findings, for code-scanning upload.
    Sarif,
}

/// Reads and scans one file; `None` for what is not a regular file.
fn one_file(path: &Path, limits: &Limits) -> Option<Result<kcred_core::Inventory, Skipped>> {
    let skip = |reason| {
        Some(Err(Skipped {
            file: path.to_path_buf(),
            reason,
        }))
    };
    match read_limited(path, limits, &Location::file(path)) {
        Ok(bytes) => Some(scan_file(&bytes, path, limits)),
        Err(Error::TooLarge { limit, .. }) => skip(SkipReason::TooLarge { limit }),
        Err(Error::NotRegularFile { .. }) => None,
        Err(Error::Io { reason, .. }) => skip(SkipReason::Unreadable { detail: reason }),
        Err(e) => skip(SkipReason::Unreadable {
            detail: e.kind().to_owned(),
        }),
    }
}

/// Walks `paths` in parallel and scans every file.
fn walk(args: &ScanArgs, limits: &Limits) -> ScanReport {
    let mut builder = WalkBuilder::new(&args.paths[0]);
    for p in &args.paths[1..] {
        builder.add(p);
    }
    let threads = args
        .threads
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    builder
        .hidden(false) // .env, .kube/config: hidden files are where credentials hide
        .follow_links(args.follow_links)
        .require_git(false) // an exported tree's .gitignore still counts
        .git_ignore(!args.no_ignore)
        .git_exclude(!args.no_ignore)
        .git_global(false) // the scanning user's global excludes are not the repo's
        .ignore(!args.no_ignore)
        .parents(!args.no_ignore)
        .threads(threads)
        .filter_entry(|e| e.file_name() != ".git");
    let report = Mutex::new(ScanReport::default());
    builder.build_parallel().run(|| {
        let report = &report;
        Box::new(move |entry| {
            let outcome = match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    // `kcred scan .` reports `manifests/x.yaml`, as code scanning wants.
                    let path = entry.path();
                    one_file(path.strip_prefix("./").unwrap_or(path), limits)
                }
                Ok(_) => None,
                // A symlink loop, a folder that vanished, no permission: noted.
                Err(err) => {
                    let file = error_path(&err).unwrap_or_default();
                    Some(Err(Skipped {
                        file,
                        reason: SkipReason::Unreadable {
                            detail: error_text(&err),
                        },
                    }))
                }
            };
            if let Some(outcome) = outcome {
                if let Ok(mut r) = report.lock() {
                    r.add(outcome);
                }
            }
            WalkState::Continue
        })
    });
    let mut report = report.into_inner().unwrap_or_default();
    report.sort();
    report
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.first().and_then(error_path),
        _ => None,
    }
}

/// The walker's message without the path (already in `file`).
fn error_text(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_text(err),
        ignore::Error::Loop { .. } => "symbolic link loop".to_owned(),
        ignore::Error::Partial(errs) => errs.first().map(error_text).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// Runs `kcred scan`: exit 0 clean, 1 when an active finding is at or above
/// `--fail-on`, 2 when a path or the policy cannot be read.
pub fn run(args: &ScanArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    if let Some(p) = args.paths.iter().find(|p| !p.exists()) {
        return Err(Failure(format!("{} does not exist", p.display())));
    }
    let policy = load_policy(&args.policy).map_err(|e| Failure(e.to_string()))?;
    let now = args.now.unwrap_or(env.now);
    let limits = Limits {
        max_file_bytes: args.max_file_size,
        ..Limits::default()
    };
    let report = walk(args, &limits);
    let findings = evaluate_repository(&report.inventory, &policy, now);
    let written = match args.format {
        ScanFormat::Table => out.write_all(
            format!(
                "{}\n{}",
                scan_table(&report, now),
                findings_table(&findings, use_color(args.color, env))
            )
            .as_bytes(),
        ),
        ScanFormat::Json => {
            let mut doc = scan_json(&report, now);
            doc["findings"] = findings_json(&findings, &policy.name, now);
            out.write_all(json_text(&doc)?.as_bytes())
        }
        ScanFormat::Sarif => write_findings_sarif(&findings, out),
    };
    written.map_err(|e| Failure(format!("cannot write output: {e}")))?;
    Ok(match worst_severity(&findings) {
        Some(worst) if worst >= args.fail_on.severity() => exit::FINDINGS,
        _ => exit::CLEAN,
    })
}

fn json_text(doc: &serde_json::Value) -> Result<String, Failure> {
    let mut text = serde_json::to_string_pretty(doc).map_err(|e| Failure(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
