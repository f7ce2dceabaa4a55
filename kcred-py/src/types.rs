//! The frozen Python classes: each wraps an owned core value, reads it through
//! getters, and pickles through the core value's serde form.

use std::path::PathBuf;

use kcred_core::{
    CertificateInfo, ClusterRecord, Credential, CredentialRecord, DataSource, ExecCredentialInfo,
    ExecPlugin, ExpiryStatus, Inventory, KeyInfo, Location, ServiceAccountInfo, TokenFormat,
    TokenInfo, UnknownReason, Validity,
};
use pyo3::prelude::*;
use pyo3::types::{PyIterator, PyTuple, PyType};
use serde::{Deserialize, Serialize};
use time::{Duration, UtcDateTime};

use crate::convert::{self, instant, json_to_py, reduce, restore, same, utc};
use crate::errors::{ErrorData, PyProblem};

/// `remaining(now)` and `status(now)` of an optional validity window: the core's
/// answers, and `unknown` when the credential states no window.
fn status_of<'py>(
    py: Python<'py>,
    validity: Option<Validity>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::boundary(py, || {
        let now = instant(py, now)?;
        let status = validity
            .map(|v| v.status(now))
            .unwrap_or(ExpiryStatus::Unknown {
                reason: UnknownReason::NoExpiryStated,
            });
        convert::status(py, &status)
    })
}

fn remaining_of(
    py: Python<'_>,
    validity: Option<Validity>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<Duration>> {
    crate::errors::boundary(py, || {
        let now = instant(py, now)?;
        Ok(validity.and_then(|v| v.remaining(now)))
    })
}

fn tuple<'py, T, I>(py: Python<'py>, items: I) -> PyResult<Bound<'py, PyTuple>>
where
    I: IntoIterator<Item = T>,
    T: IntoPyObject<'py>,
    I::IntoIter: ExactSizeIterator,
{
    PyTuple::new(py, items)
}

fn source_file(source: &DataSource) -> Option<PathBuf> {
    match source {
        DataSource::File(path) => Some(path.clone()),
        DataSource::Inline => None,
    }
}

fn format_name(format: TokenFormat) -> String {
    serde_json::to_value(format)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------

/// Where something is: file (or source name), entry, field and line.
#[pyclass(frozen, eq, hash, module = "kcred", name = "Location")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyLocation(pub Location);

#[pymethods]
impl PyLocation {
    #[getter]
    fn file(&self) -> String {
        self.0.file.to_string_lossy().into_owned()
    }
    #[getter]
    fn entry(&self) -> Option<String> {
        self.0.entry.clone()
    }
    #[getter]
    fn field(&self) -> Option<String> {
        self.0.field.clone()
    }
    #[getter]
    fn line(&self) -> Option<u32> {
        self.0.line
    }
    fn __str__(&self) -> String {
        self.0.to_string()
    }
    fn __repr__(&self) -> String {
        format!("<Location {:?}>", self.0.to_string())
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &self.0)
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore(state).map(Self)
    }
}

/// A public key's algorithm and strength.
#[pyclass(frozen, eq, module = "kcred", name = "KeyInfo")]
#[derive(Clone, PartialEq)]
pub struct PyKeyInfo(pub KeyInfo);

#[pymethods]
impl PyKeyInfo {
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
    fn __repr__(&self) -> String {
        let mut text = format!("<KeyInfo {}", self.0.algorithm);
        if let Some(bits) = self.0.bits {
            text.push_str(&format!(" {bits} bits"));
        }
        if let Some(curve) = &self.0.curve {
            text.push_str(&format!(" {curve}"));
        }
        text + ">"
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &self.0)
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore(state).map(Self)
    }
}

/// An X.509 certificate's facts (no DER, no key material).
#[pyclass(frozen, module = "kcred", name = "Certificate")]
#[derive(Clone)]
pub struct PyCertificate(pub CertificateInfo);

