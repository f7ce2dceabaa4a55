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
/// Returns the keys no certificate holds the public key of (every copy of a
/// paired key is left out), in file then line order.
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
        used.insert(fingerprint);
        if c.key_source.is_none() {
            c.key_source = Some(DataSource::File(keys[i].location.file.clone()));
            c.key_matches = Some(true);
        }
    }
    // Every copy of a paired key is that certificate's key, not a key alone.
    keys.retain(|k| !used.contains(&k.fingerprint));
    keys
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::scan::{scan_file, ScanReport};
    use crate::Limits;

    fn shapes(rel: &str) -> (std::path::PathBuf, Vec<u8>) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/scan/shapes");
        (
            Path::new(rel).to_path_buf(),
            std::fs::read(dir.join(rel)).unwrap(),
        )
    }

    /// A report of these files of tests/data/scan/shapes, in this order, finished.
    fn report(files: &[&str]) -> ScanReport {
        let mut report = ScanReport::default();
        for rel in files {
            let (path, bytes) = shapes(rel);
            report.add_file(crate::scan::scan_bytes(&bytes, &path, &Limits::default()));
        }
        report.finish();
        report
    }

    fn key_file(r: &CredentialRecord) -> Option<&Path> {
        match &r.credential {
            Credential::ClientCertificate(c) => match &c.key_source {
                Some(DataSource::File(p)) => Some(p),
                _ => None,
            },
            _ => None,
        }
    }

    #[test]
    fn a_certificate_pairs_with_its_key_by_public_key_in_any_order() {
        for files in [
            ["minikube/client.crt", ".minikube/k.pem", "keys/signing.key"],
            ["keys/signing.key", ".minikube/k.pem", "minikube/client.crt"],
        ] {
            let r = report(&files);
            assert_eq!(r.inventory.credentials.len(), 1);
            assert!(paired_in_tree(&r.inventory.credentials[0]));
            assert_eq!(
                key_file(&r.inventory.credentials[0]),
                Some(Path::new(".minikube/k.pem"))
            );
            // The Ed25519 key no certificate holds is left, alone.
            assert_eq!(r.private_keys.len(), 1);
            assert_eq!(
                r.private_keys[0].location.file,
                Path::new("keys/signing.key")
            );
        }
    }

    #[test]
    fn a_key_of_another_certificate_does_not_pair() {
        let r = report(&["minikube/client.crt", "pki/admin.key"]);
        assert_eq!(key_file(&r.inventory.credentials[0]), None);
        assert!(!paired_in_tree(&r.inventory.credentials[0]));
        assert_eq!(r.private_keys.len(), 1);
    }

    #[test]
    fn the_same_key_in_two_files_pairs_with_the_first_by_path() {
        let (_, key) = shapes("pki/admin.key");
        let (_, cert) = shapes("pki/admin.crt");
        let mut report = ScanReport::default();
        for (path, bytes) in [
            ("z/copy.key", &key),
            ("a/admin.key", &key),
            ("admin.crt", &cert),
        ] {
            report.add_file(crate::scan::scan_bytes(
                bytes,
                Path::new(path),
                &Limits::default(),
            ));
        }
        report.finish();
        assert_eq!(
            key_file(&report.inventory.credentials[0]),
            Some(Path::new("a/admin.key"))
        );
        // Both copies are the certificate's key: neither is reported alone.
        assert!(report.private_keys.is_empty());
        assert!(scan_file(&key, Path::new("k"), &Limits::default()).is_ok());
    }
}
