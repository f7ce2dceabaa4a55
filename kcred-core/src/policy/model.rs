//! The policy as data: the file format (YAML, TOML or JSON), and the resolved
//! [`Policy`] that evaluation reads.
//!
//! ```yaml
//! version: 1                 # or: apiVersion: kcred/v1 + kind: Policy
//! extends: strict            # a preset or another policy file
//! rules:
//!   expiring-soon:           # rule name or code (KC003)
//!     threshold: 14d
//!     error-threshold: 3d
//!   irrevocable-admin:
//!     severity: warning
//!     exclude: { contexts: ["kind-*"] }
//! suppressions:
//!   - rule: KC101
//!     users: [break-glass]
//!     reason: offline break-glass account, rotated quarterly
//!     expires: 2026-03-31
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use time::OffsetDateTime;

use super::code::Code;
use super::duration::PolicyDuration;
use super::finding::Severity;
use super::presets;
use super::rules::{rule, RULES};
use crate::credential::CredentialKind;
use crate::error::{Error, Location};
use crate::fs::{Budget, FileId};
use crate::kubeconfig::Limits;

/// Largest policy file [`load_policy`] reads.
pub const MAX_POLICY_BYTES: u64 = 1 << 20;
/// Longest `extends` chain.
const MAX_EXTENDS_DEPTH: usize = 8;

/// The `apiVersion` accepted when a policy uses the Kubernetes-style header.
pub const POLICY_API_VERSION: &str = "kcred/v1";

/// A policy file as written (before `extends` is applied).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PolicyFile {
    version: Option<u32>,
    #[serde(rename = "apiVersion")]
    api_version: Option<String>,
    kind: Option<String>,
    name: Option<String>,
    description: Option<String>,
    extends: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, RuleConfig>,
    #[serde(default)]
    suppressions: Vec<SuppressionConfig>,
}

/// One rule's settings as written; every field optional, overriding what the
/// extended policy says.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleConfig {
    enabled: Option<bool>,
    severity: Option<Severity>,
    threshold: Option<PolicyDuration>,
    error_threshold: Option<PolicyDuration>,
    allow: Option<Vec<String>>,
    include: Option<Scope>,
    exclude: Option<Scope>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SuppressionConfig {
    rule: String,
    reason: String,
    expires: Option<String>,
    #[serde(default)]
    contexts: Vec<String>,
    #[serde(default)]
    clusters: Vec<String>,
    #[serde(default)]
    users: Vec<String>,
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    files: Vec<String>,
}

/// Which credentials, clusters and files a rule or suppression covers. Each
/// list holds globs (`*`, `?`, `[..]`, `**`); an empty list matches anything,
/// and every non-empty list must match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scope {
    /// Context names; a credential matches when any of its contexts does.
    pub contexts: Vec<String>,
    /// Cluster names; a credential matches when any of its clusters does.
    pub clusters: Vec<String>,
    /// User entry names.
    pub users: Vec<String>,
    /// Credential kinds: `client-certificate`, `token`, `basic-auth`, `exec`, `auth-provider`.
    pub kinds: Vec<String>,
    /// File paths; a pattern without `/` is also matched against the file name alone.
    pub files: Vec<String>,
}

impl Scope {
    fn is_empty(&self) -> bool {
        self.contexts.is_empty()
            && self.clusters.is_empty()
            && self.users.is_empty()
            && self.kinds.is_empty()
            && self.files.is_empty()
    }

    fn validate(&self, at: &Location) -> Result<(), Error> {
        for kind in &self.kinds {
            if CredentialKind::from_name(kind).is_none() {
                return Err(bad(
                    at,
                    "unknown credential kind (expected client-certificate, token, basic-auth, exec or auth-provider)".to_owned(),
                ));
            }
        }
        for p in self
            .contexts
            .iter()
            .chain(&self.clusters)
            .chain(&self.users)
            .chain(&self.files)
        {
            glob::Pattern::new(p).map_err(|e| bad(at, format!("bad glob: {}", e.msg)))?;
        }
        Ok(())
    }
}

