use base64::Engine;

use crate::error::{Error, Location};
use crate::kubeconfig::{AuthProvider, Kubeconfig, NamedUser, Origin};

use super::build::*;
use super::files::*;
use super::record::*;
use super::user::*;
use crate::kubeconfig::User;
use crate::secret::Secret;

/// A kubeconfig of these users, each defined at line 3 of `cfg`.
fn config_of<N: Into<String>>(users: impl IntoIterator<Item = (N, User)>) -> Kubeconfig {
    let origin = Origin {
        file: "cfg".into(),
        line: Some(3),
        ..Origin::default()
    };
    let users = users.into_iter().map(|(name, user)| NamedUser {
        name: name.into(),
        user,
        origin: origin.clone(),
    });
    Kubeconfig {
        users: users.collect(),
        ..Kubeconfig::default()
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
    let config = config_of([
        (
            "broken",
            User {
                client_certificate_data: Some("not base64 !!".into()),
                token: Some(Secret::new("CANARY-opaque-token")),
                ..User::default()
            },
        ),
        (
            "basic",
            User {
                username: Some("admin".into()),
                password: Some(Secret::new("CANARY-password")),
                ..User::default()
            },
        ),
    ]);
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
        let config = config_of((0..40).map(|i| {
            let user = User {
                client_certificate_data: Some(data.clone()),
                ..User::default()
            };
            (format!("u{i}"), user)
        }));
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
    let config = config_of([(
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
    )]);
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
    let mut config = config_of([(
        "files",
        User {
            token_file: Some("/nonexistent/token".into()),
            ..User::default()
        },
    )]);
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

#[test]
fn a_credential_whose_bytes_were_never_read_says_why() {
    use crate::expiry::{ExpiryStatus, UnknownReason};
    use crate::kubeconfig::Limits;
    use crate::test_support::TempDir;

    let dir = TempDir::new("unread");
    let big = dir.write("big.crt", "x".repeat(4096));
    let folder = dir.join("folder.crt");
    std::fs::create_dir(&folder).unwrap();
    let bad = dir.write("bad.crt", "not a certificate");
    let missing = dir.join("missing.crt");
    let path = |p: &std::path::Path| p.to_string_lossy().into_owned();
    let cases = [
        (path(&missing), Some(Unread::MissingFile), "(missing file)"),
        (
            path(&folder),
            Some(Unread::UnreadableFile),
            "(unreadable file)",
        ),
        (path(&big), Some(Unread::NotExamined), "(not examined)"),
        (path(&bad), None, "(undecodable)"),
    ];
    let files = DiskFiles::new(Limits {
        max_file_bytes: 1024,
        ..Limits::default()
    });
    let at = time::macros::datetime!(2026-01-01 0:00 UTC);
    for (file, unread, identity) in cases {
        for field in ["client-certificate", "tokenFile"] {
            let mut user = User::default();
            match field {
                "tokenFile" => user.token_file = Some(file.clone()),
                _ => user.client_certificate = Some(file.clone()),
            }
            let inv = inventory(&config_of([("u", user)]), &files);
            let record = &inv.credentials[0];
            let reason = match record.status(at) {
                ExpiryStatus::Unknown { reason } => reason,
                other => panic!("{file} {field}: {other:?}"),
            };
            let (got, expected_reason) = match &record.credential {
                Credential::ClientCertificate(c) => (
                    c.unread,
                    unread.map_or(UnknownReason::Undecodable, Unread::reason),
                ),
                Credential::Token(t) => (
                    t.unread,
                    unread.map_or(UnknownReason::OpaqueToken, Unread::reason),
                ),
                other => panic!("{other:?}"),
            };
            assert_eq!(got, unread, "{file} {field}");
            assert_eq!(reason, expected_reason, "{file} {field}");
            // Text that is no JWT reads as an opaque token, not a problem; a
            // file that is no certificate is undecodable.
            let opaque = unread.is_none() && field == "tokenFile";
            if !opaque {
                assert_eq!(record.identity(), identity, "{file} {field}");
            }
            let problems = usize::from(!opaque);
            assert_eq!(
                inv.problems.len(),
                problems,
                "{file} {field}: {:?}",
                inv.problems
            );
        }
    }
    // No files at all (in-memory callers): every reference is missing.
    let user = User {
        client_certificate: Some("ca.crt".into()),
        ..User::default()
    };
    let inv = inventory(&config_of([("u", user)]), &NoFiles);
    assert_eq!(inv.credentials[0].identity(), "(missing file)");
}
