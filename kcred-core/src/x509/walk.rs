//! kcred's own walk over a certificate's DER: the facts of [`CertificateInfo`]
//! in one pass, without x509-parser's full parse.
//!
//! The walk is strict: it takes only DER's shortest length forms, the shape
//! RFC 5280 gives, the name attributes, string types, key and signature
//! algorithms whose text it knows, and no duplicate extension. For anything
//! else it answers `None` and [`super::decode_der`] asks x509-parser, so the
//! facts (and the errors) are x509-parser's whenever the walk declines. The
//! differential fuzz target `fuzz/fuzz_targets/cert_facts.rs` checks that for
//! every input x509-parser accepts the walk gives the same facts or declines.
//!
//! No recursion: the certificate's shape is fixed, so is the walk's depth.

use std::ops::Range;

use time::{Date, Month, PrimitiveDateTime, Time};

use super::names::{Attribute, Name};
use super::parts::{key_id, Parts};
use super::signature::{Curve, Scheme};
use super::{hex, CertificateInfo, KeyInfo};
use crate::der::{self, Element};
use crate::expiry::Validity;

const SEQUENCE: u8 = 0x30;
const BOOLEAN: u8 = 0x01;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;

/// Signature algorithms by encoded OID: the name [`super::signature_name_of`]
/// gives and the scheme [`super::signature::scheme`] maps (RSA-PSS, whose hash
/// is in its parameters, is left to x509-parser).
#[rustfmt::skip]
pub(super) const SIGNATURES: &[(&[u8], &str, Scheme)] = &[
    (&[42, 134, 72, 134, 247, 13, 1, 1, 11], "sha256WithRSAEncryption", Scheme::RsaSha256),
    (&[42, 134, 72, 206, 61, 4, 3, 2], "ecdsa-with-SHA256", Scheme::EcdsaSha256),
    (&[42, 134, 72, 206, 61, 4, 3, 3], "ecdsa-with-SHA384", Scheme::EcdsaSha384),
    (&[42, 134, 72, 134, 247, 13, 1, 1, 12], "sha384WithRSAEncryption", Scheme::RsaSha384),
    (&[42, 134, 72, 134, 247, 13, 1, 1, 13], "sha512WithRSAEncryption", Scheme::RsaSha512),
    (&[43, 101, 112], "Ed25519", Scheme::Ed25519),
    (&[42, 134, 72, 134, 247, 13, 1, 1, 5], "sha1WithRSAEncryption", Scheme::RsaSha1),
    (&[42, 134, 72, 134, 247, 13, 1, 1, 4], "md5WithRSAEncryption", Scheme::Unsupported),
    (&[42, 134, 72, 134, 247, 13, 1, 1, 2], "md2WithRSAEncryption", Scheme::Unsupported),
    (&[42, 134, 72, 206, 61, 4, 1], "ecdsa-with-SHA1", Scheme::Unsupported),
    (&[42, 134, 72, 206, 61, 4, 3, 4], "ecdsa-with-SHA512", Scheme::Unsupported),
    (&[42, 134, 72, 206, 56, 4, 3], "dsa-with-SHA1", Scheme::Unsupported),
    (&[43, 101, 113], "Ed448", Scheme::Unsupported),
];

/// Key algorithms by encoded OID: name and, when fixed, size.
pub(super) const KEYS: &[(&[u8], &str, Option<u32>)] = &[
    (&[42, 134, 72, 134, 247, 13, 1, 1, 1], "RSA", None),
    (&[42, 134, 72, 206, 61, 2, 1], "EC", None),
    (&[43, 101, 112], "Ed25519", Some(256)),
    (&[43, 101, 113], "Ed448", Some(456)),
    (&[42, 134, 72, 206, 56, 4, 1], "DSA", None),
];

/// Named curves by encoded OID: name, size, and the curve `ring` verifies with.
pub(super) const CURVES: &[(&[u8], &str, u32, Option<Curve>)] = &[
    (
        &[42, 134, 72, 206, 61, 3, 1, 7],
        "P-256",
        256,
        Some(Curve::P256),
    ),
    (&[43, 129, 4, 0, 34], "P-384", 384, Some(Curve::P384)),
    (&[43, 129, 4, 0, 35], "P-521", 521, None),
];

