//! `kcred pki`: one series per row of kubeadm's two tables (certificates, then
//! certificate authorities), as x509-certificate-exporter writes them.
//!
//! - `kcred_certificate_expiration_timestamp_seconds` (notAfter),
//!   `kcred_certificate_not_before_timestamp_seconds` (notBefore),
//!   `kcred_certificate_remaining_seconds` (kubeadm's residual time, negative
//!   once expired), `kcred_certificate_expired` (0/1): rows with a certificate.
//! - `kcred_certificate_missing` (0/1, every row): kubeadm's `!MISSING!`.
//! - `kcred_credential_expiry_unknown`: the kubeconfigs' credentials whose end
//!   cannot be told (a token in admin.conf, an exec plugin).
//!
//! Labels: `name` (kubeadm's: `apiserver`, `admin.conf`, `etcd-ca`), `file`,
//! `kind` (`certificate` or `certificate-authority`), `source`
//! (`certificate-file` or `kubeconfig`), `ca` (the signing CA's name, or ""),
//! `subject_CN`, `issuer_CN`, `serial_number` (lowercase hex).

use time::OffsetDateTime;

use crate::expiry::ExpiryStatus;
use crate::pki::{PkiEntry, PkiReport, PkiSource};
use crate::policy::Finding;

use super::credentials::unknown_family;
use super::{flag, labels, Exposition, Samples};

/// The PKI report and the active findings as Prometheus text (`kcred pki
/// --format prometheus`).
///
/// ```
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let text = kcred_core::pki_prometheus(&kcred_core::PkiReport::default(), &[], now);
/// assert!(text.contains("# TYPE kcred_certificate_remaining_seconds gauge\n"));
/// ```
pub fn pki_prometheus(report: &PkiReport, findings: &[Finding], now: OffsetDateTime) -> String {
    let mut expiration = Samples::default();
    let mut not_before = Samples::default();
    let mut remaining = Samples::default();
    let mut expired = Samples::default();
    let mut missing = Samples::default();
    let rows = (report.certificates.iter().map(|e| (e, "certificate"))).chain(
        report
            .authorities
            .iter()
            .map(|e| (e, "certificate-authority")),
    );
    for (entry, kind) in rows {
        let file = entry.file.display().to_string();
        missing.push(
            &labels(&[("name", &entry.name), ("file", &file), ("kind", kind)]),
            flag(entry.missing),
        );
        let Some(cert) = &entry.certificate else {
            continue;
        };
        let l = row_labels(entry, kind, &file);
        let validity = &cert.validity;
        if let Some(end) = validity.not_after {
            expiration.push(&l, end.unix_timestamp());
        }
        if let Some(start) = validity.not_before {
            not_before.push(&l, start.unix_timestamp());
        }
        if let Some(left) = entry.residual_seconds(now) {
            remaining.push(&l, left);
        }
        let is_expired = matches!(validity.status(now), ExpiryStatus::Expired { .. });
        expired.push(&l, flag(is_expired));
    }
    let mut e = Exposition::default();
    e.family(
        "kcred_certificate_expiration_timestamp_seconds",
        "The certificate's notAfter, as Unix seconds.",
        &expiration,
    );
    e.family(
        "kcred_certificate_not_before_timestamp_seconds",
        "The certificate's notBefore, as Unix seconds.",
        &not_before,
    );
    e.family(
        "kcred_certificate_remaining_seconds",
        "Seconds from the check until notAfter (kubeadm's residual time; negative once expired).",
        &remaining,
    );
    e.family(
        "kcred_certificate_expired",
        "1 when the certificate had expired at the time of the check, else 0.",
        &expired,
    );
    e.family(
        "kcred_certificate_missing",
        "1 when the file of a row kubeadm lists does not exist (kubeadm's !MISSING!), else 0.",
        &missing,
    );
    unknown_family(&mut e, &report.inventory, now);
    e.findings(findings);
    e.finish(report.inventory.problems.len(), now)
}

/// The label set of a row that holds a certificate.
fn row_labels(entry: &PkiEntry, kind: &str, file: &str) -> String {
    let source = match entry.source {
        PkiSource::CertificateFile => "certificate-file",
        PkiSource::Kubeconfig => "kubeconfig",
    };
    let cert = entry.certificate.as_ref();
    let cn = |f: fn(&crate::x509::CertificateInfo) -> Option<&String>| {
        cert.and_then(f).map(String::as_str).unwrap_or("")
    };
    labels(&[
        ("name", &entry.name),
        ("file", file),
        ("kind", kind),
        ("source", source),
        ("ca", entry.ca_name.as_deref().unwrap_or("")),
        ("subject_CN", cn(|c| c.common_name.as_ref())),
        ("issuer_CN", cn(|c| c.issuer_common_name.as_ref())),
        (
            "serial_number",
            cert.map(|c| c.serial.as_str()).unwrap_or(""),
        ),
    ])
}
