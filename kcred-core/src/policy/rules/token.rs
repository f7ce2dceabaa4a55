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
