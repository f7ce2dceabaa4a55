//! The one table of platform advice, keyed by (platform, situation): what to
//! do about a finding, how to revoke an exposed credential, and the steps of
//! an exposure report, in the words of the platform the kubeconfig came from.

use super::Platform;
use crate::report::shell_quote;

/// What a piece of advice is about. The finding situations are ordered from
/// the most specific, which wins when a platform has advice for several.
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
    /// Revoking a client certificate.
    RevokeCertificate,
    /// Revoking a static token the API server holds.
    RevokeStaticToken,
    /// Revoking what an identity provider issued; `{issuer}` is ` ISSUER` or empty.
    RevokeAtIdentityProvider,
    /// Steps whenever something usable is exposed.
    StepAlways,
    /// Steps when a usable client certificate is exposed.
    StepCertificates,
    /// Steps when a usable server-revocable static token is exposed.
    StepStaticToken,
    /// Steps when a cache or an identity-provider credential is exposed.
    StepIdentityProvider,
    /// Steps when a usable credential can mint credentials: the objects to
    /// list on the cluster. `{since}`: when the credential was issued (RFC
    /// 3339, shell-quoted).
    StepMinted,
    /// The audit-log step of a credential that can mint: `{user}` its
    /// identity (shell-quoted), `{since}` as above, `{start}` and `{end}` in
    /// Unix seconds, `{query}` the platform's [`Situation::MintedAuditQuery`],
    /// filled and shell-quoted.
    StepMintedAudit,
    /// The query of [`Situation::StepMintedAudit`] in the platform's query
    /// language: `{user}` the identity as a double-quoted string literal
    /// (JSON escapes), `{since}` the RFC 3339 instant.
    MintedAuditQuery,
}

