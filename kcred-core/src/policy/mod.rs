//! Lifetime policies: the policy model (YAML, TOML, JSON), presets, the rule
//! codes and registry (one file per family in `rules/`), evaluation into
//! findings, and platform-specific remediation.

mod code;
mod duration;
mod evaluate;
mod finding;
mod inline;
mod model;
mod presets;
mod remediation;
mod rules;
mod show;
mod subject;

pub use code::{Code, UnknownCode};
pub use duration::{LifetimeShare, PolicyDuration, Threshold};
pub use evaluate::{evaluate, evaluate_exposure, evaluate_repository, evaluate_scan};
pub use finding::{worst_severity, Finding, FindingLocation, Severity, Suppressed};
pub(crate) use inline::add_line_suppressions;
pub use inline::{inline_suppressions, line_suppressions};
pub use model::{
    discover_policy, load_policy, parse_policy, Policy, PolicyOrigin, RuleSettings, Scope,
    Suppression, MAX_POLICY_BYTES, POLICY_API_VERSION, POLICY_FILE_NAMES,
};
pub use presets::{preset_text, NAMES as PRESETS};
pub use rules::{rule, rules_markdown, rules_table, Family, Rule, RULES};
pub use show::{policy_json, policy_text};

#[cfg(test)]
mod tests;
