//! Matching a private key (PKCS#1, SEC1 or PKCS#8 PEM) to its certificate by
//! the public part it holds: the key is never used, only compared.

use x509_parser::certificate::X509Certificate;
use x509_parser::pem::Pem;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::{CertificateInfo, OID_EC, OID_ED25519, OID_RSA};
use crate::der;
use crate::error::{Error, Location};

impl CertificateInfo {
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

impl PublicPart {
    /// SHA-256 over the algorithm tag and the public part: equal for a key and
    /// the certificate that holds its public key, whatever encoding either uses.
    fn fingerprint(&self) -> [u8; 32] {
        let (tag, bytes): (&[u8], &[u8]) = match self {
            PublicPart::RsaModulus(m) => (b"rsa\0", der::unsigned(m)),
            PublicPart::Point(p) => (b"point\0", p),
        };
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(tag);
        ctx.update(bytes);
        let mut out = [0u8; 32];
        out.copy_from_slice(ctx.finish().as_ref());
        out
    }
}

impl CertificateInfo {
    /// The fingerprint of the public key the certificate holds, comparable with
    /// [`private_key_fingerprint`]; `None` without DER (a deserialized record).
    pub(crate) fn public_key_fingerprint(&self) -> Option<[u8; 32]> {
        let of = |spki: &SubjectPublicKeyInfo<'_>| match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => PublicPart::RsaModulus(rsa.modulus.to_vec()).fingerprint(),
            _ => PublicPart::Point(spki.subject_public_key.data.to_vec()).fingerprint(),
        };
        if let Some(spki) = self.public_key_info() {
            return Some(of(&spki));
        }
        let (_, cert) = X509Certificate::from_der(&self.der).ok()?;
        Some(of(cert.public_key()))
    }
}

/// The fingerprint of the public key inside one PEM private-key block (its
/// label and DER content), comparable with
/// [`CertificateInfo::public_key_fingerprint`]; `None` when it cannot be told
/// (encrypted, malformed, an EC key without its public point, another label).
pub(crate) fn private_key_fingerprint(label: &str, contents: &[u8]) -> Option<[u8; 32]> {
    let public = match label {
        "RSA PRIVATE KEY" => rsa_modulus(contents).map(|m| m.map(PublicPart::RsaModulus)),
        "EC PRIVATE KEY" => ec_point(contents).map(|p| p.map(PublicPart::Point)),
        "PRIVATE KEY" => pkcs8_public(contents),
        _ => None,
    };
    public.flatten().map(|p| p.fingerprint())
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
pub(super) fn oid_string(content: &[u8]) -> String {
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
