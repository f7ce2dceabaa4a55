//! KC6xx: what a credential may do, by an RBAC snapshot. Each rule reads the
//! record's `privileges` ([`crate::attach_privileges`], `--rbac`): without a
//! snapshot, or for a credential whose identity is not known, they are silent.

use super::prelude::*;
use crate::expiry::{human_duration, ExpiryStatus};
use crate::rbac::{Privileges, Reach, SYSTEM_MASTERS};

/// The documentation of the rules below (see `doc.rs`).
const DOCS: &str = include_str!("rights.md");

pub(super) const RULES: &[Rule] = &[
    entry!(LongLivedClusterAdmin Rights Warning true Some("24h"), &[Check::Credential(long_lived_cluster_admin)], Advice::LIFETIME),
    entry!(CanMintCredentials Rights Warning true None, &[Check::Credential(can_mint_credentials)], Advice::FIX),
];

/// The record's rights, when a snapshot and its identity are known.
fn privileges<'a>(c: &'a Cred<'_>) -> Option<&'a Privileges> {
    c.record.privileges.as_deref()
}

/// What gives `right`: the first binding of its chain, or system:masters.
fn via(p: &Privileges, right: &str) -> String {
    p.bindings
        .iter()
        .find(|chain| chain.right == right)
        .and_then(|chain| chain.grants.first())
        .map_or_else(
            || format!("group {SYSTEM_MASTERS}"),
            |g| format!("{} -> {}", g.binding, g.role),
        )
}

/// `cluster-wide` or `in namespaces a, b`.
fn reach(r: &Reach) -> String {
    match r.cluster_wide {
        true => "cluster-wide".to_owned(),
        false => format!("in namespaces {}", r.namespaces.join(", ")),
    }
}

fn long_lived_cluster_admin(
    c: &Cred<'_>,
    settings: &RuleSettings,
    now: OffsetDateTime,
) -> Option<Hit> {
    let p = privileges(c).filter(|p| p.cluster_admin)?;
    let t = settings.threshold.as_ref()?.duration()?;
    let valid = match c.status {
        ExpiryStatus::NeverExpires => "never expires".to_owned(),
        ExpiryStatus::Valid { .. } | ExpiryStatus::NotYetValid { .. } => {
            let left = c
                .validity
                .and_then(|v| v.remaining(now))
                .filter(|left| *left > t.duration())?;
            format!("stays valid for {} more ({})", human_duration(left), c.end)
        }
        _ => return None,
    };
    Some(
        format!(
            "{} acts as {} with cluster-admin rights ({}) and {valid}; policy allows at most {t}",
            c.who,
            p.identity.user,
            via(p, "cluster-admin")
        )
        .into(),
    )
}

fn can_mint_credentials(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let p = privileges(c).filter(|p| p.can_mint_credentials)?;
    // A credential that no longer works mints nothing from this disk.
    if matches!(c.status, ExpiryStatus::Expired { .. }) {
        return None;
    }
    let ways: Vec<String> = p
        .mint_paths
        .iter()
        .map(|m| format!("{} {}", m.how, reach(&m.reach)))
        .collect();
    Some(
        format!(
            "{} acts as {}, who can mint credentials that outlive it: {} ({})",
            c.who,
            p.identity.user,
            ways.join("; "),
            via(p, "mint")
        )
        .into(),
    )
}

#[cfg(test)]
mod tests {
    use crate::policy::tests::*;
    use crate::policy::{evaluate, Code, Policy, Severity};
    use crate::rbac::{attach_privileges, parse_rbac, RbacSnapshot};
    use crate::{Inventory, Limits};

    /// The kubeadm admin.conf fixture (335 days left) with rights by `snapshot`.
    fn admin_conf(snapshot: &str) -> crate::Inventory {
        let mut inv = fixture("kubeadm-admin");
        let snapshot = match snapshot {
            "" => RbacSnapshot::default(),
            text => parse_rbac(text.as_bytes(), "rbac.yaml".as_ref(), &Limits::default()).unwrap(),
        };
        attach_privileges(&mut inv, &snapshot, None);
        inv
    }

