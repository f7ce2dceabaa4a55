//! What each credential in a kubeconfig may do, by an RBAC snapshot exported
//! from the cluster: the stolen-laptop owner's second question.
//!
//! ```sh
//! kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml > rbac.yaml
//! cargo run -p kcred-examples --example rights -- rbac.yaml ~/.kube/config
//! ```
//!
//! Prints one line per credential: user entry, the identity the API server
//! would see, and its rights (`cluster-admin`, `mint`, `secrets`, `-`, or
//! `unknown identity`).

use std::path::PathBuf;

use kcred_core::{identity_of, load_inventory, load_rbac, privileges, Limits, Source};

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let Some((snapshot, kubeconfigs)) = args.split_first() else {
        eprintln!("usage: rights RBAC-SNAPSHOT KUBECONFIG...");
        std::process::exit(2);
    };
    let limits = Limits::default();
    let (rbac, problems) = load_rbac(std::slice::from_ref(snapshot), &limits);
    for p in &problems {
        eprintln!("{p}");
    }
    let loaded = match load_inventory(&Source::Paths(kubeconfigs.to_vec()), &limits) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    for record in &loaded.inventory.credentials {
        // No OIDC settings here: OIDC users stay unknown (see OidcClaims).
        let (who, rights) = match identity_of(record, None) {
            Some(identity) => {
                let rights = privileges(&rbac, &identity);
                (identity.user.clone(), rights.summary().to_owned())
            }
            None => ("?".to_owned(), "unknown identity".to_owned()),
        };
        println!(
            "{}\t{}\t{}\t{}",
            record.user,
            record.kind().name(),
            who,
            rights
        );
    }
}
