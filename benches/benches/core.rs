//! In-process benchmarks of kcred-core, each at a fixed `now`.
//!
//! `cargo bench -p kcred-benches --bench core`
//!
//! Micro-benches use checked-in inputs (`tests/data/certs/`, a JWT built here);
//! the 2,000-user benches use the generated corpus (`python3
//! benches/corpus/gen_corpus.py` writes `target/bench-corpus/`; or `$KCRED_BENCH_CORPUS`). Benches
//! measure; nothing here decides pass or fail.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::Bencher;
use kcred_core::{
    decode_certificates, decode_token, evaluate, inventory, parse_kubeconfig, write_inventory_json,
    Inventory, Kubeconfig, Limits, Location, NoFiles, Policy,
};
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC); // 1_767_225_600

/// RSA-2048 leaf signed with sha256WithRSAEncryption.
const RSA_CERT: &[u8] = include_bytes!("../../tests/data/certs/expired.crt");
/// EC P-384 leaf.
const EC_CERT: &[u8] = include_bytes!("../../tests/data/certs/ecdsa-p384.crt");

/// A bound service-account token (HS256; the signature is never checked).
fn sa_jwt() -> String {
    use base64::Engine;
    let enc = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let header = enc(serde_json::json!({"alg": "HS256", "kid": "bench", "typ": "JWT"}));
    let claims = enc(serde_json::json!({
        "aud": ["https://kubernetes.default.svc"],
        "exp": 1_767_225_607, "iat": 1_767_222_000, "nbf": 1_767_222_000,
        "iss": "https://kubernetes.default.svc.cluster.local",
        "kubernetes.io": {"namespace": "team-1", "serviceaccount": {
            "name": "deployer-1", "uid": "00000000-0000-4000-8000-000000000001"}},
        "sub": "system:serviceaccount:team-1:deployer-1",
    }));
    format!("{header}.{claims}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk")
}

fn main() {
    divan::main();
}

fn corpus() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = std::env::var_os("KCRED_BENCH_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target/bench-corpus"));
        // kcred spawns nothing, benches included (clippy.toml): the corpus is made
        // by the script, which `benches/compare.py` runs first.
        assert!(
            dir.join("MANIFEST").exists(),
            "no corpus in {}: run `python3 benches/corpus/gen_corpus.py` (needs cryptography, PyYAML)",
            dir.display()
        );
        dir
    })
}

fn read(name: &str) -> &'static [u8] {
    static YAML: OnceLock<Vec<u8>> = OnceLock::new();
    static JSON: OnceLock<Vec<u8>> = OnceLock::new();
    let cell = if name.ends_with(".json") {
        &JSON
    } else {
        &YAML
    };
    cell.get_or_init(|| std::fs::read(corpus().join(name)).expect("corpus file"))
}

fn config() -> &'static Kubeconfig {
    static CONFIG: OnceLock<Kubeconfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let loaded = parse_kubeconfig(
            read("users-2000.yaml"),
            Path::new("users-2000.yaml"),
            &Limits::default(),
        );
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        loaded.config
    })
}

fn inv() -> &'static Inventory {
    static INV: OnceLock<Inventory> = OnceLock::new();
    INV.get_or_init(|| inventory(config(), &NoFiles))
}

/// One PEM certificate to facts (per certificate).
#[divan::bench(args = ["rsa-2048", "ec-p384"])]
fn cert_decode(bencher: Bencher, which: &str) {
    let pem = if which == "rsa-2048" {
        RSA_CERT
    } else {
        EC_CERT
    };
    let at = Location::file("bench.crt");
    // `.ok()`: return the facts, not the (large) error type.
    bencher.bench(|| {
        decode_certificates(divan::black_box(pem), &at)
            .ok()
            .and_then(|mut c| c.pop())
    });
}

/// One JWT to claims (unverified).
#[divan::bench]
fn jwt_decode(bencher: Bencher) {
    let at = Location::file("bench");
    let token = sa_jwt();
    bencher.bench(|| decode_token(divan::black_box(&token), &at).ok());
}

/// The 2,000-user kubeconfig, bytes to model.
#[divan::bench(args = ["users-2000.yaml", "users-2000.json"], sample_count = 20)]
fn load_2000_users(bencher: Bencher, name: &str) {
    let bytes = read(name);
    bencher
        .counter(divan::counter::BytesCount::new(bytes.len()))
        .bench(|| parse_kubeconfig(divan::black_box(bytes), Path::new(name), &Limits::default()));
}

/// Model to inventory: 1,800 certificates (with key match and CA signature
/// check) and 200 JWTs.
#[divan::bench(sample_count = 20)]
fn inventory_2000_users(bencher: Bencher) {
    let config = config();
    bencher.bench(|| inventory(divan::black_box(config), &NoFiles));
}

/// The policy presets over the 2,000-user inventory.
#[divan::bench(args = ["baseline", "strict"], sample_count = 20)]
fn evaluate_2000_users(bencher: Bencher, preset: &str) {
    let inv = inv();
    let policy = Policy::preset(preset).expect("preset");
    bencher.bench(|| evaluate(divan::black_box(inv), &policy, NOW));
}

/// Inventory to the JSON text `kcred inspect --format json` prints (streamed).
#[divan::bench(sample_count = 20)]
fn json_2000_users(bencher: Bencher) {
    let inv = inv();
    bencher.bench(|| {
        let mut out = Vec::with_capacity(8 << 20);
        write_inventory_json(divan::black_box(inv), NOW, None, &mut out).map(|()| out.len())
    });
}
