#![no_main]
//! Differential: kcred's own DER walk (kcred-core/src/x509/walk.rs) against
//! x509-parser on the same bytes (one DER certificate, as `decode_der` takes).
//! - the walk never panics, whatever the input;
//! - when both decode, the facts are equal (kept DER and byte ranges included);
//! - the walk never decodes what x509-parser rejects (the walk only declines:
//!   then `decode_der` asks x509-parser, so its facts and errors stand).
use kcred_core::CertificateInfo;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (walked, parsed) = CertificateInfo::decode_both_ways(data);
    match (&walked, &parsed) {
        (Some(walked), Some(parsed)) => assert_eq!(walked, parsed),
        (Some(walked), None) => panic!("the walk decoded what x509-parser rejects: {walked:?}"),
        _ => {}
    }
});
