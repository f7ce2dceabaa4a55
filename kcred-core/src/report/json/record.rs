//! The records of the JSON documents, serialized straight from the inventory:
//! each view borrows its record and declares its fields in sorted key order,
//! the order `serde_json::Map` (and so `docs/json-schema.md`) gives them. No
//! `serde_json::Value` is built for a record.
//!
//! The byte-identity tests (`tests/tests/json_bytes.rs`) render a rich corpus
//! both ways: these views, and the `Value` documents they replaced.

use std::path::Path;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::super::{AsRfc3339, UtcRfc3339};
use crate::credential::{
    AuthProviderInfo, BasicAuth, ClientCertificate, ClusterRecord, Credential, CredentialRecord,
    DataSource, Impersonation, Token, Unread,
};
use crate::error::Location;
use crate::exec::ExecInfo;
use crate::expiry::{ExpiryStatus, UnknownReason, Validity};
use crate::token::{JwtInfo, ServiceAccountInfo, TokenFormat, TokenInfo};
use crate::x509::{CertificateInfo, KeyInfo};

/// One credential record with its status at an instant.
#[derive(Serialize)]
pub(crate) struct CredentialJson<'a> {
    clusters: &'a [String],
    contexts: &'a [String],
    details: Option<DetailsJson<'a>>,
    identity: String,
    impersonation: Option<ImpersonationJson<'a>>,
    kind: &'static str,
    lifetime_seconds: Option<i64>,
    location: LocationJson<'a>,
    never_expires: bool,
    not_after: Option<UtcRfc3339>,
    not_before: Option<UtcRfc3339>,
    platform: &'static str,
    /// Computed only with an RBAC snapshot: written through its `Value`.
    privileges: Option<ViaValue<'a, crate::rbac::Privileges>>,
    remaining_seconds: Option<i64>,
    status: &'static str,
    unknown_reason: Option<UnknownReason>,
    user: &'a str,
}

impl<'a> CredentialJson<'a> {
    /// The record at `now`.
    pub(crate) fn new(record: &'a CredentialRecord, now: OffsetDateTime) -> Self {
        let validity = record.validity();
        let status = record.status(now);
        CredentialJson {
            clusters: &record.clusters,
            contexts: &record.contexts,
            details: DetailsJson::of(&record.credential),
            identity: record.identity(),
            impersonation: record.impersonation.as_ref().map(ImpersonationJson),
            kind: record.kind().name(),
            lifetime_seconds: validity
                .and_then(|v| v.lifetime())
                .map(|d| d.whole_seconds()),
            location: LocationJson(&record.location),
            never_expires: validity.is_some_and(|v| v.never_expires),
            not_after: validity.and_then(|v| v.not_after).map(UtcRfc3339),
            not_before: validity.and_then(|v| v.not_before).map(UtcRfc3339),
            platform: record.platform.name(),
            privileges: record.privileges.as_deref().map(ViaValue),
            remaining_seconds: remaining_seconds(status),
            status: status.name(),
            unknown_reason: match status {
                ExpiryStatus::Unknown { reason } => Some(reason),
                _ => None,
            },
            user: &record.user,
        }
    }
}

/// Seconds until the end (negative: since the end), for a valid or expired status.
pub(crate) fn remaining_seconds(status: ExpiryStatus) -> Option<i64> {
    match status {
        ExpiryStatus::Valid { remaining } => Some(remaining.whole_seconds()),
        ExpiryStatus::Expired { since } => Some(-since.whole_seconds()),
        _ => None,
    }
}

/// One cluster record with its CA's status at an instant.
#[derive(Serialize)]
pub(crate) struct ClusterJson<'a> {
    ca: Option<CertificateJson<'a>>,
    ca_not_after: Option<UtcRfc3339>,
    ca_source: Option<DataSourceJson<'a>>,
    ca_status: Option<&'static str>,
    contexts: &'a [String],
    insecure_skip_tls_verify: bool,
    location: LocationJson<'a>,
    name: &'a str,
    server: Option<&'a str>,
}

