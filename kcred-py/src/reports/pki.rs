//! `kcred.pki`: a kubeadm control-plane node's certificates, as `kcred pki`
//! (and `kubeadm certs check-expiration`) report them.

use std::collections::HashMap;
use std::path::PathBuf;

use kcred_core::{
    evaluate, load_pki, pki_json, pki_table, Error, Limits, Location, PkiLayout, KUBEADM_DIR,
    KUBELET_DIR,
};
use pyo3::prelude::*;

use super::{report_class, Report};
use crate::errors::{self, boundary_at};
use crate::json::{Many, Plain};
use crate::rbac::Rbac;
use crate::reports::PyPkiEntry;

report_class! {
    /// The certificates of a kubeadm node (`kcred pki --format json`, kubeadm's
    /// `CertificateExpirationInfo`) and the policy's findings.
    PyPki "Pki", len = "certificates", repr = |this| {
        format!(
            "<Pki {} certificates, {} authorities, {} findings>",
            this.0.count("certificates"),
            this.0.count("certificateAuthorities"),
            this.0.findings.len()
        )
    }, {
        kind: Plain,
        api_version = "apiVersion": Plain,
        certificates: Many<PyPkiEntry>,
        certificate_authorities = "certificateAuthorities": Many<PyPkiEntry>,
    }
}

/// Reads a kubeadm folder (default `/etc/kubernetes`: `pki/`, `pki/etcd/`,
/// the `*.conf` kubeconfigs) and the kubelet's client certificate under
/// `kubelet_dir` (default `/var/lib/kubelet`), and evaluates `policy` (a
/// `Policy`, preset or file; default `baseline`) at `now`. `rbac`/`oidc`
/// give the node's credentials (the `*.conf` users, the kubelet's certificate)
/// their rights, as for `load`: the rights rules (KC6xx) then have their input.
#[pyfunction]
#[pyo3(signature = (dir=None, *, kubelet_dir=None, policy=None, now=None, rbac=None, oidc=None))]
pub fn pki(
    py: Python<'_>,
    dir: Option<PathBuf>,
    kubelet_dir: Option<PathBuf>,
    policy: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
    rbac: Option<&Bound<'_, PyAny>>,
    oidc: Option<HashMap<String, Option<String>>>,
) -> PyResult<PyPki> {
    boundary_at(py, now, |now| {
        let rbac = Rbac::from_args(rbac, oidc)?;
        let dir = dir.unwrap_or_else(|| PathBuf::from(KUBEADM_DIR));
        if !dir.is_dir() {
            let at = Location::file(&dir);
            let err = if dir.exists() {
                Error::Io {
                    at,
                    reason: format!("not a folder (kubeadm keeps its files in {KUBEADM_DIR})"),
                }
            } else {
                Error::MissingFile {
                    at,
                    path: dir.clone(),
                }
            };
            return Err(errors::to_py(py, &err));
        }
        let policy = crate::policy::resolve(py, policy)?;
        let layout = PkiLayout {
            dir,
            kubelet_dir: kubelet_dir.unwrap_or_else(|| PathBuf::from(KUBELET_DIR)),
        };
        let mut report = py.detach(|| load_pki(&layout, &Limits::default()));
        rbac.attach(py, &mut report.inventory)?;
        Ok(py.detach(move || {
            let findings = evaluate(&report.inventory, &policy, now);
            let table = pki_table(&report, now, None);
            let document = pki_json(&report, now);
            PyPki(Report::new(document, table, Some((findings, &policy)), now))
        }))
    })
}
