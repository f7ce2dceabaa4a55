//! Renderers: one module per output format. Each takes the inventory (and
//! findings) plus the instant `now`, and returns text; none reads the clock.

mod exposure;
mod json;
mod pki;
mod prometheus;
mod sarif;
mod scan;
mod table;
mod text;

pub use exposure::{
    exposure_json, exposure_table, until_text, write_exposure_json, ExposureReport, EXPOSURE_SCHEMA,
};
pub use json::{
    findings_json, inventory_json, write_findings_json, write_inventory_json, FINDINGS_SCHEMA,
    INVENTORY_SCHEMA,
};
pub use pki::{pki_json, pki_table, KUBEADM_OUTPUT_API_VERSION};
pub use prometheus::prometheus_text;
pub use sarif::{findings_sarif, write_findings_sarif, SARIF_VERSION};
pub use scan::{scan_json, scan_table, write_scan_json, SCAN_SCHEMA};
pub use table::{findings_table, inventory_table};
pub use text::{escape_text, shell_quote, CELL_MAX};

use time::OffsetDateTime;

/// RFC 3339 text of an instant (`2026-01-01T00:00:00Z`).
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// Writes a document as every streamed JSON and SARIF output is written:
/// pretty-printed, ending with a newline.
pub(crate) fn write_pretty<T: serde::Serialize + ?Sized>(
    out: &mut dyn std::io::Write,
    document: &T,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, document)?;
    out.write_all(b"\n")
}
