//! `kcred exposure`: picks the files (from arguments and the environment read
//! once), then calls the core. No logic of its own.

use std::io::Write;

use kcred_core::{
    evaluate, evaluate_exposure, exposure, exposure_json, exposure_table, file_facts, find_caches,
    findings_json, findings_table, link_caches, permission_warnings, write_exposure_json,
    CacheSearch, ExposureReport, FileFacts, LifetimeDefaults, Limits, Source,
};

use super::{
    add_rights, exit, exit_code, load_keeping_config, policy_of, write, Environment, Failure,
};
use crate::args::{ExposureArgs, InspectFormat};

/// The kubeconfig files to read: `--kubeconfig`, else HOME/.kube/config with
/// `--home`, else what kubectl would read.
fn kubeconfig_source(args: &ExposureArgs, env: &Environment) -> Source {
    if !args.kubeconfig.is_empty() {
        return Source::Paths(args.kubeconfig.clone());
    }
    match &args.home {
        Some(home) => Source::Paths(vec![home.join(".kube").join("config")]),
        None => env.kubeconfigs(),
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

    let home = args.home.as_deref().or(env.home.as_deref());
    // An investigator's --home must not pick up the investigator's own cache dir.
    let kube_cache_dir = args.cache_dir.as_deref().or(if args.home.is_some() {
        None
    } else {
        env.kube_cache_dir.as_deref()
    });
    let search = CacheSearch {
        home,
        kube_cache_dir,
        kubeconfig_files: &loaded.files,
    };
    let mut scan = find_caches(&search, &limits);
    link_caches(&mut scan.entries, &config);

    let mut facts: Vec<FileFacts> = loaded.files.iter().filter_map(|f| file_facts(f)).collect();
    facts.extend(scan.entries.iter().filter_map(|e| e.file.clone()));
    let warnings = permission_warnings(&facts);
    let contexts = exposure(&inv, &scan.entries, &defaults, now);
    // The policy's rules over the kubeconfigs, as `check` runs them, ...
    let mut findings = policy
        .as_ref()
        .map(|p| evaluate(&inv, p, now))
        .unwrap_or_default();
    let mut problems = inv.problems;
    problems.extend(scan.problems);
    let report = ExposureReport {
        contexts: &contexts,
        caches: &scan.entries,
        file_warnings: &warnings,
        problems: &problems,
        defaults: &defaults,
        now,
    };
    let Some(policy) = policy else {
        let written = match args.output.format {
            InspectFormat::Table => out.write_all(exposure_table(&report).as_bytes()),
            InspectFormat::Json => write_exposure_json(&report, Some(&loaded.files), out),
        };
        written.map_err(|e| Failure::write(&e))?;
        return Ok(exit::CLEAN);
    };
    // then max-exposure over the windows just computed.
    findings.extend(evaluate_exposure(&contexts, &policy, now));
    let text = match args.output.format {
        InspectFormat::Table => format!(
            "{}\n{}",
            exposure_table(&report),
            findings_table(&findings, false)
        ),
        InspectFormat::Json => {
            let mut doc = exposure_json(&report);
            doc["files"] =
                serde_json::to_value(&loaded.files).map_err(|e| Failure(e.to_string()))?;
            doc["findings"] = findings_json(&findings, &policy.name, now);
            kcred_core::json_text(&doc)
        }
    };
    write(out, &text)?;
    Ok(exit_code(&findings, args.policy.fail_on))
}
