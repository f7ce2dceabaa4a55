//! `Credential`: one credential of a kubeconfig, its identity and its window.

use std::path::PathBuf;

use kcred_core::{
    AuthProviderInfo, CertificateInfo, Credential, CredentialRecord, ExecInfo, ExecPlugin,
    ExpiryStatus, TokenInfo, Validity,
};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use time::OffsetDateTime;

use super::{source_file, PyCertificate, PyKeyInfo, PyLocation, PyToken};
use crate::class::{class_methods, Dated};
use crate::convert::{self, json_to_py};

impl PyCredential {
    fn cert(&self) -> Option<&CertificateInfo> {
        match &self.0.credential {
            Credential::ClientCertificate(c) => c.certificate.as_ref(),
            _ => None,
        }
    }
    fn exec(&self) -> Option<&ExecInfo> {
        match &self.0.credential {
            Credential::Exec(e) => Some(e),
            _ => None,
        }
    }
    fn auth_provider_info(&self) -> Option<&AuthProviderInfo> {
        match &self.0.credential {
            Credential::AuthProvider(a) => Some(a),
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

impl Dated for PyCredential {
    fn validity(&self) -> Option<Validity> {
        self.0.validity()
    }
    fn status_at(&self, now: OffsetDateTime) -> ExpiryStatus {
        self.0.status(now)
    }
}

class_methods! {
/// One credential found in a kubeconfig: what it is, whom it serves, where it is
/// and when it stops working. Holds no secret.
pub struct PyCredential(CredentialRecord) = "Credential";
[eq, dated], repr = |this| {
    format!(
        "<Credential {} user={:?} identity={:?} not_after={} at={:?}>",
        this.0.kind().name(),
        this.0.user,
        this.0.identity(),
        convert::rfc3339(this.0.validity().and_then(|v| v.not_after)),
        this.0.location.to_string()
    )
}, fields {
    /// The user entry's name.
    user: String,
}, tuples {
    contexts,
    clusters,
}, wraps {
    location: PyLocation,
}, {
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::kind(py, self.0.kind().name())
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
        PyTuple::new(py, groups)
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
        PyTuple::new(py, chain)
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
        self.token_info()
            .and_then(|t| t.jwt.as_ref())
            .map(|j| json_to_py(py, &serde_json::Value::Object(j.claims.clone())))
            .transpose()
    }
    /// `azure-kubelogin`, `aws-eks-get-token`, `aws-iam-authenticator`,
    /// `gke-gcloud-auth-plugin`, `oidc-login` or `other`, for exec credentials.
    #[getter]
    fn exec_plugin(&self) -> Option<&'static str> {
        self.exec().map(|e| e.plugin.name())
    }
    /// kubelogin login mode or OIDC grant type, for exec plugins that have one.
    #[getter]
    fn login_mode(&self) -> Option<String> {
        self.exec()
            .and_then(|e| e.plugin.login_mode())
            .map(str::to_owned)
    }
    #[getter]
    fn exec_command(&self) -> Option<String> {
        self.exec().map(|e| e.command.clone())
    }
    /// The exec plugin's arguments, secret-looking values replaced by `<redacted>`.
    #[getter]
    fn exec_args<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.exec().map(|e| e.args.as_slice()).unwrap_or_default())
    }
    /// `oidc`, `azure`, `gcp`... for auth-provider credentials.
    #[getter]
    fn auth_provider(&self) -> Option<String> {
        self.auth_provider_info().map(|a| a.name.clone())
    }
    /// An auth-provider refresh token is on disk.
    #[getter]
    fn has_refresh_token(&self) -> bool {
        self.auth_provider_info().is_some_and(|a| a.has_refresh_token)
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
    /// What the credential may do by the `rbac=` snapshots (`None` without a
    /// snapshot, or when its identity cannot be told).
    #[getter]
    fn privileges(&self) -> Option<crate::rbac::PyPrivileges> {
        self.0.privileges.as_deref().cloned().map(crate::rbac::PyPrivileges)
    }
    /// Every decoded fact of the credential as a dict (the `details` of `to_json`).
    #[getter]
    fn details<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::to_value(&self.0.credential).unwrap_or_default();
        json_to_py(py, value.get("details").unwrap_or(&serde_json::Value::Null))
    }
}}
