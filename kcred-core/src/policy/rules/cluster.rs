//! KC4xx: clusters and file hygiene.

use super::prelude::*;
use crate::credential::{ClusterRecord, Credential, DataSource};

/// The documentation of the rules below (see `doc.rs`).
const DOCS: &str = include_str!("cluster.md");

pub(super) const RULES: &[Rule] = &[
    entry!(InsecureSkipTlsVerify Cluster Warning true None, &[Check::Cluster(insecure_skip_tls_verify)], Advice::FIX),
    entry!(FileReference Cluster Info false None, &[Check::Credential(credential_file_reference), Check::Cluster(cluster_file_reference)], Advice::FIX),
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
