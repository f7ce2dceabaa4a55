//! The rule registry: each rule with its documentation, defaults, check and
//! remediation hook, one file per family. Adding a rule is a [`Code`], one
//! `entry!` line in its family's file and its section in the family's
//! Markdown file beside it (`lifetime.md` for `lifetime.rs`; a missing section
//! does not compile), plus a vector.

use serde::Serialize;
use time::OffsetDateTime;

use super::code::Code;
use super::finding::Severity;
use super::model::{Policy, RuleSettings, Suppression};
use super::presets::NAMES as PRESETS;
use super::remediation::Advice;
use super::subject::{Cred, Exposed, Of, User};
use crate::credential::ClusterRecord;
use crate::error::Error;
use crate::platform::fill;
use crate::report::escape_text;
use crate::scan::{PrivateKey, Unreadable};

/// Which family a rule belongs to (the hundreds of its code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Family {
    /// KC0xx: lifetime and kind, for any credential.
    Lifetime,
    /// KC1xx: client certificates.
    Certificate,
    /// KC2xx: tokens and passwords.
    Token,
    /// KC3xx: exec plugins and auth-providers.
    Exec,
    /// KC4xx: clusters and file hygiene.
    Cluster,
    /// KC5xx: credentials found in a repository or a tree by `kcred scan`.
    Repository,
    /// KC6xx: what a credential may do, by an RBAC snapshot (`--rbac`).
    Rights,
    /// KC9xx: input and policy problems.
    Input,
}

impl Family {
    /// Stable short name.
    pub fn name(&self) -> &'static str {
        match self {
            Family::Lifetime => "lifetime",
            Family::Certificate => "certificate",
            Family::Token => "token",
            Family::Exec => "exec",
            Family::Cluster => "cluster",
            Family::Repository => "repository",
            Family::Rights => "rights",
            Family::Input => "input",
        }
    }
}

/// What a rule's check found: the message, and a severity when the check
/// sets one (KC003's error threshold) instead of the policy's.
pub(crate) struct Hit {
    pub(crate) message: String,
    pub(crate) severity: Option<Severity>,
}

impl From<String> for Hit {
    fn from(message: String) -> Self {
        Hit {
            message,
            severity: None,
        }
    }
}

