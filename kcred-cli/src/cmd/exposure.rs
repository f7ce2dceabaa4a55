//! `kcred exposure`: picks the files (from arguments and the environment read
//! once), then calls the core. No logic of its own.

use std::io::Write;

use kcred_core::{
    evaluate, evaluate_exposure, exposure, exposure_json, exposure_prometheus, exposure_table,
    file_facts, find_caches, findings_json, link_caches, permission_warnings, write_exposure_json,
    CacheEntry, CacheSearch, ContextExposure, ExposureReport, FileFacts, FileWarning, Inventory,
    Kubeconfig, LifetimeDefaults, Limits, Source,
};
use time::OffsetDateTime;

use super::{
    add_rights, exit, exit_code, load_keeping_config, policy_of, table_text, write, Environment,
    Failure,
};
use crate::args::{ExposureArgs, InspectFormat};

/// The kubeconfig files to read: `--kubeconfig`, else HOME/.kube/config with
/// `--home`, else what kubectl would read.
fn kubeconfig_source(args: &ExposureArgs, env: &Environment) -> Source {
    if !args.kubeconfig.is_empty() {
        return Source::Paths(args.kubeconfig.clone());
    }
    match &args.folders.home {
        Some(home) => Source::Paths(vec![home.join(".kube").join("config")]),
        None => env.kubeconfigs(),
    }
}

/// What `kcred exposure` computes before it renders: the contexts' windows,
/// the token caches (linked to users), the files others may read, and every
/// problem met (the inventory's, then the cache search's).
pub struct ExposureParts {
    /// Per-context exposure.
    pub contexts: Vec<ContextExposure>,
    /// Every cache entry found.
    pub caches: Vec<CacheEntry>,
    /// Files readable by group or others.
    pub file_warnings: Vec<FileWarning>,
    /// Problems met on the way.
    pub problems: Vec<kcred_core::Error>,
}

impl ExposureParts {
    /// Finds the caches `search` names, links them to `config`'s users, and
    /// computes each context's exposure of `inv` at `now`.
    pub fn compute(
        inv: Inventory,
        config: &Kubeconfig,
        search: &CacheSearch<'_>,
        defaults: &LifetimeDefaults,
        now: OffsetDateTime,
        limits: &Limits,
    ) -> Self {
        let mut scan = find_caches(search, limits);
        link_caches(&mut scan.entries, config);
        let mut facts: Vec<FileFacts> = search
            .kubeconfig_files
            .iter()
            .filter_map(|f| file_facts(f))
            .collect();
        facts.extend(scan.entries.iter().filter_map(|e| e.file.clone()));
        let contexts = exposure(&inv, &scan.entries, defaults, now);
        let mut problems = inv.problems;
        problems.extend(scan.problems);
        ExposureParts {
            contexts,
            caches: scan.entries,
            file_warnings: permission_warnings(&facts),
            problems,
        }
    }

    /// The report the renderers take.
    pub fn report<'a>(
        &'a self,
        defaults: &'a LifetimeDefaults,
        now: OffsetDateTime,
    ) -> ExposureReport<'a> {
        ExposureReport {
            contexts: &self.contexts,
            caches: &self.caches,
            file_warnings: &self.file_warnings,
            problems: &self.problems,
            defaults,
            now,
        }
    }
}

/// Runs `kcred exposure`: exit 0, or with `--policy` 0 clean, 1 when an active
/// finding is at or above `--fail-on`; 2 when nothing can be read.
pub fn run(args: &ExposureArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    // Read the policy first: a bad one is exit 2 before any work.
    let policy = policy_of(&args.policy)?;
    let mut defaults = LifetimeDefaults::default();
    for item in &args.lifetimes {
        let (name, value) = item
            .split_once('=')
            .ok_or_else(|| Failure(format!("--lifetime {item:?}: expected NAME=DURATION")))?;
        defaults
            .set(name.trim(), value)
            .map_err(|e| Failure(format!("--lifetime: {e}")))?;
    }
    let limits = Limits::default();
    let (loaded, config) = load_keeping_config(&kubeconfig_source(args, env), &limits)?;
    let now = args.at.or(env.now);
    let mut inv = loaded.inventory;
    add_rights(&mut inv, &args.rbac, policy.as_ref())?;

    let home = args.folders.home.as_deref().or(env.home.as_deref());
    // An investigator's --home must not pick up the investigator's own cache dir.
    let kube_cache_dir = args
        .folders
        .cache_dir
        .as_deref()
        .or(if args.folders.home.is_some() {
            None
        } else {
            env.kube_cache_dir.as_deref()
        });
    // The policy's rules over the kubeconfigs, as `check` runs them, ...
    let mut findings = policy
        .as_ref()
        .map(|p| evaluate(&inv, p, now))
        .unwrap_or_default();
    let search = CacheSearch {
        home,
        kube_cache_dir,
        kubeconfig_files: &loaded.files,
    };
    let parts = ExposureParts::compute(inv, &config, &search, &defaults, now, &limits);
    let report = parts.report(&defaults, now);
    let Some(policy) = policy else {
        let written = match args.output.format {
            InspectFormat::Table => out.write_all(exposure_table(&report).as_bytes()),
            InspectFormat::Json => write_exposure_json(&report, Some(&loaded.files), out),
            InspectFormat::Prometheus => {
                out.write_all(exposure_prometheus(&report, None).as_bytes())
            }
        };
        written.map_err(|e| Failure::write(&e))?;
        return Ok(exit::CLEAN);
    };
    // then max-exposure over the windows just computed.
    findings.extend(evaluate_exposure(&parts.contexts, &policy, now));
    let text = match args.output.format {
        InspectFormat::Table => table_text(
            || Some(exposure_table(&report)),
            &findings,
            false,
            args.policy.findings.quiet,
        ),
        InspectFormat::Json => {
            let mut doc = exposure_json(&report);
            doc["files"] =
                serde_json::to_value(&loaded.files).map_err(|e| Failure(e.to_string()))?;
            doc["findings"] = findings_json(&findings, &policy.name, now);
            kcred_core::json_text(&doc)
        }
        InspectFormat::Prometheus => exposure_prometheus(&report, Some(&findings)),
    };
    write(out, &text)?;
    Ok(exit_code(&findings, &args.policy))
}
