//! Certificate decoding: PEM or DER in, [`CertificateInfo`] facts out.
//!
//! Decoding keeps the DER and where its parts lie (`parts`), so that the two
//! checks made later, a signature against a CA (`signature`) and a private key
//! against the certificate (`private_key`), never parse the certificate again.

mod names;
mod parts;
mod pem;
mod private_key;
pub(crate) use private_key::private_key_fingerprint;
mod signature;
#[cfg(test)]
mod tests;
mod walk;

use std::ops::Range;

use serde::{Deserialize, Serialize};
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::Oid;
use x509_parser::pem::Pem;
use x509_parser::prelude::FromDer;

use self::parts::Parts;
use self::signature::{curve, scheme};
use crate::der;
use crate::error::{Error, Location};
use crate::expiry::Validity;

/// The facts kcred needs about one X.509 certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateInfo {
    /// Subject distinguished name, RFC 4514 style (`CN=masterclient,O=system:masters`).
    pub subject: String,
    /// Subject CN: the Kubernetes user name for client certificates.
    pub common_name: Option<String>,
    /// Subject O values: the Kubernetes groups for client certificates.
    pub organizations: Vec<String>,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Issuer CN.
    pub issuer_common_name: Option<String>,
    /// Serial number, lowercase hex without separators.
    pub serial: String,
    /// SHA-256 of the DER encoding, lowercase hex.
    pub sha256_fingerprint: String,
    /// notBefore / notAfter.
    pub validity: Validity,
    /// Public key algorithm and size.
    pub key: KeyInfo,
    /// Signature algorithm name, like `sha256WithRSAEncryption`.
    pub signature_algorithm: String,
    /// Whether the basicConstraints extension says CA.
    pub is_ca: bool,
    /// Whether subject equals issuer.
    pub self_issued: bool,
    /// Not serialized: a deserialized certificate has no DER, so [`Self::der`] is
    /// empty and signature and key checks answer as for an unknown certificate.
    #[serde(skip)]
    der: Vec<u8>,
    /// Where the parts that signature checks and key matching need lie in `der`,
    /// found once at decode time so those checks do not parse the certificate again.
    #[serde(skip)]
    parts: Parts,
}

/// A public key's algorithm and strength.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInfo {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA` or `unknown`.
    pub algorithm: String,
    /// Size in bits (RSA modulus, EC field size; 256 for Ed25519).
    pub bits: Option<u32>,
    /// Named curve for EC keys (`P-256`, `P-384`, `P-521`).
    pub curve: Option<String>,
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_ED25519: &str = "1.3.101.112";

/// Signature algorithms that RFC 9155 / CA/B forum rules consider broken.
const WEAK_SIGNATURES: &[&str] = &[
    "md2WithRSAEncryption",
    "md5WithRSAEncryption",
    "sha1WithRSAEncryption",
    "ecdsa-with-SHA1",
    "dsa-with-SHA1",
];

