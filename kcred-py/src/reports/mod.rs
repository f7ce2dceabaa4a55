//! `exposure`, `scan` and `pki`: the core computes each report (off the GIL);
//! the Python objects read the report's JSON document, so they hold the same
//! facts as `kcred exposure|scan|pki --format json`, and render the same table.

pub mod exposure;
mod parts;
pub mod pki;
pub mod scan;

use kcred_core::Finding;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use exposure::PyExposure;
pub use parts::{
    PyCacheEntry, PyContextExposure, PyExposedCredential, PyFileWarning, PyPkiEntry,
    PyScanCredential, PySkipped, PyUnreadable, PyUntil,
};
pub use pki::PyPki;
pub use scan::PyScan;

use crate::policy::PyFinding;

/// What a report object holds (and a pickle): the JSON document, the table
/// text and the policy's findings, all computed once by the core.
#[derive(Clone, Serialize, Deserialize)]
pub struct Report {
    document: Value,
    table: String,
    findings: Vec<Finding>,
}

impl crate::json::Doc for Report {
    fn doc(&self) -> &Value {
        &self.document
    }
}

impl Report {
    /// `to_json`: the document's text.
    fn json(&self, indent: bool) -> PyResult<String> {
        crate::policy::json_text(&self.document, indent)
    }

    /// `len()`: the items of the document's list `key`.
    fn count(&self, key: &str) -> usize {
        self.document[key].as_array().map_or(0, Vec::len)
    }

    /// A report of `document` with the table `table` and the findings
    /// `findings` (their document added under `findings` when a policy ran).
    fn new(
        mut document: Value,
        table: String,
        findings: Option<(Vec<Finding>, &kcred_core::Policy)>,
        now: time::OffsetDateTime,
    ) -> Self {
        let (findings, table) = match findings {
            Some((findings, policy)) => {
                document["findings"] = kcred_core::findings_json(&findings, &policy.name, now);
                let table = format!("{table}\n{}", kcred_core::findings_table(&findings, false));
                (findings, table)
            }
            None => (Vec::new(), table),
        };
        Report {
            document,
            table,
            findings,
        }
    }

    /// `findings`: the policy's findings (suppressed ones included).
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.findings.iter().cloned().map(PyFinding))
    }
}

/// A report class: [`json_class!`](crate::json::json_class) over a [`Report`]
/// (its getters read the document) with the methods every report has, which
/// pickles as its [`Report`] and whose `to_dict` is its JSON document.
macro_rules! report_class {
    (
        $(#[$meta:meta])* $class:ident $name:literal, len = $len:literal,
        repr = |$this:ident| $repr:expr, { $($fields:tt)* }
    ) => {
        $crate::json::json_class! {
            $(#[$meta])* $class($crate::reports::Report) $name, repr = |$this| $repr, { $($fields)* }, {
                /// The policy's findings (suppressed ones included).
                #[getter]
                fn findings<'py>(
                    &self,
                    py: ::pyo3::Python<'py>,
                ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::types::PyTuple>> {
                    self.0.findings(py)
                }
                fn __len__(&self) -> usize {
                    self.0.count($len)
                }
                /// The JSON document the command line writes (`--format json`).
                #[pyo3(signature = (*, indent=true))]
                fn to_json(&self, indent: bool) -> ::pyo3::PyResult<String> {
                    self.0.json(indent)
                }
                /// The table the command line writes, then the findings.
                fn to_table(&self) -> String {
                    self.0.table.clone()
                }
            }
        }

        $crate::class::pickles_as_field!($class($crate::reports::Report), dict = |this| {
            this.0.document.clone()
        });
    };
}
use report_class;
