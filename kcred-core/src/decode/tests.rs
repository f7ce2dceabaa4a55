use super::*;

fn at() -> Location {
    Location::file("input")
}

#[test]
fn private_keys_are_named_by_type_only() {
    // PKCS#8 Ed25519: SEQUENCE { 0, SEQUENCE { 1.3.101.112 }, OCTET STRING }.
    let pkcs8 = [
        0x30, 0x0c, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x00,
    ];
    assert_eq!(pkcs8_algorithm(&pkcs8), Some("Ed25519"));
    assert_eq!(pkcs8_algorithm(&[0x30, 0x00]), None);
    assert_eq!(key_type("ENCRYPTED PRIVATE KEY", &[]), "encrypted");
    assert_eq!(key_type("PRIVATE KEY", &[1, 2, 3]), "unknown");
}

#[test]
fn nothing_decodable_is_a_typed_error_at_the_input() {
    for input in [
        &b""[..],
        b"   \n",
        b"hello world",
        b"an-opaque-token",
        b"{\"kind\": \"Config\"}",
        b"{not json",
        b"\x00\x01\x02\xff",
        b"apiVersion: v1\nusers: []\n",
    ] {
        let err = decode(input, &at()).unwrap_err();
        assert!(
            matches!(&err, Error::BadDocument { at: a, .. } if a.file == std::path::Path::new("input")),
            "{input:?}: {err}"
        );
    }
    let err = decode(b"apiVersion: v1\nusers: []\n", &at()).unwrap_err();
    assert!(err.to_string().contains("kcred inspect"), "{err}");
}

#[test]
fn a_jwt_that_does_not_decode_is_a_token_error() {
    let err = decode(b"eyJhbGciOi.eyJleHAiOjF9.c2ln", &at()).unwrap_err();
    assert!(matches!(err, Error::BadToken { .. }), "{err}");
}

#[test]
fn ip_addresses_of_both_families() {
    assert_eq!(ip_text(&[10, 0, 0, 1]), "10.0.0.1");
    let mut v6 = [0u8; 16];
    v6[15] = 1;
    assert_eq!(ip_text(&v6), "0:0:0:0:0:0:0:1");
    assert_eq!(ip_text(&[1, 2]), "0102");
}
