#![no_main]
// Harness: kcred_tests::fuzz::loader_diff (tests/src/fuzz.rs).
libfuzzer_sys::fuzz_target!(|data: &[u8]| kcred_tests::fuzz::loader_diff(data));
