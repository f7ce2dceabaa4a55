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

    /// `findings`: the policy's findings (suppressed ones included).
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.findings.iter().cloned().map(PyFinding))
    }
}

/// The `Class` of a report object: pickles as its [`Report`], and `to_dict`
/// is its JSON document.
macro_rules! report_class {
    ($class:ident) => {
        impl $crate::class::Class for $class {
            type State = $crate::reports::Report;
            fn state(&self) -> ::std::borrow::Cow<'_, $crate::reports::Report> {
                ::std::borrow::Cow::Borrowed(&self.0)
            }
            fn from_state(
                _: ::pyo3::Python<'_>,
                state: $crate::reports::Report,
            ) -> ::pyo3::PyResult<Self> {
                Ok(Self(state))
            }
            fn dict(&self) -> ::serde_json::Value {
                self.0.document.clone()
            }
        }
    };
}
use report_class;
