//! Who a credential acts as, as the API server's authenticators would say.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::credential::{Credential, CredentialRecord};
use crate::token::TokenInfo;

/// The group of every authenticated request.
const AUTHENTICATED: &str = "system:authenticated";

/// A user name and groups, as RBAC matches them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The user name (`system:serviceaccount:NS:NAME` for a service account).
    pub user: String,
    /// The groups, with `system:authenticated`.
    pub groups: Vec<String>,
}

impl Identity {
    /// An authenticated user in `groups` (and `system:authenticated`).
    pub fn user(name: &str, groups: &[&str]) -> Self {
        let mut all: Vec<String> = groups.iter().map(|g| (*g).to_owned()).collect();
        if !all.iter().any(|g| g == AUTHENTICATED) {
            all.push(AUTHENTICATED.to_owned());
        }
        Identity {
            user: name.to_owned(),
            groups: all,
        }
    }

    /// The service account `namespace/name`, with the groups the token
    /// authenticator adds.
    pub fn service_account(namespace: &str, name: &str) -> Self {
        Identity::user(
            &format!("system:serviceaccount:{namespace}:{name}"),
            &[
                "system:serviceaccounts",
                &format!("system:serviceaccounts:{namespace}"),
            ],
        )
    }
}

/// How the cluster's OIDC authenticator maps token claims to an identity
/// (kube-apiserver's `--oidc-username-claim`, `--oidc-groups-claim`,
/// `--oidc-username-prefix`, `--oidc-groups-prefix`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OidcClaims {
    /// The claim holding the user name (the API server's default: `sub`).
    pub username_claim: String,
    /// The claim holding the groups (none by default).
    pub groups_claim: Option<String>,
    /// Prefix of user names. `None` is the API server's default: the issuer
    /// URL and `#`, unless the claim is `email`; `-` means none.
    pub username_prefix: Option<String>,
    /// Prefix of group names (none by default).
    pub groups_prefix: Option<String>,
}

impl Default for OidcClaims {
    fn default() -> Self {
        OidcClaims {
            username_claim: "sub".to_owned(),
            groups_claim: None,
            username_prefix: None,
            groups_prefix: None,
        }
    }
}

impl OidcClaims {
    /// The identity an OIDC token's claims give, or `None` when the user
    /// name claim is missing.
    fn identity(
        &self,
        claims: &serde_json::Map<String, Value>,
        issuer: Option<&str>,
    ) -> Option<Identity> {
        let name = claims.get(&self.username_claim)?.as_str()?;
        let prefix = match self.username_prefix.as_deref() {
            Some("-") => String::new(),
            Some(p) => p.to_owned(),
            None if self.username_claim == "email" => String::new(),
            None => issuer.map(|i| format!("{i}#")).unwrap_or_default(),
        };
        let group_prefix = self.groups_prefix.as_deref().unwrap_or_default();
        let groups: Vec<String> = match self.groups_claim.as_ref().and_then(|c| claims.get(c)) {
            Some(Value::String(one)) => vec![format!("{group_prefix}{one}")],
            Some(Value::Array(many)) => many
                .iter()
                .filter_map(Value::as_str)
                .map(|g| format!("{group_prefix}{g}"))
                .collect(),
            _ => Vec::new(),
        };
        let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
        Some(Identity::user(&format!("{prefix}{name}"), &groups))
    }
}

/// The identity a decoded token proves: a service account from its claims, or
/// an OIDC user read with `oidc` (`None`: the cluster's OIDC settings are not
/// known, so the identity is not either).
pub fn identity_of_token(token: &TokenInfo, oidc: Option<&OidcClaims>) -> Option<Identity> {
    if let Some(sa) = &token.service_account {
        return match (&sa.namespace, &sa.name) {
            (Some(ns), Some(name)) => Some(Identity::service_account(ns, name)),
            _ => None,
        };
    }
    let jwt = token.jwt.as_ref()?;
    // The issuer is redacted in kcred's records when it carries credentials;
    // a redacted issuer cannot prefix a user name, so the prefix is left out.
    oidc?.identity(&jwt.claims, jwt.issuer.as_deref())
}

/// The identity `record`'s credential proves, or `None` when it is not known
/// from what is on the disk: an opaque token, an exec plugin or cloud token
/// whose user mapping lives in the cluster (EKS's aws-auth, GKE's IAM), basic
/// auth (the static password file's groups are on the server).
///
/// A certificate is the user of its CN in the groups of its O's; a
/// service-account token the service account; an OIDC token (a `token`, or
/// an oidc auth-provider's `id-token`) the user its claims give under `oidc`.
pub fn identity_of(record: &CredentialRecord, oidc: Option<&OidcClaims>) -> Option<Identity> {
    match &record.credential {
        Credential::ClientCertificate(cert) => {
            let info = cert.certificate.as_ref()?;
            let name = info.common_name.as_deref()?;
            let groups: Vec<&str> = info.organizations.iter().map(String::as_str).collect();
            Some(Identity::user(name, &groups))
        }
        Credential::Token(token) => identity_of_token(&token.info, oidc),
        Credential::AuthProvider(provider) if provider.name == "oidc" => {
            identity_of_token(provider.id_token.as_ref()?, oidc)
        }
        _ => None,
    }
}