/// A rule's effective settings in a resolved policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSettings {
    /// Whether the rule runs.
    pub enabled: bool,
    /// Severity of its findings.
    pub severity: Severity,
    /// Threshold for KC003 (within), KC004 (max lifetime), KC005 (max remaining).
    pub threshold: Option<PolicyDuration>,
    /// KC003: at or below this, findings are errors.
    pub error_threshold: Option<PolicyDuration>,
    /// KC303: allowed exec commands (globs on the path or basename).
    pub allow: Option<Vec<String>>,
    /// Only what matches this scope is checked.
    pub include: Option<Scope>,
    /// What matches this scope is not checked.
    pub exclude: Option<Scope>,
}

/// A policy exception: findings of `rule` in `scope` are marked suppressed
/// (with the reason) until `expires`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The rule, or `None` for every rule (`*`).
    pub rule: Option<Code>,
    /// Why: required.
    pub reason: String,
    /// The suppression stops working at this instant. A date `2026-03-31` means
    /// "through that day": the end is 2026-04-01T00:00:00Z.
    pub expires: Option<OffsetDateTime>,
    /// What it covers.
    pub scope: Scope,
    /// Where it is written.
    pub at: Location,
}

/// A resolved policy: settings for every rule in the registry, and suppressions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The preset name or the file it came from.
    pub name: String,
    /// `description` from the file, when given.
    pub description: Option<String>,
    /// Settings by rule code; holds every rule of [`RULES`].
    pub rules: BTreeMap<Code, RuleSettings>,
    /// Suppressions, from the extended policies first.
    pub suppressions: Vec<Suppression>,
}

impl Default for Policy {
    /// The `baseline` preset.
    fn default() -> Self {
        Policy::registry_defaults()
    }
}

impl Policy {
    /// Every rule at its registry default: this is `baseline`.
    fn registry_defaults() -> Self {
        Policy {
            name: "baseline".to_owned(),
            description: Some(presets::BASELINE_DESCRIPTION.to_owned()),
            rules: RULES
                .iter()
                .map(|r| {
                    (
                        r.code,
                        RuleSettings {
                            enabled: r.default_enabled,
                            severity: r.default_severity,
                            threshold: r
                                .default_threshold
                                .and_then(|t| PolicyDuration::parse(t).ok()),
                            error_threshold: None,
                            allow: None,
                            include: None,
                            exclude: None,
                        },
                    )
                })
                .collect(),
            suppressions: Vec::new(),
        }
    }

    /// A built-in preset: `baseline`, `strict` or `kubeadm`.
    ///
    /// ```
    /// use kcred_core::Code;
    /// let strict = kcred_core::Policy::preset("strict").unwrap();
    /// assert!(strict.rules[&Code::IrrevocableAdmin].enabled);
    /// assert!(kcred_core::Policy::preset("lax").is_err());
    /// ```
    pub fn preset(name: &str) -> Result<Policy, Error> {
        if name == "baseline" {
            return Ok(Policy::registry_defaults());
        }
        let Some(text) = presets::text(name) else {
            return Err(Error::BadPolicy {
                at: Location::file(name),
                reason: format!(
                    "unknown preset {name:?} (presets: {})",
                    presets::NAMES.join(", ")
                ),
            });
        };
        let source = PathBuf::from(format!("preset:{name}"));
        let mut policy = parse_policy_with(text, &source, &mut |spec, at| {
            Policy::preset(spec).map_err(|e| relocate(e, at))
        })?;
        policy.name = name.to_owned();
        Ok(policy)
    }
}

/// Parses a policy from text. `source` names it in errors and picks the format:
/// `.toml` is TOML, `.json` (or text starting with `{`) is JSON, anything else
/// YAML. `extends` may name a preset only; use [`load_policy`] for files that
/// extend other files.
///
/// ```
/// use kcred_core::Code;
/// let p = kcred_core::parse_policy("version: 1\nextends: strict\nrules:\n  max-remaining: { threshold: 8h }\n", "p.yaml".as_ref()).unwrap();
/// assert_eq!(p.rules[&Code::MaxRemaining].threshold.as_ref().unwrap().as_str(), "8h");
/// let err = kcred_core::parse_policy("version: 1\nrulez: {}\n", "p.yaml".as_ref()).unwrap_err();
/// assert!(err.to_string().contains("rulez"));
/// ```
pub fn parse_policy(text: &str, source: &Path) -> Result<Policy, Error> {
    parse_policy_with(text, source, &mut |spec, at| {
        if presets::text(spec).is_some() || spec == "baseline" {
            Policy::preset(spec)
        } else {
            Err(bad(
                at,
                "extends: not a preset (files can be extended only when loading from disk)"
                    .to_owned(),
            ))
        }
    })
}

