//! Signature checks: whether a CA's key verifies a certificate, with `ring`,
//! from the kept byte ranges; and the name filter that picks candidate issuers.

use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::Oid;
use x509_parser::prelude::FromDer;
use x509_parser::signature_algorithm::RsaSsaPssParams;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::CertificateInfo;

/// The signature schemes x509-parser's `verify_signature` maps to `ring`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Scheme {
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
pub(super) enum Curve {
    P256,
    P384,
}

impl CertificateInfo {
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
    pub(super) fn is_signed_by_reparsed(&self, issuer: &CertificateInfo) -> bool {
        let (Ok((_, child)), Ok((_, parent))) = (
            X509Certificate::from_der(&self.der),
            X509Certificate::from_der(&issuer.der),
        ) else {
            return false;
        };
        child.verify_signature(Some(parent.public_key())).is_ok()
    }
}

/// The scheme of the certificate's signatureAlgorithm, mapped as x509-parser's
/// `verify_signature` maps it (RSA-PSS by its hash; SHA-1 PSS is not supported).
pub(super) fn scheme(cert: &X509Certificate<'_>) -> Scheme {
    use x509_parser::oid_registry::*;
    let algorithm = &cert.signature_algorithm;
    let oid = &algorithm.algorithm;
    if *oid == OID_PKCS1_RSASSAPSS {
        // RSA-PSS names its hash in the parameters.
        let params = algorithm
            .parameters
            .as_ref()
            .and_then(|p| RsaSsaPssParams::try_from(p).ok());
        let Some(hash) = params.as_ref().map(RsaSsaPssParams::hash_algorithm_oid) else {
            return Scheme::Unsupported;
        };
        return lookup(
            hash,
            &[
                (OID_NIST_HASH_SHA256, Scheme::PssSha256),
                (OID_NIST_HASH_SHA384, Scheme::PssSha384),
                (OID_NIST_HASH_SHA512, Scheme::PssSha512),
            ],
        )
        .unwrap_or(Scheme::Unsupported);
    }
    lookup(
        oid,
        &[
            (OID_PKCS1_SHA1WITHRSA, Scheme::RsaSha1),
            (OID_SHA1_WITH_RSA, Scheme::RsaSha1),
            (OID_PKCS1_SHA256WITHRSA, Scheme::RsaSha256),
            (OID_PKCS1_SHA384WITHRSA, Scheme::RsaSha384),
            (OID_PKCS1_SHA512WITHRSA, Scheme::RsaSha512),
            (OID_SIG_ECDSA_WITH_SHA256, Scheme::EcdsaSha256),
            (OID_SIG_ECDSA_WITH_SHA384, Scheme::EcdsaSha384),
            (OID_SIG_ED25519, Scheme::Ed25519),
        ],
    )
    .unwrap_or(Scheme::Unsupported)
}

/// The curve named by the key's algorithm parameters (whatever the algorithm,
/// as x509-parser reads it).
pub(super) fn curve(spki: &SubjectPublicKeyInfo<'_>) -> Option<Curve> {
    use x509_parser::oid_registry::{OID_EC_P256, OID_NIST_EC_P384};
    let oid = spki.algorithm.parameters.as_ref()?.as_oid().ok()?;
    lookup(
        &oid,
        &[(OID_EC_P256, Curve::P256), (OID_NIST_EC_P384, Curve::P384)],
    )
}

/// What `table` maps `oid` to (a table, not an `if` chain: one line per OID).
pub(super) fn lookup<T: Copy>(oid: &Oid<'_>, table: &[(Oid<'_>, T)]) -> Option<T> {
    table.iter().find(|(o, _)| o == oid).map(|(_, t)| *t)
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
