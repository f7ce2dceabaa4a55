//! The floor: the least work any kubeconfig inventory must do. Reads the file,
//! parses the YAML with the parser kcred uses (serde-saphyr; JSON with
//! serde_json) into a minimal model, base64-decodes every certificate and key
//! blob, and prints a count so nothing is optimised away.
//!
//! `kcred-floor FILE` — the parse-only floor.
//!
//! `kcred-floor --work FILE` — the unavoidable-work floor (issue 19): read,
//! YAML events from granit-parser (the event parser under serde-saphyr) with no
//! model at all, base64-decode every certificate and key blob, PEM-decode and
//! parse each certificate with x509-parser, and verify each client
//! certificate's signature once against the CA whose subject is its issuer.
//! Nothing kcred reports beyond that (names, fingerprints, key match, JWT
//! claims, JSON output) is done.

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
    let mut args: Vec<_> = std::env::args_os().skip(1).collect();
    let work = args.first().is_some_and(|a| a == "--work");
    if work {
        args.remove(0);
    }
    let Some(path) = args.pop() else {
        eprintln!("usage: kcred-floor [--work] FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            std::process::exit(2);
        }
    };
    if work {
        match unavoidable_work(&text) {
            Ok(counts) => println!("{counts}"),
            Err(e) => {
                eprintln!("not a kubeconfig: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
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

/// The base64 fields the unavoidable floor decodes, wherever they appear.
const BLOB_KEYS: [&str; 3] = [
    "certificate-authority-data",
    "client-certificate-data",
    "client-key-data",
];

/// Walks the YAML events, decodes every blob, parses every certificate and
/// verifies each client certificate once against its issuer CA.
fn unavoidable_work(text: &str) -> Result<String, String> {
    use granit_parser::{Event, Parser};
    let engine = &base64::engine::general_purpose::STANDARD;
    // Per open mapping: whether the next scalar is a key, and the last key.
    let mut mappings: Vec<(bool, Option<String>)> = Vec::new();
    let mut cas: Vec<Vec<u8>> = Vec::new();
    let mut clients: Vec<Vec<u8>> = Vec::new();
    let (mut blobs, mut bytes) = (0usize, 0usize);
    for event in Parser::new_from_str(text) {
        let (event, _span) = event.map_err(|e| e.to_string())?;
        match event {
            Event::MappingStart(..) => mappings.push((true, None)),
            Event::MappingEnd => {
                mappings.pop();
            }
            Event::Scalar(value, ..) => match mappings.last_mut() {
                Some((next_is_key @ true, key)) => {
                    *key = Some(value.into_owned());
                    *next_is_key = false;
                }
                Some((next_is_key, key)) => {
                    *next_is_key = true;
                    let Some(field) = key.as_deref().filter(|k| BLOB_KEYS.contains(k)) else {
                        continue;
                    };
                    let Ok(decoded) = engine.decode(value.as_bytes()) else {
                        continue;
                    };
                    blobs += 1;
                    bytes += decoded.len();
                    match field {
                        "certificate-authority-data" => cas.extend(pem_bodies(&decoded)),
                        "client-certificate-data" => clients.extend(pem_bodies(&decoded).take(1)),
                        _ => {}
                    }
                }
                None => {}
            },
            Event::SequenceStart(..) | Event::SequenceEnd => {
                if let Some((next_is_key, _)) = mappings.last_mut() {
                    // A sequence is a value; the mapping's next scalar is a key.
                    *next_is_key = true;
                }
            }
            _ => {}
        }
    }
    let authorities: Vec<_> = cas
        .iter()
        .filter_map(|der| x509_parser::parse_x509_certificate(der).ok())
        .map(|(_, c)| c)
        .collect();
    let by_subject: std::collections::HashMap<&[u8], usize> = authorities
        .iter()
        .enumerate()
        .map(|(i, c)| (c.subject().as_raw(), i))
        .collect();
    let (mut parsed, mut verified) = (authorities.len(), 0usize);
    for der in &clients {
        let Ok((_, cert)) = x509_parser::parse_x509_certificate(der) else {
            continue;
        };
        parsed += 1;
        let issuer = by_subject.get(cert.issuer().as_raw());
        if let Some(ca) = issuer.and_then(|&i| authorities.get(i)) {
            if cert.verify_signature(Some(ca.public_key())).is_ok() {
                verified += 1;
            }
        }
    }
    Ok(format!(
        "{blobs} blobs, {bytes} bytes, {parsed} certificates, {verified} verified"
    ))
}

/// The DER of each `CERTIFICATE` block of a PEM text.
fn pem_bodies(pem: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let text = std::str::from_utf8(pem).unwrap_or_default();
    text.split(BEGIN).skip(1).filter_map(|block| {
        let body = block.split(END).next()?;
        let clean: Vec<u8> = body.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD.decode(clean).ok()
    })
}
