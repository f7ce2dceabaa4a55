//! Certificates and private keys kept in separate files (`admin.crt` +
//! `admin.key`, `pki/*.crt|*.key`, minikube's `client.crt` / `client.key`):
//! at the end of a scan, each certificate without a key is paired with a
//! private key found anywhere in the scanned tree whose public key is the
//! certificate's. Keys are indexed by the fingerprint of their public key
//! (never by file name), and only fingerprints and places are kept.

use std::collections::{BTreeMap, BTreeSet};

use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;

use super::PrivateKey;
use crate::credential::{Credential, CredentialRecord, DataSource};
use crate::x509::CertificateInfo;

/// Pairs each certificate record of `records` that has no key with the first
/// key of `keys` (in file then line order) that holds its public key: the
/// record's key source becomes that key's file and its key is known to match.
/// Returns the keys no certificate paired with, in file then line order.
pub(super) fn pair(records: &mut [CredentialRecord], mut keys: Vec<PrivateKey>) -> Vec<PrivateKey> {
    let key = |k: &PrivateKey| (k.location.file.clone(), k.location.line);
    keys.sort_by_key(key);
    // One key written twice in a file (a PEM block that is also a document
    // value) is one key, at its first place.
    let mut seen = BTreeSet::new();
    keys.retain(|k| seen.insert((k.location.file.clone(), k.fingerprint)));
    let mut index: BTreeMap<[u8; 32], usize> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        index.entry(k.fingerprint).or_insert(i);
    }
    let mut used = BTreeSet::new();
    for record in records.iter_mut() {
        let Credential::ClientCertificate(c) = &mut record.credential else {
            continue;
        };
        let Some(fingerprint) = c
            .certificate
            .as_ref()
            .and_then(|c| c.public_key_fingerprint())
        else {
            continue;
        };
        let Some(&i) = index.get(&fingerprint) else {
            continue;
        };
        used.insert(i);
        if c.key_source.is_none() {
            c.key_source = Some(DataSource::File(keys[i].location.file.clone()));
            c.key_matches = Some(true);
        }
    }
    keys.into_iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, k)| k)
        .collect()
}

/// Whether a key found in the tree was paired with this certificate record:
/// a scan reads no file a kubeconfig names, so a key file known to match can
/// only come from [`pair`].
pub(crate) fn paired_in_tree(record: &CredentialRecord) -> bool {
    matches!(&record.credential, Credential::ClientCertificate(c)
        if matches!(c.key_source, Some(DataSource::File(_))) && c.key_matches == Some(true))
}

/// Whether an API server would accept the certificate as a client
/// certificate: no extendedKeyUsage, or one that lists clientAuth or any
/// usage. A server certificate with its key is a leak, not a credential.
pub(crate) fn client_auth_usable(cert: &CertificateInfo) -> bool {
    let Ok((_, parsed)) = X509Certificate::from_der(cert.der()) else {
        return true;
    };
    match parsed.extended_key_usage() {
        Ok(Some(eku)) => eku.value.any || eku.value.client_auth,
        _ => true,
    }
}
