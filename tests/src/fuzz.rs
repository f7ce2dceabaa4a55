//! Fuzz harnesses: one function per parser, shared by the cargo-fuzz targets in
//! `fuzz/fuzz_targets/` (one three-line file each) and by the corpus replay test
//! `tests/tests/fuzz_corpus.rs`, so a crasher found on nightly is replayed by
//! every `cargo test` on stable.
//!
//! A harness must accept any bytes: it may return early on input it cannot use,
//! but the only failure is a panic (or a sanitizer report) inside kcred-core.
//! Beyond "no panic", the harnesses check cheap invariants: every error has a
//! kind and a message, and the reports render.
//!
//! Adding a target (policy parse, cache-file parse, manifest scan...): a function
//! here, one line in [`TARGETS`], a file `fuzz/fuzz_targets/<name>.rs`, a
//! `[[bin]]` in `fuzz/Cargo.toml` and seeds in `fuzz/corpus/<name>/`. The replay
//! test fails if the four disagree.

use std::path::Path;
use std::sync::OnceLock;

use base64::Engine;
use kcred_core::{
    decode_certificates, decode_token, evaluate_scan, inventory_json, inventory_table,
    load_inventory, parse_cache_file, parse_exec_credential, parse_git_index, parse_kubeconfig,
    parse_policy, parse_rbac, privileges, scan_bytes, CacheKind, CertificateInfo, Error, Identity,
    Limits, Location, Policy, ScanReport, Source,
};
use time::OffsetDateTime;

/// A harness: takes any bytes, panics only on a bug.
pub type Harness = fn(&[u8]);

/// Every fuzz target: its name (the file in `fuzz/fuzz_targets/` and the folder
/// in `fuzz/corpus/`) and its harness.
pub const TARGETS: &[(&str, Harness)] = &[
    ("kubeconfig", kubeconfig),
    ("certificate", certificate),
    ("private_key", private_key),
    ("token", token),
    ("exec_credential", exec_credential),
    ("inventory", inventory_report),
    ("policy", policy),
    ("cache_file", cache_file),
    ("scan", scan),
    ("git_index", git_index),
    ("git_objects", git_objects),
    ("rbac", rbac),
    ("loader_diff", loader_diff),
    ("cert_facts", cert_facts),
];

/// A fixed instant for reports (2026-01-01T00:00:00Z), so runs are reproducible.
fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_767_225_600).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Renders an error the ways a caller would; every error must have a kind.
fn touch(err: &Error) {
    assert!(!err.kind().is_empty());
    let _ = (err.to_string(), format!("{err:?}"), err.location());
}

fn at() -> Location {
    Location::file("fuzz")
}

/// `parse_kubeconfig` on raw bytes (YAML, JSON, BOMs, UTF-16).
pub fn kubeconfig(data: &[u8]) {
    let loaded = parse_kubeconfig(data, Path::new("fuzz.yaml"), &Limits::default());
    loaded.problems.iter().for_each(touch);
    let _ = format!("{:?}", loaded.config);
}

/// kcred's kubeconfig loader against serde-saphyr, the reader it replaced: when
/// both accept a YAML text, the models are equal (field positions aside: only
/// the loader has them). Where exactly one accepts, see BENCHMARKS.md.
pub fn loader_diff(data: &[u8]) {
    use kcred_core::differential::{loader_model, serde_saphyr_model};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::default();
    let (new, old) = (
        loader_model(text, &limits),
        serde_saphyr_model(text, &limits),
    );
    if let Err(err) = &new {
        touch(err);
    }
    if let (Ok(mut new), Ok(old)) = (new, old) {
        let clear = |o: &mut kcred_core::Origin| o.fields = Box::default();
        new.users.iter_mut().for_each(|u| clear(&mut u.origin));
        new.clusters.iter_mut().for_each(|c| clear(&mut c.origin));
        new.contexts.iter_mut().for_each(|c| clear(&mut c.origin));
        assert!(
            new == old,
            "the loader and serde-saphyr differ:\n{new:?}\n{old:?}"
        );
    }
}

/// `decode_certificates` on raw bytes: PEM bundles, or one DER certificate.
pub fn certificate(data: &[u8]) {
    match decode_certificates(data, &at()) {
        Ok(certs) => {
            assert!(!certs.is_empty());
            for cert in &certs {
                let _ = (cert.has_weak_signature(), cert.is_signed_by(cert));
                let _ = serde_json::to_string(cert);
            }
        }
        Err(err) => touch(&err),
    }
}

/// Differential: kcred's own DER walk against x509-parser on one DER
/// certificate (`CertificateInfo::decode_both_ways`). The walk never panics;
/// when both decode, the facts are equal (kept DER and byte ranges included);
/// the walk never decodes what x509-parser rejects (it only declines, and then
/// `decode_der` gives x509-parser's facts or error).
pub fn cert_facts(data: &[u8]) {
    match CertificateInfo::decode_both_ways(data) {
        (Some(walked), Some(parsed)) => assert_eq!(walked, parsed),
        (Some(walked), None) => panic!("the walk decoded what x509-parser rejects: {walked:?}"),
        _ => {}
    }
}

