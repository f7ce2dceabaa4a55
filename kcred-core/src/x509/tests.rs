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
fn oids_compared_as_encoded_name_what_their_dotted_strings_name() {
    use x509_parser::oid_registry::*;
    for (oid, name) in COMMON_SIGNATURES {
        assert_eq!(signature_name_of(&oid.to_id_string()), Some(*name));
    }
    let keys = [
        (OID_PKCS1_RSAENCRYPTION, OID_RSA),
        (OID_KEY_TYPE_EC_PUBLIC_KEY, OID_EC),
        (OID_SIG_ED25519, OID_ED25519),
        (OID_SIG_ED448, "1.3.101.113"),
        (OID_KEY_TYPE_DSA, "1.2.840.10040.4.1"),
        (OID_EC_P256, "1.2.840.10045.3.1.7"),
        (OID_NIST_EC_P384, "1.3.132.0.34"),
        (OID_NIST_EC_P521, "1.3.132.0.35"),
    ];
    for (oid, dotted) in keys {
        assert_eq!(oid.to_id_string(), dotted);
    }
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
    let mut certs = Vec::new();
    for path in fixture_files() {
        if let Ok(found) =
            decode_certificates(&std::fs::read(&path).unwrap(), &Location::file(&path))
        {
            certs.extend(found);
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

/// `expired.crt` with its notAfter re-encoded as `time` (tag 0x17 UTCTime,
/// 0x18 GeneralizedTime), the lengths around it fixed.
fn with_not_after(tag: u8, time: &[u8]) -> Vec<u8> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/certs/expired.crt");
    let at = Location::file(&path);
    let der = decode_certificates(&std::fs::read(&path).unwrap(), &at).unwrap()[0]
        .der()
        .to_vec();
    // Validity ::= SEQUENCE { notBefore UTCTime (13), notAfter }
    let v = der
        .windows(4)
        .position(|w| w[0] == 0x30 && w[2] == 0x17 && w[3] == 0x0d)
        .unwrap();
    let end = v + 2 + usize::from(der[v + 1]);
    let mut validity = der[v + 2..v + 17].to_vec();
    validity.extend([tag, u8::try_from(time.len()).unwrap()]);
    validity.extend(time);
    let mut out = der[..v].to_vec();
    out.extend([0x30, u8::try_from(validity.len()).unwrap()]);
    out.extend(&validity);
    out.extend(&der[end..]);
    // Certificate and TBS lengths: both long form with two bytes.
    for at in [2, 6] {
        assert_eq!(out[at - 1], 0x82);
        let len = usize::from(u16::from_be_bytes([out[at], out[at + 1]])) + out.len() - der.len();
        out[at..at + 2].copy_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
    }
    out
}

#[test]
fn validity_times_must_be_rfc_5280_der() {
    let at = Location::file("c.der");
    // the forms RFC 5280 allows decode
    assert!(decode_der(&with_not_after(0x17, b"491231235959Z"), &at).is_ok());
    assert!(decode_der(&with_not_after(0x18, b"20501231235959Z"), &at).is_ok());
    // a fraction, an offset, no seconds: typed, naming the field
    for (tag, time) in [
        (0x18, &b"20501231235959.5Z"[..]),
        (0x18, b"20501231235959+0100"),
        (0x17, b"4912312359Z"),
        (0x17, b"491231235959+0000"),
    ] {
        match decode_der(&with_not_after(tag, time), &at) {
            Err(Error::BadCertificate { reason, .. }) => {
                assert!(
                    reason.contains("notAfter") || reason.contains("time"),
                    "{reason}"
                )
            }
            other => panic!("{}: {other:?}", String::from_utf8_lossy(time)),
        }
    }
}

/// Every file under tests/data/certs and tests/data/pki.
fn fixture_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
    let (mut files, mut folders) = (Vec::new(), vec![dir.join("certs"), dir.join("pki")]);
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Every certificate of every PEM file under tests/data, as DER.
fn fixture_ders() -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for path in fixture_files() {
        let bytes = std::fs::read(&path).unwrap();
        for block in Pem::iter_from_buffer(&bytes).map_while(Result::ok) {
            if block.label == "CERTIFICATE" {
                out.push((path.clone(), block.contents));
            }
        }
    }
    out
}

#[test]
fn every_fixture_gives_the_same_facts_walked_and_parsed() {
    let ders = fixture_ders();
    assert!(ders.len() > 20, "{}", ders.len());
    for (path, der) in &ders {
        let (walked, parsed) = CertificateInfo::decode_both_ways(der);
        // every fixture is one the walk takes itself
        assert!(walked.is_some(), "{}", path.display());
        assert_eq!(walked, parsed, "{}", path.display());
        // bytes after the certificate are ignored both ways
        let mut longer = der.clone();
        longer.extend(b"\x00\x01tail");
        assert_eq!(CertificateInfo::decode_both_ways(&longer).0, walked);
    }
}

#[test]
fn the_walk_declines_every_cut_and_every_byte_flip_x509_parser_rejects() {
    for (path, der) in fixture_ders().iter().take(6) {
        for cut in 0..der.len() {
            let (walked, parsed) = CertificateInfo::decode_both_ways(&der[..cut]);
            assert!(
                walked.is_none() && parsed.is_none(),
                "{} {cut}",
                path.display()
            );
        }
        for at in (0..der.len()).step_by(3) {
            let mut flipped = der.clone();
            flipped[at] ^= 0x41;
            if let (Some(walked), parsed) = CertificateInfo::decode_both_ways(&flipped) {
                assert_eq!(Some(walked), parsed, "{} {at}", path.display());
            }
        }
    }
}

#[test]
fn the_walks_oid_tables_name_what_x509_parser_names() {
    use x509_parser::oid_registry::Oid;
    for (oid, name, _) in walk::SIGNATURES {
        assert_eq!(signature_name_of(&oid_string(oid)), Some(*name));
    }
    let registry = x509_parser::objects::oid_registry();
    for (oid, abbrev) in names::ATTRIBUTES {
        let oid = Oid::new(std::borrow::Cow::Borrowed(oid));
        assert_eq!(
            x509_parser::objects::oid2abbrev(&oid, registry).ok(),
            Some(*abbrev)
        );
    }
    let dotted: Vec<String> = walk::KEYS.iter().map(|(o, ..)| oid_string(o)).collect();
    assert_eq!(
        dotted,
        [
            OID_RSA,
            OID_EC,
            OID_ED25519,
            "1.3.101.113",
            "1.2.840.10040.4.1"
        ]
    );
    let curves: Vec<String> = walk::CURVES.iter().map(|(o, ..)| oid_string(o)).collect();
    assert_eq!(
        curves,
        ["1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35"]
    );
}
