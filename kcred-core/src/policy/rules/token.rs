//! KC2xx: tokens and passwords.

use super::prelude::*;
use crate::credential::Credential;
use crate::policy::subject::User;

/// The documentation of the rules below (see `doc.rs`).
const DOCS: &str = include_str!("token.md");

pub(super) const RULES: &[Rule] = &[
    entry!(BasicAuth Token Error true None, &[Check::Credential(basic_auth)], Advice::only(Situation::BasicAuth)),
    entry!(TokenAndBasicAuthTogether Token Error true None, &[Check::User(token_and_basic_auth)], Advice::FIX),
    entry!(UnsignedJwt Token Error true None, &[Check::Credential(unsigned_jwt)], Advice::FIX),
];

/// A decoded JWT of the record whose header says `alg: none`.
fn unsigned_jwt(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let tokens: Vec<&crate::token::TokenInfo> = match &c.record.credential {
        Credential::Token(t) => vec![&t.info],
        Credential::AuthProvider(a) => a.id_token.iter().chain(&a.access_token).collect(),
        _ => Vec::new(),
    };
    let unsigned = tokens.iter().any(|t| {
        t.jwt
            .as_ref()
            .and_then(|j| j.algorithm.as_deref())
            .is_some_and(|alg| alg.eq_ignore_ascii_case("none"))
    });
    unsigned.then(|| {
        format!(
            "{} is a JWT with `alg: none`: unsigned, no API server accepts it",
            c.who
        )
        .into()
    })
}

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
