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
//! oidc:                      # the cluster's OIDC claim settings, for --rbac
//!   username-claim: email
//!   groups-claim: groups
//!   groups-prefix: "oidc:"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use time::OffsetDateTime;

use crate::credential::CredentialKind;
use crate::error::{Error, Location};
use crate::fs::{Budget, FileId};
use crate::kubeconfig::Limits;
use crate::policy::code::Code;
use crate::policy::duration::Threshold;
use crate::policy::finding::Severity;
use crate::policy::presets;
use crate::policy::rules::{rule, RULES};
use crate::rbac::OidcClaims;
use syntax::{line_of_key, parse_file, plain_key, shown_key};

mod discover;
mod syntax;

pub use discover::{discover_policy, PolicyOrigin, POLICY_FILE_NAMES};

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
    oidc: Option<OidcConfig>,
}

/// `oidc:` as written: the cluster's OIDC authenticator settings (the API
/// server's `--oidc-*` flags), each optional, overriding the extended
/// policy's. Written kebab-case like every key, or snake_case as the API
/// server's structured authentication configuration reads.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct OidcConfig {
    #[serde(alias = "username_claim")]
    username_claim: Option<String>,
    #[serde(alias = "groups_claim")]
    groups_claim: Option<String>,
    #[serde(alias = "username_prefix")]
    username_prefix: Option<String>,
    #[serde(alias = "groups_prefix")]
    groups_prefix: Option<String>,
}

impl OidcConfig {
    /// `base` with the fields written here.
    fn over(&self, base: Option<OidcClaims>) -> OidcClaims {
        let mut out = base.unwrap_or_default();
        let fields = [
            (&self.groups_claim, &mut out.groups_claim),
            (&self.username_prefix, &mut out.username_prefix),
            (&self.groups_prefix, &mut out.groups_prefix),
        ];
        for (written, field) in fields {
            if written.is_some() {
                field.clone_from(written);
            }
        }
        if let Some(claim) = &self.username_claim {
            out.username_claim.clone_from(claim);
        }
        out
    }
}

/// One rule's settings as written; every field optional, overriding what the
/// extended policy says.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleConfig {
    enabled: Option<bool>,
    severity: Option<Severity>,
    threshold: Option<Threshold>,
    error_threshold: Option<Threshold>,
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
    /// Threshold for KC003 (within), KC004 (max lifetime), KC005 (max
    /// remaining), KC009, KC601: a duration; for KC003 also a share of lifetime.
    pub threshold: Option<Threshold>,
    /// KC003: at or below this, findings are errors.
    pub error_threshold: Option<Threshold>,
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
    /// Only findings at this entry (`users[admin]`), besides the scope: set
    /// by an inline suppression (a `# kcred: ignore[...]` comment).
    pub entry: Option<String>,
    /// Only findings at this 1-based line, besides the scope: set by a
    /// `# kcred: ignore[...]` comment in a file `scan` reads (a script, an
    /// `.env`, a manifest), which is about the line it is on or above.
    pub line: Option<u32>,
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
    /// The cluster's OIDC claim settings (`oidc:`), which tell the identity
    /// of OIDC tokens for `--rbac` when no `--oidc-*` flag is given.
    pub oidc: Option<OidcClaims>,
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
                            threshold: r.default_threshold.and_then(|t| Threshold::parse(t).ok()),
                            error_threshold: None,
                            allow: None,
                            include: None,
                            exclude: None,
                        },
                    )
                })
                .collect(),
            suppressions: Vec::new(),
            oidc: None,
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

