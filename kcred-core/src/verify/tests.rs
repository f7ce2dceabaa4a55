//! Generated bundles and chains (EC P-256 certificates made here with `ring`):
//! the number of signature checks, not the time, is what is asserted.

use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

use super::*;
use crate::credential::{inventory_in, Credential, Inventory, NoFiles};
use crate::kubeconfig::{
    Cluster, Context, Kubeconfig, NamedCluster, NamedContext, NamedUser, Origin, User,
};

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    let bytes = len.to_be_bytes();
    let significant = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    if len < 0x80 {
        out.push(len as u8);
    } else {
        out.push(0x80 | (bytes.len() - significant) as u8);
        out.extend_from_slice(&bytes[significant..]);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn name(cn: &str) -> Vec<u8> {
    let attribute = seq(&[&tlv(0x06, &[0x55, 0x04, 0x03]), &tlv(0x0c, cn.as_bytes())]);
    seq(&[&tlv(0x31, &attribute)])
}

fn integer(n: u64) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(7);
    let mut content = bytes[start..].to_vec();
    if content[0] & 0x80 != 0 {
        content.insert(0, 0);
    }
    tlv(0x02, &content)
}

struct Maker {
    rng: SystemRandom,
    serial: u64,
}

/// What one generated certificate says.
struct Spec<'a> {
    subject: &'a str,
    issuer: &'a str,
    key: &'a EcdsaKeyPair,
    signer: &'a EcdsaKeyPair,
    ca: bool,
    ski: Option<&'a [u8]>,
    aki: Option<&'a [u8]>,
}

impl<'a> Spec<'a> {
    /// A certificate with no key identifiers; `ca` says whether it is a CA.
    fn new(
        subject: &'a str,
        issuer: &'a str,
        key: &'a EcdsaKeyPair,
        signer: &'a EcdsaKeyPair,
        ca: bool,
    ) -> Self {
        Spec {
            subject,
            issuer,
            key,
            signer,
            ca,
            ski: None,
            aki: None,
        }
    }

    /// The same certificate with these key identifiers.
    fn ids(self, ski: Option<&'a [u8]>, aki: Option<&'a [u8]>) -> Self {
        Spec { ski, aki, ..self }
    }
}

impl Maker {
    fn new() -> Self {
        Maker {
            rng: SystemRandom::new(),
            serial: 1,
        }
    }

    fn key(&self) -> EcdsaKeyPair {
        let alg = &ECDSA_P256_SHA256_ASN1_SIGNING;
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &self.rng).unwrap();
        EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &self.rng).unwrap()
    }

    /// A DER certificate, ecdsa-with-SHA256.
    fn cert(&mut self, spec: &Spec<'_>) -> Vec<u8> {
        self.serial += 1;
        let alg = seq(&[&tlv(
            0x06,
            &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02],
        )]);
        let key_alg = seq(&[
            &tlv(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]),
            &tlv(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
        ]);
        let point = [&[0u8][..], spec.key.public_key().as_ref()].concat();
        let spki = seq(&[&key_alg, &tlv(0x03, &point)]);
        let validity = seq(&[&tlv(0x17, b"250101000000Z"), &tlv(0x17, b"350101000000Z")]);
        let mut extensions = Vec::new();
        if spec.ca {
            let value = seq(&[&tlv(0x01, &[0xff])]);
            extensions.push(seq(&[
                &tlv(0x06, &[0x55, 0x1d, 0x13]),
                &tlv(0x01, &[0xff]),
                &tlv(0x04, &value),
            ]));
        }
        if let Some(id) = spec.ski {
            extensions.push(seq(&[
                &tlv(0x06, &[0x55, 0x1d, 0x0e]),
                &tlv(0x04, &tlv(0x04, id)),
            ]));
        }
        if let Some(id) = spec.aki {
            let value = seq(&[&tlv(0x80, id)]);
            extensions.push(seq(&[&tlv(0x06, &[0x55, 0x1d, 0x23]), &tlv(0x04, &value)]));
        }
        let mut tbs = vec![
            tlv(0xa0, &integer(2)),
            integer(self.serial),
            alg.clone(),
            name(spec.issuer),
            validity,
            name(spec.subject),
            spki,
        ];
        if !extensions.is_empty() {
            let list: Vec<&[u8]> = extensions.iter().map(Vec::as_slice).collect();
            tbs.push(tlv(0xa3, &seq(&list)));
        }
        let parts: Vec<&[u8]> = tbs.iter().map(Vec::as_slice).collect();
        let tbs = seq(&parts);
        let signature = spec.signer.sign(&self.rng, &tbs).unwrap();
        let bits = [&[0u8][..], signature.as_ref()].concat();
        seq(&[&tbs, &alg, &tlv(0x03, &bits)])
    }
}

