//! Bearer tokens: JWTs (claims read, signature NOT verified), Kubernetes
//! service-account tokens, EKS presigned-URL tokens, and opaque tokens.
// Dates here come straight from input: every computation on them is checked.
#![deny(clippy::arithmetic_side_effects)]

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

use crate::error::{Error, Location};
use crate::expiry::Validity;

/// How long EKS accepts a `k8s-aws-v1.` token after its `X-Amz-Date`
/// (aws-iam-authenticator ignores `X-Amz-Expires` and allows 15 minutes).
pub const EKS_TOKEN_LIFETIME: Duration = Duration::minutes(15);

/// Tokens longer than this are not decoded (reported as opaque with an error).
pub(crate) const MAX_TOKEN_BYTES: usize = 1 << 20;

/// Largest decoded JWT header or claims segment that is parsed. Real Kubernetes,
/// Entra, EKS and GKE tokens are under 16 KiB; the cap keeps one token (which
/// 1,000 users may name through one `tokenFile`) from costing megabytes each.
pub(crate) const MAX_JWT_SEGMENT_BYTES: usize = 64 << 10;

/// Deepest nesting of JSON arrays and objects in a JWT segment (real tokens: 3).
pub(crate) const MAX_JWT_DEPTH: usize = 16;

/// Most JSON values (scalars and containers) in a JWT segment: bounds the memory
/// of the decoded claims, whatever their shape (Entra caps `groups` at 200).
pub(crate) const MAX_JWT_VALUES: usize = 4_096;

/// What kind of bearer token this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum TokenFormat {
    /// A JWT that is not a Kubernetes service-account token (OIDC id-token, Entra access token...).
    Jwt,
    /// A legacy, Secret-based service-account token: no `exp`, lives until the Secret is deleted.
    ServiceAccountLegacy,
    /// A bound service-account token (TokenRequest API): has `exp` and a binding.
    ServiceAccountBound,
    /// An EKS `k8s-aws-v1.` token: a presigned STS URL valid for 15 minutes.
    EksPresigned,
    /// An OpenShift OAuth access token (`sha256~…`); lifetime is known only to the server.
    /// Spelled `openshift-oauth` (JSON revision 1.3); the `open-shift-o-auth` of
    /// earlier revisions is still read back.
    #[serde(rename = "openshift-oauth", alias = "open-shift-o-auth")]
    OpenShiftOAuth,
    /// A kubeadm bootstrap token (`abcdef.0123456789abcdef`); expiry lives in its Secret.
    BootstrapToken,
    /// Anything else; only the server knows when it stops working.
    Opaque,
}

/// What decoding a token tells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenInfo {
    /// The token's format.
    pub format: TokenFormat,
    /// JWT header and claims, when the token is a JWT (behind a pointer: most
    /// tokens are opaque, and 100,000 of them should not each reserve a JWT's
    /// room; shared: 1,000 users naming one token file hold one copy).
    pub jwt: Option<std::sync::Arc<JwtInfo>>,
    /// Service-account facts, for Kubernetes service-account tokens.
    pub service_account: Option<Box<ServiceAccountInfo>>,
    /// When the token works, when that can be told from the token itself.
    pub validity: Option<Validity>,
}

/// A JWT's header and registered claims. The signature is never verified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JwtInfo {
    /// Header `alg`.
    pub algorithm: Option<String>,
    /// Header `kid`.
    pub key_id: Option<String>,
    /// `iss`.
    pub issuer: Option<String>,
    /// `sub`.
    pub subject: Option<String>,
    /// `aud` (a string or a list in the token; always a list here).
    pub audience: Vec<String>,
    /// `exp`.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// `iat`.
    #[serde(with = "time::serde::rfc3339::option")]
    pub issued_at: Option<OffsetDateTime>,
    /// `nbf`.
    #[serde(with = "time::serde::rfc3339::option")]
    pub not_before: Option<OffsetDateTime>,
    /// `jti`.
    pub jwt_id: Option<String>,
    /// Every claim, as decoded.
    pub claims: Map<String, Value>,
    /// Always `false`: kcred reads claims without checking the signature.
    pub verified: bool,
}

/// A Kubernetes service-account token's identity and binding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAccountInfo {
    /// Namespace.
    pub namespace: Option<String>,
    /// Service account name.
    pub name: Option<String>,
    /// Service account UID.
    pub uid: Option<String>,
    /// Legacy tokens: the Secret holding the token (delete it to revoke).
    pub secret: Option<String>,
    /// Bound tokens: the pod the token is bound to.
    pub bound_pod: Option<String>,
    /// Bound tokens: the node the token is bound to.
    pub bound_node: Option<String>,
    /// Bound tokens: the Secret the token is bound to.
    pub bound_secret: Option<String>,
    /// Bound tokens: `warnafter`, when the API server starts warning of a stale token.
    #[serde(with = "time::serde::rfc3339::option")]
    pub warn_after: Option<OffsetDateTime>,
}