#[pymethods]
impl PyCertificate {
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
        tuple(py, &self.0.organizations)
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
    #[getter]
    fn not_before(&self) -> Option<UtcDateTime> {
        utc(self.0.validity.not_before)
    }
    #[getter]
    fn not_after(&self) -> Option<UtcDateTime> {
        utc(self.0.validity.not_after)
    }
    #[getter]
    fn never_expires(&self) -> bool {
        self.0.validity.never_expires
    }
    #[getter]
    fn lifetime(&self, py: Python<'_>) -> PyResult<Option<Duration>> {
        crate::errors::boundary(py, || Ok(self.0.validity.lifetime()))
    }
    #[pyo3(signature = (now=None))]
    fn remaining(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<Duration>> {
        remaining_of(py, Some(self.0.validity), now)
    }
    #[pyo3(signature = (now=None))]
    fn status<'py>(
        &self,
        py: Python<'py>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        status_of(py, Some(self.0.validity), now)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| same(&self.0, &o.get().0))
    }
    fn __repr__(&self) -> String {
        format!(
            "<Certificate subject={:?} not_after={} sha256={}>",
            self.0.subject,
            convert::rfc3339(self.0.validity.not_after),
            self.0.sha256_fingerprint.get(..16).unwrap_or_default()
        )
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &self.0)
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore(state).map(Self)
    }
}

/// A Kubernetes service-account token's identity and binding.
#[pyclass(frozen, eq, module = "kcred", name = "ServiceAccount")]
#[derive(Clone, PartialEq)]
pub struct PyServiceAccount(pub ServiceAccountInfo);

#[pymethods]
impl PyServiceAccount {
    #[getter]
    fn namespace(&self) -> Option<String> {
        self.0.namespace.clone()
    }
    #[getter]
    fn name(&self) -> Option<String> {
        self.0.name.clone()
    }
    #[getter]
    fn uid(&self) -> Option<String> {
        self.0.uid.clone()
    }
    /// Legacy tokens: the Secret that holds the token (delete it to revoke).
    #[getter]
    fn secret(&self) -> Option<String> {
        self.0.secret.clone()
    }
    #[getter]
    fn bound_pod(&self) -> Option<String> {
        self.0.bound_pod.clone()
    }
    #[getter]
    fn bound_node(&self) -> Option<String> {
        self.0.bound_node.clone()
    }
    #[getter]
    fn bound_secret(&self) -> Option<String> {
        self.0.bound_secret.clone()
    }
    #[getter]
    fn warn_after(&self) -> Option<UtcDateTime> {
        utc(self.0.warn_after)
    }
    fn __repr__(&self) -> String {
        format!(
            "<ServiceAccount {}/{}>",
            self.0.namespace.as_deref().unwrap_or("?"),
            self.0.name.as_deref().unwrap_or("?")
        )
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &self.0)
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore(state).map(Self)
    }
}

/// What decoding a bearer token tells (claims read, signature never verified).
/// Holds no token bytes.
#[pyclass(frozen, module = "kcred", name = "Token")]
#[derive(Clone)]
pub struct PyToken(pub TokenInfo);

