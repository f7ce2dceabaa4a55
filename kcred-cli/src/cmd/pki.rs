//! `kcred pki`: checks DIR is a folder, then calls the core (which walks
//! `pki/` and `pki/etcd/` through its input boundary).

use std::io::Write;

use kcred_core::{
    evaluate, findings_json, load_pki, pki_json, pki_prometheus, pki_table, Limits, PkiLayout,
    KUBEADM_DIR,
};

use super::{defaulted_policy, exit_code, table_text, write, Environment, Failure};
use crate::args::{PkiArgs, PkiFormat};

/// Runs `kcred pki`: exit 0 clean, 1 when an active finding is at or above
/// `--fail-on`, 2 when the folder or the policy cannot be read.
pub fn run(args: &PkiArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    if !args.dir.is_dir() {
        return Err(Failure(format!(
            "{} is not a folder (kubeadm keeps its files in {KUBEADM_DIR})",
            args.dir.display()
        )));
    }
    let policy = defaulted_policy(&args.policy)?;
    let now = args.at.or(env.now);
    let layout = PkiLayout {
        dir: args.dir.clone(),
        kubelet_dir: args.kubelet_dir.clone(),
    };
    let report = load_pki(&layout, &Limits::default());
    let findings = evaluate(&report.inventory, &policy, now);
    let text = match args.output.format {
        PkiFormat::Table => table_text(
            || Some(pki_table(&report, now, env.table_width(args.width))),
            &findings,
            env.color(args.color),
            args.policy.findings.quiet,
        ),
        PkiFormat::Json => {
            let mut doc = pki_json(&report, now);
            doc["findings"] = findings_json(&findings, &policy.name, now);
            kcred_core::json_text(&doc)
        }
        PkiFormat::Prometheus => pki_prometheus(&report, &findings, now),
    };
    write(out, &text)?;
    Ok(exit_code(&findings, &args.policy))
}
