//! `Cluster` and `Inventory`: what loading found, with the problems met.

use std::borrow::Cow;
use std::path::PathBuf;

use kcred_core::{ClusterRecord, Error, Inventory};
use pyo3::prelude::*;
use pyo3::types::{PyIterator, PyTuple};
use serde::{Deserialize, Serialize};

use super::{source_file, PyCertificate, PyCredential, PyLocation};
use crate::class::{class_methods, Class};
use crate::convert;
use crate::errors::{boundary_at, PyProblem};

class_methods! {
/// A cluster entry and its trust settings.
pub struct PyCluster(ClusterRecord) = "Cluster";
[eq], repr = |this| {
    format!(
        "<Cluster name={:?} server={:?} ca_not_after={}>",
        this.0.name,
        this.0.server.as_deref().unwrap_or(""),
        convert::rfc3339(this.0.ca.first().and_then(|c| c.validity.not_after))
    )
}, fields {
    name: String,
    server: Option<String>,
    insecure_skip_tls_verify: bool,
}, tuples {
    contexts,
}, wraps {
    location: PyLocation,
}, {
    /// The file the CA was read from (`None` when inline or absent).
    #[getter]
    fn ca_source_file(&self) -> Option<PathBuf> {
        self.0.ca_source.as_ref().and_then(source_file)
    }
    /// The CA certificates, first one first.
    #[getter]
    fn ca<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.0.ca.iter().cloned().map(PyCertificate))
    }
}}

/// Everything found: credentials, clusters, problems, and the files read.
#[pyclass(frozen, module = "kcred", name = "Inventory")]
pub struct PyInventory {
    pub inventory: Inventory,
    pub files: Vec<PathBuf>,
}

/// What a pickled inventory holds. The problems go beside the inventory, whose
/// `Deserialize` does not read them back (see `Inventory::problems`).
#[derive(Clone, Serialize, Deserialize)]
pub struct InventoryState {
    inventory: Inventory,
    problems: Vec<Error>,
    files: Vec<PathBuf>,
}

impl Class for PyInventory {
    type State = InventoryState;
    fn state(&self) -> Cow<'_, InventoryState> {
        Cow::Owned(InventoryState {
            inventory: Inventory {
                problems: Vec::new(),
                ..self.inventory.clone()
            },
            problems: self.inventory.problems.clone(),
            files: self.files.clone(),
        })
    }
    fn from_state(_: Python<'_>, state: InventoryState) -> PyResult<Self> {
        let InventoryState {
            mut inventory,
            problems,
            files,
        } = state;
        inventory.problems = problems;
        Ok(PyInventory { inventory, files })
    }
}

class_methods! { PyInventory [eq], repr = |this| {
    let n = |count: usize, what: &str| {
        format!("{count} {what}{}", if count == 1 { "" } else { "s" })
    };
    format!(
        "<Inventory {}, {}, {} from {}>",
        n(this.inventory.credentials.len(), "credential"),
        n(this.inventory.clusters.len(), "cluster"),
        n(this.inventory.problems.len(), "problem"),
        n(this.files.len(), "file")
    )
}, {
    #[getter]
    fn credentials<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let credentials = self.inventory.credentials.iter().cloned();
        PyTuple::new(py, credentials.map(PyCredential))
    }
    #[getter]
    fn clusters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inventory.clusters.iter().cloned().map(PyCluster))
    }
    /// Problems met on the way; the rest of the input is still inventoried.
    #[getter]
    fn problems<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inventory.problems.iter().cloned().map(PyProblem))
    }
    /// The kubeconfig files read, in order (empty for text).
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.files)
    }
    /// `current-context` as written (`None` when unset), even when it names no
    /// context (then also a problem).
    #[getter]
    fn current_context(&self) -> Option<String> {
        self.inventory.current_context.clone()
    }
    /// The context entries as `(name, cluster, user, namespace)`, in file order.
    #[getter]
    fn contexts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let rows = self.inventory.contexts.iter().map(|c| {
            (
                c.name.clone(),
                c.cluster.clone(),
                c.user.clone(),
                c.namespace.clone(),
            )
        });
        PyTuple::new(py, rows)
    }
    fn __len__(&self) -> usize {
        self.inventory.credentials.len()
    }
    /// A credential by index, or a tuple of them by slice.
    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.credentials(py)?.as_any().get_item(index)
    }
    /// Iterates over the credentials.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        self.credentials(py)?.try_iter()
    }
    /// The versioned JSON document of `kcred inspect --format json`, at `now`.
    #[pyo3(signature = (now=None, *, indent=true))]
    fn to_json(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
        indent: bool,
    ) -> PyResult<String> {
        boundary_at(py, now, |now| {
            let mut doc = kcred_core::inventory_json(&self.inventory, now);
            doc["files"] = serde_json::json!(self.files);
            crate::policy::json_text(&doc, indent)
        })
    }
    /// The table of `kcred inspect`, at `now`.
    #[pyo3(signature = (now=None, *, color=false))]
    fn to_table(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
        color: bool,
    ) -> PyResult<String> {
        boundary_at(py, now, |now| {
            Ok(kcred_core::inventory_table(&self.inventory, now, color, None))
        })
    }
}}
