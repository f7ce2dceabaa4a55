//! Certificate decoding: PEM or DER in, [`CertificateInfo`] facts out.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use x509_parser::certificate::X509Certificate;
use x509_parser::pem::Pem;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::signature_algorithm::RsaSsaPssParams;
use x509_parser::x509::SubjectPublicKeyInfo;

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

/// Byte ranges in a certificate's DER: `Certificate ::= SEQUENCE { tbsCertificate,
/// signatureAlgorithm, signatureValue }` and the subjectPublicKeyInfo in the TBS,
/// plus what issuer lookups and signature checks need, so that neither parses the
/// certificate again.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Parts {
    tbs: Range<usize>,
    spki: Range<usize>,
    /// The issuer and subject Names whole (tag and length included): issuer
    /// lookups compare these bytes, as Go's crypto/x509 (the API server) does.
    issuer: Range<usize>,
    subject: Range<usize>,
    /// keyIdentifier of the authorityKeyIdentifier extension, when present.
    authority_key_id: Option<Range<usize>>,
    /// The subjectKeyIdentifier extension's value, when present.
    subject_key_id: Option<Range<usize>>,
    /// The signature's bits (signatureValue without its unused-bits byte).
    signature_bits: Range<usize>,
    /// The public key's bits (subjectPublicKey without its unused-bits byte):
    /// the input `ring` verifies with, kept so a CA's key is not re-parsed from
    /// its SPKI on every check.
    key_bits: Range<usize>,
    /// How this certificate is signed (set from the full parse).
    scheme: Scheme,
    /// The curve named by the SPKI's algorithm parameters (set from the full parse).
    curve: Option<Curve>,
}

/// The signature schemes x509-parser's `verify_signature` maps to `ring`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Scheme {
    #[default]
    Unsupported,
    RsaSha1,
    RsaSha256,
    RsaSha384,
    RsaSha512,
    PssSha256,
    PssSha384,
    PssSha512,
    EcdsaSha256,
    EcdsaSha384,
    Ed25519,
}

/// EC curves `ring` verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
}

/// OIDs of the extensions issuer lookups read (content bytes).
const OID_SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1d, 0x0e];
const OID_AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];

