//! The credentials of one user entry: certificates checked against the
//! cluster CAs, tokens decoded, exec plugins and auth-providers described.

use std::path::Path;
use std::sync::Arc;

use time::OffsetDateTime;

use crate::error::{Error, Location};
use crate::exec::describe_exec;
use crate::kubeconfig::{AuthProvider, NamedUser};
use crate::platform::{detect_platform, Platform, PlatformHints};
use crate::secret::redact_url;
use crate::token::{decode_token, TokenFormat, TokenInfo};
use crate::verify::{Issuers, Verifier};
use crate::x509::CertificateInfo;

use super::build::{at, Decoded};
use super::files::data_or_file;
use super::record::{
    AuthProviderInfo, BasicAuth, ClientCertificate, ClusterRecord, Credential, CredentialRecord,
    DataSource, Impersonation, Token, Unread, PROVIDER_REMOVALS,
};
use super::ReferencedFiles;

pub(super) fn impersonation(named: &NamedUser) -> Option<Impersonation> {
    let u = &named.user;
    (u.impersonate.is_some() || u.impersonate_uid.is_some() || !u.impersonate_groups.is_empty())
        .then(|| Impersonation {
            user: u.impersonate.clone(),
            uid: u.impersonate_uid.clone(),
            groups: u.impersonate_groups.clone(),
        })
}

pub(super) fn platform_of(
    record: &CredentialRecord,
    cluster: Option<&ClusterRecord>,
    context: Option<&str>,
) -> Platform {
    let mut hints = PlatformHints {
        server: cluster.and_then(|c| c.server.as_deref()),
        context,
        user: &record.user,
        ca_common_name: cluster
            .and_then(|c| c.ca.first())
            .and_then(|ca| ca.common_name.as_deref()),
        ..PlatformHints::default()
    };
    match &record.credential {
        Credential::ClientCertificate(cc) => {
            if let Some(cert) = &cc.certificate {
                hints.cert_common_name = cert.common_name.as_deref();
                hints.cert_groups = &cert.organizations;
            }
        }
        Credential::Token(t) => {
            hints.token_prefix = match t.info.format {
                TokenFormat::OpenShiftOAuth => Some("sha256~"),
                TokenFormat::EksPresigned => Some("k8s-aws-v1."),
                _ => None,
            }
        }
        Credential::Exec(e) => hints.exec_plugin = Some(e.plugin.name()),
        Credential::AuthProvider(a) => hints.auth_provider = Some(&a.name),
        _ => {}
    }
    detect_platform(&hints)
}

/// Intermediates kept after a client certificate's leaf (real chains have one
/// or two); the rest of a bundle is reported as not examined.
pub(crate) const MAX_CLIENT_CHAIN: usize = 8;

/// A cluster's CA bundle and its index.
pub(super) type Trust<'a> = (&'a [CertificateInfo], &'a Issuers);

