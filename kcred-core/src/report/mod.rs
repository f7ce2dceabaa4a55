//! Renderers: one module per output format. Each takes the inventory (and
//! findings) plus the instant `now`, and returns text; none reads the clock.

mod decode;
mod exposure;
mod json;
mod pki;
mod prometheus;
mod sarif;
mod scan;
mod table;
mod text;

pub use decode::{decoded_json, decoded_table, DECODED_SCHEMA};
pub use exposure::{
    exposure_json, exposure_table, until_text, write_exposure_json, ExposureReport, EXPOSURE_SCHEMA,
};
pub use json::{
    findings_json, inventory_json, write_findings_json, write_inventory_json, FINDINGS_SCHEMA,
    INVENTORY_SCHEMA,
};
pub use pki::{pki_json, pki_table, KUBEADM_OUTPUT_API_VERSION};
pub use prometheus::{
    exposure_prometheus, pki_prometheus, prometheus_failure, prometheus_text, scan_prometheus,
};
pub use sarif::{findings_sarif, write_findings_sarif, SARIF_FINGERPRINT_KEY, SARIF_VERSION};
pub use scan::{scan_json, scan_table, write_scan_json, SCAN_SCHEMA};
pub use table::{findings_table, inventory_table};
pub use text::{escape_text, shell_quote, CELL_MAX};

use time::OffsetDateTime;

/// RFC 3339 text of an instant (`2026-01-01T00:00:00Z`).
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    // Always UTC (`Z`), never the offset a time was read with.
    let t = t.checked_to_offset(time::UtcOffset::UTC).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// Writes a document as every JSON and SARIF output is written: pretty-printed,
/// ending with a newline, and with the characters a terminal or a code-review
/// page would hide or reorder (bidi overrides, zero-width characters, C1
/// controls) written as `\uXXXX` escapes: the decoded value is exact, the bytes
/// carry no invisible text.
pub(crate) fn write_pretty<T: serde::Serialize + ?Sized>(
    out: &mut dyn std::io::Write,
    document: &T,
) -> std::io::Result<()> {
    // A concrete buffer between serde_json and `out`: its many small writes
    // are then inlined copies, not calls through `dyn Write`.
    use std::io::Write as _;
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut ser = serde_json::Serializer::with_formatter(&mut buffered, VisibleJson::default());
    document
        .serialize(&mut ser)
        .map_err(std::io::Error::other)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// A JSON document as [`write_pretty`] writes it (ending with a newline), for
/// documents built whole (`kcred exposure --policy`, `kcred pki`, Python).
///
/// ```
/// let text = kcred_core::json_text(&serde_json::json!({"name": "a\u{202e}b"}));
/// assert_eq!(text, "{\n  \"name\": \"a\\u202eb\"\n}\n");
/// ```
pub fn json_text<T: serde::Serialize + ?Sized>(document: &T) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only for a document that cannot be serialized.
    let _ = write_pretty(&mut out, document);
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's pretty formatter, escaping [`text::hidden`] characters that
/// serde_json itself writes raw (it escapes only C0 controls, `"` and `\`).
#[derive(Default)]
struct VisibleJson(serde_json::ser::PrettyFormatter<'static>);

/// Formatter methods that hand over to the wrapped [`serde_json::ser::PrettyFormatter`].
macro_rules! delegate_to_pretty {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {$(
        fn $method<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
            $($arg: $ty),*
        ) -> std::io::Result<()> {
            self.0.$method(w, $($arg),*)
        }
    )*};
}

impl serde_json::ser::Formatter for VisibleJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // Below DEL every character serde_json hands over is printable.
        if fragment.bytes().all(|b| b < 0x7f) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if text::hidden(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    // The layout (indentation, separators) is the pretty formatter's: every
    // other method hands over to it.
    delegate_to_pretty! {
        begin_array(),
        end_array(),
        begin_array_value(first: bool),
        end_array_value(),
        begin_object(),
        end_object(),
        begin_object_key(first: bool),
        begin_object_value(),
        end_object_value(),
    }
}

#[cfg(test)]
mod visible_json_tests {
    use super::*;

    /// Every character a terminal would hide is escaped in the bytes, and the
    /// document decodes back to the exact value.
    #[test]
    fn hidden_characters_are_escaped_and_the_value_is_exact() {
        let hidden: String = (0u32..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| text::hidden(*c))
            .collect();
        let value =
            serde_json::json!({ "name": format!("a{hidden}b"), hidden.clone(): [hidden.clone()] });
        let text = json_text(&value);
        assert!(
            !text.chars().any(|c| text::hidden(c) && c != '\n'),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        // Ordinary text is written as serde_json writes it.
        let plain = serde_json::json!({"a": ["é", 1, null, {"b": "日本"}]});
        assert_eq!(
            json_text(&plain),
            format!("{}\n", serde_json::to_string_pretty(&plain).unwrap())
        );
    }
}
