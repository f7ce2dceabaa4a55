//! Prometheus text exposition (format 0.0.4) for the node-exporter textfile
//! collector, one document per subcommand. Metric and label names follow
//! x509-certificate-exporter's spirit (an expiry timestamp, seconds remaining,
//! `subject_CN`, `issuer_CN`, `serial_number`, the file, a kind):
//!
//! - [`prometheus_text`] (`kcred check`) and [`scan_prometheus`] (`kcred scan`):
//!   `kcred_credential_*` per credential ([`credentials`]).
//! - [`pki_prometheus`] (`kcred pki`): `kcred_certificate_*` per row of
//!   kubeadm's tables ([`pki`]).
//! - [`exposure_prometheus`] (`kcred exposure`): `kcred_exposure_*` per
//!   context ([`exposure`]).
//!
//! Every document ends with the same three gauges: `kcred_read_errors` (inputs
//! that could not be read), `kcred_check_success` (1 when every input was read,
//! 0 when some was not; [`prometheus_failure`] writes 0 for a run that read
//! nothing) and `kcred_check_timestamp_seconds` (the `now` of the check, to
//! alert on a stale textfile); documents with a policy also carry
//! `kcred_policy_findings` (active findings by file, context, user, kind, code
//! and severity).
//!
//! Every label value goes through one escape ([`escape`]): Prometheus's own
//! (backslash, double quote, newline), then the output sanitiser's for every
//! other control or invisible character.

mod credentials;
mod exposure;
mod pki;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use time::OffsetDateTime;

use crate::policy::Finding;

use super::text::{command_hash, push_visible};

pub use credentials::{prometheus_text, scan_prometheus};
pub use exposure::exposure_prometheus;
pub use pki::pki_prometheus;

/// Escapes a label value: backslash, double quote and newline as Prometheus
/// does; every other control or invisible format character as the text
/// `\x1b` / `\u{202e}` (its backslash escaped in turn), as tables show them.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut shown = String::new();
    for (i, c) in value.char_indices() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            // `##[` / `##vso[`: CI command prefixes, honoured mid-line.
            '#' if command_hash(value, i) => out.push_str("\\\\x23"),
            c => {
                shown.clear();
                if push_visible(c, &mut shown) {
                    out.push_str(&shown.replace('\\', "\\\\"));
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// A label set, `{k="v",…}`, every value escaped.
fn labels(pairs: &[(&str, &str)]) -> String {
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

/// 0 or 1.
fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// One document being written: gauge families in order, each with its
/// samples; a label set seen twice in a family is written once (the first),
/// as Prometheus rejects duplicate series.
#[derive(Default)]
struct Exposition {
    out: String,
}

/// The samples of one gauge family: label set, value.
#[derive(Default)]
struct Samples {
    seen: BTreeSet<String>,
    lines: Vec<(String, i64)>,
}

impl Samples {
    /// Adds a sample unless its label set is already there.
    fn push(&mut self, labels: &str, value: i64) {
        if self.seen.insert(labels.to_owned()) {
            self.lines.push((labels.to_owned(), value));
        }
    }
}

impl Exposition {
    /// `# HELP`, `# TYPE … gauge`, then the samples.
    fn family(&mut self, name: &str, help: &str, samples: &Samples) {
        let _ = writeln!(self.out, "# HELP {name} {help}");
        let _ = writeln!(self.out, "# TYPE {name} gauge");
        for (l, v) in &samples.lines {
            let _ = writeln!(self.out, "{name}{l} {v}");
        }
    }

    /// A family of one unlabelled sample.
    fn single(&mut self, name: &str, help: &str, value: i64) {
        let mut s = Samples::default();
        s.push("", value);
        self.family(name, help, &s);
    }

    /// `kcred_policy_findings`: active findings counted by label set.
    fn findings(&mut self, findings: &[Finding]) {
        let mut counts: BTreeMap<String, i64> = BTreeMap::new();
        for f in findings.iter().filter(|f| f.is_active()) {
            let loc = &f.location;
            let l = labels(&[
                ("file", &loc.file.display().to_string()),
                ("context", loc.context.as_deref().unwrap_or("")),
                ("user", loc.user.as_deref().unwrap_or("")),
                ("kind", f.kind.map(|k| k.name()).unwrap_or("")),
                ("code", f.code.as_str()),
                ("severity", f.severity.name()),
            ]);
            *counts.entry(l).or_default() += 1;
        }
        let mut samples = Samples::default();
        for (l, n) in counts {
            samples.push(&l, n);
        }
        self.family(
            "kcred_policy_findings",
            "Active policy findings by file, context, user, credential kind, rule code and severity.",
            &samples,
        );
    }

    /// The closing gauges of every document: read errors, success, timestamp.
    fn finish(mut self, read_errors: usize, now: OffsetDateTime) -> String {
        let errors = i64::try_from(read_errors).unwrap_or(i64::MAX);
        self.single(
            "kcred_read_errors",
            "Inputs (files, entries) that could not be read or decoded; each is listed by the table and JSON formats.",
            errors,
        );
        self.status(errors == 0, now);
        self.out
    }

    /// `kcred_check_success` and `kcred_check_timestamp_seconds`.
    fn status(&mut self, success: bool, now: OffsetDateTime) {
        self.single(
            "kcred_check_success",
            "1 when the check read every input, 0 when some input could not be read or the check failed.",
            flag(success),
        );
        self.single(
            "kcred_check_timestamp_seconds",
            "When the check was made (its now), as Unix seconds.",
            now.unix_timestamp(),
        );
    }
}

/// The document of a run that failed before it could report (exit 2: no
/// kubeconfig, an unreadable policy): `kcred_check_success 0` and the
/// timestamp, so a node where kcred fails is seen failing rather than stale.
///
/// ```
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let text = kcred_core::prometheus_failure(now);
/// assert!(text.contains("kcred_check_success 0\n"));
/// ```
pub fn prometheus_failure(now: OffsetDateTime) -> String {
    let mut e = Exposition::default();
    e.status(false, now);
    e.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(labels(&[("user", "x\"y")]), "{user=\"x\\\"y\"}");
        assert_eq!(
            escape("a\x1b[2J\r\u{202e}"),
            "a\\\\x1b[2J\\\\x0d\\\\u{202e}"
        );
        assert_eq!(escape("a##[x"), "a#\\\\x23[x");
    }

    #[test]
    fn a_label_set_is_written_once_per_family() {
        let mut s = Samples::default();
        s.push("{a=\"1\"}", 1);
        s.push("{a=\"1\"}", 2);
        s.push("{a=\"2\"}", 3);
        let mut e = Exposition::default();
        e.family("m", "help", &s);
        assert_eq!(
            e.out,
            "# HELP m help\n# TYPE m gauge\nm{a=\"1\"} 1\nm{a=\"2\"} 3\n"
        );
    }

    #[test]
    fn success_follows_read_errors() {
        let now = time::macros::datetime!(2026-01-01 0:00 UTC);
        let clean = Exposition::default().finish(0, now);
        assert!(
            clean.contains("kcred_read_errors 0\n") && clean.contains("kcred_check_success 1\n")
        );
        let broken = Exposition::default().finish(2, now);
        assert!(broken.contains("kcred_read_errors 2\n"));
        assert!(broken.contains("kcred_check_success 0\n"));
        assert!(prometheus_failure(now).contains("kcred_check_timestamp_seconds 1767225600\n"));
    }
}
