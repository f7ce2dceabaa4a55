//! `kcred check`: the findings of a policy over the kubeconfig(s).

use std::io::Write;

use kcred_core::{
    evaluate, load_inventory, prometheus_text, write_findings_json, write_findings_sarif,
    Inventory, Policy, PolicyOrigin,
};
use time::OffsetDateTime;

use super::{
    exit, exit_code, kubeconfig_file, load_input, table_text, Environment, Failure, Stdin,
};
use crate::args::{CheckArgs, CheckFormat};

/// Runs `kcred check`: exit 0 clean, 1 when an active finding is at or above
/// `--fail-on`, 2 when an input or the policy cannot be read.
pub fn run(args: &CheckArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    let (policy, origin) = effective_policy(args, env)?;
    if args.show_policy {
        return show_policy(&policy, &origin, args.output.format, out);
    }
    let mut paths = args.paths.clone();
    paths.extend(args.input.kubeconfig.clone());
    let now = args.input.at.or(env.now);
    let json = args.output.format == CheckFormat::Json;
    let inventory = if paths.is_empty() {
        match load_input(&args.input, env, Some(&policy)) {
            Ok(loaded) => loaded.inventory,
            Err(failure) => {
                // With --format json the document is still written, its
                // problem as a finding (exit 2).
                let problem = super::unread_input(&args.input, env);
                return match problem {
                    Some(problem) if json => nothing_read_json(vec![problem], &policy, now, out),
                    _ => Err(failure),
                };
            }
        }
    } else {
        // Each file loaded alone, as `--kubeconfig` loads one; `-` is stdin. A
        // file that cannot be read is a problem (a KC9xx finding) and the
        // others still report; exit 2 only when none could be read.
        let mut stdin = Stdin::default();
        let mut inventory = Inventory::default();
        let mut read_any = false;
        for path in paths {
            let source = kubeconfig_file(&path, &mut stdin)?;
            let mut one = match load_inventory(&source, &super::inventory_limits()) {
                Ok(one) => one,
                Err(problem) => {
                    inventory.problems.push(problem);
                    continue;
                }
            };
            if let Some(context) = args.input.context.as_deref() {
                if !one.select_context(context) {
                    return Err(Failure(format!("context {context:?} is not defined")));
                }
            }
            read_any = true;
            inventory.extend(one.inventory);
        }
        if !read_any {
            let problems = std::mem::take(&mut inventory.problems);
            return match json {
                true => nothing_read_json(problems, &policy, now, out),
                false => Err(Failure(problems.first().map_or_else(
                    || "no kubeconfig could be read".to_owned(),
                    ToString::to_string,
                ))),
            };
        }
        super::add_rights(&mut inventory, &args.input.rbac, Some(&policy))?;
        inventory
    };
    let findings = evaluate(&inventory, &policy, now);
    // JSON and SARIF stream one finding at a time (100,000 findings would
    // otherwise hold their whole JSON tree).
    let written = match args.output.format {
        CheckFormat::Table => {
            let color = env.color(args.color);
            let quiet = args.policy.findings.quiet;
            out.write_all(table_text(|| None, &findings, color, quiet).as_bytes())
        }
        CheckFormat::Json => write_findings_json(&findings, &policy.name, now, out),
        CheckFormat::Sarif => write_findings_sarif(&findings, env.working_folder.as_deref(), out),
        CheckFormat::Prometheus => {
            out.write_all(prometheus_text(&inventory, &findings, now).as_bytes())
        }
    };
    written.map_err(|e| Failure::write(&e))?;
    Ok(exit_code(&findings, &args.policy))
}

/// A JSON run that could read no kubeconfig: the findings document of its
/// problems (KC901 and its siblings), and exit 2.
fn nothing_read_json(
    problems: Vec<kcred_core::Error>,
    policy: &Policy,
    now: OffsetDateTime,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let inventory = Inventory {
        problems,
        ..Inventory::default()
    };
    let findings = evaluate(&inventory, policy, now);
    write_findings_json(&findings, &policy.name, now, out).map_err(|e| Failure::write(&e))?;
    Ok(exit::ERROR)
}

/// `--policy`, else the nearest policy file from the current folder upward,
/// else `baseline`; with where it came from.
fn effective_policy(
    args: &CheckArgs,
    env: &Environment,
) -> Result<(Policy, PolicyOrigin), Failure> {
    if let Some(spec) = args.policy.policy.as_deref() {
        let origin = PolicyOrigin::Given {
            spec: spec.to_owned(),
        };
        return super::policy(spec).map(|p| (p, origin));
    }
    let Some(cwd) = env.working_folder.as_deref() else {
        return Err(Failure(
            "cannot read the current folder to look for a policy file; give --policy".to_owned(),
        ));
    };
    kcred_core::discover_policy(cwd).map_err(|e| Failure(e.to_string()))
}

/// `--show-policy`: the policy and its origin, as text or JSON; exit 0.
fn show_policy(
    policy: &Policy,
    origin: &PolicyOrigin,
    format: CheckFormat,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let text = match format {
        CheckFormat::Table => kcred_core::policy_text(policy, origin),
        CheckFormat::Json => {
            let doc = kcred_core::policy_json(policy, origin);
            let mut text = serde_json::to_string_pretty(&doc)
                .map_err(|e| Failure(format!("cannot write the policy: {e}")))?;
            text.push('\n');
            text
        }
        CheckFormat::Sarif | CheckFormat::Prometheus => {
            return Err(Failure(
                "--show-policy prints --format table or json".to_owned(),
            ))
        }
    };
    super::write(out, &text)?;
    Ok(exit::CLEAN)
}
