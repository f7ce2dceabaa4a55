//! `KeyInfo` and `Certificate`: an X.509 certificate's facts.

use kcred_core::{CertificateInfo, KeyInfo, Validity};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::class::{class_methods, Dated};
use crate::convert;

/// A public key's algorithm and strength.
#[pyclass(frozen, eq, module = "kcred", name = "KeyInfo")]
#[derive(Clone, PartialEq)]
pub struct PyKeyInfo(pub KeyInfo);

class_methods!(PyKeyInfo(KeyInfo) [], repr = |this| {
    let mut text = format!("<KeyInfo {}", this.0.algorithm);
    if let Some(bits) = this.0.bits {
        text.push_str(&format!(" {bits} bits"));
    }
    if let Some(curve) = &this.0.curve {
        text.push_str(&format!(" {curve}"));
    }
    text + ">"
}, {
    #[getter]
    fn algorithm(&self) -> String {
        self.0.algorithm.clone()
    }
    #[getter]
    fn bits(&self) -> Option<u32> {
        self.0.bits
    }
    #[getter]
    fn curve(&self) -> Option<String> {
        self.0.curve.clone()
    }
});

/// An X.509 certificate's facts (no DER, no key material).
#[pyclass(frozen, module = "kcred", name = "Certificate")]
#[derive(Clone)]
pub struct PyCertificate(pub CertificateInfo);

impl Dated for PyCertificate {
    fn validity(&self) -> Option<Validity> {
        Some(self.0.validity)
    }
}

class_methods!(PyCertificate(CertificateInfo) [eq, dated], repr = |this| {
    format!(
        "<Certificate subject={:?} not_after={} sha256={}>",
        this.0.subject,
        convert::rfc3339(this.0.validity.not_after),
        this.0.sha256_fingerprint.get(..16).unwrap_or_default()
    )
}, {
    /// Subject DN, RFC 4514 style (`CN=masterclient,O=system:masters`).
    #[getter]
    fn subject(&self) -> String {
        self.0.subject.clone()
    }
    /// Subject CN: the Kubernetes user name of a client certificate.
    #[getter]
    fn common_name(&self) -> Option<String> {
        self.0.common_name.clone()
    }
    /// Subject O values: the Kubernetes groups of a client certificate.
    #[getter]
    fn groups<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.0.organizations)
    }
    #[getter]
    fn issuer(&self) -> String {
        self.0.issuer.clone()
    }
    #[getter]
    fn issuer_common_name(&self) -> Option<String> {
        self.0.issuer_common_name.clone()
    }
    #[getter]
    fn serial(&self) -> String {
        self.0.serial.clone()
    }
    #[getter]
    fn sha256_fingerprint(&self) -> String {
        self.0.sha256_fingerprint.clone()
    }
    #[getter]
    fn key(&self) -> PyKeyInfo {
        PyKeyInfo(self.0.key.clone())
    }
    #[getter]
    fn signature_algorithm(&self) -> String {
        self.0.signature_algorithm.clone()
    }
    #[getter]
    fn has_weak_signature(&self) -> bool {
        self.0.has_weak_signature()
    }
    #[getter]
    fn is_ca(&self) -> bool {
        self.0.is_ca
    }
    #[getter]
    fn self_issued(&self) -> bool {
        self.0.self_issued
    }
});
