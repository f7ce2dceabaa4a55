//! List every credential in the kubeconfig(s) that stops working within a window.
//!
//! `cargo run -p kcred-examples --example expiring -- [DAYS] [KUBECONFIG...]`
//! (default 30 days; default files: $KUBECONFIG or ~/.kube/config).

use std::path::PathBuf;

use std::process::ExitCode;

use kcred_core::{load_inventory, ExpiryStatus, Limits, Source};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let days: i64 = args.next().and_then(|d| d.parse().ok()).unwrap_or(30);
    let paths: Vec<PathBuf> = args.map(PathBuf::from).collect();
    // The edge of the program reads the environment and the clock once; the
    // core takes them as values.
    let source = if paths.is_empty() {
        Source::Environment {
            kubeconfig: std::env::var_os("KUBECONFIG"),
            home: std::env::var_os("HOME").map(PathBuf::from),
        }
    } else {
        Source::Paths(paths)
    };
    let now = time::OffsetDateTime::now_utc();
    let inv = match load_inventory(&source, &Limits::default()) {
        Ok(loaded) => loaded.inventory,
        Err(nothing_read) => {
            eprintln!("no kubeconfig could be read: {nothing_read}");
            return ExitCode::from(2);
        }
    };
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
    // Problems of loading first, then of decoding.
    for problem in &inv.problems {
        eprintln!("problem: {problem}");
    }
    ExitCode::SUCCESS
}