/// Loads a policy: a preset name (`baseline`, `strict`, `kubeadm`) or a file
/// path. `extends: FILE` is resolved against the extending file's folder; a
/// chain is at most 8 deep and may not loop. This is the only function of the
/// policy module that reads files.
pub fn load_policy(spec: &str) -> Result<Policy, Error> {
    if presets::is_preset(spec) {
        return Policy::preset(spec);
    }
    let path = Path::new(spec);
    if !crate::fs::exists(path) && !spec.contains(['/', '.', '\\']) {
        return Policy::preset(spec);
    }
    // Policy files go through the input boundary like every file: regular files
    // only (never a FIFO or /proc/kmsg), MAX_POLICY_BYTES each, and the whole
    // chain within one run budget.
    let limits = Limits {
        max_file_bytes: MAX_POLICY_BYTES,
        max_total_bytes: MAX_POLICY_BYTES.saturating_mul(MAX_EXTENDS_DEPTH as u64 + 1),
        ..Limits::default()
    };
    load_file(path, &limits, &Budget::new(&limits), &mut Vec::new())
}

fn load_file(
    path: &Path,
    limits: &Limits,
    budget: &Budget,
    chain: &mut Vec<FileId>,
) -> Result<Policy, Error> {
    let at = Location::file(path);
    if chain.len() >= MAX_EXTENDS_DEPTH {
        return Err(bad(&at, "extends chain is longer than 8".to_owned()));
    }
    let read = budget.read(path, limits, &at)?;
    // The file itself (device and inode of what was opened), not its name, tells
    // a loop: symlinks and `a/../a` spellings cannot hide one.
    if chain.contains(&read.id) {
        return Err(bad(&at, "extends loops back to this file".to_owned()));
    }
    let text = String::from_utf8(read.bytes).map_err(|_| Error::NotUtf8 { at: at.clone() })?;
    chain.push(read.id);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let result = parse_policy_with(&text, path, &mut |spec, _| {
        if presets::is_preset(spec) {
            Policy::preset(spec)
        } else {
            load_file(&dir.join(spec), limits, budget, chain)
        }
    });
    chain.pop();
    result
}

fn bad(at: &Location, reason: String) -> Error {
    Error::BadPolicy {
        at: at.clone(),
        reason,
    }
}

fn relocate(e: Error, at: &Location) -> Error {
    match e {
        Error::BadPolicy { reason, .. } => bad(at, reason),
        other => other,
    }
}

enum Format {
    Yaml,
    Json,
    Toml,
}

fn format_of(text: &str, source: &Path) -> Format {
    match source.extension().and_then(|e| e.to_str()) {
        Some("toml") => Format::Toml,
        Some("json") => Format::Json,
        _ if text.trim_start().starts_with('{') => Format::Json,
        _ => Format::Yaml,
    }
}

/// The 1-based line where `key` is first written as a key, best effort (YAML
/// `key:`, JSON `"key":`, TOML `key =` or `[rules.key]`).
fn line_of_key(text: &str, key: &str, nth: usize) -> Option<u32> {
    let forms = [
        format!("{key}:"),
        format!("- {key}:"),
        format!("\"{key}\""),
        format!("{key} ="),
        format!("[rules.{key}]"),
        format!("[rules.\"{key}\"]"),
    ];
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            forms.iter().any(|f| t.starts_with(f.as_str()))
        })
        .nth(nth)
        .and_then(|(i, _)| u32::try_from(i + 1).ok())
}

