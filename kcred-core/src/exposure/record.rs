//! What a credential written in the kubeconfig exposes: until when, whether
//! and how it can be revoked.

use time::OffsetDateTime;

use super::revocation::{certificate_revocation, idp_revocation, static_token_revocation};
use super::{ExposedCredential, LifetimeDefaults, Revocability, Until};
use crate::credential::{Credential, CredentialRecord};
use crate::error::Location;
use crate::exec::ExecPlugin;
use crate::platform::Platform;
use crate::report::shell_quote;
use crate::token::TokenFormat;

fn validity_until(v: Option<crate::expiry::Validity>, now: OffsetDateTime) -> Until {
    match v {
        Some(v) if v.never_expires => Until::Never,
        Some(v) => match v.not_after {
            Some(end) => Until::at(end, now),
            None => Until::Unknown { at_least: None },
        },
        None => Until::Unknown { at_least: None },
    }
}

fn exposed(
    what: String,
    location: &Location,
    until: Until,
    revocability: Revocability,
    revoke: String,
) -> ExposedCredential {
    ExposedCredential {
        what,
        source: "kubeconfig",
        location: location.clone(),
        until,
        access_token_until: None,
        renewable: false,
        revocability,
        revoke,
        can_mint_credentials: None,
    }
}

/// A credential written in the kubeconfig. An exec plugin whose tokens come from
/// linked caches is left out (the caches are listed instead).
pub(super) fn from_record(
    r: &CredentialRecord,
    platform: Platform,
    has_caches: bool,
    defaults: &LifetimeDefaults,
    now: OffsetDateTime,
) -> Option<ExposedCredential> {
    let loc = &r.location;
    let out = match &r.credential {
        Credential::ClientCertificate(c) => {
            let masters = r.is_system_masters();
            // The identity says "(missing file)" or "(undecodable)" when there is no certificate.
            let what = format!("client certificate {}", r.identity());
            exposed(
                what,
                loc,
                validity_until(c.certificate.as_ref().map(|c| c.validity), now),
                Revocability::IrrevocableUntilCaRotation {
                    system_masters: masters,
                },
                certificate_revocation(platform, &r.user, masters),
            )
        }
        Credential::Token(t) => {
            let sa = t.info.service_account.as_ref();
            let ns = sa.and_then(|s| s.namespace.clone()).unwrap_or_default();
            let (until, class, revoke) = match t.info.format {
                TokenFormat::ServiceAccountLegacy => (
                    Until::Never,
                    Revocability::LegacyServiceAccountToken,
                    format!(
                        "`kubectl delete secret -n {} {}` (the token lives until its Secret is deleted)",
                        shell_quote(&ns),
                        sa.and_then(|s| s.secret.as_deref())
                            .map_or("<secret>".into(), shell_quote)
                    ),
                ),
                TokenFormat::ServiceAccountBound => {
                    let object = sa
                        .and_then(|s| {
                            s.bound_pod
                                .as_ref()
                                .map(|p| format!("pod {p}"))
                                .or_else(|| s.bound_secret.as_ref().map(|p| format!("secret {p}")))
                                .or_else(|| s.bound_node.as_ref().map(|p| format!("node {p}")))
                        })
                        .unwrap_or_else(|| "object".to_owned());
                    (
                        validity_until(t.info.validity, now),
                        Revocability::BoundServiceAccountToken,
                        format!(
                            "delete the bound {object} in namespace {ns} (or the service account {}) to revoke it before exp",
                            sa.and_then(|s| s.name.clone()).unwrap_or_default()
                        ),
                    )
                }
                TokenFormat::EksPresigned => (
                    validity_until(t.info.validity, now),
                    Revocability::ExpiryOnly,
                    format!("cannot be revoked; accepted for {} after signing; revoke the IAM credentials that signed it", crate::human_duration(defaults.eks_token)),
                ),
                TokenFormat::Jwt => (
                    validity_until(t.info.validity, now),
                    Revocability::ExpiryOnly,
                    "a signed JWT cannot be revoked; it stops at exp; revoke the session at its issuer".to_owned(),
                ),
                TokenFormat::OpenShiftOAuth => (
                    Until::Unknown { at_least: None },
                    Revocability::ServerRevocableToken,
                    format!("`oc delete useroauthaccesstokens` for the user (expires at most {} after issue by default)", crate::human_duration(defaults.openshift_oauth_token)),
                ),
                TokenFormat::BootstrapToken => (
                    Until::Unknown { at_least: None },
                    Revocability::ServerRevocableToken,
                    "`kubeadm token delete <token-id>`".to_owned(),
                ),
                TokenFormat::Opaque => (
                    // AKS's local-admin token has no expiry; elsewhere no one
                    // can tell from the disk.
                    if platform == Platform::Aks {
                        Until::Never
                    } else {
                        Until::Unknown { at_least: None }
                    },
                    Revocability::ServerRevocableToken,
                    static_token_revocation(platform, &r.user),
                ),
            };
            let what = format!("token {}", r.identity());
            exposed(what, loc, until, class, revoke)
        }
        Credential::BasicAuth(b) => exposed(
            format!("basic auth user={}", b.username),
            loc,
            Until::Unknown { at_least: None },
            Revocability::ServerSidePassword,
            "remove the user from the API server's basic-auth file (basic auth was removed in Kubernetes 1.19)".to_owned(),
        ),
        Credential::AuthProvider(a) => {
            let token_end = r.validity().and_then(|v| v.not_after);
            let issued = a
                .access_token
                .as_ref()
                .or(a.id_token.as_ref())
                .and_then(|t| t.jwt.as_ref())
                .and_then(|j| j.issued_at);
            let (until, renewable) = match (a.name.as_str(), a.has_refresh_token) {
                ("azure", true) => {
                    let start = issued.or(token_end
                        .and_then(|e| Until::start_before(e, defaults.entra_access_token)));
                    match start {
                        Some(s) => (Until::after(s, defaults.entra_refresh_token, now), true),
                        None => (Until::Unknown { at_least: token_end }, true),
                    }
                }
                ("oidc", true) => match (defaults.oidc_refresh_token, issued) {
                    (Some(d), Some(s)) => (Until::after(s, d, now), true),
                    _ => (Until::Unknown { at_least: token_end.filter(|e| *e > now) }, true),
                },
                _ => (
                    token_end.map_or(Until::Unknown { at_least: None }, |e| Until::at(e, now)),
                    false,
                ),
            };
            let mut e = exposed(
                format!("auth-provider {}{}", a.name, if a.has_refresh_token { " (refresh token on disk)" } else { "" }),
                loc,
                until,
                Revocability::IdpBacked,
                idp_revocation(platform, a.issuer.as_deref()),
            );
            e.renewable = renewable;
            e.access_token_until = token_end;
            e
        }
        Credential::Exec(x) => {
            if has_caches {
                return None;
            }
            let secret_on_disk = x.secret_in_args
                || x.env_names.iter().any(|n| {
                    let n = n.to_ascii_uppercase();
                    n.contains("SECRET") || n.contains("PASSWORD")
                });
            let (until, class, revoke) = match &x.plugin {
                ExecPlugin::AzureKubelogin { login_mode, .. }
                    if matches!(login_mode.as_str(), "msi" | "workloadidentity") =>
                {
                    (
                        Until::NotUsable,
                        Revocability::NotUsableOffHost,
                        "needs the Azure host's managed or workload identity; nothing to revoke for the disk".to_owned(),
                    )
                }
                _ if secret_on_disk => (
                    Until::Unknown { at_least: None },
                    Revocability::IdpBacked,
                    "a client secret or password is written in the kubeconfig: delete or rotate it at the identity provider (`az ad app credential delete` for an Entra service principal)".to_owned(),
                ),
                ExecPlugin::AwsEksGetToken { .. } | ExecPlugin::AwsIamAuthenticator { .. } => (
                    Until::Unknown { at_least: None },
                    Revocability::IdpBacked,
                    "no AWS credentials found in the searched files; the plugin may still find some (environment, SSO cache, instance role)".to_owned(),
                ),
                ExecPlugin::Other => (
                    Until::Unknown { at_least: None },
                    Revocability::Unknown,
                    format!("unknown plugin `{}`: check what it stores", x.command),
                ),
                _ => (
                    Until::NotUsable,
                    Revocability::IdpBacked,
                    "no cached token or credential store for it was found: needs an interactive login".to_owned(),
                ),
            };
            exposed(format!("exec {}", r.identity()), loc, until, class, revoke)
        }
        // Anonymous: nothing on disk lets anyone in.
        Credential::None => return None,
    };
    Some(ExposedCredential {
        can_mint_credentials: r.privileges.as_ref().map(|p| p.can_mint_credentials),
        ..out
    })
}