    const ADMIN: &str = "kind: ClusterRoleBinding\nmetadata: {name: admins}\nroleRef: {kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: Group, name: 'kubeadm:cluster-admins'}]\n---\nkind: ClusterRole\nmetadata: {name: cluster-admin}\nrules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]\n";
    const EDIT_IN_CI: &str = "kind: RoleBinding\nmetadata: {name: deploy, namespace: ci}\nroleRef: {kind: Role, name: deploy}\nsubjects: [{kind: Group, name: 'kubeadm:cluster-admins'}]\n---\nkind: Role\nmetadata: {name: deploy, namespace: ci}\nrules: [{apiGroups: [apps], resources: [deployments], verbs: [create]}]\n";

    /// `code` fires on `inv`: a warning in baseline, an error in strict, its
    /// message saying each of `says`.
    fn fires_as_warning_then_error(code: Code, inv: &Inventory, says: &[&str]) {
        let strict = Policy::preset("strict").unwrap();
        for (p, severity) in [
            (Policy::default(), Severity::Warning),
            (strict, Severity::Error),
        ] {
            let f = evaluate(inv, &p, now())
                .into_iter()
                .find(|f| f.code == code)
                .unwrap_or_else(|| panic!("{code} does not fire under {}", p.name));
            assert_eq!(f.severity, severity, "{}", p.name);
            for part in says {
                assert!(f.message.contains(part), "{}", f.message);
            }
        }
    }

    #[test]
    fn kc6xx_fire_by_the_snapshot_and_are_scoped_and_suppressible() {
        let base = Policy::default();
        // (rule, the snapshot it fires by, what it says, snapshots it is
        // silent by, a setting that silences it)
        type Case = (
            Code,
            &'static str,
            &'static [&'static str],
            &'static [&'static str],
            &'static str,
        );
        let cases: [Case; 2] = [
            (
                Code::LongLivedClusterAdmin,
                ADMIN,
                &[
                    "acts as kubernetes-admin with cluster-admin rights (ClusterRoleBinding/admins -> ClusterRole/cluster-admin)",
                    "stays valid for 335d more",
                    "policy allows at most 24h",
                ],
                &[EDIT_IN_CI, ""],
                "{ threshold: 400d }",
            ),
            (
                Code::CanMintCredentials,
                EDIT_IN_CI,
                &["create workloads (every namespace has a default service account to mount) in namespaces ci (RoleBinding/ci/deploy -> Role/ci/deploy)"],
                &[""],
                "{ enabled: false }",
            ),
        ];
        for (code, fires_by, says, silent_by, quiet) in cases {
            let inv = admin_conf(fires_by);
            fires_as_warning_then_error(code, &inv, says);
            for snapshot in silent_by {
                assert!(!fires(code, &admin_conf(snapshot), &base), "{code}");
            }
            assert!(
                !fires(code, &fixture("kubeadm-admin"), &base),
                "{code}: no rights known"
            );
            assert!(!fires(code, &inv, &with_rule(code, quiet)), "{code}");
            let scoped = with_rule(code, "{ exclude: { contexts: ['kubernetes-admin@*'] } }");
            assert!(!fires(code, &inv, &scoped), "{code}");
            let suppressed = policy(&format!("version: 1\nsuppressions:\n- rule: {code}\n  users: [kubernetes-admin]\n  reason: break-glass, kept offline\n"));
            assert!(!fires(code, &inv, &suppressed), "{code}");
        }
        assert!(fires(Code::CanMintCredentials, &admin_conf(ADMIN), &base));
        // An expired credential mints nothing from this disk.
        let later = time::OffsetDateTime::from_unix_timestamp(NOW + 400 * DAY).unwrap();
        assert!(!evaluate(&admin_conf(ADMIN), &base, later)
            .iter()
            .any(|f| matches!(
                f.code,
                Code::CanMintCredentials | Code::LongLivedClusterAdmin
            )));
    }
}
