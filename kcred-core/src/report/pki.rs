//! `kcred pki`: kubeadm's `certs check-expiration` table and its JSON form
//! (`output.kubeadm.k8s.io/v1alpha3` `CertificateExpirationInfo`).

use serde_json::{json, Value};
use time::OffsetDateTime;

use super::rfc3339;
use super::text::{cell_in, column_widths, pad, GAP};
use crate::pki::{short_human_duration, PkiEntry, PkiReport};

/// kubeadm's `apiVersion` for the JSON form.
pub const KUBEADM_OUTPUT_API_VERSION: &str = "output.kubeadm.k8s.io/v1alpha3";

/// kubeadm's date format: `Jan 02, 2006 15:04 UTC`.
fn kubeadm_date(t: OffsetDateTime) -> String {
    let fmt =
        time::macros::format_description!("[month repr:short] [day], [year] [hour]:[minute] UTC");
    // `checked_`: an instant near year 9999 with a negative offset has no UTC date.
    t.checked_to_offset(time::UtcOffset::UTC)
        .and_then(|u| u.format(&fmt).ok())
        .unwrap_or_else(|| rfc3339(t))
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// One table row: `!MISSING! name` alone, `(undecodable)` when the file is there
/// but holds no readable certificate.
fn row(e: &PkiEntry, now: OffsetDateTime, with_ca: bool) -> Vec<String> {
    if e.missing {
        return vec![format!("!MISSING! {}", e.name)];
    }
    let (expires, residual) = match (&e.certificate, e.residual_seconds(now)) {
        (Some(c), Some(left)) if !c.validity.never_expires => c
            .validity
            .not_after
            .map(|t| (kubeadm_date(t), short_human_duration(left)))
            .unwrap_or_default(),
        (Some(_), _) => ("never".to_owned(), "-".to_owned()),
        (None, _) => ("(undecodable)".to_owned(), "-".to_owned()),
    };
    let mut cells = vec![e.name.clone(), expires, residual];
    if with_ca {
        cells.push(e.ca_name.clone().unwrap_or_default());
    }
    cells.push(yes_no(e.externally_managed).to_owned());
    cells
}

/// Columns as kubeadm's tabwriter lays them out: each at least 10 wide, 3 spaces
/// of padding; a lone first cell (a missing row) does not widen its column.
/// Fitted in `width` (cells shortened with `…`).
fn columns(header: &[&str], rows: &[Vec<String>], width: Option<usize>, out: &mut String) {
    let widths = column_widths(
        header,
        &["CERTIFICATE", "CERTIFICATE AUTHORITY"],
        rows.iter().filter(|r| r.len() > 1),
        width,
    );
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    for r in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            // A lone cell (a missing row) is not in a column: never cut.
            let w = match r.len() {
                1 => usize::MAX,
                _ => widths.get(i).copied().unwrap_or(usize::MAX),
            };
            if i + 1 == r.len() {
                line.push_str(&cell_in(c, w));
            } else {
                pad(&mut line, &cell_in(c, w), (w + GAP).max(10));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// The two tables of `kubeadm certs check-expiration`: CERTIFICATE, EXPIRES,
/// RESIDUAL TIME, CERTIFICATE AUTHORITY, EXTERNALLY MANAGED; then the CAs.
/// Rows kubeadm leaves out (kubelet.conf, the kubelet client certificate, other
/// files under `pki/`) follow kubeadm's rows. Each table fits in `width`
/// (`None`: every cell whole), as [`crate::inventory_table`]'s do.
pub fn pki_table(report: &PkiReport, now: OffsetDateTime, width: Option<usize>) -> String {
    let mut out = String::new();
    let certificates = [
        "CERTIFICATE",
        "EXPIRES",
        "RESIDUAL TIME",
        "CERTIFICATE AUTHORITY",
        "EXTERNALLY MANAGED",
    ];
    table(&certificates, &report.certificates, now, width, &mut out);
    out.push('\n');
    let authorities = [
        "CERTIFICATE AUTHORITY",
        "EXPIRES",
        "RESIDUAL TIME",
        "EXTERNALLY MANAGED",
    ];
    table(&authorities, &report.authorities, now, width, &mut out);
    out
}

/// One of the two tables: a row per entry, under `header` (the CA column is
/// there when the header names it).
fn table(
    header: &[&str],
    entries: &[PkiEntry],
    now: OffsetDateTime,
    width: Option<usize>,
    out: &mut String,
) {
    let with_ca = header[1..].contains(&"CERTIFICATE AUTHORITY");
    let rows: Vec<Vec<String>> = entries.iter().map(|e| row(e, now, with_ca)).collect();
    columns(header, &rows, width, out);
}

fn entry_json(e: &PkiEntry, now: OffsetDateTime) -> Value {
    let mut v = json!({
        "name": e.name,
        "expirationDate": e.certificate.as_ref().and_then(|c| c.validity.not_after).map(rfc3339),
        "residualTime": e.residual_seconds(now).unwrap_or(0),
        "externallyManaged": e.externally_managed,
        "missing": e.missing,
        "file": e.file.display().to_string(),
        "listedByKubeadm": e.listed_by_kubeadm,
        "subject": e.certificate.as_ref().map(|c| c.subject.clone()),
    });
    // kubeadm: `caName,omitempty` (empty for CAs).
    if let Some(ca) = &e.ca_name {
        v["caName"] = json!(ca);
    }
    v
}

/// kubeadm's `CertificateExpirationInfo` (`-o json`): `certificates` and
/// `certificateAuthorities`, each with `name`, `expirationDate` (RFC 3339, `null`
/// when missing), `residualTime` (seconds, negative once expired), `caName`
/// (omitted for CAs), `externallyManaged` and `missing`. kcred adds `file`,
/// `listedByKubeadm` and `subject` to each row.
///
/// ```
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let doc = kcred_core::pki_json(&kcred_core::PkiReport::default(), now);
/// assert_eq!(doc["kind"], "CertificateExpirationInfo");
/// assert_eq!(doc["apiVersion"], "output.kubeadm.k8s.io/v1alpha3");
/// ```
pub fn pki_json(report: &PkiReport, now: OffsetDateTime) -> Value {
    json!({
        "kind": "CertificateExpirationInfo",
        "apiVersion": KUBEADM_OUTPUT_API_VERSION,
        "certificates": report.certificates.iter().map(|e| entry_json(e, now)).collect::<Vec<_>>(),
        "certificateAuthorities": report.authorities.iter().map(|e| entry_json(e, now)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_look_like_kubeadm() {
        let t = time::macros::datetime!(2026-08-19 09:03:59 UTC);
        assert_eq!(kubeadm_date(t), "Aug 19, 2026 09:03 UTC");
    }
}