/// Decodes a bearer token. Never verifies a signature; never fails on opaque tokens.
/// An error means the token looks like a JWT (or EKS token) but does not decode.
///
/// ```
/// use kcred_core::{decode_token, Location, TokenFormat};
/// let info = decode_token("sha256~abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", &Location::file("c")).unwrap();
/// assert_eq!(info.format, TokenFormat::OpenShiftOAuth);
/// assert!(info.validity.is_none());
/// ```
pub fn decode_token(token: &str, at: &Location) -> Result<TokenInfo, Error> {
    let token = token.trim();
    let bad = |reason: &str| Error::BadToken {
        at: at.clone(),
        reason: reason.to_owned(),
    };
    if token.len() > MAX_TOKEN_BYTES {
        return Err(bad("token is larger than 1 MiB"));
    }
    if let Some(url) = token.strip_prefix("k8s-aws-v1.") {
        return decode_eks(url, at);
    }
    let opaque = |format| TokenInfo {
        format,
        jwt: None,
        service_account: None,
        validity: None,
    };
    if token.starts_with("sha256~") {
        return Ok(opaque(TokenFormat::OpenShiftOAuth));
    }
    if is_bootstrap_token(token) {
        return Ok(opaque(TokenFormat::BootstrapToken));
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 || !parts[0].starts_with("eyJ") {
        return Ok(opaque(TokenFormat::Opaque));
    }
    let header = decode_segment(parts[0], "header").map_err(|why| bad(&why))?;
    let claims = decode_segment(parts[1], "claims").map_err(|why| bad(&why))?;
    let time_claim =
        |name: &str| numeric_date(&claims, name).map_err(|why| bad(&format!("`{name}` {why}")));
    let expires_at = time_claim("exp")?;
    let issued_at = time_claim("iat")?;
    let not_before = time_claim("nbf")?;
    let text = |map: &Map<String, Value>, key: &str| {
        map.get(key).and_then(Value::as_str).map(str::to_owned)
    };
    let audience = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let start = not_before.or(issued_at);
    let validity = Some(match expires_at {
        Some(end) => Validity::between(start, end),
        None => Validity::never(start),
    });
    let service_account = service_account(&claims);
    let format = match &service_account {
        Some((sa, true)) if sa.name.is_some() || sa.namespace.is_some() => {
            TokenFormat::ServiceAccountBound
        }
        Some(_) => TokenFormat::ServiceAccountLegacy,
        None => TokenFormat::Jwt,
    };
    // An issuer URL with userinfo or a query would carry them into every
    // output, the claims map included: redact it where it is kept.
    let mut claims = claims;
    if let Some(Value::String(iss)) = claims.get_mut("iss") {
        *iss = crate::secret::redact_url(iss);
    }
    let jwt = JwtInfo {
        algorithm: text(&header, "alg"),
        key_id: text(&header, "kid"),
        issuer: text(&claims, "iss"),
        subject: text(&claims, "sub"),
        audience,
        expires_at,
        issued_at,
        not_before,
        jwt_id: text(&claims, "jti"),
        claims,
        verified: false,
    };
    Ok(TokenInfo {
        format,
        jwt: Some(std::sync::Arc::new(jwt)),
        service_account: service_account.map(|(sa, _)| Box::new(sa)),
        validity,
    })
}

/// Decodes a JWT segment (base64url, padding tolerated) holding a JSON object,
/// within [`MAX_JWT_SEGMENT_BYTES`], [`MAX_JWT_DEPTH`] and [`MAX_JWT_VALUES`].
/// `what` is `header` or `claims`; the error is a reason without input bytes.
fn decode_segment(segment: &str, what: &str) -> Result<Map<String, Value>, String> {
    let too_large =
        || format!("{what} are larger than the limit of {MAX_JWT_SEGMENT_BYTES} bytes decoded");
    let trimmed = segment.trim_end_matches('=');
    // Refuse before decoding: 4 base64 characters carry 3 bytes.
    if trimmed.len() / 4 > MAX_JWT_SEGMENT_BYTES / 3 {
        return Err(too_large());
    }
    let not_json = || format!("{what} are not base64url JSON");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .map_err(|_| not_json())?;
    if bytes.len() > MAX_JWT_SEGMENT_BYTES {
        return Err(too_large());
    }
    json_shape_within_limits(&bytes).map_err(|limit| format!("{what} {limit}"))?;
    match serde_json::from_slice(&bytes).map_err(|_| not_json())? {
        Value::Object(map) => Ok(map),
        _ => Err(not_json()),
    }
}

/// One pass over JSON bytes before parsing: nesting depth and a count of values
/// (containers plus separators: at least the number of elements), strings skipped.
fn json_shape_within_limits(bytes: &[u8]) -> Result<(), String> {
    let (mut depth, mut values, mut in_string, mut escaped) = (0usize, 1usize, false, false);
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth = depth.saturating_add(1);
                values = values.saturating_add(1);
                if depth > MAX_JWT_DEPTH {
                    return Err(format!(
                        "nest deeper than the limit of {MAX_JWT_DEPTH} levels"
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' => values = values.saturating_add(1),
            _ => {}
        }
        if values > MAX_JWT_VALUES {
            return Err(format!(
                "hold more than the limit of {MAX_JWT_VALUES} values"
            ));
        }
    }
    Ok(())
}

/// RFC 7519 NumericDate: seconds since the epoch, a JSON number, possibly with a fraction.
fn numeric_date(
    claims: &Map<String, Value>,
    name: &str,
) -> Result<Option<OffsetDateTime>, &'static str> {
    let Some(value) = claims.get(name) else {
        return Ok(None);
    };
    let seconds = match value {
        Value::Null => return Ok(None),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i,
            // Fractions are allowed; truncate toward the past so expiry is never late.
            (None, Some(f)) if f.is_finite() && f.abs() < 1e15 => f.floor() as i64,
            _ => return Err("is out of range"),
        },
        _ => return Err("is not a number"),
    };
    // Years 0000 to 9999 only: what RFC 3339 (and so every output) can write.
    crate::expiry::from_unix(seconds)
        .map(Some)
        .ok_or("is out of range")
}