impl<'a> ClusterJson<'a> {
    /// The record at `now`.
    pub(crate) fn new(c: &'a ClusterRecord, now: OffsetDateTime) -> Self {
        let ca = c.ca.first();
        ClusterJson {
            ca: ca.map(CertificateJson),
            ca_not_after: ca.and_then(|ca| ca.validity.not_after).map(UtcRfc3339),
            ca_source: c.ca_source.as_ref().map(DataSourceJson),
            ca_status: ca.map(|ca| ca.validity.status(now).name()),
            contexts: &c.contexts,
            insecure_skip_tls_verify: c.insecure_skip_tls_verify,
            location: LocationJson(&c.location),
            name: &c.name,
            server: c.server.as_deref(),
        }
    }
}

/// A record's `details`: the credential's payload without its kind tag.
#[derive(Serialize)]
#[serde(untagged)]
enum DetailsJson<'a> {
    ClientCertificate(ClientCertificateJson<'a>),
    Token(TokenJson<'a>),
    BasicAuth(BasicAuthJson<'a>),
    Exec(ExecJson<'a>),
    AuthProvider(AuthProviderJson<'a>),
}

impl<'a> DetailsJson<'a> {
    /// `None` (`null`) for a record without a credential.
    fn of(credential: &'a Credential) -> Option<Self> {
        Some(match credential {
            Credential::ClientCertificate(c) => DetailsJson::ClientCertificate(c.as_ref().into()),
            Credential::Token(t) => DetailsJson::Token(t.as_ref().into()),
            Credential::BasicAuth(b) => DetailsJson::BasicAuth(b.as_ref().into()),
            Credential::Exec(e) => DetailsJson::Exec(e.as_ref().into()),
            Credential::AuthProvider(a) => DetailsJson::AuthProvider(a.as_ref().into()),
            Credential::None => return None,
        })
    }
}

/// A [`Location`]: `column`, `entry`, `field`, `file`, `line`.
pub(crate) struct LocationJson<'a>(pub(crate) &'a Location);

impl Serialize for LocationJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Sorted<'a> {
            column: Option<u32>,
            entry: Option<&'a str>,
            field: Option<&'a str>,
            file: &'a Path,
            line: Option<u32>,
        }
        let l = self.0;
        Sorted {
            column: l.column,
            entry: l.entry.as_deref(),
            field: l.field.as_deref(),
            file: &l.file,
            line: l.line,
        }
        .serialize(serializer)
    }
}

/// A [`DataSource`]: `{"type": "inline"}` or `{"path": …, "type": "file"}`.
pub(crate) struct DataSourceJson<'a>(pub(crate) &'a DataSource);

impl Serialize for DataSourceJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            DataSource::Inline => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("type", "inline")?;
                map.end()
            }
            DataSource::File(path) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("path", path)?;
                map.serialize_entry("type", "file")?;
                map.end()
            }
        }
    }
}

/// A [`CertificateInfo`], its fields in sorted order.
pub(crate) struct CertificateJson<'a>(pub(crate) &'a CertificateInfo);

impl Serialize for CertificateJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Sorted<'a> {
            common_name: Option<&'a str>,
            is_ca: bool,
            issuer: &'a str,
            issuer_common_name: Option<&'a str>,
            /// `algorithm`, `bits`, `curve`: declared sorted.
            key: &'a KeyInfo,
            organizations: &'a [String],
            self_issued: bool,
            serial: &'a str,
            sha256_fingerprint: &'a str,
            signature_algorithm: &'a str,
            subject: &'a str,
            validity: ValidityJson,
        }
        let c = self.0;
        Sorted {
            common_name: c.common_name.as_deref(),
            is_ca: c.is_ca,
            issuer: &c.issuer,
            issuer_common_name: c.issuer_common_name.as_deref(),
            key: &c.key,
            organizations: &c.organizations,
            self_issued: c.self_issued,
            serial: &c.serial,
            sha256_fingerprint: &c.sha256_fingerprint,
            signature_algorithm: &c.signature_algorithm,
            subject: &c.subject,
            validity: ValidityJson(c.validity),
        }
        .serialize(serializer)
    }
}

/// A list of certificates, each as [`CertificateJson`].
pub(crate) struct CertificatesJson<'a>(pub(crate) &'a [CertificateInfo]);

impl Serialize for CertificatesJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(CertificateJson))
    }
}

