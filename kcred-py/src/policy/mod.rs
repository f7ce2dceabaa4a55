//! The policy engine: policies (preset, file, text), `check` into findings, and
//! the findings renderers. Evaluation and rendering are the core's.

mod finding;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use kcred_core::{
    evaluate, findings_json as core_findings_json, findings_sarif as core_findings_sarif,
    findings_table as core_findings_table, load_policy as core_load_policy,
    parse_policy as core_parse_policy, prometheus_text as core_prometheus_text,
    worst_severity as core_worst_severity, Finding, Policy,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde::{Deserialize, Serialize};

pub use finding::{PyFinding, PyFindingLocation};

use crate::class::{class_methods, Class};
use crate::errors::{self, boundary_at};
use crate::types::PyInventory;

/// Where a policy came from, so a pickled policy can be loaded again.
#[derive(Clone, Serialize, Deserialize)]
pub enum PolicySource {
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

impl Class for PyPolicy {
    type State = PolicySource;
    fn state(&self) -> Cow<'_, PolicySource> {
        Cow::Borrowed(&self.source)
    }
    fn from_state(py: Python<'_>, source: PolicySource) -> PyResult<Self> {
        load_source(py, source)
    }
}

class_methods! { PyPolicy [], repr = |this| {
    format!(
        "<Policy {:?} {} rules on, {} suppressions>",
        this.policy.name,
        this.enabled_rules().len(),
        this.policy.suppressions.len()
    )
}, {
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
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| self.policy == o.get().policy)
    }
}}

/// The findings a function takes: a sequence of `Finding`, as core findings.
pub struct Findings(Vec<Finding>);

impl<'a, 'py> FromPyObject<'a, 'py> for Findings {
    type Error = PyErr;
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let findings: Vec<PyRef<'py, PyFinding>> = obj.extract()?;
        Ok(Findings(findings.iter().map(|f| f.0.clone()).collect()))
    }
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

/// A `policy=` argument: a `Policy`, a preset name or file path, or `None`
/// for `baseline`.
pub fn resolve(py: Python<'_>, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Policy> {
    Ok(match policy {
        None => Policy::default(),
        Some(p) => match p.cast::<PyPolicy>() {
            Ok(p) => p.get().policy.clone(),
            Err(_) => load_policy(py, p.extract::<PathBuf>()?)?.policy,
        },
    })
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
    boundary_at(py, now, |now| {
        let policy = resolve(py, policy)?;
        let inv = &inventory.inventory;
        let findings = py.detach(|| evaluate(inv, &policy, now));
        Ok(findings.into_iter().map(PyFinding).collect())
    })
}

/// The highest severity among findings that are not suppressed.
#[pyfunction]
pub fn worst_severity<'py>(
    py: Python<'py>,
    findings: Findings,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    crate::errors::boundary(py, || {
        core_worst_severity(&findings.0)
            .map(|s| finding::severity(py, s))
            .transpose()
    })
}

/// The versioned findings JSON document (`kcred check --format json`).
#[pyfunction]
#[pyo3(signature = (findings, *, policy="baseline", now=None, indent=true))]
pub fn findings_json(
    py: Python<'_>,
    findings: Findings,
    policy: &str,
    now: Option<&Bound<'_, PyAny>>,
    indent: bool,
) -> PyResult<String> {
    boundary_at(py, now, |now| {
        json_text(&core_findings_json(&findings.0, policy, now), indent)
    })
}

/// SARIF 2.1.0 (`kcred check --format sarif`).
#[pyfunction]
#[pyo3(signature = (findings, *, indent=true))]
pub fn findings_sarif(py: Python<'_>, findings: Findings, indent: bool) -> PyResult<String> {
    crate::errors::boundary(py, || {
        json_text(&core_findings_sarif(&findings.0, None), indent)
    })
}

/// The findings table (`kcred check`).
#[pyfunction]
#[pyo3(signature = (findings, *, color=false))]
pub fn findings_table(py: Python<'_>, findings: Findings, color: bool) -> PyResult<String> {
    crate::errors::boundary(py, || Ok(core_findings_table(&findings.0, color)))
}

/// Prometheus text exposition of the inventory and findings (`kcred check --format prometheus`).
#[pyfunction]
#[pyo3(signature = (inventory, findings, *, now=None))]
pub fn prometheus_text(
    py: Python<'_>,
    inventory: PyRef<'_, PyInventory>,
    findings: Findings,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    boundary_at(py, now, |now| {
        Ok(core_prometheus_text(&inventory.inventory, &findings.0, now))
    })
}
