//! The exposure report: for what is on a disk, per context, which credentials
//! someone holding it can use, until when, whether they can be revoked and how,
//! and the steps to take now.
// Windows add assumed lifetimes to dates read from input (an `iat` of year
// 9999, a `--lifetime` of 1000y): every computation is checked (this module and
// its children).
#![deny(clippy::arithmetic_side_effects)]

mod defaults;
mod revocation;

pub use defaults::{DefaultRow, LifetimeDefaults};
pub use revocation::Revocability;

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use time::OffsetDateTime;

use crate::cache::{CacheEntry, CacheKind, FileFacts};
use crate::credential::{Credential, CredentialRecord, Inventory};
use crate::error::Location;
use crate::exec::ExecPlugin;
use crate::platform::Platform;
use crate::platform::Situation;
use crate::report::shell_quote;
use crate::token::TokenFormat;
use revocation::{advice_for, certificate_revocation, idp_revocation, static_token_revocation};

/// Until when a credential (or a context) can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Until {
    /// Usable until this instant.
    At {
        /// The last instant.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// No expiry: usable until revoked.
    Never,
    /// The end cannot be told from the disk; usable at least until `at_least`.
    Unknown {
        /// A lower bound, when one is known.
        #[serde(with = "time::serde::rfc3339::option")]
        at_least: Option<OffsetDateTime>,
    },
    /// Stopped working at `at`.
    Expired {
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// Cannot be used from what is on the disk (needs an interactive login, or
    /// the original host).
    NotUsable,
}

impl Until {
    /// Usable until `start + life`. An end past year 9999 is no date kcred can
    /// name: it saturates to [`Until::Never`] (usable until revoked); a negative
    /// lifetime ending before year 0 (library callers only) is expired at `start`.
    fn after(start: OffsetDateTime, life: time::Duration, now: OffsetDateTime) -> Until {
        match start.checked_add(life).and_then(crate::expiry::in_range) {
            Some(end) => Until::at(end, now),
            None if life.is_negative() => Until::Expired { at: start },
            None => Until::Never,
        }
    }

    /// `end - life`, the estimated start of a token, when it is a nameable date.
    fn start_before(end: OffsetDateTime, life: time::Duration) -> Option<OffsetDateTime> {
        end.checked_sub(life).and_then(crate::expiry::in_range)
    }

    fn at(t: OffsetDateTime, now: OffsetDateTime) -> Until {
        if t <= now {
            Until::Expired { at: t }
        } else {
            Until::At { at: t }
        }
    }

    /// Whether someone can use it at all (now or later).
    pub fn is_usable(&self) -> bool {
        !matches!(self, Until::Expired { .. } | Until::NotUsable)
    }

    /// The latest of several windows: never beats unknown beats a date; expired
    /// and unusable count only when nothing is usable.
    pub fn latest(all: impl IntoIterator<Item = Until>) -> Until {
        let all: Vec<Until> = all.into_iter().collect();
        if all.contains(&Until::Never) {
            return Until::Never;
        }
        let max_at = all
            .iter()
            .filter_map(|u| match u {
                Until::At { at } => Some(*at),
                Until::Unknown { at_least } => *at_least,
                _ => None,
            })
            .max();
        if all.iter().any(|u| matches!(u, Until::Unknown { .. })) {
            return Until::Unknown { at_least: max_at };
        }
        if let Some(at) = max_at {
            return Until::At { at };
        }
        match all
            .iter()
            .filter_map(|u| match u {
                Until::Expired { at } => Some(*at),
                _ => None,
            })
            .max()
        {
            Some(at) => Until::Expired { at },
            None => Until::NotUsable,
        }
    }
}

/// One credential reachable from disk for a context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExposedCredential {
    /// What it is, for people: `client certificate CN=masterclient O=system:masters`.
    pub what: String,
    /// `kubeconfig`, or the cache kind that holds it.
    pub source: &'static str,
    /// Where it is.
    pub location: Location,
    /// Until when it works, refresh tokens counted.
    pub until: Until,
    /// When the short-lived part (access or id token) stops, if it differs from `until`.
    #[serde(with = "time::serde::rfc3339::option")]
    pub access_token_until: Option<OffsetDateTime>,
    /// Each use can extend the window (a refresh token that is replaced when used).
    pub renewable: bool,
    /// Whether and how it can be revoked.
    pub revocability: Revocability,
    /// How to revoke it on this platform.
    pub revoke: String,
}

