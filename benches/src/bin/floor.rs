//! The floor: the least work any kubeconfig inventory must do. Reads the file,
//! parses the YAML with the parser kcred uses (serde-saphyr; JSON with
//! serde_json) into a minimal model, base64-decodes every certificate and key
//! blob, and prints a count so nothing is optimised away.
//!
//! `kcred-floor FILE`

use base64::Engine;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    clusters: Option<Vec<Named<Cluster>>>,
    users: Option<Vec<Named<User>>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Named<T> {
    #[allow(dead_code)]
    name: String,
    #[serde(alias = "cluster")]
    user: Option<T>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Cluster {
    #[serde(rename = "certificate-authority-data")]
    ca: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct User {
    #[serde(rename = "client-certificate-data")]
    cert: Option<String>,
    #[serde(rename = "client-key-data")]
    key: Option<String>,
}

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: kcred-floor FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            std::process::exit(2);
        }
    };
    let parsed: Result<Config, String> = if text.trim_start().starts_with('{') {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        let mut options = serde_saphyr::Options::default();
        let mut budget = serde_saphyr::Budget::default();
        budget.max_nodes = budget.max_nodes.max(text.len());
        budget.max_events = budget.max_events.max(text.len() * 4);
        budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len());
        options.budget = Some(budget);
        serde_saphyr::from_str_with_options(&text, options).map_err(|e| e.to_string())
    };
    let config = match parsed {
        Ok(config) => config,
        Err(e) => {
            eprintln!("not a kubeconfig: {e}");
            std::process::exit(2);
        }
    };
    let engine = &base64::engine::general_purpose::STANDARD;
    let blobs = config
        .clusters
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| c.user.and_then(|c| c.ca))
        .chain(
            config
                .users
                .unwrap_or_default()
                .into_iter()
                .filter_map(|u| u.user)
                .flat_map(|u| [u.cert, u.key])
                .flatten(),
        );
    let (mut count, mut bytes) = (0usize, 0usize);
    for blob in blobs {
        if let Ok(decoded) = engine.decode(blob.as_bytes()) {
            count += 1;
            bytes += decoded.len();
        }
    }
    println!("{count} blobs, {bytes} bytes");
}
