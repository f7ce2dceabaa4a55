//! Classes read from a core document's JSON (the exposure, scan and PKI
//! reports): each wraps the JSON value the core wrote, so its facts are the
//! JSON document's, and [`json_class!`] writes its getters, one [`Field`] kind
//! each.

use std::marker::PhantomData;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pyo3::PyClass;
use serde_json::Value;
use time::{OffsetDateTime, UtcDateTime};

use crate::convert::utc;

/// The JSON document a class reads its getters from.
pub trait Doc {
    /// The document.
    fn doc(&self) -> &Value;
}

impl Doc for Value {
    fn doc(&self) -> &Value {
        self
    }
}

/// A class built from one JSON value.
pub trait FromJson: PyClass + Into<pyo3::PyClassInitializer<Self>> {
    /// The object for `value`.
    fn from_json(value: &Value) -> PyResult<Self>;
}

/// How a getter turns its JSON value into Python.
pub trait Field {
    /// The Python value of `value`.
    fn get<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>>;
}

/// Scalars as themselves, arrays as tuples, objects as dicts.
pub struct Plain;
/// RFC 3339 text as an aware UTC `datetime` (`None` for null).
pub struct Time;
/// An object as the class `T` (`None` for null).
pub struct One<T>(PhantomData<T>);
/// An array of objects as a tuple of `T`.
pub struct Many<T>(PhantomData<T>);

impl Field for Plain {
    fn get<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
        match value {
            Value::Array(items) => {
                let items: Vec<_> = items
                    .iter()
                    .map(|v| Plain::get(py, v))
                    .collect::<PyResult<_>>()?;
                Ok(PyTuple::new(py, items)?.into_any())
            }
            Value::Object(map) => {
                let dict = PyDict::new(py);
                for (k, v) in map {
                    dict.set_item(k, Plain::get(py, v)?)?;
                }
                Ok(dict.into_any())
            }
            other => crate::convert::json_to_py(py, other),
        }
    }
}

impl Field for Time {
    fn get<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
        let at = value.as_str().and_then(|text| {
            OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
        });
        let at: Option<UtcDateTime> = utc(at);
        Ok(at.into_pyobject(py)?.into_any())
    }
}

impl<T: FromJson> Field for One<T> {
    fn get<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
        if value.is_null() {
            return Ok(py.None().into_bound(py));
        }
        Ok(Bound::new(py, T::from_json(value)?)?.into_any())
    }
}

impl<T: FromJson> Field for Many<T> {
    fn get<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
        let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
        let objects = items
            .iter()
            .map(|v| Bound::new(py, T::from_json(v)?))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyTuple::new(py, objects)?.into_any())
    }
}

/// The value at `key` of a document (null when absent).
pub fn at<'a>(doc: &'a Value, key: &str) -> &'a Value {
    doc.get(key).unwrap_or(&Value::Null)
}

/// A core value read back from its JSON form; an unexpected shape is a `ValueError`.
pub fn core<T: serde::de::DeserializeOwned>(value: &Value) -> PyResult<T> {
    serde_json::from_value(value.clone())
        .map_err(|_| pyo3::exceptions::PyValueError::new_err("kcred: unexpected document shape"))
}

/// `#[pyclass]` `$class($state)` named `$name`, whose getters read the fields
/// of its JSON document ([`Doc`]), each by its [`Field`] kind (the key is the
/// getter's name unless given as `= "key"`), plus the methods of `class_methods!`
/// (`eq`: hashable, compared by state) and those in the last braces.
macro_rules! json_class {
    (
        $(#[$meta:meta])* $class:ident($state:ty) $name:literal, repr = |$this:ident| $repr:expr,
        { $($(#[$fmeta:meta])* $field:ident $(= $key:literal)?: $kind:ty),* $(,)? }
        $(, { $($body:tt)* })?
    ) => {
        $(#[$meta])*
        #[::pyo3::pyclass(frozen, module = "kcred", name = $name)]
        #[derive(Clone)]
        pub struct $class(pub $state);

        $crate::class::class_methods! { $class [eq], repr = |$this| $repr, {
            $(
                $(#[$fmeta])*
                #[getter]
                fn $field<'py>(
                    &self,
                    py: ::pyo3::Python<'py>,
                ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                    let key = [$($key,)? stringify!($field)][0];
                    let doc = $crate::json::Doc::doc(&self.0);
                    <$kind as $crate::json::Field>::get(py, $crate::json::at(doc, key))
                }
            )*
            $($($body)*)?
        }}
    };
}
pub(crate) use json_class;

/// [`json_class!`] for a class over one JSON value (a part of a document).
macro_rules! json_part {
    ($(#[$meta:meta])* $class:ident $name:literal, $($rest:tt)*) => {
        $crate::json::json_class! { $(#[$meta])* $class(::serde_json::Value) $name, $($rest)* }

        $crate::class::pickles_as_field!($class(::serde_json::Value));

        impl $crate::json::FromJson for $class {
            fn from_json(value: &::serde_json::Value) -> ::pyo3::PyResult<Self> {
                Ok(Self(value.clone()))
            }
        }
    };
}
pub(crate) use json_part;

/// Text of a JSON string field, for `repr`.
pub fn text<'a>(doc: &'a Value, key: &str) -> &'a str {
    at(doc, key).as_str().unwrap_or("")
}
