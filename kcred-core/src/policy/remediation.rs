//! Remediation sentences: what to do about a finding, in the words of the
//! platform the kubeconfig came from, falling back to the rule's generic fix.

use crate::credential::CredentialKind;
use crate::platform::Platform;

use super::rules::rule;

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

/// The remediation for a finding of `code` on a credential of `kind` from
/// `platform`. `service_account` is set for service-account tokens, which are
/// machine identities whatever the platform.
pub(crate) fn remediation(
    code: &str,
    platform: Platform,
    kind: Option<CredentialKind>,
    service_account: bool,
) -> String {
    platform_sentence(code, platform, kind, service_account)
        .map(str::to_owned)
        .unwrap_or_else(|| rule(code).map(|r| r.fix.to_owned()).unwrap_or_default())
}

fn platform_sentence(
    code: &str,
    platform: Platform,
    kind: Option<CredentialKind>,
    service_account: bool,
) -> Option<&'static str> {
    use CredentialKind as K;
    if service_account {
        return None;
    }
    let lifetime = matches!(
        code,
        "KC001" | "KC003" | "KC004" | "KC005" | "KC006" | "KC007" | "KC008" | "KC101"
    );
    let static_kind = matches!(kind, Some(K::ClientCertificate | K::Token | K::BasicAuth));
    let provider = matches!(code, "KC301" | "KC302") || kind == Some(K::AuthProvider);
    match platform {
        Platform::Aks if lifetime && static_kind => Some(AKS_LOCAL_ACCOUNTS),
        Platform::Aks if provider || code == "KC201" => Some(AKS_KUBELOGIN),
        Platform::Kubeadm if code == "KC101" => Some(KUBEADM_ADMIN),
        Platform::Kubeadm if code == "KC007" => Some(KUBEADM_PEOPLE),
        Platform::Kubeadm if lifetime && kind == Some(K::ClientCertificate) => Some(KUBEADM_RENEW),
        Platform::Kind if matches!(code, "KC001" | "KC003") => Some(KIND_RENEW),
        Platform::K3s if matches!(code, "KC001" | "KC003") => Some(K3S_ROTATE),
        Platform::Minikube if matches!(code, "KC001" | "KC003") => Some(MINIKUBE_RENEW),
        Platform::Eks if (lifetime && static_kind) || code == "KC201" => Some(EKS_EXEC),
        Platform::Gke if provider => Some(GKE_PLUGIN),
        Platform::Gke if (lifetime && static_kind) || code == "KC201" => Some(GKE_EXEC),
        Platform::OpenShift if lifetime && kind == Some(K::Token) => Some(OPENSHIFT_TOKEN),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_first_then_generic() {
        let aks = remediation(
            "KC101",
            Platform::Aks,
            Some(CredentialKind::ClientCertificate),
            false,
        );
        assert!(aks.contains("az aks rotate-certs") && aks.contains("--disable-local-accounts"));
        assert!(aks.contains("Conditional Access"));
        let kubeadm = remediation(
            "KC001",
            Platform::Kubeadm,
            Some(CredentialKind::ClientCertificate),
            false,
        );
        assert!(kubeadm.contains("kubeadm certs renew"));
        assert!(
            remediation("KC007", Platform::Eks, Some(CredentialKind::Token), false)
                .contains("aws eks get-token")
        );
        assert!(remediation(
            "KC301",
            Platform::Gke,
            Some(CredentialKind::AuthProvider),
            false
        )
        .contains("gke-gcloud-auth-plugin"));
        assert!(remediation(
            "KC005",
            Platform::OpenShift,
            Some(CredentialKind::Token),
            false
        )
        .contains("oc login"));
        let sa = remediation("KC006", Platform::Aks, Some(CredentialKind::Token), true);
        assert_eq!(sa, rule("KC006").unwrap().fix);
        assert_eq!(
            remediation(
                "KC102",
                Platform::Aks,
                Some(CredentialKind::ClientCertificate),
                false
            ),
            rule("KC102").unwrap().fix
        );
    }
}