impl Parts {
    /// `None` when the DER does not have the expected shape (then the checks fall
    /// back to a full parse).
    fn find(der_bytes: &[u8]) -> Option<Parts> {
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
    let (inner, _) = der::read(found)?;
    if oid == OID_SUBJECT_KEY_ID {
        // SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING)
        return (inner.tag == der::OCTET_STRING).then_some(inner.content);
    }
    // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OPTIONAL, ... }
    (inner.tag == 0x30).then_some(())?;
    let items = der::children(inner.content)?;
    items.iter().find(|e| e.tag == 0x80).map(|e| e.content)
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
const OID_ED448: &str = "1.3.101.113";
const OID_DSA: &str = "1.2.840.10040.4.1";

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

    /// Whether `issuer`'s public key verifies this certificate's signature
    /// (dates are not considered). `false` when either does not parse or the
    /// algorithm is one `ring` does not support.
    ///
    /// One signature check, with no look at names: to find which CA of a bundle
    /// signed a certificate, kcred asks [`crate::verify`]'s index and budget.
    pub fn is_signed_by(&self, issuer: &CertificateInfo) -> bool {
        if self.parts.tbs.is_empty() || issuer.parts.spki.is_empty() {
            return self.is_signed_by_reparsed(issuer);
        }
        // The key bits straight from the kept range: no SPKI parse per check.
        let Some(algorithm) = ring_algorithm(self.parts.scheme, issuer.parts.curve) else {
            return false;
        };
        ring::signature::UnparsedPublicKey::new(algorithm, issuer.part(&issuer.parts.key_bits))
            .verify(
                self.part(&self.parts.tbs),
                self.part(&self.parts.signature_bits),
            )
            .is_ok()
    }

    /// The issuer Name as encoded (tag and length included); `None` when the
    /// certificate's shape was not found.
    pub(crate) fn issuer_name(&self) -> Option<&[u8]> {
        Some(self.part(&self.parts.issuer)).filter(|n| !n.is_empty())
    }

    /// The subject Name as encoded; `None` when the certificate's shape was not found.
    pub(crate) fn subject_name(&self) -> Option<&[u8]> {
        Some(self.part(&self.parts.subject)).filter(|n| !n.is_empty())
    }

    /// Whether `issuer` can have issued this certificate going by names alone:
    /// this certificate's issuer Name equals `issuer`'s subject Name, and when
    /// both carry them, the authority key identifier equals the subject key
    /// identifier. `true` when a name is unknown (then only a signature tells).
    pub(crate) fn may_be_issued_by(&self, issuer: &CertificateInfo) -> bool {
        let (Some(name), Some(subject)) = (self.issuer_name(), issuer.subject_name()) else {
            return true;
        };
        let key_ids = (
            self.parts.authority_key_id.as_ref(),
            issuer.parts.subject_key_id.as_ref(),
        );
        let ids_agree = match key_ids {
            (Some(aki), Some(ski)) => self.part(aki) == issuer.part(ski),
            _ => true,
        };
        name == subject && ids_agree
    }

    /// [`Self::is_signed_by`] through a full parse of both certificates.
    fn is_signed_by_reparsed(&self, issuer: &CertificateInfo) -> bool {
        let (Ok((_, child)), Ok((_, parent))) = (
            X509Certificate::from_der(&self.der),
            X509Certificate::from_der(&issuer.der),
        ) else {
            return false;
        };
        child.verify_signature(Some(parent.public_key())).is_ok()
    }

    fn part(&self, range: &Range<usize>) -> &[u8] {
        self.der.get(range.clone()).unwrap_or_default()
    }

    /// The subjectPublicKeyInfo, parsed alone.
    fn public_key_info(&self) -> Option<SubjectPublicKeyInfo<'_>> {
        SubjectPublicKeyInfo::from_der(self.part(&self.parts.spki))
            .ok()
            .map(|(_, spki)| spki)
    }

    /// Whether the private key (PEM: PKCS#1, SEC1 or PKCS#8) holds the public key of
    /// this certificate. `Ok(None)` when it cannot be told (encrypted key, EC key
    /// without its public point).
    pub fn matches_private_key(
        &self,
        key_pem: &[u8],
        at: &Location,
    ) -> Result<Option<bool>, Error> {
        let bad = |reason: &str| Error::BadPrivateKey {
            at: at.clone(),
            reason: reason.to_owned(),
        };
        // The first key block: a kubelet's kubelet-client-current.pem holds the
        // certificate first and the key after it, and kubelet.conf names it as both.
        let mut blocks = Pem::iter_from_buffer(key_pem).peekable();
        if blocks.peek().is_none() {
            return Err(bad("no PEM block"));
        }
        let block = blocks
            .find(|b| {
                b.as_ref()
                    .map_or(true, |b| b.label.ends_with("PRIVATE KEY"))
            })
            .ok_or_else(|| bad("PEM block is not a private key"))?;
        let block = block.map_err(|_| bad("malformed PEM"))?;
        let public = match block.label.as_str() {
            "RSA PRIVATE KEY" => {
                rsa_modulus(&block.contents).map(|m| m.map(PublicPart::RsaModulus))
            }
            "EC PRIVATE KEY" => ec_point(&block.contents).map(|p| p.map(PublicPart::Point)),
            "PRIVATE KEY" => pkcs8_public(&block.contents),
            "ENCRYPTED PRIVATE KEY" => return Ok(None),
            _ => return Err(bad("PEM block is not a private key")),
        }
        .ok_or_else(|| bad("malformed key structure"))?;
        let Some(public) = public else {
            return Ok(None);
        };
        let same = |spki: &SubjectPublicKeyInfo<'_>| match (&public, spki.parsed()) {
            (PublicPart::RsaModulus(m), Ok(PublicKey::RSA(rsa))) => {
                der::unsigned(m) == der::unsigned(rsa.modulus)
            }
            (PublicPart::Point(p), _) => p.as_slice() == spki.subject_public_key.data.as_ref(),
            _ => false,
        };
        if let Some(spki) = self.public_key_info() {
            return Ok(Some(same(&spki)));
        }
        let Ok((_, cert)) = X509Certificate::from_der(&self.der) else {
            return Ok(None);
        };
        Ok(Some(same(cert.public_key())))
    }
}

