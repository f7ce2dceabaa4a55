//! The effective policy as `kcred check --show-policy` prints it: where it
//! came from, every rule's settings and the suppressions, as text (escaped
//! for a terminal) or as the `kcred.policy/v1` JSON document.

use serde_json::{json, Value};

use super::duration::Threshold;
use super::model::{Policy, PolicyOrigin, RuleSettings, Scope, Suppression, POLICY_FILE_NAMES};
use super::rules::RULES;
use crate::report::{escape_text, rfc3339};

/// The `schema` of [`policy_json`].
const POLICY_SCHEMA: &str = "kcred.policy/v1";

/// Where the policy came from, in words.
fn origin_text(origin: &PolicyOrigin) -> String {
    match origin {
        PolicyOrigin::Given { spec } => format!("--policy {spec}"),
        PolicyOrigin::Discovered {
            file,
            searched_from,
        } => format!(
            "{} (the nearest policy file from {})",
            file.display(),
            searched_from.display()
        ),
        PolicyOrigin::Default { searched_from } => format!(
            "the preset baseline (no {} with [tool.kcred] from {} upward)",
            POLICY_FILE_NAMES.join(", "),
            searched_from.display()
        ),
    }
}

/// `include users=a,b` and the like; empty for an empty scope.
fn scope_text(scope: &Scope) -> String {
    [
        ("contexts", &scope.contexts),
        ("clusters", &scope.clusters),
        ("users", &scope.users),
        ("kinds", &scope.kinds),
        ("files", &scope.files),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", v.join(",")))
    .collect::<Vec<_>>()
    .join(" ")
}

/// What a rule's settings say beyond on, severity and thresholds.
fn rule_scope(s: &RuleSettings) -> String {
    let mut parts = Vec::new();
    if let Some(allow) = &s.allow {
        parts.push(format!("allow {}", allow.join(",")));
    }
    for (word, scope) in [("include", &s.include), ("exclude", &s.exclude)] {
        if let Some(scope) = scope {
            parts.push(format!("{word} {}", scope_text(scope)));
        }
    }
    parts.join("; ")
}

/// `policy` as text: its name and origin, a row per rule (code, name, on,
/// severity, thresholds, scope), then the suppressions. Every value from the
/// policy file is escaped.
///
/// ```
/// use kcred_core::{policy_text, Policy, PolicyOrigin};
/// let origin = PolicyOrigin::Given { spec: "baseline".into() };
/// let text = policy_text(&Policy::default(), &origin);
/// assert!(text.starts_with("policy: baseline\nfrom: --policy baseline\n"));
/// assert!(text.contains("KC003  expiring-soon"));
/// ```
pub fn policy_text(policy: &Policy, origin: &PolicyOrigin) -> String {
    let mut lines = vec![
        format!("policy: {}", policy.name),
        format!("from: {}", origin_text(origin)),
    ];
    if let Some(d) = &policy.description {
        lines.push(format!("description: {d}"));
    }
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    lines.push(String::new());
    lines.push(format!(
        "CODE   {:<width$}  ON   SEVERITY  THRESHOLD  ERROR-THRESHOLD  SCOPE",
        "NAME"
    ));
    let shown = |t: &Option<Threshold>| t.as_ref().map_or("-".to_owned(), Threshold::to_string);
    for r in RULES {
        let Some(s) = policy.rules.get(&r.code) else {
            continue;
        };
        let row = format!(
            "{}  {:<width$}  {:<3}  {:<8}  {:<9}  {:<15}  {}",
            r.code,
            r.name,
            if s.enabled { "on" } else { "off" },
            s.severity.name(),
            shown(&s.threshold),
            shown(&s.error_threshold),
            rule_scope(s),
        );
        lines.push(row.trim_end().to_owned());
    }
    lines.push(String::new());
    lines.push(match policy.suppressions.is_empty() {
        true => "suppressions: none".to_owned(),
        false => "suppressions:".to_owned(),
    });
    for s in &policy.suppressions {
        let until = s.expires.map_or_else(
            || "no expiry".to_owned(),
            |t| format!("until {}", rfc3339(t)),
        );
        let scope = scope_text(&s.scope);
        let scope = if scope.is_empty() {
            scope
        } else {
            format!(" {scope}")
        };
        let rule = s.rule.map_or("*", |c| c.as_str());
        lines.push(format!("  {rule} {until}{scope}: {} ({})", s.reason, s.at));
    }
    if let Some(o) = &policy.oidc {
        lines.push(String::new());
        lines.push(format!("oidc: username-claim {}", o.username_claim));
    }
    // Names, paths, globs and reasons come from the policy file: each line is
    // escaped whole, so no value can start a line of its own.
    let mut out = String::new();
    for line in &lines {
        out.push_str(&escape_text(line));
        out.push('\n');
    }
    out
}

fn scope_json(scope: &Scope) -> Value {
    json!({
        "contexts": scope.contexts,
        "clusters": scope.clusters,
        "users": scope.users,
        "kinds": scope.kinds,
        "files": scope.files,
    })
}

fn suppression_json(s: &Suppression) -> Value {
    json!({
        "rule": s.rule.map(|c| c.as_str()),
        "reason": s.reason,
        "expires": s.expires.map(rfc3339),
        "scope": scope_json(&s.scope),
        "location": { "file": s.at.file, "line": s.at.line },
    })
}

/// `policy` as the `kcred.policy/v1` JSON document (docs/json-schema.md):
/// `source` (`kind` given, discovered or default, with `spec`, `file` and
/// `searched_from`), a `rules` entry per rule and the `suppressions`.
///
/// ```
/// use kcred_core::{policy_json, Policy, PolicyOrigin};
/// let origin = PolicyOrigin::Default { searched_from: "/src".into() };
/// let doc = policy_json(&Policy::default(), &origin);
/// assert_eq!(doc["source"]["kind"], "default");
/// assert_eq!(doc["rules"][2]["threshold"], "30d");
/// ```
pub fn policy_json(policy: &Policy, origin: &PolicyOrigin) -> Value {
    let (kind, spec, file, searched_from) = match origin {
        PolicyOrigin::Given { spec } => ("given", Some(spec.as_str()), None, None),
        PolicyOrigin::Discovered {
            file,
            searched_from,
        } => ("discovered", None, Some(file), Some(searched_from)),
        PolicyOrigin::Default { searched_from } => ("default", None, None, Some(searched_from)),
    };
    let rules: Vec<Value> = RULES
        .iter()
        .filter_map(|r| {
            let s = policy.rules.get(&r.code)?;
            Some(json!({
                "code": r.code,
                "name": r.name,
                "enabled": s.enabled,
                "severity": s.severity,
                "threshold": s.threshold.as_ref().map(|t| t.as_str()),
                "error_threshold": s.error_threshold.as_ref().map(|t| t.as_str()),
                "allow": s.allow,
                "include": s.include.as_ref().map(scope_json),
                "exclude": s.exclude.as_ref().map(scope_json),
            }))
        })
        .collect();
    json!({
        "schema": POLICY_SCHEMA,
        "name": policy.name,
        "description": policy.description,
        "source": {
            "kind": kind,
            "spec": spec,
            "file": file,
            "searched_from": searched_from,
        },
        "rules": rules,
        "suppressions": policy.suppressions.iter().map(suppression_json).collect::<Vec<_>>(),
        "oidc": policy.oidc.as_ref().map(|o| json!({
            "username_claim": o.username_claim,
            "groups_claim": o.groups_claim,
            "username_prefix": o.username_prefix,
            "groups_prefix": o.groups_prefix,
        })),
    })
}
