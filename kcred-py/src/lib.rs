//! `import kcred`: a thin Python binding over kcred-core. Each function converts
//! its arguments, calls the core with the GIL released, and converts back; all
//! decoding, merging and expiry logic stays in the core.
#![forbid(unsafe_code)]
// The error type is the core's (a `Location` in every variant); it is converted at once.
#![allow(clippy::result_large_err)]

mod class;
mod convert;
mod errors;
mod policy;
mod types;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use kcred_core::{
    decode_certificates as core_decode_certificates, decode_token as core_decode_token,
    kubeconfig_paths, load_inventory, parse_exec_credential as core_parse_exec_credential, Error,
    Limits, LoadedInventory, Location, Source,
};
use pyo3::prelude::*;

use crate::errors::PyProblem;
use crate::types::{
    PyCertificate, PyCluster, PyCredential, PyExecCredential, PyInventory, PyKeyInfo, PyLocation,
    PyServiceAccount, PyToken,
};

/// `$KUBECONFIG` and the home folder, read from `os.environ` at call time.
fn environment(py: Python<'_>) -> PyResult<(Option<OsString>, Option<PathBuf>)> {
    let os = py.import("os")?;
    let env: Option<OsString> = os
        .getattr("environ")?
        .call_method1("get", ("KUBECONFIG",))?
        .extract()?;
    let home: String = os
        .getattr("path")?
        .call_method1("expanduser", ("~",))?
        .extract()?;
    Ok((env, (home != "~").then(|| PathBuf::from(home))))
}

/// The candidate kubeconfig files from `$KUBECONFIG` and the home folder.
fn env_paths(py: Python<'_>) -> PyResult<Vec<PathBuf>> {
    let (env, home) = environment(py)?;
    Ok(kubeconfig_paths(env.as_deref(), home.as_deref()))
}

/// The core entry point, off the GIL: a run that read nothing raises its first
/// problem; `strict` raises the first problem of any run.
fn load_source(py: Python<'_>, source: Source, strict: bool) -> PyResult<PyInventory> {
    let loaded = py.detach(move || load_inventory(&source, &Limits::default()));
    let LoadedInventory {
        inventory, files, ..
    } = loaded.map_err(|e| errors::to_py(py, &e))?;
    match inventory.problems.first() {
        Some(first) if strict => Err(errors::to_py(py, first)),
        _ => Ok(PyInventory { inventory, files }),
    }
}

/// The kubeconfig files kubectl would read: `$KUBECONFIG` split on the path
/// separator, else `~/.kube/config`.
#[pyfunction]
fn default_paths(py: Python<'_>) -> PyResult<Vec<PathBuf>> {
    crate::errors::boundary(py, || env_paths(py))
}

/// Loads kubeconfig files and inventories their credentials.
///
/// `paths`: `None` for the default locations (merged as kubectl does), one path
/// (`str` or `os.PathLike`), or an iterable of paths (merged: the first file to
/// define a name wins). Files the kubeconfig references are read, never run.
#[pyfunction]
#[pyo3(signature = (paths=None, *, strict=false))]
fn load(py: Python<'_>, paths: Option<&Bound<'_, PyAny>>, strict: bool) -> PyResult<PyInventory> {
    crate::errors::boundary(py, || {
        let source = match paths {
            None => {
                let (kubeconfig, home) = environment(py)?;
                Source::Environment { kubeconfig, home }
            }
            Some(p) => match p.extract::<PathBuf>() {
                Ok(one) => Source::File(one),
                Err(_) => {
                    let mut all = Vec::new();
                    for item in p.try_iter()? {
                        all.push(item?.extract::<PathBuf>()?);
                    }
                    Source::Paths(all)
                }
            },
        };
        load_source(py, source, strict)
    })
}

/// Parses a kubeconfig from text or bytes (YAML or JSON) and inventories it.
///
/// `source` names the input in locations. Referenced files
/// (`client-certificate`, `tokenFile`...) are reported missing unless
/// `read_files` is true; relative ones are then read from the current folder.
#[pyfunction]
#[pyo3(signature = (data, *, source="<string>", read_files=false, strict=false))]
fn loads(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    source: &str,
    read_files: bool,
    strict: bool,
) -> PyResult<PyInventory> {
    crate::errors::boundary(py, || {
        let bytes = convert::bytes_of(data)?;
        let source = Source::Text {
            name: PathBuf::from(source),
            bytes,
            read_files,
        };
        load_source(py, source, strict)
    })
}