#[pymethods]
impl PyToken {
    /// `jwt`, `service-account-legacy`, `service-account-bound`, `eks-presigned`,
    /// `open-shift-o-auth`, `bootstrap-token` or `opaque`.
    #[getter]
    fn format(&self) -> String {
        format_name(self.0.format)
    }
    #[getter]
    fn algorithm(&self) -> Option<String> {
        self.0.jwt.as_ref().and_then(|j| j.algorithm.clone())
    }
    #[getter]
    fn key_id(&self) -> Option<String> {
        self.0.jwt.as_ref().and_then(|j| j.key_id.clone())
    }
    #[getter]
    fn issuer(&self) -> Option<String> {
        self.0.jwt.as_ref().and_then(|j| j.issuer.clone())
    }
    #[getter]
    fn subject(&self) -> Option<String> {
        self.0.jwt.as_ref().and_then(|j| j.subject.clone())
    }
    #[getter]
    fn audience<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let aud: Vec<String> = self
            .0
            .jwt
            .as_ref()
            .map(|j| j.audience.clone())
            .unwrap_or_default();
        tuple(py, aud)
    }
    #[getter]
    fn expires_at(&self) -> Option<UtcDateTime> {
        utc(self.0.jwt.as_ref().and_then(|j| j.expires_at))
    }
    #[getter]
    fn issued_at(&self) -> Option<UtcDateTime> {
        utc(self.0.jwt.as_ref().and_then(|j| j.issued_at))
    }
    #[getter]
    fn jwt_id(&self) -> Option<String> {
        self.0.jwt.as_ref().and_then(|j| j.jwt_id.clone())
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
    #[getter]
    fn not_before(&self) -> Option<UtcDateTime> {
        utc(self.0.validity.and_then(|v| v.not_before))
    }
    #[getter]
    fn not_after(&self) -> Option<UtcDateTime> {
        utc(self.0.validity.and_then(|v| v.not_after))
    }
    #[getter]
    fn never_expires(&self) -> bool {
        self.0.validity.is_some_and(|v| v.never_expires)
    }
    #[getter]
    fn lifetime(&self, py: Python<'_>) -> PyResult<Option<Duration>> {
        crate::errors::boundary(py, || Ok(self.0.validity.and_then(|v| v.lifetime())))
    }
    #[pyo3(signature = (now=None))]
    fn remaining(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<Duration>> {
        remaining_of(py, self.0.validity, now)
    }
    #[pyo3(signature = (now=None))]
    fn status<'py>(
        &self,
        py: Python<'py>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        status_of(py, self.0.validity, now)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| same(&self.0, &o.get().0))
    }
    fn __repr__(&self) -> String {
        format!(
            "<Token {} subject={:?} not_after={}>",
            format_name(self.0.format),
            self.subject(),
            convert::rfc3339(self.0.validity.and_then(|v| v.not_after))
        )
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &self.0)
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore(state).map(Self)
    }
}

/// An ExecCredential document (a plugin's output): its expiry and decoded credential.
#[pyclass(frozen, module = "kcred", name = "ExecCredential")]
#[derive(Clone)]
pub struct PyExecCredential(pub ExecCredentialInfo);

#[pymethods]
impl PyExecCredential {
    #[getter]
    fn api_version(&self) -> Option<String> {
        self.0.api_version.clone()
    }
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
    #[getter]
    fn has_client_key(&self) -> bool {
        self.0.has_client_key
    }
    #[getter]
    fn not_before(&self) -> Option<UtcDateTime> {
        utc(self.0.validity.and_then(|v| v.not_before))
    }
    #[getter]
    fn not_after(&self) -> Option<UtcDateTime> {
        utc(self.0.validity.and_then(|v| v.not_after))
    }
    #[getter]
    fn never_expires(&self) -> bool {
        self.0.validity.is_some_and(|v| v.never_expires)
    }
    #[pyo3(signature = (now=None))]
    fn remaining(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<Duration>> {
        remaining_of(py, self.0.validity, now)
    }
    #[pyo3(signature = (now=None))]
    fn status<'py>(
        &self,
        py: Python<'py>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        status_of(py, self.0.validity, now)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| same(&self.0, &o.get().0))
    }
    fn __repr__(&self) -> String {
        let what = match (&self.0.token, &self.0.client_certificate) {
            (Some(t), _) => format!("token {}", format_name(t.format)),
            (None, Some(_)) => "client-certificate".to_owned(),
            (None, None) => "empty".to_owned(),
        };
        format!(
            "<ExecCredential {what} not_after={}>",
            convert::rfc3339(self.0.validity.and_then(|v| v.not_after))
        )
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &self.0)
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore(state).map(Self)
    }
}

/// One credential found in a kubeconfig: what it is, whom it serves, where it is
/// and when it stops working. Holds no secret.
#[pyclass(frozen, module = "kcred", name = "Credential")]
#[derive(Clone)]
pub struct PyCredential(pub CredentialRecord);

impl PyCredential {
    fn cert(&self) -> Option<&CertificateInfo> {
        match &self.0.credential {
            Credential::ClientCertificate(c) => c.certificate.as_ref(),
            _ => None,
        }
    }
    fn token_info(&self) -> Option<&TokenInfo> {
        match &self.0.credential {
            Credential::Token(t) => Some(&t.info),
            Credential::AuthProvider(a) => a.id_token.as_ref().or(a.access_token.as_ref()),
            _ => None,
        }
    }
}