/// Pulls `line N` out of a parser message, when it gives one.
fn line_in_message(message: &str) -> Option<u32> {
    let lower = message.to_ascii_lowercase();
    let idx = lower.find("line ")?;
    let digits: String = lower[idx + 5..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn parse_file(text: &str, source: &Path) -> Result<PolicyFile, Error> {
    let at = Location::file(source);
    let format = format_of(text, source);
    let failure = match format {
        Format::Yaml => match serde_saphyr::from_str::<PolicyFile>(text) {
            Ok(f) => return Ok(f),
            Err(e) => yaml_failure(&e, text),
        },
        Format::Json => match serde_json::from_str::<PolicyFile>(text) {
            Ok(f) => return Ok(f),
            Err(e) => Failure {
                line: u32::try_from(e.line()).ok().filter(|l| *l > 0),
                message: e.to_string(),
                category: match e.classify() {
                    serde_json::error::Category::Data => "value of the wrong shape",
                    serde_json::error::Category::Eof => "unexpected end of input",
                    _ => "JSON syntax error",
                },
                unknown_field: None,
            },
        },
        Format::Toml => match toml::from_str::<PolicyFile>(text) {
            Ok(f) => return Ok(f),
            // toml's Display draws the offending source line: only its message
            // is read, and the line comes from the span.
            Err(e) => Failure {
                line: e.span().and_then(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    u32::try_from(line).ok()
                }),
                message: e.message().to_owned(),
                category: "TOML syntax error",
                unknown_field: None,
            },
        },
    };
    let declared = declares_policy(text, &format);
    let (reason, key) = failure.reason(text, declared);
    let line = failure
        .line
        .or_else(|| line_in_message(&failure.message))
        .or_else(|| key.and_then(|k| line_of_key(text, &k, 0)));
    Err(bad(&at.with_line(line), reason))
}

/// What a parser said about a policy file, before it is reduced.
struct Failure {
    line: Option<u32>,
    /// The parser's message: may quote the input; never shown as is.
    message: String,
    /// What is said when nothing of the message can be shown.
    category: &'static str,
    /// The unknown key, when the parser gave it as data (YAML).
    unknown_field: Option<String>,
}

fn yaml_failure(e: &serde_saphyr::Error, text: &str) -> Failure {
    use serde_saphyr::Error as E;
    let e = e.without_snippet();
    let (message, unknown_field) = match e {
        E::SerdeUnknownField {
            field, expected, ..
        } => (
            format!(
                "unknown field `{field}`, expected one of {}",
                backticked(expected)
            ),
            Some(field.clone()),
        ),
        E::SerdeMissingField { field, .. } => (format!("missing field `{field}`"), None),
        E::SerdeUnknownVariant { expected, .. } => (
            format!("unknown variant, expected one of {}", backticked(expected)),
            None,
        ),
        E::Message { msg, .. } => (msg.clone(), None),
        other => (crate::kubeconfig::yaml_reason(other, text), None),
    };
    Failure {
        line: e
            .location()
            .and_then(|l| u32::try_from(l.line()).ok())
            .filter(|l| *l > 0),
        message,
        category: "YAML syntax error",
        unknown_field,
    }
}

fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every field name of the policy file format: a parser message may name these.
const FIELDS: &[&str] = &[
    "version",
    "apiVersion",
    "kind",
    "name",
    "description",
    "extends",
    "rules",
    "suppressions",
    "enabled",
    "severity",
    "threshold",
    "error-threshold",
    "allow",
    "include",
    "exclude",
    "rule",
    "reason",
    "expires",
    "contexts",
    "clusters",
    "users",
    "kinds",
    "files",
];

impl Failure {
    /// The reason shown, and the unknown key (for finding its line; it is in
    /// the reason only when shown). Nothing of the input is shown but an
    /// unknown key spelled like a key (`severty`), and that only in a document
    /// that declares itself a policy (`version` or `apiVersion`): a file named
    /// by `extends:` that is not a policy (`/etc/shadow`) shows nothing of itself.
    fn reason(&self, text: &str, declared: bool) -> (String, Option<String>) {
        let message = self.message.lines().next().unwrap_or_default();
        let message = match message.find(" at line ") {
            Some(i) => &message[..i],
            None => message,
        };
        // What follows `, expected` in serde's messages is the schema's text.
        let expected = message
            .split_once(", expected ")
            .map(|(_, e)| e)
            .filter(|e| schema_text(e));
        let with_expected = |head: &str| match expected {
            Some(e) => format!("{head}, expected {e}"),
            None => head.to_owned(),
        };
        if let Some(rest) = message.strip_prefix("unknown field `") {
            let key = self
                .unknown_field
                .clone()
                .or_else(|| rest.split('`').next().map(str::to_owned));
            let head = match &key {
                Some(k) if declared && plain_key(k) => format!("unknown field `{k}`"),
                _ => "unknown field".to_owned(),
            };
            return (with_expected(&head), key);
        }
        if let Some(rest) = message.strip_prefix("missing field `") {
            let field = rest.split('`').next().unwrap_or_default();
            let head = match FIELDS.contains(&field) {
                true => format!("missing field `{field}`"),
                false => "missing field".to_owned(),
            };
            return (head, None);
        }
        if message.starts_with("unknown variant") {
            return (with_expected("unknown value"), None);
        }
        if message.starts_with("invalid type") || message.starts_with("invalid value") {
            return (with_expected("value of the wrong type"), None);
        }
        if message.starts_with("invalid length") {
            return (with_expected("wrong number of items"), None);
        }
        if message.starts_with("duplicate field `") || message.starts_with("duplicate key") {
            return ("duplicate key".to_owned(), None);
        }
        (
            crate::kubeconfig::sanitize(message, text, self.category),
            None,
        )
    }
}

/// Whether the text after serde's `expected` is the schema's (names in
/// backticks, `a string`, `struct PolicyFile`...), not the input's.
fn schema_text(text: &str) -> bool {
    text.len() <= 400
        && text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .filter(|w| !w.is_empty())
            .all(|w| {
                FIELDS.contains(&w)
                    || super::rules::RULES
                        .iter()
                        .any(|r| r.name == w || r.code == w)
                    || SCHEMA_WORDS.contains(&w)
                    || Severity::from_name(w).is_some()
            })
}

/// Words of serde's `expected ...` texts for this schema.
const SCHEMA_WORDS: &[&str] = &[
    "one",
    "of",
    "a",
    "an",
    "string",
    "struct",
    "PolicyFile",
    "RuleConfig",
    "SuppressionConfig",
    "Scope",
    "map",
    "sequence",
    "boolean",
    "integer",
    "u32",
    "option",
    "enum",
    "Severity",
    "with",
    "elements",
    "element",
    "unit",
    "variant",
    "identifier",
    "field",
    "or",
    "null",
];

/// ` "name"` for a plain key (see [`plain_key`]), else nothing: what an error
/// says of a rule key read from a policy.
fn shown_key(key: &str) -> String {
    if plain_key(key) {
        format!(" {key:?}")
    } else {
        String::new()
    }
}

/// An unknown key short and plain enough to be a mistyped field or rule name.
fn plain_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether the document has a top-level `version` or `apiVersion`: it says it
/// is a kcred policy (read leniently; other keys are ignored here).
fn declares_policy(text: &str, format: &Format) -> bool {
    #[derive(Deserialize)]
    struct Header {
        version: Option<serde::de::IgnoredAny>,
        #[serde(rename = "apiVersion")]
        api_version: Option<serde::de::IgnoredAny>,
    }
    let header = match format {
        Format::Yaml => serde_saphyr::from_str::<Header>(text).ok(),
        Format::Json => serde_json::from_str::<Header>(text).ok(),
        Format::Toml => toml::from_str::<Header>(text).ok(),
    };
    header.is_some_and(|h| h.version.is_some() || h.api_version.is_some())
}

fn parse_policy_with(
    text: &str,
    source: &Path,
    extends: &mut dyn FnMut(&str, &Location) -> Result<Policy, Error>,
) -> Result<Policy, Error> {
    let file = parse_file(text, source)?;
    let at = |key: &str, nth: usize| Location::file(source).with_line(line_of_key(text, key, nth));
    match (&file.version, &file.api_version, &file.kind) {
        (Some(1), None, None) => {}
        (None, Some(api), Some(kind)) if api == POLICY_API_VERSION && kind == "Policy" => {}
        (Some(v), None, None) => {
            return Err(bad(
                &at("version", 0),
                format!("version {v} is not supported (only 1)"),
            ))
        }
        (None, Some(_), _) | (None, _, Some(_)) => {
            return Err(bad(
                &at("apiVersion", 0),
                format!("expected apiVersion: {POLICY_API_VERSION} with kind: Policy"),
            ))
        }
        (None, None, None) => {
            return Err(bad(
                &Location::file(source),
                format!("missing `version: 1` (or apiVersion: {POLICY_API_VERSION}, kind: Policy)"),
            ))
        }
        _ => {
            return Err(bad(
                &at("version", 0),
                "give either `version` or `apiVersion`/`kind`, not both".to_owned(),
            ))
        }
    }
    let mut policy = match &file.extends {
        Some(spec) => extends(spec, &at("extends", 0))?,
        None => Policy::registry_defaults(),
    };
    policy.name = file
        .name
        .clone()
        .unwrap_or_else(|| source.display().to_string());
    if file.description.is_some() {
        policy.description = file.description.clone();
    }
    for (key, config) in &file.rules {
        // A key is named (in the entry and the reason) only when plain.
        let entry = match plain_key(key) {
            true => format!("rules.{key}"),
            false => "rules".to_owned(),
        };
        let key_at = at(key, 0).with_entry(entry);
        let Some(r) = rule(key) else {
            return Err(bad(
                &key_at,
                format!("unknown rule{} (see `kcred rules`)", shown_key(key)),
            ));
        };
        for scope in [&config.include, &config.exclude].into_iter().flatten() {
            scope.validate(&key_at)?;
        }
        if let Some(allow) = &config.allow {
            for p in allow {
                glob::Pattern::new(p).map_err(|e| bad(&key_at, format!("bad glob: {}", e.msg)))?;
            }
        }
        let Some(settings) = policy.rules.get_mut(&r.code) else {
            continue;
        };
        // Setting a threshold or an allowlist turns a rule on unless it says otherwise.
        let implied_on = config.threshold.is_some() || config.allow.is_some();
        settings.enabled = config.enabled.unwrap_or(settings.enabled || implied_on);
        if let Some(s) = config.severity {
            settings.severity = s;
        }
        if let Some(t) = &config.threshold {
            settings.threshold = Some(t.clone());
        }
        if let Some(t) = &config.error_threshold {
            settings.error_threshold = Some(t.clone());
        }
        if let Some(a) = &config.allow {
            settings.allow = Some(a.clone());
        }
        if let Some(s) = &config.include {
            settings.include = (!s.is_empty()).then(|| s.clone());
        }
        if let Some(s) = &config.exclude {
            settings.exclude = (!s.is_empty()).then(|| s.clone());
        }
    }
    for (i, s) in file.suppressions.iter().enumerate() {
        let s_at = at("rule", i).with_entry(format!("suppressions[{i}]"));
        if s.rule != "*" && rule(&s.rule).is_none() {
            return Err(bad(&s_at, "unknown rule (see `kcred rules`)".to_owned()));
        }
        if s.reason.trim().is_empty() {
            return Err(bad(&s_at, "a suppression needs a reason".to_owned()));
        }
        let expires = s
            .expires
            .as_deref()
            .map(|t| {
                parse_expiry(t).ok_or_else(|| {
                    bad(
                        &s_at,
                        "expires is neither a date (2026-03-31) nor RFC 3339".to_owned(),
                    )
                })
            })
            .transpose()?;
        let scope = Scope {
            contexts: s.contexts.clone(),
            clusters: s.clusters.clone(),
            users: s.users.clone(),
            kinds: s.kinds.clone(),
            files: s.files.clone(),
        };
        scope.validate(&s_at)?;
        policy.suppressions.push(Suppression {
            rule: rule(&s.rule).map(|r| r.code),
            reason: s.reason.clone(),
            expires,
            scope,
            at: s_at,
        });
    }
    Ok(policy)
}

/// `2026-03-31` (through the end of that day, UTC) or an RFC 3339 instant.
fn parse_expiry(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Some(t) = crate::expiry::parse_rfc3339(text) {
        return Some(t);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, &format).ok()?;
    date.next_day()
        .and_then(|d| crate::expiry::in_range(d.midnight().assume_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Policy, Error> {
        parse_policy(text, Path::new("policy.yaml"))
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = parse("version: 1\nrules:\n  expired:\n    severty: error\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("severty"), "{msg}");
        assert_eq!(err.location().and_then(|l| l.line), Some(4), "{msg}");
        let err = parse("version: 1\nrulez: {}\n").unwrap_err();
        assert!(err.to_string().contains("rulez"));
        assert_eq!(err.location().and_then(|l| l.line), Some(2));
    }

    #[test]
    fn unknown_rule_preset_kind_glob_and_version() {
        let cases = [
            ("version: 1\nrules:\n  KC999: {}\n", "unknown rule"),
            ("version: 1\nextends: lax\n", "not a preset"),
            ("version: 2\n", "not supported"),
            ("rules: {}\n", "missing `version: 1`"),
            (
                "version: 1\nrules:\n  expired: { include: { kinds: [cert] } }\n",
                "unknown credential kind",
            ),
            (
                "version: 1\nrules:\n  expired: { include: { users: ['[a'] } }\n",
                "bad glob",
            ),
            (
                "version: 1\nrules:\n  expiring-soon: { threshold: 30 }\n",
                "no unit",
            ),
            (
                "version: 1\nsuppressions:\n- { rule: KC101, reason: '' }\n",
                "needs a reason",
            ),
            (
                "version: 1\nsuppressions:\n- { rule: KC101, reason: x, expires: soon }\n",
                "neither a date",
            ),
        ];
        for (text, want) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }

    #[test]
    fn yaml_json_toml_and_api_version_forms_agree() {
        let yaml = parse("apiVersion: kcred/v1\nkind: Policy\nextends: strict\nrules:\n  KC005: { threshold: 8h }\n").unwrap();
        let json = parse_policy(
            r#"{"version": 1, "extends": "strict", "rules": {"max-remaining": {"threshold": "8h"}}}"#,
            Path::new("p.json"),
        )
        .unwrap();
        let toml = parse_policy(
            "version = 1\nextends = \"strict\"\n[rules.max-remaining]\nthreshold = \"8h\"\n",
            Path::new("p.toml"),
        )
        .unwrap();
        for p in [&yaml, &json, &toml] {
            assert_eq!(
                p.rules[&Code::MaxRemaining]
                    .threshold
                    .as_ref()
                    .unwrap()
                    .as_str(),
                "8h"
            );
            assert!(p.rules[&Code::IrrevocableAdmin].enabled);
        }
        let err = parse_policy("version = 1\nbogus = 2\n", Path::new("p.toml")).unwrap_err();
        assert!(err.to_string().contains("bogus"), "{err}");
        assert_eq!(err.location().and_then(|l| l.line), Some(2), "{err}");
    }

    #[test]
    fn suppression_dates_mean_through_that_day() {
        let p = parse("version: 1\nsuppressions:\n- rule: irrevocable-admin\n  reason: break glass\n  expires: 2026-03-31\n").unwrap();
        let s = &p.suppressions[0];
        assert_eq!(s.rule, Some(Code::IrrevocableAdmin));
        assert_eq!(
            s.expires,
            Some(time::macros::datetime!(2026-04-01 0:00 UTC))
        );
        assert_eq!(s.at.line, Some(3));
    }

    #[test]
    fn load_follows_extends_files_and_refuses_loops() {
        let dir = std::env::temp_dir().join(format!("kcred-policy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("base.yaml"),
            "version: 1\nextends: strict\nrules:\n  max-remaining: { threshold: 12h }\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("team.yaml"),
            "version: 1\nextends: base.yaml\nrules:\n  KC101: { severity: warning }\n",
        )
        .unwrap();
        std::fs::write(dir.join("a.yaml"), "version: 1\nextends: b.yaml\n").unwrap();
        std::fs::write(dir.join("b.yaml"), "version: 1\nextends: a.yaml\n").unwrap();
        let p = load_policy(dir.join("team.yaml").to_str().unwrap()).unwrap();
        assert_eq!(
            p.rules[&Code::MaxRemaining]
                .threshold
                .as_ref()
                .unwrap()
                .as_str(),
            "12h"
        );
        assert_eq!(p.rules[&Code::IrrevocableAdmin].severity, Severity::Warning);
        assert!(p.rules[&Code::StaticCredential].enabled);
        let err = load_policy(dir.join("a.yaml").to_str().unwrap()).unwrap_err();
        assert!(err.to_string().contains("loops"), "{err}");
        let err = load_policy(dir.join("missing.yaml").to_str().unwrap()).unwrap_err();
        assert_eq!(err.kind(), "io");
        std::fs::remove_dir_all(&dir).ok();
    }

    /// Files a policy might name in `extends:` (or be given as), each holding
    /// canaries where a parser would stop: none may appear in the error.
    fn hostile_files() -> Vec<(&'static str, String)> {
        let mut files = Vec::new();
        for (ext, first_key, shadow, value, syntax, wrong_type) in [
            (
                "yaml",
                "CANARY-k1: v\nother: 1\n",
                "root:$6$CANARYhash$x:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
                "password: CANARY-v\n",
                "key: [CANARY-v\n",
                "version: CANARY-v\n",
            ),
            (
                "toml",
                "CANARY-k1 = \"v\"\nother = 1\n",
                "root:$6$CANARYhash$x:19000:0:99999:7:::\n",
                "password = \"CANARY-v\"\n",
                "key = [\"CANARY-v\"\n",
                "version = \"CANARY-v\"\n",
            ),
            (
                "json",
                "{\"CANARY-k1\": \"v\", \"other\": 1}",
                "{root:$6$CANARYhash$x:19000}",
                "{\"password\": \"CANARY-v\"}",
                "{\"key\": [\"CANARY-v\"",
                "{\"version\": \"CANARY-v\"}",
            ),
        ] {
            for text in [first_key, shadow, value, syntax, wrong_type] {
                files.push((ext, text.to_owned()));
            }
        }
        // Declared policies with canaries in values and in keys no rule has.
        for body in [
            "rules:\n  expired: { severity: CANARY-v }\n",
            "rules:\n  expired: { threshold: CANARY-v }\n",
            "rules:\n  expired: { threshold: 30CANARY }\n",
            "rules:\n  expired: { include: { users: ['[CANARY'] } }\n",
            "rules:\n  expired: { include: { kinds: [CANARY-kind] } }\n",
            "rules:\n  expired: { allow: ['[CANARY'] }\n",
            "rules:\n  'CANARY key!': {}\n",
            "rules:\n  expired: { 'CANARY key!': 1 }\n",
            "'CANARY key!': 1\n",
            "suppressions:\n- { rule: 'CANARY rule!', reason: r }\n",
            "suppressions:\n- { rule: KC101, reason: r, expires: CANARY-date }\n",
            "suppressions:\n- { rule: KC101, reason: r, users: ['[CANARY'] }\n",
            "name: [CANARY-v]\n",
        ] {
            files.push(("yaml", format!("version: 1\n{body}")));
        }
        files
    }

    #[test]
    fn no_parser_message_quotes_a_policy_or_a_file_it_extends() {
        let dir = std::env::temp_dir().join(format!("kcred-policy-canary-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut checked = 0;
        for (i, (ext, text)) in hostile_files().into_iter().enumerate() {
            let victim = dir.join(format!("victim{i}.{ext}"));
            std::fs::write(&victim, &text).unwrap();
            let mut errors = vec![
                parse_policy(&text, &victim).unwrap_err(),
                load_policy(victim.to_str().unwrap()).unwrap_err(),
            ];
            // Named by `extends:` of a policy in each format.
            for (main_ext, main) in [
                ("yaml", format!("version: 1\nextends: victim{i}.{ext}\n")),
                (
                    "toml",
                    format!("version = 1\nextends = \"victim{i}.{ext}\"\n"),
                ),
                (
                    "json",
                    format!("{{\"version\": 1, \"extends\": \"victim{i}.{ext}\"}}"),
                ),
            ] {
                let path = dir.join(format!("main{i}.{main_ext}"));
                std::fs::write(&path, main).unwrap();
                errors.push(load_policy(path.to_str().unwrap()).unwrap_err());
            }
            for err in errors {
                let shown = format!("{err} {err:?}");
                assert!(!shown.contains("CANARY"), "{text:?}: {shown}");
                assert_eq!(err.kind(), "bad-policy", "{text:?}: {shown}");
                checked += 1;
            }
        }
        assert!(checked >= 100, "{checked}");
        // Without disk access an extended file is refused without quoting it.
        let err = parse("version: 1\nextends: 'CANARY preset!'\n").unwrap_err();
        assert!(!err.to_string().contains("CANARY"), "{err}");
        // The first-key case still says where: the victim's line 1.
        let victim = dir.join("first.yaml");
        std::fs::write(&victim, "CANARY-k1: v\n").unwrap();
        let err = load_policy(victim.to_str().unwrap()).unwrap_err();
        assert_eq!(err.location().and_then(|l| l.line), Some(1), "{err}");
        assert!(err.to_string().contains("unknown field"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
