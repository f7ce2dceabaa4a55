//! Tokens: `alg: none`, 3 MB of claims, `exp` as a float, a string, negative and past 9999.

use super::*;

#[test]
fn jwt_with_alg_none_is_decoded_and_never_marked_verified() {
    let token = jwt(
        r#"{"alg":"none","typ":"JWT"}"#,
        br#"{"sub":"mallory","exp":1767229200}"#,
    );
    let info = decode_token(&token, &Location::file("t")).unwrap();
    assert_eq!(info.format, TokenFormat::Jwt);
    let jwt = info.jwt.unwrap();
    assert_eq!(jwt.algorithm.as_deref(), Some("none"));
    assert!(!jwt.verified);
    assert_eq!(jwt.expires_at, Some(datetime!(2026-01-01 01:00:00 UTC)));
    // Unsigned form (empty third part) too.
    let unsigned = token.rsplit_once('.').unwrap().0.to_owned() + ".";
    assert!(decode_token(&unsigned, &Location::file("t")).is_ok());
}

#[test]
fn jwt_with_three_megabyte_claims_is_a_bad_token_and_the_rest_is_reported() {
    let mut claims = br#"{"exp":1767229200,"pad":""#.to_vec();
    claims.extend(std::iter::repeat_n(b'x', 3 * 1024 * 1024));
    claims.extend_from_slice(br#""}"#);
    let token = jwt(r#"{"alg":"RS256"}"#, &claims);
    assert!(token.len() > 3 * 1024 * 1024);
    let err = decode_token(&token, &Location::file("t")).unwrap_err();
    assert!(
        matches!(&err, Error::BadToken { reason, .. } if reason.contains("larger")),
        "{err:?}"
    );
    let (_, inv) = inventory_of(&format!("- name: huge\n  user:\n    token: {token}\n"));
    assert!(matches!(
        problem_at(&inv, "users[huge]")[..],
        [Error::BadToken { .. }]
    ));
    assert_eq!(record(&inv, "huge").status(NOW).name(), "unknown");
    // No error message carries the token.
    for p in &inv.problems {
        assert!(p.to_string().len() < 500);
    }
}

fn exp(claims: &str) -> Result<Option<OffsetDateTime>, Box<Error>> {
    decode_token(
        &jwt(r#"{"alg":"RS256"}"#, claims.as_bytes()),
        &Location::file("t"),
    )
    .map(|i| i.jwt.and_then(|j| j.expires_at))
    .map_err(Box::new)
}

/// Asserts that `claims` is a bad token whose reason says `why`.
fn bad_exp(claims: &str, why: &str) {
    let err = exp(claims).unwrap_err();
    assert!(
        matches!(&*err, Error::BadToken { reason, .. } if reason.contains(why)),
        "{claims}: {err:?}"
    );
}

#[test]
fn exp_as_float_string_negative_and_beyond_9999() {
    // A fraction is allowed (RFC 7519 NumericDate) and truncated toward the past.
    assert_eq!(
        exp(r#"{"exp":1767229200.75}"#).unwrap(),
        Some(datetime!(2026-01-01 01:00:00 UTC))
    );
    // A string is not a NumericDate.
    bad_exp(r#"{"exp":"1767229200"}"#, "`exp`");
    // Negative: before 1970, so expired.
    assert_eq!(
        exp(r#"{"exp":-1}"#).unwrap(),
        Some(datetime!(1969-12-31 23:59:59 UTC))
    );
    // Beyond year 9999 (time's range) or before year -9999: a typed error, never a
    // wrap-around; the kubeconfig's other credentials are still reported (below).
    for claims in [
        r#"{"exp":253402300800}"#,
        r#"{"exp":9223372036854775807}"#,
        r#"{"exp":-9223372036854775808}"#,
        r#"{"exp":1e300}"#,
    ] {
        bad_exp(claims, "out of range");
    }
    // The last representable second is fine.
    assert_eq!(
        exp(r#"{"exp":253402300799}"#).unwrap(),
        Some(datetime!(9999-12-31 23:59:59 UTC))
    );
    // In a kubeconfig the bad one is reported and the others still are.
    let bad = jwt(r#"{"alg":"RS256"}"#, br#"{"exp":"soon"}"#);
    let (_, inv) = inventory_of(&format!("- name: soon\n  user:\n    token: {bad}\n"));
    assert!(matches!(
        problem_at(&inv, "users[soon]")[..],
        [Error::BadToken { .. }]
    ));
}
