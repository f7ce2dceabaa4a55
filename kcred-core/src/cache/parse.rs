//! Pure parsers, one per cache format. Token values are read into [`Secret`]s,
//! decoded for their claims, and dropped.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{CacheEntry, CacheKind};
use crate::error::{Error, Location};
use crate::exec::{classify, parse_exec_credential};
use crate::kubeconfig::{decode_text, yaml_options, Limits};
use crate::secret::Secret;
use crate::token::{decode_token, TokenInfo};

/// A number that some writers store as a JSON string (ADAL's `expires_on`).
#[derive(Deserialize)]
#[serde(untagged)]
enum NumOrText {
    Num(i64),
    Text(String),
}

impl NumOrText {
    fn unix(&self) -> Option<OffsetDateTime> {
        let secs = match self {
            NumOrText::Num(n) => *n,
            NumOrText::Text(t) => t.trim().parse().ok()?,
        };
        crate::expiry::from_unix(secs)
    }
}

fn rfc3339(text: &str) -> Option<OffsetDateTime> {
    crate::expiry::parse_rfc3339(text.trim())
}

fn present(s: &Option<Secret>) -> bool {
    s.as_ref().is_some_and(|s| !s.is_empty())
}

/// Decodes a token for its claims; an undecodable token is kept as "present".
fn claims(token: &Option<Secret>, at: &Location) -> Option<TokenInfo> {
    token
        .as_ref()
        .filter(|t| !t.is_empty())
        .and_then(|t| decode_token(t.expose(), at).ok())
}

/// A JSON cache document of the shape `T`; `what` names the format in the error.
fn json<T: DeserializeOwned>(bytes: &[u8], what: &'static str, at: &Location) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|e| Error::BadDocument {
        at: at.clone(),
        what: what.into(),
        reason: format!("line {}: {}", e.line(), classify(&e)),
    })
}

/// Parses one cache file of a known kind. `at` names the file; entries of files
/// holding several (aws-iam-authenticator, AWS credentials) get their own entry
/// name. Presence-only kinds (`pop_tokens.cache`, `credentials.db`, an encrypted
/// MSAL cache) are not read beyond their name.
///
/// ```
/// use kcred_core::{parse_cache_file, CacheKind, Location};
/// let doc = br#"{"id_token":"not-a-jwt","refresh_token":"CANARY"}"#;
/// let entries = parse_cache_file(CacheKind::OidcLogin, doc, &Location::file("c")).unwrap();
/// assert!(entries[0].has_refresh_token);
/// assert!(!format!("{entries:?}").contains("CANARY"));
/// ```
pub fn parse_cache_file(
    kind: CacheKind,
    bytes: &[u8],
    at: &Location,
) -> Result<Vec<CacheEntry>, Error> {
    // A BOM (UTF-8, or UTF-16 as PowerShell writes) does not hide a cache: a
    // thief reads the token whatever the encoding.
    let decoded = match bytes {
        [0xEF, 0xBB, 0xBF, ..] | [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => decode_text(bytes),
        _ => None,
    };
    let bytes = decoded.as_deref().map_or(bytes, str::as_bytes);
    let mut entry = CacheEntry::new(kind, at.clone());
    match kind {
        CacheKind::AzureKubeloginToken => {
            #[derive(Deserialize)]
            struct Adal {
                access_token: Option<Secret>,
                refresh_token: Option<Secret>,
                expires_on: Option<NumOrText>,
                not_before: Option<NumOrText>,
            }
            let doc: Adal = json(bytes, "kubelogin token cache", at)?;
            entry.token = claims(&doc.access_token, &at.clone().with_field("access_token"));
            entry.expires_at = doc
                .expires_on
                .as_ref()
                .and_then(NumOrText::unix)
                .or_else(|| token_end(&entry.token));
            entry.issued_at = token_issued(&entry.token)
                .or_else(|| doc.not_before.as_ref().and_then(NumOrText::unix));
            entry.has_refresh_token = present(&doc.refresh_token);
            kubelogin_file_name(&mut entry, at);
        }
        CacheKind::AzureAuthRecord => {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Record {
                client_id: Option<String>,
                tenant_id: Option<String>,
                username: Option<String>,
            }
            let doc: Record = json(bytes, "kubelogin authentication record", at)?;
            entry.key.client_id = doc.client_id;
            entry.key.tenant_id = doc.tenant_id;
            entry.key.account = doc.username;
            entry.tokens_in_secret_store = true;
            entry.has_refresh_token = true;
        }
        CacheKind::AzurePopTokenCache | CacheKind::GcloudCredentials => {
            // Encrypted (PoP cache, key in the OS keyring) or SQLite (gcloud): presence only.
            entry.tokens_in_secret_store = kind == CacheKind::AzurePopTokenCache;
            entry.has_refresh_token = kind == CacheKind::GcloudCredentials;
        }
        CacheKind::AzureCliTokenCache => {
            let name = at.file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".bin") {
                entry.tokens_in_secret_store = true;
                entry.has_refresh_token = true;
            } else {
                msal_cache(&mut entry, bytes, at)?;
            }
        }
        CacheKind::OidcLogin => {
            #[derive(Deserialize)]
            struct Oidc {
                id_token: Option<Secret>,
                refresh_token: Option<Secret>,
            }
            let doc: Oidc = json(bytes, "oidc-login token cache", at)?;
            entry.token = claims(&doc.id_token, &at.clone().with_field("id_token"));
            if let Some(jwt) = entry.token.as_ref().and_then(|t| t.jwt.as_ref()) {
                entry.key.issuer = jwt.issuer.clone();
                entry.key.client_id = jwt.audience.first().cloned();
                entry.key.account = jwt.subject.clone();
            }
            entry.expires_at = token_end(&entry.token);
            entry.issued_at = token_issued(&entry.token);
            entry.has_refresh_token = present(&doc.refresh_token);
        }
        CacheKind::GkeGcloudAuthPlugin => {
            #[derive(Deserialize)]
            struct Gke {
                current_context: Option<String>,
                access_token: Option<Secret>,
                token_expiry: Option<String>,
            }
            let doc: Gke = json(bytes, "gke-gcloud-auth-plugin cache", at)?;
            entry.key.context = doc.current_context.filter(|c| !c.is_empty());
            entry.token = claims(&doc.access_token, &at.clone().with_field("access_token"));
            entry.expires_at = match doc.token_expiry.as_deref() {
                Some(text) => Some(rfc3339(text).ok_or_else(|| Error::BadTimestamp {
                    at: at.clone().with_field("token_expiry"),
                })?),
                None => None,
            };
        }
        CacheKind::AwsIamAuthenticator => return aws_iam_authenticator(bytes, at),
        CacheKind::AwsSharedCredentials => return Ok(aws_shared_credentials(bytes, at)),
        CacheKind::ExecCredential => {
            let info = parse_exec_credential(bytes, at)?;
            entry.expires_at = info.validity.and_then(|v| v.not_after);
            entry.issued_at = token_issued(&info.token);
            entry.token = info.token;
        }
    }
    Ok(vec![entry])
}

