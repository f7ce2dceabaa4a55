//! `kcred exposure`: one series per context, for what someone holding the disk
//! can use and until when (refresh tokens counted).
//!
//! - `kcred_exposure_until_timestamp_seconds`, `kcred_exposure_remaining_seconds`
//!   (negative once expired): contexts whose window ends at a known instant.
//! - `kcred_exposure_end_unknown` (0/1): the end cannot be told from the disk
//!   (an opaque token, an exec plugin); `kcred_exposure_at_least_timestamp_seconds`
//!   when a lower bound is known.
//! - `kcred_exposure_unbounded` (0/1): usable until revoked, or (with `--rbac`)
//!   until the credentials it can mint are found and revoked.
//! - `kcred_exposure_usable`, `kcred_exposure_irrevocable`,
//!   `kcred_exposure_system_masters` (0/1).
//! - `kcred_file_readable_by_others` (1, with `file` and `mode`).
//!
//! Labels: `context`, `user`, `cluster`, `platform`.

use crate::exposure::Until;
use crate::policy::Finding;

use super::super::exposure::ExposureReport;
use super::{flag, labels, Exposition, Samples};

/// The per-context families, in the order of the samples `exposure_prometheus` fills.
const FAMILIES: [(&str, &str); 8] = [
    (
        "kcred_exposure_until_timestamp_seconds",
        "When the context's window ends (the latest instant any credential on the disk still works, refresh tokens counted), as Unix seconds.",
    ),
    (
        "kcred_exposure_remaining_seconds",
        "Seconds from the check until the context's window ends (negative once it has).",
    ),
    (
        "kcred_exposure_at_least_timestamp_seconds",
        "A lower bound of the window's end when the end itself is unknown, as Unix seconds.",
    ),
    (
        "kcred_exposure_end_unknown",
        "1 when the window's end cannot be told from the disk (opaque token, exec plugin), else 0.",
    ),
    (
        "kcred_exposure_unbounded",
        "1 when the context's window has no end: a credential that works until revoked (no expiry), or one whose rights mint credentials (--rbac: until what it minted is found and revoked), else 0.",
    ),
    (
        "kcred_exposure_usable",
        "1 when someone holding the disk can use the context (now or later), else 0.",
    ),
    (
        "kcred_exposure_irrevocable",
        "1 when a usable credential cannot be revoked short of CA rotation or its expiry, else 0.",
    ),
    (
        "kcred_exposure_system_masters",
        "1 when a usable credential is a system:masters client certificate, else 0.",
    ),
];

/// The exposure report (and, with a policy, its active findings) as
/// Prometheus text (`kcred exposure --format prometheus`).
///
/// ```
/// let defaults = kcred_core::LifetimeDefaults::default();
/// let report = kcred_core::ExposureReport {
///     contexts: &[],
///     caches: &[],
///     file_warnings: &[],
///     problems: &[],
///     defaults: &defaults,
///     now: time::macros::datetime!(2026-01-01 0:00 UTC),
/// };
/// let text = kcred_core::exposure_prometheus(&report, None);
/// assert!(text.contains("kcred_check_success 1\n"));
/// ```
pub fn exposure_prometheus(report: &ExposureReport<'_>, findings: Option<&[Finding]>) -> String {
    let now = report.now;
    let mut s: [Samples; 8] = Default::default();
    for c in report.contexts {
        let l = labels(&[
            ("context", &c.context),
            ("user", &c.user),
            ("cluster", c.cluster.as_deref().unwrap_or("")),
            ("platform", c.platform.name()),
        ]);
        match c.until {
            Until::At { at } | Until::Expired { at } => {
                s[0].push(&l, at.unix_timestamp());
                s[1].push(&l, crate::expiry::span(now, at).whole_seconds());
            }
            Until::Unknown { at_least: Some(t) } => s[2].push(&l, t.unix_timestamp()),
            Until::Unknown { at_least: None }
            | Until::Never
            | Until::Unbounded
            | Until::NotUsable => {}
        }
        s[3].push(&l, flag(matches!(c.until, Until::Unknown { .. })));
        s[4].push(&l, flag(matches!(c.until, Until::Never | Until::Unbounded)));
        s[5].push(&l, flag(c.until.is_usable()));
        s[6].push(&l, flag(c.irrevocable));
        s[7].push(&l, flag(c.system_masters));
    }
    let mut e = Exposition::default();
    for ((name, help), samples) in FAMILIES.iter().zip(&s) {
        e.family(name, help, samples);
    }
    let mut readable = Samples::default();
    for w in report.file_warnings {
        let file = w.path.display().to_string();
        readable.push(&labels(&[("file", &file), ("mode", &w.mode)]), 1);
    }
    e.family(
        "kcred_file_readable_by_others",
        "1 for a kubeconfig or token cache that group or others may read, with its mode.",
        &readable,
    );
    if let Some(findings) = findings {
        e.findings(findings);
    }
    e.finish(report.problems.len(), now)
}