fn pem(ders: &[Vec<u8>]) -> String {
    let engine = &base64::engine::general_purpose::STANDARD;
    let mut out = String::new();
    for der in ders {
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        let text = engine.encode(der);
        for line in text.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(line).unwrap());
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    out
}

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// One cluster with `ca_bundle`; user `user-i` holds `user_bundles[i]`.
fn config(ca_bundle: &[Vec<u8>], user_bundles: &[Vec<Vec<u8>>]) -> Kubeconfig {
    let origin = Origin {
        file: "generated".into(),
        line: None,
        ..Origin::default()
    };
    let mut config = Kubeconfig::default();
    config.clusters.push(NamedCluster {
        name: "big".into(),
        cluster: Cluster {
            server: Some("https://big.example".into()),
            certificate_authority_data: Some(b64(&pem(ca_bundle))),
            ..Cluster::default()
        },
        origin: origin.clone(),
    });
    for (i, bundle) in user_bundles.iter().enumerate() {
        config.users.push(NamedUser {
            name: format!("user-{i}"),
            user: User {
                client_certificate_data: Some(b64(&pem(bundle))),
                ..User::default()
            },
            origin: origin.clone(),
        });
        config.contexts.push(NamedContext {
            name: format!("ctx-{i}"),
            context: Context {
                cluster: "big".into(),
                user: format!("user-{i}"),
                ..Context::default()
            },
            origin: origin.clone(),
        });
    }
    config
}

fn run(config: &Kubeconfig, limits: &Limits) -> (Inventory, u64) {
    let mut verifier = Verifier::new(limits);
    let mut inv = inventory_in(config, &NoFiles, &mut verifier, limits.threads);
    let checks = verifier.checks();
    verifier.finish(&mut inv.problems);
    (inv, checks)
}

fn verdicts(inv: &Inventory) -> Vec<Option<bool>> {
    inv.credentials
        .iter()
        .map(|r| match &r.credential {
            Credential::ClientCertificate(c) => c.signed_by_cluster_ca,
            _ => panic!("not a certificate"),
        })
        .collect()
}

#[test]
fn a_bundle_of_2000_cas_costs_one_check_per_user() {
    let mut maker = Maker::new();
    const CAS: usize = 2000;
    const USERS: usize = 500;
    let keys: Vec<EcdsaKeyPair> = (0..CAS).map(|_| maker.key()).collect();
    // Two CAs per name (a rotation): only the key identifier tells them apart.
    let names: Vec<String> = (0..CAS).map(|i| format!("ca-{}", i / 2)).collect();
    let skis: Vec<Vec<u8>> = (0..CAS).map(|i| format!("ski-{i}").into_bytes()).collect();
    let bundle: Vec<Vec<u8>> = (0..CAS)
        .map(|i| {
            maker.cert(
                &Spec::new(&names[i], &names[i], &keys[i], &keys[i], true)
                    .ids(Some(&skis[i]), Some(&skis[i])),
            )
        })
        .collect();
    let user_key = maker.key();
    let stranger = maker.key();
    let users: Vec<Vec<Vec<u8>>> = (0..USERS)
        .map(|u| {
            let ca = (u * 7) % CAS;
            // The last user names a CA but is signed by a key no CA holds.
            let signer = if u == USERS - 1 { &stranger } else { &keys[ca] };
            vec![maker.cert(
                &Spec::new(&format!("user-{u}"), &names[ca], &user_key, signer, false)
                    .ids(None, Some(&skis[ca])),
            )]
        })
        .collect();
    let config = config(&bundle, &users);
    let (inv, checks) = run(&config, &Limits::default());
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    let got = verdicts(&inv);
    assert!(got[..USERS - 1].iter().all(|v| *v == Some(true)));
    assert_eq!(got[USERS - 1], Some(false));
    assert!(checks <= USERS as u64, "{checks} signature checks");
}

