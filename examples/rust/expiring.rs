//! List every credential in the kubeconfig(s) that stops working within a window.
//!
//! `cargo run -p kcred-examples --example expiring -- [DAYS] [KUBECONFIG...]`
//! (default 30 days; default files: $KUBECONFIG or ~/.kube/config).

use std::path::PathBuf;

use kcred_core::{inventory, kubeconfig_paths, load_merged, DiskFiles, ExpiryStatus, Limits};

fn main() {
    let mut args = std::env::args().skip(1);
    let days: i64 = args.next().and_then(|d| d.parse().ok()).unwrap_or(30);
    let mut paths: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if paths.is_empty() {
        let env = std::env::var_os("KUBECONFIG");
        let home = std::env::var_os("HOME").map(PathBuf::from);
        paths = kubeconfig_paths(env.as_deref(), home.as_deref());
    }
    // The edge of the program reads the clock once; the core takes it as a value.
    let now = time::OffsetDateTime::now_utc();
    let limits = Limits::default();
    let loaded = load_merged(&paths, &limits);
    let inv = inventory(&loaded.config, &DiskFiles::new(limits));
    for record in &inv.credentials {
        match record.status(now) {
            ExpiryStatus::Valid { remaining } if remaining <= time::Duration::days(days) => {
                println!(
                    "{:<40} {:<20} expires in {}",
                    record.user,
                    record.kind().name(),
                    kcred_core::human_duration(remaining)
                );
            }
            ExpiryStatus::Expired { since } => {
                println!(
                    "{:<40} {:<20} EXPIRED {} ago",
                    record.user,
                    record.kind().name(),
                    kcred_core::human_duration(since)
                );
            }
            _ => {}
        }
    }
    for problem in loaded.problems.iter().chain(&inv.problems) {
        eprintln!("problem: {problem}");
    }
}
