//! KC1xx: client certificates.

use super::prelude::*;
use crate::credential::{ClientCertificate, Credential};

pub(super) const RULES: &[Rule] = &[
    entry!(IrrevocableAdmin Certificate Error true None,
        check: &[Check::Credential(irrevocable_admin)],
        advice: Advice::lifetime(Situation::SystemMasters),
        summary: "a client certificate in group system:masters",
        what: "The client certificate's subject has O=system:masters.",
        why: "system:masters bypasses RBAC and authorization webhooks; a client certificate cannot be revoked (Kubernetes has no CRL check), so a leaked one is cluster-admin until it expires or the cluster CA is rotated.",
        example: "users:\n- name: clusterAdmin_rg_aks\n  user:\n    client-certificate-data: ...   # CN=masterclient, O=system:masters",
        fix: "Keep break-glass certificates offline; give people RBAC-bound identities. AKS: disable local accounts and rotate certificates; kubeadm: use admin.conf (kubeadm:cluster-admins) and keep super-admin.conf offline."),
    entry!(WeakKey Certificate Error true None,
        check: &[Check::Credential(weak_key)],
        advice: Advice::FIX,
        summary: "a weak key or signature algorithm",
        what: "The client certificate (or a certificate bundled with it) has an RSA or DSA key under 2048 bits, or an MD5 or SHA-1 signature.",
        why: "RSA-1024 and SHA-1 collisions are within reach of well-funded attackers; current Go and OpenSSL builds refuse SHA-1 signatures.",
        example: "users:\n- name: old\n  user:\n    client-certificate-data: ...   # RSA 1024, sha1WithRSAEncryption",
        fix: "Reissue the certificate with an RSA 2048+ or ECDSA P-256 key and a SHA-256 signature."),
    entry!(CertKeyMismatch Certificate Error true None,
        check: &[Check::Credential(cert_key_mismatch)],
        advice: Advice::FIX,
        summary: "the client key does not belong to the certificate",
        what: "The private key's public part differs from the certificate's public key.",
        why: "The TLS handshake fails; usually a kubeconfig edited by hand or a renewal that replaced only one of the two.",
        example: "users:\n- name: broken\n  user:\n    client-certificate-data: ...   # cert for key A\n    client-key-data: ...           # key B",
        fix: "Put the key that was generated with the certificate's CSR beside it, or fetch the kubeconfig again."),
    entry!(NotSignedByClusterCa Certificate Warning false None,
        check: &[Check::Credential(not_signed_by_cluster_ca)],
        advice: Advice::FIX,
        summary: "the client certificate is not signed by the cluster's CA",
        what: "The certificate (through any bundled intermediates) does not verify against the certificate-authority data of the clusters it is used with.",
        why: "Usually a kubeconfig pointing at the wrong cluster or a certificate left from before a CA rotation. Some distributions use a separate client CA, so this is not on by default.",
        example: "clusters:\n- name: prod\n  cluster:\n    certificate-authority-data: ...   # CA X\nusers:\n- name: admin\n  user:\n    client-certificate-data: ...       # issued by CA Y",
        fix: "Fetch a certificate issued by this cluster's CA, or fix the context that pairs them."),
];

fn certificate<'a>(c: &'a Cred<'_>) -> Option<&'a ClientCertificate> {
    match &c.record.credential {
        Credential::ClientCertificate(cc) => Some(cc),
        _ => None,
    }
}

fn irrevocable_admin(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let cc = certificate(c).filter(|_| c.record.is_system_masters())?;
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
    let cc = certificate(c)?;
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
    certificate(c).filter(|cc| cc.key_matches == Some(false))?;
    Some(
        format!(
            "the private key of user {} does not belong to its client certificate",
            c.record.user
        )
        .into(),
    )
}

fn not_signed_by_cluster_ca(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    certificate(c).filter(|cc| cc.signed_by_cluster_ca == Some(false))?;
    Some(
        format!(
            "{} is not signed by the CA of cluster {}",
            c.who,
            c.record.clusters.join(", ")
        )
        .into(),
    )
}