enum PublicPart {
    RsaModulus(Vec<u8>),
    Point(Vec<u8>),
}

/// PKCS#1 RSAPrivateKey: SEQUENCE { version, modulus, publicExponent, ... }.
fn rsa_modulus(der_bytes: &[u8]) -> Option<Option<Vec<u8>>> {
    let (seq, _) = der::read(der_bytes)?;
    let items = der::children(seq.content)?;
    let modulus = items.get(1).filter(|e| e.tag == der::INTEGER)?;
    Some(Some(modulus.content.to_vec()))
}

/// SEC1 ECPrivateKey: SEQUENCE { version, privateKey, [0] params?, [1] publicKey? }.
fn ec_point(der_bytes: &[u8]) -> Option<Option<Vec<u8>>> {
    let (seq, _) = der::read(der_bytes)?;
    let items = der::children(seq.content)?;
    let Some(explicit) = items.iter().find(|e| e.tag == 0xa1) else {
        return Some(None);
    };
    let (bits, _) = der::read(explicit.content)?;
    // BIT STRING content starts with the count of unused bits.
    (bits.tag == der::BIT_STRING).then(|| bits.content.get(1..).map(<[u8]>::to_vec))
}

/// PKCS#8 PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier, OCTET STRING key, ... }.
fn pkcs8_public(der_bytes: &[u8]) -> Option<Option<PublicPart>> {
    let (seq, _) = der::read(der_bytes)?;
    let items = der::children(seq.content)?;
    let algorithm = der::children(items.get(1)?.content)?;
    let oid = algorithm.first().filter(|e| e.tag == der::OID)?;
    let inner = items.get(2).filter(|e| e.tag == der::OCTET_STRING)?.content;
    match oid_string(oid.content).as_str() {
        OID_RSA => rsa_modulus(inner).map(|m| m.map(PublicPart::RsaModulus)),
        OID_EC => ec_point(inner).map(|p| p.map(PublicPart::Point)),
        OID_ED25519 => {
            let (seed, _) = der::read(inner)?;
            let pair = ring::signature::Ed25519KeyPair::from_seed_unchecked(seed.content).ok()?;
            let public = ring::signature::KeyPair::public_key(&pair)
                .as_ref()
                .to_vec();
            Some(Some(PublicPart::Point(public)))
        }
        _ => Some(None),
    }
}

/// Dotted form of a DER OID's content bytes.
fn oid_string(content: &[u8]) -> String {
    let mut parts: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for (i, byte) in content.iter().enumerate() {
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            if parts.is_empty() && i < 8 {
                let first = (value / 40).min(2);
                parts.push(first);
                parts.push(value - first * 40);
            } else {
                parts.push(value);
            }
            value = 0;
        }
    }
    let text: Vec<String> = parts.iter().map(u64::to_string).collect();
    text.join(".")
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
        return decode_der(bytes, at).map(|c| vec![c]);
    }
    let mut out = Vec::new();
    for block in Pem::iter_from_buffer(bytes) {
        let Ok(block) = block else {
            // A truncated or malformed block ends the bundle; what came before stands.
            if out.is_empty() {
                return Err(Error::BadCertificate {
                    at: at.clone(),
                    reason: "malformed PEM".to_owned(),
                });
            }
            break;
        };
        if block.label == "CERTIFICATE" || block.label == "X509 CERTIFICATE" {
            out.push(decode_der(&block.contents, at)?);
        }
    }
    if out.is_empty() {
        return Err(Error::NoCertificate { at: at.clone() });
    }
    Ok(out)
}

