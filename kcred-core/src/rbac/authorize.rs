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
/// The rules of a snapshot's roles, resolved once (aggregation included) and
/// found by name: a binding finds its rules in constant time, however many
/// bindings name one aggregated ClusterRole, and one index serves every
/// identity asked about.
pub(crate) struct RoleIndex<'s> {
    cluster: HashMap<&'s str, Vec<(&'s RoleObject, &'s PolicyRule)>>,
    namespaced: HashMap<(&'s str, &'s str), Vec<(&'s RoleObject, &'s PolicyRule)>>,
}

impl<'s> RoleIndex<'s> {
    pub(crate) fn new(snapshot: &'s RbacSnapshot) -> Self {
        let mut cluster: HashMap<&str, Vec<_>> = HashMap::new();
        // The snapshot may hold the same ClusterRole twice (two files); both count.
        for role in &snapshot.cluster_roles {
            let rules = cluster.entry(role.name.as_str()).or_default();
            rules.extend(role.rules.iter().map(|rule| (role, rule)));
            rules.extend(aggregated_rules(snapshot, role));
        }
        let mut namespaced: HashMap<(&str, &str), Vec<_>> = HashMap::new();
        for role in &snapshot.roles {
            let key = (role.namespace.as_str(), role.name.as_str());
            let rules = namespaced.entry(key).or_default();
            rules.extend(role.rules.iter().map(|rule| (role, rule)));
        }
        RoleIndex {
            cluster,
            namespaced,
        }
    }

    /// The rules `binding`'s role reference grants, with the role each comes from.
    fn rules_of<'a>(
        &'a self,
        binding: &'s BindingObject,
    ) -> &'a [(&'s RoleObject, &'s PolicyRule)] {
        let rules = match binding.role_kind {
            RoleKind::ClusterRole => self.cluster.get(binding.role_name.as_str()),
            RoleKind::Role => self
                .namespaced
                .get(&(binding.namespace.as_str(), binding.role_name.as_str())),
        };
        rules.map_or(&[], Vec::as_slice)
    }
}

/// The rules an aggregated ClusterRole gets from the others, one level deep as
/// the controller writes them: the own `rules` of every ClusterRole whose
/// labels a selector matches, without repeats.
fn aggregated_rules<'s>(
    snapshot: &'s RbacSnapshot,
    role: &'s RoleObject,
) -> Vec<(&'s RoleObject, &'s PolicyRule)> {
    let mut out: Vec<(&RoleObject, &PolicyRule)> = Vec::new();
    if role.aggregation.is_empty() {
        return out;
    }
    for source in &snapshot.cluster_roles {
        if source.name == role.name || !role.aggregation.iter().any(|s| s.matches(&source.labels)) {
            continue;
        }
        for rule in &source.rules {
            // The controller de-duplicates identical rules.
            if !role.rules.contains(rule) && !out.iter().any(|(_, r)| *r == rule) {
                out.push((source, rule));
            }
        }
    }
    out
}

fn role_label(role: &RoleObject) -> String {
    if role.namespace.is_empty() {
        format!("ClusterRole/{}", role.name)
    } else {
        format!("Role/{}/{}", role.namespace, role.name)
    }
}

/// Every rule the snapshot grants `identity`, with its chain and scope.
pub(crate) fn grants<'s>(
    snapshot: &'s RbacSnapshot,
    index: &RoleIndex<'s>,
    identity: &Identity,
) -> Vec<Grant> {
    let mut out = Vec::new();
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
        for &(role, rule) in index.rules_of(binding) {
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
        || grants(snapshot, &RoleIndex::new(snapshot), identity)
            .iter()
            .any(|g| scope_covers(&g.scope, request) && rule_allows(&g.rule, request))
}
