//! Control-plane PKI mode: what `kubeadm certs check-expiration` shows, from the
//! files of a kubeadm `/etc/kubernetes` tree, plus the kubelet's rotating client
//! certificate and every other certificate under `pki/` and `pki/etcd/`.
//!
//! [`load_pki`] reads a node's folders through the input boundary; underneath,
//! [`pki_report`] is pure: files are read through a [`ReferencedFiles`] (the
//! caller lists the extra certificates it found; [`crate::DiskFiles`] reads from
//! disk).
// Residual times subtract dates read from certificates: checked, never a panic.
#![deny(clippy::arithmetic_side_effects)]

use std::path::{Path, PathBuf};

use serde::Serialize;
use time::OffsetDateTime;

use crate::credential::{
    inventory_in, ClientCertificate, Credential, CredentialRecord, DataSource, Inventory,
    ReferencedFiles,
};
use crate::error::{Error, Location};
use crate::fs::{list_dir, SharedFile};
use crate::kubeconfig::{parse_file_bytes, Limits};
use crate::platform::Platform;
use crate::verify::{Issuers, Verifier};
use crate::x509::{decode_certificates, CertificateInfo};

/// Where kubeadm puts its files when nothing says otherwise.
pub const KUBEADM_DIR: &str = "/etc/kubernetes";
/// The kubelet's state folder when nothing says otherwise.
pub const KUBELET_DIR: &str = "/var/lib/kubelet";

/// The two folders a control-plane node keeps its credentials in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkiLayout {
    /// The kubeadm folder (`/etc/kubernetes`): `*.conf` and `pki/`.
    pub dir: PathBuf,
    /// The kubelet folder (`/var/lib/kubelet`): `pki/kubelet-client-current.pem`.
    pub kubelet_dir: PathBuf,
}

impl Default for PkiLayout {
    fn default() -> Self {
        PkiLayout {
            dir: KUBEADM_DIR.into(),
            kubelet_dir: KUBELET_DIR.into(),
        }
    }
}

/// Certificate-looking files (`*.crt`, `*.pem`, `*.cert`) directly in `pki/`
/// and `pki/etcd/` of `layout`, sorted, for [`pki_report`]'s `others`; with
/// what could not be listed, and [`Error::LimitReached`] when a folder holds
/// more than [`Limits::max_dir_entries`] of them (the rest are not examined).
///
/// ```no_run
/// use kcred_core::{pki_certificate_files, Limits, PkiLayout};
/// let (others, problems) = pki_certificate_files(&PkiLayout::default(), &Limits::default());
/// ```
pub fn pki_certificate_files(layout: &PkiLayout, limits: &Limits) -> (Vec<PathBuf>, Vec<Error>) {
    let pki = layout.dir.join("pki");
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    for dir in [pki.clone(), pki.join("etcd")] {
        let listing = list_dir(&dir, limits, |e| {
            !e.is_dir
                && matches!(
                    Path::new(&e.name).extension().and_then(|x| x.to_str()),
                    Some("crt" | "pem" | "cert")
                )
        });
        files.extend(listing.entries.into_iter().map(|e| e.path));
        problems.extend(listing.problems);
    }
    (files, problems)
}

/// The PKI report of the folders of `layout`, read from disk: the walk of
/// `pki/` and `pki/etcd/` ([`pki_certificate_files`]) then [`pki_report`] with
/// [`crate::DiskFiles`]; what could not be listed comes first in
/// `report.inventory.problems`.
///
/// ```no_run
/// use kcred_core::{load_pki, Limits, PkiLayout};
/// let report = load_pki(&PkiLayout::default(), &Limits::default());
/// println!("{} certificate rows", report.certificates.len());
/// ```
pub fn load_pki(layout: &PkiLayout, limits: &Limits) -> PkiReport {
    let (others, listing_problems) = pki_certificate_files(layout, limits);
    let files = crate::credential::DiskFiles::new(limits.clone());
    let mut report = pki_report(layout, &others, &files, limits);
    report.inventory.problems.splice(0..0, listing_problems);
    report
}

/// What a row is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum PkiSource {
    /// A PEM certificate file.
    CertificateFile,
    /// A kubeconfig whose current user holds the certificate.
    Kubeconfig,
}