/// The exposure of one context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContextExposure {
    /// Context name.
    pub context: String,
    /// User entry.
    pub user: String,
    /// Cluster entry.
    pub cluster: Option<String>,
    /// Platform, as told from the kubeconfig.
    pub platform: Platform,
    /// Every credential reachable for it (usable or not).
    pub credentials: Vec<ExposedCredential>,
    /// The latest moment any usable credential still works.
    pub until: Until,
    /// Some usable credential cannot be revoked short of CA rotation or its expiry.
    pub irrevocable: bool,
    /// Some usable credential is a client certificate in `system:masters`.
    pub system_masters: bool,
    /// What to do now, in order.
    pub steps: Vec<String>,
}

/// A file that group or others may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileWarning {
    /// The file.
    pub path: std::path::PathBuf,
    /// Its permission bits, as octal text (`0644`).
    pub mode: String,
    /// What to do.
    pub fix: String,
}

/// Files readable by group or others, among `files` (kubeconfigs and caches).
pub fn permission_warnings(files: &[FileFacts]) -> Vec<FileWarning> {
    let mut out: Vec<FileWarning> = files
        .iter()
        .filter(|f| f.readable_by_others())
        .map(|f| FileWarning {
            path: f.path.clone(),
            mode: format!("{:04o}", f.mode.unwrap_or(0)),
            fix: format!("chmod 600 {}", shell_quote(&f.path.display().to_string())),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup();
    out
}

/// The exposure report: one entry per context, in the order contexts appear in
/// the inventory. `caches` should already be linked to users ([`crate::link_caches`]).
pub fn exposure(
    inventory: &Inventory,
    caches: &[CacheEntry],
    defaults: &LifetimeDefaults,
    now: OffsetDateTime,
) -> Vec<ContextExposure> {
    // Indexes by name, so 100,000 contexts cost 100,000 lookups, not 100,000².
    let mut contexts: Vec<(String, String, Option<String>)> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut records_of_context: HashMap<&str, Vec<&CredentialRecord>> = HashMap::new();
    for r in &inventory.credentials {
        for (i, ctx) in r.contexts.iter().enumerate() {
            records_of_context.entry(ctx.as_str()).or_default().push(r);
            if seen.insert(ctx.as_str()) {
                let cluster = r.clusters.get(i).or(r.clusters.first()).cloned();
                contexts.push((ctx.clone(), r.user.clone(), cluster));
            }
        }
    }
    let mut caches_of_user: HashMap<&str, Vec<&CacheEntry>> = HashMap::new();
    for c in caches {
        for user in &c.users {
            let linked = caches_of_user.entry(user.as_str()).or_default();
            if !linked.iter().any(|l| std::ptr::eq(*l, c)) {
                linked.push(c);
            }
        }
    }
    contexts
        .into_iter()
        .map(|(context, user, cluster)| {
            let records: Vec<&CredentialRecord> = records_of_context
                .get(context.as_str())
                .map(|all| all.iter().copied().filter(|r| r.user == user).collect())
                .unwrap_or_default();
            let platform = records
                .iter()
                .map(|r| r.platform)
                .find(|p| *p != Platform::Generic)
                .unwrap_or(Platform::Generic);
            let linked: Vec<&CacheEntry> = caches_of_user
                .get(user.as_str())
                .cloned()
                .unwrap_or_default();
            let mut credentials = Vec::new();
            for r in &records {
                if let Some(c) = from_record(r, platform, !linked.is_empty(), defaults, now) {
                    credentials.push(c);
                }
            }
            for c in &linked {
                credentials.push(from_cache(c, platform, defaults, now));
            }
            let usable: Vec<&ExposedCredential> =
                credentials.iter().filter(|c| c.until.is_usable()).collect();
            let until = Until::latest(credentials.iter().map(|c| c.until));
            let irrevocable = usable.iter().any(|c| !c.revocability.is_revocable());
            let system_masters = usable.iter().any(|c| {
                c.revocability
                    == Revocability::IrrevocableUntilCaRotation {
                        system_masters: true,
                    }
            });
            let steps = steps(platform, &user, &usable);
            ContextExposure {
                context,
                user,
                cluster,
                platform,
                credentials,
                until,
                irrevocable,
                system_masters,
                steps,
            }
        })
        .collect()
}

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
    }
}

/// A credential written in the kubeconfig. An exec plugin whose tokens come from
/// linked caches is left out (the caches are listed instead).
fn from_record(
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
            let what = match &c.certificate {
                Some(_) => format!("client certificate {}", r.identity()),
                None => "client certificate (undecodable)".to_owned(),
            };
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
    };
    Some(out)
}