/// A certificate from the fixtures to compare fuzzed private keys against.
const RSA_CERT: &[u8] = include_bytes!("../data/certs/expired.crt");

/// `CertificateInfo::matches_private_key`: kcred's own DER reader. The first byte
/// picks the PEM label, the rest is the DER body (so the fuzzer mutates DER, not
/// base64); label 4 passes the bytes as they are.
pub fn private_key(data: &[u8]) {
    static CERT: OnceLock<Option<CertificateInfo>> = OnceLock::new();
    let cert = CERT.get_or_init(|| {
        decode_certificates(RSA_CERT, &at())
            .ok()
            .and_then(|c| c.into_iter().next())
    });
    let Some(cert) = cert else {
        return;
    };
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let label = match selector % 5 {
        0 => "RSA PRIVATE KEY",
        1 => "EC PRIVATE KEY",
        2 => "PRIVATE KEY",
        3 => "ENCRYPTED PRIVATE KEY",
        _ => "",
    };
    let pem = if label.is_empty() {
        body.to_vec()
    } else {
        pem(label, body).into_bytes()
    };
    if let Err(err) = cert.matches_private_key(&pem, &at()) {
        touch(&err);
    }
}

/// `decode_token`. The first byte picks a mode so the fuzzer reaches the claim
/// decoding without learning base64: 0 = a JWT built from two JSON documents
/// split at the first NUL (header, claims); 1 = an EKS token around the rest;
/// anything else = the bytes as the token.
pub fn token(data: &[u8]) {
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let text = match data.split_first() {
        Some((0, rest)) => {
            let split = rest.iter().position(|b| *b == 0).unwrap_or(rest.len());
            let (header, claims) = rest.split_at(split);
            let claims = claims.get(1..).unwrap_or_default();
            format!("eyJ{}.{}.sig", b64(header), b64(claims))
        }
        Some((1, rest)) => format!("k8s-aws-v1.{}", b64(rest)),
        _ => String::from_utf8_lossy(data).into_owned(),
    };
    match decode_token(&text, &at()) {
        Ok(info) => {
            if let Some(v) = info.validity {
                let _ = (v.status(now()), v.lifetime(), v.remaining(now()));
            }
            let _ = serde_json::to_string(&info);
        }
        Err(err) => touch(&err),
    }
}

/// `parse_exec_credential` on raw bytes (JSON).
pub fn exec_credential(data: &[u8]) {
    match parse_exec_credential(data, &at()) {
        Ok(info) => {
            if let Some(v) = info.validity {
                let _ = v.status(now());
            }
            let _ = serde_json::to_string(&info);
        }
        Err(err) => touch(&err),
    }
}

/// The whole path of `kcred inspect` without the file system, through the one
/// core entry point ([`load_inventory`] of in-memory text, referenced files not
/// read): parse, inventory, render JSON and the table.
pub fn inventory_report(data: &[u8]) {
    let source = Source::Text {
        name: "fuzz.yaml".into(),
        bytes: data.to_vec(),
        read_files: false,
    };
    // Text always loads: its problems are in the inventory.
    let Ok(loaded) = load_inventory(&source, &Limits::default()) else {
        panic!("in-memory text must always load");
    };
    let inv = loaded.inventory;
    inv.problems.iter().for_each(touch);
    for record in &inv.credentials {
        let _ = (record.status(now()), record.identity(), record.kind());
    }
    let _ = inventory_json(&inv, now()).to_string();
    let _ = inventory_table(&inv, now(), true, Some(80));
}

/// `parse_policy` on the bytes as text (lossy UTF-8: the CLI reads policies as text).
pub fn policy(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match parse_policy(&text, Path::new("fuzz-policy.yaml")) {
        Ok(policy) => {
            let _ = format!("{policy:?}");
        }
        Err(err) => touch(&err),
    }
}

/// Every cache-file format `parse_cache_file` knows, in a fixed order: the
/// first input byte picks one (`cache_file` harness).
pub const CACHE_KINDS: &[CacheKind] = &[
    CacheKind::AzureKubeloginToken,
    CacheKind::AzureAuthRecord,
    CacheKind::AzurePopTokenCache,
    CacheKind::AzureCliTokenCache,
    CacheKind::OidcLogin,
    CacheKind::GkeGcloudAuthPlugin,
    CacheKind::GcloudCredentials,
    CacheKind::AwsIamAuthenticator,
    CacheKind::AwsSharedCredentials,
    CacheKind::ExecCredential,
];

/// `parse_cache_file`: the first byte picks the [`CacheKind`] (index into
/// [`CACHE_KINDS`], modulo), the rest is the file.
pub fn cache_file(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = CACHE_KINDS[usize::from(selector) % CACHE_KINDS.len()];
    match parse_cache_file(kind, bytes, &at()) {
        Ok(entries) => {
            let _ = format!("{entries:?}");
            let _ = serde_json::to_string(&entries);
        }
        Err(err) => touch(&err),
    }
}

