//! `kcred.pki`: a kubeadm control-plane node's certificates, as `kcred pki`
//! (and `kubeadm certs check-expiration`) report them.

use std::path::PathBuf;

use kcred_core::{
    evaluate, findings_json, findings_table, load_pki, pki_json, pki_table, Error, Limits,
    Location, PkiLayout, KUBEADM_DIR, KUBELET_DIR,
};
use pyo3::prelude::*;

use super::{report_class, Report};
use crate::errors::{self, boundary_at};
use crate::json::{json_class, Many, Plain};
use crate::reports::PyPkiEntry;

json_class! {
    /// The certificates of a kubeadm node (`kcred pki --format json`, kubeadm's
    /// `CertificateExpirationInfo`) and the policy's findings.
    PyPki(Report) "Pki", repr = |this| {
        let n = |key: &str| this.0.document[key].as_array().map_or(0, Vec::len);
        format!(
            "<Pki {} certificates, {} authorities, {} findings>",
            n("certificates"),
            n("certificateAuthorities"),
            this.0.findings.len()
        )
    }, {
        kind: Plain,
        api_version = "apiVersion": Plain,
        certificates: Many<PyPkiEntry>,
        certificate_authorities = "certificateAuthorities": Many<PyPkiEntry>,
    }, {
        /// The policy's findings (suppressed ones included).
        #[getter]
        fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
            self.0.findings(py)
        }
        /// The JSON document of `kcred pki --format json` (findings included).
        #[pyo3(signature = (*, indent=true))]
        fn to_json(&self, indent: bool) -> PyResult<String> {
            self.0.json(indent)
        }
        /// The tables of `kcred pki`: certificates, authorities, then findings.
        fn to_table(&self) -> String {
            self.0.table.clone()
        }
    }
}
report_class!(PyPki);

/// Reads a kubeadm folder (default `/etc/kubernetes`: `pki/`, `pki/etcd/`,
/// the `*.conf` kubeconfigs) and the kubelet's client certificate under
/// `kubelet_dir` (default `/var/lib/kubelet`), and evaluates `policy` (a
/// `Policy`, preset or file; default `baseline`) at `now`.
#[pyfunction]
#[pyo3(signature = (dir=None, *, kubelet_dir=None, policy=None, now=None))]
pub fn pki(
    py: Python<'_>,
    dir: Option<PathBuf>,
    kubelet_dir: Option<PathBuf>,
    policy: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyPki> {
    boundary_at(py, now, |now| {
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
        Ok(py.detach(move || {
            let report = load_pki(&layout, &Limits::default());
            let findings = evaluate(&report.inventory, &policy, now);
            let mut document = pki_json(&report, now);
            document["findings"] = findings_json(&findings, &policy.name, now);
            let table = format!(
                "{}\n{}",
                pki_table(&report, now),
                findings_table(&findings, false)
            );
            PyPki(Report {
                document,
                table,
                findings,
            })
        }))
    })
}
