//! What a token cache or credential store exposes.

use time::OffsetDateTime;

use super::revocation::idp_revocation;
use super::{ExposedCredential, LifetimeDefaults, Revocability, Until};
use crate::cache::{CacheEntry, CacheKind};
use crate::platform::Platform;

fn with_refresh(c: &CacheEntry) -> &'static str {
    if c.has_refresh_token {
        " with refresh token"
    } else {
        ""
    }
}

/// A cached credential.
pub(super) fn from_cache(
    c: &CacheEntry,
    platform: Platform,
    d: &LifetimeDefaults,
    now: OffsetDateTime,
) -> ExposedCredential {
    let expires = c.expires_at;
    let modified = c.file.as_ref().and_then(|f| f.modified);
    let access = expires.map_or(Until::Unknown { at_least: None }, |e| Until::at(e, now));
    let mut renewable = c.has_refresh_token;
    let (what, until) = match c.kind {
        CacheKind::AzureKubeloginToken => {
            let what = format!("kubelogin cached Entra token{}", with_refresh(c));
            if c.has_refresh_token {
                let start = c
                    .issued_at
                    .or(expires.and_then(|e| Until::start_before(e, d.entra_access_token)))
                    .or(modified);
                (
                    what,
                    start.map_or(Until::Unknown { at_least: expires }, |s| {
                        Until::after(s, d.entra_refresh_token, now)
                    }),
                )
            } else {
                (what, access)
            }
        }
        CacheKind::AzureAuthRecord | CacheKind::AzurePopTokenCache => (
            format!(
                "kubelogin {} (tokens in the OS secret store{})",
                if c.kind == CacheKind::AzureAuthRecord {
                    "authentication record"
                } else {
                    "PoP token cache"
                },
                c.key
                    .account
                    .as_ref()
                    .map(|a| format!(", account {a}"))
                    .unwrap_or_default()
            ),
            Until::Unknown { at_least: None },
        ),
        CacheKind::AzureCliTokenCache => {
            let what = format!(
                "Azure CLI token cache{}",
                c.key
                    .account
                    .as_ref()
                    .map(|a| format!(" (account {a})"))
                    .unwrap_or_default()
            );
            if c.tokens_in_secret_store {
                (what, Until::Unknown { at_least: None })
            } else if c.has_refresh_token {
                (
                    what,
                    modified.map_or(Until::Unknown { at_least: expires }, |m| {
                        Until::after(m, d.entra_refresh_token, now)
                    }),
                )
            } else {
                (what, access)
            }
        }
        CacheKind::OidcLogin => {
            let what = format!("oidc-login cached id_token{}", with_refresh(c));
            let until = match (c.has_refresh_token, d.oidc_refresh_token, c.issued_at) {
                (true, Some(life), Some(s)) => Until::after(s, life, now),
                (true, _, _) => Until::Unknown {
                    at_least: expires.filter(|e| *e > now),
                },
                (false, _, _) => access,
            };
            (what, until)
        }
        CacheKind::GkeGcloudAuthPlugin => (
            "gke-gcloud-auth-plugin cached access token".to_owned(),
            access,
        ),
        CacheKind::GcloudCredentials => (
            "gcloud credential store (Google refresh tokens or service-account keys)".to_owned(),
            d.google_refresh_token
                .zip(modified)
                .map_or(Until::Never, |(life, m)| Until::after(m, life, now)),
        ),
        CacheKind::AwsIamAuthenticator => {
            renewable = false;
            let until = if c.has_long_term_key {
                Until::Never
            } else {
                access
            };
            (
                "aws-iam-authenticator cached AWS credentials".to_owned(),
                until,
            )
        }
        CacheKind::AwsSharedCredentials => {
            renewable = false;
            let profile = c.key.profile.clone().unwrap_or_default();
            if c.has_long_term_key {
                (
                    format!("AWS long-term access keys (profile {profile})"),
                    Until::Never,
                )
            } else {
                (
                    format!("AWS temporary credentials (profile {profile})"),
                    Until::Unknown { at_least: None },
                )
            }
        }
        CacheKind::ExecCredential => ("cached ExecCredential".to_owned(), access),
    };
    // Every cache holds what an identity provider (Entra, Google, AWS IAM, an
    // OIDC IdP) issued, so the provider is where it is revoked.
    let revocability = Revocability::IdpBacked;
    ExposedCredential {
        what,
        source: c.kind.name(),
        location: c.location.clone(),
        until,
        access_token_until: expires.filter(|_| renewable),
        renewable,
        revocability,
        revoke: idp_revocation(platform, c.key.issuer.as_deref()),
        // A cache's identity is mapped in the cloud (Entra, IAM): not known here.
        can_mint_credentials: None,
    }
}
