//! The RBAC authorizer's semantics over a snapshot: which bindings apply to an
//! identity, which rules they grant where, and whether a rule allows a request.
//!
//! Follows Kubernetes' `plugin/pkg/auth/authorizer/rbac` and
//! `pkg/registry/rbac/validation` (rule matching, subject matching, RoleBindings
//! to ClusterRoles scoped to the binding's namespace), and the ClusterRole
//! aggregation controller (rules of every ClusterRole whose labels a selector
//! matches).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::model::{BindingObject, PolicyRule, RbacSnapshot, RoleKind, RoleObject, Subject};
use super::Identity;

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "scope", content = "namespace")]
pub enum GrantScope {
    /// Every namespace and the cluster-scoped resources (a ClusterRoleBinding).
    Cluster,
    /// One namespace (a RoleBinding).
    Namespace(String),
}

/// One rule granted to an identity: the binding → role → rule chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// `ClusterRoleBinding/NAME` or `RoleBinding/NAMESPACE/NAME`.
    pub binding: String,
    /// The subject of the binding that matched the identity.
    pub subject: Subject,
    /// `ClusterRole/NAME` or `Role/NAMESPACE/NAME`; for an aggregated
    /// ClusterRole, the role the rule was aggregated from.
    pub role: String,
    /// The rule.
    pub rule: PolicyRule,
    /// Where the rule applies.
    #[serde(flatten)]
    pub scope: GrantScope,
}

/// A request as the authorizer sees it (what `kubectl auth can-i` asks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access<'a> {
    /// `get`, `list`, `create`, `impersonate`...
    pub verb: &'a str,
    /// The API group (`""`: the core group).
    pub api_group: &'a str,
    /// The resource, like `secrets`.
    pub resource: &'a str,
    /// The subresource, like `exec` (empty: none).
    pub subresource: &'a str,
    /// The object's name (empty: any, as for `list` or `create`).
    pub name: &'a str,
    /// `None`: a cluster-wide request (cluster-scoped resources, or every namespace).
    pub namespace: Option<&'a str>,
    /// A non-resource URL (`/healthz`); then the resource fields are unused.
    pub path: Option<&'a str>,
}

fn has(list: &[String], wanted: &str) -> bool {
    list.iter().any(|v| v == wanted)
}

fn verb_matches(rule: &PolicyRule, verb: &str) -> bool {
    has(&rule.verbs, "*") || has(&rule.verbs, verb)
}

fn resource_matches(rule: &PolicyRule, resource: &str, subresource: &str) -> bool {
    rule.resources.iter().any(|r| {
        // `resource` or `resource/subresource`, compared without building the string.
        let combined = if subresource.is_empty() {
            r == resource
        } else {
            r.strip_prefix(resource)
                .and_then(|rest| rest.strip_prefix('/'))
                == Some(subresource)
        };
        r == "*"
            || combined
            || (!subresource.is_empty() && r.strip_prefix("*/") == Some(subresource))
    })
}

fn url_matches(rule: &PolicyRule, path: &str) -> bool {
    rule.non_resource_urls.iter().any(|u| {
        u == "*"
            || u == path
            || u.strip_suffix('*')
                .is_some_and(|prefix| path.starts_with(prefix.trim_end_matches('*')))
    })
}

/// Whether `rule` allows `request` (Kubernetes' `RuleAllows`).
pub(crate) fn rule_allows(rule: &PolicyRule, request: &Access<'_>) -> bool {
    if let Some(path) = request.path {
        return verb_matches(rule, request.verb) && url_matches(rule, path);
    }
    verb_matches(rule, request.verb)
        && (has(&rule.api_groups, "*") || has(&rule.api_groups, request.api_group))
        && resource_matches(rule, request.resource, request.subresource)
        && (rule.resource_names.is_empty() || has(&rule.resource_names, request.name))
}

/// Whether a binding subject names `identity`; `namespace` is the binding's
/// (empty for a ClusterRoleBinding), the default namespace of a
/// ServiceAccount subject.
fn applies_to(subject: &Subject, identity: &Identity, namespace: &str) -> bool {
    match subject.kind.as_str() {
        "User" => identity.user == subject.name,
        "Group" => identity.groups.contains(&subject.name),
        "ServiceAccount" => {
            let ns = if subject.namespace.is_empty() {
                namespace
            } else {
                &subject.namespace
            };
            !ns.is_empty()
                && identity
                    .user
                    .strip_prefix("system:serviceaccount:")
                    .and_then(|rest| rest.split_once(':'))
                    == Some((ns, subject.name.as_str()))
        }
        _ => false,
    }
}

/// The rules of a ClusterRole with its aggregated ones, each with the name of
/// the role it comes from. Aggregation is one level deep, as the controller
/// writes it: the rules of every selected ClusterRole's own `rules`.
/// The roles of a snapshot by name, built once per question: a binding finds
/// its role in constant time (20,000 bindings over 2,000 roles would
/// otherwise be 40 million comparisons).
struct RoleIndex<'s> {
    cluster: HashMap<&'s str, Vec<&'s RoleObject>>,
    namespaced: HashMap<(&'s str, &'s str), Vec<&'s RoleObject>>,
}

