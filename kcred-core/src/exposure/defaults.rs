//! The one table of credential lifetimes that files do not state, with sources.
//! A caller (or a policy) overrides any row by name.

use serde::Serialize;
use time::Duration;

/// One lifetime of the table: a fixed one ([`Duration`]) or one that may be
/// `none` (`Option<Duration>`).
trait Lifetime: Sized {
    /// The value shown, `None` for `none`.
    fn shown(&self) -> Option<Duration>;
    /// The value set from a parsed `--lifetime`; `Err` when `none` is not allowed.
    fn from_parsed(name: &str, parsed: Option<Duration>) -> Result<Self, String>;
}

impl Lifetime for Duration {
    fn shown(&self) -> Option<Duration> {
        Some(*self)
    }

    fn from_parsed(name: &str, parsed: Option<Duration>) -> Result<Self, String> {
        parsed.ok_or_else(|| format!("{name} cannot be none"))
    }
}

impl Lifetime for Option<Duration> {
    fn shown(&self) -> Option<Duration> {
        *self
    }

    fn from_parsed(_: &str, parsed: Option<Duration>) -> Result<Self, String> {
        Ok(parsed)
    }
}

/// The table, one row per lifetime: its field, its type, its default, its
/// name for [`LifetimeDefaults::set`] and where the default comes from.
macro_rules! lifetimes {
    ($($(#[doc = $doc:literal])* $field:ident: $ty:ty = $default:expr, $name:literal, $source:literal;)*) => {
        /// Lifetimes kcred assumes where the files on disk do not say. Every field is a
        /// documented provider default; override by name with [`LifetimeDefaults::set`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct LifetimeDefaults {
            $($(#[doc = $doc])* pub $field: $ty,)*
        }

        impl Default for LifetimeDefaults {
            fn default() -> Self {
                LifetimeDefaults { $($field: $default,)* }
            }
        }

        /// Each row's name and source.
        const SOURCES: &[(&str, &str)] = &[$(($name, $source),)*];

        impl LifetimeDefaults {
            /// The values in force, in table order.
            fn values(&self) -> Vec<Option<Duration>> {
                vec![$(self.$field.shown(),)*]
            }

            /// Sets the row `name` to `parsed`.
            fn assign(&mut self, name: &str, parsed: Option<Duration>) -> Option<Result<(), String>> {
                match name {
                    $($name => Some(Lifetime::from_parsed(name, parsed).map(|v| self.$field = v)),)*
                    _ => None,
                }
            }
        }
    };
}

lifetimes! {
    /// Microsoft Entra refresh token: 90 days, renewed on each use.
    entra_refresh_token: Duration = Duration::days(90), "entra-refresh-token",
        "Microsoft identity platform docs, \"Refresh tokens\": 90 days by default (24 h for single-page apps), replaced on every use, revoked by password change or revokeSignInSessions";
    /// Microsoft Entra access token: 60–90 minutes (random); the upper bound.
    entra_access_token: Duration = Duration::minutes(90), "entra-access-token",
        "Microsoft identity platform docs, \"Access tokens\" / configurable token lifetimes: a random value between 60 and 90 minutes (75 on average)";
    /// EKS `k8s-aws-v1.` token: accepted for 15 minutes after signing.
    eks_token: Duration = Duration::minutes(15), "eks-token",
        "kubernetes-sigs/aws-iam-authenticator: the server accepts a presigned token for 15 minutes whatever X-Amz-Expires says; EKS docs: tokens are valid for 15 minutes";
    /// Google OAuth access token (GKE): 1 hour.
    gke_access_token: Duration = Duration::hours(1), "gke-access-token",
        "Google OAuth 2.0 docs: access tokens expire after 1 hour (expires_in 3599)";
    /// Google refresh token (gcloud): `None` = no fixed lifetime (it stops only
    /// when revoked, or after six months unused).
    google_refresh_token: Option<Duration> = None, "google-refresh-token",
        "Google Identity docs, \"Refresh token expiration\": no fixed lifetime; invalid once revoked, or unused for six months";
    /// AWS STS session from AssumeRole: 1 hour by default.
    aws_sts_session: Duration = Duration::hours(1), "aws-sts-session",
        "AWS STS AssumeRole API reference: DurationSeconds defaults to 3600 s";
    /// Refresh token of a generic OIDC provider: `None` = unknown (each IdP sets its own).
    oidc_refresh_token: Option<Duration> = None, "oidc-refresh-token",
        "no common default: set by each identity provider (Keycloak \"SSO Session Max\" 10 h, Dex and Okta configurable)";
    /// OpenShift OAuth access token: 24 hours by default.
    openshift_oauth_token: Duration = Duration::hours(24), "openshift-oauth-token",
        "OpenShift OAuth server configuration: accessTokenMaxAgeSeconds defaults to 86400 s";
}

/// One row of the table, for documentation and output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefaultRow {
    /// Name used by [`LifetimeDefaults::set`] (`entra-refresh-token`).
    pub name: &'static str,
    /// The value in force (`90d`, `none`).
    pub value: String,
    /// Where the default comes from.
    pub source: &'static str,
}

fn show(d: Option<Duration>) -> String {
    match d {
        None => "none".to_owned(),
        Some(d) => {
            let s = d.whole_seconds();
            if s % 86_400 == 0 {
                format!("{}d", s / 86_400)
            } else if s % 3_600 == 0 {
                format!("{}h", s / 3_600)
            } else if s % 60 == 0 {
                format!("{}m", s / 60)
            } else {
                format!("{s}s")
            }
        }
    }
}

/// The longest lifetime accepted, as for policy durations: 1000 years.
const MAX_LIFETIME_SECONDS: i64 = 1_000 * 365 * 86_400;

/// Parses `90d`, `36h`, `15m`, `30s` or `none`; `Err` says why not.
fn parse(text: &str) -> Result<Option<Duration>, String> {
    let text = text.trim();
    if text == "none" {
        return Ok(None);
    }
    let not_duration = || format!("{text:?} is not a duration like 90d, 12h, 15m or none");
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(not_duration)?;
    let (num, unit) = text.split_at(split);
    let unit: i64 = match unit {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        "s" => 1,
        _ => return Err(not_duration()),
    };
    // `Duration::days(n)` panics past i64 seconds; check instead, and cap.
    let too_large = || format!("{text:?} is too large (at most 1000 years, 365000d)");
    let n: i64 = match num.parse() {
        Ok(n) => n,
        Err(_) if !num.is_empty() => return Err(too_large()),
        Err(_) => return Err(not_duration()),
    };
    n.checked_mul(unit)
        .filter(|s| *s <= MAX_LIFETIME_SECONDS)
        .map(|s| Some(Duration::seconds(s)))
        .ok_or_else(too_large)
}

impl LifetimeDefaults {
    /// The table: name, value in force, source.
    pub fn rows(&self) -> Vec<DefaultRow> {
        SOURCES
            .iter()
            .zip(self.values())
            .map(|((name, source), v)| DefaultRow {
                name,
                value: show(v),
                source,
            })
            .collect()
    }

    /// Overrides one row: `set("entra-refresh-token", "30d")`. Returns an error
    /// message for an unknown name or a value that is not `<n>d|h|m|s` or `none`
    /// (`none` only where the row allows it).
    ///
    /// ```
    /// let mut d = kcred_core::LifetimeDefaults::default();
    /// d.set("entra-refresh-token", "30d").unwrap();
    /// assert_eq!(d.entra_refresh_token, time::Duration::days(30));
    /// assert!(d.set("eks-token", "none").is_err());
    /// ```
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let parsed = parse(value)?;
        self.assign(name, parsed).unwrap_or_else(|| {
            let names: Vec<&str> = SOURCES.iter().map(|(n, _)| *n).collect();
            Err(format!(
                "unknown lifetime {name:?} (one of {})",
                names.join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_round_trips() {
        let mut d = LifetimeDefaults::default();
        let rows = d.rows();
        assert_eq!(rows[0].value, "90d");
        assert_eq!(rows[2].value, "15m");
        assert_eq!(rows[4].value, "none");
        d.set("oidc-refresh-token", "10h").unwrap();
        assert_eq!(d.oidc_refresh_token, Some(Duration::hours(10)));
        assert!(d.set("nope", "1d").is_err());
        assert!(d.set("eks-token", "fast").is_err());
    }

    #[test]
    fn huge_lifetimes_are_refused_not_panics() {
        let mut d = LifetimeDefaults::default();
        for bad in [
            "3000000d",
            "365001d",
            "9223372036854775807s",
            "9223372036854775807d",
            "99999999999999999999999h",
            "d",
            "-1d",
        ] {
            let err = d.set("entra-refresh-token", bad).unwrap_err();
            assert!(!err.is_empty(), "{bad}");
        }
        d.set("entra-refresh-token", "365000d").unwrap();
        assert_eq!(d.entra_refresh_token, Duration::days(365_000));
    }
}
