//! Replays every checked-in fuzz input (seeds, minimized crashers and the
//! distilled campaign corpora in `fuzz/corpus/<target>/`) through the same harness the fuzzer runs
//! (`kcred_tests::fuzz`), so CI catches regressions on stable without
//! nightly or libFuzzer. Model: `rusticata/x509-parser:tests/run_all_fuzz_files.rs`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kcred_tests::fuzz::TARGETS;

fn fuzz_dir() -> PathBuf {
    kcred_tests::support::repo().join("fuzz")
}

fn names_in(dir: &Path, suffix: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(suffix).map(str::to_owned)
        })
        .collect()
}

#[test]
fn every_target_has_a_harness_a_file_a_bin_and_a_corpus() {
    let harnesses: BTreeSet<String> = TARGETS.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(
        names_in(&fuzz_dir().join("fuzz_targets"), ".rs"),
        harnesses,
        "fuzz/fuzz_targets/*.rs and kcred_tests::fuzz::TARGETS differ"
    );
    assert_eq!(
        names_in(&fuzz_dir().join("corpus"), ""),
        harnesses,
        "fuzz/corpus/* and kcred_tests::fuzz::TARGETS differ"
    );
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for name in &harnesses {
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "fuzz/Cargo.toml has no [[bin]] {name}"
        );
    }
}

#[test]
fn corpus_replays_without_panics() {
    let mut replayed = 0;
    for (name, harness) in TARGETS {
        let dir = fuzz_dir().join("corpus").join(name);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{name}: empty corpus");
        for file in files {
            let data = std::fs::read(&file).unwrap();
            // A panic names the input: the test harness prints this with it.
            let result = std::panic::catch_unwind(|| harness(&data));
            assert!(result.is_ok(), "{name}: {} panicked", file.display());
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} fuzz inputs");
}

#[test]
fn harnesses_take_empty_and_tiny_inputs() {
    for (name, harness) in TARGETS {
        for data in [&b""[..], b"\0", b"\x01", b"{", b"-", b"\xff\xfe"] {
            let result = std::panic::catch_unwind(|| harness(data));
            assert!(result.is_ok(), "{name}: {data:?} panicked");
        }
    }
}