#[pymethods]
impl PyCredential {
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::kind(py, self.0.kind().name())
    }
    /// The user entry's name.
    #[getter]
    fn user(&self) -> String {
        self.0.user.clone()
    }
    #[getter]
    fn contexts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(py, &self.0.contexts)
    }
    #[getter]
    fn clusters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(py, &self.0.clusters)
    }
    #[getter]
    fn location(&self) -> PyLocation {
        PyLocation(self.0.location.clone())
    }
    /// `aks`, `eks`, `gke`, `openshift`, `kubeadm`, `kind`, `k3s`, `minikube` or `generic`.
    #[getter]
    fn platform(&self) -> &'static str {
        self.0.platform.name()
    }
    /// Who the credential says you are, in one line (`CN=... O=...`, `sa:ns/name`...).
    #[getter]
    fn identity(&self) -> String {
        self.0.identity()
    }
    /// Certificate subject DN, JWT `sub`, or basic-auth user name.
    #[getter]
    fn subject(&self) -> Option<String> {
        match &self.0.credential {
            Credential::ClientCertificate(_) => self.cert().map(|c| c.subject.clone()),
            Credential::BasicAuth(b) => Some(b.username.clone()),
            _ => self
                .token_info()
                .and_then(|t| t.jwt.as_ref())
                .and_then(|j| j.subject.clone()),
        }
    }
    /// Certificate O values (the Kubernetes groups); empty for other kinds.
    #[getter]
    fn groups<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let groups = self
            .cert()
            .map(|c| c.organizations.clone())
            .unwrap_or_default();
        tuple(py, groups)
    }
    /// Certificate issuer DN, JWT `iss`, auth-provider or OIDC issuer URL.
    #[getter]
    fn issuer(&self) -> Option<String> {
        let from_token = || {
            self.token_info()
                .and_then(|t| t.jwt.as_ref())
                .and_then(|j| j.issuer.clone())
        };
        match &self.0.credential {
            Credential::ClientCertificate(_) => self.cert().map(|c| c.issuer.clone()),
            Credential::AuthProvider(a) => a.issuer.clone().or_else(from_token),
            Credential::Exec(e) => match &e.plugin {
                ExecPlugin::OidcLogin { issuer, .. } => issuer.clone(),
                _ => None,
            },
            _ => from_token(),
        }
    }
    /// The certificate's public key.
    #[getter]
    fn key(&self) -> Option<PyKeyInfo> {
        self.cert().map(|c| PyKeyInfo(c.key.clone()))
    }
    #[getter]
    fn certificate(&self) -> Option<PyCertificate> {
        self.cert().cloned().map(PyCertificate)
    }
    /// Further certificates in the same PEM bundle.
    #[getter]
    fn chain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let chain: Vec<PyCertificate> = match &self.0.credential {
            Credential::ClientCertificate(c) => {
                c.chain.iter().cloned().map(PyCertificate).collect()
            }
            _ => Vec::new(),
        };
        tuple(py, chain)
    }
    /// Whether the private key holds the certificate's public key (`None`: unknown).
    #[getter]
    fn key_matches(&self) -> Option<bool> {
        match &self.0.credential {
            Credential::ClientCertificate(c) => c.key_matches,
            _ => None,
        }
    }
    /// Whether the certificate is signed by its clusters' CA (`None`: no CA known).
    #[getter]
    fn signed_by_cluster_ca(&self) -> Option<bool> {
        match &self.0.credential {
            Credential::ClientCertificate(c) => c.signed_by_cluster_ca,
            _ => None,
        }
    }
    /// The decoded token (bearer token, or an auth-provider's cached id/access token).
    #[getter]
    fn token(&self) -> Option<PyToken> {
        self.token_info().cloned().map(PyToken)
    }
    /// The token's JWT claims as a dict (`None` when there is no JWT).
    #[getter]
    fn claims<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.token().map_or(Ok(None), |t| t.claims(py))
    }
    /// `azure-kubelogin`, `aws-eks-get-token`, `aws-iam-authenticator`,
    /// `gke-gcloud-auth-plugin`, `oidc-login` or `other`, for exec credentials.
    #[getter]
    fn exec_plugin(&self) -> Option<&'static str> {
        match &self.0.credential {
            Credential::Exec(e) => Some(e.plugin.name()),
            _ => None,
        }
    }
    /// kubelogin login mode or OIDC grant type, for exec plugins that have one.
    #[getter]
    fn login_mode(&self) -> Option<String> {
        match &self.0.credential {
            Credential::Exec(e) => e.plugin.login_mode().map(str::to_owned),
            _ => None,
        }
    }
    #[getter]
    fn exec_command(&self) -> Option<String> {
        match &self.0.credential {
            Credential::Exec(e) => Some(e.command.clone()),
            _ => None,
        }
    }
    /// The exec plugin's arguments, secret-looking values replaced by `<redacted>`.
    #[getter]
    fn exec_args<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let args = match &self.0.credential {
            Credential::Exec(e) => e.args.clone(),
            _ => Vec::new(),
        };
        tuple(py, args)
    }
    /// `oidc`, `azure`, `gcp`... for auth-provider credentials.
    #[getter]
    fn auth_provider(&self) -> Option<String> {
        match &self.0.credential {
            Credential::AuthProvider(a) => Some(a.name.clone()),
            _ => None,
        }
    }
    /// An auth-provider refresh token is on disk.
    #[getter]
    fn has_refresh_token(&self) -> bool {
        matches!(&self.0.credential, Credential::AuthProvider(a) if a.has_refresh_token)
    }
    /// The file the credential was read from (`None` when inline in the kubeconfig).
    #[getter]
    fn source_file(&self) -> Option<PathBuf> {
        match &self.0.credential {
            Credential::ClientCertificate(c) => source_file(&c.source),
            Credential::Token(t) => source_file(&t.source),
            _ => None,
        }
    }
    /// A client certificate in group `system:masters` (no RBAC change can revoke it).
    #[getter]
    fn is_system_masters(&self) -> bool {
        self.0.is_system_masters()
    }
    #[getter]
    fn not_before(&self) -> Option<UtcDateTime> {
        utc(self.0.validity().and_then(|v| v.not_before))
    }
    #[getter]
    fn not_after(&self) -> Option<UtcDateTime> {
        utc(self.0.validity().and_then(|v| v.not_after))
    }
    #[getter]
    fn never_expires(&self) -> bool {
        self.0.validity().is_some_and(|v| v.never_expires)
    }
    /// `not_after - not_before`, when both are known and the end is real.
    #[getter]
    fn lifetime(&self, py: Python<'_>) -> PyResult<Option<Duration>> {
        crate::errors::boundary(py, || Ok(self.0.validity().and_then(|v| v.lifetime())))
    }
    /// Time left at `now` (negative once expired; `None` when there is no end).
    #[pyo3(signature = (now=None))]
    fn remaining(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<Duration>> {
        remaining_of(py, self.0.validity(), now)
    }
    /// The credential's `Status` at `now` (default: the clock).
    #[pyo3(signature = (now=None))]
    fn status<'py>(
        &self,
        py: Python<'py>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::boundary(py, || {
            let now = instant(py, now)?;
            convert::status(py, &self.0.status(now))
        })
    }
    /// Every decoded fact of the credential as a dict (the `details` of `to_json`).
    #[getter]
    fn details<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::to_value(&self.0.credential).unwrap_or_default();
        json_to_py(py, value.get("details").unwrap_or(&serde_json::Value::Null))
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| same(&self.0, &o.get().0))
    }
    fn __repr__(&self) -> String {
        format!(
            "<Credential {} user={:?} identity={:?} not_after={} at={:?}>",
            self.0.kind().name(),
            self.0.user,
            self.0.identity(),
            convert::rfc3339(self.0.validity().and_then(|v| v.not_after)),
            self.0.location.to_string()
        )
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &self.0)
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore(state).map(Self)
    }
}

