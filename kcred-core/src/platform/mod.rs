//! Which platform wrote a kubeconfig entry, and the one table of platform
//! advice, so remediation and revocation can name the right command.

mod advice;

pub(crate) use advice::{advice, advice_rows, aks_names, fill, fill_names, Situation};

use serde::{Deserialize, Serialize};

/// The Kubernetes distribution or cloud a credential belongs to, as far as the
/// kubeconfig tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Platform {
    /// Azure Kubernetes Service.
    Aks,
    /// Amazon Elastic Kubernetes Service.
    Eks,
    /// Google Kubernetes Engine.
    Gke,
    /// Red Hat OpenShift.
    OpenShift,
    /// A kubeadm-built cluster.
    Kubeadm,
    /// kind (kubeadm inside containers).
    Kind,
    /// k3s / RKE2.
    K3s,
    /// minikube.
    Minikube,
    /// Anything else.
    Generic,
}

impl Platform {
    /// Stable short name.
    pub fn name(&self) -> &'static str {
        match self {
            Platform::Aks => "aks",
            Platform::Eks => "eks",
            Platform::Gke => "gke",
            Platform::OpenShift => "openshift",
            Platform::Kubeadm => "kubeadm",
            Platform::Kind => "kind",
            Platform::K3s => "k3s",
            Platform::Minikube => "minikube",
            Platform::Generic => "generic",
        }
    }
}

/// The hints kcred looks at; each is optional.
#[derive(Debug, Default, Clone, Copy)]
pub struct PlatformHints<'a> {
    /// Cluster `server` URL.
    pub server: Option<&'a str>,
    /// Context name.
    pub context: Option<&'a str>,
    /// User entry name.
    pub user: &'a str,
    /// Exec plugin short name ([`crate::ExecPlugin::name`]).
    pub exec_plugin: Option<&'a str>,
    /// Auth-provider name.
    pub auth_provider: Option<&'a str>,
    /// Client certificate subject CN.
    pub cert_common_name: Option<&'a str>,
    /// Client certificate groups.
    pub cert_groups: &'a [String],
    /// Cluster CA subject CN.
    pub ca_common_name: Option<&'a str>,
    /// Token starts with `sha256~` (OpenShift) or `k8s-aws-v1.` (EKS).
    pub token_prefix: Option<&'a str>,
}

/// Tells the platform from the hints; the first rule that matches wins, cloud
/// markers (server domains, plugins) before naming conventions.
///
/// ```
/// use kcred_core::{detect_platform, Platform, PlatformHints};
/// let hints = PlatformHints { server: Some("https://x-dns-1.hcp.westeurope.azmk8s.io:443"), user: "clusterAdmin_rg_aks", ..Default::default() };
/// assert_eq!(detect_platform(&hints), Platform::Aks);
/// ```
pub fn detect_platform(h: &PlatformHints<'_>) -> Platform {
    let server = h.server.unwrap_or_default();
    let context = h.context.unwrap_or_default();
    let user = h.user;
    if server.contains(".azmk8s.io")
        || user.starts_with("clusterAdmin_")
        || user.starts_with("clusterUser_")
        || h.exec_plugin == Some("azure-kubelogin")
        || h.auth_provider == Some("azure")
    {
        return Platform::Aks;
    }
    if server.contains(".eks.amazonaws.com")
        || matches!(
            h.exec_plugin,
            Some("aws-eks-get-token" | "aws-iam-authenticator")
        )
        || h.token_prefix == Some("k8s-aws-v1.")
        || context.starts_with("arn:aws:eks:")
    {
        return Platform::Eks;
    }
    if h.exec_plugin == Some("gke-gcloud-auth-plugin")
        || h.auth_provider == Some("gcp")
        || context.starts_with("gke_")
    {
        return Platform::Gke;
    }
    if h.token_prefix == Some("sha256~")
        || server.contains("openshiftapps.com")
        || user.contains("/api-")
    {
        return Platform::OpenShift;
    }
    if context.starts_with("kind-") {
        return Platform::Kind;
    }
    if context == "minikube" || user == "minikube" {
        return Platform::Minikube;
    }
    if h.ca_common_name
        .is_some_and(|cn| cn.starts_with("k3s-") || cn.starts_with("rke2-"))
    {
        return Platform::K3s;
    }
    let kubeadm_groups = h.cert_groups.iter().any(|g| g == "kubeadm:cluster-admins");
    if kubeadm_groups
        || matches!(user, "kubernetes-admin" | "kubernetes-super-admin")
        || h.cert_common_name
            .is_some_and(|cn| cn.starts_with("system:node:") || cn.starts_with("system:kube-"))
    {
        return Platform::Kubeadm;
    }
    Platform::Generic
}

/// The platform of a cluster entry, told from its server, first context and
/// CA. The one place the policy asks it, until cluster records carry it.
pub(crate) fn cluster_platform(c: &crate::credential::ClusterRecord) -> Platform {
    detect_platform(&PlatformHints {
        server: c.server.as_deref(),
        context: c.contexts.first().map(String::as_str),
        ca_common_name: c.ca.first().and_then(|ca| ca.common_name.as_deref()),
        ..PlatformHints::default()
    })
}
