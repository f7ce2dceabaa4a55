//! The exposure report as JSON (`kcred.exposure/v1`) and as a table for people.
//! Both formats of one report live here because they share the wording.

use std::fmt::Write;

use std::path::PathBuf;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;
use time::OffsetDateTime;

use super::json::{Each, LocationJson};
use super::text::escape_text;
use super::{rfc3339, AsRfc3339};
use crate::cache::CacheEntry;
use crate::error::Error;
use crate::expiry::human_duration;
use crate::exposure::{
    ContextExposure, ExposedCredential, FileWarning, LifetimeDefaults, Revocability, Until,
};
use crate::platform::Platform;

/// Schema identifier of the exposure JSON document.
pub const EXPOSURE_SCHEMA: &str = "kcred.exposure/v1";

/// Everything one exposure run found, for the renderers.
#[derive(Debug, Clone, Copy)]
pub struct ExposureReport<'a> {
    /// Per-context exposure.
    pub contexts: &'a [ContextExposure],
    /// Every cache entry found (linked or not).
    pub caches: &'a [CacheEntry],
    /// Files readable by group or others.
    pub file_warnings: &'a [FileWarning],
    /// Problems met on the way.
    pub problems: &'a [Error],
    /// The lifetimes assumed.
    pub defaults: &'a LifetimeDefaults,
    /// The instant.
    pub now: OffsetDateTime,
}

/// `2027-09-23T00:00:00Z (629d)`, `never`, `unknown (at least …)`, `expired …`.
pub fn until_text(until: &Until, now: OffsetDateTime) -> String {
    match until {
        Until::At { at } => format!(
            "{} ({})",
            rfc3339(*at),
            human_duration(crate::expiry::span(now, *at))
        ),
        Until::Never => "never expires (until revoked)".to_owned(),
        Until::Unknown { at_least: Some(t) } => {
            format!("unknown, at least until {}", rfc3339(*t))
        }
        Until::Unknown { at_least: None } => "unknown".to_owned(),
        Until::Expired { at } => format!("expired {}", rfc3339(*at)),
        Until::NotUsable => "not usable from this disk".to_owned(),
        Until::Unbounded => {
            "unbounded: until the minted credentials are found and revoked".to_owned()
        }
    }
}

/// The report as a JSON document.
///
/// ```
/// use kcred_core::{exposure_json, ExposureReport, LifetimeDefaults};
/// let defaults = LifetimeDefaults::default();
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let report = ExposureReport {
///     contexts: &[], caches: &[], file_warnings: &[], problems: &[], defaults: &defaults, now,
/// };
/// assert_eq!(exposure_json(&report)["schema"], "kcred.exposure/v1");
/// ```
pub fn exposure_json(report: &ExposureReport<'_>) -> Value {
    serde_json::to_value(ExposureDocument {
        report,
        files: None,
    })
    .unwrap_or(Value::Null)
}

/// Writes the same document as [`exposure_json`] (plus `files` when given),
/// pretty-printed, one context at a time, so 100,000 contexts never need the
/// whole JSON tree in memory.
///
/// ```
/// use kcred_core::{exposure_json, write_exposure_json, ExposureReport, LifetimeDefaults};
/// let defaults = LifetimeDefaults::default();
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let report = ExposureReport {
///     contexts: &[], caches: &[], file_warnings: &[], problems: &[], defaults: &defaults, now,
/// };
/// let mut out = Vec::new();
/// write_exposure_json(&report, None, &mut out).unwrap();
/// let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(doc, exposure_json(&report));
/// ```
pub fn write_exposure_json(
    report: &ExposureReport<'_>,
    files: Option<&[PathBuf]>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    super::write_pretty(out, &ExposureDocument { report, files })
}

/// The exposure document; keys in sorted order, as `serde_json::Map` keeps them.
struct ExposureDocument<'a, 'r> {
    report: &'a ExposureReport<'r>,
    files: Option<&'a [PathBuf]>,
}

impl Serialize for ExposureDocument<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.report;
        let now = report.now;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("caches", report.caches)?;
        let contexts = Each(report.contexts, |c| ContextJson::new(c, now));
        map.serialize_entry("contexts", &contexts)?;
        map.serialize_entry("file_warnings", report.file_warnings)?;
        if let Some(files) = self.files {
            map.serialize_entry("files", files)?;
        }
        map.serialize_entry("lifetime_defaults", &report.defaults.rows())?;
        map.serialize_entry("now", &rfc3339(now))?;
        map.serialize_entry("problems", report.problems)?;
        map.serialize_entry("schema", EXPOSURE_SCHEMA)?;
        map.end()
    }
}

/// One context's exposure, keys in sorted order at every level.
#[derive(Serialize)]
struct ContextJson<'a> {
    cluster: Option<&'a str>,
    context: &'a str,
    #[serde(serialize_with = "exposed_credentials")]
    credentials: &'a [ExposedCredential],
    irrevocable: bool,
    platform: Platform,
    steps: &'a [String],
    system_masters: bool,
    until: UntilJson,
    until_text: String,
    user: &'a str,
}

impl<'a> ContextJson<'a> {
    fn new(c: &'a ContextExposure, now: OffsetDateTime) -> Self {
        ContextJson {
            cluster: c.cluster.as_deref(),
            context: &c.context,
            credentials: &c.credentials,
            irrevocable: c.irrevocable,
            platform: c.platform,
            steps: &c.steps,
            system_masters: c.system_masters,
            until: UntilJson(c.until),
            until_text: until_text(&c.until, now),
            user: &c.user,
        }
    }
}