/// A cluster entry and its trust settings.
#[pyclass(frozen, module = "kcred", name = "Cluster")]
#[derive(Clone)]
pub struct PyCluster(pub ClusterRecord);

#[pymethods]
impl PyCluster {
    #[getter]
    fn name(&self) -> String {
        self.0.name.clone()
    }
    #[getter]
    fn server(&self) -> Option<String> {
        self.0.server.clone()
    }
    #[getter]
    fn contexts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(py, &self.0.contexts)
    }
    #[getter]
    fn location(&self) -> PyLocation {
        PyLocation(self.0.location.clone())
    }
    #[getter]
    fn insecure_skip_tls_verify(&self) -> bool {
        self.0.insecure_skip_tls_verify
    }
    /// The file the CA was read from (`None` when inline or absent).
    #[getter]
    fn ca_source_file(&self) -> Option<PathBuf> {
        self.0.ca_source.as_ref().and_then(source_file)
    }
    /// The CA certificates, first one first.
    #[getter]
    fn ca<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(py, self.0.ca.iter().cloned().map(PyCertificate))
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| same(&self.0, &o.get().0))
    }
    fn __repr__(&self) -> String {
        format!(
            "<Cluster name={:?} server={:?} ca_not_after={}>",
            self.0.name,
            self.0.server.as_deref().unwrap_or(""),
            convert::rfc3339(self.0.ca.first().and_then(|c| c.validity.not_after))
        )
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce::<Self, _>(py, &self.0)
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore(state).map(Self)
    }
}

