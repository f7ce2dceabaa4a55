//! What looks like a credential but cannot be fully read is a KC905 finding,
//! at error in every preset, for every reason (generated inputs), and is never
//! reported for text that does not look like one; and the git index parser on
//! the indexes git itself wrote (fuzz/corpus/git_index: versions 2 to 4,
//! SHA-1 and SHA-256), every truncation and every byte flipped.

use std::path::{Path, PathBuf};

use kcred_core::{
    evaluate_scan, parse_git_index, scan_bytes, Limits, Location, Policy, ScanReport, Severity,
    GITLINK_MODE, PRESETS, SYMLINK_MODE,
};
use kcred_tests::support::now;

const KUBECONFIG: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://example.invalid\nusers:\n- name: u\n  user:\n    client-certificate-data: Q0FOQVJZ\n    client-key-data: Q0FOQVJZ\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n";

/// Every way of making a credential unreadable, for each of several credential
/// shapes: (name, bytes, words the reason must contain).
fn unreadable_inputs() -> Vec<(String, Vec<u8>, &'static str)> {
    let shapes = [
        ("kind", KUBECONFIG.to_owned()),
        ("keys", KUBECONFIG.replace("kind: Config\n", "")),
        (
            "json",
            "{\n\"kind\": \"Config\",\n\"users\": [{\"name\": \"u\", \"user\": {\"token\": \"CANARY\"}}]\n}\n"
                .to_owned(),
        ),
    ];
    let mut out = Vec::new();
    for (shape, text) in shapes {
        let json = shape == "json";
        let mut add = |how: &str, bytes: Vec<u8>, reason: &'static str| {
            out.push((format!("{shape}-{how}"), bytes, reason));
        };
        let deep = format!("{}{}", "[".repeat(80), "]".repeat(80));
        if json {
            add(
                "depth",
                text.replacen('{', &format!("{{\"x\": {deep},"), 1)
                    .into_bytes(),
                "nested too deeply",
            );
            add(
                "duplicate",
                text.replacen("\"kind\"", "\"users\": [], \"kind\"", 1)
                    .into_bytes(),
                "duplicate key",
            );
        } else {
            add(
                "depth",
                format!("{text}x: {deep}\n").into_bytes(),
                "nested too deeply",
            );
            add(
                "aliases",
                format!("{text}a: &a [1]\nb: [{}]\n", vec!["*a"; 10_001].join(",")).into_bytes(),
                "alias",
            );
            add(
                "duplicate",
                text.replacen(
                    "users:",
                    "current-context: a\ncurrent-context: b\nusers:",
                    1,
                )
                .into_bytes(),
                "duplicate key",
            );
            add(
                "syntax",
                format!("{text}current-context: [x\n").into_bytes(),
                "syntax",
            );
        }
        let mut nul = text.clone().into_bytes();
        nul.insert(text.len() / 2, 0);
        add("nul", nul, "binary");
        let mut latin1 = text.clone().into_bytes();
        latin1.extend(b"\n\xe9\n");
        add("latin1", latin1, "not UTF-8");
        let utf16: Vec<u8> = text.bytes().flat_map(|b| [b, 0]).collect();
        add("utf16-no-bom", utf16, "binary");
    }
    out
}

#[test]
fn every_unreadable_credential_is_kc905_at_error_in_every_preset() {
    for (name, bytes, reason) in unreadable_inputs() {
        let path = PathBuf::from(format!("tree/{name}"));
        let scanned = scan_bytes(&bytes, &path, &Limits::default());
        assert!(
            scanned
                .unreadable
                .iter()
                .any(|u| u.location.file == path && u.reason.contains(reason)),
            "{name}: want {reason:?}, got {:?} / {:?}",
            scanned.unreadable,
            scanned.result
        );
        let mut report = ScanReport::default();
        report.add_file(scanned);
        for preset in PRESETS {
            let policy = Policy::preset(preset).unwrap();
            let findings = evaluate_scan(&report, &policy, now());
            let f = findings
                .iter()
                .find(|f| f.code == "KC905")
                .unwrap_or_else(|| panic!("{name} {preset}: no KC905"));
            assert_eq!(f.severity, Severity::Error, "{name} {preset}");
            assert_eq!(f.name(), "credential-unreadable");
            assert!(f.message.contains(reason), "{}", f.message);
            assert!(!format!("{findings:?}").contains("CANARY"));
        }
    }
}

