//! KC1xx: client certificates.

use super::prelude::*;

/// The documentation of the rules below (see `doc.rs`).
const DOCS: &str = include_str!("certificate.md");

pub(super) const RULES: &[Rule] = &[
    entry!(IrrevocableAdmin Certificate Error true None, &[Check::Credential(irrevocable_admin)], Advice::lifetime(Situation::SystemMasters)),
    entry!(WeakKey Certificate Error true None, &[Check::Credential(weak_key)], Advice::FIX),
    entry!(CertKeyMismatch Certificate Error true None, &[Check::Credential(cert_key_mismatch)], Advice::FIX),
    entry!(NotSignedByClusterCa Certificate Warning false None, &[Check::Credential(not_signed_by_cluster_ca)], Advice::FIX),
];

fn irrevocable_admin(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let cc = credential!(c, ClientCertificate).filter(|_| c.record.is_system_masters())?;
    let cn = cc
        .certificate
        .as_ref()
        .and_then(|c| c.common_name.as_deref())
        .unwrap_or("");
    Some(
        format!(
            "{} (CN={cn}) is in group system:masters: RBAC cannot limit it and only a CA rotation revokes it",
            c.who
        )
        .into(),
    )
}

fn weak_key(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let cc = credential!(c, ClientCertificate)?;
    let mut weak = Vec::new();
    for cert in cc.certificate.iter().chain(cc.chain.iter()) {
        let key = &cert.key;
        if matches!(key.algorithm.as_str(), "RSA" | "DSA") && key.bits.is_some_and(|b| b < 2048) {
            weak.push(format!(
                "a {}-bit {} key",
                key.bits.unwrap_or(0),
                key.algorithm
            ));
        }
        if cert.has_weak_signature() {
            weak.push(format!("a {} signature", cert.signature_algorithm));
        }
    }
    weak.dedup();
    (!weak.is_empty()).then(|| format!("{} has {}", c.who, weak.join(" and ")).into())
}

fn cert_key_mismatch(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    credential!(c, ClientCertificate).filter(|cc| cc.key_matches == Some(false))?;
    Some(
        format!(
            "the private key of user {} does not belong to its client certificate",
            c.record.user
        )
        .into(),
    )
}

fn not_signed_by_cluster_ca(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    credential!(c, ClientCertificate).filter(|cc| cc.signed_by_cluster_ca == Some(false))?;
    Some(
        format!(
            "{} is not signed by the CA of cluster {}",
            c.who,
            c.record.clusters.join(", ")
        )
        .into(),
    )
}
