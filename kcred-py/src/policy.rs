//! The policy engine: policies (preset, file, text), `check` into findings, and
//! the findings renderers. Evaluation and rendering are the core's.

use std::path::{Path, PathBuf};

use kcred_core::{
    evaluate, findings_json as core_findings_json, findings_sarif as core_findings_sarif,
    findings_table as core_findings_table, load_policy as core_load_policy,
    parse_policy as core_parse_policy, prometheus_text as core_prometheus_text, rule,
    worst_severity as core_worst_severity, CredentialKind, Finding, FindingLocation, Platform,
    Policy, Severity, Suppressed,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use serde::{Deserialize, Serialize};

use crate::convert::{self, instant, reduce, restore};
use crate::errors;
use crate::types::PyInventory;

/// Where a policy came from, so a pickled policy can be loaded again.
#[derive(Clone, Serialize, Deserialize)]
enum PolicySource {
    /// A preset name or a file path, as given to `load_policy`.
    Spec(String),
    /// Policy text with its source name.
    Text { text: String, source: String },
}

impl PolicySource {
    fn load(&self) -> Result<Policy, kcred_core::Error> {
        match self {
            PolicySource::Spec(spec) => core_load_policy(spec),
            PolicySource::Text { text, source } => core_parse_policy(text, Path::new(source)),
        }
    }
}

/// A lifetime policy: which rules are on, at which severity and thresholds.
#[pyclass(frozen, module = "kcred", name = "Policy")]
pub struct PyPolicy {
    policy: Policy,
    source: PolicySource,
}

fn load_source(py: Python<'_>, source: PolicySource) -> PyResult<PyPolicy> {
    crate::errors::boundary(py, || {
        let loaded = {
            let source = source.clone();
            py.detach(move || source.load())
        };
        loaded
            .map(|policy| PyPolicy { policy, source })
            .map_err(|e| errors::to_py(py, &e))
    })
}

#[pymethods]
impl PyPolicy {
    /// `baseline`, `strict`, `kubeadm`, or the policy's own `name`.
    #[getter]
    fn name(&self) -> String {
        self.policy.name.clone()
    }
    #[getter]
    fn description(&self) -> Option<String> {
        self.policy.description.clone()
    }
    /// Codes of the rules this policy turns on, in registry order.
    #[getter]
    fn enabled_rules(&self) -> Vec<&'static str> {
        self.policy
            .rules
            .iter()
            .filter(|(_, s)| s.enabled)
            .map(|(code, _)| code.as_str())
            .collect()
    }
    fn __repr__(&self) -> String {
        format!(
            "<Policy {:?} {} rules on, {} suppressions>",
            self.policy.name,
            self.enabled_rules().len(),
            self.policy.suppressions.len()
        )
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| self.policy == o.get().policy)
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &self.source)
    }
    #[classmethod]
    fn _from_json(cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        load_source(cls.py(), restore(state)?)
    }
}

/// Where a finding is: file and line, plus the kubeconfig names involved.
#[pyclass(frozen, eq, module = "kcred", name = "FindingLocation")]
#[derive(Clone, PartialEq)]
pub struct PyFindingLocation(FindingLocation);

#[pymethods]
impl PyFindingLocation {
    #[getter]
    fn file(&self) -> String {
        self.0.file.to_string_lossy().into_owned()
    }
    #[getter]
    fn line(&self) -> Option<u32> {
        self.0.line
    }
    #[getter]
    fn context(&self) -> Option<String> {
        self.0.context.clone()
    }
    #[getter]
    fn user(&self) -> Option<String> {
        self.0.user.clone()
    }
    #[getter]
    fn cluster(&self) -> Option<String> {
        self.0.cluster.clone()
    }
    #[getter]
    fn entry(&self) -> Option<String> {
        self.0.entry.clone()
    }
    #[getter]
    fn field(&self) -> Option<String> {
        self.0.field.clone()
    }
    fn __str__(&self) -> String {
        match self.0.line {
            Some(line) => format!("{}:{line}", self.0.file.display()),
            None => self.0.file.display().to_string(),
        }
    }
    fn __repr__(&self) -> String {
        format!("<FindingLocation {:?}>", self.__str__())
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &LocationData::from(&self.0))
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore::<LocationData>(state).map(|d| Self(d.into()))
    }
}