#[test]
fn text_that_does_not_look_like_a_credential_is_not_kc905() {
    let noise: [&[u8]; 6] = [
        b"# Notes: kind: Config\nusers: [\n",
        b"Set up access: copy this\n\n```yaml\nkind: Config\nusers: [\n```\n",
        b"kind: ConfigMap\ndata: {a: [\n",
        b"users: [a, b]\nbad: [\n",
        b"\x7fELF\0\0-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        b"name: caf\xe9\n",
    ];
    for bytes in noise {
        let scanned = scan_bytes(bytes, Path::new("n"), &Limits::default());
        assert!(
            scanned.unreadable.is_empty(),
            "{:?}: {:?}",
            String::from_utf8_lossy(bytes),
            scanned.unreadable
        );
    }
}

/// The `seed-*` files of the git_index corpus (made by real git; the other
/// files there are a campaign's inputs, replayed by `fuzz_corpus.rs`).
fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/git_index");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("seed-"))
        })
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn indexes_written_by_git_parse_to_their_paths() {
    let at = Location::file(".git/index");
    let mut parsed = 0;
    for (name, bytes) in seeds() {
        if !name.contains("-v") && name != "seed-skiphash" {
            assert!(parse_git_index(&bytes, &at).is_err(), "{name}");
            continue;
        }
        let index = parse_git_index(&bytes, &at).unwrap_or_else(|e| panic!("{name}: {e}"));
        let paths: Vec<String> = index
            .entries
            .iter()
            .map(|e| String::from_utf8_lossy(&e.path).into_owned())
            .collect();
        for want in [
            "README.md",
            "deploy/kubeconfig",
            "src/a/b/c.rs",
            "link",
            "vendor/sub",
        ] {
            assert!(paths.iter().any(|p| p == want), "{name}: {paths:?}");
        }
        let mode = |p: &str| {
            index
                .entries
                .iter()
                .find(|e| e.path == p.as_bytes())
                .unwrap()
                .mode
        };
        assert_eq!(mode("vendor/sub"), GITLINK_MODE, "{name}");
        assert_eq!(mode("link"), SYMLINK_MODE, "{name}");
        let version = name.rsplit('v').next().unwrap();
        if let Ok(v) = version.parse::<u32>() {
            assert_eq!(index.version, v, "{name}");
        }
        parsed += 1;
    }
    assert!(parsed >= 6, "{parsed} indexes parsed");
}

#[test]
fn every_truncation_and_every_flipped_byte_is_an_error_or_a_safe_index() {
    let at = Location::file(".git/index");
    for (name, bytes) in seeds() {
        for len in 0..bytes.len() {
            // A cut index fails its checksum, or (skipHash) its structure.
            let _ = parse_git_index(&bytes[..len], &at);
        }
        // With a zero trailer (no checksum), flips reach the entry parser.
        let mut open = bytes.clone();
        if open.len() > 32 {
            let n = open.len();
            open[n - 20..].fill(0);
        }
        for i in 0..open.len() {
            for bit in [0x01, 0x80] {
                let mut b = open.clone();
                b[i] ^= bit;
                if let Ok(index) = parse_git_index(&b, &at) {
                    for e in index.entries {
                        assert!(
                            !e.path.is_empty()
                                && !e.path.starts_with(b"/")
                                && e.path
                                    .split(|c| *c == b'/')
                                    .all(|p| p != b".." && p != b".")
                                && e.path.len() <= kcred_core::MAX_INDEX_PATH,
                            "{name} byte {i}: {:?}",
                            String::from_utf8_lossy(&e.path)
                        );
                    }
                }
            }
        }
    }
}