impl CertificateInfo {
    /// Whether the signature algorithm uses MD5 or SHA-1.
    pub fn has_weak_signature(&self) -> bool {
        WEAK_SIGNATURES.contains(&self.signature_algorithm.as_str())
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    fn part(&self, range: &Range<usize>) -> &[u8] {
        self.der.get(range.clone()).unwrap_or_default()
    }
}

/// Decodes every certificate in PEM text (in order; other PEM blocks are skipped)
/// or, when the input is not PEM, one DER certificate.
///
/// ```
/// # use kcred_core::{decode_certificates, Location, Error};
/// let err = decode_certificates(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", &Location::file("x.pem"));
/// assert!(matches!(err, Err(Error::NoCertificate { .. })));
/// ```
pub fn decode_certificates(bytes: &[u8], at: &Location) -> Result<Vec<CertificateInfo>, Error> {
    let looks_pem = bytes.windows(11).any(|w| w == b"-----BEGIN ");
    if !looks_pem {
        return decode_der(bytes, at)
            .map(|c| vec![c])
            .map_err(|e| reworded(e, "not PEM, and"));
    }
    match pem::blocks(bytes) {
        Some(blocks) => certificates_in(blocks.into_iter().map(|b| Ok((b.label, b.contents))), at),
        None => certificates_in(
            Pem::iter_from_buffer(bytes).map(|b| b.map(|b| (b.label, b.contents)).map_err(drop)),
            at,
        ),
    }
}

/// The certificates among PEM blocks (label, body; `Err` for a malformed block).
fn certificates_in<L: AsRef<str>>(
    blocks: impl Iterator<Item = Result<(L, Vec<u8>), ()>>,
    at: &Location,
) -> Result<Vec<CertificateInfo>, Error> {
    let mut out = Vec::new();
    for block in blocks {
        let Ok((label, contents)) = block else {
            // A truncated or malformed block ends the bundle; what came before stands.
            if out.is_empty() {
                return Err(Error::BadCertificate {
                    at: at.clone(),
                    reason: "PEM with a truncated body: no END line, or not base64".to_owned(),
                });
            }
            break;
        };
        if matches!(label.as_ref(), "CERTIFICATE" | "X509 CERTIFICATE") {
            let cert = decode_der(&contents, at)
                .map_err(|e| reworded(e, "PEM around bytes that are not a certificate:"))?;
            out.push(cert);
        }
    }
    if out.is_empty() {
        return Err(Error::NoCertificate { at: at.clone() });
    }
    Ok(out)
}

/// Decodes one DER certificate.
///
/// A validity time not in an RFC 5280 DER form (UTCTime `YYMMDDHHMMSSZ`,
/// GeneralizedTime `YYYYMMDDHHMMSSZ`) is an [`Error::BadCertificate`] naming it.
pub fn decode_der(der_bytes: &[u8], at: &Location) -> Result<CertificateInfo, Error> {
    // kcred's own walk first; x509-parser for whatever the walk declines.
    match walk::facts(der_bytes) {
        Some(info) => Ok(info),
        None => decode_der_parsed(der_bytes, at),
    }
}

impl CertificateInfo {
    /// The facts of one DER certificate both ways: kcred's own walk (`None` when
    /// it declines) and x509-parser (`None` when it rejects the bytes). For the
    /// differential fuzz target `cert_facts` and its tests; not a stable API.
    #[doc(hidden)]
    pub fn decode_both_ways(der_bytes: &[u8]) -> (Option<Self>, Option<Self>) {
        let parsed = decode_der_parsed(der_bytes, &Location::file("cert.der")).ok();
        (walk::facts(der_bytes), parsed)
    }
}

/// [`decode_der`] by x509-parser's full parse: the oracle of the walk.
fn decode_der_parsed(der_bytes: &[u8], at: &Location) -> Result<CertificateInfo, Error> {
    let (_, cert) = X509Certificate::from_der(der_bytes).map_err(|e| Error::BadCertificate {
        at: at.clone(),
        reason: der_reason(&e).to_owned(),
    })?;
    if let Some(which) = parts::nonconforming_time(der_bytes) {
        return Err(Error::BadCertificate {
            at: at.clone(),
            reason: format!(
                "{which} is not an RFC 5280 time (UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ)"
            ),
        });
    }
    let validity = cert.validity();
    let not_before = validity.not_before.to_datetime();
    let not_after = validity.not_after.to_datetime();
    let subject = cert.subject();
    let issuer = cert.issuer();
    let text = |attr: &x509_parser::x509::AttributeTypeAndValue<'_>| {
        attr.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|_| String::from_utf8_lossy(attr.as_slice()).into_owned())
    };
    let der_len = cert.as_raw().len();
    let der = der_bytes.get(..der_len).unwrap_or(der_bytes).to_vec();
    let info = CertificateInfo {
        subject: subject.to_string(),
        common_name: subject.iter_common_name().next().map(text),
        organizations: subject.iter_organization().map(text).collect(),
        issuer: issuer.to_string(),
        issuer_common_name: issuer.iter_common_name().next().map(text),
        serial: hex(der::unsigned(cert.raw_serial())),
        sha256_fingerprint: hex(ring::digest::digest(&ring::digest::SHA256, &der).as_ref()),
        validity: Validity::between(Some(not_before), not_after),
        key: key_info(&cert),
        signature_algorithm: signature_name(&cert),
        is_ca: cert.is_ca(),
        self_issued: subject.as_raw() == issuer.as_raw(),
        parts: Parts::find(&der)
            .map(|parts| Parts {
                scheme: scheme(&cert),
                curve: curve(cert.public_key()),
                ..parts
            })
            .unwrap_or_default(),
        der,
    };
    Ok(info)
}