/// `length` intermediates from the root to the leaf's issuer, in the bundle
/// in an order that is not the chain's; the root is the cluster's CA.
fn long_chain(maker: &mut Maker, length: usize) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let keys: Vec<EcdsaKeyPair> = (0..=length).map(|_| maker.key()).collect();
    let names: Vec<String> = (0..=length).map(|i| format!("link-{i}")).collect();
    let cert = |maker: &mut Maker, i: usize, issuer: usize| {
        maker.cert(&Spec::new(
            &names[i],
            &names[issuer],
            &keys[i],
            &keys[issuer],
            true,
        ))
    };
    let root = cert(maker, 0, 0);
    let links: Vec<Vec<u8>> = (1..=length).map(|i| cert(maker, i, i - 1)).collect();
    let leaf_key = maker.key();
    let leaf = maker.cert(&Spec::new(
        "leaf",
        &names[length],
        &leaf_key,
        &keys[length],
        false,
    ));
    // Shuffled (a stride coprime with 2,000): a scan from the front per step
    // would be quadratic.
    let mut user = vec![leaf];
    user.extend((0..length).map(|i| links[(i * 7) % length].clone()));
    (vec![root], user)
}

#[test]
fn a_chain_of_2000_links_is_walked_with_linear_checks() {
    let mut maker = Maker::new();
    const LINKS: usize = 2000;
    let (ca, user) = long_chain(&mut maker, LINKS);
    let decode = |ders: &[Vec<u8>]| -> Vec<CertificateInfo> {
        ders.iter()
            .map(|der| crate::x509::decode_der(der, &Location::file("generated")).unwrap())
            .collect()
    };
    let (ca, user) = (decode(&ca), decode(&user));
    let (leaf, chain) = user.split_first().unwrap();
    let mut verifier = Verifier::new(&Limits::default());
    verifier.admit(user.len());
    let reached = verifier.chain_reaches(
        leaf,
        (chain, &Issuers::new(chain)),
        (&ca, &Issuers::new(&ca)),
    );
    assert_eq!(reached, Some(true));
    // One check per link, and the top link against the CA.
    let checks = verifier.checks();
    assert!(checks <= 1 + LINKS as u64, "{checks} signature checks");

    // Through an inventory the bundle keeps 8 certificates after the leaf: the
    // rest is a limit-reached problem and the verdict unknown, never "not signed".
    let (ca_der, user_der) = long_chain(&mut maker, 20);
    let (inv, _) = run(&config_of(&ca_der, &user_der), &Limits::default());
    assert_eq!(verdicts(&inv), [None]);
    assert!(
        inv.problems.iter().any(|p| p.kind() == "limit-reached"),
        "{:?}",
        inv.problems
    );
}

fn config_of(ca: &[Vec<u8>], user: &[Vec<u8>]) -> Kubeconfig {
    config(ca, &[user.to_vec()])
}

#[test]
fn a_chain_that_loops_ends_not_signed() {
    let mut maker = Maker::new();
    let (a, b, root, leaf) = (maker.key(), maker.key(), maker.key(), maker.key());
    let spec = |subject, issuer, key, signer| Spec::new(subject, issuer, key, signer, true);
    let ca = maker.cert(&spec("root", "root", &root, &root));
    let a_by_b = maker.cert(&spec("a", "b", &a, &b));
    let b_by_a = maker.cert(&spec("b", "a", &b, &a));
    let leaf = maker.cert(&spec("leaf", "a", &leaf, &a));
    let config = config(&[ca], &[vec![leaf, a_by_b, b_by_a]]);
    let (inv, checks) = run(&config, &Limits::default());
    assert_eq!(verdicts(&inv), [Some(false)]);
    assert!(checks <= 3, "{checks} signature checks");
}

