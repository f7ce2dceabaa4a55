//! `kcred check`: the findings of a policy over the kubeconfig(s).

use std::io::Write;

use kcred_core::{evaluate, prometheus_text, write_findings_json, write_findings_sarif, Inventory};

use super::{
    defaulted_policy, exit_code, kubeconfig_file, load_context, load_input, table_text,
    Environment, Failure, Stdin,
};
use crate::args::{CheckArgs, CheckFormat};

/// Runs `kcred check`: exit 0 clean, 1 when an active finding is at or above
/// `--fail-on`, 2 when an input or the policy cannot be read.
pub fn run(args: &CheckArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    let policy = defaulted_policy(&args.policy)?;
    let mut paths = args.paths.clone();
    paths.extend(args.input.kubeconfig.clone());
    let now = args.input.at.or(env.now);
    let inventory = if paths.is_empty() {
        load_input(&args.input, env, Some(&policy))?.inventory
    } else {
        // Each file loaded alone, as `--kubeconfig` loads one; `-` is stdin.
        let mut stdin = Stdin::default();
        let mut inventory = Inventory::default();
        for path in paths {
            let source = kubeconfig_file(&path, &mut stdin)?;
            let one = load_context(&source, args.input.context.as_deref())?;
            inventory.extend(one.inventory);
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
        CheckFormat::Sarif => write_findings_sarif(&findings, out),
        CheckFormat::Prometheus => {
            out.write_all(prometheus_text(&inventory, &findings, now).as_bytes())
        }
    };
    written.map_err(|e| Failure::write(&e))?;
    Ok(exit_code(&findings, &args.policy))
}
