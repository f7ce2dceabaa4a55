//! `Token`, `ServiceAccount` and `ExecCredential`: what a bearer token or an
//! exec plugin's output tells (claims read, signature never verified).

use kcred_core::{ExecCredentialInfo, ServiceAccountInfo, TokenFormat, TokenInfo};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use time::UtcDateTime;

use super::PyCertificate;
use crate::class::class_methods;
use crate::convert::{self, json_to_py, utc};

/// `jwt`, `service-account-bound`, `opaque`...: the serde name of a format.
pub fn format_name(format: TokenFormat) -> String {
    serde_json::to_value(format)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

class_methods! {
/// A Kubernetes service-account token's identity and binding.
pub struct PyServiceAccount(ServiceAccountInfo) = "ServiceAccount";
[eq], repr = |this| {
    format!(
        "<ServiceAccount {}/{}>",
        this.0.namespace.as_deref().unwrap_or("?"),
        this.0.name.as_deref().unwrap_or("?")
    )
}, fields {
    namespace: Option<String>,
    name: Option<String>,
    uid: Option<String>,
    /// Legacy tokens: the Secret that holds the token (delete it to revoke).
    secret: Option<String>,
    bound_pod: Option<String>,
    bound_node: Option<String>,
    bound_secret: Option<String>,
}, {
    #[getter]
    fn warn_after(&self) -> Option<UtcDateTime> {
        utc(self.0.warn_after)
    }
}}

class_methods! {
/// What decoding a bearer token tells (claims read, signature never verified).
/// Holds no token bytes.
pub struct PyToken(TokenInfo) = "Token";
[eq, validity], repr = |this| {
    format!(
        "<Token {} subject={:?} not_after={}>",
        format_name(this.0.format),
        this.subject(),
        convert::rfc3339(this.0.validity.and_then(|v| v.not_after))
    )
}, within jwt {
    algorithm: String,
    key_id: String,
    issuer: String,
    subject: String,
    jwt_id: String,
}, {
    /// `jwt`, `service-account-legacy`, `service-account-bound`, `eks-presigned`,
    /// `openshift-oauth`, `bootstrap-token` or `opaque`.
    #[getter]
    fn format(&self) -> String {
        format_name(self.0.format)
    }
    #[getter]
    fn audience<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let audience = self.0.jwt.as_ref().map(|j| j.audience.as_slice());
        PyTuple::new(py, audience.unwrap_or_default())
    }
    #[getter]
    fn expires_at(&self) -> Option<UtcDateTime> {
        utc(self.0.jwt.as_ref().and_then(|j| j.expires_at))
    }
    #[getter]
    fn issued_at(&self) -> Option<UtcDateTime> {
        utc(self.0.jwt.as_ref().and_then(|j| j.issued_at))
    }
    /// Every JWT claim as a dict (`None` for tokens that are not JWTs).
    #[getter]
    fn claims<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0
            .jwt
            .as_ref()
            .map(|j| json_to_py(py, &serde_json::Value::Object(j.claims.clone())))
            .transpose()
    }
    /// Always `False`: kcred reads claims without checking the signature.
    #[getter]
    fn verified(&self) -> bool {
        self.0.jwt.as_ref().is_some_and(|j| j.verified)
    }
    #[getter]
    fn service_account(&self) -> Option<PyServiceAccount> {
        self.0
            .service_account
            .as_deref()
            .cloned()
            .map(PyServiceAccount)
    }
}}

class_methods! {
/// An ExecCredential document (a plugin's output): its expiry and decoded credential.
pub struct PyExecCredential(ExecCredentialInfo) = "ExecCredential";
[eq, validity], repr = |this| {
    let what = match (&this.0.token, &this.0.client_certificate) {
        (Some(t), _) => format!("token {}", format_name(t.format)),
        (None, Some(_)) => "client-certificate".to_owned(),
        (None, None) => "empty".to_owned(),
    };
    format!(
        "<ExecCredential {what} not_after={}>",
        convert::rfc3339(this.0.validity.and_then(|v| v.not_after))
    )
}, fields {
    api_version: Option<String>,
    has_client_key: bool,
}, {
    /// `status.expirationTimestamp`.
    #[getter]
    fn expiration(&self) -> Option<UtcDateTime> {
        utc(self.0.expiration)
    }
    #[getter]
    fn token(&self) -> Option<PyToken> {
        self.0.token.clone().map(PyToken)
    }
    #[getter]
    fn client_certificate(&self) -> Option<PyCertificate> {
        self.0.client_certificate.clone().map(PyCertificate)
    }
}}