/// One row of the certificate or CA table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PkiEntry {
    /// kubeadm's name (`apiserver`, `admin.conf`, `etcd-ca`), or for other files the
    /// path under `pki/` without extension (`etcd/custom`).
    pub name: String,
    /// The file read.
    pub file: PathBuf,
    /// Certificate file or kubeconfig.
    pub source: PkiSource,
    /// Whether `kubeadm certs check-expiration` lists this row too.
    pub listed_by_kubeadm: bool,
    /// The CA that signs it (`ca`, `etcd-ca`, `front-proxy-ca`); `None` for CAs
    /// and certificates no known CA signs.
    pub ca_name: Option<String>,
    /// kubeadm's "externally managed": for a CA, its certificate is present and its
    /// key is not; for a certificate, its CA is externally managed.
    pub externally_managed: bool,
    /// The file does not exist.
    pub missing: bool,
    /// The certificate, when the file exists and decodes.
    pub certificate: Option<CertificateInfo>,
}

impl PkiEntry {
    /// kubeadm's residual time: whole seconds from `now` to notAfter (negative
    /// once expired), `None` without a certificate.
    pub fn residual_seconds(&self, now: OffsetDateTime) -> Option<i64> {
        let end = self.certificate.as_ref()?.validity.not_after?;
        Some(crate::expiry::span(now, end).whole_seconds())
    }
}

/// Both tables, and the inventory that policies are evaluated on.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PkiReport {
    /// Certificates: kubeadm's rows in kubeadm's order, then the others.
    pub certificates: Vec<PkiEntry>,
    /// Certificate authorities: `ca`, `etcd-ca`, `front-proxy-ca`, then any other CA.
    pub authorities: Vec<PkiEntry>,
    /// One record per distinct certificate (CAs included) plus everything else the
    /// kubeconfigs hold, and every problem other than a missing row file.
    pub inventory: Inventory,
}

struct Known {
    name: &'static str,
    path: &'static str,
    ca: &'static str,
    source: PkiSource,
    kubeadm: bool,
}

const fn cert(name: &'static str, path: &'static str, ca: &'static str) -> Known {
    Known {
        name,
        path,
        ca,
        source: PkiSource::CertificateFile,
        kubeadm: true,
    }
}

const fn conf(name: &'static str, kubeadm: bool) -> Known {
    Known {
        name,
        path: name,
        ca: "ca",
        source: PkiSource::Kubeconfig,
        kubeadm,
    }
}

/// kubeadm's renewal list (cmd/kubeadm/app/phases/certs/renewal), sorted by
/// name as kubeadm prints it, then the kubelet's kubeconfig that kubeadm leaves out.
const KNOWN: &[Known] = &[
    conf("admin.conf", true),
    cert("apiserver", "pki/apiserver.crt", "ca"),
    cert(
        "apiserver-etcd-client",
        "pki/apiserver-etcd-client.crt",
        "etcd-ca",
    ),
    cert(
        "apiserver-kubelet-client",
        "pki/apiserver-kubelet-client.crt",
        "ca",
    ),
    conf("controller-manager.conf", true),
    cert(
        "etcd-healthcheck-client",
        "pki/etcd/healthcheck-client.crt",
        "etcd-ca",
    ),
    cert("etcd-peer", "pki/etcd/peer.crt", "etcd-ca"),
    cert("etcd-server", "pki/etcd/server.crt", "etcd-ca"),
    cert(
        "front-proxy-client",
        "pki/front-proxy-client.crt",
        "front-proxy-ca",
    ),
    conf("scheduler.conf", true),
    conf("super-admin.conf", true),
    conf("kubelet.conf", false),
];

/// kubeadm's CAs: name, certificate, key.
const AUTHORITIES: &[(&str, &str, &str)] = &[
    ("ca", "pki/ca.crt", "pki/ca.key"),
    ("etcd-ca", "pki/etcd/ca.crt", "pki/etcd/ca.key"),
    (
        "front-proxy-ca",
        "pki/front-proxy-ca.crt",
        "pki/front-proxy-ca.key",
    ),
];

/// The kubelet's client certificate, relative to the kubelet folder.
const KUBELET_CLIENT: &str = "pki/kubelet-client-current.pem";

impl PkiLayout {
    /// The files this layout names: kubeadm's certificates and kubeconfigs, the CA
    /// certificates and keys, and the kubelet client certificate. Anything else
    /// found under `pki/` is "other".
    pub fn known_files(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = KNOWN.iter().map(|k| self.dir.join(k.path)).collect();
        for (_, crt, key) in AUTHORITIES {
            out.push(self.dir.join(crt));
            out.push(self.dir.join(key));
        }
        out.push(self.kubelet_dir.join(KUBELET_CLIENT));
        out
    }

