//! The frozen Python classes, one module per concept: each wraps an owned core
//! value, reads it through getters, and pickles through the core value's serde
//! form (see [`crate::class`]).

mod certificate;
mod credential;
mod inventory;
mod token;

use std::path::PathBuf;

use kcred_core::{DataSource, Location};

pub use certificate::{PyCertificate, PyKeyInfo};
pub use credential::PyCredential;
pub use inventory::{PyCluster, PyInventory};
pub use token::{PyExecCredential, PyServiceAccount, PyToken};

use crate::class::class_methods;

/// The file a credential or CA was read from; `None` when inline.
fn source_file(source: &DataSource) -> Option<PathBuf> {
    match source {
        DataSource::File(path) => Some(path.clone()),
        DataSource::Inline => None,
    }
}

class_methods! {
/// Where something is: file (or source name), entry, field and line.
pub struct PyLocation(Location) = "Location";
[eq], repr = |this| {
    format!("<Location {:?}>", this.0.to_string())
}, fields {
    entry: Option<String>,
    field: Option<String>,
    line: Option<u32>,
}, paths {
    file,
}, {
    fn __str__(&self) -> String {
        self.0.to_string()
    }
}}
