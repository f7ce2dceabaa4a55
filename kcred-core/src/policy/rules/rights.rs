//! KC6xx: what a credential may do, by an RBAC snapshot. Each rule reads the
//! record's `privileges` ([`crate::attach_privileges`], `--rbac`): without a
//! snapshot, or for a credential whose identity is not known, they are silent.

use super::prelude::*;
use crate::expiry::{human_duration, ExpiryStatus};
use crate::rbac::{Privileges, Reach, SYSTEM_MASTERS};

pub(super) const RULES: &[Rule] = &[
    entry!(LongLivedClusterAdmin Rights Warning true Some("24h"),
        check: &[Check::Credential(long_lived_cluster_admin)],
        advice: Advice::LIFETIME,
        summary: "a credential with cluster-admin rights stays valid longer than the policy allows",
        what: "By the RBAC snapshot of `--rbac`, the credential's identity may do everything everywhere (a cluster-wide rule with `*` verbs, groups and resources, or group system:masters), and it stays valid for more than `threshold` (default `24h`) from `now`, or never expires. The expiry model is the one of KC005 max-remaining: the time left at `now` (notAfter, `exp`), not the total lifetime. Silent without `--rbac` or when the identity is not known.",
        why: "Whoever copies the file is cluster-admin for as long as it stays valid: they can read every Secret and mint credentials of their own. A kubeadm admin.conf is such a credential for a year.",
        example: "users:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: ...   # CN=kubernetes-admin, O=kubeadm:cluster-admins, 335 days left\n# kcred check --rbac rbac.yaml   (kubeadm:cluster-admins is bound to cluster-admin)",
        fix: "Keep cluster-admin credentials off workstations: sign in through an exec plugin with short sessions and bind people to narrower roles; keep a break-glass credential offline, or issue admin certificates for hours (CSR API `spec.expirationSeconds`)."),
    entry!(CanMintCredentials Rights Warning true None,
        check: &[Check::Credential(can_mint_credentials)],
        advice: Advice::FIX,
        summary: "a credential whose rights mint credentials that outlive it",
        what: "By the RBAC snapshot of `--rbac`, the credential's identity may create service-account tokens, create or update Secrets (a service-account-token Secret), create pods or workloads (which mount a service account's token), create and approve CSRs for a signer, impersonate, or escalate or bind roles. Silent without `--rbac` or when the identity is not known.",
        why: "A stolen credential that can mint others is not bounded by its own expiry: the thief's access lasts until the minted credentials are found and revoked (`kcred exposure --rbac` marks the window unbounded and lists where to look). A warning in baseline because many working admin and edit kubeconfigs have such rights; an error in strict, the stolen-laptop policy.",
        example: "users:\n- name: ci\n  user:\n    token: eyJhbGciOi...   # system:serviceaccount:ci:deployer\n# rbac.yaml: a RoleBinding in ci gives it `create deployments`",
        fix: "Bind the identity to a role without these verbs (no `create` on serviceaccounts/token, secrets, pods or workloads, no `approve`, `impersonate`, `escalate` or `bind`), or keep the credential off the disk (an exec plugin, a short-lived token)."),
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
    let t = settings.threshold.as_ref()?;
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
    use crate::Limits;

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

    #[test]
    fn kc601_long_lived_cluster_admin() {
        let base = Policy::default();
        let admin = admin_conf(ADMIN);
        let f = evaluate(&admin, &base, now())
            .into_iter()
            .find(|f| f.code == Code::LongLivedClusterAdmin)
            .expect("fires");
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.message.contains("acts as kubernetes-admin with cluster-admin rights (ClusterRoleBinding/admins -> ClusterRole/cluster-admin)"),
            "{}",
            f.message
        );
        assert!(
            f.message.ends_with("policy allows at most 24h"),
            "{}",
            f.message
        );
        // Strict: an error. A threshold above what is left: silent.
        let strict = Policy::preset("strict").unwrap();
        assert!(evaluate(&admin, &strict, now())
            .iter()
            .any(|f| f.code == Code::LongLivedClusterAdmin && f.severity == Severity::Error));
        assert!(!fires(
            Code::LongLivedClusterAdmin,
            &admin,
            &with_rule("long-lived-cluster-admin", "{ threshold: 400d }")
        ));
        // Not cluster-admin, no snapshot, or no identity: silent.
        for inv in [
            admin_conf(EDIT_IN_CI),
            admin_conf(""),
            fixture("kubeadm-admin"),
        ] {
            assert!(!fires(Code::LongLivedClusterAdmin, &inv, &base));
        }
        // Scoped and suppressible like every rule.
        let scoped = with_rule("KC601", "{ exclude: { contexts: ['kubernetes-admin@*'] } }");
        assert!(!fires(Code::LongLivedClusterAdmin, &admin, &scoped));
        let suppressed = policy("version: 1\nsuppressions:\n- rule: KC601\n  users: [kubernetes-admin]\n  reason: break-glass, kept offline\n");
        assert!(!fires(Code::LongLivedClusterAdmin, &admin, &suppressed));
    }

    #[test]
    fn kc602_can_mint_credentials() {
        let base = Policy::default();
        let ci = admin_conf(EDIT_IN_CI);
        let f = evaluate(&ci, &base, now())
            .into_iter()
            .find(|f| f.code == Code::CanMintCredentials)
            .expect("fires");
        assert_eq!(f.severity, Severity::Warning, "baseline: a warning");
        assert!(
            f.message.contains("create workloads (every namespace has a default service account to mount) in namespaces ci (RoleBinding/ci/deploy -> Role/ci/deploy)"),
            "{}",
            f.message
        );
        let strict = Policy::preset("strict").unwrap();
        assert!(evaluate(&ci, &strict, now())
            .iter()
            .any(|f| f.code == Code::CanMintCredentials && f.severity == Severity::Error));
        assert!(fires(Code::CanMintCredentials, &admin_conf(ADMIN), &base));
        for inv in [admin_conf(""), fixture("kubeadm-admin")] {
            assert!(!fires(Code::CanMintCredentials, &inv, &base));
        }
        // An expired credential mints nothing from this disk.
        let later = time::OffsetDateTime::from_unix_timestamp(NOW + 400 * DAY).unwrap();
        assert!(!evaluate(&ci, &base, later)
            .iter()
            .any(|f| f.code == Code::CanMintCredentials));
        let off = with_rule("can-mint-credentials", "{ enabled: false }");
        assert!(!fires(Code::CanMintCredentials, &ci, &off));
        let suppressed = policy("version: 1\nsuppressions:\n- rule: can-mint-credentials\n  kinds: [client-certificate]\n  reason: CI deployer, rotated daily\n");
        assert!(!fires(Code::CanMintCredentials, &ci, &suppressed));
    }
}
