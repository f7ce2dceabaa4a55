//! Every mapping from a core [`Error`] to Python lives here: the exception raised
//! (family by kind) and the `Problem` objects of an inventory (which pickle as
//! the core error's serde form).

use std::path::PathBuf;

use kcred_core::Error;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

use crate::class::class_methods;
use crate::types::PyLocation;

/// `ENOENT`, `EPERM`, `EACCES`, `EISDIR`: the causes with an `OSError` subclass.
const ENOENT: i32 = 2;
const EPERM: i32 = 1;
const EACCES: i32 = 13;
const EISDIR: i32 = 21;

/// The errno of a cause the core names (it says causes in words, not numbers).
fn errno_of(cause: std::io::ErrorKind) -> Option<i32> {
    use std::io::ErrorKind as K;
    match cause {
        K::NotFound => Some(ENOENT),
        K::PermissionDenied => Some(EACCES),
        K::IsADirectory => Some(EISDIR),
        _ => None,
    }
}

/// What the exception says about an error that is an `OSError`: its errno
/// (when the cause is known) and the file it names.
struct OsFacts {
    errno: Option<i32>,
    filename: Option<PathBuf>,
}

fn os_facts(err: &Error) -> OsFacts {
    let at_file = || err.location().map(|at| at.file.clone());
    let (errno, filename) = match err {
        Error::MissingFile { path, .. } => (Some(ENOENT), Some(path.clone())),
        Error::NotRegularFile { at } => (at.file.is_dir().then_some(EISDIR), at_file()),
        Error::NoKubeconfig { looked_at } => (Some(ENOENT), looked_at.first().cloned()),
        _ => (err.io_cause().and_then(errno_of), at_file()),
    };
    OsFacts { errno, filename }
}

/// The Python exception class for a core error: by family, and for a file
/// that cannot be read, by its cause (`FileNotFoundError`...).
fn class_name(err: &Error, errno: Option<i32>) -> &'static str {
    match err.kind() {
        "io" | "missing-file" | "not-regular-file" | "too-large" | "limit-reached"
        | "no-kubeconfig" => match errno {
            Some(ENOENT) => "KcredFileNotFoundError",
            Some(EPERM | EACCES) => "KcredPermissionError",
            Some(EISDIR) => "KcredIsADirectoryError",
            _ => "KcredIOError",
        },
        "bad-policy" => "PolicyError",
        _ => "ParseError",
    }
}

/// The exception classes, imported once each from `kcred._types`.
fn exception_class<'py>(py: Python<'py>, name: &'static str) -> PyResult<&'py Bound<'py, PyType>> {
    const NAMES: [&str; 7] = [
        "KcredError",
        "ParseError",
        "PolicyError",
        "KcredIOError",
        "KcredFileNotFoundError",
        "KcredPermissionError",
        "KcredIsADirectoryError",
    ];
    static CLASSES: [PyOnceLock<Py<PyType>>; 7] = [const { PyOnceLock::new() }; 7];
    let i = NAMES.iter().position(|n| *n == name).unwrap_or(0);
    CLASSES[i].import(py, "kcred._types", NAMES[i])
}

/// The message of an error: the core's (which says causes in words, with no
/// `(os error N)`).
pub fn message(err: &Error) -> String {
    err.to_string()
}

/// The exception for a core error: `KcredIOError` (and `FileNotFoundError`,
/// `PermissionError` or `IsADirectoryError` as the cause says, with `errno`
/// and `filename`), `ParseError` or `PolicyError` (all `KcredError`, a
/// `ValueError`), with `.kind`, `.file`, `.entry`, `.field`, `.line`. The
/// message is the core's, which never quotes input bytes.
pub fn to_py(py: Python<'_>, err: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let os = os_facts(err);
        let name = class_name(err, os.errno);
        let cls = exception_class(py, name)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", err.kind())?;
        if let Some(at) = err.location() {
            kwargs.set_item("file", at.file.to_string_lossy())?;
            kwargs.set_item("entry", at.entry.as_deref())?;
            kwargs.set_item("field", at.field.as_deref())?;
            kwargs.set_item("line", at.line)?;
        }
        if name.starts_with("Kcred") {
            kwargs.set_item("errno", os.errno)?;
            kwargs.set_item(
                "filename",
                os.filename.map(|f| f.to_string_lossy().into_owned()),
            )?;
        }
        let exc = cls.call((message(err),), Some(&kwargs))?;
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

class_methods! {
/// A problem met while loading or decoding; the inventory lists it and goes on.
pub struct PyProblem(Error) = "Problem";
[eq], repr = |this| {
    format!("<Problem {} {:?}>", this.0.kind(), message(&this.0))
}, {
    /// Stable short name of the problem (`not-base64`, `syntax`, `missing-file`...).
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind()
    }
    /// Full message, with the location in front.
    #[getter]
    fn message(&self) -> String {
        message(&self.0)
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
        message(&self.0)
    }
}}