    /// Paths written in the kubeconfigs point at the default folders
    /// (`/var/lib/kubelet/pki/...`); when the layout is a copy elsewhere they are
    /// read from the copy.
    fn rebase(&self, path: &Path) -> PathBuf {
        for (default, actual) in [(KUBEADM_DIR, &self.dir), (KUBELET_DIR, &self.kubelet_dir)] {
            if let Ok(rest) = path.strip_prefix(default) {
                return actual.join(rest);
            }
        }
        path.to_path_buf()
    }
}

struct Rebased<'a> {
    layout: &'a PkiLayout,
    files: &'a dyn ReferencedFiles,
}

impl ReferencedFiles for Rebased<'_> {
    fn read(&self, path: &Path, at: &Location) -> Result<Vec<u8>, Error> {
        self.files.read(&self.layout.rebase(path), at)
    }

    fn read_shared(&self, path: &Path, at: &Location) -> Result<SharedFile, Error> {
        self.files.read_shared(&self.layout.rebase(path), at)
    }
}

/// What reading one row's file gave.
enum Read {
    Missing,
    Failed(Error),
    Bytes(Vec<u8>),
}

fn read(files: &dyn ReferencedFiles, path: &Path) -> Read {
    match files.read(path, &Location::file(path)) {
        Ok(bytes) => Read::Bytes(bytes),
        Err(Error::MissingFile { .. }) => Read::Missing,
        Err(e) => Read::Failed(e),
    }
}

/// A record for a certificate read from a file: no user, the entry is its name.
fn file_record(name: &str, path: &Path, cert: CertificateInfo) -> CredentialRecord {
    CredentialRecord {
        user: String::new(),
        contexts: Vec::new(),
        clusters: Vec::new(),
        location: Location::file(path).with_entry(name),
        platform: Platform::Kubeadm,
        impersonation: None,
        privileges: None,
        credential: ClientCertificate {
            source: DataSource::File(path.to_path_buf()),
            certificate: Some(cert),
            chain: Vec::new().into(),
            key_source: None,
            key_matches: None,
            signed_by_cluster_ca: None,
            unread: None,
        }
        .into(),
    }
}

