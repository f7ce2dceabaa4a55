//! Unit tests of token decoding.

use super::*;
use time::macros::datetime;

fn jwt(header: &str, claims: &str) -> String {
    let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.c2ln", e(header), e(claims))
}

fn at() -> Location {
    Location::file("t")
}

#[test]
fn issuer_urls_lose_userinfo_and_query() {
    let t = jwt(
        r#"{"alg":"RS256"}"#,
        r#"{"iss":"https://admin:CANARY-ISS-1@login.example/tenant/v2.0?code=CANARY-ISS-2#CANARY-ISS-3"}"#,
    );
    let info = decode_token(&t, &at()).unwrap();
    let jwt = info.jwt.unwrap();
    let issuer = jwt.issuer.as_deref().unwrap();
    assert!(!issuer.contains("CANARY"), "{issuer}");
    assert!(issuer.starts_with("https://") && issuer.contains("login.example/tenant/v2.0"));
    assert!(!serde_json::to_string(&jwt.claims)
        .unwrap()
        .contains("CANARY"));
}

#[test]
fn bound_service_account_token() {
    let t = jwt(
        r#"{"alg":"RS256","kid":"k1"}"#,
        r#"{"aud":["https://kubernetes.default.svc"],"exp":1767229200,"iat":1767225600,"nbf":1767225600,"iss":"https://kubernetes.default.svc","jti":"j","sub":"system:serviceaccount:ns:sa","kubernetes.io":{"namespace":"ns","serviceaccount":{"name":"sa","uid":"u"},"pod":{"name":"p","uid":"pu"},"warnafter":1767226200}}"#,
    );
    let info = decode_token(&t, &at()).unwrap();
    assert_eq!(info.format, TokenFormat::ServiceAccountBound);
    let v = info.validity.unwrap();
    assert_eq!(v.not_after, Some(datetime!(2026-01-01 1:00 UTC)));
    assert_eq!(v.lifetime(), Some(Duration::hours(1)));
    let sa = info.service_account.unwrap();
    assert_eq!(
        (
            sa.namespace.as_deref(),
            sa.name.as_deref(),
            sa.bound_pod.as_deref()
        ),
        (Some("ns"), Some("sa"), Some("p"))
    );
    assert_eq!(sa.warn_after, Some(datetime!(2026-01-01 0:10 UTC)));
    let jwt = info.jwt.unwrap();
    assert_eq!(jwt.algorithm.as_deref(), Some("RS256"));
    assert!(!jwt.verified);
}

#[test]
fn legacy_service_account_token_never_expires() {
    let t = jwt(
        r#"{"alg":"RS256"}"#,
        r#"{"iss":"kubernetes/serviceaccount","kubernetes.io/serviceaccount/namespace":"default","kubernetes.io/serviceaccount/secret.name":"s-token","kubernetes.io/serviceaccount/service-account.name":"s","sub":"system:serviceaccount:default:s"}"#,
    );
    let info = decode_token(&t, &at()).unwrap();
    assert_eq!(info.format, TokenFormat::ServiceAccountLegacy);
    assert!(info.validity.unwrap().never_expires);
    assert_eq!(
        info.service_account.unwrap().secret.as_deref(),
        Some("s-token")
    );
}

