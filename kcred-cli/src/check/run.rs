//! Running `check`, `rules` and `rule`: loads inputs and the policy once, reads
//! the clock once (through `Environment`), then calls the core.

use std::fmt::Write as _;
use std::io::Write;

use kcred_core::{
    evaluate, findings_table, load_policy, prometheus_text, rule, write_findings_json,
    write_findings_sarif, Inventory, Policy, RULES,
};

use super::args::{CheckArgs, CheckFormat, RuleArgs, RulesArgs};
use crate::args::InputArgs;
use crate::run::{exit, load_input, use_color, Environment, Failure};

fn write(out: &mut dyn Write, text: &str) -> Result<(), Failure> {
    out.write_all(text.as_bytes())
        .map_err(|e| Failure(format!("cannot write output: {e}")))
}

fn policy(spec: &str) -> Result<Policy, Failure> {
    load_policy(spec).map_err(|e| Failure(e.to_string()))
}

/// `kcred check`: exit 0 clean, 1 when an active finding is at or above
/// `--fail-on`, 2 when an input or the policy cannot be read.
pub fn check(args: &CheckArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    let policy = policy(&args.policy)?;
    let mut paths = args.paths.clone();
    paths.extend(args.input.kubeconfig.clone());
    let mut inventory = Inventory::default();
    let now;
    if paths.is_empty() {
        let input = load_input(&args.input, env)?;
        inventory = input.inventory;
        now = input.now;
    } else {
        now = args.input.now.unwrap_or(env.now);
        for path in paths {
            let one = InputArgs {
                kubeconfig: Some(path),
                context: args.input.context.clone(),
                now: Some(now),
            };
            inventory.extend(load_input(&one, env)?.inventory);
        }
    }
    let findings = evaluate(&inventory, &policy, now);
    // JSON and SARIF stream one finding at a time (100,000 findings would
    // otherwise hold their whole JSON tree).
    let written = match args.format {
        CheckFormat::Table => {
            out.write_all(findings_table(&findings, use_color(args.color, env)).as_bytes())
        }
        CheckFormat::Json => write_findings_json(&findings, &policy.name, now, out),
        CheckFormat::Sarif => write_findings_sarif(&findings, out),
        CheckFormat::Prometheus => {
            out.write_all(prometheus_text(&inventory, &findings, now).as_bytes())
        }
    };
    written.map_err(|e| Failure(format!("cannot write output: {e}")))?;
    Ok(exit::for_findings(&findings, args.fail_on))
}

/// `kcred rules`: the registry, with the settings of a policy when given.
pub fn rules(args: &RulesArgs, out: &mut dyn Write) -> Result<u8, Failure> {
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
        let (on, severity) = match &policy {
            Some(p) => p
                .rules
                .get(&r.code)
                .map(|s| (s.enabled, s.severity))
                .unwrap_or((false, r.default_severity)),
            None => (r.default_enabled, r.default_severity),
        };
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

/// `kcred rule CODE`: one rule's documentation.
pub fn rule_doc(args: &RuleArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let Some(r) = rule(&args.code) else {
        return Err(Failure(format!(
            "no rule {:?} (`kcred rules` lists them)",
            args.code
        )));
    };
    write(out, &r.text())?;
    Ok(exit::CLEAN)
}