/// Decodes one DER certificate.
pub fn decode_der(der_bytes: &[u8], at: &Location) -> Result<CertificateInfo, Error> {
    let (_, cert) = X509Certificate::from_der(der_bytes).map_err(|e| Error::BadCertificate {
        at: at.clone(),
        reason: e.to_string(),
    })?;
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

/// The scheme of the certificate's signatureAlgorithm, mapped as x509-parser's
/// `verify_signature` maps it (RSA-PSS by its hash; SHA-1 PSS is not supported).
fn scheme(cert: &X509Certificate<'_>) -> Scheme {
    use x509_parser::oid_registry::*;
    let algorithm = &cert.signature_algorithm;
    let oid = &algorithm.algorithm;
    if *oid == OID_PKCS1_SHA1WITHRSA || *oid == OID_SHA1_WITH_RSA {
        Scheme::RsaSha1
    } else if *oid == OID_PKCS1_SHA256WITHRSA {
        Scheme::RsaSha256
    } else if *oid == OID_PKCS1_SHA384WITHRSA {
        Scheme::RsaSha384
    } else if *oid == OID_PKCS1_SHA512WITHRSA {
        Scheme::RsaSha512
    } else if *oid == OID_PKCS1_RSASSAPSS {
        let params = algorithm
            .parameters
            .as_ref()
            .and_then(|p| RsaSsaPssParams::try_from(p).ok());
        match params.as_ref().map(RsaSsaPssParams::hash_algorithm_oid) {
            Some(h) if *h == OID_NIST_HASH_SHA256 => Scheme::PssSha256,
            Some(h) if *h == OID_NIST_HASH_SHA384 => Scheme::PssSha384,
            Some(h) if *h == OID_NIST_HASH_SHA512 => Scheme::PssSha512,
            _ => Scheme::Unsupported,
        }
    } else if *oid == OID_SIG_ECDSA_WITH_SHA256 {
        Scheme::EcdsaSha256
    } else if *oid == OID_SIG_ECDSA_WITH_SHA384 {
        Scheme::EcdsaSha384
    } else if *oid == OID_SIG_ED25519 {
        Scheme::Ed25519
    } else {
        Scheme::Unsupported
    }
}

/// The curve named by the key's algorithm parameters (whatever the algorithm,
/// as x509-parser reads it).
fn curve(spki: &SubjectPublicKeyInfo<'_>) -> Option<Curve> {
    use x509_parser::oid_registry::{OID_EC_P256, OID_NIST_EC_P384};
    let oid = spki.algorithm.parameters.as_ref()?.as_oid().ok()?;
    if oid == OID_EC_P256 {
        Some(Curve::P256)
    } else if oid == OID_NIST_EC_P384 {
        Some(Curve::P384)
    } else {
        None
    }
}

/// The `ring` algorithm for a child's scheme and its issuer's curve: the table
/// of x509-parser's `verify_signature`.
fn ring_algorithm(
    scheme: Scheme,
    curve: Option<Curve>,
) -> Option<&'static dyn ring::signature::VerificationAlgorithm> {
    use ring::signature as s;
    Some(match (scheme, curve) {
        (Scheme::RsaSha1, _) => &s::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        (Scheme::RsaSha256, _) => &s::RSA_PKCS1_2048_8192_SHA256,
        (Scheme::RsaSha384, _) => &s::RSA_PKCS1_2048_8192_SHA384,
        (Scheme::RsaSha512, _) => &s::RSA_PKCS1_2048_8192_SHA512,
        (Scheme::PssSha256, _) => &s::RSA_PSS_2048_8192_SHA256,
        (Scheme::PssSha384, _) => &s::RSA_PSS_2048_8192_SHA384,
        (Scheme::PssSha512, _) => &s::RSA_PSS_2048_8192_SHA512,
        (Scheme::EcdsaSha256, Some(Curve::P256)) => &s::ECDSA_P256_SHA256_ASN1,
        (Scheme::EcdsaSha256, Some(Curve::P384)) => &s::ECDSA_P384_SHA256_ASN1,
        (Scheme::EcdsaSha384, Some(Curve::P256)) => &s::ECDSA_P256_SHA384_ASN1,
        (Scheme::EcdsaSha384, Some(Curve::P384)) => &s::ECDSA_P384_SHA384_ASN1,
        (Scheme::Ed25519, _) => &s::ED25519,
        _ => return None,
    })
}

