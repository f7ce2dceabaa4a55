//! KC4xx: clusters and file hygiene.

use super::prelude::*;
use crate::credential::{ClusterRecord, Credential, DataSource};

pub(super) const RULES: &[Rule] = &[
    entry!(InsecureSkipTlsVerify Cluster Warning true None,
        check: &[Check::Cluster(insecure_skip_tls_verify)],
        advice: Advice::FIX,
        summary: "a cluster entry that does not verify the server's certificate",
        what: "A cluster with `insecure-skip-tls-verify: true`.",
        why: "Anyone on the network path can pose as the API server and collect the credentials kubectl sends, including bearer tokens.",
        example: "clusters:\n- name: dev\n  cluster:\n    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: true",
        fix: "Set `certificate-authority-data` to the cluster CA and remove `insecure-skip-tls-verify`."),
    entry!(FileReference Cluster Info false None,
        check: &[
            Check::Credential(credential_file_reference),
            Check::Cluster(cluster_file_reference),
        ],
        advice: Advice::FIX,
        summary: "the kubeconfig points at local files",
        what: "`client-certificate`, `client-key`, `tokenFile` or `certificate-authority` names a file instead of carrying the data inline.",
        why: "Such a kubeconfig does not work elsewhere, and some GitOps tools (Argo CD, Flux) reject it; the referenced files have their own permissions to watch.",
        example: "users:\n- name: minikube\n  user:\n    client-certificate: /home/me/.minikube/profiles/minikube/client.crt",
        fix: "Inline the data (`kubectl config view --flatten --minify`) or keep the files with owner-only permissions."),
];

fn insecure_skip_tls_verify(
    c: &Of<'_, ClusterRecord>,
    _: &RuleSettings,
    _: OffsetDateTime,
) -> Option<Hit> {
    c.item.insecure_skip_tls_verify.then(|| {
        format!(
            "cluster {} does not verify the API server's certificate (insecure-skip-tls-verify: true)",
            c.item.name
        )
        .into()
    })
}

fn cluster_file_reference(
    c: &Of<'_, ClusterRecord>,
    _: &RuleSettings,
    _: OffsetDateTime,
) -> Option<Hit> {
    let Some(DataSource::File(path)) = &c.item.ca_source else {
        return None;
    };
    Some(
        format!(
            "cluster {} reads its CA from the file {}",
            c.item.name,
            path.display()
        )
        .into(),
    )
}

fn credential_file_reference(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    match &c.record.credential {
        Credential::Token(t) => match &t.source {
            DataSource::File(path) => {
                Some(format!("{} is read from the file {}", c.who, path.display()).into())
            }
            DataSource::Inline => None,
        },
        Credential::ClientCertificate(cc) => {
            let files: Vec<String> = [&Some(cc.source.clone()), &cc.key_source]
                .into_iter()
                .flatten()
                .filter_map(|src| match src {
                    DataSource::File(p) => Some(p.display().to_string()),
                    DataSource::Inline => None,
                })
                .collect();
            (!files.is_empty())
                .then(|| format!("{} is read from the file(s) {}", c.who, files.join(", ")).into())
        }
        _ => None,
    }
}