/// `scan_bytes` on any bytes (what `kcred scan` does to each file of a tree):
/// manifests (Secrets, CSRs, Lists, kubeconfigs inside other text), kubeconfigs
/// embedded in document values, PEM certificates and keys; then the end of a
/// scan (certificates paired with keys) and its rules.
pub fn scan(data: &[u8]) {
    let mut report = ScanReport::default();
    report.add_file(scan_bytes(
        data,
        Path::new("fuzz-scan.yaml"),
        &Limits::default(),
    ));
    report.finish();
    let inv = &report.inventory;
    inv.problems.iter().for_each(touch);
    for record in &inv.credentials {
        let _ = (record.status(now()), record.identity(), record.kind());
    }
    let _ = inventory_json(inv, now()).to_string();
    let _ = evaluate_scan(&report, &Policy::default(), now());
}

/// `parse_git_index` on any bytes (what `kcred scan` reads from `.git/index`),
/// and `scan_bytes` too (a hostile file's bytes in a tree). An `Ok` index has
/// only paths that stay inside the work tree, none longer than the cap.
pub fn git_index(data: &[u8]) {
    match parse_git_index(data, &Location::file(".git/index")) {
        Ok(index) => {
            for entry in &index.entries {
                assert!(!entry.path.is_empty() && entry.path.len() <= kcred_core::MAX_INDEX_PATH);
                assert!(!entry.path.starts_with(b"/"));
                assert!(entry.path.split(|b| *b == b'/').all(|p| p != b".."));
            }
        }
        Err(err) => touch(&err),
    }
    for u in scan_bytes(data, Path::new("fuzz-index"), &Limits::default()).unreadable {
        assert!(!u.looks_like.is_empty() && !u.reason.is_empty());
    }
}

/// The git object parsers of `kcred scan --history` on any bytes; the first
/// byte picks one: 0 a loose object, 1 a commit, 2 a tree, 3 a tag, 4 a delta
/// (a 2-byte big-endian base length, the base, the delta), 5 a pack (a 4-byte
/// big-endian index length, the `.idx`, the `.pack`; every object read). A
/// result is never over its cap and a tree name never leaves its folder.
pub fn git_objects(data: &[u8]) {
    use kcred_core::git::{
        apply_delta, parse_commit, parse_loose, parse_tag, parse_tree, ObjectLimits, Pack,
    };
    const MAX: usize = 1 << 20;
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let split = |n: usize, rest: &[u8]| -> Option<(usize, usize)> {
        let len = rest
            .get(..n)?
            .iter()
            .fold(0usize, |a, b| a << 8 | usize::from(*b));
        (rest.len() >= n + len).then_some((n, n + len))
    };
    match which % 6 {
        0 => {
            if let Ok((_, body)) = parse_loose(rest, MAX) {
                assert!(body.len() <= MAX);
            }
        }
        1 => {
            let _ = parse_commit(rest);
        }
        2 => {
            for e in parse_tree(rest, 4096).unwrap_or_default() {
                assert!(!e.name.is_empty() && !e.name.contains(&b'/') && e.name != b"..");
            }
        }
        3 => {
            let _ = parse_tag(rest);
        }
        4 => {
            if let Some((start, end)) = split(2, rest) {
                if let Ok(out) = apply_delta(&rest[start..end], &rest[end..], MAX) {
                    assert!(out.len() <= MAX);
                }
            }
        }
        _ => {
            let Some((start, end)) = split(4, rest) else {
                return;
            };
            let Ok(pack) = Pack::parse(rest[end..].to_vec(), &rest[start..end]) else {
                return;
            };
            let limits = ObjectLimits {
                max_object_bytes: MAX,
                max_delta_depth: 16,
            };
            for (_, offset) in pack.index.entries() {
                if let Ok((_, body)) = pack.read_at(offset, limits, &mut |_| None) {
                    assert!(body.len() <= MAX);
                }
            }
        }
    }
}

/// `parse_rbac` on any bytes (a `--rbac` snapshot), then the rights of a few
/// identities over what parsed: every right held has a chain, and the table
/// cell is one of four words.
pub fn rbac(data: &[u8]) {
    match parse_rbac(data, Path::new("fuzz-rbac.yaml"), &Limits::default()) {
        Ok(snapshot) => {
            for identity in [
                Identity::user("alice", &["devs"]),
                Identity::service_account("default", "builder"),
                Identity::user("system:anonymous", &[]),
            ] {
                let rights = privileges(&snapshot, &identity);
                assert!(["cluster-admin", "mint", "secrets", "-"].contains(&rights.summary()));
                assert_eq!(rights.can_mint_credentials, !rights.mint_paths.is_empty());
                let _ = serde_json::to_string(&rights);
            }
        }
        Err(err) => touch(&err),
    }
}

/// PEM armour around `body` (base64, 64 columns).
pub fn pem(label: &str, body: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(body);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}
