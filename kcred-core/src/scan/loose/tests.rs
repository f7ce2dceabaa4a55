//! The loose shapes, live and expired, and the look-alikes that must stay quiet.

use std::path::Path;

use base64::Engine;
use time::macros::datetime;

use super::*;
use crate::credential::Credential;
use crate::expiry::ExpiryStatus;

const NOW: time::OffsetDateTime = datetime!(2026-06-01 0:00 UTC);
/// 2026-06-01 plus or minus a day, as Unix seconds.
const LIVE_EXP: i64 = 1_780_358_400;
const EXPIRED_EXP: i64 = 1_780_185_600;

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A JWT with these claims and a made-up signature (kcred never verifies it).
fn jwt(claims: &str) -> String {
    let header = b64url(br#"{"alg":"RS256","kid":"k1"}"#);
    format!("{header}.{}.c2lnbmF0dXJl", b64url(claims.as_bytes()))
}

fn sa_jwt(exp: i64) -> String {
    jwt(&format!(
        r#"{{"iss":"https://kubernetes.default.svc","sub":"system:serviceaccount:ci:deployer","aud":["https://kubernetes.default.svc"],"exp":{exp},"iat":{},"kubernetes.io":{{"namespace":"ci","serviceaccount":{{"name":"deployer","uid":"u"}}}}}}"#,
        exp - 172_800
    ))
}

fn entra_jwt(exp: i64) -> String {
    jwt(&format!(
        r#"{{"iss":"https://sts.windows.net/tenant/","aud":"6dae42f8-4368-4678-94ff-3960e28e3630","sub":"alice","exp":{exp}}}"#
    ))
}

fn found(text: &str) -> Vec<(String, Option<u32>, TokenFormat, &'static str)> {
    tokens_in_text(text, Path::new("f"))
        .credentials
        .iter()
        .map(|r| {
            let Credential::Token(t) = &r.credential else {
                panic!("{r:?}")
            };
            let entry = r.location.entry.clone().unwrap_or_default();
            (entry, r.location.line, t.info.format, r.status(NOW).name())
        })
        .collect()
}

#[test]
fn tokens_in_configuration_text_are_found_by_content() {
    let eks = format!("k8s-aws-v1.{}", b64url(b"https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Date=20260530T235900Z&X-Amz-Expires=60"));
    let openshift = format!("sha256~{}", "A".repeat(43));
    let cases = [
        (
            format!("KUBE_TOKEN={}\n", sa_jwt(LIVE_EXP)),
            "KUBE_TOKEN",
            TokenFormat::ServiceAccountBound,
            "valid",
        ),
        (
            format!(
                "# ci\nexport K8S_AUTH_API_KEY=\"{}\"\n",
                sa_jwt(EXPIRED_EXP)
            ),
            "K8S_AUTH_API_KEY",
            TokenFormat::ServiceAccountBound,
            "expired",
        ),
        (
            format!("run: kubectl --token={} get pods\n", entra_jwt(LIVE_EXP)),
            "--token",
            TokenFormat::Jwt,
            "valid",
        ),
        (
            format!("      token: '{openshift}'\n"),
            "token",
            TokenFormat::OpenShiftOAuth,
            "unknown",
        ),
        (
            format!("curl -H \"Authorization: Bearer {eks}\"\n"),
            "Bearer",
            TokenFormat::EksPresigned,
            "expired",
        ),
        (
            sa_jwt(LIVE_EXP),
            "token",
            TokenFormat::ServiceAccountBound,
            "valid",
        ),
    ];
    for (text, entry, format, status) in cases {
        let hits = found(&text);
        let line = u32::try_from(text.trim_end().lines().count()).unwrap();
        assert_eq!(
            hits,
            [(entry.to_owned(), Some(line), format, status)],
            "{text}"
        );
    }
}

#[test]
fn look_alikes_stay_quiet() {
    let example = jwt(r#"{"iss":"https://example.com","sub":"someone","exp":1780358400}"#);
    for text in [
        // Placeholders and truncated examples in docs.
        "KUBE_TOKEN=<your-token-here>\n".to_owned(),
        "token: eyJhbGciOiJSUzI1NiIsImtpZCI6Ij...\n".to_owned(),
        "--token=${KUBE_TOKEN}\n".to_owned(),
        // A JWT of some other system, under a name that says nothing of Kubernetes.
        format!("SESSION={example}\n"),
        // Base64 that is no token; a short sha256~ word; a checksum.
        "data: ZXlKaGJHY2lPaUpTVXpJMU5pSjkuZXlKemRXSWlPaUo0SW4w\n".to_owned(),
        "sha256~abc\n".to_owned(),
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n".to_owned(),
    ] {
        assert_eq!(found(&text), [], "{text}");
    }
}

#[test]
fn a_saved_exec_credential_is_its_token_or_certificate() {
    let text = format!(
        "{{\n  \"kind\": \"ExecCredential\",\n  \"apiVersion\": \"client.authentication.k8s.io/v1beta1\",\n  \"spec\": {{}},\n  \"status\": {{\n    \"expirationTimestamp\": \"2026-06-01T01:00:00Z\",\n    \"token\": \"{}\"\n  }}\n}}\n",
        entra_jwt(LIVE_EXP)
    );
    let inv = exec_credential(&text, Path::new("token.json"))
        .unwrap()
        .unwrap();
    let r = &inv.credentials[0];
    assert_eq!(r.location.line, Some(7));
    assert_eq!(r.location.field.as_deref(), Some("status.token"));
    // The ExecCredential's expirationTimestamp, not the token's own exp.
    assert!(
        matches!(r.status(NOW), ExpiryStatus::Valid { remaining } if remaining.whole_hours() == 1)
    );
    // One that client-go refuses is unreadable, not silence.
    let old = text.replace("v1beta1", "v1alpha1");
    let broken = exec_credential(&old, Path::new("old.json"))
        .unwrap()
        .unwrap_err();
    assert!(broken.reason.contains("v1alpha1"), "{broken:?}");
    // Not an ExecCredential at all.
    assert!(exec_credential("{\"kind\": \"Pod\"}", Path::new("p")).is_none());
}

#[test]
fn names_after_any_text_are_cut_at_a_character_boundary() {
    let token = sa_jwt(LIVE_EXP);
    for before in ["é", "токен=", "日本 KUBE_TOKEN=", "\u{202e}x=", "\u{10348}"] {
        let hits = found(&format!("{before}{token}\n"));
        assert_eq!(hits.len(), 1, "{before}");
    }
    assert_eq!(name_before("日本 KUBE_TOKEN="), "KUBE_TOKEN");
    assert_eq!(name_before("é"), "");
}