impl<'s> RoleIndex<'s> {
    fn new(snapshot: &'s RbacSnapshot) -> Self {
        let mut index = RoleIndex {
            cluster: HashMap::new(),
            namespaced: HashMap::new(),
        };
        for role in &snapshot.cluster_roles {
            index
                .cluster
                .entry(role.name.as_str())
                .or_default()
                .push(role);
        }
        for role in &snapshot.roles {
            let key = (role.namespace.as_str(), role.name.as_str());
            index.namespaced.entry(key).or_default().push(role);
        }
        index
    }
}

fn cluster_role_rules<'s>(
    snapshot: &'s RbacSnapshot,
    index: &RoleIndex<'s>,
    name: &str,
) -> Vec<(&'s RoleObject, &'s PolicyRule)> {
    let mut out = Vec::new();
    // The snapshot may hold the same ClusterRole twice (two files); both count.
    for role in index.cluster.get(name).into_iter().flatten().copied() {
        out.extend(role.rules.iter().map(|rule| (role, rule)));
        if role.aggregation.is_empty() {
            continue;
        }
        let mut seen: Vec<&PolicyRule> = Vec::new();
        for source in &snapshot.cluster_roles {
            if source.name == role.name
                || !role.aggregation.iter().any(|s| s.matches(&source.labels))
            {
                continue;
            }
            for rule in &source.rules {
                // The controller de-duplicates identical rules.
                if !role.rules.contains(rule) && !seen.contains(&rule) {
                    seen.push(rule);
                    out.push((source, rule));
                }
            }
        }
    }
    out
}

fn role_rules<'s>(
    snapshot: &'s RbacSnapshot,
    index: &RoleIndex<'s>,
    binding: &BindingObject,
) -> Vec<(&'s RoleObject, &'s PolicyRule)> {
    match binding.role_kind {
        RoleKind::ClusterRole => cluster_role_rules(snapshot, index, &binding.role_name),
        RoleKind::Role => index
            .namespaced
            .get(&(binding.namespace.as_str(), binding.role_name.as_str()))
            .into_iter()
            .flatten()
            .flat_map(|role| role.rules.iter().map(move |rule| (*role, rule)))
            .collect(),
    }
}

fn role_label(role: &RoleObject) -> String {
    if role.namespace.is_empty() {
        format!("ClusterRole/{}", role.name)
    } else {
        format!("Role/{}/{}", role.namespace, role.name)
    }
}

/// Every rule the snapshot grants `identity`, with its chain and scope.
pub(crate) fn grants(snapshot: &RbacSnapshot, identity: &Identity) -> Vec<Grant> {
    let mut out = Vec::new();
    let index = RoleIndex::new(snapshot);
    let bindings = snapshot
        .cluster_role_bindings
        .iter()
        .chain(&snapshot.role_bindings);
    for binding in bindings {
        let Some(subject) = binding
            .subjects
            .iter()
            .find(|s| applies_to(s, identity, &binding.namespace))
        else {
            continue;
        };
        let (label, scope) = if binding.namespace.is_empty() {
            (
                format!("ClusterRoleBinding/{}", binding.name),
                GrantScope::Cluster,
            )
        } else {
            (
                format!("RoleBinding/{}/{}", binding.namespace, binding.name),
                GrantScope::Namespace(binding.namespace.clone()),
            )
        };
        for (role, rule) in role_rules(snapshot, &index, binding) {
            out.push(Grant {
                binding: label.clone(),
                subject: subject.clone(),
                role: role_label(role),
                rule: rule.clone(),
                scope: scope.clone(),
            });
        }
    }
    out
}

/// Whether a grant's scope covers a request's namespace: a cluster grant covers
/// every request; a namespace grant only requests in its namespace.
fn scope_covers(scope: &GrantScope, request: &Access<'_>) -> bool {
    match (scope, request.namespace) {
        (GrantScope::Cluster, _) => true,
        (GrantScope::Namespace(ns), Some(wanted)) => ns == wanted,
        (GrantScope::Namespace(_), None) => false,
    }
}

/// Whether the snapshot allows `identity` to make `request`, as the API
/// server's authorizer decides it (members of `system:masters` may do
/// everything): an offline `kubectl auth can-i --as`.
///
/// ```
/// use kcred_core::{can_i, parse_rbac, Access, Identity, Limits};
///
/// let yaml = br#"
/// kind: Role
/// metadata: {name: exec, namespace: dev}
/// rules: [{apiGroups: [""], resources: [pods/exec], verbs: [create]}]
/// ---
/// kind: RoleBinding
/// metadata: {name: exec, namespace: dev}
/// roleRef: {kind: Role, name: exec}
/// subjects: [{kind: Group, name: devs}]
/// "#;
/// let snapshot = parse_rbac(yaml, "rbac.yaml".as_ref(), &Limits::default()).unwrap();
/// let bob = Identity::user("bob", &["devs"]);
/// let exec = |ns| Access { verb: "create", resource: "pods", subresource: "exec", namespace: Some(ns), ..Access::default() };
/// assert!(can_i(&snapshot, &bob, &exec("dev")));
/// assert!(!can_i(&snapshot, &bob, &exec("prod")));
/// ```
pub fn can_i(snapshot: &RbacSnapshot, identity: &Identity, request: &Access<'_>) -> bool {
    identity.groups.iter().any(|g| g == super::SYSTEM_MASTERS)
        || grants(snapshot, identity)
            .iter()
            .any(|g| scope_covers(&g.scope, request) && rule_allows(&g.rule, request))
}
