//! What rules look at: the subjects of one evaluation (credentials, user
//! entries, clusters, input problems, suppressions, unreadable files, exposure
//! windows), built once, each with the facts scopes, suppressions and finding
//! locations read.

use std::collections::BTreeMap;
use std::path::Path;

use time::OffsetDateTime;

use super::model::{RuleSettings, Scope, Suppression};
use crate::credential::{ClusterRecord, Credential, CredentialKind, CredentialRecord, Inventory};
use crate::error::{Error, Location};
use crate::expiry::{ExpiryStatus, Validity};
use crate::exposure::{ContextExposure, ExposedCredential, Until};
use crate::platform::{cluster_platform, Platform};
use crate::report::rfc3339;
use crate::scan::{PrivateKey, Unreadable};
use crate::token::TokenFormat;

/// What a finding is about, for scopes, suppressions and its location.
pub(crate) struct Subject<'a> {
    pub(crate) file: &'a Path,
    pub(crate) line: Option<u32>,
    pub(crate) column: Option<u32>,
    pub(crate) entry: Option<&'a str>,
    pub(crate) field: Option<&'a str>,
    pub(crate) user: Option<&'a str>,
    pub(crate) contexts: &'a [String],
    pub(crate) clusters: &'a [String],
    pub(crate) kind: Option<CredentialKind>,
    pub(crate) platform: Platform,
    pub(crate) service_account: bool,
}

impl<'a> Subject<'a> {
    /// A subject known only by where it is written (no user, context or kind).
    fn at(at: Option<&'a Location>) -> Self {
        Subject {
            file: at.map_or(Path::new(""), |l| l.file.as_path()),
            line: at.and_then(|l| l.line),
            column: at.and_then(|l| l.column),
            entry: at.and_then(|l| l.entry.as_deref()),
            field: at.and_then(|l| l.field.as_deref()),
            user: None,
            contexts: &[],
            clusters: &[],
            kind: None,
            platform: Platform::Generic,
            service_account: false,
        }
    }

    fn of(r: &'a CredentialRecord) -> Self {
        Subject {
            user: (!r.user.is_empty()).then_some(r.user.as_str()),
            contexts: &r.contexts,
            clusters: &r.clusters,
            kind: Some(r.kind()),
            platform: r.platform,
            service_account: matches!(&r.credential, Credential::Token(t) if t.info.service_account.is_some()),
            ..Subject::at(Some(&r.location))
        }
    }
}

/// Anything a rule checks, with its subject.
pub(crate) trait Subjected {
    fn subject(&self) -> &Subject<'_>;
}

/// An input item and its subject.
pub(crate) struct Of<'a, T> {
    pub(crate) item: &'a T,
    pub(crate) subject: Subject<'a>,
}

/// A credential with the facts its rules share, computed once.
pub(crate) struct Cred<'a> {
    pub(crate) record: &'a CredentialRecord,
    pub(crate) subject: Subject<'a>,
    /// "client certificate for user admin".
    pub(crate) who: String,
    pub(crate) status: ExpiryStatus,
    pub(crate) validity: Option<Validity>,
    /// notAfter as RFC 3339, or empty.
    pub(crate) end: String,
}

/// A user entry of one file: its first token, and whether it has basic auth.
pub(crate) struct User<'a> {
    pub(crate) token: &'a CredentialRecord,
    pub(crate) basic_auth: bool,
    pub(crate) subject: Subject<'a>,
}

/// A context's exposure window, and the credential that sets it.
pub(crate) struct Exposed<'a> {
    pub(crate) context: &'a ContextExposure,
    pub(crate) by: &'a ExposedCredential,
    pub(crate) subject: Subject<'a>,
}

macro_rules! subjected {
    ($($t:ty),*) => {$(
        impl Subjected for $t {
            fn subject(&self) -> &Subject<'_> {
                &self.subject
            }
        }
    )*};
}
subjected!(Cred<'_>, User<'_>, Exposed<'_>);

impl<T> Subjected for Of<'_, T> {
    fn subject(&self) -> &Subject<'_> {
        &self.subject
    }
}

