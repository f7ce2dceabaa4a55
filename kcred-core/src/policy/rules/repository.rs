//! KC5xx: credentials found in a repository or a tree by `kcred scan`.

use super::prelude::*;
use crate::credential::{Credential, CredentialRecord, DataSource};
use crate::expiry::{human_duration, ExpiryStatus};
use crate::report::rfc3339;
use crate::scan::{client_auth_usable, paired_in_tree, PrivateKey};

/// The documentation of the rules below (see `doc.rs`).
const DOCS: &str = include_str!("repository.md");

pub(super) const RULES: &[Rule] = &[
    entry!(CredentialInRepository Repository Error true None, &[Check::Committed(credential_in_repository)], Advice::FIX),
    entry!(UnusableCommittedCredential Repository Warning true None, &[Check::Committed(unusable_credential_in_repository), Check::PrivateKey(private_key_alone)], Advice::FIX),
];

/// The secret a record carries in the tree, if any (a certificate alone is
/// public): in the file itself, or a private key found elsewhere in the scan
/// that holds the certificate's public key.
fn secret_part(r: &CredentialRecord) -> Option<String> {
    let found = match &r.credential {
        Credential::ClientCertificate(c) if c.key_source == Some(DataSource::Inline) => {
            "private key"
        }
        Credential::ClientCertificate(c) if paired_in_tree(r) => {
            let file = match &c.key_source {
                Some(DataSource::File(path)) if *path != r.location.file => path,
                _ => return Some("private key".to_owned()),
            };
            return Some(format!("private key ({})", file.display()));
        }
        Credential::Token(t) if t.source == DataSource::Inline => "token",
        Credential::BasicAuth(b) if b.has_password => "password",
        Credential::AuthProvider(a) if a.has_refresh_token => "refresh token",
        Credential::AuthProvider(a) if a.id_token.is_some() || a.access_token.is_some() => {
            "cached token"
        }
        _ => return None,
    };
    Some(found.to_owned())
}

/// Why a credential whose secret part is in the tree does not work as it is:
/// expired, not yet valid, or a server certificate (extendedKeyUsage without
/// clientAuth) that an API server does not take as a client certificate.
fn unusable(c: &Cred<'_>) -> Option<String> {
    match c.status {
        ExpiryStatus::Expired { since } => {
            return Some(format!("expired {} ({} ago)", c.end, human_duration(since)))
        }
        ExpiryStatus::NotYetValid { starts_in } => {
            let start = c.validity.and_then(|v| v.not_before).map(rfc3339);
            let start = start.unwrap_or_default();
            return Some(format!(
                "not valid until {start} ({} from now)",
                human_duration(starts_in)
            ));
        }
        _ => {}
    }
    let cert = credential!(c, ClientCertificate)?.certificate.as_ref()?;
    (!cert.is_ca && !client_auth_usable(cert)).then(|| {
        "its extendedKeyUsage does not allow client authentication (a server certificate)"
            .to_owned()
    })
}

/// A credential whose secret part is in the tree and that works as it is.
fn credential_in_repository(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let secret = secret_part(c.record)?;
    if unusable(c).is_some() {
        return None;
    }
    let until = match c.status {
        ExpiryStatus::Valid { remaining } => format!("for {} more", human_duration(remaining)),
        ExpiryStatus::NeverExpires => "with no expiry".to_owned(),
        ExpiryStatus::Unknown { .. } => {
            "until it is revoked (its expiry is not in the file)".to_owned()
        }
        ExpiryStatus::Expired { .. } | ExpiryStatus::NotYetValid { .. } => return None,
    };
    let who = &c.who;
    let cert = credential!(c, ClientCertificate).and_then(|cc| cc.certificate.as_ref());
    let message = if cert.is_some_and(|cert| cert.is_ca) {
        format!("{who} is in the tree with its {secret}: anyone who can read it can issue client certificates for any user and group, system:masters included, {until}")
    } else if c.record.is_system_masters() {
        format!("{who} is in the tree with its {secret} and is in group system:masters, the worst credential a repository can hold: anyone who can read it is cluster admin, RBAC cannot limit it and only a CA rotation revokes it, {until}")
    } else {
        format!("{who} is in the tree with its {secret}; anyone who can read it can use it {until}")
    };
    Some(message.into())
}

/// A credential whose secret part is in the tree but that does not work as it
/// is: still a leak, at a lower severity, with why.
fn unusable_credential_in_repository(
    c: &Cred<'_>,
    _: &RuleSettings,
    _: OffsetDateTime,
) -> Option<Hit> {
    let secret = secret_part(c.record)?;
    let why = unusable(c)?;
    Some(
        format!(
            "{} is in the tree with its {secret} but does not authenticate as it is: {why}",
            c.who
        )
        .into(),
    )
}

/// A private key whose certificate is not in the scanned tree.
fn private_key_alone(k: &Of<'_, PrivateKey>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    Some(
        format!(
            "a private key ({}) is in the tree and no certificate of the scan holds its public key: not a Kubernetes credential alone, but it authenticates with any certificate issued for it",
            k.item.label
        )
        .into(),
    )
}