/// Builds both tables for `layout`. `others` are further certificate files the
/// caller found under `pki/` and `pki/etcd/` (files named by the layout are
/// skipped; files that hold no certificate, like `sa.pub`, are left out quietly).
///
/// Missing files become rows marked [`PkiEntry::missing`], not problems: a
/// secondary control-plane node has no `super-admin.conf`, a worker has no CA keys.
pub fn pki_report(
    layout: &PkiLayout,
    others: &[PathBuf],
    files: &dyn ReferencedFiles,
    limits: &Limits,
) -> PkiReport {
    let mut report = PkiReport::default();
    let mut records: Vec<CredentialRecord> = Vec::new();
    // One budget and one verdict cache for every check of the report.
    let mut verifier = Verifier::new(limits);

    // The CAs first: rows below need to know which are externally managed.
    for (name, crt, key) in AUTHORITIES {
        let path = layout.dir.join(crt);
        let mut entry = ca_entry(name, &path, true);
        match read(files, &path) {
            Read::Missing => entry.missing = true,
            Read::Failed(e) => report.inventory.problems.push(e),
            Read::Bytes(bytes) => {
                match decode_certificates(&bytes, &Location::file(&path)) {
                    Ok(mut certs) => entry.certificate = Some(certs.remove(0)),
                    Err(e) => report.inventory.problems.push(e),
                }
                entry.externally_managed =
                    matches!(read(files, &layout.dir.join(key)), Read::Missing);
            }
        }
        report.authorities.push(entry);
    }

    let rebased = Rebased { layout, files };
    for known in KNOWN {
        let path = layout.dir.join(known.path);
        let mut entry = PkiEntry {
            name: known.name.to_owned(),
            file: path.clone(),
            source: known.source,
            listed_by_kubeadm: known.kubeadm,
            ca_name: Some(known.ca.to_owned()),
            externally_managed: ca_external(&report.authorities, known.ca),
            missing: false,
            certificate: None,
        };
        match (read(files, &path), known.source) {
            (Read::Missing, _) => entry.missing = true,
            (Read::Failed(e), _) => report.inventory.problems.push(e),
            (Read::Bytes(bytes), PkiSource::CertificateFile) => {
                match decode_certificates(&bytes, &Location::file(&path)) {
                    Ok(mut certs) => {
                        let cert = certs.remove(0);
                        records.push(file_record(known.name, &path, cert.clone()));
                        entry.certificate = Some(cert);
                    }
                    Err(e) => report.inventory.problems.push(e),
                }
            }
            (Read::Bytes(bytes), PkiSource::Kubeconfig) => {
                let loaded = parse_file_bytes(&bytes, &path, limits);
                let inv = inventory_in(&loaded.config, &rebased, &mut verifier, 1);
                entry.certificate = kubeconfig_certificate(&loaded.config, &inv);
                report.inventory.problems.extend(loaded.problems);
                // Its `# kcred: ignore[...]` comments, as `check` reads them.
                report.inventory.suppressions.extend(loaded.suppressions);
                records.extend(inv.credentials);
                report.inventory.clusters.extend(inv.clusters);
                report.inventory.problems.extend(inv.problems);
            }
        }
        report.certificates.push(entry);
    }

    let kubelet = layout.kubelet_dir.join(KUBELET_CLIENT);
    let mut entry = PkiEntry {
        name: "kubelet-client-current".to_owned(),
        file: kubelet.clone(),
        source: PkiSource::CertificateFile,
        listed_by_kubeadm: false,
        ca_name: Some("ca".to_owned()),
        externally_managed: ca_external(&report.authorities, "ca"),
        missing: false,
        certificate: None,
    };
    match read(files, &kubelet) {
        Read::Missing => entry.missing = true,
        Read::Failed(e) => report.inventory.problems.push(e),
        Read::Bytes(bytes) => match decode_certificates(&bytes, &Location::file(&kubelet)) {
            Ok(mut certs) => {
                let cert = certs.remove(0);
                records.push(file_record(&entry.name, &kubelet, cert.clone()));
                entry.certificate = Some(cert);
            }
            Err(e) => report.inventory.problems.push(e),
        },
    }
    report.certificates.push(entry);

    let known = layout.known_files();
    let pki = layout.dir.join("pki");
    let mut others: Vec<&PathBuf> = others.iter().filter(|p| !known.contains(p)).collect();
    others.sort();
    others.dedup();
    let mut extra_cas = Vec::new();
    // kubeadm's CAs, indexed once for the signer of each other certificate.
    let authority_certs: Vec<CertificateInfo> = report
        .authorities
        .iter()
        .filter_map(|ca| ca.certificate.clone())
        .collect();
    let authority_index = Issuers::new(&authority_certs);
    for path in others {
        let bytes = match read(files, path) {
            Read::Bytes(bytes) => bytes,
            Read::Missing => continue,
            Read::Failed(e) => {
                report.inventory.problems.push(e);
                continue;
            }
        };
        let cert = match decode_certificates(&bytes, &Location::file(path)) {
            Ok(mut certs) => certs.remove(0),
            Err(Error::NoCertificate { .. }) => continue,
            Err(e) => {
                report.inventory.problems.push(e);
                continue;
            }
        };
        let name = other_name(&pki, path);
        if cert.is_ca && cert.self_issued {
            let mut entry = ca_entry(&name, path, false);
            entry.externally_managed =
                matches!(read(files, &path.with_extension("key")), Read::Missing);
            entry.certificate = Some(cert);
            extra_cas.push(entry);
            continue;
        }
        verifier.admit(1);
        let signer = match verifier.first_issuer(&cert, &authority_certs, &authority_index) {
            Some(found) => found,
            None => {
                verifier.undecided(&Location::file(path));
                None
            }
        };
        let signer = signer.and_then(|signer| {
            report.authorities.iter().find(|ca| {
                ca.certificate
                    .as_ref()
                    .is_some_and(|c| c.sha256_fingerprint == signer.sha256_fingerprint)
            })
        });
        records.push(file_record(&name, path, cert.clone()));
        report.certificates.push(PkiEntry {
            name,
            file: path.clone(),
            source: PkiSource::CertificateFile,
            listed_by_kubeadm: false,
            ca_name: signer.map(|ca| ca.name.clone()),
            externally_managed: signer.is_some_and(|ca| ca.externally_managed),
            missing: false,
            certificate: Some(cert),
        });
    }
    report.authorities.extend(extra_cas);
    for ca in &report.authorities {
        if let Some(cert) = &ca.certificate {
            records.push(file_record(&ca.name, &ca.file, cert.clone()));
        }
    }

    // kubelet.conf names kubelet-client-current.pem: one certificate, one record.
    let mut seen = std::collections::HashSet::new();
    records.retain(|r| match &r.credential {
        Credential::ClientCertificate(cc) => cc
            .certificate
            .as_ref()
            .is_none_or(|c| seen.insert(c.sha256_fingerprint.clone())),
        _ => true,
    });
    for r in &mut records {
        r.platform = Platform::Kubeadm;
    }
    report.inventory.credentials = records;
    verifier.finish(&mut report.inventory.problems);
    report
}