/// Each row: the platforms and situations it is for, and the text.
/// Placeholders: `{rg}` and `{name}` (an AKS resource group and cluster,
/// shell-quoted: [`aks_names`]) and `{issuer}`.
const ADVICE: &[(&[Platform], &[Situation], &str)] = {
    use Platform::*;
    use Situation::*;
    &[
        // Findings (policy/remediation.rs): no generic rows; the rule's fix is the fallback.
        (&[Aks], &[StaticCredential], "AKS: disable local accounts (`az aks update -g {rg} -n {name} --disable-local-accounts`) so no clusterAdmin certificate or token is issued any more, rotate the cluster certificates (`az aks rotate-certs -g {rg} -n {name}`) to revoke the ones already handed out, and sign in with kubelogin and Entra ID instead (`kubelogin convert-kubeconfig -l azurecli`), bounding sessions with a Conditional Access sign-in frequency."),
        (&[Aks], &[AuthProvider, BasicAuth], "AKS: convert the entry to kubelogin (`az aks get-credentials` then `kubelogin convert-kubeconfig -l azurecli`) so tokens come from Entra ID and are bounded by a Conditional Access sign-in frequency."),
        (&[Kubeadm], &[SystemMasters], "kubeadm: since v1.29 admin.conf is bound by RBAC (O=kubeadm:cluster-admins); use it day to day, keep super-admin.conf (O=system:masters) off workstations, and give people OIDC sign-in through an exec plugin."),
        (&[Kubeadm], &[StaticForPeople], "kubeadm: give people OIDC sign-in (API server OIDC or structured authentication configuration, and an exec plugin such as kubectl oidc-login) instead of copies of admin.conf; certificates can only be revoked by rotating the cluster CA."),
        (&[Kubeadm], &[CertificateLifetime], "kubeadm: check with `kubeadm certs check-expiration` and renew on every control-plane node with `kubeadm certs renew all` (or `kubeadm certs renew admin.conf`), then restart the control-plane static pods and copy the new /etc/kubernetes/admin.conf."),
        (&[Kind], &[Renewal], "kind: recreate the cluster, or run `kubeadm certs renew all` inside the control-plane container and export the kubeconfig again (`kind export kubeconfig`)."),
        (&[K3s], &[Renewal], "k3s: `k3s certificate rotate` on the servers renews the client certificates (restart k3s afterwards); then copy the new /etc/rancher/k3s/k3s.yaml."),
        (&[Minikube], &[Renewal], "minikube: `minikube start` regenerates expired certificates; `minikube delete && minikube start` starts over."),
        (&[Eks], &[StaticCredential, BasicAuth], "EKS: use the exec plugin `aws eks get-token` (written by `aws eks update-kubeconfig --name CLUSTER`); access then comes from IAM and EKS access entries, and each token lasts 15 minutes."),
        (&[Gke], &[AuthProvider], "GKE: install gke-gcloud-auth-plugin (`gcloud components install gke-gcloud-auth-plugin`) and run `gcloud container clusters get-credentials CLUSTER` again to replace the gcp auth-provider."),
        (&[Gke], &[StaticCredential, BasicAuth], "GKE: use gke-gcloud-auth-plugin (`gcloud container clusters get-credentials CLUSTER`); legacy client certificates and basic auth can only be revoked by rotating the cluster credentials (`gcloud container clusters update CLUSTER --start-credential-rotation`)."),
        (&[OpenShift], &[TokenLifetime], "OpenShift: run `oc login` again for a fresh OAuth token, delete the old one (`oc delete oauthaccesstoken`), and bound token lifetime on the OAuth server (`accessTokenMaxAgeSeconds` and `accessTokenInactivityTimeout` in `oc edit oauth cluster`)."),
        // Revoking what is exposed (exposure/revocation.rs).
        (&[Aks], &[RevokeCertificate], "irrevocable except by `az aks rotate-certs -g {rg} -n {name}` (rotates the cluster CA, all certificates and the static token; the API server is briefly unavailable)"),
        (&[Gke], &[RevokeCertificate], "irrevocable except by rotating the cluster CA: `gcloud container clusters update <cluster> --start-credential-rotation`, then `--complete-credential-rotation`"),
        (&[Kubeadm, Kind], &[RevokeCertificate], "irrevocable except by rotating the cluster CA (kubernetes.io: \"Manual rotation of CA certificates\"); `kubeadm certs renew` issues new certificates but does not invalidate this one"),
        (&[K3s], &[RevokeCertificate], "irrevocable except by rotating the cluster CA (`k3s certificate rotate-ca`)"),
        (&[Minikube], &[RevokeCertificate], "irrevocable except by recreating the cluster's CA (`minikube delete` and start again)"),
        (&[Generic], &[RevokeCertificate], "irrevocable except by rotating the cluster CA that signed it"),
        (&[Aks], &[RevokeStaticToken], "static token with no expiry; only `az aks rotate-certs -g {rg} -n {name}` replaces it; `az aks update -g {rg} -n {name} --disable-local-accounts` stops local accounts"),
        (&[Generic], &[RevokeStaticToken], "remove the token where the API server keeps it (--token-auth-file, a Secret, the IdP)"),
        (&[Aks], &[RevokeAtIdentityProvider], "revoke the user's Entra sign-in sessions (`az rest --method POST --url https://graph.microsoft.com/v1.0/users/<id>/revokeSignInSessions`), which invalidates refresh tokens"),
        (&[Gke], &[RevokeAtIdentityProvider], "`gcloud auth revoke <account>` (from another machine: remove access at the Google account's security page, or delete the service-account key)"),
        (&[Eks], &[RevokeAtIdentityProvider], "deactivate the IAM access keys (`aws iam update-access-key --status Inactive`) and revoke active role sessions (IAM console: Revoke active sessions)"),
        (&[Generic], &[RevokeAtIdentityProvider], "revoke the user's sessions and refresh tokens at the identity provider{issuer}"),
        // The steps of an exposure report (exposure/steps.rs), in order.
        (&[Eks], &[StepAlways], "aws iam update-access-key --access-key-id <id> --status Inactive --user-name <user>   # for each long-term key on the disk"),
        (&[Eks], &[StepAlways], "revoke active sessions of the IAM roles used (IAM console: Roles > Revoke active sessions, which attaches AWSRevokeOlderSessions)"),
        (&[Eks], &[StepAlways], "remove or narrow the principal's EKS access entry (aws eks delete-access-entry) or aws-auth mapping if needed"),
        (&[Gke], &[StepAlways], "gcloud auth revoke <account>   # or, from another machine, remove the account's access / delete the service-account key"),
        (&[Aks], &[StepCertificates, StepStaticToken], "az aks rotate-certs -g {rg} -n {name}   # the only way to invalidate the client certificate and static token"),
        (&[Aks], &[StepCertificates, StepStaticToken], "az aks update -g {rg} -n {name} --disable-local-accounts   # keep certificate and static-token logins off (needs Entra integration)"),
        (&[Gke], &[StepCertificates], "gcloud container clusters update <cluster> --start-credential-rotation   # client certificates are otherwise irrevocable"),
        (&[Kubeadm, Kind], &[StepCertificates], "rotate the cluster CA (kubernetes.io: Manual rotation of CA certificates), then `kubeadm certs renew all`   # renewing alone does not invalidate a stolen certificate"),
        (&[Aks], &[StepIdentityProvider], "revoke the user's Entra sign-in sessions (Graph: POST /users/<id>/revokeSignInSessions, or Revoke-MgUserSignInSession)   # invalidates refresh tokens"),
        (&[Aks], &[StepIdentityProvider], "kubelogin remove-cache-dir   # on any machine you still control that holds the cache"),
        // A credential that can mint others (exposure/steps.rs): look for what it minted.
        (&[Generic], &[StepMinted], "kubectl get secrets -A --field-selector type=kubernetes.io/service-account-token -o json | jq -r --arg since {since} '.items[] | select(.metadata.creationTimestamp >= $since) | \"\\(.metadata.namespace)/\\(.metadata.name) \\(.metadata.creationTimestamp)\"'   # service-account token Secrets created since the credential was issued: each holds a token that never expires; delete those nobody can account for"),
        (&[Generic], &[StepMinted], "kubectl get csr -o json | jq -r --arg since {since} '.items[] | select(.metadata.creationTimestamp >= $since) | \"\\(.metadata.name) \\(.spec.username) \\(.spec.signerName) \\(.metadata.creationTimestamp)\"'   # CSRs created since: a certificate issued from one is revoked only by rotating the CA that signed it"),
        (&[Generic], &[StepMinted], "kubectl get clusterrolebindings,rolebindings -A -o json | jq -r --arg since {since} '.items[] | select(.metadata.creationTimestamp >= $since) | \"\\(.kind) \\(.metadata.namespace // \"-\")/\\(.metadata.name) -> \\(.roleRef.name)\"'   # bindings created since: rights handed to other identities"),
        (&[Aks], &[StepMintedAudit], "az monitor log-analytics query --workspace <workspace-id> --analytics-query {query}   # the cluster's kube-audit or kube-audit-admin diagnostic logs in Log Analytics; tokens from the TokenRequest API leave no object, only this trail"),
        (&[Aks], &[MintedAuditQuery], "union isfuzzy=true AKSAudit, AKSAuditAdmin | where TimeGenerated >= datetime({since}) and tostring(User.username) == {user} and Verb in (\"create\", \"update\", \"patch\") and tostring(ObjectRef.resource) in (\"serviceaccounts\", \"secrets\", \"certificatesigningrequests\", \"pods\", \"rolebindings\", \"clusterrolebindings\") | project TimeGenerated, Verb, ObjectRef, ResponseStatus"),
        (&[Eks], &[StepMintedAudit], "aws logs start-query --log-group-name /aws/eks/<cluster>/cluster --start-time {start} --end-time {end} --query-string {query}   # CloudWatch Logs Insights over the control plane's audit log (cluster logging type audit must be on; read it with aws logs get-query-results); tokens from the TokenRequest API leave no object, only this trail"),
        (&[Eks], &[MintedAuditQuery], "fields @timestamp, verb, objectRef.resource, objectRef.namespace, objectRef.name | filter @logStream like /kube-apiserver-audit/ and user.username = {user} and verb in [\"create\", \"update\", \"patch\"] and objectRef.resource in [\"serviceaccounts\", \"secrets\", \"certificatesigningrequests\", \"pods\", \"rolebindings\", \"clusterrolebindings\"] | sort @timestamp asc"),
        (&[Gke], &[StepMintedAudit], "gcloud logging read {query} --project <project> --format json   # Cloud Audit Logs, Admin Activity (always on): every write, tokens from the TokenRequest API included"),
        (&[Gke], &[MintedAuditQuery], "resource.type=\"k8s_cluster\" AND timestamp>=\"{since}\" AND protoPayload.authenticationInfo.principalEmail={user} AND (protoPayload.methodName:\"serviceaccounts.token.create\" OR protoPayload.methodName:\"certificatesigningrequests\" OR protoPayload.methodName:\"secrets.create\" OR protoPayload.methodName:\"secrets.update\" OR protoPayload.methodName:\"pods.create\" OR protoPayload.methodName:\"rolebindings.create\")"),
        (&[Generic], &[StepMintedAudit], "jq -c --arg user {user} --arg since {since} 'select(.user.username == $user and .requestReceivedTimestamp >= $since and (.verb | IN(\"create\", \"update\", \"patch\")) and (.objectRef.resource | IN(\"serviceaccounts\", \"secrets\", \"certificatesigningrequests\", \"pods\", \"rolebindings\", \"clusterrolebindings\")))' <audit-log>   # the API server's --audit-log-path, when auditing is on; tokens from the TokenRequest API leave no object, only this trail"),
    ]
};