/// Bytes (or text) decoded by a core function off the GIL, at the [`errors::boundary`].
fn decode<T: Send>(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    source: &str,
    core: impl FnOnce(&[u8], &Location) -> Result<T, Error> + Send,
) -> PyResult<T> {
    crate::errors::boundary(py, || {
        let bytes = convert::bytes_of(data)?;
        let at = Location::file(Path::new(source));
        py.detach(move || core(&bytes, &at))
            .map_err(|e| errors::to_py(py, &e))
    })
}

/// Decodes every certificate in PEM text (in order), or one DER certificate.
#[pyfunction]
#[pyo3(signature = (data, *, source="<bytes>"))]
fn decode_certificates(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    source: &str,
) -> PyResult<Vec<PyCertificate>> {
    let certs = decode(py, data, source, core_decode_certificates)?;
    Ok(certs.into_iter().map(PyCertificate).collect())
}

/// Decodes a bearer token: JWT claims (signature never verified), service-account,
/// EKS, OpenShift, bootstrap or opaque. The result holds no token bytes.
#[pyfunction]
#[pyo3(signature = (token, *, source="<string>"))]
fn decode_token(py: Python<'_>, token: String, source: &str) -> PyResult<PyToken> {
    crate::errors::boundary(py, || {
        let at = Location::file(Path::new(source));
        py.detach(move || core_decode_token(&token, &at))
            .map(PyToken)
            .map_err(|e| errors::to_py(py, &e))
    })
}

/// Parses an ExecCredential JSON document (an exec plugin's output).
#[pyfunction]
#[pyo3(signature = (data, *, source="<string>"))]
fn parse_exec_credential(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    source: &str,
) -> PyResult<PyExecCredential> {
    decode(py, data, source, core_parse_exec_credential).map(PyExecCredential)
}

#[pymodule]
fn _kcred(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::quiet_panic_hook();
    m.add_function(wrap_pyfunction!(default_paths, m)?)?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(loads, m)?)?;
    m.add_function(wrap_pyfunction!(decode_certificates, m)?)?;
    m.add_function(wrap_pyfunction!(decode_token, m)?)?;
    m.add_function(wrap_pyfunction!(parse_exec_credential, m)?)?;
    m.add_class::<PyInventory>()?;
    m.add_class::<PyCredential>()?;
    m.add_class::<PyCluster>()?;
    m.add_class::<PyCertificate>()?;
    m.add_class::<PyKeyInfo>()?;
    m.add_class::<PyToken>()?;
    m.add_class::<PyServiceAccount>()?;
    m.add_class::<PyExecCredential>()?;
    m.add_class::<PyLocation>()?;
    m.add_class::<PyProblem>()?;
    m.add_function(wrap_pyfunction!(policy::load_policy, m)?)?;
    m.add_function(wrap_pyfunction!(policy::parse_policy, m)?)?;
    m.add_function(wrap_pyfunction!(policy::check, m)?)?;
    m.add_function(wrap_pyfunction!(policy::worst_severity, m)?)?;
    m.add_function(wrap_pyfunction!(policy::findings_json, m)?)?;
    m.add_function(wrap_pyfunction!(policy::findings_sarif, m)?)?;
    m.add_function(wrap_pyfunction!(policy::findings_table, m)?)?;
    m.add_function(wrap_pyfunction!(policy::prometheus_text, m)?)?;
    m.add_class::<policy::PyPolicy>()?;
    m.add_class::<policy::PyFinding>()?;
    m.add_class::<policy::PyFindingLocation>()?;
    m.add(
        "PRESETS",
        pyo3::types::PyTuple::new(m.py(), kcred_core::PRESETS)?,
    )?;
    m.add("FINDINGS_SCHEMA", kcred_core::FINDINGS_SCHEMA)?;
    m.add("INVENTORY_SCHEMA", kcred_core::INVENTORY_SCHEMA)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