fn ca_entry(name: &str, path: &Path, kubeadm: bool) -> PkiEntry {
    PkiEntry {
        name: name.to_owned(),
        file: path.to_path_buf(),
        source: PkiSource::CertificateFile,
        listed_by_kubeadm: kubeadm,
        ca_name: None,
        externally_managed: false,
        missing: false,
        certificate: None,
    }
}

fn ca_external(authorities: &[PkiEntry], name: &str) -> bool {
    authorities
        .iter()
        .any(|ca| ca.name == name && ca.externally_managed)
}

/// `pki/etcd/custom.crt` is `etcd/custom`.
fn other_name(pki: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(pki).unwrap_or(path);
    rel.with_extension("").to_string_lossy().replace('\\', "/")
}

/// The client certificate of the kubeconfig's current user (kubeadm reads that
/// one), else of the first user that has one.
fn kubeconfig_certificate(
    config: &crate::kubeconfig::Kubeconfig,
    inv: &Inventory,
) -> Option<CertificateInfo> {
    let current_user = config
        .current_context
        .as_deref()
        .and_then(|c| config.context(c))
        .map(|c| c.context.user.clone());
    let certs = inv.credentials.iter().filter_map(|r| match &r.credential {
        Credential::ClientCertificate(c) => c.certificate.as_ref().map(|cert| (r, cert)),
        _ => None,
    });
    let mut first = None;
    for (r, cert) in certs {
        if current_user.as_deref() == Some(r.user.as_str()) {
            return Some(cert.clone());
        }
        first = first.or(Some(cert));
    }
    first.cloned()
}

/// kubeadm's `ShortHumanDuration` (k8s.io/apimachinery/pkg/util/duration):
/// `<invalid>` below -1 s, then seconds, minutes, hours, days below a year,
/// then years of 365 days; each truncated.
///
/// ```
/// use kcred_core::short_human_duration;
/// assert_eq!(short_human_duration(20 * 86_400 + 3_600), "20d");
/// assert_eq!(short_human_duration(-86_400), "<invalid>");
/// assert_eq!(short_human_duration(3_650 * 86_400), "10y");
/// ```
pub fn short_human_duration(seconds: i64) -> String {
    if seconds < -1 {
        "<invalid>".to_owned()
    } else if seconds < 0 {
        "0s".to_owned()
    } else if seconds < 60 {
        format!("{seconds}s")
    } else if seconds < 3_600 {
        format!("{}m", seconds / 60)
    } else if seconds < 86_400 {
        format!("{}h", seconds / 3_600)
    } else if seconds < 365 * 86_400 {
        format!("{}d", seconds / 86_400)
    } else {
        format!("{}y", seconds / (365 * 86_400))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::NoFiles;

    #[test]
    fn an_empty_folder_is_all_missing_and_no_problem() {
        let layout = PkiLayout {
            dir: "/nowhere/kubernetes".into(),
            kubelet_dir: "/nowhere/kubelet".into(),
        };
        let report = pki_report(&layout, &[], &NoFiles, &Limits::default());
        assert_eq!(report.certificates.len(), KNOWN.len() + 1);
        assert!(report.certificates.iter().all(|e| e.missing));
        assert_eq!(report.authorities.len(), 3);
        assert!(report
            .authorities
            .iter()
            .all(|e| e.missing && !e.externally_managed));
        assert!(report.inventory.problems.is_empty());
        assert!(report.inventory.credentials.is_empty());
    }

    #[test]
    fn kubeconfig_paths_are_read_from_the_copy() {
        let layout = PkiLayout {
            dir: "/copy/etc".into(),
            kubelet_dir: "/copy/kubelet".into(),
        };
        assert_eq!(
            layout.rebase(Path::new("/var/lib/kubelet/pki/kubelet-client-current.pem")),
            Path::new("/copy/kubelet/pki/kubelet-client-current.pem")
        );
        assert_eq!(
            layout.rebase(Path::new("/etc/kubernetes/pki/ca.crt")),
            Path::new("/copy/etc/pki/ca.crt")
        );
        assert_eq!(layout.rebase(Path::new("/other")), Path::new("/other"));
    }

    #[test]
    fn short_durations_match_apimachinery() {
        assert_eq!(short_human_duration(-1), "0s");
        assert_eq!(short_human_duration(-2), "<invalid>");
        assert_eq!(short_human_duration(59), "59s");
        assert_eq!(short_human_duration(3_599), "59m");
        assert_eq!(short_human_duration(86_399), "23h");
        assert_eq!(short_human_duration(364 * 86_400 + 86_399), "364d");
        assert_eq!(short_human_duration(365 * 86_400), "1y");
    }
}
