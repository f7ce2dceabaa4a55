//! `KeyInfo` and `Certificate`: an X.509 certificate's facts.

use kcred_core::{CertificateInfo, KeyInfo};

use crate::class::class_methods;
use crate::convert;

class_methods! {
/// A public key's algorithm and strength.
pub struct PyKeyInfo(KeyInfo) = "KeyInfo";
[eq], repr = |this| {
    let mut text = format!("<KeyInfo {}", this.0.algorithm);
    if let Some(bits) = this.0.bits {
        text.push_str(&format!(" {bits} bits"));
    }
    if let Some(curve) = &this.0.curve {
        text.push_str(&format!(" {curve}"));
    }
    text + ">"
}, fields {
    algorithm: String,
    bits: Option<u32>,
    curve: Option<String>,
}, {}}

class_methods! {
/// An X.509 certificate's facts (no DER, no key material).
pub struct PyCertificate(CertificateInfo) = "Certificate";
[eq, validity], repr = |this| {
    format!(
        "<Certificate subject={:?} not_after={} sha256={}>",
        this.0.subject,
        convert::rfc3339(this.0.validity.not_after),
        this.0.sha256_fingerprint.get(..16).unwrap_or_default()
    )
}, fields {
    /// Subject DN, RFC 4514 style (`CN=masterclient,O=system:masters`).
    subject: String,
    /// Subject CN: the Kubernetes user name of a client certificate.
    common_name: Option<String>,
    issuer: String,
    issuer_common_name: Option<String>,
    serial: String,
    sha256_fingerprint: String,
    signature_algorithm: String,
    is_ca: bool,
    self_issued: bool,
}, tuples {
    /// Subject O values: the Kubernetes groups of a client certificate.
    groups = organizations,
}, wraps {
    key: PyKeyInfo,
}, {
    #[getter]
    fn has_weak_signature(&self) -> bool {
        self.0.has_weak_signature()
    }
}}
