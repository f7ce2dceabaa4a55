//! PEM blocks in any text: certificates (each a record at its BEGIN line) and
//! private keys (each a [`PrivateKey`]: where it is and the fingerprint of its
//! public key, never the key itself), which [`super::pairing`] pairs with the
//! certificates of the whole scan.

use std::path::Path;

use base64::Engine as _;

use super::certificate_record;
use crate::credential::Inventory;
use crate::error::Location;
use crate::x509::{decode_certificates, private_key_fingerprint};

/// Private keys with more lines than this are not read (a 16384-bit RSA key
/// in PKCS#8 is about 200 lines of 64 characters).
const MAX_BLOCK_LINES: usize = 512;

/// A private key found in the scanned tree: its place and the fingerprint of
/// the public key it holds. The key itself is never kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateKey {
    /// The file and the line of its BEGIN line (or of the value that holds it).
    pub location: Location,
    /// The PEM label, like `RSA PRIVATE KEY` or `PRIVATE KEY` (PKCS#8).
    pub label: String,
    /// SHA-256 of the public key's algorithm and bits: equal to its certificate's.
    pub(crate) fingerprint: [u8; 32],
}

/// One PEM block: the line of its BEGIN marker, its label and its base64 body.
struct Block {
    line: u32,
    label: String,
    body: String,
    /// Whether the block has RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`).
    headers: bool,
}

/// The label of a `-----BEGIN LABEL-----` line, wherever it starts in the line.
fn begin_label(line: &str) -> Option<&str> {
    let at = line.find("-----BEGIN ")?;
    let rest = &line[at + "-----BEGIN ".len()..];
    let end = rest.find("-----")?;
    Some(&rest[..end])
}

/// Every complete PEM block of `text` (a block that never ends is dropped).
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(Block, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(label) = begin_label(trimmed) {
            let block = Block {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                label: label.to_owned(),
                body: String::new(),
                headers: false,
            };
            open = Some((block, format!("-----END {label}-----")));
            continue;
        }
        let Some((mut block, end)) = open.take() else {
            continue;
        };
        if let Some(col) = trimmed.find(&end) {
            block.body.push_str(&trimmed[..col]);
            out.push(block);
        } else if block.body.len() / 64 < MAX_BLOCK_LINES {
            block.headers |= trimmed.contains(':');
            block.body.push_str(trimmed);
            block.body.push('\n');
            open = Some((block, end));
        }
    }
    out
}

/// Every PEM certificate block in the text, each a record at its BEGIN line.
pub(super) fn certificates(text: &str, path: &Path) -> Inventory {
    let mut inv = Inventory::default();
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        return inv;
    }
    for block in blocks(text)
        .into_iter()
        .filter(|b| b.label == "CERTIFICATE")
    {
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            block.body
        );
        let at = Location::file(path).with_line(Some(block.line));
        match decode_certificates(pem.as_bytes(), &at) {
            Ok(mut certs) => {
                let leaf = certs.remove(0);
                inv.credentials
                    .push(certificate_record(at.with_entry("PEM block"), leaf, certs));
            }
            Err(e) => inv.problems.push(e),
        }
    }
    inv
}

/// Every private key in the text whose public key can be told (PKCS#1,
/// SEC1 with its public point, PKCS#8 RSA, EC or Ed25519; not encrypted),
/// each at its BEGIN line; `pin` puts them all at one place instead (a key
/// inside a document value).
pub(super) fn private_keys(text: &str, path: &Path, pin: Option<&Location>) -> Vec<PrivateKey> {
    if !text.contains("PRIVATE KEY-----") {
        return Vec::new();
    }
    blocks(text)
        .into_iter()
        .filter(|b| b.label.ends_with("PRIVATE KEY") && !b.headers)
        .filter_map(|b| {
            let compact: Vec<u8> = b
                .body
                .bytes()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            let der = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .ok()?;
            let fingerprint = private_key_fingerprint(&b.label, &der)?;
            let location = match pin {
                Some(at) => at.clone(),
                None => Location::file(path)
                    .with_entry("PEM private key")
                    .with_line(Some(b.line)),
            };
            Some(PrivateKey {
                location,
                label: b.label,
                fingerprint,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_begin_line_and_drop_unfinished_ones() {
        let text =
            "x\n  -----BEGIN FOO-----\n  QUJD\n  -----END FOO-----\n-----BEGIN BAR-----\nQUJD\n";
        let found = blocks(text);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].label.as_str()), (2, "FOO"));
        assert_eq!(found[0].body, "QUJD\n");
    }

    #[test]
    fn encrypted_and_malformed_keys_are_not_indexed() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nQUJD\n-----END RSA PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n";
        assert!(private_keys(text, Path::new("k"), None).is_empty());
    }
}
