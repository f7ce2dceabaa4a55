//! How a credential can be made to stop working before it expires, and the
//! platform's command for it.

use serde::Serialize;

use crate::platform::{advice_rows, aks_names, fill, Platform, Situation};

/// Whether, and how, a credential can be revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "class", rename_all = "kebab-case")]
pub enum Revocability {
    /// An X.509 client certificate: Kubernetes has no revocation list, so it
    /// authenticates until notAfter or until the cluster CA is rotated.
    /// `system_masters`: in group `system:masters`, which bypasses RBAC, so not
    /// even removing role bindings limits it.
    IrrevocableUntilCaRotation {
        /// The certificate is in `system:masters`.
        system_masters: bool,
    },
    /// A static token the API server holds (AKS local admin token,
    /// `--token-auth-file`, bootstrap token, OpenShift OAuth token): revoked by
    /// removing it on the server side.
    ServerRevocableToken,
    /// A bound service-account token: revoked when its bound object (pod,
    /// secret, node) or the service account is deleted; expires at `exp`.
    BoundServiceAccountToken,
    /// A legacy Secret-based service-account token: no expiry; delete the Secret.
    LegacyServiceAccountToken,
    /// A signed token nothing can revoke (OIDC id-token, EKS presigned token):
    /// it stops at its expiry; revoke what mints new ones.
    ExpiryOnly,
    /// Backed by an identity provider (Entra, Google, AWS IAM, an OIDC IdP):
    /// short access tokens, and a refresh token or key that the provider revokes.
    IdpBacked,
    /// A basic-auth password held by the API server (removed in Kubernetes 1.19).
    ServerSidePassword,
    /// Works only on the original host (managed identity, workload identity).
    NotUsableOffHost,
    /// Cannot be told (an unknown exec plugin).
    Unknown,
}

impl Revocability {
    /// Stable short name.
    pub fn name(&self) -> &'static str {
        match self {
            Revocability::IrrevocableUntilCaRotation { .. } => "irrevocable-until-ca-rotation",
            Revocability::ServerRevocableToken => "server-revocable-token",
            Revocability::BoundServiceAccountToken => "bound-service-account-token",
            Revocability::LegacyServiceAccountToken => "legacy-service-account-token",
            Revocability::ExpiryOnly => "expiry-only",
            Revocability::IdpBacked => "idp-backed",
            Revocability::ServerSidePassword => "server-side-password",
            Revocability::NotUsableOffHost => "not-usable-off-host",
            Revocability::Unknown => "unknown",
        }
    }

    /// Whether the credential can be made to stop working before its expiry
    /// without rotating the cluster CA.
    pub fn is_revocable(&self) -> bool {
        !matches!(
            self,
            Revocability::IrrevocableUntilCaRotation { .. } | Revocability::ExpiryOnly
        )
    }
}

/// The platform's advice for `situation`, each row with its placeholders filled
/// (the AKS names from `user`, the issuer).
pub(crate) fn advice_for(
    platform: Platform,
    situation: Situation,
    user: &str,
    issuer: Option<&str>,
) -> impl Iterator<Item = String> {
    let (rg, name) = aks_names(user);
    let issuer = issuer.map(|i| format!(" {i}")).unwrap_or_default();
    advice_rows(platform, situation)
        .map(move |t| fill(t, &[("rg", &rg), ("name", &name), ("issuer", &issuer)]))
}

fn first_advice(
    platform: Platform,
    situation: Situation,
    user: &str,
    issuer: Option<&str>,
) -> String {
    advice_for(platform, situation, user, issuer)
        .next()
        .unwrap_or_default()
}

/// The command or action that revokes a client certificate on this platform.
pub(crate) fn certificate_revocation(
    platform: Platform,
    user: &str,
    system_masters: bool,
) -> String {
    let base = first_advice(platform, Situation::RevokeCertificate, user, None);
    if system_masters {
        format!("{base}; group system:masters bypasses RBAC, so no role binding change limits it meanwhile")
    } else {
        format!(
            "{base}; meanwhile remove the RBAC bindings of its user and groups to strip its rights"
        )
    }
}

/// How to revoke a static token the API server holds, on this platform.
pub(crate) fn static_token_revocation(platform: Platform, user: &str) -> String {
    first_advice(platform, Situation::RevokeStaticToken, user, None)
}

/// How to revoke what an identity provider issued, on this platform.
pub(crate) fn idp_revocation(platform: Platform, issuer: Option<&str>) -> String {
    first_advice(platform, Situation::RevokeAtIdentityProvider, "", issuer)
}