/// Everything found: credentials, clusters, problems, and the files read.
#[pyclass(frozen, module = "kcred", name = "Inventory")]
pub struct PyInventory {
    pub inventory: Inventory,
    pub files: Vec<PathBuf>,
}

/// An inventory as plain data, for pickling.
#[derive(Serialize, Deserialize)]
struct InventoryState {
    inventory: Inventory,
    problems: Vec<ErrorData>,
    files: Vec<PathBuf>,
}

#[pymethods]
impl PyInventory {
    #[getter]
    fn credentials<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(
            py,
            self.inventory.credentials.iter().cloned().map(PyCredential),
        )
    }
    #[getter]
    fn clusters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(py, self.inventory.clusters.iter().cloned().map(PyCluster))
    }
    /// Problems met on the way; the rest of the input is still inventoried.
    #[getter]
    fn problems<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(py, self.inventory.problems.iter().cloned().map(PyProblem))
    }
    /// The kubeconfig files read, in order (empty for text).
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple(py, &self.files)
    }
    fn __len__(&self) -> usize {
        self.inventory.credentials.len()
    }
    /// Iterates over the credentials.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        self.credentials(py)?.try_iter()
    }
    /// The versioned JSON document of `kcred inspect --format json`, at `now`.
    #[pyo3(signature = (now=None, *, indent=true))]
    fn to_json(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
        indent: bool,
    ) -> PyResult<String> {
        crate::errors::boundary(py, || {
            let now = instant(py, now)?;
            let mut doc = kcred_core::inventory_json(&self.inventory, now);
            doc["files"] = serde_json::json!(self.files);
            crate::policy::json_text(&doc, indent)
        })
    }
    /// The table of `kcred inspect`, at `now`.
    #[pyo3(signature = (now=None, *, color=false))]
    fn to_table(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
        color: bool,
    ) -> PyResult<String> {
        crate::errors::boundary(py, || {
            let now = instant(py, now)?;
            Ok(kcred_core::inventory_table(&self.inventory, now, color))
        })
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| {
            let o = o.get();
            same(&self.inventory, &o.inventory) && self.files == o.files
        })
    }
    fn __repr__(&self) -> String {
        let n = |count: usize, what: &str| {
            format!("{count} {what}{}", if count == 1 { "" } else { "s" })
        };
        format!(
            "<Inventory {}, {}, {} from {}>",
            n(self.inventory.credentials.len(), "credential"),
            n(self.inventory.clusters.len(), "cluster"),
            n(self.inventory.problems.len(), "problem"),
            n(self.files.len(), "file")
        )
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let state = InventoryState {
            inventory: Inventory {
                problems: Vec::new(),
                ..self.inventory.clone()
            },
            problems: self
                .inventory
                .problems
                .iter()
                .map(ErrorData::from_core)
                .collect(),
            files: self.files.clone(),
        };
        reduce::<Self, _>(py, &state)
    }
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        let state: InventoryState = restore(state)?;
        let mut inventory = state.inventory;
        inventory.problems = state
            .problems
            .into_iter()
            .map(ErrorData::into_core)
            .collect();
        Ok(PyInventory {
            inventory,
            files: state.files,
        })
    }
}