#[cfg(test)]
impl Policy {
    /// The threshold of `code` as written, for tests.
    pub(crate) fn threshold_of(&self, code: Code) -> Option<&str> {
        self.rules
            .get(&code)
            .and_then(|s| s.threshold.as_ref())
            .map(Threshold::as_str)
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
    let reader = Reader::new();
    reader.load_file(path, &mut Vec::new())
}

/// Reads policy files through the input boundary like every file: regular
/// files only (never a FIFO or /proc/kmsg), MAX_POLICY_BYTES each, and a whole
/// `extends` chain (or a discovery) within one run budget.
struct Reader {
    limits: Limits,
    budget: Budget,
}

impl Reader {
    fn new() -> Self {
        let limits = Limits {
            max_file_bytes: MAX_POLICY_BYTES,
            max_total_bytes: MAX_POLICY_BYTES.saturating_mul(MAX_EXTENDS_DEPTH as u64 + 1),
            ..Limits::default()
        };
        let budget = Budget::new(&limits);
        Reader { limits, budget }
    }

    /// The text of `path`, and its identity; `chain` holds the files being
    /// read (an `extends` loop back to one of them is refused).
    fn read(&self, path: &Path, chain: &[FileId]) -> Result<(String, FileId), Error> {
        let at = Location::file(path);
        if chain.len() >= MAX_EXTENDS_DEPTH {
            return Err(bad(&at, "extends chain is longer than 8".to_owned()));
        }
        let read = self.budget.read(path, &self.limits, &at)?;
        // The file itself (device and inode of what was opened), not its name,
        // tells a loop: symlinks and `a/../a` spellings cannot hide one.
        if chain.contains(&read.id) {
            return Err(bad(&at, "extends loops back to this file".to_owned()));
        }
        let text = String::from_utf8(read.bytes).map_err(|_| Error::NotUtf8 { at })?;
        Ok((text, read.id))
    }

    fn load_file(&self, path: &Path, chain: &mut Vec<FileId>) -> Result<Policy, Error> {
        let (text, id) = self.read(path, chain)?;
        self.resolve_in(path, id, chain, |extends| {
            parse_policy_with(&text, path, extends)
        })
    }

    /// Runs `parse` with `extends: FILE` read against `path`'s folder, `id`
    /// (the file of `path`) on the chain meanwhile.
    fn resolve_in(
        &self,
        path: &Path,
        id: FileId,
        chain: &mut Vec<FileId>,
        parse: impl FnOnce(
            &mut dyn FnMut(&str, &Location) -> Result<Policy, Error>,
        ) -> Result<Policy, Error>,
    ) -> Result<Policy, Error> {
        chain.push(id);
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let result = parse(&mut |spec, _| {
            if presets::is_preset(spec) {
                Policy::preset(spec)
            } else {
                self.load_file(&dir.join(spec), chain)
            }
        });
        chain.pop();
        result
    }
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

fn parse_policy_with(
    text: &str,
    source: &Path,
    extends: &mut dyn FnMut(&str, &Location) -> Result<Policy, Error>,
) -> Result<Policy, Error> {
    resolve(&parse_file(text, source)?, text, source, extends)
}

/// The policy of `file` as read; `text` (what it was read from) gives lines.
fn resolve(
    file: &PolicyFile,
    text: &str,
    source: &Path,
    extends: &mut dyn FnMut(&str, &Location) -> Result<Policy, Error>,
) -> Result<Policy, Error> {
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
        let shares = [
            ("threshold", &config.threshold),
            ("error-threshold", &config.error_threshold),
        ];
        for (name, t) in shares {
            if let (Some(Threshold::Share(_)), false) = (t, r.code == Code::ExpiringSoon) {
                return Err(bad(
                    &key_at,
                    format!("{name}: a share of lifetime (like 33%) is for expiring-soon only; write a duration like 24h or 30d"),
                ));
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
    if let Some(oidc) = &file.oidc {
        policy.oidc = Some(oidc.over(policy.oidc.take()));
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
            entry: None,
            line: None,
            at: s_at,
        });
    }
    Ok(policy)
}

/// `2026-03-31` (through the end of that day, UTC) or an RFC 3339 instant.
pub(crate) fn parse_expiry(text: &str) -> Option<OffsetDateTime> {
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
mod tests;
