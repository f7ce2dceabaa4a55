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

/// `t` as RFC 3339 text in its own offset, formatted in `buf` by time's own
/// formatter (so the bytes are those of `t.format(&Rfc3339)`).
fn rfc3339_in(t: OffsetDateTime, buf: &mut [u8; 40]) -> Result<&str, time::error::Format> {
    let len = {
        let mut out = &mut buf[..];
        t.format_into(&mut out, &time::format_description::well_known::Rfc3339)?;
        // What is left of the buffer, not the count `format_into` returns
        // (time 0.3.55 leaves a fraction of a second out of it).
        RFC3339_MAX - out.len()
    };
    // time writes ASCII only.
    Ok(std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default())
}

/// The longest RFC 3339 text time writes is 35 bytes
/// (`9999-12-31T23:59:59.999999999+23:59`).
const RFC3339_MAX: usize = 40;

/// An instant as `time::serde::rfc3339` writes it (in its own offset), but
/// formatted on the stack: the JSON records write a few per credential.
#[derive(Clone, Copy)]
pub(crate) struct AsRfc3339(pub(crate) OffsetDateTime);

impl serde::Serialize for AsRfc3339 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; RFC3339_MAX];
        let text = rfc3339_in(self.0, &mut buf).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(text)
    }
}

/// An instant as [`rfc3339`] writes it (in UTC), without its `String`.
#[derive(Clone, Copy)]
pub(crate) struct UtcRfc3339(pub(crate) OffsetDateTime);

impl serde::Serialize for UtcRfc3339 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let t = t.checked_to_offset(time::UtcOffset::UTC).unwrap_or(t);
        let mut buf = [0u8; RFC3339_MAX];
        match rfc3339_in(t, &mut buf) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => serializer.serialize_str(&t.unix_timestamp().to_string()),
        }
    }
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

#[cfg(test)]
mod rfc3339_tests {
    use super::*;

    /// The stack-formatted instants are the bytes of time's serde form and of
    /// [`rfc3339`]: whole and fractional seconds, offsets, the ends of the
    /// range, and the years RFC 3339 cannot write.
    #[test]
    fn stack_text_is_the_text_of_time_and_of_rfc3339() {
        #[derive(serde::Serialize)]
        struct Time(#[serde(with = "time::serde::rfc3339")] OffsetDateTime);
        let offsets = [
            time::UtcOffset::UTC,
            time::UtcOffset::from_hms(5, 30, 0).unwrap(),
            time::UtcOffset::from_hms(-23, -59, 0).unwrap(),
            time::UtcOffset::from_hms(1, 0, 30).unwrap(),
        ];
        let instants = [
            i64::from(i32::MIN) * 10,
            -62_167_219_200, // 0000-01-01T00:00:00Z
            -1,
            0,
            1_767_225_600,   // 2026-01-01T00:00:00Z
            253_402_300_799, // 9999-12-31T23:59:59Z
            253_402_300_800,
        ];
        for unix in instants {
            for nanos in [0, 1, 120_000_000, 999_999_999] {
                for offset in offsets {
                    let t = OffsetDateTime::from_unix_timestamp(unix)
                        .ok()
                        .and_then(|t| {
                            t.checked_add(time::Duration::nanoseconds(nanos))?
                                .checked_to_offset(offset)
                        });
                    let Some(t) = t else { continue };
                    let time = serde_json::to_string(&Time(t)).map_err(|e| e.to_string());
                    let ours = serde_json::to_string(&AsRfc3339(t)).map_err(|e| e.to_string());
                    assert_eq!(ours.is_ok(), time.is_ok(), "{t}");
                    if let (Ok(ours), Ok(time)) = (&ours, &time) {
                        assert_eq!(ours, time);
                    }
                    let utc = serde_json::to_string(&UtcRfc3339(t)).unwrap();
                    assert_eq!(utc, serde_json::to_string(&rfc3339(t)).unwrap());
                }
            }
        }
    }
}
