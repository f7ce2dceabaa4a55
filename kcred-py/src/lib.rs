//! `import kcred`: a thin Python binding over kcred-core. Each function converts
//! its arguments, calls the core with the GIL released, and converts back; all
//! decoding, merging and expiry logic stays in the core.
#![forbid(unsafe_code)]
// The error type is the core's (a `Location` in every variant); it is converted at once.
#![allow(clippy::result_large_err)]

mod class;
mod convert;
mod errors;
mod json;
mod policy;
mod rbac;
mod reports;
mod types;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use kcred_core::{
    decode_certificates as core_decode_certificates, decode_token as core_decode_token,
    kubeconfig_paths, load_inventory, parse_exec_credential as core_parse_exec_credential, Error,
    Limits, LoadedInventory, Location, Source,
};
use pyo3::prelude::*;

use crate::errors::PyProblem;
use crate::rbac::Rbac;
use crate::types::{
    PyCertificate, PyCluster, PyCredential, PyExecCredential, PyInventory, PyKeyInfo, PyLocation,
    PyServiceAccount, PyToken,
};

/// `$KUBECONFIG` and the home folder, read from `os.environ` at call time.
pub(crate) fn environment(py: Python<'_>) -> PyResult<(Option<OsString>, Option<PathBuf>)> {
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
/// The RBAC snapshots give each record its rights (`rbac=`, `oidc=`).
fn load_source(py: Python<'_>, source: Source, strict: bool, rbac: Rbac) -> PyResult<PyInventory> {
    let loaded = py.detach(move || load_inventory(&source, &Limits::default()));
    let LoadedInventory {
        mut inventory,
        files,
        ..
    } = loaded.map_err(|e| errors::to_py(py, &e))?;
    rbac.attach(py, &mut inventory)?;
    match inventory.problems.first() {
        Some(first) if strict => Err(errors::to_py(py, first)),
        _ => Ok(PyInventory { inventory, files }),
    }
}

/// `load` and `loads`: the source, then [`load_source`], at the [`errors::boundary`].
fn load_with(
    py: Python<'_>,
    strict: bool,
    rbac: PyResult<Rbac>,
    source: impl FnOnce() -> PyResult<Source>,
) -> PyResult<PyInventory> {
    crate::errors::boundary(py, || load_source(py, source()?, strict, rbac?))
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
/// `rbac`: RBAC snapshot files or folders (a path or paths) that give each
/// credential its `privileges`; `oidc`: the cluster's OIDC claim settings
/// (`username_claim`, `groups_claim`, `username_prefix`, `groups_prefix`).
#[pyfunction]
#[pyo3(signature = (paths=None, *, strict=false, rbac=None, oidc=None))]
fn load(
    py: Python<'_>,
    paths: Option<&Bound<'_, PyAny>>,
    strict: bool,
    rbac: Option<&Bound<'_, PyAny>>,
    oidc: Option<HashMap<String, Option<String>>>,
) -> PyResult<PyInventory> {
    load_with(py, strict, Rbac::from_args(rbac, oidc), || {
        Ok(match paths {
            None => {
                let (kubeconfig, home) = environment(py)?;
                Source::Environment { kubeconfig, home }
            }
            Some(p) => match p.extract::<PathBuf>() {
                Ok(one) => Source::File(one),
                Err(_) => Source::Paths(convert::paths(p)?),
            },
        })
    })
}

/// Parses a kubeconfig from text or bytes (YAML or JSON) and inventories it.
///
/// `source` names the input in locations. Referenced files
/// (`client-certificate`, `tokenFile`...) are reported missing unless
/// `read_files` is true; relative ones are then read from the current folder.
/// `rbac` and `oidc` as for `load`.
#[pyfunction]
#[pyo3(signature = (data, *, source="<string>", read_files=false, strict=false, rbac=None, oidc=None))]
fn loads(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    source: &str,
    read_files: bool,
    strict: bool,
    rbac: Option<&Bound<'_, PyAny>>,
    oidc: Option<HashMap<String, Option<String>>>,
) -> PyResult<PyInventory> {
    load_with(py, strict, Rbac::from_args(rbac, oidc), || {
        Ok(Source::Text {
            name: PathBuf::from(source),
            bytes: convert::bytes_of(data)?,
            read_files,
        })
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

/// A `#[pyfunction]` `$name(data, *, source=$source)`: bytes or text decoded
/// by the core function `$core` off the GIL ([`decode`]), then `$wrap`ped.
macro_rules! decoder {
    ($(#[$doc:meta])* $name:ident($source:tt) -> $out:ty = $core:path, $wrap:expr) => {
        $(#[$doc])*
        #[pyfunction]
        #[pyo3(signature = (data, *, source=$source))]
        fn $name(py: Python<'_>, data: &Bound<'_, PyAny>, source: &str) -> PyResult<$out> {
            decode(py, data, source, $core).map($wrap)
        }
    };
}

decoder! {
    /// Decodes every certificate in PEM text (in order), or one DER certificate.
    decode_certificates("<bytes>") -> Vec<PyCertificate> = core_decode_certificates,
    |certs: Vec<_>| certs.into_iter().map(PyCertificate).collect()
}

decoder! {
    /// Parses an ExecCredential JSON document (an exec plugin's output).
    parse_exec_credential("<string>") -> PyExecCredential = core_parse_exec_credential,
    PyExecCredential
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

/// Runs the `kcred` command line (the same code as the `kcred` binary) on
/// `argv` (without the program name), writing to the process's standard
/// output and error, and returns its exit code. The GIL is released meanwhile.
#[pyfunction]
fn _main(py: Python<'_>, argv: Vec<OsString>) -> PyResult<u8> {
    // What Python buffered goes out before the command line writes.
    for stream in ["stdout", "stderr"] {
        py.import("sys")?.getattr(stream)?.call_method0("flush")?;
    }
    let argv = std::iter::once(OsString::from("kcred")).chain(argv);
    Ok(py.detach(move || kcred::main(argv)))
}

#[pymodule]
fn _kcred(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::quiet_panic_hook();
    m.add_function(wrap_pyfunction!(_main, m)?)?;
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
    m.add_function(wrap_pyfunction!(reports::exposure::exposure, m)?)?;
    m.add_function(wrap_pyfunction!(reports::scan::scan, m)?)?;
    m.add_function(wrap_pyfunction!(reports::pki::pki, m)?)?;
    m.add_class::<reports::PyExposure>()?;
    m.add_class::<reports::PyScan>()?;
    m.add_class::<reports::PyPki>()?;
    m.add_class::<reports::PyContextExposure>()?;
    m.add_class::<reports::PyExposedCredential>()?;
    m.add_class::<reports::PyUntil>()?;
    m.add_class::<reports::PyCacheEntry>()?;
    m.add_class::<reports::PyFileWarning>()?;
    m.add_class::<reports::PyScanCredential>()?;
    m.add_class::<reports::PySkipped>()?;
    m.add_class::<reports::PyUnreadable>()?;
    m.add_class::<reports::PyPkiEntry>()?;
    m.add_class::<rbac::PyPrivileges>()?;
    m.add_class::<rbac::PyReach>()?;
    m.add_class::<rbac::PyMintPath>()?;
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
    m.add("EXPOSURE_SCHEMA", kcred_core::EXPOSURE_SCHEMA)?;
    m.add("SCAN_SCHEMA", kcred_core::SCAN_SCHEMA)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