/// Service-account facts and whether the token is a bound one.
fn service_account(claims: &Map<String, Value>) -> Option<(ServiceAccountInfo, bool)> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    if let Some(Value::Object(k8s)) = claims.get("kubernetes.io") {
        let bound = |key: &str| k8s.get(key).and_then(|v| text(v.get("name")));
        let sa = k8s.get("serviceaccount");
        let warn_after = k8s
            .get("warnafter")
            .and_then(Value::as_i64)
            .and_then(crate::expiry::from_unix);
        return Some((
            ServiceAccountInfo {
                namespace: text(k8s.get("namespace")),
                name: text(sa.and_then(|s| s.get("name"))),
                uid: text(sa.and_then(|s| s.get("uid"))),
                secret: None,
                bound_pod: bound("pod"),
                bound_node: bound("node"),
                bound_secret: bound("secret"),
                warn_after,
            },
            true,
        ));
    }
    let legacy_issuer =
        claims.get("iss").and_then(Value::as_str) == Some("kubernetes/serviceaccount");
    let claim = |key: &str| text(claims.get(&format!("kubernetes.io/serviceaccount/{key}")));
    let namespace = claim("namespace");
    if !legacy_issuer && namespace.is_none() {
        return service_account_of_subject(claims);
    }
    Some((
        ServiceAccountInfo {
            namespace,
            name: claim("service-account.name"),
            uid: claim("service-account.uid"),
            secret: claim("secret.name"),
            bound_pod: None,
            bound_node: None,
            bound_secret: None,
            warn_after: None,
        },
        false,
    ))
}

/// A `sub` of `system:serviceaccount:NS:NAME` with no `kubernetes.io` claim:
/// the API server authenticates it as that service account (a bound token
/// issued by another issuer the server trusts, or a stripped legacy one).
fn service_account_of_subject(claims: &Map<String, Value>) -> Option<(ServiceAccountInfo, bool)> {
    let sub = claims.get("sub").and_then(Value::as_str)?;
    let (namespace, name) = sub
        .strip_prefix("system:serviceaccount:")?
        .split_once(':')?;
    if namespace.is_empty() || name.is_empty() || name.contains(':') {
        return None;
    }
    Some((
        ServiceAccountInfo {
            namespace: Some(namespace.to_owned()),
            name: Some(name.to_owned()),
            uid: None,
            secret: None,
            bound_pod: None,
            bound_node: None,
            bound_secret: None,
            warn_after: None,
        },
        // Bound or not is not told by `sub`: an `exp` makes it a bound token.
        claims.contains_key("exp"),
    ))
}

/// EKS: `k8s-aws-v1.` + base64url(presigned STS GetCallerIdentity URL).
fn decode_eks(encoded: &str, at: &Location) -> Result<TokenInfo, Error> {
    let signed = eks_signing_time(encoded).ok_or_else(|| Error::BadToken {
        at: at.clone(),
        reason: "EKS token is not a presigned URL with X-Amz-Date".to_owned(),
    })?;
    // An X-Amz-Date of 9999-12-31T23:59:59Z has no representable end.
    let end = signed
        .checked_add(EKS_TOKEN_LIFETIME)
        .ok_or_else(|| Error::OutOfRange {
            at: at.clone(),
            what: "X-Amz-Date plus the 15-minute EKS token lifetime".to_owned(),
        })?;
    Ok(TokenInfo {
        format: TokenFormat::EksPresigned,
        jwt: None,
        service_account: None,
        validity: Some(Validity::between(Some(signed), end)),
    })
}

/// The `X-Amz-Date` of an EKS token's presigned URL.
fn eks_signing_time(encoded: &str) -> Option<OffsetDateTime> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .ok()?;
    let url = String::from_utf8(bytes).ok()?;
    let query = url.split_once('?')?.1;
    let date = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("X-Amz-Date="))?;
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    crate::expiry::in_range(PrimitiveDateTime::parse(date, &format).ok()?.assume_utc())
}

/// kubeadm bootstrap token: `[a-z0-9]{6}.[a-z0-9]{16}`.
fn is_bootstrap_token(token: &str) -> bool {
    let ok = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    matches!(token.split_once('.'), Some((id, secret)) if ok(id, 6) && ok(secret, 16))
}

#[cfg(test)]
mod tests;
