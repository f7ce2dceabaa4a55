//! Where the parts of a certificate's DER lie: found once at decode time, so
//! signature checks and issuer lookups read byte ranges instead of parsing.

use std::ops::Range;

use super::signature::{Curve, Scheme};
use crate::der;

/// Byte ranges in a certificate's DER: `Certificate ::= SEQUENCE { tbsCertificate,
/// signatureAlgorithm, signatureValue }` and the subjectPublicKeyInfo in the TBS,
/// plus what issuer lookups and signature checks need, so that neither parses the
/// certificate again.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Parts {
    pub(super) tbs: Range<usize>,
    pub(super) spki: Range<usize>,
    /// The issuer and subject Names whole (tag and length included): issuer
    /// lookups compare these bytes, as Go's crypto/x509 (the API server) does.
    pub(super) issuer: Range<usize>,
    pub(super) subject: Range<usize>,
    /// keyIdentifier of the authorityKeyIdentifier extension, when present.
    pub(super) authority_key_id: Option<Range<usize>>,
    /// The subjectKeyIdentifier extension's value, when present.
    pub(super) subject_key_id: Option<Range<usize>>,
    /// The signature's bits (signatureValue without its unused-bits byte).
    pub(super) signature_bits: Range<usize>,
    /// The public key's bits (subjectPublicKey without its unused-bits byte):
    /// the input `ring` verifies with, kept so a CA's key is not re-parsed from
    /// its SPKI on every check.
    pub(super) key_bits: Range<usize>,
    /// How this certificate is signed (set by the walk or from the full parse).
    pub(super) scheme: Scheme,
    /// The curve named by the SPKI's algorithm parameters (set by the walk or
    /// from the full parse).
    pub(super) curve: Option<Curve>,
}

/// OIDs of the extensions issuer lookups read (content bytes).
const OID_SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1d, 0x0e];
const OID_AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];

impl Parts {
    /// `None` when the DER does not have the expected shape (then the checks fall
    /// back to a full parse).
    pub(super) fn find(der_bytes: &[u8]) -> Option<Parts> {
        let range = |part: &[u8]| {
            let start = (part.as_ptr() as usize).checked_sub(der_bytes.as_ptr() as usize)?;
            Some(start..start + part.len())
        };
        let (cert, _) = der::read(der_bytes)?;
        let [tbs, _algorithm, sig] =
            <[&[u8]; 3]>::try_from(der::raw_children(cert.content)?).ok()?;
        let (tbs_seq, _) = der::read(tbs)?;
        let fields = der::raw_children(tbs_seq.content)?;
        // [0] version is optional; spki is the 6th field after it.
        let skip = usize::from(fields.first()?.first() == Some(&0xa0));
        let spki = fields.get(5 + skip)?;
        let bits = |element: &[u8]| {
            let (e, _) = der::read(element)?;
            (e.tag == der::BIT_STRING).then_some(())?;
            range(e.content.get(1..)?)
        };
        let (spki_seq, _) = der::read(spki)?;
        let key = der::raw_children(spki_seq.content)?;
        let extensions = fields.get(6 + skip..).unwrap_or_default();
        let extensions = extensions.iter().find(|f| f.first() == Some(&0xa3));
        let key_id = |oid: &[u8]| extensions.and_then(|e| extension_key_id(e, oid));
        Some(Parts {
            tbs: range(tbs)?,
            spki: range(spki)?,
            issuer: range(fields.get(2 + skip)?)?,
            subject: range(fields.get(4 + skip)?)?,
            authority_key_id: key_id(OID_AUTHORITY_KEY_ID).and_then(range),
            subject_key_id: key_id(OID_SUBJECT_KEY_ID).and_then(range),
            signature_bits: bits(sig)?,
            key_bits: bits(key.get(1)?)?,
            scheme: Scheme::Unsupported,
            curve: None,
        })
    }
}

/// The validity time (`notBefore` or `notAfter`) that is not in an RFC 5280
/// DER form — UTCTime `YYMMDDHHMMSSZ` or GeneralizedTime `YYYYMMDDHHMMSSZ`, no
/// fraction, no offset, seconds present; `None` when both are, or when the DER
/// does not have a certificate's shape (the full parse reports that).
pub(super) fn nonconforming_time(der_bytes: &[u8]) -> Option<&'static str> {
    let (cert, _) = der::read(der_bytes)?;
    let (tbs, _) = der::read(cert.content)?;
    let fields = der::children(tbs.content)?;
    let skip = usize::from(fields.first()?.tag == 0xa0);
    let validity = der::children(fields.get(3 + skip)?.content)?;
    let conforms = |time: &der::Element<'_>| {
        let digits = match time.tag {
            0x17 => 12,
            0x18 => 14,
            _ => return false,
        };
        time.content.len() == digits + 1
            && time.content[..digits].iter().all(u8::is_ascii_digit)
            && time.content[digits] == b'Z'
    };
    if validity.len() != 2 {
        return None;
    }
    ["notBefore", "notAfter"]
        .into_iter()
        .zip(&validity)
        .find(|(_, time)| !conforms(time))
        .map(|(name, _)| name)
}

/// The key identifier of the SKI or AKI extension in `[3] Extensions`; `None`
/// when absent or malformed (then lookups match by name alone).
fn extension_key_id<'a>(extensions: &'a [u8], oid: &[u8]) -> Option<&'a [u8]> {
    let (explicit, _) = der::read(extensions)?;
    let (list, _) = der::read(explicit.content)?;
    let found = der::children(list.content)?.into_iter().find_map(|ext| {
        let items = der::children(ext.content)?;
        let id = items.first().filter(|e| e.tag == der::OID)?;
        let value = items.last().filter(|e| e.tag == der::OCTET_STRING)?;
        (id.content == oid).then_some(value.content)
    })?;
    key_id(found, oid)
}

/// The key identifier in an SKI or AKI extension's value (`oid` tells which).
pub(super) fn key_id<'a>(value: &'a [u8], oid: &[u8]) -> Option<&'a [u8]> {
    let (inner, _) = der::read(value)?;
    if oid == OID_SUBJECT_KEY_ID {
        // SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING)
        return (inner.tag == der::OCTET_STRING).then_some(inner.content);
    }
    // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OPTIONAL, ... }
    (inner.tag == 0x30).then_some(())?;
    let items = der::children(inner.content)?;
    items.iter().find(|e| e.tag == 0x80).map(|e| e.content)
}
