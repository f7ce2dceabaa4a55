//! `Finding` and `FindingLocation`: one rule broken, and where.

use kcred_core::{Finding, FindingLocation, Severity};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

use crate::class::class_methods;
use crate::convert;

/// A member of `kcred.Severity`.
pub fn severity<'py>(py: Python<'py>, s: Severity) -> PyResult<Bound<'py, PyAny>> {
    static SEVERITY: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    SEVERITY
        .import(py, "kcred._types", "Severity")?
        .call1((s.name(),))
}

/// `file:line`, or the file alone.
fn file_line(l: &FindingLocation) -> String {
    match l.line {
        Some(line) => format!("{}:{line}", l.file.display()),
        None => l.file.display().to_string(),
    }
}

class_methods! {
/// Where a finding is: file and line, plus the kubeconfig names involved.
pub struct PyFindingLocation(FindingLocation) = "FindingLocation";
[eq], repr = |this| {
    format!("<FindingLocation {:?}>", file_line(&this.0))
}, fields {
    line: Option<u32>,
    context: Option<String>,
    user: Option<String>,
    cluster: Option<String>,
    entry: Option<String>,
    field: Option<String>,
}, paths {
    file,
}, {
    fn __str__(&self) -> String {
        file_line(&self.0)
    }
}}

class_methods! {
/// One rule broken by one credential, cluster or input.
pub struct PyFinding(Finding) = "Finding";
[eq], repr = |this| {
    format!(
        "<Finding {} {} {} at {:?}>",
        this.0.code,
        this.0.name(),
        this.0.severity,
        file_line(&this.0.location)
    )
}, fields {
    message: String,
    remediation: String,
}, wraps {
    location: PyFindingLocation,
}, {
    /// Stable code, like `KC101`.
    #[getter]
    fn code(&self) -> &'static str {
        self.0.code.as_str()
    }
    /// Stable name, like `irrevocable-admin`.
    #[getter]
    fn name(&self) -> &'static str {
        self.0.name()
    }
    #[getter]
    fn severity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        severity(py, self.0.severity)
    }
    /// The credential kind, for findings about a credential.
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0.kind.map(|k| convert::kind(py, k.name())).transpose()
    }
    #[getter]
    fn platform(&self) -> &'static str {
        self.0.platform.name()
    }
    /// Whether a suppression in the policy covers the finding.
    #[getter]
    fn suppressed(&self) -> bool {
        self.0.suppressed.is_some()
    }
    #[getter]
    fn suppression_reason(&self) -> Option<String> {
        self.0.suppressed.as_ref().map(|s| s.reason.clone())
    }
    fn __str__(&self) -> String {
        format!(
            "{}: {} {} {}: {}",
            file_line(&self.0.location),
            self.0.severity,
            self.0.code,
            self.0.name(),
            self.0.message
        )
    }
}}
