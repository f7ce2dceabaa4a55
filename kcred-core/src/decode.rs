//! `kcred decode`: one input — a PEM or DER certificate bundle, a JWT (or
//! another bearer token kcred recognises) or an ExecCredential JSON — told
//! apart by its content and decoded with the decoders the inventory uses
//! ([`crate::x509`], [`crate::token`], [`crate::exec`]).
//!
//! Decoding is pure and needs no instant: statuses are computed by the
//! renderers (`report/decode.rs`) at the `now` they are given. Secrets never
//! reach a [`Decoded`]: a private key is only named by its type, a token only
//! by its decoded facts (never its text, never its signature).

#[cfg(test)]
mod tests;

use x509_parser::extensions::GeneralName;
use x509_parser::pem::Pem;
use x509_parser::prelude::FromDer;

use crate::error::{Error, Location};
use crate::exec::parse_exec_credential;
use crate::token::{decode_token, TokenFormat, TokenInfo};
use crate::x509::{decode_der, CertificateInfo};

/// Everything one input decoded to, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The items, in the order the input holds them (never empty).
    pub items: Vec<DecodedItem>,
}

/// One thing found in a decoded input.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DecodedItem {
    /// A certificate of a bundle.
    Certificate(DecodedCertificate),
    /// A private key: only its type is kept, never a byte of it.
    PrivateKey {
        /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, `OpenSSH`, `encrypted` or
        /// `unknown`.
        key_type: String,
    },
    /// A PEM block that is neither a certificate nor a private key (a CSR, a
    /// public key, parameters): named by its label, not decoded.
    OtherPem {
        /// The PEM label, like `CERTIFICATE REQUEST`.
        label: String,
    },
    /// A bearer token (JWT, EKS, OpenShift, bootstrap): its decoded facts.
    Token(TokenInfo),
    /// An ExecCredential document (a plugin's output).
    ExecCredential(DecodedExecCredential),
}

/// A certificate with the facts the inventory does not keep (its SANs).
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedCertificate {
    /// 1-based position among the certificates of the input.
    pub index: usize,
    /// The decoded facts.
    pub info: CertificateInfo,
    /// subjectAltName entries, as `DNS:name`, `IP:addr`, `email:…`, `URI:…`.
    pub sans: Vec<String>,
}

/// What an ExecCredential holds, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedExecCredential {
    /// `apiVersion`.
    pub api_version: Option<String>,
    /// `status.expirationTimestamp`.
    pub expiration: Option<time::OffsetDateTime>,
    /// `status.token`, decoded (an opaque token decodes to format `opaque`).
    pub token: Option<TokenInfo>,
    /// `status.clientCertificateData`'s first certificate.
    pub client_certificate: Option<DecodedCertificate>,
    /// `status.clientKeyData` is present (never printed).
    pub has_client_key: bool,
    /// When the credential stops working: the expiration timestamp, else the
    /// token's or the certificate's own end.
    pub validity: Option<crate::expiry::Validity>,
}

/// What [`decode`] says when the input holds nothing it can decode.
const WHAT: &str = "certificate, JWT or ExecCredential";

/// Decodes `bytes` (already read, within the input limits), told apart by
/// content: JSON with `"kind": "ExecCredential"`; PEM (every certificate,
/// private keys named by type only, other blocks by label); a bearer token
/// kcred recognises (a JWT, EKS, OpenShift or bootstrap token); a DER
/// certificate. Anything else is an [`Error::BadDocument`] at `at`.
///
/// ```
/// use kcred_core::{decode, DecodedItem, Error, Location};
/// let at = Location::file("key.pem");
/// let key = b"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n";
/// let decoded = decode(key, &at)?;
/// assert_eq!(decoded.items, [DecodedItem::PrivateKey { key_type: "EC".into() }]);
/// assert!(matches!(decode(b"hello", &at), Err(Error::BadDocument { .. })));
/// # Ok::<(), Error>(())
/// ```
pub fn decode(bytes: &[u8], at: &Location) -> Result<Decoded, Error> {
    let text = std::str::from_utf8(bytes).ok();
    let trimmed = text.map(|t| t.trim_start_matches('\u{feff}').trim());
    let items = match trimmed {
        Some(t) if t.starts_with('{') => exec_credential(t, at)?,
        Some(_) if bytes.windows(11).any(|w| w == b"-----BEGIN ") => pem(bytes, at)?,
        Some(t) if !t.is_empty() && !t.contains(char::is_whitespace) => token(t, at)?,
        Some(t) => return Err(nothing(at, text_reason(t))),
        None => vec![DecodedItem::Certificate(der_certificate(bytes, at)?)],
    };
    Ok(Decoded { items })
}

fn nothing(at: &Location, reason: &str) -> Error {
    Error::BadDocument {
        at: at.clone(),
        what: WHAT.into(),
        reason: reason.to_owned(),
    }
}

/// Why text that is not JSON, PEM or one token cannot be decoded.
fn text_reason(text: &str) -> &'static str {
    let kubeconfig = ["clusters:", "users:", "contexts:"]
        .iter()
        .any(|k| text.contains(k));
    if kubeconfig {
        "this is a kubeconfig: `kcred inspect --kubeconfig FILE` lists its credentials"
    } else {
        "not PEM, DER, a JWT or an ExecCredential JSON"
    }
}

fn exec_credential(text: &str, at: &Location) -> Result<Vec<DecodedItem>, Error> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        nothing(
            at,
            &format!(
                "JSON, but not an ExecCredential: line {}: {}",
                e.line(),
                crate::exec::classify(&e)
            ),
        )
    })?;
    if doc.get("kind").and_then(serde_json::Value::as_str) != Some("ExecCredential") {
        return Err(nothing(at, "JSON, but its kind is not ExecCredential"));
    }
    let info = parse_exec_credential(text.as_bytes(), at)?;
    let client_certificate = info.client_certificate.map(|c| with_sans(1, c));
    Ok(vec![DecodedItem::ExecCredential(DecodedExecCredential {
        api_version: info.api_version,
        expiration: info.expiration,
        token: info.token,
        client_certificate,
        has_client_key: info.has_client_key,
        validity: info.validity,
    })])
}