/// Everything one evaluation checks. A field left empty is not checked.
#[derive(Default)]
pub(crate) struct Subjects<'a> {
    pub(crate) credentials: Vec<Cred<'a>>,
    /// The credentials were found in a repository or tree (`kcred scan`).
    pub(crate) committed: bool,
    pub(crate) users: Vec<User<'a>>,
    pub(crate) clusters: Vec<Of<'a, ClusterRecord>>,
    pub(crate) problems: Vec<Of<'a, Error>>,
    pub(crate) suppressions: Vec<Of<'a, Suppression>>,
    pub(crate) unreadable: Vec<Of<'a, Unreadable>>,
    pub(crate) private_keys: Vec<Of<'a, PrivateKey>>,
    pub(crate) exposure: Vec<Exposed<'a>>,
}

impl<'a> Subjects<'a> {
    /// The credentials, user entries, clusters and problems of `inventory`, and
    /// the suppressions of the policy then those written in the kubeconfigs.
    pub(crate) fn of_inventory(
        inventory: &'a Inventory,
        suppressions: &'a [Suppression],
        now: OffsetDateTime,
    ) -> Self {
        Subjects {
            credentials: inventory
                .credentials
                .iter()
                .map(|r| credential(r, now))
                .collect(),
            users: users(inventory),
            clusters: inventory
                .clusters
                .iter()
                .map(|c| Of {
                    item: c,
                    subject: Subject {
                        contexts: &c.contexts,
                        clusters: std::slice::from_ref(&c.name),
                        platform: cluster_platform(c),
                        ..Subject::at(Some(&c.location))
                    },
                })
                .collect(),
            problems: inventory.problems.iter().map(problem).collect(),
            suppressions: suppressions
                .iter()
                .chain(&inventory.suppressions)
                .map(|s| Of {
                    item: s,
                    subject: Subject {
                        field: None,
                        ..Subject::at(Some(&s.at))
                    },
                })
                .collect(),
            ..Subjects::default()
        }
    }

    /// Each context whose window some usable credential sets.
    pub(crate) fn of_exposure(contexts: &'a [ContextExposure]) -> Self {
        let exposure = contexts
            .iter()
            .filter_map(|c| {
                // The credential that sets the window: the one whose own window
                // is the context's (for an unbounded one, the one that can
                // mint), else the first usable one.
                let mut usable = c.credentials.iter().filter(|x| x.until.is_usable());
                let by = usable
                    .clone()
                    .find(|x| {
                        x.until == c.until
                            || (c.until == Until::Unbounded && x.can_mint_credentials == Some(true))
                            || matches!(
                                (x.until, c.until),
                                (Until::Unknown { .. }, Until::Unknown { .. })
                            )
                    })
                    .or_else(|| usable.next())?;
                Some(Exposed {
                    context: c,
                    by,
                    subject: Subject {
                        user: (!c.user.is_empty()).then_some(c.user.as_str()),
                        contexts: std::slice::from_ref(&c.context),
                        clusters: c.cluster.as_slice(),
                        platform: c.platform,
                        ..Subject::at(Some(&by.location))
                    },
                })
            })
            .collect();
        Subjects {
            exposure,
            ..Subjects::default()
        }
    }

    /// What `kcred scan` could not read.
    pub(crate) fn of_unreadable(unreadable: &'a [Unreadable]) -> Vec<Of<'a, Unreadable>> {
        located(unreadable, |u| &u.location)
    }

    /// The private keys `kcred scan` found and paired with no certificate.
    pub(crate) fn of_private_keys(keys: &'a [PrivateKey]) -> Vec<Of<'a, PrivateKey>> {
        located(keys, |k| &k.location)
    }
}

/// Items known only by where they are written, each with its subject.
fn located<T>(items: &[T], at: impl Fn(&T) -> &Location) -> Vec<Of<'_, T>> {
    items
        .iter()
        .map(|item| Of {
            item,
            subject: Subject::at(Some(at(item))),
        })
        .collect()
}

fn credential(r: &CredentialRecord, now: OffsetDateTime) -> Cred<'_> {
    let validity = r.validity();
    Cred {
        record: r,
        subject: Subject::of(r),
        who: what(r),
        status: r.status(now),
        validity,
        end: validity
            .and_then(|v| v.not_after)
            .map(rfc3339)
            .unwrap_or_default(),
    }
}

/// One subject per user entry of a file that has a token (KC202 looks at them).
fn users(inventory: &Inventory) -> Vec<User<'_>> {
    let mut by_user: BTreeMap<(&Path, &str), (Option<&CredentialRecord>, bool)> = BTreeMap::new();
    for r in &inventory.credentials {
        let slot = by_user
            .entry((r.location.file.as_path(), r.user.as_str()))
            .or_default();
        match r.kind() {
            CredentialKind::Token => slot.0 = slot.0.or(Some(r)),
            CredentialKind::BasicAuth => slot.1 = true,
            _ => {}
        }
    }
    by_user
        .into_values()
        .filter_map(|(token, basic_auth)| {
            let token = token?;
            Some(User {
                token,
                basic_auth,
                subject: Subject {
                    field: None,
                    kind: None,
                    ..Subject::of(token)
                },
            })
        })
        .collect()
}

