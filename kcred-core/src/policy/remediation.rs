//! Remediation sentences: what to do about a finding, in the words of the
//! platform the kubeconfig came from, falling back to the rule's generic fix.

use crate::credential::CredentialKind;
use crate::platform::Platform;

use super::rules::Rule;

const AKS_LOCAL_ACCOUNTS: &str = "AKS: disable local accounts (`az aks update --resource-group RG --name CLUSTER --disable-local-accounts`) so no clusterAdmin certificate or token is issued any more, rotate the cluster certificates (`az aks rotate-certs --resource-group RG --name CLUSTER`) to revoke the ones already handed out, and sign in with kubelogin and Entra ID instead (`kubelogin convert-kubeconfig -l azurecli`), bounding sessions with a Conditional Access sign-in frequency.";
const AKS_KUBELOGIN: &str = "AKS: convert the entry to kubelogin (`az aks get-credentials` then `kubelogin convert-kubeconfig -l azurecli`) so tokens come from Entra ID and are bounded by a Conditional Access sign-in frequency.";
const KUBEADM_RENEW: &str = "kubeadm: check with `kubeadm certs check-expiration` and renew on every control-plane node with `kubeadm certs renew all` (or `kubeadm certs renew admin.conf`), then restart the control-plane static pods and copy the new /etc/kubernetes/admin.conf.";
const KUBEADM_ADMIN: &str = "kubeadm: since v1.29 admin.conf is bound by RBAC (O=kubeadm:cluster-admins); use it day to day, keep super-admin.conf (O=system:masters) off workstations, and give people OIDC sign-in through an exec plugin.";
const KUBEADM_PEOPLE: &str = "kubeadm: give people OIDC sign-in (API server OIDC or structured authentication configuration, and an exec plugin such as kubectl oidc-login) instead of copies of admin.conf; certificates can only be revoked by rotating the cluster CA.";
const EKS_EXEC: &str = "EKS: use the exec plugin `aws eks get-token` (written by `aws eks update-kubeconfig --name CLUSTER`); access then comes from IAM and EKS access entries, and each token lasts 15 minutes.";
const GKE_EXEC: &str = "GKE: use gke-gcloud-auth-plugin (`gcloud container clusters get-credentials CLUSTER`); legacy client certificates and basic auth can only be revoked by rotating the cluster credentials (`gcloud container clusters update CLUSTER --start-credential-rotation`).";
const GKE_PLUGIN: &str = "GKE: install gke-gcloud-auth-plugin (`gcloud components install gke-gcloud-auth-plugin`) and run `gcloud container clusters get-credentials CLUSTER` again to replace the gcp auth-provider.";
const OPENSHIFT_TOKEN: &str = "OpenShift: run `oc login` again for a fresh OAuth token, delete the old one (`oc delete oauthaccesstoken`), and bound token lifetime on the OAuth server (`accessTokenMaxAgeSeconds` and `accessTokenInactivityTimeout` in `oc edit oauth cluster`).";
const K3S_ROTATE: &str = "k3s: `k3s certificate rotate` on the servers renews the client certificates (restart k3s afterwards); then copy the new /etc/rancher/k3s/k3s.yaml.";
const KIND_RENEW: &str = "kind: recreate the cluster, or run `kubeadm certs renew all` inside the control-plane container and export the kubeconfig again (`kind export kubeconfig`).";
const MINIKUBE_RENEW: &str = "minikube: `minikube start` regenerates expired certificates; `minikube delete && minikube start` starts over.";

/// A platform situation a finding can be about; ordered from the most
/// specific, which wins when a platform has advice for several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Situation {
    /// A client certificate in system:masters (KC101).
    SystemMasters,
    /// A static credential held by a person (KC007).
    StaticForPeople,
    /// The lifetime of a static credential (certificate, token, password).
    StaticCredential,
    /// An auth-provider entry.
    AuthProvider,
    /// Basic auth (KC201).
    BasicAuth,
    /// The lifetime of a client certificate.
    CertificateLifetime,
    /// The lifetime of a token.
    TokenLifetime,
    /// A credential that ran out or is about to (KC001, KC003).
    Renewal,
}

/// A rule's remediation hook: the situation it is about, and whether it is
/// about a credential's lifetime (then the credential's kind adds one).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Advice {
    situation: Option<Situation>,
    lifetime: bool,
}

impl Advice {
    /// The rule's own fix, whatever the platform (unless the credential is an
    /// auth-provider).
    pub(crate) const FIX: Advice = Advice {
        situation: None,
        lifetime: false,
    };
    /// About a credential's lifetime.
    pub(crate) const LIFETIME: Advice = Advice {
        situation: None,
        lifetime: true,
    };

