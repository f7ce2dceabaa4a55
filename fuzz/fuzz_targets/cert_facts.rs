#![no_main]
// Harness: kcred_tests::fuzz::cert_facts (tests/src/fuzz.rs): kcred's own DER
// walk against x509-parser, the same facts whenever both decode.
libfuzzer_sys::fuzz_target!(|data: &[u8]| kcred_tests::fuzz::cert_facts(data));