fn problem(p: &Error) -> Of<'_, Error> {
    let at = p.location();
    Of {
        item: p,
        subject: Subject {
            user: at
                .and_then(|at| at.entry.as_deref())
                .and_then(|e| e.strip_prefix("users["))
                .and_then(|e| e.strip_suffix(']')),
            ..Subject::at(at)
        },
    }
}

/// "client certificate for user admin".
fn what(r: &CredentialRecord) -> String {
    let noun = match &r.credential {
        Credential::ClientCertificate(_) => "client certificate".to_owned(),
        Credential::Token(t) => match t.info.format {
            TokenFormat::ServiceAccountLegacy => "legacy service-account token".to_owned(),
            TokenFormat::ServiceAccountBound => "bound service-account token".to_owned(),
            TokenFormat::EksPresigned => "EKS token".to_owned(),
            TokenFormat::OpenShiftOAuth => "OpenShift OAuth token".to_owned(),
            TokenFormat::BootstrapToken => "bootstrap token".to_owned(),
            TokenFormat::Jwt | TokenFormat::Opaque => "static token".to_owned(),
        },
        Credential::BasicAuth(_) => "basic-auth password".to_owned(),
        Credential::Exec(x) => format!("exec plugin {}", x.command),
        Credential::AuthProvider(a) => format!("{} auth-provider token", a.name),
        Credential::None => "no credential (anonymous)".to_owned(),
    };
    // Records found outside a kubeconfig user entry (a certificate file of a
    // control plane, a Secret in a manifest) have no user: the entry names them.
    match (r.user.is_empty(), r.location.entry.as_deref()) {
        (true, Some(entry)) => {
            let noun = match &r.credential {
                Credential::ClientCertificate(cc)
                    if cc.certificate.as_ref().is_some_and(|c| c.is_ca) =>
                {
                    "CA certificate".to_owned()
                }
                Credential::ClientCertificate(_) => "certificate".to_owned(),
                _ => noun,
            };
            format!("{noun} {entry}")
        }
        _ => format!("{noun} for user {}", r.user),
    }
}

pub(crate) fn glob_matches(pattern: &str, value: &str) -> bool {
    glob::Pattern::new(pattern).is_ok_and(|p| p.matches(value))
}

fn dimension<'v>(patterns: &[String], values: impl Iterator<Item = &'v str> + Clone) -> bool {
    patterns.is_empty()
        || patterns
            .iter()
            .any(|p| values.clone().any(|v| glob_matches(p, v)))
}

impl Scope {
    pub(crate) fn matches(&self, s: &Subject<'_>) -> bool {
        let file = s.file.to_string_lossy();
        let file_name = s
            .file
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let files_ok = self.files.is_empty()
            || self.files.iter().any(|p| {
                glob_matches(p, &file) || (!p.contains('/') && glob_matches(p, &file_name))
            });
        files_ok
            && dimension(&self.contexts, s.contexts.iter().map(String::as_str))
            && dimension(&self.clusters, s.clusters.iter().map(String::as_str))
            && dimension(&self.users, s.user.into_iter())
            && (self.kinds.is_empty()
                || s.kind
                    .is_some_and(|k| self.kinds.iter().any(|n| n == k.name())))
    }
}

impl RuleSettings {
    pub(crate) fn covers(&self, s: &Subject<'_>) -> bool {
        self.enabled
            && self.include.as_ref().is_none_or(|i| i.matches(s))
            && !self.exclude.as_ref().is_some_and(|e| e.matches(s))
    }
}

impl Suppression {
    pub(crate) fn active(&self, now: OffsetDateTime) -> bool {
        self.expires.is_none_or(|end| now < end)
    }

    /// Whether it covers a finding of `code` about `s` (when active).
    pub(crate) fn covers(&self, code: super::Code, s: &Subject<'_>) -> bool {
        self.rule.is_none_or(|c| c == code)
            && self.scope.matches(s)
            && self.entry.as_deref().is_none_or(|e| s.entry == Some(e))
            && self.line.is_none_or(|l| s.line == Some(l))
    }
}