/// Every block of a PEM bundle, in order. A malformed block ends the bundle
/// (what came before stands), as for kubeconfig certificate data.
fn pem(bytes: &[u8], at: &Location) -> Result<Vec<DecodedItem>, Error> {
    let mut items = Vec::new();
    let mut certificates = 0usize;
    for block in Pem::iter_from_buffer(bytes) {
        let Ok(block) = block else {
            if items.is_empty() {
                return Err(nothing(
                    at,
                    "a PEM block with a truncated body: no END line, or not base64",
                ));
            }
            break;
        };
        let item = match block.label.as_str() {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                certificates = certificates.saturating_add(1);
                let at = at.clone().with_entry(format!("certificate {certificates}"));
                let info = decode_der(&block.contents, &at)?;
                DecodedItem::Certificate(with_sans(certificates, info))
            }
            label if label.ends_with("PRIVATE KEY") => DecodedItem::PrivateKey {
                key_type: key_type(label, &block.contents).to_owned(),
            },
            label => DecodedItem::OtherPem {
                label: label.to_owned(),
            },
        };
        items.push(item);
    }
    if items.is_empty() {
        return Err(nothing(at, "PEM markers, but no PEM block"));
    }
    Ok(items)
}

/// The type of a private key, from its PEM label or (PKCS#8) its algorithm.
fn key_type(label: &str, der_bytes: &[u8]) -> &'static str {
    match label {
        "RSA PRIVATE KEY" => "RSA",
        "EC PRIVATE KEY" => "EC",
        "DSA PRIVATE KEY" => "DSA",
        "OPENSSH PRIVATE KEY" => "OpenSSH",
        "ENCRYPTED PRIVATE KEY" => "encrypted",
        "PRIVATE KEY" => pkcs8_algorithm(der_bytes).unwrap_or("unknown"),
        _ => "unknown",
    }
}

/// The algorithm of a PKCS#8 PrivateKeyInfo: `SEQUENCE { version,
/// AlgorithmIdentifier { OID, … }, … }`; `None` when it is not that shape.
fn pkcs8_algorithm(der_bytes: &[u8]) -> Option<&'static str> {
    const ALGORITHMS: &[(&[u8], &str)] = &[
        (
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
            "RSA",
        ),
        (
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a],
            "RSA-PSS",
        ),
        (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01], "EC"),
        (&[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01], "DSA"),
        (&[0x2b, 0x65, 0x70], "Ed25519"),
        (&[0x2b, 0x65, 0x71], "Ed448"),
    ];
    let (info, _) = crate::der::read(der_bytes)?;
    let items = crate::der::children(info.content)?;
    let algorithm = crate::der::children(items.get(1)?.content)?;
    let oid = algorithm.first().filter(|e| e.tag == crate::der::OID)?;
    ALGORITHMS
        .iter()
        .find(|(bytes, _)| *bytes == oid.content)
        .map(|(_, name)| *name)
}

/// One word of text: a token kcred recognises, else nothing decodable (an
/// opaque token says nothing about itself).
fn token(text: &str, at: &Location) -> Result<Vec<DecodedItem>, Error> {
    let info = decode_token(text, at)?;
    if info.format == TokenFormat::Opaque {
        return Err(nothing(
            at,
            "one word that is not a JWT, EKS, OpenShift or bootstrap token; an opaque token tells nothing about itself",
        ));
    }
    Ok(vec![DecodedItem::Token(info)])
}

/// Binary input: one DER certificate.
fn der_certificate(bytes: &[u8], at: &Location) -> Result<DecodedCertificate, Error> {
    match decode_der(bytes, at) {
        Ok(info) => Ok(with_sans(1, info)),
        Err(_) => Err(nothing(
            at,
            "binary, but not a DER certificate (nor PEM, a JWT or an ExecCredential JSON)",
        )),
    }
}

fn with_sans(index: usize, info: CertificateInfo) -> DecodedCertificate {
    let sans = sans(info.der());
    DecodedCertificate { index, info, sans }
}

/// The subjectAltName entries of a certificate's DER (none when it has no
/// such extension or the extension does not parse).
fn sans(der_bytes: &[u8]) -> Vec<String> {
    let Ok((_, cert)) = x509_parser::certificate::X509Certificate::from_der(der_bytes) else {
        return Vec::new();
    };
    let Ok(Some(san)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    san.value.general_names.iter().map(general_name).collect()
}

fn general_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(n) => format!("DNS:{n}"),
        GeneralName::RFC822Name(n) => format!("email:{n}"),
        GeneralName::URI(n) => format!("URI:{}", crate::secret::redact_url(n)),
        GeneralName::IPAddress(bytes) => format!("IP:{}", ip_text(bytes)),
        GeneralName::DirectoryName(n) => format!("DirName:{n}"),
        GeneralName::RegisteredID(oid) => format!("RID:{oid}"),
        _ => "othername".to_owned(),
    }
}

/// An IP address SAN: dotted IPv4, or IPv6 as eight hex groups (written
/// here: the core names no `std::net`, tests/tests/no_exec.rs).
fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => bytes
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join("."),
        16 => bytes
            .chunks(2)
            .map(|g| format!("{:x}", u16::from_be_bytes([g[0], g[1]])))
            .collect::<Vec<_>>()
            .join(":"),
        _ => crate::x509::hex(bytes),
    }
}