/// The advice for `situation` on `platform`, in table order; the generic rows
/// when the platform has none.
pub(crate) fn advice_rows(
    platform: Platform,
    situation: Situation,
) -> impl Iterator<Item = &'static str> {
    let of = move |p: Platform| {
        ADVICE
            .iter()
            .filter(move |(ps, ss, _)| ps.contains(&p) && ss.contains(&situation))
            .map(|row| row.2)
    };
    let own = of(platform).next().is_some();
    of(if own { platform } else { Platform::Generic })
}

/// The first piece of advice for `situation` on `platform` (else the generic one).
pub(crate) fn advice(platform: Platform, situation: Situation) -> Option<&'static str> {
    advice_rows(platform, situation).next()
}

/// AKS resource group and cluster name from `clusterAdmin_<rg>_<name>` /
/// `clusterUser_<rg>_<name>` user names, when the user is named that way,
/// shell-quoted for the commands they are pasted into (the placeholders stay
/// bare).
pub(crate) fn aks_names(user: &str) -> (String, String) {
    let rest = user
        .strip_prefix("clusterAdmin_")
        .or_else(|| user.strip_prefix("clusterUser_"));
    match rest.and_then(|r| r.rsplit_once('_')) {
        Some((rg, name)) => (shell_quote(rg).into_owned(), shell_quote(name).into_owned()),
        None => ("<resource-group>".to_owned(), "<cluster>".to_owned()),
    }
}

