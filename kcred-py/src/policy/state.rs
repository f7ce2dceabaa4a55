//! The pickled form of a finding, until the core's `Finding` and
//! `FindingLocation` derive `Deserialize` (their `&'static str` code and name
//! cannot). The only mirror of core data left in the binding: once they do,
//! delete this file and its two `impl Class` in `finding.rs`, and name the core
//! types in their `class_methods!`: `PyFinding(Finding)`,
//! `PyFindingLocation(FindingLocation)`.

use std::path::PathBuf;

use kcred_core::{rule, CredentialKind, Finding, FindingLocation, Platform, Severity, Suppressed};
use pyo3::exceptions::PyValueError;
use pyo3::PyResult;
use serde::{Deserialize, Serialize};

/// A finding as plain data (the code and name come back from the registry).
#[derive(Clone, Serialize, Deserialize)]
pub struct FindingState {
    code: String,
    severity: Severity,
    location: FindingLocationState,
    kind: Option<String>,
    message: String,
    remediation: String,
    platform: Platform,
    suppressed: Option<(String, Option<String>)>,
}

/// A finding's location as plain data.
#[derive(Clone, Serialize, Deserialize)]
pub struct FindingLocationState {
    file: PathBuf,
    line: Option<u32>,
    context: Option<String>,
    user: Option<String>,
    cluster: Option<String>,
    entry: Option<String>,
    field: Option<String>,
}

pub fn location_state(l: &FindingLocation) -> FindingLocationState {
    let l = l.clone();
    FindingLocationState {
        file: l.file,
        line: l.line,
        context: l.context,
        user: l.user,
        cluster: l.cluster,
        entry: l.entry,
        field: l.field,
    }
}

pub fn location(l: FindingLocationState) -> FindingLocation {
    FindingLocation {
        file: l.file,
        line: l.line,
        context: l.context,
        user: l.user,
        cluster: l.cluster,
        entry: l.entry,
        field: l.field,
    }
}

pub fn finding_state(f: &Finding) -> FindingState {
    FindingState {
        code: f.code.to_owned(),
        severity: f.severity,
        location: location_state(&f.location),
        kind: f.kind.map(|k| k.name().to_owned()),
        message: f.message.clone(),
        remediation: f.remediation.clone(),
        platform: f.platform,
        suppressed: f
            .suppressed
            .as_ref()
            .map(|s| (s.reason.clone(), s.expires.clone())),
    }
}

pub fn finding(f: FindingState) -> PyResult<Finding> {
    let r =
        rule(&f.code).ok_or_else(|| PyValueError::new_err(format!("unknown rule {}", f.code)))?;
    Ok(Finding {
        code: r.code,
        name: r.name,
        severity: f.severity,
        location: location(f.location),
        kind: f.kind.as_deref().and_then(CredentialKind::from_name),
        message: f.message,
        remediation: f.remediation,
        platform: f.platform,
        suppressed: f
            .suppressed
            .map(|(reason, expires)| Suppressed { reason, expires }),
    })
}