fn token_end(token: &Option<TokenInfo>) -> Option<OffsetDateTime> {
    token
        .as_ref()
        .and_then(|t| t.validity)
        .and_then(|v| v.not_after)
}

fn token_issued(token: &Option<TokenInfo>) -> Option<OffsetDateTime> {
    token
        .as_ref()
        .and_then(|t| t.jwt.as_ref())
        .and_then(|j| j.issued_at.or(j.not_before))
}

/// `<environment>-<server-id>-<client-id>-<tenant-id>[_legacy].json`: the ids are
/// GUIDs (36 characters, with dashes), the environment has no dash.
fn kubelogin_file_name(entry: &mut CacheEntry, at: &Location) {
    let Some(name) = at.file.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let stem = name.strip_suffix(".json").unwrap_or(name);
    let stem = stem.strip_suffix("_legacy").unwrap_or(stem);
    let Some((env, rest)) = stem.split_once('-') else {
        return;
    };
    let ids: Vec<&str> = [0, 37, 74]
        .iter()
        .filter_map(|&start| rest.get(start..start + 36))
        .collect();
    if rest.len() != 3 * 36 + 2 || ids.len() != 3 {
        return;
    }
    entry.key.environment = Some(env.to_owned());
    entry.key.server_id = Some(ids[0].to_owned());
    entry.key.client_id = Some(ids[1].to_owned());
    entry.key.tenant_id = Some(ids[2].to_owned());
}

/// The MSAL token cache (Azure CLI): maps of access tokens, refresh tokens and accounts.
fn msal_cache(entry: &mut CacheEntry, bytes: &[u8], at: &Location) -> Result<(), Error> {
    #[derive(Deserialize)]
    struct Item {
        secret: Option<Secret>,
        expires_on: Option<NumOrText>,
        client_id: Option<String>,
        realm: Option<String>,
        username: Option<String>,
    }
    #[derive(Deserialize)]
    struct Msal {
        #[serde(rename = "AccessToken", default)]
        access_token: BTreeMap<String, Item>,
        #[serde(rename = "RefreshToken", default)]
        refresh_token: BTreeMap<String, Item>,
        #[serde(rename = "Account", default)]
        account: BTreeMap<String, Item>,
    }
    let doc: Msal = json(bytes, "MSAL token cache", at)?;
    entry.has_refresh_token = doc.refresh_token.values().any(|i| present(&i.secret));
    entry.expires_at = doc
        .access_token
        .values()
        .filter_map(|i| i.expires_on.as_ref().and_then(NumOrText::unix))
        .max();
    entry.key.account = doc.account.values().find_map(|a| a.username.clone());
    entry.key.tenant_id = doc.account.values().find_map(|a| a.realm.clone());
    entry.key.client_id = doc.refresh_token.values().find_map(|a| a.client_id.clone());
    Ok(())
}

