//! Conversions between Python values and core values: instants, JSON values,
//! the `Status`/`Kind` enums, bytes.

use kcred_core::ExpiryStatus;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyByteArray, PyBytes, PyDateTime, PyDict, PyList, PyMemoryView, PyType, PyTzInfo,
};
use serde_json::Value;
use time::{OffsetDateTime, UtcDateTime};

use crate::errors;

/// `now` for a core call: the clock when `None`, else an aware datetime (any zone,
/// converted to UTC). A naive datetime is a `ValueError`.
pub fn instant(py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<OffsetDateTime> {
    let Some(now) = now else {
        return Ok(OffsetDateTime::now_utc());
    };
    let dt = now
        .cast::<PyDateTime>()
        .map_err(|_| pyo3::exceptions::PyTypeError::new_err("now must be a datetime or None"))?;
    if dt.call_method0("utcoffset")?.is_none() {
        return Err(errors::naive_datetime("now"));
    }
    let utc = dt.call_method1("astimezone", (PyTzInfo::utc(py)?,))?;
    utc.extract::<OffsetDateTime>()
}

/// An instant as an aware UTC `datetime`; `None` for one with no UTC date (only
/// an unpickled state can hold one: `UtcDateTime::from` would panic on it).
pub fn utc(t: Option<OffsetDateTime>) -> Option<UtcDateTime> {
    t.and_then(|t| t.checked_to_offset(time::UtcOffset::UTC))
        .map(UtcDateTime::from)
}

/// RFC 3339 text of an instant, for `repr`.
pub fn rfc3339(t: Option<OffsetDateTime>) -> String {
    t.and_then(|t| {
        t.format(&time::format_description::well_known::Rfc3339)
            .ok()
    })
    .unwrap_or_else(|| "None".to_owned())
}

/// A JSON value as Python `dict`/`list`/`str`/`int`/`float`/`bool`/`None`.
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A member of `kcred.Status` for a core status.
pub fn status<'py>(py: Python<'py>, s: &ExpiryStatus) -> PyResult<Bound<'py, PyAny>> {
    static STATUS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    STATUS
        .import(py, "kcred._types", "Status")?
        .call1((s.name(),))
}

/// A member of `kcred.Kind` for a credential kind name.
pub fn kind<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    static KIND: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    KIND.import(py, "kcred._types", "Kind")?.call1((name,))
}

/// Bytes from `str` (UTF-8) or a bytes-like object.
pub fn bytes_of(data: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(text) = data.extract::<String>() {
        return Ok(text.into_bytes());
    }
    if let Ok(bytes) = data.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    // bytearray and memoryview (bytes(42) would make 42 zero bytes: not accepted)
    let py = data.py();
    if !(data.is_instance_of::<PyByteArray>() || data.is_instance_of::<PyMemoryView>()) {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "expected str, bytes, bytearray or memoryview",
        ));
    }
    let bytes = py.get_type::<PyBytes>().call1((data,))?;
    Ok(bytes.cast::<PyBytes>()?.as_bytes().to_vec())
}

/// One path (`str` or `os.PathLike`) or an iterable of paths.
pub fn paths(p: &Bound<'_, PyAny>) -> PyResult<Vec<std::path::PathBuf>> {
    if let Ok(one) = p.extract::<std::path::PathBuf>() {
        return Ok(vec![one]);
    }
    let mut all = Vec::new();
    for item in p.try_iter()? {
        all.push(item?.extract()?);
    }
    Ok(all)
}
