//! KC2xx: tokens and passwords.

use super::prelude::*;
use crate::credential::Credential;
use crate::policy::subject::User;

pub(super) const RULES: &[Rule] = &[
    entry!(BasicAuth Token Error true None,
        check: &[Check::Credential(basic_auth)],
        advice: Advice::only(Situation::BasicAuth),
        summary: "basic auth (username and password)",
        what: "A user entry with `username`/`password`.",
        why: "The API server removed basic-auth support in Kubernetes 1.19; a password in a kubeconfig is a reusable secret with no expiry.",
        example: "users:\n- name: admin\n  user:\n    username: admin\n    password: ...",
        fix: "Delete the entry and authenticate with an exec plugin or a short-lived token."),
    entry!(TokenAndBasicAuthTogether Token Error true None,
        check: &[Check::User(token_and_basic_auth)],
        advice: Advice::FIX,
        summary: "a user entry with both a token and basic auth",
        what: "One user entry sets `token`/`tokenFile` and `username`/`password`.",
        why: "client-go refuses such a kubeconfig (\"more than one authentication method found\"), and two secrets sit in one place.",
        example: "users:\n- name: both\n  user:\n    token: ...\n    username: admin\n    password: ...",
        fix: "Keep one authentication method per user entry."),
    entry!(UnsignedJwt Token Error true None,
        check: &[Check::Credential(unsigned_jwt)],
        advice: Advice::FIX,
        summary: "an unsigned JWT (`alg: none`)",
        what: "A `token`, `tokenFile` or auth-provider `id-token`/`access-token` that is a JWT whose header says `alg: none`.",
        why: "No API server accepts an unsigned JWT: the entry cannot authenticate, and one that claims an identity without a signature is a forgery or a test left behind.",
        example: "users:\n- name: forged\n  user:\n    token: eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
        fix: "Delete the entry and fetch a real credential from its issuer."),
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
