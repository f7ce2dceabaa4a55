//! PEM blocks read as x509-parser's `Pem::iter_from_buffer` reads them, with
//! one base64 decode per block over its joined lines (x509-parser builds a
//! `String` per line and decodes with `data_encoding`: a fifth of a
//! certificate's decode before this reader).
//!
//! Only plain input is read here: ASCII, every block complete and canonical
//! base64. Anything else gives `None`, and x509-parser's reader decides (with
//! its handling of truncated blocks, non-UTF-8 comment lines and bad base64).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// One PEM block: its label as x509-parser cuts it (`BEGIN ` off, up to the
/// first `-`) and its decoded body.
pub(super) struct Block<'a> {
    pub(super) label: &'a str,
    pub(super) contents: Vec<u8>,
}

/// Every PEM block of `bytes`, in order; `None` when x509-parser's reader is
/// to decide. Lines before, between and after blocks are ignored; a block
/// starts at a line beginning `-----BEGIN ` that holds a second `-----`, and
/// ends at the first line beginning `-----END ` (whatever its label); each
/// line of the body loses its trailing whitespace.
pub(super) fn blocks(bytes: &[u8]) -> Option<Vec<Block<'_>>> {
    if !bytes.is_ascii() {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.split_inclusive('\n');
    let mut out = Vec::new();
    let mut body = Vec::with_capacity(bytes.len());
    while let Some(line) = lines.next() {
        let Some(header) = line.strip_prefix("-----BEGIN ") else {
            continue;
        };
        let end = header.find("-----")?;
        let label = header.get(..end)?.split('-').next()?;
        body.clear();
        loop {
            let line = lines.next()?;
            if line.starts_with("-----END ") {
                break;
            }
            body.extend_from_slice(line.trim_end().as_bytes());
        }
        let contents = STANDARD.decode(&body).ok()?;
        out.push(Block { label, contents });
    }
    Some(out)
}
