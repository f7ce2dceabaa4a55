//! `kcred pki`: checks DIR is a folder, then calls the core (which walks
//! `pki/` and `pki/etcd/` through its input boundary).

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;
use kcred_core::{
    evaluate, findings_json, findings_table, load_pki, load_policy, pki_json, pki_table, Limits,
    PkiLayout, KUBEADM_DIR, KUBELET_DIR,
};

use crate::args::{parse_instant, ColorChoice};
use crate::check::args::FailOn;
use crate::run::{exit, use_color, Environment, Failure};

/// `kcred pki`.
#[derive(Debug, clap::Args)]
pub struct PkiArgs {
    /// The kubeadm folder: *.conf and pki/.
    #[arg(value_name = "DIR", default_value = KUBEADM_DIR)]
    pub dir: PathBuf,
    /// The kubelet folder, for pki/kubelet-client-current.pem; paths under
    /// /var/lib/kubelet in kubelet.conf are read from here.
    #[arg(long, value_name = "DIR", default_value = KUBELET_DIR)]
    pub kubelet_dir: PathBuf,
    /// The instant to evaluate at (RFC 3339); default: the clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<time::OffsetDateTime>,
    /// A policy file (YAML, TOML or JSON) or a preset: baseline, strict, kubeadm.
    #[arg(long, value_name = "FILE|PRESET", default_value = "kubeadm")]
    pub policy: String,
    /// Exit 1 when a finding has this severity or a higher one.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PkiFormat::Table)]
    pub format: PkiFormat,
    /// Colour in the findings.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Output formats of `pki`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PkiFormat {
    /// kubeadm's two tables, then the findings.
    Table,
    /// kubeadm's CertificateExpirationInfo, with `findings` added.
    Json,
}

/// Runs `kcred pki`: exit 0 clean, 1 when an active finding is at or above
/// `--fail-on`, 2 when the folder or the policy cannot be read.
pub fn run(args: &PkiArgs, env: &Environment, out: &mut dyn Write) -> Result<u8, Failure> {
    if !args.dir.is_dir() {
        return Err(Failure(format!(
            "{} is not a folder (kubeadm keeps its files in {KUBEADM_DIR})",
            args.dir.display()
        )));
    }
    let policy = load_policy(&args.policy).map_err(|e| Failure(e.to_string()))?;
    let now = args.now.unwrap_or(env.now);
    let layout = PkiLayout {
        dir: args.dir.clone(),
        kubelet_dir: args.kubelet_dir.clone(),
    };
    let report = load_pki(&layout, &Limits::default());
    let findings = evaluate(&report.inventory, &policy, now);
    let text = match args.format {
        PkiFormat::Table => format!(
            "{}\n{}",
            pki_table(&report, now),
            findings_table(&findings, use_color(args.color, env))
        ),
        PkiFormat::Json => {
            let mut doc = pki_json(&report, now);
            doc["findings"] = findings_json(&findings, &policy.name, now);
            kcred_core::json_text(&doc)
        }
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure(format!("cannot write output: {e}")))?;
    Ok(exit::for_findings(&findings, args.fail_on))
}