/// The extensions whose content the facts read.
const OID_BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
const OID_SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1d, 0x0e];
const OID_AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];

/// The most extensions the walk takes (more: x509-parser decides); bounds
/// the duplicate check, which is quadratic.
const MAX_EXTENSIONS: usize = 64;

/// The elements of one constructed element's content, read in order.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn new(content: &'a [u8]) -> Self {
        Cursor { rest: content }
    }

    /// The next element, whatever its tag, and its bytes with the header.
    fn any(&mut self) -> Option<(Element<'a>, &'a [u8])> {
        let (element, rest, whole) = der::read_strict(self.rest)?;
        self.rest = rest;
        Some((element, whole))
    }

    /// The next element's content when its tag is `tag`.
    fn take(&mut self, tag: u8) -> Option<&'a [u8]> {
        self.take_whole(tag).map(|(content, _)| content)
    }

    /// The next element's content and whole bytes when its tag is `tag`.
    fn take_whole(&mut self, tag: u8) -> Option<(&'a [u8], &'a [u8])> {
        let (element, rest, whole) = der::read_strict(self.rest)?;
        (element.tag == tag).then_some(())?;
        self.rest = rest;
        Some((element.content, whole))
    }

    /// The next element's content when it is there and tagged `tag`.
    fn optional(&mut self, tag: u8) -> Option<&'a [u8]> {
        if self.rest.first() == Some(&tag) {
            self.take(tag)
        } else {
            None
        }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// `Some` when every element was read.
    fn end(&self) -> Option<()> {
        self.is_empty().then_some(())
    }
}

/// An `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`:
/// the OID's content and the parameters element.
fn algorithm<'a>(content: &'a [u8]) -> Option<(&'a [u8], Option<Element<'a>>)> {
    let mut items = Cursor::new(content);
    let oid = items.take(der::OID).filter(|o| der::valid_oid(o))?;
    let params = if items.is_empty() {
        None
    } else {
        Some(items.any()?.0)
    };
    items.end()?;
    Some((oid, params))
}

/// A BIT STRING's bits when no bit is unused.
fn whole_bits(content: &[u8]) -> Option<&[u8]> {
    let (&unused, bits) = content.split_first()?;
    (unused == 0).then_some(bits)
}

/// A validity time in its RFC 5280 DER form (UTCTime `YYMMDDHHMMSSZ`, years
/// 1950–2049; GeneralizedTime `YYYYMMDDHHMMSSZ`); `None` for any other form or
/// a date that does not exist.
fn time_of(element: &Element<'_>) -> Option<time::OffsetDateTime> {
    let digits = match element.tag {
        UTC_TIME => 12,
        GENERALIZED_TIME => 14,
        _ => return None,
    };
    let (z, text) = element.content.split_last()?;
    if *z != b'Z' || text.len() != digits || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut pairs = text
        .chunks_exact(2)
        .map(|p| p.iter().fold(0u8, |n, d| n * 10 + (d - b'0')));
    let mut next = || pairs.next();
    // Each pair is two checked ASCII digits (0..=99), so no sum below can
    // overflow; the calendar checks are `time`'s.
    let year = if digits == 12 {
        let yy = i32::from(next()?);
        if yy >= 50 {
            1900 + yy
        } else {
            2000 + yy
        }
    } else {
        i32::from(next()?) * 100 + i32::from(next()?)
    };
    let month = Month::try_from(next()?).ok()?;
    let date = Date::from_calendar_date(year, month, next()?).ok()?;
    let time = Time::from_hms(next()?, next()?, next()?).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

/// A Name's text and attributes, or `None` when an attribute is one the walk
/// does not name (x509-parser names it).
fn name(content: &[u8]) -> Option<Name<'_>> {
    let mut rdns = Cursor::new(content);
    let mut name = Name::default();
    while !rdns.is_empty() {
        let mut set = Cursor::new(rdns.take(0x31)?);
        (!set.is_empty()).then_some(())?;
        let mut first = true;
        while !set.is_empty() {
            let mut pair = Cursor::new(set.take(SEQUENCE)?);
            let oid = pair.take(der::OID)?;
            let (value, _) = pair.any()?;
            pair.end()?;
            let attribute = Attribute::of(oid, &value)?;
            name.push(attribute, first);
            first = false;
        }
    }
    Some(name)
}