#[test]
fn exp_variants() {
    let float = jwt(r#"{"alg":"none"}"#, r#"{"exp":1767225600.9}"#);
    let v = decode_token(&float, &at()).unwrap().validity.unwrap();
    assert_eq!(v.not_after, Some(datetime!(2026-01-01 0:00 UTC)));
    let negative = jwt(r#"{"alg":"none"}"#, r#"{"exp":-5}"#);
    assert_eq!(
        decode_token(&negative, &at())
            .unwrap()
            .validity
            .unwrap()
            .not_after,
        Some(datetime!(1969-12-31 23:59:55 UTC))
    );
    for bad in [
        r#"{"exp":"1767225600"}"#,
        r#"{"exp":1e300}"#,
        r#"{"exp":999999999999999}"#,
    ] {
        let t = jwt(r#"{"alg":"none"}"#, bad);
        assert!(
            matches!(decode_token(&t, &at()), Err(Error::BadToken { .. })),
            "{bad}"
        );
    }
}

#[test]
fn bad_segment_error_has_no_token_bytes() {
    let t = "eyJCANARY-not-base64!.eyJ.x";
    let err = decode_token(t, &at()).unwrap_err();
    assert!(!err.to_string().contains("CANARY"));
}

#[test]
fn eks_token_expires_fifteen_minutes_after_signing() {
    let url = "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20251231T235500Z&X-Amz-Expires=60&X-Amz-Signature=ab";
    let t = format!(
        "k8s-aws-v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(url)
    );
    let info = decode_token(&t, &at()).unwrap();
    assert_eq!(info.format, TokenFormat::EksPresigned);
    assert_eq!(
        info.validity.unwrap().not_after,
        Some(datetime!(2026-01-01 0:10 UTC))
    );
}

fn eks_at(date: &str, expires: &str) -> String {
    let url = format!("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&X-Amz-Date={date}&X-Amz-Expires={expires}&X-Amz-Signature=ab");
    format!(
        "k8s-aws-v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(url)
    )
}

#[test]
fn eks_signed_at_the_end_of_time_is_out_of_range() {
    for expires in ["60", "9223372036854775807", "-9223372036854775808", "x"] {
        for date in ["99991231T235959Z", "99991231T234501Z"] {
            let err = decode_token(&eks_at(date, expires), &at()).unwrap_err();
            assert!(matches!(err, Error::OutOfRange { .. }), "{date} {err}");
            assert!(err.to_string().contains("X-Amz-Date"), "{err}");
        }
        // The last signing instant with a representable end, and the first.
        for date in ["99991231T234458Z", "00000101T000000Z"] {
            let info = decode_token(&eks_at(date, expires), &at()).unwrap();
            let v = info.validity.unwrap();
            assert_eq!(v.lifetime(), Some(EKS_TOKEN_LIFETIME), "{date}");
        }
    }
}

#[test]
fn numeric_date_extremes_are_typed() {
    // Ints and floats at and past the range of years 0000..=9999
    // (253402300799 is 9999-12-31T23:59:59Z, -62167219200 is 0000-01-01).
    let inside = [
        "253402300799",
        "253402300799.999",
        "-62167219200",
        "-62167219199.5",
        "0",
    ];
    let outside = [
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551615",
        "253402300800",
        "-62167219201",
        "-377705116800",
        "9.223372036854776e18",
        "-9.223372036854776e18",
        "1.7976931348623157e308",
        "-1e15",
        "1e15",
    ];
    for name in ["exp", "iat", "nbf"] {
        for v in inside {
            let t = jwt(r#"{"alg":"none"}"#, &format!(r#"{{"{name}":{v}}}"#));
            let info = decode_token(&t, &at()).unwrap_or_else(|e| panic!("{name}={v}: {e}"));
            let now = OffsetDateTime::UNIX_EPOCH;
            let v = info.validity.unwrap();
            let _ = (v.status(now), v.lifetime(), v.remaining(now));
        }
        for v in outside {
            let t = jwt(r#"{"alg":"none"}"#, &format!(r#"{{"{name}":{v}}}"#));
            let err = decode_token(&t, &at()).unwrap_err();
            assert!(
                matches!(&err, Error::BadToken { reason, .. } if reason.contains("out of range")),
                "{name}={v}: {err}"
            );
        }
    }
    // A warnafter out of range is left out, not a failure.
    let t = jwt(
        r#"{"alg":"none"}"#,
        r#"{"kubernetes.io":{"namespace":"n","serviceaccount":{"name":"s"},"warnafter":9223372036854775807}}"#,
    );
    let sa = decode_token(&t, &at()).unwrap().service_account.unwrap();
    assert_eq!(sa.warn_after, None);
}

#[test]
fn claims_over_the_caps_are_bad_tokens_naming_the_limit() {
    let over = [
        (
            format!(r#"{{"pad":"{}"}}"#, "a".repeat(MAX_JWT_SEGMENT_BYTES)),
            "limit of 65536 bytes",
        ),
        (
            format!("{}{}", "[".repeat(40_000), "]".repeat(40_000)),
            "limit of 65536 bytes",
        ),
        (
            format!(
                r#"{{"a":{}0{}}}"#,
                "[".repeat(MAX_JWT_DEPTH),
                "]".repeat(MAX_JWT_DEPTH)
            ),
            "limit of 16 levels",
        ),
        (
            format!(r#"{{"a":[{}0]}}"#, "0,".repeat(MAX_JWT_VALUES)),
            "limit of 4096 values",
        ),
        (
            format!(r#"{{"a":[{}[]]}}"#, "[],".repeat(MAX_JWT_VALUES)),
            "limit of 4096 values",
        ),
    ];
    for (claims, limit) in &over {
        let t = jwt(r#"{"alg":"none"}"#, claims);
        match decode_token(&t, &at()) {
            Err(Error::BadToken { reason, .. }) => {
                assert!(reason.contains(limit), "{reason} vs {limit}")
            }
            other => panic!("{limit}: {other:?}"),
        }
        // The header is held to the same caps (a JWT header is an object).
        if claims.starts_with('{') {
            let t = jwt(claims, r#"{"exp":1}"#);
            assert!(matches!(
                decode_token(&t, &at()),
                Err(Error::BadToken { .. })
            ));
        }
    }
    // Brackets and commas inside strings do not count.
    let quoted = format!(r#"{{"a":"{}","b":"\"[,{{"}}"#, "[,".repeat(10_000));
    assert!(decode_token(&jwt(r#"{"alg":"none"}"#, &quoted), &at()).is_ok());
    // A large but real-shaped Entra token (200 groups, 16 KiB) decodes.
    let groups: Vec<String> = (0..200)
        .map(|i| format!("\"00000000-0000-0000-0000-{i:012}\""))
        .collect();
    let entra = format!(
        r#"{{"exp":1767229200,"groups":[{}],"wids":["62e90394-69f5-4237-9190-012177145e10"],"xms":{{"a":{{"b":["c"]}}}},"pad":"{}"}}"#,
        groups.join(","),
        "p".repeat(8_000)
    );
    let info = decode_token(&jwt(r#"{"alg":"RS256"}"#, &entra), &at()).unwrap();
    assert_eq!(
        info.jwt.unwrap().claims["groups"].as_array().unwrap().len(),
        200
    );
}

#[test]
fn opaque_and_bootstrap() {
    assert_eq!(
        decode_token("abcdef.0123456789abcdef", &at())
            .unwrap()
            .format,
        TokenFormat::BootstrapToken
    );
    assert_eq!(
        decode_token("0123456789abcdef0123456789abcdef", &at())
            .unwrap()
            .format,
        TokenFormat::Opaque
    );
}

#[test]
fn a_service_account_subject_alone_gives_the_service_account() {
    let bound = decode_token(
        &jwt(
            r#"{"alg":"RS256"}"#,
            r#"{"iss":"https://idp","sub":"system:serviceaccount:ns:robot","exp":1767225600}"#,
        ),
        &at(),
    )
    .unwrap();
    let sa = bound.service_account.as_deref().unwrap();
    assert_eq!(sa.namespace.as_deref(), Some("ns"));
    assert_eq!(sa.name.as_deref(), Some("robot"));
    assert_eq!(bound.format, TokenFormat::ServiceAccountBound);
    let legacy = decode_token(
        &jwt(
            r#"{"alg":"RS256"}"#,
            r#"{"sub":"system:serviceaccount:ns:robot"}"#,
        ),
        &at(),
    )
    .unwrap();
    assert_eq!(legacy.format, TokenFormat::ServiceAccountLegacy);
    for sub in [
        "system:serviceaccount:ns",
        "system:serviceaccount::x",
        "system:serviceaccount:a:b:c",
        "alice",
    ] {
        let t = decode_token(
            &jwt(r#"{"alg":"RS256"}"#, &format!(r#"{{"sub":"{sub}"}}"#)),
            &at(),
        )
        .unwrap();
        assert!(t.service_account.is_none(), "{sub}");
        assert_eq!(t.format, TokenFormat::Jwt, "{sub}");
    }
}

#[test]
fn openshift_oauth_is_spelled_as_the_product_and_the_old_spelling_reads_back() {
    let format = decode_token(&format!("sha256~{}", "a".repeat(43)), &at())
        .unwrap()
        .format;
    assert_eq!(format, TokenFormat::OpenShiftOAuth);
    assert_eq!(
        serde_json::to_value(format).unwrap(),
        Value::from("openshift-oauth")
    );
    // JSON revision 1.3 renamed the value; documents of revision 1.2 read back.
    for spelling in ["\"openshift-oauth\"", "\"open-shift-o-auth\""] {
        let read: TokenFormat = serde_json::from_str(spelling).unwrap();
        assert_eq!(read, TokenFormat::OpenShiftOAuth, "{spelling}");
    }
}
