//! The exposure report: for what is on a disk, per context, which credentials
//! someone holding it can use, until when, whether they can be revoked and how,
//! and the steps to take now.
// Windows add assumed lifetimes to dates read from input (an `iat` of year
// 9999, a `--lifetime` of 1000y): every computation is checked (this module and
// its children).
#![deny(clippy::arithmetic_side_effects)]

mod cache;
mod defaults;
mod record;
mod revocation;
mod steps;

pub use defaults::{DefaultRow, LifetimeDefaults};
pub use revocation::Revocability;

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use time::OffsetDateTime;

use crate::cache::{CacheEntry, FileFacts};
use crate::credential::{CredentialRecord, Inventory};
use crate::error::Location;
use crate::platform::Platform;
use crate::report::shell_quote;
use cache::from_cache;
use record::from_record;
use steps::{steps, Minter};

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
    /// A usable credential can mint credentials that outlive it (by the RBAC
    /// snapshot of `--rbac`): the window lasts until the minted credentials
    /// are found and revoked, whatever the credential's own expiry.
    Unbounded,
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

    /// The latest of several windows: unbounded beats never beats unknown
    /// beats a date; expired and unusable count only when nothing is usable.
    pub fn latest(all: impl IntoIterator<Item = Until>) -> Until {
        let all: Vec<Until> = all.into_iter().collect();
        for end in [Until::Unbounded, Until::Never] {
            if all.contains(&end) {
                return end;
            }
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
    /// Whether it can mint credentials that outlive it, by the RBAC snapshot
    /// (`None`: no snapshot, or its identity is not known).
    pub can_mint_credentials: Option<bool>,
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
            let mut minters = Vec::new();
            for r in &records {
                if let Some(c) = from_record(r, platform, !linked.is_empty(), defaults, now) {
                    if let Some(p) = r.privileges.as_ref().filter(|_| c.until.is_usable()) {
                        if p.can_mint_credentials {
                            minters.push(Minter {
                                user: &p.identity.user,
                                issued: r.validity().and_then(|v| v.not_before),
                            });
                        }
                    }
                    credentials.push(c);
                }
            }
            for c in &linked {
                credentials.push(from_cache(c, platform, defaults, now));
            }
            let usable: Vec<&ExposedCredential> =
                credentials.iter().filter(|c| c.until.is_usable()).collect();
            // What a credential that can mint credentials minted outlives it.
            let until = match minters.is_empty() {
                true => Until::latest(credentials.iter().map(|c| c.until)),
                false => Until::Unbounded,
            };
            let irrevocable = usable.iter().any(|c| !c.revocability.is_revocable());
            let system_masters = usable.iter().any(|c| {
                c.revocability
                    == Revocability::IrrevocableUntilCaRotation {
                        system_masters: true,
                    }
            });
            let steps = steps(platform, &user, &usable, &minters, now);
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

#[cfg(test)]
mod tests;