/// `clusters: {<cluster-id>: {<profile>: {<role-arn>: <aws.Credentials>}}}`, as
/// yaml.v2 writes Go structs: lower-cased field names (`expires`, `sessiontoken`).
fn aws_iam_authenticator(bytes: &[u8], at: &Location) -> Result<Vec<CacheEntry>, Error> {
    type Creds = BTreeMap<String, serde_json::Value>;
    #[derive(Deserialize)]
    struct File {
        #[serde(default)]
        clusters: BTreeMap<String, BTreeMap<String, BTreeMap<String, Creds>>>,
    }
    let bad = |reason: &str| Error::BadDocument {
        at: at.clone(),
        what: "aws-iam-authenticator cache".into(),
        reason: reason.to_owned(),
    };
    let text = std::str::from_utf8(bytes).map_err(|_| Error::NotUtf8 { at: at.clone() })?;
    let file: Option<File> =
        serde_saphyr::from_str_with_options(text, yaml_options(text, &Limits::default()))
            .map_err(|_| bad("not the YAML shape aws-iam-authenticator writes"))?;
    let mut out = Vec::new();
    for (cluster, profiles) in file.map(|f| f.clusters).unwrap_or_default() {
        for (profile, roles) in profiles {
            for (role, creds) in roles {
                let field = |name: &str| {
                    creds
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v)
                };
                let text_of = |name: &str| field(name).and_then(|v| v.as_str()).unwrap_or("");
                let mut entry = CacheEntry::new(
                    CacheKind::AwsIamAuthenticator,
                    at.clone()
                        .with_entry(format!("clusters[{cluster}][{profile}][{role}]")),
                );
                entry.key.cluster = Some(cluster.clone());
                entry.key.profile = Some(profile.clone()).filter(|p| !p.is_empty());
                entry.key.role_arn = Some(role.clone()).filter(|r| !r.is_empty());
                let expires = field("expires").or_else(|| field("expiration"));
                entry.expires_at = expires.and_then(|v| v.as_str()).and_then(rfc3339);
                let can_expire = field("canexpire").and_then(|v| v.as_bool());
                entry.has_long_term_key = !text_of("secretaccesskey").is_empty()
                    && text_of("sessiontoken").is_empty()
                    && can_expire != Some(true);
                out.push(entry);
            }
        }
    }
    Ok(out)
}