/// What the DER parser found wrong, in the user's terms (never its debug text).
fn der_reason(e: &x509_parser::nom::Err<x509_parser::error::X509Error>) -> &'static str {
    use x509_parser::error::X509Error as X;
    match e {
        x509_parser::nom::Err::Incomplete(_) => "the DER certificate is cut short",
        x509_parser::nom::Err::Error(x) | x509_parser::nom::Err::Failure(x) => match x {
            X::InvalidDate => "a validity time is not a valid date",
            X::InvalidVersion => "the certificate version is invalid",
            X::InvalidSerial => "the serial number is invalid",
            X::InvalidAlgorithmIdentifier | X::InvalidSignatureValue => {
                "the signature algorithm or value is invalid"
            }
            X::InvalidX509Name => "the subject or issuer name is invalid",
            X::InvalidSPKI => "the public key is invalid",
            X::InvalidExtensions | X::DuplicateExtensions => "an extension is invalid",
            _ => "the bytes are not an X.509 certificate in DER",
        },
    }
}

/// A [`decode_der`] error with `context` put before its reason.
fn reworded(e: Error, context: &str) -> Error {
    match e {
        Error::BadCertificate { at, reason } => Error::BadCertificate {
            at,
            reason: format!("{context} {reason}"),
        },
        other => other,
    }
}

/// Key algorithms by OID (compared as encoded: no dotted string is built).
#[derive(Clone, Copy)]
enum KeyKind {
    Rsa,
    Ec,
    Ed25519,
    Ed448,
    Dsa,
}

fn key_info(cert: &X509Certificate<'_>) -> KeyInfo {
    use x509_parser::oid_registry::*;
    let spki = cert.public_key();
    let bits = |n: usize| u32::try_from(n).ok().filter(|b| *b > 0);
    let kind = signature::lookup(
        &spki.algorithm.algorithm,
        &[
            (OID_PKCS1_RSAENCRYPTION, KeyKind::Rsa),
            (OID_KEY_TYPE_EC_PUBLIC_KEY, KeyKind::Ec),
            (OID_SIG_ED25519, KeyKind::Ed25519),
            (OID_SIG_ED448, KeyKind::Ed448),
            (OID_KEY_TYPE_DSA, KeyKind::Dsa),
        ],
    );
    let (algorithm, size, curve) = match kind {
        Some(KeyKind::Rsa) => (
            "RSA",
            spki.parsed().ok().and_then(|k| bits(k.key_size())),
            None,
        ),
        Some(KeyKind::Ec) => {
            let curve_oid = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok());
            let named = curve_oid.and_then(|oid| {
                signature::lookup(
                    &oid,
                    &[
                        (OID_EC_P256, ("P-256", 256)),
                        (OID_NIST_EC_P384, ("P-384", 384)),
                        (OID_NIST_EC_P521, ("P-521", 521)),
                    ],
                )
            });
            let (curve, size) = match named {
                Some((curve, size)) => (Some(curve), Some(size)),
                None => (None, spki.parsed().ok().and_then(|k| bits(k.key_size()))),
            };
            ("EC", size, curve.map(str::to_owned))
        }
        Some(KeyKind::Ed25519) => ("Ed25519", Some(256), None),
        Some(KeyKind::Ed448) => ("Ed448", Some(456), None),
        Some(KeyKind::Dsa) => ("DSA", None, None),
        None => ("unknown", None, None),
    };
    KeyInfo {
        algorithm: algorithm.to_owned(),
        bits: size,
        curve,
    }
}

/// The signature algorithms of nearly every certificate, compared as encoded
/// (no dotted string built); each name is the one [`signature_name_of`] gives.
const COMMON_SIGNATURES: &[(Oid<'static>, &str)] = {
    use x509_parser::oid_registry::*;
    &[
        (OID_PKCS1_SHA256WITHRSA, "sha256WithRSAEncryption"),
        (OID_SIG_ECDSA_WITH_SHA256, "ecdsa-with-SHA256"),
        (OID_SIG_ECDSA_WITH_SHA384, "ecdsa-with-SHA384"),
        (OID_PKCS1_SHA384WITHRSA, "sha384WithRSAEncryption"),
        (OID_PKCS1_SHA512WITHRSA, "sha512WithRSAEncryption"),
        (OID_SIG_ED25519, "Ed25519"),
    ]
};

fn signature_name(cert: &X509Certificate<'_>) -> String {
    let oid = &cert.signature_algorithm.algorithm;
    if let Some(name) = signature::lookup(oid, COMMON_SIGNATURES) {
        return name.to_owned();
    }
    let id = oid.to_id_string();
    signature_name_of(&id).map_or(id, str::to_owned)
}

/// The name of a signature algorithm by dotted OID.
fn signature_name_of(id: &str) -> Option<&'static str> {
    Some(match id {
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.10040.4.3" => "dsa-with-SHA1",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        _ => return None,
    })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    // A table, not `write!("{b:02x}")`: formatting per byte was a tenth of a
    // certificate's decode time (callgrind, BENCHMARKS.md).
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}