/// `template` with the AKS names of `user` ([`aks_names`]) as `{rg}` and
/// `{name}`: the advice of a finding or an exposure, ready to paste.
pub(crate) fn fill_names(template: &str, user: &str) -> String {
    let (rg, name) = aks_names(user);
    fill(template, &[("rg", &rg), ("name", &name)])
}

/// `template` with each `{key}` of `vars` replaced by its value, in one pass
/// (a value is never searched for placeholders).
pub(crate) fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        match vars.iter().find(|(k, _)| {
            after
                .strip_prefix('{')
                .and_then(|a| a.strip_prefix(k))
                .is_some_and(|a| a.starts_with('}'))
        }) {
            Some((k, v)) => {
                out.push_str(v);
                rest = &after[k.len() + 2..];
            }
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_rows_then_generic_rows() {
        assert!(advice(Platform::Eks, Situation::RevokeCertificate)
            .is_some_and(|t| t.ends_with("the cluster CA that signed it")));
        assert_eq!(advice(Platform::Generic, Situation::SystemMasters), None);
        assert_eq!(advice_rows(Platform::Eks, Situation::StepAlways).count(), 3);
        assert_eq!(
            advice_rows(Platform::Generic, Situation::StepAlways).count(),
            0
        );
    }

    #[test]
    fn fill_replaces_in_one_pass() {
        let vars = [("rg", "'{name}'"), ("name", "c")];
        assert_eq!(fill("-g {rg} -n {name} {x}", &vars), "-g '{name}' -n c {x}");
    }
}