/// A [`Validity`]: `never_expires`, `not_after`, `not_before`.
pub(crate) struct ValidityJson(pub(crate) Validity);

impl Serialize for ValidityJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Sorted {
            never_expires: bool,
            not_after: Option<AsRfc3339>,
            not_before: Option<AsRfc3339>,
        }
        let v = self.0;
        Sorted {
            never_expires: v.never_expires,
            not_after: v.not_after.map(AsRfc3339),
            not_before: v.not_before.map(AsRfc3339),
        }
        .serialize(serializer)
    }
}

/// The `details` of a client certificate.
#[derive(Serialize)]
struct ClientCertificateJson<'a> {
    certificate: Option<CertificateJson<'a>>,
    chain: CertificatesJson<'a>,
    key_matches: Option<bool>,
    key_source: Option<DataSourceJson<'a>>,
    signed_by_cluster_ca: Option<bool>,
    source: DataSourceJson<'a>,
    unread: Option<Unread>,
}

impl<'a> From<&'a ClientCertificate> for ClientCertificateJson<'a> {
    fn from(c: &'a ClientCertificate) -> Self {
        ClientCertificateJson {
            certificate: c.certificate.as_ref().map(CertificateJson),
            chain: CertificatesJson(&c.chain),
            key_matches: c.key_matches,
            key_source: c.key_source.as_ref().map(DataSourceJson),
            signed_by_cluster_ca: c.signed_by_cluster_ca,
            source: DataSourceJson(&c.source),
            unread: c.unread,
        }
    }
}

/// The `details` of a bearer token.
#[derive(Serialize)]
struct TokenJson<'a> {
    fallback: bool,
    info: TokenInfoJson<'a>,
    source: DataSourceJson<'a>,
    unread: Option<Unread>,
}

impl<'a> From<&'a Token> for TokenJson<'a> {
    fn from(t: &'a Token) -> Self {
        TokenJson {
            fallback: t.fallback,
            info: TokenInfoJson(&t.info),
            source: DataSourceJson(&t.source),
            unread: t.unread,
        }
    }
}

/// A [`TokenInfo`]: `format`, `jwt`, `service_account`, `validity`.
pub(crate) struct TokenInfoJson<'a>(pub(crate) &'a TokenInfo);

impl Serialize for TokenInfoJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Sorted<'a> {
            format: TokenFormat,
            jwt: Option<JwtJson<'a>>,
            service_account: Option<ServiceAccountJson<'a>>,
            validity: Option<ValidityJson>,
        }
        let t = self.0;
        Sorted {
            format: t.format,
            jwt: t.jwt.as_deref().map(JwtJson),
            service_account: t.service_account.as_deref().map(ServiceAccountJson),
            validity: t.validity.map(ValidityJson),
        }
        .serialize(serializer)
    }
}

/// A [`JwtInfo`], its fields in sorted order.
struct JwtJson<'a>(&'a JwtInfo);

impl Serialize for JwtJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Sorted<'a> {
            algorithm: Option<&'a str>,
            audience: &'a [String],
            /// A `serde_json::Map`: its keys come sorted.
            claims: &'a Map<String, Value>,
            expires_at: Option<AsRfc3339>,
            issued_at: Option<AsRfc3339>,
            issuer: Option<&'a str>,
            jwt_id: Option<&'a str>,
            key_id: Option<&'a str>,
            not_before: Option<AsRfc3339>,
            subject: Option<&'a str>,
            verified: bool,
        }
        let j = self.0;
        Sorted {
            algorithm: j.algorithm.as_deref(),
            audience: &j.audience,
            claims: &j.claims,
            expires_at: j.expires_at.map(AsRfc3339),
            issued_at: j.issued_at.map(AsRfc3339),
            issuer: j.issuer.as_deref(),
            jwt_id: j.jwt_id.as_deref(),
            key_id: j.key_id.as_deref(),
            not_before: j.not_before.map(AsRfc3339),
            subject: j.subject.as_deref(),
            verified: j.verified,
        }
        .serialize(serializer)
    }
}

/// A [`ServiceAccountInfo`], its fields in sorted order.
struct ServiceAccountJson<'a>(&'a ServiceAccountInfo);