/// One rule broken by one credential, cluster or input.
#[pyclass(frozen, eq, module = "kcred", name = "Finding")]
#[derive(Clone, PartialEq)]
pub struct PyFinding(Finding);

fn severity<'py>(py: Python<'py>, s: Severity) -> PyResult<Bound<'py, PyAny>> {
    static SEVERITY: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    SEVERITY
        .import(py, "kcred._types", "Severity")?
        .call1((s.name(),))
}

#[pymethods]
impl PyFinding {
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
    #[getter]
    fn message(&self) -> String {
        self.0.message.clone()
    }
    #[getter]
    fn remediation(&self) -> String {
        self.0.remediation.clone()
    }
    #[getter]
    fn location(&self) -> PyFindingLocation {
        PyFindingLocation(self.0.location.clone())
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
            PyFindingLocation(self.0.location.clone()).__str__(),
            self.0.severity,
            self.0.code,
            self.0.name(),
            self.0.message
        )
    }
    fn __repr__(&self) -> String {
        format!(
            "<Finding {} {} {} at {:?}>",
            self.0.code,
            self.0.name(),
            self.0.severity,
            PyFindingLocation(self.0.location.clone()).__str__()
        )
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &FindingData::from(&self.0))
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore::<FindingData>(state)?.into_core().map(Self)
    }
}

/// A finding as plain data, for pickling (the code and name are the registry's).
#[derive(Serialize, Deserialize)]
struct FindingData {
    code: String,
    severity: Severity,
    location: LocationData,
    kind: Option<String>,
    message: String,
    remediation: String,
    platform: Platform,
    suppressed: Option<(String, Option<String>)>,
}

#[derive(Serialize, Deserialize)]
struct LocationData {
    file: PathBuf,
    line: Option<u32>,
    context: Option<String>,
    user: Option<String>,
    cluster: Option<String>,
    entry: Option<String>,
    field: Option<String>,
}

impl From<&FindingLocation> for LocationData {
    fn from(l: &FindingLocation) -> Self {
        let l = l.clone();
        LocationData {
            file: l.file,
            line: l.line,
            context: l.context,
            user: l.user,
            cluster: l.cluster,
            entry: l.entry,
            field: l.field,
        }
    }
}

