//! Every mapping from a core [`Error`] to Python lives here: the exception raised
//! (family by kind), the `Problem` objects of an inventory, and the plain-data
//! mirror that lets problems survive pickling.

use std::path::PathBuf;

use kcred_core::{Error, Location};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};
use serde::{Deserialize, Serialize};

use crate::convert;

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

#[pymethods]
impl PyProblem {
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
    fn location(&self) -> Option<crate::types::PyLocation> {
        self.0.location().cloned().map(crate::types::PyLocation)
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
    fn __repr__(&self) -> String {
        format!("<Problem {} {:?}>", self.0.kind(), self.0.to_string())
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let state = serde_json::to_string(&ErrorData::from_core(&self.0))
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok((py.get_type::<Self>().getattr("_from_json")?, (state,)))
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        let data: ErrorData = serde_json::from_str(state)
            .map_err(|e| PyValueError::new_err(convert::bad_state(&e)))?;
        Ok(PyProblem(data.into_core()))
    }
}

/// A core error as plain data, for pickling (the core serializes an error as its
/// kind, message and location only, which cannot be read back).
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ErrorData {
    Io {
        at: Location,
        reason: String,
    },
    MissingFile {
        at: Location,
        path: PathBuf,
    },
    NotRegularFile {
        at: Location,
    },
    TooLarge {
        at: Location,
        limit: u64,
    },
    Syntax {
        at: Location,
        reason: String,
    },
    NotUtf8 {
        at: Location,
    },
    DuplicateName {
        at: Location,
        what: String,
        name: String,
    },
    MissingReference {
        at: Location,
        what: String,
        name: String,
    },
    NotBase64 {
        at: Location,
    },
    NoCertificate {
        at: Location,
    },
    BadCertificate {
        at: Location,
        reason: String,
    },
    BadPrivateKey {
        at: Location,
        reason: String,
    },
    BadToken {
        at: Location,
        reason: String,
    },
    BadDocument {
        at: Location,
        what: String,
        reason: String,
    },
    BadTimestamp {
        at: Location,
    },
    BadPolicy {
        at: Location,
        reason: String,
    },
    NoKubeconfig {
        looked_at: Vec<PathBuf>,
    },
    LimitReached {
        at: Location,
        what: String,
        limit: u64,
    },
    OutOfRange {
        at: Location,
        what: String,
    },
    /// A variant this binding does not know yet: kept as its message.
    Other {
        at: Location,
        message: String,
    },
}

impl ErrorData {
    pub fn from_core(err: &Error) -> Self {
        use ErrorData as D;
        let e = err.clone();
        match e {
            Error::Io { at, reason } => D::Io { at, reason },
            Error::MissingFile { at, path } => D::MissingFile { at, path },
            Error::NotRegularFile { at } => D::NotRegularFile { at },
            Error::TooLarge { at, limit } => D::TooLarge { at, limit },
            Error::Syntax { at, reason } => D::Syntax { at, reason },
            Error::NotUtf8 { at } => D::NotUtf8 { at },
            Error::DuplicateName { at, kind, name } => D::DuplicateName {
                at,
                what: kind.into(),
                name,
            },
            Error::MissingReference { at, kind, name } => D::MissingReference {
                at,
                what: kind.into(),
                name,
            },
            Error::NotBase64 { at } => D::NotBase64 { at },
            Error::NoCertificate { at } => D::NoCertificate { at },
            Error::BadCertificate { at, reason } => D::BadCertificate { at, reason },
            Error::BadPrivateKey { at, reason } => D::BadPrivateKey { at, reason },
            Error::BadToken { at, reason } => D::BadToken { at, reason },
            Error::BadDocument { at, what, reason } => D::BadDocument {
                at,
                what: what.into(),
                reason,
            },
            Error::BadTimestamp { at } => D::BadTimestamp { at },
            Error::BadPolicy { at, reason } => D::BadPolicy { at, reason },
            Error::NoKubeconfig { looked_at } => D::NoKubeconfig { looked_at },
            Error::LimitReached { at, what, limit } => D::LimitReached { at, what, limit },
            Error::OutOfRange { at, what } => D::OutOfRange { at, what },
            other => D::Other {
                at: other.location().cloned().unwrap_or_default(),
                message: other.to_string(),
            },
        }
    }

    pub fn into_core(self) -> Error {
        use ErrorData as D;
        match self {
            D::Io { at, reason } => Error::Io { at, reason },
            D::MissingFile { at, path } => Error::MissingFile { at, path },
            D::NotRegularFile { at } => Error::NotRegularFile { at },
            D::TooLarge { at, limit } => Error::TooLarge { at, limit },
            D::Syntax { at, reason } => Error::Syntax { at, reason },
            D::NotUtf8 { at } => Error::NotUtf8 { at },
            D::DuplicateName { at, what, name } => Error::DuplicateName {
                at,
                kind: what.into(),
                name,
            },
            D::MissingReference { at, what, name } => Error::MissingReference {
                at,
                kind: what.into(),
                name,
            },
            D::NotBase64 { at } => Error::NotBase64 { at },
            D::NoCertificate { at } => Error::NoCertificate { at },
            D::BadCertificate { at, reason } => Error::BadCertificate { at, reason },
            D::BadPrivateKey { at, reason } => Error::BadPrivateKey { at, reason },
            D::BadToken { at, reason } => Error::BadToken { at, reason },
            D::BadDocument { at, what, reason } => Error::BadDocument {
                at,
                what: what.into(),
                reason,
            },
            D::BadTimestamp { at } => Error::BadTimestamp { at },
            D::BadPolicy { at, reason } => Error::BadPolicy { at, reason },
            D::NoKubeconfig { looked_at } => Error::NoKubeconfig { looked_at },
            D::LimitReached { at, what, limit } => Error::LimitReached { at, what, limit },
            D::OutOfRange { at, what } => Error::OutOfRange { at, what },
            D::Other { at, message } => Error::Syntax {
                at,
                reason: message,
            },
        }
    }
}
