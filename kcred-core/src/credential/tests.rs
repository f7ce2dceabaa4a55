use base64::Engine;

use crate::error::{Error, Location};
use crate::kubeconfig::{AuthProvider, Kubeconfig, NamedUser, Origin};

use super::build::*;
use super::files::*;
use super::record::*;
use super::user::*;
use crate::kubeconfig::User;
use crate::secret::Secret;

fn user(name: &str, user: User) -> NamedUser {
    NamedUser {
        name: name.into(),
        user,
        origin: Origin {
            file: "cfg".into(),
            line: Some(3),
        },
    }
}

#[test]
fn base64_with_whitespace_decodes() {
    let at = Location::file("x");
    assert_eq!(decode_base64("aGVs\n bG8=\r\n", &at).unwrap(), b"hello");
    assert_eq!(decode_base64("aGVsbG8", &at).unwrap(), b"hello");
    assert!(matches!(
        decode_base64("!!!", &at),
        Err(Error::NotBase64 { .. })
    ));
}

#[test]
fn bad_data_is_a_problem_and_the_rest_still_reports() {
    let mut config = Kubeconfig::default();
    config.users.push(user(
        "broken",
        User {
            client_certificate_data: Some("not base64 !!".into()),
            token: Some(Secret::new("CANARY-opaque-token")),
            ..User::default()
        },
    ));
    config.users.push(user(
        "basic",
        User {
            username: Some("admin".into()),
            password: Some(Secret::new("CANARY-password")),
            ..User::default()
        },
    ));
    let inv = inventory(&config, &NoFiles);
    let kinds: Vec<_> = inv.credentials.iter().map(CredentialRecord::kind).collect();
    assert_eq!(
        kinds,
        [
            CredentialKind::ClientCertificate,
            CredentialKind::Token,
            CredentialKind::BasicAuth
        ]
    );
    assert_eq!(inv.problems.len(), 1);
    assert_eq!(
        inv.problems[0].to_string(),
        "cfg: users[broken].client-certificate-data (line 3): not valid base64"
    );
    let all = format!("{inv:?} {}", serde_json::to_string(&inv).unwrap());
    assert!(!all.contains("CANARY"));
}

#[test]
fn a_big_bundle_named_by_many_users_keeps_a_capped_chain_each() {
    // Any bundle longer than the cap, inline, for many users: each record
    // keeps at most MAX_CLIENT_CHAIN intermediates and says what it dropped.
    let one = include_str!("../../../tests/data/certs/chain.crt");
    for copies in [1, MAX_CLIENT_CHAIN / 2 + 1, 50] {
        let bundle = one.repeat(copies);
        let data = base64::engine::general_purpose::STANDARD.encode(&bundle);
        let mut config = Kubeconfig::default();
        for i in 0..40 {
            config.users.push(user(
                &format!("u{i}"),
                User {
                    client_certificate_data: Some(data.clone()),
                    ..User::default()
                },
            ));
        }
        let inv = inventory(&config, &NoFiles);
        let total = 2 * copies;
        let limited = inv
            .problems
            .iter()
            .filter(|p| matches!(p, Error::LimitReached { .. }))
            .count();
        assert_eq!(limited, if total > 1 + MAX_CLIENT_CHAIN { 40 } else { 0 });
        for r in &inv.credentials {
            let Credential::ClientCertificate(c) = &r.credential else {
                panic!("{r:?}")
            };
            assert!(c.certificate.is_some());
            assert_eq!(c.chain.len(), (total - 1).min(MAX_CLIENT_CHAIN));
        }
    }
}

#[test]
fn inventory_reads_back_from_its_serde_form() {
    let mut config = Kubeconfig::default();
    config.users.push(user(
        "mixed",
        User {
            token: Some(Secret::new("CANARY-opaque-token")),
            username: Some("admin".into()),
            password: Some(Secret::new("CANARY-password")),
            auth_provider: Some(Box::new(AuthProvider {
                name: "azure".into(),
                config: [("expires-on".to_owned(), Secret::new("1767225600"))].into(),
            })),
            ..User::default()
        },
    ));
    let inv = inventory(&config, &NoFiles);
    let text = serde_json::to_string(&inv).unwrap();
    let back: Inventory = serde_json::from_str(&text).unwrap();
    assert_eq!(back.credentials, inv.credentials);
    assert_eq!(back.clusters, inv.clusters);
    assert!(back.problems.is_empty());
    assert!(matches!(
        &back.credentials[2].credential,
        Credential::AuthProvider(a) if a.removed_in == Some("1.26")
    ));
}

#[test]
fn missing_referenced_file_and_missing_context_user() {
    let mut config = Kubeconfig::default();
    config.users.push(user(
        "files",
        User {
            token_file: Some("/nonexistent/token".into()),
            ..User::default()
        },
    ));
    config.contexts.push(crate::kubeconfig::NamedContext {
        name: "ctx".into(),
        context: crate::kubeconfig::Context {
            cluster: "c".into(),
            user: "ghost".into(),
            ..Default::default()
        },
        origin: Origin::default(),
    });
    let inv = inventory(&config, &NoFiles);
    assert_eq!(inv.credentials.len(), 1);
    let kinds: Vec<_> = inv.problems.iter().map(Error::kind).collect();
    assert_eq!(
        kinds,
        ["missing-reference", "missing-reference", "missing-file"]
    );
}