fn key_info(cert: &X509Certificate<'_>) -> KeyInfo {
    let spki = cert.public_key();
    let oid = spki.algorithm.algorithm.to_id_string();
    let bits = |n: usize| u32::try_from(n).ok().filter(|b| *b > 0);
    let (algorithm, size, curve) = match oid.as_str() {
        OID_RSA => (
            "RSA",
            spki.parsed().ok().and_then(|k| bits(k.key_size())),
            None,
        ),
        OID_EC => {
            let curve_oid = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string());
            let (curve, size) = match curve_oid.as_deref() {
                Some("1.2.840.10045.3.1.7") => (Some("P-256"), Some(256)),
                Some("1.3.132.0.34") => (Some("P-384"), Some(384)),
                Some("1.3.132.0.35") => (Some("P-521"), Some(521)),
                _ => (None, spki.parsed().ok().and_then(|k| bits(k.key_size()))),
            };
            ("EC", size, curve.map(str::to_owned))
        }
        OID_ED25519 => ("Ed25519", Some(256), None),
        OID_ED448 => ("Ed448", Some(456), None),
        OID_DSA => ("DSA", None, None),
        _ => ("unknown", None, None),
    };
    KeyInfo {
        algorithm: algorithm.to_owned(),
        bits: size,
        curve,
    }
}

fn signature_name(cert: &X509Certificate<'_>) -> String {
    let oid = &cert.signature_algorithm.algorithm;
    let name = match oid.to_id_string().as_str() {
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
        other => return other.to_owned(),
    };
    name.to_owned()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn oid_strings() {
        assert_eq!(
            oid_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]),
            OID_RSA
        );
        assert_eq!(oid_string(&[0x2b, 0x65, 0x70]), OID_ED25519);
    }

    #[test]
    fn kept_parts_agree_with_a_full_parse() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/certs");
        let mut certs = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "crt") {
                let at = Location::file(&path);
                certs.extend(decode_certificates(&std::fs::read(&path).unwrap(), &at).unwrap());
            }
        }
        assert!(certs.len() > 10);
        let mut signed = 0;
        for child in &certs {
            assert_ne!(child.parts, Parts::default(), "{}", child.subject);
            for parent in &certs {
                let fast = child.is_signed_by(parent);
                assert_eq!(fast, child.is_signed_by_reparsed(parent));
                signed += usize::from(fast);
            }
        }
        assert!(signed > 0);
    }

    #[test]
    fn the_name_filter_keeps_every_real_issuer_of_the_fixtures() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
        let mut certs = Vec::new();
        let mut folders = vec![dir.join("certs"), dir.join("pki")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if let Ok(found) =
                    decode_certificates(&std::fs::read(&path).unwrap(), &Location::file(&path))
                {
                    certs.extend(found);
                }
            }
        }
        let (mut signed, mut with_ids) = (0, 0);
        for child in &certs {
            for parent in &certs {
                if child.is_signed_by(parent) {
                    assert!(child.may_be_issued_by(parent), "{}", child.subject);
                    signed += 1;
                    with_ids += usize::from(
                        child.parts.authority_key_id.is_some()
                            && parent.parts.subject_key_id.is_some(),
                    );
                } else if child.issuer_name() != parent.subject_name() {
                    assert!(!child.may_be_issued_by(parent));
                }
            }
        }
        assert!(signed > 0 && with_ids > 0, "{signed} {with_ids}");
    }

    #[test]
    fn garbage_is_a_typed_error() {
        let at = Location::file("x");
        assert!(matches!(
            decode_certificates(b"\x30\x03\x01", &at),
            Err(Error::BadCertificate { .. })
        ));
        assert!(matches!(
            decode_certificates(b"", &at),
            Err(Error::BadCertificate { .. })
        ));
        let truncated = b"-----BEGIN CERTIFICATE-----\nMIIB\n";
        assert!(decode_certificates(truncated, &at).is_err());
    }
}