#[test]
fn a_spent_budget_is_a_typed_problem_never_a_no() {
    let mut maker = Maker::new();
    // 50 CAs of one name and no key identifiers: only signatures tell them apart.
    let keys: Vec<EcdsaKeyPair> = (0..50).map(|_| maker.key()).collect();
    let bundle: Vec<Vec<u8>> = keys
        .iter()
        .map(|k| maker.cert(&Spec::new("same", "same", k, k, true)))
        .collect();
    let user_key = maker.key();
    let users: Vec<Vec<Vec<u8>>> = (0..3)
        .map(|u| {
            vec![maker.cert(&Spec::new(
                &format!("user-{u}"),
                "same",
                &user_key,
                &keys[49],
                false,
            ))]
        })
        .collect();
    let config = config(&bundle, &users);

    let (inv, _) = run(&config, &Limits::default());
    assert_eq!(verdicts(&inv), [Some(true); 3]);

    let tight = Limits {
        max_signature_checks: 60,
        ..Limits::default()
    };
    let (inv, checks) = run(&config, &tight);
    // 60 + 4 per certificate: the first user's 50 checks fit, the second runs out.
    assert_eq!(checks, 60 + 3 * 4);
    assert_eq!(verdicts(&inv), [Some(true), None, None]);
    let [Error::LimitReached { at, what, limit }] = inv.problems.as_slice() else {
        panic!("{:?}", inv.problems);
    };
    assert_eq!(*limit, 72);
    assert_eq!(at.entry.as_deref(), Some("users[user-1]"));
    assert_eq!(at.field.as_deref(), Some("client-certificate-data"));
    assert!(what.contains("2 certificates"), "{what}");
}

#[test]
fn fingerprints_decode_or_are_not_cached() {
    assert_eq!(fingerprint(&"ab".repeat(32)), Some([0xab; 32]));
    assert_eq!(fingerprint("ab"), None);
    assert_eq!(fingerprint(&"zz".repeat(32)), None);
}

/// `users` users, each signed by the last of `cas` CAs that share one name.
fn same_named_cas(cas: usize, users: usize) -> Kubeconfig {
    let mut maker = Maker::new();
    let keys: Vec<EcdsaKeyPair> = (0..cas).map(|_| maker.key()).collect();
    let bundle: Vec<Vec<u8>> = keys
        .iter()
        .map(|k| maker.cert(&Spec::new("same", "same", k, k, true)))
        .collect();
    let user_key = maker.key();
    let signer = &keys[cas - 1];
    let users: Vec<Vec<Vec<u8>>> = (0..users)
        .map(|u| {
            let name = format!("user-{u}");
            vec![maker.cert(&Spec::new(&name, "same", &user_key, signer, false))]
        })
        .collect();
    config(&bundle, &users)
}

/// The inventory and check count on 1 thread, then on 2 and 3, both ways of
/// building (by reference and consuming), are the same.
fn same_on_any_threads(config: &Kubeconfig, limits: &Limits) -> (Inventory, u64) {
    let one = run(config, limits);
    for threads in [2, 3] {
        let many = Limits {
            threads,
            ..limits.clone()
        };
        let (inv, checks) = run(config, &many);
        assert_eq!(checks, one.1, "{threads} threads");
        assert!(inv == one.0, "{threads} threads: another inventory");
        let consumed =
            crate::credential::into_inventory_with_limits(config.clone(), &NoFiles, &many);
        assert!(
            consumed == one.0,
            "{threads} threads, consumed: another inventory"
        );
    }
    one
}

#[test]
fn users_on_several_threads_give_the_one_thread_inventory() {
    // 3 same-named CAs: 3 checks per user, well within the budget.
    let config = same_named_cas(3, 4 * crate::credential::MIN_CERTIFICATES_PER_THREAD);
    let (inv, checks) = same_on_any_threads(&config, &Limits::default());
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    assert!(verdicts(&inv).iter().all(|v| *v == Some(true)));
    assert_eq!(checks, 3 * config.users.len() as u64);
}

#[test]
fn a_budget_spent_on_several_threads_is_spent_as_on_one() {
    // 5 checks per user against 4 more budget per user: the budget runs out
    // part way, at the same user whatever the threads.
    let config = same_named_cas(5, 4 * crate::credential::MIN_CERTIFICATES_PER_THREAD);
    let tight = Limits {
        max_signature_checks: 100,
        ..Limits::default()
    };
    let (inv, checks) = same_on_any_threads(&config, &tight);
    let users = config.users.len() as u64;
    assert_eq!(checks, 100 + 4 * users);
    let got = verdicts(&inv);
    let decided = got.iter().take_while(|v| **v == Some(true)).count();
    assert!(decided > 0 && decided < got.len(), "{decided} decided");
    assert!(got[decided..].iter().all(Option::is_none));
    assert!(matches!(
        inv.problems.as_slice(),
        [Error::LimitReached { .. }]
    ));
}