fn exposed_credentials<S: Serializer>(
    all: &&[ExposedCredential],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(all.iter().map(ExposedJson::new))
}

/// One credential of a context.
#[derive(Serialize)]
struct ExposedJson<'a> {
    access_token_until: Option<AsRfc3339>,
    can_mint_credentials: Option<bool>,
    location: LocationJson<'a>,
    renewable: bool,
    /// `class` then `system_masters`: sorted as declared.
    revocability: Revocability,
    revoke: &'a str,
    source: &'static str,
    until: UntilJson,
    what: &'a str,
}

impl<'a> ExposedJson<'a> {
    fn new(c: &'a ExposedCredential) -> Self {
        ExposedJson {
            access_token_until: c.access_token_until.map(AsRfc3339),
            can_mint_credentials: c.can_mint_credentials,
            location: LocationJson(&c.location),
            renewable: c.renewable,
            revocability: c.revocability,
            revoke: &c.revoke,
            source: c.source,
            until: UntilJson(c.until),
            what: &c.what,
        }
    }
}

/// An [`Until`]: its instant (`at`, `at_least`) before its `state`.
struct UntilJson(Until);

impl Serialize for UntilJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct At {
            at: AsRfc3339,
            state: &'static str,
        }
        #[derive(Serialize)]
        struct AtLeast {
            at_least: Option<AsRfc3339>,
            state: &'static str,
        }
        #[derive(Serialize)]
        struct State {
            state: &'static str,
        }
        match self.0 {
            Until::At { at } => At {
                at: AsRfc3339(at),
                state: "at",
            }
            .serialize(serializer),
            Until::Expired { at } => At {
                at: AsRfc3339(at),
                state: "expired",
            }
            .serialize(serializer),
            Until::Unknown { at_least } => AtLeast {
                at_least: at_least.map(AsRfc3339),
                state: "unknown",
            }
            .serialize(serializer),
            Until::Never => State { state: "never" }.serialize(serializer),
            Until::NotUsable => State {
                state: "not-usable",
            }
            .serialize(serializer),
            Until::Unbounded => State { state: "unbounded" }.serialize(serializer),
        }
    }
}

/// The report as text: one block per context, then file warnings and problems.
/// Every line starts with fixed text; what came from input is escaped.
pub fn exposure_table(report: &ExposureReport<'_>) -> String {
    let now = report.now;
    let mut out = String::new();
    for c in report.contexts {
        let _ = writeln!(
            out,
            "CONTEXT {}  (user {}, cluster {}, {})",
            escape_text(&c.context),
            escape_text(&c.user),
            escape_text(c.cluster.as_deref().unwrap_or("-")),
            c.platform.name()
        );
        let mut verdict = until_text(&c.until, now);
        if c.system_masters {
            verdict.push_str("  IRREVOCABLE: client certificate in system:masters");
        } else if c.irrevocable {
            verdict.push_str("  IRREVOCABLE before expiry");
        }
        let _ = writeln!(out, "  usable until: {verdict}");
        for cred in &c.credentials {
            let _ = writeln!(
                out,
                "  - {}\n      until: {}{}\n      {} ({}): {}\n      at: {}",
                escape_text(&cred.what),
                until_text(&cred.until, now),
                if cred.renewable {
                    "  (renewable: each use of the refresh token restarts its window)"
                } else {
                    ""
                },
                if cred.revocability.is_revocable() {
                    "revocable"
                } else {
                    "not revocable"
                },
                cred.revocability.name(),
                escape_text(&cred.revoke),
                escape_text(&cred.location.to_string()),
            );
        }
        if !c.steps.is_empty() {
            let _ = writeln!(out, "  steps now:");
            for (i, s) in c.steps.iter().enumerate() {
                let _ = writeln!(out, "    {}. {}", i + 1, escape_text(s));
            }
        }
        out.push('\n');
    }
    let unlinked: Vec<&CacheEntry> = report
        .caches
        .iter()
        .filter(|c| c.users.is_empty())
        .collect();
    if !unlinked.is_empty() {
        let _ = writeln!(out, "CACHES NOT LINKED TO A KUBECONFIG USER");
        for c in unlinked {
            let until = c.expires_at.map(rfc3339).unwrap_or_else(|| "-".to_owned());
            let _ = writeln!(
                out,
                "  - {} {} (expires {until}{})",
                c.kind.name(),
                escape_text(&c.location.to_string()),
                if c.has_refresh_token {
                    ", refresh token present"
                } else {
                    ""
                }
            );
        }
        out.push('\n');
    }
    if !report.file_warnings.is_empty() {
        let _ = writeln!(out, "FILES READABLE BY GROUP OR OTHERS");
        for w in report.file_warnings {
            let _ = writeln!(
                out,
                "  - {} mode {}: {}",
                escape_text(&w.path.display().to_string()),
                w.mode,
                escape_text(&w.fix)
            );
        }
        out.push('\n');
    }
    if !report.problems.is_empty() {
        let _ = writeln!(out, "PROBLEMS");
        for p in report.problems {
            let _ = writeln!(out, "  - {}", escape_text(&p.to_string()));
        }
    }
    out
}
