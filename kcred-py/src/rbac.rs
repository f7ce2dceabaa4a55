//! `rbac=`: each credential's rights by offline RBAC snapshots, and the
//! `Privileges`, `Reach` and `MintPath` classes that hold them. The rights are
//! the core's ([`kcred_core::attach_privileges`]).

use std::collections::HashMap;
use std::path::PathBuf;

use kcred_core::{Inventory, MintPath, OidcClaims, Privileges, Reach};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::class::class_methods;
use crate::convert::{self, json_to_py};
use crate::errors;
use crate::json::FromJson;

/// The RBAC inputs of a call: snapshot paths and the cluster's OIDC claim settings.
pub struct Rbac {
    paths: Vec<PathBuf>,
    oidc: Option<OidcClaims>,
}

impl Rbac {
    /// `rbac=` (a path or paths; `None`: no rights computed) and `oidc=` (a
    /// mapping with `username_claim`, `groups_claim`, `username_prefix`,
    /// `groups_prefix`).
    pub fn from_args(
        rbac: Option<&Bound<'_, PyAny>>,
        oidc: Option<HashMap<String, Option<String>>>,
    ) -> PyResult<Self> {
        let paths = rbac.map(convert::paths).transpose()?.unwrap_or_default();
        let oidc = oidc.map(oidc_claims).transpose()?;
        if oidc.is_some() && paths.is_empty() {
            return Err(PyValueError::new_err("oidc= needs rbac= snapshots"));
        }
        Ok(Rbac { paths, oidc })
    }

    /// Gives each record its rights, as `kcred inspect --rbac` does: snapshot
    /// files that cannot be read are problems of the inventory; when none can
    /// be read, the first problem is raised rather than rights from nothing.
    /// Runs without the GIL.
    pub fn attach(self, py: Python<'_>, inventory: &mut Inventory) -> PyResult<()> {
        if self.paths.is_empty() {
            return Ok(());
        }
        let Rbac { paths, oidc } = self;
        py.detach(|| {
            let (snapshot, mut problems) =
                kcred_core::load_rbac(&paths, &kcred_core::Limits::default());
            if snapshot.is_empty() && !problems.is_empty() {
                return Err(problems.swap_remove(0));
            }
            inventory.problems.extend(problems);
            kcred_core::attach_privileges(inventory, &snapshot, oidc.as_ref());
            Ok(())
        })
        .map_err(|e| errors::to_py(py, &e))
    }
}

/// The `oidc=` mapping as the core's settings; an unknown key is a `ValueError`.
fn oidc_claims(map: HashMap<String, Option<String>>) -> PyResult<OidcClaims> {
    let mut claims = OidcClaims::default();
    for (key, value) in map {
        match key.as_str() {
            "username_claim" => {
                claims.username_claim = value.unwrap_or_else(|| "sub".to_owned());
            }
            "groups_claim" => claims.groups_claim = value,
            "username_prefix" => claims.username_prefix = value,
            "groups_prefix" => claims.groups_prefix = value,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "oidc: unknown key {key:?} (username_claim, groups_claim, username_prefix, groups_prefix)"
                )))
            }
        }
    }
    Ok(claims)
}

class_methods! {
/// Where a right holds: cluster-wide, or in some namespaces.
pub struct PyReach(Reach) = "Reach";
[eq], repr = |this| {
    if this.0.cluster_wide {
        "<Reach cluster-wide>".to_owned()
    } else {
        format!("<Reach namespaces={:?}>", this.0.namespaces)
    }
}, fields {
    /// In every namespace (and on cluster-scoped objects).
    cluster_wide: bool,
}, tuples {
    /// Namespaces where a RoleBinding grants it (empty when cluster-wide).
    namespaces,
}, {
    /// Whether the right holds anywhere.
    fn __bool__(&self) -> bool {
        self.0.any()
    }
}}

class_methods! {
/// One way to mint a credential that outlives the one held.
pub struct PyMintPath(MintPath) = "MintPath";
[eq], repr = |this| {
    format!("<MintPath {:?}>", this.0.how)
}, fields {
    /// What it can do, like `create serviceaccounts/token`.
    how: String,
}, wraps {
    reach: PyReach,
}, {}}

class_methods! {
/// What a credential's identity may do by the RBAC snapshot.
pub struct PyPrivileges(Privileges) = "Privileges";
[eq], repr = |this| {
    format!("<Privileges {} user={:?}>", this.0.summary(), this.0.identity.user)
}, fields {
    /// Every verb on every resource in every namespace, or `system:masters`.
    cluster_admin: bool,
    /// Can mint credentials that outlive this one (see `mint_paths`).
    can_mint_credentials: bool,
    /// `impersonate` users, groups or service accounts.
    can_impersonate: bool,
    /// `escalate` or `bind` on roles.
    can_escalate: bool,
}, wraps {
    /// `get`, `list` or `watch` on Secrets.
    can_read_secrets: PyReach,
    /// `create pods/exec`.
    can_exec_pods: PyReach,
}, {
    /// The user name the API server would see.
    #[getter]
    fn user(&self) -> String {
        self.0.identity.user.clone()
    }
    /// The groups the API server would see (`system:authenticated` included).
    #[getter]
    fn groups<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.0.identity.groups)
    }
    #[getter]
    fn mint_paths<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.0.mint_paths.iter().cloned().map(PyMintPath))
    }
    /// For each right held, the binding → role → rule chains (as in the JSON).
    #[getter]
    fn bindings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &serde_json::to_value(&self.0.bindings).unwrap_or_default())
    }
    /// The RIGHTS cell of the table: `cluster-admin`, `mint`, `secrets` or `-`.
    #[getter]
    fn summary(&self) -> &'static str {
        self.0.summary()
    }
}}

/// The `privileges` object of a core JSON document (a scan's credentials) as
/// the same class `Credential.privileges` returns.
impl FromJson for PyPrivileges {
    fn from_json(value: &serde_json::Value) -> PyResult<Self> {
        serde_json::from_value(value.clone())
            .map(PyPrivileges)
            .map_err(|e| PyValueError::new_err(format!("privileges: {e}")))
    }
}
