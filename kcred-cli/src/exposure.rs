//! `kcred exposure`: picks the files (from arguments and the environment read
//! once in `run`), then calls the core. No logic of its own.

use std::io::Write;
use std::path::PathBuf;

use kcred_core::{
    exposure, exposure_table, file_facts, find_caches, inventory, kubeconfig_paths, link_caches,
    load_merged, permission_warnings, write_exposure_json, CacheSearch, DiskFiles, Error,
    ExposureReport, FileFacts, LifetimeDefaults, Limits,
};

use crate::args::{ExposureArgs, InspectFormat};
use crate::run::{exit, Environment, Failure};

/// The kubeconfig files to read: `--kubeconfig`, else HOME/.kube/config with
/// `--home`, else what kubectl would read.
fn kubeconfig_files(args: &ExposureArgs, env: &Environment) -> Vec<PathBuf> {
    if !args.kubeconfig.is_empty() {
        return args.kubeconfig.clone();
    }
    match &args.home {
        Some(home) => vec![home.join(".kube").join("config")],
        None => kubeconfig_paths(env.kubeconfig.as_deref(), env.home.as_deref()),
    }
}

/// Runs `kcred exposure`.
pub fn run(args: &ExposureArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
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
    let paths = kubeconfig_files(args, env);
    let loaded = load_merged(&paths, &limits);
    if loaded.files.is_empty() {
        let why = loaded
            .problems
            .first()
            .map(Error::to_string)
            .unwrap_or_else(|| "no kubeconfig found".to_owned());
        return Err(Failure(why));
    }
    let now = args.now.unwrap_or(env.now);
    let mut inv = inventory(&loaded.config, &DiskFiles::new(limits.clone()));
    inv.problems.splice(0..0, loaded.problems);

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
    link_caches(&mut scan.entries, &loaded.config);

    let mut facts: Vec<FileFacts> = loaded.files.iter().filter_map(|f| file_facts(f)).collect();
    facts.extend(scan.entries.iter().filter_map(|e| e.file.clone()));
    let warnings = permission_warnings(&facts);
    let contexts = exposure(&inv, &scan.entries, &defaults, now);
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
    let written = match args.format {
        InspectFormat::Table => out.write_all(exposure_table(&report).as_bytes()),
        InspectFormat::Json => write_exposure_json(&report, Some(&loaded.files), out),
    };
    written.map_err(|e| Failure(format!("cannot write output: {e}")))?;
    Ok(exit::CLEAN)
}