    /// About a credential's lifetime, in `situation`.
    pub(crate) const fn lifetime(situation: Situation) -> Advice {
        Advice {
            situation: Some(situation),
            lifetime: true,
        }
    }

    /// About `situation` only.
    pub(crate) const fn only(situation: Situation) -> Advice {
        Advice {
            situation: Some(situation),
            lifetime: false,
        }
    }

    /// The situations of a finding on a credential of `kind`, most specific first.
    fn situations(self, kind: Option<CredentialKind>) -> Vec<Situation> {
        use CredentialKind as K;
        let lifetime = |s, k: bool| (self.lifetime && k).then_some(s);
        let mut all: Vec<Situation> = [
            self.situation,
            lifetime(
                Situation::StaticCredential,
                matches!(kind, Some(K::ClientCertificate | K::Token | K::BasicAuth)),
            ),
            (kind == Some(K::AuthProvider)).then_some(Situation::AuthProvider),
            lifetime(
                Situation::CertificateLifetime,
                kind == Some(K::ClientCertificate),
            ),
            lifetime(Situation::TokenLifetime, kind == Some(K::Token)),
        ]
        .into_iter()
        .flatten()
        .collect();
        all.sort_unstable();
        all
    }
}

const ADVICE: &[(&[Platform], Situation, &str)] = {
    use Platform::*;
    use Situation::*;
    &[
        (&[Aks], StaticCredential, AKS_LOCAL_ACCOUNTS),
        (&[Aks], AuthProvider, AKS_KUBELOGIN),
        (&[Aks], BasicAuth, AKS_KUBELOGIN),
        (&[Kubeadm], SystemMasters, KUBEADM_ADMIN),
        (&[Kubeadm], StaticForPeople, KUBEADM_PEOPLE),
        (&[Kubeadm], CertificateLifetime, KUBEADM_RENEW),
        (&[Kind], Renewal, KIND_RENEW),
        (&[K3s], Renewal, K3S_ROTATE),
        (&[Minikube], Renewal, MINIKUBE_RENEW),
        (&[Eks], StaticCredential, EKS_EXEC),
        (&[Eks], BasicAuth, EKS_EXEC),
        (&[Gke], AuthProvider, GKE_PLUGIN),
        (&[Gke], StaticCredential, GKE_EXEC),
        (&[Gke], BasicAuth, GKE_EXEC),
        (&[OpenShift], TokenLifetime, OPENSHIFT_TOKEN),
    ]
};

/// The remediation for a finding of `rule` on a credential of `kind` from
/// `platform`: the platform's advice for the most specific situation it has
/// advice for, else the rule's fix. `service_account` is set for
/// service-account tokens, which are machine identities whatever the platform.
pub(crate) fn remediation(
    rule: &Rule,
    platform: Platform,
    kind: Option<CredentialKind>,
    service_account: bool,
) -> String {
    let advice = (!service_account)
        .then(|| {
            rule.advice.situations(kind).into_iter().find_map(|s| {
                ADVICE
                    .iter()
                    .find(|(p, at, _)| p.contains(&platform) && *at == s)
                    .map(|row| row.2)
            })
        })
        .flatten();
    advice.unwrap_or(rule.fix).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Code;

    #[test]
    fn platform_first_then_generic() {
        let aks = remediation(
            Code::IrrevocableAdmin.rule(),
            Platform::Aks,
            Some(CredentialKind::ClientCertificate),
            false,
        );
        assert!(aks.contains("az aks rotate-certs") && aks.contains("--disable-local-accounts"));
        assert!(aks.contains("Conditional Access"));
        let kubeadm = remediation(
            Code::Expired.rule(),
            Platform::Kubeadm,
            Some(CredentialKind::ClientCertificate),
            false,
        );
        assert!(kubeadm.contains("kubeadm certs renew"));
        assert!(remediation(
            Code::StaticCredential.rule(),
            Platform::Eks,
            Some(CredentialKind::Token),
            false
        )
        .contains("aws eks get-token"));
        assert!(remediation(
            Code::RemovedAuthProvider.rule(),
            Platform::Gke,
            Some(CredentialKind::AuthProvider),
            false
        )
        .contains("gke-gcloud-auth-plugin"));
        assert!(remediation(
            Code::MaxRemaining.rule(),
            Platform::OpenShift,
            Some(CredentialKind::Token),
            false
        )
        .contains("oc login"));
        let sa = remediation(
            Code::NeverExpires.rule(),
            Platform::Aks,
            Some(CredentialKind::Token),
            true,
        );
        assert_eq!(sa, Code::NeverExpires.rule().fix);
        assert_eq!(
            remediation(
                Code::WeakKey.rule(),
                Platform::Aks,
                Some(CredentialKind::ClientCertificate),
                false
            ),
            Code::WeakKey.rule().fix
        );
    }
}
