//! Certificate data: truncated PEM, a key where a certificate belongs, DER garbage, bad base64,
//! dates at the UTCTime/GeneralizedTime boundary.

use super::*;

fn cert_user(name: &str, data_b64: &str) -> String {
    format!("- name: {name}\n  user:\n    client-certificate-data: {data_b64}\n")
}

fn cert_problem(inv: &Inventory, user: &str) -> Error {
    let problems = problem_at(inv, &format!("users[{user}]"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    let rec = record(inv, user);
    assert_eq!(
        rec.status(NOW),
        ExpiryStatus::Unknown {
            reason: UnknownReason::Undecodable
        }
    );
    problems[0].clone()
}

#[test]
fn truncated_pem_is_a_bad_certificate() {
    let pem = std::fs::read(data("certs/truncated.pem")).unwrap();
    let at = Location::file("t.pem");
    assert!(matches!(
        decode_certificates(&pem, &at),
        Err(Error::BadCertificate { .. }) | Err(Error::NoCertificate { .. })
    ));
    let (_, inv) = inventory_of(&cert_user("cut", &b64(&pem)));
    assert!(matches!(
        cert_problem(&inv, "cut"),
        Error::BadCertificate { .. } | Error::NoCertificate { .. }
    ));
    // A bundle cut after its first certificate keeps that certificate.
    let good = std::fs::read(data("certs/expired.crt")).unwrap();
    let mut bundle = good.clone();
    bundle.extend_from_slice(&pem[..pem.len() / 2]);
    let certs = decode_certificates(&bundle, &at).unwrap();
    assert_eq!(certs.len(), 1);
}

#[test]
fn private_key_where_a_certificate_is_expected_is_no_certificate() {
    let pem = std::fs::read(data("certs/key-as-cert.pem")).unwrap();
    assert_eq!(
        decode_certificates(&pem, &Location::file("k")),
        Err(Error::NoCertificate {
            at: Location::file("k")
        })
    );
    let (_, inv) = inventory_of(&cert_user("keyed", &b64(&pem)));
    let err = cert_problem(&inv, "keyed");
    assert_eq!(err.kind(), "no-certificate");
    assert_eq!(
        err.location().and_then(|l| l.field.as_deref()),
        Some("client-certificate-data")
    );
}

#[test]
fn der_garbage_is_a_bad_certificate() {
    let text = std::fs::read_to_string(data("certs/der-garbage.b64")).unwrap();
    let der = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap();
    assert!(matches!(
        decode_certificates(&der, &Location::file("g")),
        Err(Error::BadCertificate { .. })
    ));
    let (_, inv) = inventory_of(&cert_user("garbage", text.trim()));
    assert_eq!(cert_problem(&inv, "garbage").kind(), "bad-certificate");
}

#[test]
fn bad_base64_is_not_base64_but_whitespace_and_newlines_decode() {
    let (_, inv) = inventory_of(&cert_user("bad64", "\"!!not*base64\""));
    assert_eq!(cert_problem(&inv, "bad64").kind(), "not-base64");

    let pem = std::fs::read(data("certs/expired.crt")).unwrap();
    let clean = b64(&pem);
    let expected = decode_certificates(&pem, &Location::file("x")).unwrap();
    // Wrapped at 76 columns in a literal block, and with spaces and tabs inside.
    let wrapped: Vec<String> = clean
        .as_bytes()
        .chunks(76)
        .map(|c| format!("      {}", String::from_utf8_lossy(c)))
        .collect();
    let literal = format!(
        "- name: wrapped\n  user:\n    client-certificate-data: |\n{}\n",
        wrapped.join("\n")
    );
    let spaced: String = clean
        .as_bytes()
        .chunks(10)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" \t ");
    let spaced = format!("- name: spaced\n  user:\n    client-certificate-data: \"{spaced}\"\n");
    let (_, inv) = inventory_of(&format!("{literal}{spaced}"));
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    for user in ["wrapped", "spaced"] {
        match &record(&inv, user).credential {
            Credential::ClientCertificate(c) => {
                let cert = c.certificate.as_ref().unwrap();
                assert_eq!(cert.sha256_fingerprint, expected[0].sha256_fingerprint);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn certificate_dates_at_the_utctime_generalizedtime_boundary() {
    let at = Location::file("c");
    let cases = [
        // RFC 5280: UTCTime up to 2049, GeneralizedTime from 2050.
        ("certs/utctime-2049.crt", datetime!(2049-12-31 23:59:59 UTC)),
        ("certs/gentime-2050.crt", datetime!(2050-01-01 00:00:00 UTC)),
        (
            "certs/never-expires.crt",
            datetime!(9999-12-31 23:59:59 UTC),
        ),
    ];
    for (rel, not_after) in cases {
        let pem = std::fs::read(data(rel)).unwrap();
        let cert = &decode_certificates(&pem, &at).unwrap()[0];
        assert_eq!(cert.validity.not_after, Some(not_after), "{rel}");
    }
    let never = &decode_certificates(
        &std::fs::read(data("certs/never-expires.crt")).unwrap(),
        &at,
    )
    .unwrap()[0];
    assert_eq!(never.validity.status(NOW), ExpiryStatus::NeverExpires);
    // The platform fixtures carry the same certificates inside kubeconfigs.
    for (fixture, user, not_after) in [
        (
            "edge-utctime-2049",
            "utctime-2049",
            datetime!(2049-12-31 23:59:59 UTC),
        ),
        (
            "edge-gentime-2050",
            "gentime-2050",
            datetime!(2050-01-01 00:00:00 UTC),
        ),
    ] {
        let path = data(&format!("platforms/{fixture}/config"));
        let loaded = load_file(&path, &Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let inv = inventory(&loaded.config, &DiskFiles::default());
        let rec = record(&inv, user);
        assert_eq!(rec.validity().and_then(|v| v.not_after), Some(not_after));
        assert_eq!(rec.status(NOW).name(), "valid");
    }
}