/// `~/.aws/credentials` (INI): one entry per profile with keys; long-term keys
/// are those without `aws_session_token` (`AKIA…` ids). Values are never kept.
fn aws_shared_credentials(bytes: &[u8], at: &Location) -> Vec<CacheEntry> {
    let text = String::from_utf8_lossy(bytes);
    let mut out: Vec<CacheEntry> = Vec::new();
    let mut current: Option<(String, bool, bool, Option<u32>)> = None;
    let flush = |cur: Option<(String, bool, bool, Option<u32>)>, out: &mut Vec<CacheEntry>| {
        if let Some((profile, has_key, has_session, line)) = cur {
            if has_key {
                let mut entry = CacheEntry::new(
                    CacheKind::AwsSharedCredentials,
                    at.clone()
                        .with_entry(format!("[{profile}]"))
                        .with_line(line),
                );
                entry.key.profile = Some(profile);
                entry.has_long_term_key = !has_session;
                out.push(entry);
            }
        }
    };
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            flush(current.take(), &mut out);
            let line_no = u32::try_from(n + 1).ok();
            current = Some((name.trim().to_owned(), false, false, line_no));
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if let Some(cur) = current.as_mut() {
            match k.trim().to_ascii_lowercase().as_str() {
                "aws_secret_access_key" if !v.trim().is_empty() => cur.1 = true,
                "aws_session_token" if !v.trim().is_empty() => cur.2 = true,
                _ => {}
            }
        }
    }
    flush(current.take(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(name: &str) -> Location {
        Location::file(name)
    }

    #[test]
    fn a_bom_in_any_encoding_does_not_hide_a_cache() {
        let docs: [(CacheKind, &str); 4] = [
            (CacheKind::OidcLogin, r#"{"id_token":"x","refresh_token":"CANARY-r"}"#),
            (CacheKind::AzureKubeloginToken, r#"{"access_token":"x","refresh_token":"CANARY-r","expires_on":"1767228300"}"#),
            (CacheKind::ExecCredential, r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"CANARY-t","expirationTimestamp":"2026-01-01T00:10:00Z"}}"#),
            (CacheKind::AwsIamAuthenticator, "clusters:\n  c:\n    default:\n      r:\n        secretaccesskey: CANARY-s\n        expires: 2026-01-01T00:50:00Z\n"),
        ];
        for (kind, doc) in docs {
            let plain = parse_cache_file(kind, doc.as_bytes(), &at("c")).unwrap();
            let le: Vec<u8> = [0xFF, 0xFE]
                .into_iter()
                .chain(doc.encode_utf16().flat_map(u16::to_le_bytes))
                .collect();
            let be: Vec<u8> = [0xFE, 0xFF]
                .into_iter()
                .chain(doc.encode_utf16().flat_map(u16::to_be_bytes))
                .collect();
            let utf8: Vec<u8> = [0xEF, 0xBB, 0xBF].into_iter().chain(doc.bytes()).collect();
            for bytes in [le, be, utf8] {
                let entries = parse_cache_file(kind, &bytes, &at("c")).unwrap();
                assert_eq!(format!("{entries:?}"), format!("{plain:?}"), "{kind:?}");
            }
        }
    }

    #[test]
    fn kubelogin_file_name_splits_guids() {
        let name = "AzurePublicCloud-6dae42f8-4368-4678-94ff-3960e28e3630-80faf920-1908-4b52-b5ef-a8e7bedfc67a-408aa735-c096-4138-9246-cd19cd965624.json";
        let doc = br#"{"access_token":"CANARY-a","refresh_token":"CANARY-r","expires_on":"1767227400","not_before":"1767223800","token_type":"Bearer"}"#;
        let e = parse_cache_file(CacheKind::AzureKubeloginToken, doc, &at(name)).unwrap();
        let e = &e[0];
        assert_eq!(e.key.environment.as_deref(), Some("AzurePublicCloud"));
        assert_eq!(
            e.key.server_id.as_deref(),
            Some("6dae42f8-4368-4678-94ff-3960e28e3630")
        );
        assert_eq!(
            e.key.tenant_id.as_deref(),
            Some("408aa735-c096-4138-9246-cd19cd965624")
        );
        assert_eq!(e.expires_at.unwrap().unix_timestamp(), 1_767_227_400);
        assert_eq!(e.issued_at.unwrap().unix_timestamp(), 1_767_223_800);
        assert!(e.has_refresh_token);
        let shown = format!("{e:?}{}", serde_json::to_string(e).unwrap());
        assert!(!shown.contains("CANARY"));
    }

    #[test]
    fn aws_files() {
        let yaml = b"clusters:\n  prod:\n    default:\n      arn:aws:iam::1:role/ops:\n        accesskeyid: ASIACANARY\n        secretaccesskey: CANARY-s\n        sessiontoken: CANARY-t\n        source: AssumeRoleProvider\n        canexpire: true\n        expires: 2026-01-01T00:15:00Z\n";
        let e = parse_cache_file(CacheKind::AwsIamAuthenticator, yaml, &at("c.yaml")).unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].expires_at.unwrap().unix_timestamp(), 1_767_226_500);
        assert_eq!(e[0].key.cluster.as_deref(), Some("prod"));
        assert!(!e[0].has_long_term_key);
        let ini = b"[default]\naws_access_key_id = AKIACANARY\naws_secret_access_key = CANARY\n\n[temp]\naws_access_key_id=ASIA\naws_secret_access_key=x\naws_session_token=y\n[empty]\nregion=eu\n";
        let e = parse_cache_file(CacheKind::AwsSharedCredentials, ini, &at("credentials")).unwrap();
        assert_eq!(e.len(), 2);
        assert!(e[0].has_long_term_key);
        assert!(!e[1].has_long_term_key);
        assert_eq!(e[1].location.line, Some(5));
        assert!(!format!("{e:?}").contains("CANARY"));
    }

    #[test]
    fn garbage_is_an_error_without_input_bytes() {
        for kind in [
            CacheKind::AzureKubeloginToken,
            CacheKind::OidcLogin,
            CacheKind::GkeGcloudAuthPlugin,
            CacheKind::AwsIamAuthenticator,
            CacheKind::ExecCredential,
            CacheKind::AzureAuthRecord,
            CacheKind::AzureCliTokenCache,
        ] {
            let err = parse_cache_file(kind, b"{\"CANARY", &at("x")).unwrap_err();
            assert!(!err.to_string().contains("CANARY"), "{kind:?}");
        }
    }
}
