//! The vector harness: every `tests/vectors/<family>/<case>.yaml` is loaded and
//! inventoried by the one entry point (problems of loading kept, so KC90x input
//! findings are vectored too), given the rights of its RBAC snapshots (`rbac:`,
//! read as `--rbac` reads them, OIDC settings from the policy) and evaluated at
//! its fixed `now`; statuses and active finding codes must match. Known gaps live in `tests/vectors/exceptions.yaml` with a reason;
//! an exception that no longer fails is itself a failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kcred_core::{
    attach_privileges, evaluate, load_inventory, load_policy, load_rbac, Finding, Limits, Source,
};
use serde::Deserialize;
use time::OffsetDateTime;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    id: String,
    #[allow(dead_code)] // for people reading the file
    description: String,
    kubeconfig: PathBuf,
    /// RBAC snapshots under `tests/data/` (files or folders), as `--rbac`.
    #[serde(default)]
    rbac: Vec<PathBuf>,
    policy: String,
    #[serde(with = "time::serde::rfc3339")]
    now: OffsetDateTime,
    statuses: Vec<String>,
    findings: Vec<String>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn vector_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            vector_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml")
            && path.file_name().is_some_and(|n| n != "exceptions.yaml")
        {
            out.push(path);
        }
    }
}

/// A finding's code as the vector files write it (`"KC101"`: its serde form).
fn code(finding: &Finding) -> String {
    match serde_json::to_value(finding.code) {
        Ok(serde_json::Value::String(code)) => code,
        other => panic!("a code serializes as a string, not {other:?}"),
    }
}

/// Runs one vector; `Err` describes the difference.
fn run(v: &Vector) -> Result<(), String> {
    let source = Source::File(root().join("data").join(&v.kubeconfig));
    let mut inv = load_inventory(&source, &Limits::default())
        .map_err(|e| format!("nothing read: {e}"))?
        .inventory;
    let policy = load_policy(&v.policy).map_err(|e| format!("policy: {e}"))?;
    if !v.rbac.is_empty() {
        let paths: Vec<PathBuf> = v.rbac.iter().map(|p| root().join("data").join(p)).collect();
        let (snapshot, problems) = load_rbac(&paths, &Limits::default());
        if !problems.is_empty() {
            return Err(format!("rbac: {problems:?}"));
        }
        attach_privileges(&mut inv, &snapshot, policy.oidc.as_ref());
    }
    let statuses: Vec<&str> = inv
        .credentials
        .iter()
        .map(|r| r.status(v.now).name())
        .collect();
    let mut codes: Vec<String> = evaluate(&inv, &policy, v.now)
        .iter()
        .filter(|f| f.is_active())
        .map(code)
        .collect();
    codes.sort_unstable();
    if statuses != v.statuses {
        return Err(format!("statuses {statuses:?}, expected {:?}", v.statuses));
    }
    if codes != v.findings {
        return Err(format!("findings {codes:?}, expected {:?}", v.findings));
    }
    Ok(())
}

#[test]
fn vectors() {
    let dir = root().join("vectors");
    let exceptions: BTreeMap<String, String> =
        serde_saphyr::from_str(&std::fs::read_to_string(dir.join("exceptions.yaml")).unwrap())
            .unwrap();
    let mut files = Vec::new();
    vector_files(&dir, &mut files);
    assert!(files.len() >= 20, "only {} vectors", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let v: Vector = serde_saphyr::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let family = file
            .parent()
            .and_then(Path::file_name)
            .unwrap()
            .to_string_lossy();
        let stem = file.file_stem().unwrap().to_string_lossy();
        assert_eq!(
            v.id,
            format!("{family}/{stem}"),
            "{}: id must match its path",
            file.display()
        );
        match (run(&v), exceptions.contains_key(&v.id)) {
            (Ok(()), false) | (Err(_), true) => {}
            (Err(why), false) => failures.push(format!("{}: {why}", v.id)),
            (Ok(()), true) => failures.push(format!(
                "{}: passes now; remove it from exceptions.yaml",
                v.id
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} vector(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
