#![no_main]
// Harness: kcred_tests::fuzz::git_objects (tests/src/fuzz.rs).
libfuzzer_sys::fuzz_target!(|data: &[u8]| kcred_tests::fuzz::git_objects(data));