/// Whether basicConstraints says CA: `SEQUENCE { cA BOOLEAN DEFAULT FALSE,
/// pathLenConstraint INTEGER OPTIONAL }` in its DER forms only.
fn basic_constraints_ca(value: &[u8]) -> Option<bool> {
    let mut outer = Cursor::new(value);
    let mut items = Cursor::new(outer.take(SEQUENCE)?);
    outer.end()?;
    let ca = match items.optional(BOOLEAN) {
        Some([0xff]) => true,
        None => false,
        Some(_) => return None,
    };
    if let Some(len) = items.optional(der::INTEGER) {
        // a small non-negative pathLenConstraint, in its shortest form
        matches!(len, [n] if *n < 0x80).then_some(())?;
    }
    items.end()?;
    Some(ca)
}

/// What the extensions tell: whether CA, and where the key identifiers lie.
#[derive(Default)]
struct Extensions<'a> {
    is_ca: bool,
    subject_key_id: Option<&'a [u8]>,
    authority_key_id: Option<&'a [u8]>,
}

/// `[3] EXPLICIT SEQUENCE SIZE (1..MAX) OF Extension`, each
/// `SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
fn extensions(content: &[u8]) -> Option<Extensions<'_>> {
    let mut outer = Cursor::new(content);
    let mut list = Cursor::new(outer.take(SEQUENCE)?);
    outer.end()?;
    let mut seen: Vec<&[u8]> = Vec::new();
    let mut out = Extensions::default();
    while !list.is_empty() {
        let mut ext = Cursor::new(list.take(SEQUENCE)?);
        let oid = ext.take(der::OID).filter(|o| der::valid_oid(o))?;
        if let Some(critical) = ext.optional(BOOLEAN) {
            (critical == [0xff]).then_some(())?;
        }
        let value = ext.take(der::OCTET_STRING)?;
        ext.end()?;
        if seen.contains(&oid) || seen.len() == MAX_EXTENSIONS {
            return None;
        }
        seen.push(oid);
        match oid {
            OID_BASIC_CONSTRAINTS => out.is_ca = basic_constraints_ca(value)?,
            OID_SUBJECT_KEY_ID => out.subject_key_id = key_id(value, oid),
            OID_AUTHORITY_KEY_ID => out.authority_key_id = key_id(value, oid),
            _ => {}
        }
    }
    (!seen.is_empty()).then_some(out)
}

/// The public key's facts and `ring`'s curve, from the SPKI's algorithm and bits.
fn key(oid: &[u8], params: Option<&Element<'_>>, bits: &[u8]) -> Option<(KeyInfo, Option<Curve>)> {
    let named = params
        .filter(|p| p.tag == der::OID)
        .and_then(|p| CURVES.iter().find(|(o, ..)| *o == p.content));
    let curve = named.and_then(|(.., c)| *c);
    let Some(&(_, algorithm, fixed)) = KEYS.iter().find(|(o, ..)| *o == oid) else {
        let unknown = KeyInfo {
            algorithm: "unknown".to_owned(),
            bits: None,
            curve: None,
        };
        return Some((unknown, curve));
    };
    let (size, curve_name) = match algorithm {
        "RSA" => (Some(rsa_bits(bits)?), None),
        "EC" => {
            let (_, name, size, _) = named?;
            (Some(*size), Some((*name).to_owned()))
        }
        _ => (fixed, None),
    };
    let info = KeyInfo {
        algorithm: algorithm.to_owned(),
        bits: size,
        curve: curve_name,
    };
    Some((info, curve))
}

