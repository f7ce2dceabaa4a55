//! `kcred rules` and `kcred rule CODE`: the rule registry.
//
// TODO(report): the rules table is built here; it belongs in core's report/
// (owned by another helper in this step), as a `rules_table(policy)` beside
// `rules_markdown`.

use std::fmt::Write as _;
use std::io::Write;

use kcred_core::{rule, Policy, Rule, Severity, RULES};

use super::{exit, policy, write, Failure};
use crate::args::{RuleArgs, RulesArgs};

/// Whether `rule` is on, and at which severity, in `policy` (the rule's
/// defaults without one). The one place the CLI looks a code up.
fn setting(rule: &Rule, policy: Option<&Policy>) -> (bool, Severity) {
    match policy {
        Some(p) => p
            .rules
            .get(&rule.code)
            .map(|s| (s.enabled, s.severity))
            .unwrap_or((false, rule.default_severity)),
        None => (rule.default_enabled, rule.default_severity),
    }
}

/// Runs `kcred rules`: the registry, with the settings of a policy when given.
pub fn run(args: &RulesArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    if args.markdown {
        write(out, &kcred_core::rules_markdown())?;
        return Ok(exit::CLEAN);
    }
    let policy = args.policy.as_deref().map(policy).transpose()?;
    let mut text = String::new();
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let _ = writeln!(
        text,
        "policy: {}\n",
        // The name comes from the policy file.
        kcred_core::escape_text(policy.as_ref().map_or("baseline", |p| p.name.as_str()))
    );
    let _ = writeln!(text, "CODE   {:<width$}  SEVERITY  ON   SUMMARY", "NAME");
    for r in RULES {
        let (on, severity) = setting(r, policy.as_ref());
        let _ = writeln!(
            text,
            "{}  {:<width$}  {:<8}  {:<3}  {}",
            r.code,
            r.name,
            severity.name(),
            if on { "on" } else { "off" },
            r.summary
        );
    }
    let _ = writeln!(
        text,
        "\n`kcred rule CODE` explains a rule; presets: {}.",
        kcred_core::PRESETS.join(", ")
    );
    write(out, &text)?;
    Ok(exit::CLEAN)
}

/// Runs `kcred rule CODE`: one rule's documentation.
pub fn run_one(args: &RuleArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let Some(r) = rule(&args.code) else {
        return Err(Failure(format!(
            "no rule {:?} (`kcred rules` lists them)",
            args.code
        )));
    };
    write(out, &r.text())?;
    Ok(exit::CLEAN)
}
