//! Decoding, the kept parts against a full parse, and the issuer name filter.

use super::private_key::oid_string;
use super::*;

#[test]
fn hex_is_lowercase_and_padded() {
    assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    assert_eq!(hex(&[]), "");
}

#[test]
fn oid_strings() {
    assert_eq!(
        oid_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]),
        OID_RSA
    );
    assert_eq!(oid_string(&[0x2b, 0x65, 0x70]), OID_ED25519);
}

#[test]
fn kept_parts_agree_with_a_full_parse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/certs");
    let mut certs = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "crt") {
            let at = Location::file(&path);
            certs.extend(decode_certificates(&std::fs::read(&path).unwrap(), &at).unwrap());
        }
    }
    assert!(certs.len() > 10);
    let mut signed = 0;
    for child in &certs {
        assert_ne!(child.parts, Parts::default(), "{}", child.subject);
        for parent in &certs {
            let fast = child.is_signed_by(parent);
            assert_eq!(fast, child.is_signed_by_reparsed(parent));
            signed += usize::from(fast);
        }
    }
    assert!(signed > 0);
}

#[test]
fn the_name_filter_keeps_every_real_issuer_of_the_fixtures() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
    let mut certs = Vec::new();
    let mut folders = vec![dir.join("certs"), dir.join("pki")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(found) =
                decode_certificates(&std::fs::read(&path).unwrap(), &Location::file(&path))
            {
                certs.extend(found);
            }
        }
    }
    let (mut signed, mut with_ids) = (0, 0);
    for child in &certs {
        for parent in &certs {
            if child.is_signed_by(parent) {
                assert!(child.may_be_issued_by(parent), "{}", child.subject);
                signed += 1;
                with_ids += usize::from(
                    child.parts.authority_key_id.is_some() && parent.parts.subject_key_id.is_some(),
                );
            } else if child.issuer_name() != parent.subject_name() {
                assert!(!child.may_be_issued_by(parent));
            }
        }
    }
    assert!(signed > 0 && with_ids > 0, "{signed} {with_ids}");
}

#[test]
fn garbage_is_a_typed_error() {
    let at = Location::file("x");
    assert!(matches!(
        decode_certificates(b"\x30\x03\x01", &at),
        Err(Error::BadCertificate { .. })
    ));
    assert!(matches!(
        decode_certificates(b"", &at),
        Err(Error::BadCertificate { .. })
    ));
    let truncated = b"-----BEGIN CERTIFICATE-----\nMIIB\n";
    assert!(decode_certificates(truncated, &at).is_err());
}