/// An RSA key's size as x509-parser counts it: `RSAPublicKey ::= SEQUENCE {
/// modulus INTEGER, publicExponent INTEGER }`, eight bits per modulus byte
/// after its leading zero; `None` (x509-parser decides) for any other form.
fn rsa_bits(bits: &[u8]) -> Option<u32> {
    let mut outer = Cursor::new(bits);
    let mut key = Cursor::new(outer.take(SEQUENCE)?);
    outer.end()?;
    let modulus = key.take(der::INTEGER)?;
    key.take(der::INTEGER)?;
    key.end()?;
    match modulus {
        [0, rest @ ..] if rest.first().is_some_and(|b| b & 0x80 != 0) => {
            u32::try_from(rest.len()).ok()?.checked_mul(8)
        }
        _ => None,
    }
}

/// The facts of one DER certificate (any bytes after it are ignored, as
/// x509-parser ignores them), or `None` when x509-parser is to decide.
pub(super) fn facts(input: &[u8]) -> Option<CertificateInfo> {
    let (cert, _, der_bytes) = der::read_strict(input)?;
    (cert.tag == SEQUENCE).then_some(())?;
    let range = |part: &[u8]| -> Option<Range<usize>> {
        let start = (part.as_ptr() as usize).checked_sub(der_bytes.as_ptr() as usize)?;
        Some(start..start.checked_add(part.len())?)
    };
    let mut top = Cursor::new(cert.content);
    let (tbs_content, tbs) = top.take_whole(SEQUENCE)?;
    let (sig_oid, _) = algorithm(top.take(SEQUENCE)?)?;
    let signature_bits = whole_bits(top.take(der::BIT_STRING)?)?;
    top.end()?;

    let mut fields = Cursor::new(tbs_content);
    if let Some(version) = fields.optional(0xa0) {
        matches!(version, [der::INTEGER, 1, 0..=2]).then_some(())?;
    }
    let serial = fields.take(der::INTEGER).filter(|s| !s.is_empty())?;
    algorithm(fields.take(SEQUENCE)?)?;
    let (issuer_content, issuer_raw) = fields.take_whole(SEQUENCE)?;
    let mut validity = Cursor::new(fields.take(SEQUENCE)?);
    let not_before = time_of(&validity.any()?.0)?;
    let not_after = time_of(&validity.any()?.0)?;
    validity.end()?;
    let (subject_content, subject_raw) = fields.take_whole(SEQUENCE)?;
    let (spki_content, spki) = fields.take_whole(SEQUENCE)?;
    let mut spki_items = Cursor::new(spki_content);
    let (key_oid, key_params) = algorithm(spki_items.take(SEQUENCE)?)?;
    let key_bits = whole_bits(spki_items.take(der::BIT_STRING)?)?;
    spki_items.end()?;
    let exts = match fields.optional(0xa3) {
        Some(content) => extensions(content)?,
        None => Extensions::default(),
    };
    fields.end()?;

    let &(_, signature_name, scheme) = SIGNATURES.iter().find(|(o, ..)| *o == sig_oid)?;
    let (key, curve) = key(key_oid, key_params.as_ref(), key_bits)?;
    let subject = name(subject_content)?;
    let issuer = name(issuer_content)?;
    let parts = Parts {
        tbs: range(tbs)?,
        spki: range(spki)?,
        issuer: range(issuer_raw)?,
        subject: range(subject_raw)?,
        authority_key_id: exts.authority_key_id.and_then(range),
        subject_key_id: exts.subject_key_id.and_then(range),
        signature_bits: range(signature_bits)?,
        key_bits: range(key_bits)?,
        scheme,
        curve,
    };
    Some(CertificateInfo {
        common_name: subject.common_name(),
        organizations: subject.organizations(),
        issuer_common_name: issuer.common_name(),
        subject: subject.text,
        issuer: issuer.text,
        serial: hex(der::unsigned(serial)),
        sha256_fingerprint: hex(ring::digest::digest(&ring::digest::SHA256, der_bytes).as_ref()),
        validity: Validity::between(Some(not_before), not_after),
        key,
        signature_algorithm: signature_name.to_owned(),
        is_ca: exts.is_ca,
        self_issued: subject_raw == issuer_raw,
        der: der_bytes.to_vec(),
        parts,
    })
}
