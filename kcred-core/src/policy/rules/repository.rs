//! KC5xx: credentials found in a repository or a tree by `kcred scan`.

use super::prelude::*;
use crate::credential::{Credential, CredentialRecord, DataSource};
use crate::expiry::{human_duration, ExpiryStatus};

/// The documentation of the rules below (see `doc.rs`).
const DOCS: &str = include_str!("repository.md");

pub(super) const RULES: &[Rule] = &[
    entry!(CredentialInRepository Repository Error true None, &[Check::Committed(credential_in_repository)], Advice::FIX),
];

/// The secret a record carries in the file, if any (a certificate alone is public).
fn secret_part(r: &CredentialRecord) -> Option<&'static str> {
    match &r.credential {
        Credential::ClientCertificate(c) if c.key_source == Some(DataSource::Inline) => {
            Some("private key")
        }
        Credential::Token(t) if t.source == DataSource::Inline => Some("token"),
        Credential::BasicAuth(b) if b.has_password => Some("password"),
        Credential::AuthProvider(a) if a.has_refresh_token => Some("refresh token"),
        Credential::AuthProvider(a) if a.id_token.is_some() || a.access_token.is_some() => {
            Some("cached token")
        }
        _ => None,
    }
}

/// A credential whose secret part is in the tree and that has not expired.
fn credential_in_repository(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let secret = secret_part(c.record)?;
    let until = match c.status {
        ExpiryStatus::Expired { .. } => return None,
        ExpiryStatus::Valid { remaining } => format!("for {} more", human_duration(remaining)),
        ExpiryStatus::NeverExpires => "with no expiry".to_owned(),
        ExpiryStatus::NotYetValid { .. } => "once its validity starts".to_owned(),
        ExpiryStatus::Unknown { .. } => {
            "until it is revoked (its expiry is not in the file)".to_owned()
        }
    };
    Some(
        format!(
            "{} is in the tree with its {secret}; anyone who can read it can use it {until}",
            c.who
        )
        .into(),
    )
}