/// Which subjects a rule covers, and its check over each: the subject, the
/// rule's settings in the policy and `now` in; a finding's message out, when
/// the rule fires.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Check {
    /// Each credential of the inventory.
    Credential(fn(&Cred<'_>, &RuleSettings, OffsetDateTime) -> Option<Hit>),
    /// Each credential, when they were found in a repository or tree.
    Committed(fn(&Cred<'_>, &RuleSettings, OffsetDateTime) -> Option<Hit>),
    /// Each credential, when they were not found by a scan of a repository or
    /// tree (there, KC502 reports the expired and not-yet-valid ones).
    Held(fn(&Cred<'_>, &RuleSettings, OffsetDateTime) -> Option<Hit>),
    /// Each private key `kcred scan` found that no certificate of the scan
    /// holds the public key of.
    PrivateKey(fn(&Of<'_, PrivateKey>, &RuleSettings, OffsetDateTime) -> Option<Hit>),
    /// Each user entry that has a token.
    User(fn(&User<'_>, &RuleSettings, OffsetDateTime) -> Option<Hit>),
    /// Each cluster entry.
    Cluster(fn(&Of<'_, ClusterRecord>, &RuleSettings, OffsetDateTime) -> Option<Hit>),
    /// Each input problem.
    Problem(fn(&Of<'_, Error>, &RuleSettings, OffsetDateTime) -> Option<Hit>),
    /// Each suppression of the policy.
    Suppression(fn(&Of<'_, Suppression>, &RuleSettings, OffsetDateTime) -> Option<Hit>),
    /// Each input `kcred scan` could not read.
    Unreadable(fn(&Of<'_, Unreadable>, &RuleSettings, OffsetDateTime) -> Option<Hit>),
    /// Each context's exposure window.
    Exposure(fn(&Exposed<'_>, &RuleSettings, OffsetDateTime) -> Option<Hit>),
}

/// A rule: its stable code and name, its defaults, its documentation, its
/// check and its remediation hook.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    /// Stable code, like `KC101`.
    pub code: Code,
    /// Stable kebab-case name, like `irrevocable-admin`.
    pub name: &'static str,
    /// Family.
    pub family: Family,
    /// Severity unless the policy says otherwise.
    pub default_severity: Severity,
    /// Whether the rule is on in `baseline` (the policy used when none is given).
    pub default_enabled: bool,
    /// The threshold when the policy gives none (`30d` for expiring-soon).
    pub default_threshold: Option<&'static str>,
    /// One line: what a finding of this rule means.
    pub summary: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A kubeconfig or policy excerpt that fires the rule.
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// The subjects it covers and its check over each kind of them.
    #[serde(skip)]
    pub(crate) checks: &'static [Check],
    /// What its remediation depends on (the platform advice it can give).
    #[serde(skip)]
    pub(crate) advice: Advice,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.code == other.code
    }
}

impl Eq for Rule {}

impl Rule {
    /// The documentation as Markdown: a heading and the four sections.
    pub fn markdown(&self) -> String {
        self.doc(
            "## {code} {name}\n\n{summary}\n\nFamily: {family}. Default severity: {sev}{threshold}. In `baseline`: {on}.\n\n### What it checks\n\n{what}\n\n### Why it matters\n\n{why}\n\n### Example\n\n```yaml\n{example}\n```\n\n### How to fix\n\n{fix}\n",
            ", default threshold `{t}`",
            self.example.trim_end().to_owned(),
        )
    }

    /// The documentation as plain text, for `kcred rule CODE`.
    pub fn text(&self) -> String {
        let example: String = self
            .example
            .trim_end()
            .lines()
            .map(|l| format!("    {l}\n"))
            .collect();
        self.doc(
            "{code} {name}: {summary}\nfamily {family}; default severity {sev}{threshold}; in baseline: {on}\n\nWhat it checks\n    {what}\n\nWhy it matters\n    {why}\n\nExample\n{example}\nHow to fix\n    {fix}\n",
            "; default threshold {t}",
            example,
        )
    }

    /// `template` with the rule's fields; `threshold` says the default
    /// threshold `{t}`, when there is one.
    fn doc(&self, template: &str, threshold: &str, example: String) -> String {
        let threshold = self
            .default_threshold
            .map(|t| fill(threshold, &[("t", t)]))
            .unwrap_or_default();
        fill(
            template,
            &[
                ("code", self.code.as_str()),
                ("name", self.name),
                ("summary", self.summary),
                ("family", self.family.name()),
                ("sev", self.default_severity.name()),
                ("threshold", &threshold),
                ("on", if self.default_enabled { "yes" } else { "no" }),
                ("what", self.what),
                ("why", self.why),
                ("example", &example),
                ("fix", self.fix),
            ],
        )
    }
}

/// Finds a rule by code (`KC101`, any case) or name (`irrevocable-admin`).
///
/// ```
/// use kcred_core::{rule, Code};
/// assert_eq!(rule("kc101").unwrap().name, "irrevocable-admin");
/// assert_eq!(rule("expired").unwrap().code, Code::Expired);
/// assert!(rule("kc999").is_none());
/// ```
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    Code::from_code_or_name(code_or_name).map(Code::rule)
}

/// The whole registry as Markdown: the text of `docs/rules.md` (a test keeps
/// that file up to date; `kcred rules --markdown` prints it).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# kcred rules\n\n<!-- generated from kcred-core/src/policy/rules/ (one Markdown file per family) by `kcred rules --markdown`; a test checks it is current (KCRED_BLESS=1 rewrites it) -->\n\n| code | name | family | default severity | in baseline | summary |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| {} | [{}](#{}-{}) | {} | {} | {} | {} |\n",
            r.code,
            r.name,
            r.code.as_str().to_ascii_lowercase(),
            r.name,
            r.family.name(),
            r.default_severity.name(),
            if r.default_enabled { "yes" } else { "no" },
            r.summary
        ));
    }
    for r in RULES {
        out.push('\n');
        out.push_str(&r.markdown());
    }
    out
}

/// The registry as `kcred rules` prints it: each rule's code, name, severity,
/// whether it is on, and summary, under `policy` (the rules' defaults, as in
/// `baseline`, without one).
///
/// ```
/// let table = kcred_core::rules_table(None);
/// assert!(table.starts_with("policy: baseline\n"));
/// assert!(table.contains("KC101  irrevocable-admin"));
/// ```
pub fn rules_table(policy: Option<&Policy>) -> String {
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    // The name comes from the policy file.
    let name = escape_text(policy.map_or("baseline", |p| p.name.as_str()));
    let mut text = format!("policy: {name}\n\n");
    text.push_str(&format!(
        "CODE   {:<width$}  SEVERITY  ON   SUMMARY\n",
        "NAME"
    ));
    for r in RULES {
        let (on, severity) = match policy {
            Some(p) => p
                .rules
                .get(&r.code)
                .map(|s| (s.enabled, s.severity))
                .unwrap_or((false, r.default_severity)),
            None => (r.default_enabled, r.default_severity),
        };
        text.push_str(&format!(
            "{}  {:<width$}  {:<8}  {:<3}  {}\n",
            r.code,
            r.name,
            severity.name(),
            if on { "on" } else { "off" },
            r.summary
        ));
    }
    text.push_str(&format!(
        "\n`kcred rule CODE` explains a rule; presets: {}.\n",
        PRESETS.join(", ")
    ));
    text
}

/// One registry entry: code, family, default severity, on in `baseline`,
/// default threshold, checks and advice. The documentation is the code's
/// section of the family's Markdown file (`DOCS` in the calling file), or
/// given inline field by field.
macro_rules! entry {
    ($code:ident $family:ident $sev:ident $on:literal $threshold:expr, $check:expr, $advice:expr) => {{
        const DOC: $crate::policy::rules::doc::Doc =
            $crate::policy::rules::doc::Doc::of(DOCS, $crate::policy::code::Code::$code);
        entry!($code $family $sev $on $threshold, check: $check, advice: $advice,
            summary: DOC.summary, what: DOC.what, why: DOC.why, example: DOC.example, fix: DOC.fix)
    }};
    ($code:ident $family:ident $sev:ident $on:literal $threshold:expr,
     check: $check:expr, advice: $advice:expr,
     summary: $summary:expr, what: $what:expr, why: $why:expr,
     example: $example:expr, fix: $fix:expr) => {
        $crate::policy::rules::Rule {
            code: $crate::policy::code::Code::$code,
            name: $crate::policy::code::Code::$code.name(),
            family: $crate::policy::rules::Family::$family,
            default_severity: $crate::policy::finding::Severity::$sev,
            default_enabled: $on,
            default_threshold: $threshold,
            summary: $summary,
            what: $what,
            why: $why,
            example: $example,
            fix: $fix,
            checks: $check,
            advice: $advice,
        }
    };
}

/// The credential of the subject `$c` when it is a `Credential::$variant`.
macro_rules! credential {
    ($c:expr, $variant:ident) => {
        match &$c.record.credential {
            $crate::credential::Credential::$variant(x) => Some(x),
            _ => None,
        }
    };
}

/// What every family file uses.
mod prelude {
    pub(super) use super::{Check, Hit, Rule};
    pub(super) use crate::policy::model::RuleSettings;
    pub(super) use crate::policy::remediation::{Advice, Situation};
    pub(super) use crate::policy::subject::{Cred, Of};
    pub(super) use time::OffsetDateTime;
}

mod certificate;
mod cluster;
mod doc;
mod exec;
mod input;
mod lifetime;
mod repository;
mod rights;
mod token;

const FAMILIES: [&[Rule]; 8] = [
    lifetime::RULES,
    certificate::RULES,
    token::RULES,
    exec::RULES,
    cluster::RULES,
    repository::RULES,
    rights::RULES,
    input::RULES,
];

const COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < FAMILIES.len() {
        n += FAMILIES[i].len();
        i += 1;
    }
    n
};

const ALL: [Rule; COUNT] = {
    let mut out = [FAMILIES[0][0]; COUNT];
    let (mut n, mut f) = (0, 0);
    while f < FAMILIES.len() {
        let mut i = 0;
        while i < FAMILIES[f].len() {
            out[n] = FAMILIES[f][i];
            n += 1;
            i += 1;
        }
        f += 1;
    }
    out
};

/// Every rule, sorted by code: one per [`Code`], in the order of [`Code::ALL`].
pub const RULES: &[Rule] = &ALL;

impl Code {
    /// The rule of this code in the registry.
    pub fn rule(self) -> &'static Rule {
        // RULES holds one rule per code in the order of the variants (a test
        // below checks it).
        &RULES[self as usize]
    }
}

#[cfg(test)]
mod tests;