/// A cached credential.
fn from_cache(
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
            let what = format!(
                "kubelogin cached Entra token{}",
                if c.has_refresh_token {
                    " with refresh token"
                } else {
                    ""
                }
            );
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
            let what = format!(
                "oidc-login cached id_token{}",
                if c.has_refresh_token {
                    " with refresh token"
                } else {
                    ""
                }
            );
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
    }
}

fn push(steps: &mut Vec<String>, s: String) {
    if !steps.contains(&s) {
        steps.push(s);
    }
}

/// The steps to take now: the platform's own, then each usable credential's revocation.
fn steps(platform: Platform, user: &str, usable: &[&ExposedCredential]) -> Vec<String> {
    let mut steps = Vec::new();
    if usable.is_empty() {
        return steps;
    }
    let has = |f: &dyn Fn(&ExposedCredential) -> bool| usable.iter().any(|c| f(c));
    let certs = has(&|c| {
        matches!(
            c.revocability,
            Revocability::IrrevocableUntilCaRotation { .. }
        )
    });
    let caches = has(&|c| c.source != "kubeconfig");
    let server_token = has(&|c| c.revocability == Revocability::ServerRevocableToken);
    let idp = caches || has(&|c| c.revocability == Revocability::IdpBacked);
    for (on, situation) in [
        (true, Situation::StepAlways),
        (certs, Situation::StepCertificates),
        (server_token, Situation::StepStaticToken),
        (idp, Situation::StepIdentityProvider),
    ] {
        if on {
            for step in advice_for(platform, situation, user, None) {
                push(&mut steps, step);
            }
        }
    }
    // The platform steps above cover certificates, static tokens and the
    // identity provider; list each credential's own revocation only where they
    // do not (service-account tokens, other platforms).
    let covered = !steps.is_empty();
    for c in usable {
        let own = matches!(
            c.revocability,
            Revocability::LegacyServiceAccountToken
                | Revocability::BoundServiceAccountToken
                | Revocability::ServerSidePassword
                | Revocability::Unknown
        );
        if !covered || own {
            push(&mut steps, format!("{}: {}", c.what, c.revoke));
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC); // 1_767_225_600

    #[test]
    fn windows_past_year_9999_saturate_to_never() {
        use time::{Duration, PrimitiveDateTime, UtcOffset};
        let end = datetime!(9999-12-31 23:59:59 UTC);
        let start = datetime!(0000-01-01 0:00 UTC);
        let west =
            PrimitiveDateTime::MAX.assume_offset(UtcOffset::from_hms(-23, -59, -59).unwrap());
        for s in [end, west, NOW, start] {
            for life in [Duration::MAX, Duration::days(365_000), Duration::days(90)] {
                let u = Until::after(s, life, NOW);
                assert!(u.is_usable() || s < NOW, "{s} + {life}: {u:?}");
            }
            let u = Until::after(s, Duration::MIN, NOW);
            assert!(!u.is_usable(), "{s} - max: {u:?}");
        }
        assert_eq!(Until::after(end, Duration::days(90), NOW), Until::Never);
        assert_eq!(
            Until::after(NOW, Duration::hours(1), NOW),
            Until::At {
                at: datetime!(2026-01-01 1:00 UTC)
            }
        );
        assert_eq!(Until::start_before(start, Duration::minutes(90)), None);
        assert_eq!(Until::start_before(end, Duration::MAX), None);
        assert_eq!(
            Until::start_before(NOW, Duration::minutes(90)),
            Some(datetime!(2025-12-31 22:30 UTC))
        );
    }

    #[test]
    fn latest_orders_never_unknown_dates() {
        let a = Until::At {
            at: NOW + time::Duration::hours(1),
        };
        let b = Until::At {
            at: NOW + time::Duration::hours(2),
        };
        assert_eq!(Until::latest([a, b]), b);
        assert_eq!(
            Until::latest([a, Until::Unknown { at_least: None }]),
            Until::Unknown {
                at_least: Some(NOW + time::Duration::hours(1))
            }
        );
        assert_eq!(Until::latest([a, Until::Never]), Until::Never);
        assert_eq!(
            Until::latest([Until::Expired { at: NOW }, Until::NotUsable]),
            Until::Expired { at: NOW }
        );
        assert_eq!(Until::latest([]), Until::NotUsable);
        assert_eq!(Until::at(NOW, NOW), Until::Expired { at: NOW });
    }
}