impl From<LocationData> for FindingLocation {
    fn from(l: LocationData) -> Self {
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
}

impl From<&Finding> for FindingData {
    fn from(f: &Finding) -> Self {
        FindingData {
            code: f.code.to_string(),
            severity: f.severity,
            location: LocationData::from(&f.location),
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
}

impl FindingData {
    fn into_core(self) -> PyResult<Finding> {
        let r = rule(&self.code)
            .ok_or_else(|| PyValueError::new_err(format!("unknown rule {}", self.code)))?;
        Ok(Finding {
            code: r.code,
            severity: self.severity,
            location: self.location.into(),
            kind: self.kind.as_deref().and_then(CredentialKind::from_name),
            message: self.message,
            remediation: self.remediation,
            platform: self.platform,
            suppressed: self
                .suppressed
                .map(|(reason, expires)| Suppressed { reason, expires }),
        })
    }
}

fn core_findings(findings: Vec<PyRef<'_, PyFinding>>) -> Vec<Finding> {
    findings.iter().map(|f| f.0.clone()).collect()
}

/// A document as the JSON text the Python API returns (pretty when `indent`).
pub(crate) fn json_text(doc: &serde_json::Value, indent: bool) -> PyResult<String> {
    let text = if indent {
        serde_json::to_string_pretty(doc)
    } else {
        serde_json::to_string(doc)
    };
    text.map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Loads a policy from a preset name (`baseline`, `strict`, `kubeadm`) or a file
/// (YAML, TOML or JSON; `extends` may name presets or other files).
#[pyfunction]
pub fn load_policy(py: Python<'_>, spec: PathBuf) -> PyResult<PyPolicy> {
    load_source(py, PolicySource::Spec(spec.to_string_lossy().into_owned()))
}

/// Parses a policy from text; `extends` may name presets only.
#[pyfunction]
#[pyo3(signature = (text, *, source="<string>"))]
pub fn parse_policy(py: Python<'_>, text: String, source: &str) -> PyResult<PyPolicy> {
    load_source(
        py,
        PolicySource::Text {
            text,
            source: source.to_owned(),
        },
    )
}

/// Evaluates `inventory` against `policy` (a `Policy`, a preset name or file
/// path; default `baseline`) at `now`, and returns every finding, suppressed
/// ones included (see `Finding.suppressed`).
#[pyfunction]
#[pyo3(signature = (inventory, policy=None, *, now=None))]
pub fn check(
    py: Python<'_>,
    inventory: PyRef<'_, PyInventory>,
    policy: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PyFinding>> {
    crate::errors::boundary(py, || {
        let now = instant(py, now)?;
        let policy: Policy = match policy {
            None => Policy::default(),
            Some(p) => match p.cast::<PyPolicy>() {
                Ok(p) => p.get().policy.clone(),
                Err(_) => load_policy(py, p.extract::<PathBuf>()?)?.policy,
            },
        };
        let inv = &inventory.inventory;
        let findings = py.detach(|| evaluate(inv, &policy, now));
        Ok(findings.into_iter().map(PyFinding).collect())
    })
}

/// The highest severity among findings that are not suppressed.
#[pyfunction]
pub fn worst_severity<'py>(
    py: Python<'py>,
    findings: Vec<PyRef<'py, PyFinding>>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    crate::errors::boundary(py, || {
        core_worst_severity(&core_findings(findings))
            .map(|s| severity(py, s))
            .transpose()
    })
}

/// The versioned findings JSON document (`kcred check --format json`).
#[pyfunction]
#[pyo3(signature = (findings, *, policy="baseline", now=None, indent=true))]
pub fn findings_json(
    py: Python<'_>,
    findings: Vec<PyRef<'_, PyFinding>>,
    policy: &str,
    now: Option<&Bound<'_, PyAny>>,
    indent: bool,
) -> PyResult<String> {
    crate::errors::boundary(py, || {
        let now = instant(py, now)?;
        json_text(
            &core_findings_json(&core_findings(findings), policy, now),
            indent,
        )
    })
}

/// SARIF 2.1.0 (`kcred check --format sarif`).
#[pyfunction]
#[pyo3(signature = (findings, *, indent=true))]
pub fn findings_sarif(
    py: Python<'_>,
    findings: Vec<PyRef<'_, PyFinding>>,
    indent: bool,
) -> PyResult<String> {
    crate::errors::boundary(py, || {
        json_text(&core_findings_sarif(&core_findings(findings)), indent)
    })
}

/// The findings table (`kcred check`).
#[pyfunction]
#[pyo3(signature = (findings, *, color=false))]
pub fn findings_table(
    py: Python<'_>,
    findings: Vec<PyRef<'_, PyFinding>>,
    color: bool,
) -> PyResult<String> {
    crate::errors::boundary(py, || {
        Ok(core_findings_table(&core_findings(findings), color))
    })
}

/// Prometheus text exposition of the inventory and findings (`kcred check --format prometheus`).
#[pyfunction]
#[pyo3(signature = (inventory, findings, *, now=None))]
pub fn prometheus_text(
    py: Python<'_>,
    inventory: PyRef<'_, PyInventory>,
    findings: Vec<PyRef<'_, PyFinding>>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    crate::errors::boundary(py, || {
        let now = instant(py, now)?;
        Ok(core_prometheus_text(
            &inventory.inventory,
            &core_findings(findings),
            now,
        ))
    })
}