/// The credentials of one user entry, each with its location.
pub(super) fn user_credentials(
    named: &NamedUser,
    clusters: &[Trust<'_>],
    files: &dyn ReferencedFiles,
    decoded: &Decoded,
    verifier: &mut Verifier,
    problems: &mut Vec<Error>,
) -> Vec<(Location, Credential)> {
    let user = &named.user;
    let entry = at(&named.origin, format!("users[{}]", named.name));
    let mut out = Vec::new();
    // The entry's `{field}-data` or `{field}` path, read.
    let read = |data, path, field| data_or_file(data, path, field, &entry, files);

    let cert = read(
        user.client_certificate_data.as_deref(),
        user.client_certificate.as_deref(),
        "client-certificate",
    );
    if let Some((source, loc, bytes)) = cert {
        let bundle = bytes.and_then(|b| decoded.client_bundle(&b, &loc));
        let mut unread = None;
        // The leaf is this record's own copy; the decode and the chain are shared.
        let (leaf, certs, dropped) = bundle.unwrap_or_else(|e| {
            unread = Unread::of(&e);
            problems.push(e);
            (None, Arc::from(Vec::new()), 0)
        });
        if dropped > 0 {
            problems.push(Error::LimitReached {
                at: loc.clone(),
                what: format!(
                    "{dropped} certificates after the first {} of the client certificate bundle",
                    1 + MAX_CLIENT_CHAIN
                ),
                limit: MAX_CLIENT_CHAIN as u64,
            });
        }
        let key = read(
            user.client_key_data.as_ref().map(|s| s.expose()),
            user.client_key.as_deref(),
            "client-key",
        );
        let (key_source, key_matches) = match (key, &leaf) {
            (None, _) => (None, None),
            (Some((source, key_at, bytes)), leaf) => {
                let matches = match (bytes, leaf) {
                    (Ok(bytes), Some(leaf)) => decoded
                        .key_matches(leaf, &bytes, &key_at)
                        .unwrap_or_else(|e| {
                            problems.push(e);
                            None
                        }),
                    (Err(e), _) => {
                        problems.push(e);
                        None
                    }
                    (Ok(_), None) => None,
                };
                (Some(source), matches)
            }
        };
        let signed_by_cluster_ca = leaf
            .as_ref()
            .and_then(|leaf| signed_by_cluster_ca(leaf, &certs, clusters, verifier, &loc))
            // Certificates past the cap were not examined: one of them might
            // have led to the CA, so "not signed" is not known.
            .filter(|signed| *signed || dropped == 0);
        out.push((
            loc,
            ClientCertificate {
                source,
                certificate: leaf,
                unread,
                chain: certs,
                key_source,
                key_matches,
                signed_by_cluster_ca,
            }
            .into(),
        ));
    }

    // client-go's transport (`NewBearerAuthWithRefreshRoundTripper`) sends
    // the `tokenFile`'s token whenever the file reads; the inline `token` is
    // the fallback. Both are reported, the file's first.
    let file_token = user
        .token_file
        .as_deref()
        .filter(|p| !p.is_empty())
        .map(|path| {
            let path = Path::new(path);
            let loc = entry.clone().with_field("tokenFile");
            // Decoded once per file, however many users name it.
            let info = files
                .read_shared(path, &loc)
                .and_then(|file| decoded.token(&file, &loc));
            (DataSource::File(path.to_path_buf()), info, loc, false)
        });
    let inline_token = user.token.as_ref().filter(|t| !t.is_empty()).map(|t| {
        let loc = entry.clone().with_field("token");
        let info = decode_token(t.expose(), &loc);
        (DataSource::Inline, info, loc, file_token.is_some())
    });
    for (source, info, loc, fallback) in file_token.into_iter().chain(inline_token) {
        let mut unread = None;
        let info = info.unwrap_or_else(|e| {
            unread = Unread::of(&e);
            problems.push(e);
            opaque()
        });
        let token = Token {
            source,
            info,
            fallback,
            unread,
        };
        out.push((loc, token.into()));
    }

    if user.username.as_deref().is_some_and(|u| !u.is_empty())
        || user.password.as_ref().is_some_and(|p| !p.is_empty())
    {
        out.push((
            entry.clone().with_field("username"),
            BasicAuth {
                username: user.username.clone().unwrap_or_default(),
                has_password: user.password.as_ref().is_some_and(|p| !p.is_empty()),
            }
            .into(),
        ));
    }

    if let Some(exec) = &user.exec {
        out.push((entry.clone().with_field("exec"), describe_exec(exec).into()));
    }

    if let Some(provider) = &user.auth_provider {
        let loc = entry.clone().with_field("auth-provider");
        out.push((
            loc.clone(),
            describe_auth_provider(provider, &loc, problems).into(),
        ));
    }
    if out.is_empty() {
        // client-go sends no credential: the requests are anonymous.
        out.push((entry, Credential::None));
    }
    out
}

/// Whether `leaf` is signed by the CA of every cluster in `clusters` that has
/// one, directly or through the intermediates of its own bundle; `None` when no
/// cluster has a CA, or when the check budget left the answer unknown (then
/// noted in `verifier`, which reports it).
pub(super) fn signed_by_cluster_ca(
    leaf: &CertificateInfo,
    chain: &[CertificateInfo],
    clusters: &[Trust<'_>],
    verifier: &mut Verifier,
    at: &Location,
) -> Option<bool> {
    let clusters: Vec<&Trust<'_>> = clusters.iter().filter(|(ca, _)| !ca.is_empty()).collect();
    if clusters.is_empty() {
        return None;
    }
    verifier.admit(1 + chain.len());
    let chain_index = Issuers::new(chain);
    let mut undecided = false;
    for (ca, index) in clusters {
        let direct = verifier.issued_by_any(leaf, ca, index);
        let verdict = match direct {
            Some(true) => Some(true),
            _ => match verifier.chain_reaches(leaf, (chain, &chain_index), (ca, index)) {
                Some(false) => direct,
                through_chain => through_chain,
            },
        };
        match verdict {
            Some(true) => {}
            Some(false) => return Some(false),
            None => undecided = true,
        }
    }
    if undecided {
        verifier.undecided(at);
        return None;
    }
    Some(true)
}

pub(super) fn opaque() -> TokenInfo {
    TokenInfo {
        format: TokenFormat::Opaque,
        jwt: None,
        service_account: None,
        validity: None,
    }
}

pub(super) fn describe_auth_provider(
    p: &AuthProvider,
    at: &Location,
    problems: &mut Vec<Error>,
) -> AuthProviderInfo {
    let secret = |key: &str| p.config.get(key).filter(|s| !s.is_empty());
    let mut token = |key: &str| {
        secret(key).map(|t| {
            let loc = at.clone().with_field(format!("auth-provider.config.{key}"));
            decode_token(t.expose(), &loc).unwrap_or_else(|e| {
                problems.push(e);
                opaque()
            })
        })
    };
    let id_token = token("id-token");
    let access_token = token("access-token");
    let expiry = match (p.public("expires-on"), p.public("expiry")) {
        (Some(unix), _) => parse_expiry(
            unix,
            &at.clone().with_field("auth-provider.config.expires-on"),
            problems,
        ),
        (None, Some(rfc3339)) => parse_expiry(
            rfc3339,
            &at.clone().with_field("auth-provider.config.expiry"),
            problems,
        ),
        _ => None,
    };
    AuthProviderInfo {
        name: p.name.clone(),
        issuer: p.public("idp-issuer-url").map(redact_url),
        client_id: p.public("client-id").map(str::to_owned),
        id_token,
        access_token,
        expiry,
        has_refresh_token: secret("refresh-token").is_some(),
        has_client_secret: secret("client-secret").is_some(),
        removed_in: match p.name.as_str() {
            "azure" | "gcp" => Some(PROVIDER_REMOVALS[0]),
            _ => None,
        },
    }
}

/// `expires-on` is Unix seconds as a string (azure); `expiry` is RFC 3339 (gcp).
pub(super) fn parse_expiry(
    text: &str,
    at: &Location,
    problems: &mut Vec<Error>,
) -> Option<OffsetDateTime> {
    let text = text.trim();
    let parsed = match text.parse::<i64>() {
        Ok(secs) => crate::expiry::from_unix(secs),
        Err(_) => crate::expiry::parse_rfc3339(text),
    };
    if parsed.is_none() {
        problems.push(Error::BadTimestamp { at: at.clone() });
    }
    parsed
}
