//! The one mechanism behind every class: [`Class`] says what a pickle holds (for
//! a newtype over a core value, that value: the macro writes the impl);
//! [`class_methods!`] writes the `#[pymethods]` block with the class's getters
//! plus `__repr__`, `__reduce__`, `_from_json`, the plain field getters it is
//! given, `to_dict` (the state as Python values), and on request `__eq__` and
//! `__hash__` by state (`eq`) and the validity methods of
//! [`Dated`] (`dated`; `validity`: also the [`Dated`] impl, from the core
//! value's `validity` field, a `Validity` or an `Option<Validity>`). Getters
//! written by hand only convert.

use std::borrow::Cow;

use kcred_core::{ExpiryStatus, UnknownReason, Validity};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::PyClass;
use serde::de::DeserializeOwned;
use serde::Serialize;
use time::{Duration, OffsetDateTime, UtcDateTime};

use crate::convert::{self, utc};
use crate::errors::boundary_at;

/// How a Python class over owned core values pickles.
pub trait Class: PyClass + Sized {
    /// What a pickle holds: the core value's serde form.
    type State: Clone + Serialize + DeserializeOwned;
    /// This object's state.
    fn state(&self) -> Cow<'_, Self::State>;
    /// The object a pickle holds.
    fn from_state(py: Python<'_>, state: Self::State) -> PyResult<Self>;
    /// What `to_dict` returns: the state's JSON, unless the class says otherwise.
    fn dict(&self) -> serde_json::Value {
        state_json(self)
    }
}

/// `#[pymethods] impl $class { getters... }` plus `__repr__` (from `repr`, which
/// never shows a secret), `__reduce__`, `_from_json` and `to_dict` (from the
/// [`Class`] impl, written here for a newtype `$class($core)`), the methods of
/// the flags in brackets, and getters by section:
/// - `fields { name: Type }`: a copy of the core value's field;
/// - `tuples { name (= field) }`: a list field as a tuple;
/// - `wraps { name: PyClass }`: a field wrapped in its class;
/// - `paths { name }`: a path field as text (lossy where it is not UTF-8);
/// - `within part { name: Type }`: an `Option<Type>` field of the optional
///   sub-value `part` (`None` without it).
///
/// Given `pub struct $class($core) = "Name";` first, it declares the frozen class too.
macro_rules! class_methods {
    (
        $(#[$meta:meta])* pub struct $class:ident($core:ty) = $name:literal; $($rest:tt)*
    ) => {
        $(#[$meta])*
        #[::pyo3::pyclass(frozen, module = "kcred", name = $name)]
        #[derive(Clone)]
        pub struct $class(pub $core);

        $crate::class::class_methods! { $class($core) $($rest)* }
    };
    (
        $class:ident $(($core:ty))? [$($flag:ident),*], repr = |$this:ident| $repr:expr,
        $(fields { $($(#[$doc:meta])* $field:ident: $type:ty),* $(,)? },)?
        $(tuples { $($(#[$tdoc:meta])* $tuple:ident $(= $tsrc:ident)?),* $(,)? },)?
        $(wraps { $($(#[$wdoc:meta])* $wrap:ident: $wty:ident),* $(,)? },)?
        $(paths { $($(#[$padoc:meta])* $path:ident),* $(,)? },)?
        $(within $part:ident { $($(#[$pdoc:meta])* $pfield:ident: $ptype:ty),* $(,)? },)?
        { $($body:tt)* }
    ) => {
        $crate::class::class_methods!(@core $class $(($core))? [$($flag),*], repr = |$this| $repr, {
            $($(
                $(#[$doc])*
                #[getter]
                fn $field(&self) -> $type {
                    ::std::clone::Clone::clone(&self.0.$field)
                }
            )*)?
            $($(
                $(#[$tdoc])*
                #[getter]
                fn $tuple<'py>(
                    &self,
                    py: ::pyo3::Python<'py>,
                ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::types::PyTuple>> {
                    ::pyo3::types::PyTuple::new(py, &$crate::class::field_of!(self.0, $tuple $($tsrc)?))
                }
            )*)?
            $($(
                $(#[$wdoc])*
                #[getter]
                fn $wrap(&self) -> $wty {
                    $wty(::std::clone::Clone::clone(&self.0.$wrap))
                }
            )*)?
            $($(
                $(#[$padoc])*
                #[getter]
                fn $path(&self) -> String {
                    self.0.$path.to_string_lossy().into_owned()
                }
            )*)?
            $($(
                $(#[$pdoc])*
                #[getter]
                fn $pfield(&self) -> Option<$ptype> {
                    self.0.$part.as_ref().and_then(|p| ::std::clone::Clone::clone(&p.$pfield))
                }
            )*)?
            $($body)*
        });
    };
    (@core $class:ident($core:ty) [$($flag:ident),*], repr = |$this:ident| $repr:expr, { $($body:tt)* }) => {
        $crate::class::pickles_as_field!($class($core));
        $crate::class::class_methods!(@core $class [$($flag),*], repr = |$this| $repr, { $($body)* });
    };
    (@core $class:ident [$($flag:ident),*], repr = |$this:ident| $repr:expr, { $($body:tt)* }) => {
        $crate::class::class_methods!(@with $class [$($flag),*] {
            $($body)*
            fn __repr__(&self) -> String {
                let $this = self;
                $repr
            }
        });
    };
    (@with $class:ident [eq $(, $flag:ident)*] { $($body:tt)* }) => {
        $crate::class::class_methods!(@with $class [$($flag),*] {
            $($body)*
            fn __eq__(&self, other: &::pyo3::Bound<'_, ::pyo3::PyAny>) -> bool {
                $crate::class::same_state(self, other)
            }
            fn __hash__(&self) -> u64 {
                $crate::class::state_hash(self)
            }
        });
    };
    (@with $class:ident [validity $(, $flag:ident)*] { $($body:tt)* }) => {
        /// The window of the core value's `validity` field.
        impl $crate::class::Dated for $class {
            fn validity(&self) -> Option<::kcred_core::Validity> {
                Option::from(self.0.validity)
            }
        }
        $crate::class::class_methods!(@with $class [dated $(, $flag)*] { $($body)* });
    };
    (@with $class:ident [dated $(, $flag:ident)*] { $($body:tt)* }) => {
        $crate::class::class_methods!(@with $class [$($flag),*] {
            $($body)*
            #[getter]
            fn not_before(&self) -> Option<::time::UtcDateTime> {
                $crate::class::not_before(self)
            }
            #[getter]
            fn not_after(&self) -> Option<::time::UtcDateTime> {
                $crate::class::not_after(self)
            }
            #[getter]
            fn never_expires(&self) -> bool {
                $crate::class::never_expires(self)
            }
            /// `not_after - not_before`, when both are known and the end is real.
            #[getter]
            fn lifetime(&self, py: ::pyo3::Python<'_>) -> ::pyo3::PyResult<Option<::time::Duration>> {
                $crate::class::lifetime(py, self)
            }
            /// Time left at `now` (negative once expired; `None` when there is no end).
            #[pyo3(signature = (now=None))]
            fn remaining(
                &self,
                py: ::pyo3::Python<'_>,
                now: Option<&::pyo3::Bound<'_, ::pyo3::PyAny>>,
            ) -> ::pyo3::PyResult<Option<::time::Duration>> {
                $crate::class::remaining(py, self, now)
            }
            /// The `Status` at `now` (default: the clock).
            #[pyo3(signature = (now=None))]
            fn status<'py>(
                &self,
                py: ::pyo3::Python<'py>,
                now: Option<&::pyo3::Bound<'py, ::pyo3::PyAny>>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                $crate::class::status(py, self, now)
            }
        });
    };
    (@with $class:ident [] { $($body:tt)* }) => {
        #[::pyo3::pymethods]
        impl $class {
            $($body)*
            fn __reduce__<'py>(
                &self,
                py: ::pyo3::Python<'py>,
            ) -> ::pyo3::PyResult<(::pyo3::Bound<'py, ::pyo3::PyAny>, (String,))> {
                $crate::class::reduce(py, self)
            }
            /// The value as JSON-compatible dicts, lists and scalars (the
            /// serde form a pickle holds; no secret).
            fn to_dict<'py>(&self, py: ::pyo3::Python<'py>) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                $crate::class::to_dict(py, self)
            }
            #[classmethod]
            fn _from_json(
                cls: &::pyo3::Bound<'_, ::pyo3::types::PyType>,
                state: &str,
            ) -> ::pyo3::PyResult<Self> {
                $crate::class::restore(cls.py(), state)
            }
        }
    };
}
pub(crate) use class_methods;

/// `impl Class` for a newtype `$class($state)` that pickles as the value it
/// wraps; `dict` says what `to_dict` returns when not the state's JSON.
macro_rules! pickles_as_field {
    ($class:ident($state:ty) $(, dict = |$this:ident| $dict:expr)?) => {
        impl $crate::class::Class for $class {
            type State = $state;
            fn state(&self) -> ::std::borrow::Cow<'_, $state> {
                ::std::borrow::Cow::Borrowed(&self.0)
            }
            fn from_state(_: ::pyo3::Python<'_>, state: $state) -> ::pyo3::PyResult<Self> {
                Ok(Self(state))
            }
            $(
                fn dict(&self) -> ::serde_json::Value {
                    let $this = self;
                    $dict
                }
            )?
        }
    };
}
pub(crate) use pickles_as_field;

/// The core field behind a getter: the given one, else the getter's name.
macro_rules! field_of {
    ($value:expr, $getter:ident) => {
        $value.$getter
    };
    ($value:expr, $getter:ident $field:ident) => {
        $value.$field
    };
}
pub(crate) use field_of;

/// `__reduce__`: the class's `_from_json` and the state as JSON text.
pub fn reduce<'py, T: Class>(py: Python<'py>, obj: &T) -> PyResult<(Bound<'py, PyAny>, (String,))> {
    let text =
        serde_json::to_string(&obj.state()).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok((T::type_object(py).getattr("_from_json")?, (text,)))
}

/// `_from_json`: the object a pickle holds.
pub fn restore<T: Class>(py: Python<'_>, state: &str) -> PyResult<T> {
    // serde_json's message may quote the state: only its category and line.
    let state = serde_json::from_str(state).map_err(|e| PyValueError::new_err(bad_state(&e)))?;
    T::from_state(py, state)
}

/// A serde_json error about pickled state, without its text (which may quote it).
fn bad_state(e: &serde_json::Error) -> String {
    let category = match e.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected shape",
        serde_json::error::Category::Eof => "unexpected end of input",
    };
    format!("bad kcred pickle: {category} at line {}", e.line())
}

/// `__eq__` of the `eq` flag: an object of the same class with the same facts
/// (equal serialized states).
pub fn same_state<T: Class>(obj: &T, other: &Bound<'_, PyAny>) -> bool {
    let Ok(other) = other.cast::<T>() else {
        return false;
    };
    state_json(obj) == state_json(&*other.borrow())
}

/// The state as a JSON value (object keys sorted: serde_json's map).
fn state_json<T: Class>(obj: &T) -> serde_json::Value {
    serde_json::to_value(obj.state()).unwrap_or_default()
}

/// `__hash__` of the `eq` flag: agrees with [`same_state`] (a hash of the state's JSON text).
pub fn state_hash<T: Class>(obj: &T) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    state_json(obj).to_string().hash(&mut hasher);
    hasher.finish()
}

/// `to_dict`: the state as Python values.
pub fn to_dict<'py, T: Class>(py: Python<'py>, obj: &T) -> PyResult<Bound<'py, PyAny>> {
    convert::json_to_py(py, &obj.dict())
}

/// A class with a validity window (the `dated` flag's methods).
pub trait Dated {
    /// The window, when the object states one.
    fn validity(&self) -> Option<Validity>;
    /// The status at `now`: the window's, or `unknown` without one.
    fn status_at(&self, now: OffsetDateTime) -> ExpiryStatus {
        self.validity()
            .map(|v| v.status(now))
            .unwrap_or(ExpiryStatus::Unknown {
                reason: UnknownReason::NoExpiryStated,
            })
    }
}

pub fn not_before(obj: &impl Dated) -> Option<UtcDateTime> {
    utc(obj.validity().and_then(|v| v.not_before))
}

pub fn not_after(obj: &impl Dated) -> Option<UtcDateTime> {
    utc(obj.validity().and_then(|v| v.not_after))
}

pub fn never_expires(obj: &impl Dated) -> bool {
    obj.validity().is_some_and(|v| v.never_expires)
}

pub fn lifetime(py: Python<'_>, obj: &impl Dated) -> PyResult<Option<Duration>> {
    crate::errors::boundary(py, || Ok(obj.validity().and_then(|v| v.lifetime())))
}

pub fn remaining(
    py: Python<'_>,
    obj: &impl Dated,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<Duration>> {
    boundary_at(py, now, |now| {
        Ok(obj.validity().and_then(|v| v.remaining(now)))
    })
}

pub fn status<'py>(
    py: Python<'py>,
    obj: &impl Dated,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    boundary_at(py, now, |now| convert::status(py, &obj.status_at(now)))
}
