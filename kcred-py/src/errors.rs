//! Every mapping from a core [`Error`] to Python lives here: the exception raised
//! (family by kind) and the `Problem` objects of an inventory (which pickle as
//! the core error's serde form).

use kcred_core::Error;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

use crate::class::class_methods;
use crate::types::PyLocation;

/// The Python exception class for a core error, by family.
fn family(kind: &str) -> &'static str {
    match kind {
        "io" | "missing-file" | "not-regular-file" | "too-large" | "limit-reached"
        | "no-kubeconfig" => "KcredIOError",
        "bad-policy" => "PolicyError",
        _ => "ParseError",
    }
}

fn exception_class<'py>(py: Python<'py>, name: &'static str) -> PyResult<&'py Bound<'py, PyType>> {
    static IO: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    static PARSE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    static POLICY: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    static BASE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let cell = match name {
        "KcredIOError" => &IO,
        "PolicyError" => &POLICY,
        "KcredError" => &BASE,
        _ => &PARSE,
    };
    cell.import(py, "kcred._types", name)
}

/// The exception for a core error: `KcredIOError`, `ParseError` or `PolicyError`
/// (all `KcredError`, a `ValueError`), with `.kind`, `.file`, `.entry`, `.field`,
/// `.line`. The message is the core's, which never quotes input bytes.
pub fn to_py(py: Python<'_>, err: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = exception_class(py, family(err.kind()))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", err.kind())?;
        if let Some(at) = err.location() {
            kwargs.set_item("file", at.file.to_string_lossy())?;
            kwargs.set_item("entry", at.entry.as_deref())?;
            kwargs.set_item("field", at.field.as_deref())?;
            kwargs.set_item("line", at.line)?;
        }
        let exc = cls.call((err.to_string(),), Some(&kwargs))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
}

/// The one boundary between Python and the core: every function and method that
/// calls the core runs in here. A Rust panic (a bug: the core returns typed
/// errors) becomes a `KcredError` of kind `internal` instead of pyo3's
/// `PanicException`, which is no `Exception` and would escape `except KcredError`.
/// The panic's message is not passed on: it may quote input bytes.
pub fn boundary<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(_) => Err(internal(py)),
    }
}

/// [`boundary`] around a call that takes the instant `now` (the clock when `None`).
pub fn boundary_at<T>(
    py: Python<'_>,
    now: Option<&Bound<'_, PyAny>>,
    f: impl FnOnce(time::OffsetDateTime) -> PyResult<T>,
) -> PyResult<T> {
    boundary(py, || f(crate::convert::instant(py, now)?))
}

/// `KcredError(kind="internal")`, for a panic caught at the [`boundary`].
fn internal(py: Python<'_>) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = exception_class(py, "KcredError")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", "internal")?;
        let message = "kcred hit an internal error (a bug; the input was not fully examined)";
        Ok(PyErr::from_value(cls.call((message,), Some(&kwargs))?))
    };
    build().unwrap_or_else(|e| e)
}

/// Reports a panic on stderr by its place in kcred's source only: the default
/// hook prints the panic message, which may quote input bytes (a secret).
/// Installed once, at import; it governs only this extension's Rust code.
pub fn quiet_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("kcred: internal error{at}; raised as KcredError(kind='internal')");
    }));
}

/// A naive `datetime` (or one whose `utcoffset()` is `None`) where an instant is needed.
pub fn naive_datetime(what: &str) -> PyErr {
    PyValueError::new_err(format!(
        "{what} must be a timezone-aware datetime (use datetime.timezone.utc); got a naive datetime"
    ))
}

/// A problem met while loading or decoding; the inventory lists it and goes on.
#[pyclass(frozen, eq, module = "kcred", name = "Problem")]
#[derive(Clone, PartialEq)]
pub struct PyProblem(pub Error);

class_methods! { PyProblem(Error) [], repr = |this| {
    format!("<Problem {} {:?}>", this.0.kind(), this.0.to_string())
}, {
    /// Stable short name of the problem (`not-base64`, `syntax`, `missing-file`...).
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind()
    }
    /// Full message, with the location in front.
    #[getter]
    fn message(&self) -> String {
        self.0.to_string()
    }
    #[getter]
    fn location(&self) -> Option<PyLocation> {
        self.0.location().cloned().map(PyLocation)
    }
    #[getter]
    fn file(&self) -> Option<String> {
        self.0
            .location()
            .map(|l| l.file.to_string_lossy().into_owned())
    }
    #[getter]
    fn entry(&self) -> Option<String> {
        self.0.location().and_then(|l| l.entry.clone())
    }
    #[getter]
    fn field(&self) -> Option<String> {
        self.0.location().and_then(|l| l.field.clone())
    }
    #[getter]
    fn line(&self) -> Option<u32> {
        self.0.location().and_then(|l| l.line)
    }
    /// The exception this problem would raise (`KcredIOError`, `ParseError`...).
    fn to_exception(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(to_py(py, &self.0).into_value(py).into_any())
    }
    fn __str__(&self) -> String {
        self.0.to_string()
    }
}}