impl Serialize for ServiceAccountJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Sorted<'a> {
            bound_node: Option<&'a str>,
            bound_pod: Option<&'a str>,
            bound_secret: Option<&'a str>,
            name: Option<&'a str>,
            namespace: Option<&'a str>,
            secret: Option<&'a str>,
            uid: Option<&'a str>,
            warn_after: Option<AsRfc3339>,
        }
        let s = self.0;
        Sorted {
            bound_node: s.bound_node.as_deref(),
            bound_pod: s.bound_pod.as_deref(),
            bound_secret: s.bound_secret.as_deref(),
            name: s.name.as_deref(),
            namespace: s.namespace.as_deref(),
            secret: s.secret.as_deref(),
            uid: s.uid.as_deref(),
            warn_after: s.warn_after.map(AsRfc3339),
        }
        .serialize(serializer)
    }
}

/// The `details` of basic auth.
#[derive(Serialize)]
struct BasicAuthJson<'a> {
    has_password: bool,
    username: &'a str,
}

impl<'a> From<&'a BasicAuth> for BasicAuthJson<'a> {
    fn from(b: &'a BasicAuth) -> Self {
        BasicAuthJson {
            has_password: b.has_password,
            username: &b.username,
        }
    }
}

/// The `details` of an exec plugin.
#[derive(Serialize)]
struct ExecJson<'a> {
    api_version: Option<&'a str>,
    args: &'a [String],
    command: &'a str,
    env_names: &'a [String],
    has_install_hint: bool,
    interactive_mode: Option<&'a str>,
    /// An enum of a few small variants: written through its `Value`.
    plugin: ViaValue<'a, crate::exec::ExecPlugin>,
    provide_cluster_info: bool,
    secret_in_args: bool,
}

impl<'a> From<&'a ExecInfo> for ExecJson<'a> {
    fn from(e: &'a ExecInfo) -> Self {
        ExecJson {
            api_version: e.api_version.as_deref(),
            args: &e.args,
            command: &e.command,
            env_names: &e.env_names,
            has_install_hint: e.has_install_hint,
            interactive_mode: e.interactive_mode.as_deref(),
            plugin: ViaValue(&e.plugin),
            provide_cluster_info: e.provide_cluster_info,
            secret_in_args: e.secret_in_args,
        }
    }
}

/// The `details` of an auth-provider.
#[derive(Serialize)]
struct AuthProviderJson<'a> {
    access_token: Option<TokenInfoJson<'a>>,
    client_id: Option<&'a str>,
    expiry: Option<AsRfc3339>,
    has_client_secret: bool,
    has_refresh_token: bool,
    id_token: Option<TokenInfoJson<'a>>,
    issuer: Option<&'a str>,
    name: &'a str,
    removed_in: Option<&'static str>,
}

impl<'a> From<&'a AuthProviderInfo> for AuthProviderJson<'a> {
    fn from(a: &'a AuthProviderInfo) -> Self {
        AuthProviderJson {
            access_token: a.access_token.as_ref().map(TokenInfoJson),
            client_id: a.client_id.as_deref(),
            expiry: a.expiry.map(AsRfc3339),
            has_client_secret: a.has_client_secret,
            has_refresh_token: a.has_refresh_token,
            id_token: a.id_token.as_ref().map(TokenInfoJson),
            issuer: a.issuer.as_deref(),
            name: &a.name,
            removed_in: a.removed_in,
        }
    }
}

/// An [`Impersonation`]: `groups`, `uid`, `user`.
struct ImpersonationJson<'a>(&'a Impersonation);

impl Serialize for ImpersonationJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let i = self.0;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("groups", &i.groups)?;
        map.serialize_entry("uid", &i.uid)?;
        map.serialize_entry("user", &i.user)?;
        map.end()
    }
}

/// A value written through its `serde_json::Value`, which sorts its keys: for
/// the few parts that are rare and nested deep (RBAC privileges, an exec
/// plugin's facts), where a view of every type would buy nothing measurable.
pub(crate) struct ViaValue<'a, T>(pub(crate) &'a T);

impl<T: Serialize> Serialize for ViaValue<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::to_value(self.0)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}
