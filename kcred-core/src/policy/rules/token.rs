//! KC2xx: tokens and passwords.

use super::prelude::*;
use crate::credential::Credential;
use crate::policy::subject::User;

/// The documentation of the rules below (see `doc.rs`).
const DOCS: &str = include_str!("token.md");

pub(super) const RULES: &[Rule] = &[
    entry!(BasicAuth Token Error true None, &[Check::Credential(basic_auth)], Advice::only(Situation::BasicAuth)),
    entry!(TokenAndBasicAuthTogether Token Error true None, &[Check::User(token_and_basic_auth)], Advice::FIX),
];

fn basic_auth(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    matches!(c.record.credential, Credential::BasicAuth(_)).then(|| {
        format!(
            "user {} authenticates with a username and password; Kubernetes removed basic auth in 1.19",
            c.record.user
        )
        .into()
    })
}

/// A user entry with a token and basic auth: client-go refuses it.
fn token_and_basic_auth(u: &User<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    u.basic_auth.then(|| {
        format!(
            "user {} has both a token and a username/password; client-go refuses more than one authentication method",
            u.token.user
        )
        .into()
    })
}
