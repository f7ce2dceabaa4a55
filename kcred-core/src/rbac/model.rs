//! The RBAC objects of a snapshot (`rbac.authorization.k8s.io/v1`), as
//! `kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml`
//! writes them: single documents, multi-document YAML, or a `List`.
//!
//! Only the fields the authorizer reads are kept; everything else (managed
//! fields, annotations, status) is ignored.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location};
use crate::kubeconfig::{yaml_options, Limits};

/// Most objects one snapshot file may hold (a large cluster has a few thousand).
pub const MAX_RBAC_OBJECTS: usize = 100_000;

/// One rule of a Role or ClusterRole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PolicyRule {
    /// `verbs` (`*` for all).
    pub verbs: Vec<String>,
    /// `apiGroups` (`""` is the core group, `*` all).
    pub api_groups: Vec<String>,
    /// `resources`, with `resource/subresource` and `*/subresource` forms.
    pub resources: Vec<String>,
    /// `resourceNames` (empty: any name).
    pub resource_names: Vec<String>,
    /// `nonResourceURLs` (`/healthz`, `/logs/*`, `*`).
    #[serde(rename = "nonResourceURLs")]
    pub non_resource_urls: Vec<String>,
}

/// `metadata` of an object: what names it and what aggregation selects on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
struct Metadata {
    name: String,
    namespace: String,
    labels: BTreeMap<String, String>,
}

/// A label selector of an `aggregationRule`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct LabelSelector {
    pub(crate) match_labels: BTreeMap<String, String>,
    pub(crate) match_expressions: Vec<SelectorRequirement>,
}

/// One `matchExpressions` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub(crate) struct SelectorRequirement {
    pub(crate) key: String,
    pub(crate) operator: String,
    pub(crate) values: Vec<String>,
}

impl LabelSelector {
    /// Whether `labels` satisfy the selector, as apimachinery's
    /// `LabelSelectorAsSelector` reads it. An empty selector selects nothing
    /// here: aggregation of "every ClusterRole" is never what a cluster means,
    /// and the controller skips empty selectors too.
    pub(crate) fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        if self.match_labels.is_empty() && self.match_expressions.is_empty() {
            return false;
        }
        let labels_ok = self
            .match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v));
        labels_ok
            && self.match_expressions.iter().all(|r| {
                let value = labels.get(&r.key);
                match r.operator.as_str() {
                    "In" => value.is_some_and(|v| r.values.contains(v)),
                    "NotIn" => value.is_none_or(|v| !r.values.contains(v)),
                    "Exists" => value.is_some(),
                    "DoesNotExist" => value.is_none(),
                    // An unknown operator selects nothing (the API server rejects it).
                    _ => false,
                }
            })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct AggregationRule {
    cluster_role_selectors: Vec<LabelSelector>,
}

/// `roleRef` of a binding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
struct RoleRef {
    kind: String,
    name: String,
}

/// One `subjects` entry of a binding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Subject {
    /// `User`, `Group` or `ServiceAccount`.
    pub kind: String,
    /// The user, group or service-account name.
    pub name: String,
    /// The service account's namespace (defaults to the binding's).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

/// Any object of a snapshot document; `kind` says which fields matter.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Object {
    kind: String,
    metadata: Metadata,
    rules: Option<Vec<PolicyRule>>,
    aggregation_rule: Option<AggregationRule>,
    subjects: Option<Vec<Subject>>,
    role_ref: Option<RoleRef>,
    items: Option<Vec<Object>>,
}

/// A Role (namespaced) or ClusterRole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RoleObject {
    pub(crate) name: String,
    /// Empty for a ClusterRole.
    pub(crate) namespace: String,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) rules: Vec<PolicyRule>,
    pub(crate) aggregation: Vec<LabelSelector>,
}

/// Which kind of role a binding refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleKind {
    Role,
    ClusterRole,
}

/// A RoleBinding (namespaced) or ClusterRoleBinding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BindingObject {
    pub(crate) name: String,
    /// Empty for a ClusterRoleBinding.
    pub(crate) namespace: String,
    pub(crate) subjects: Vec<Subject>,
    pub(crate) role_kind: RoleKind,
    pub(crate) role_name: String,
}

/// The RBAC objects of one or more snapshot files.
///
/// Build it with [`parse_rbac`] (one file's bytes) and [`RbacSnapshot::merge`];
/// ask it what an identity may do with [`crate::privileges`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RbacSnapshot {
    pub(crate) cluster_roles: Vec<RoleObject>,
    pub(crate) roles: Vec<RoleObject>,
    pub(crate) cluster_role_bindings: Vec<BindingObject>,
    pub(crate) role_bindings: Vec<BindingObject>,
}

impl RbacSnapshot {
    /// Adds the objects of `other` (a second `--rbac` file).
    pub fn merge(&mut self, other: RbacSnapshot) {
        self.cluster_roles.extend(other.cluster_roles);
        self.roles.extend(other.roles);
        self.cluster_role_bindings
            .extend(other.cluster_role_bindings);
        self.role_bindings.extend(other.role_bindings);
    }

    /// How many roles and bindings the snapshot holds.
    pub fn len(&self) -> usize {
        self.cluster_roles.len()
            + self.roles.len()
            + self.cluster_role_bindings.len()
            + self.role_bindings.len()
    }

    /// Whether the snapshot holds no role and no binding.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn add(&mut self, object: Object, at: &Location, count: &mut usize) -> Result<(), Error> {
        *count = count.saturating_add(1);
        if *count > MAX_RBAC_OBJECTS {
            return Err(Error::LimitReached {
                at: at.clone(),
                what: "RBAC objects in one snapshot".into(),
                limit: MAX_RBAC_OBJECTS as u64,
            });
        }
        let Object {
            kind,
            metadata,
            rules,
            aggregation_rule,
            subjects,
            role_ref,
            items,
        } = object;
        // A Role and a RoleBinding live in a namespace; the cluster kinds do not.
        let namespaced = matches!(kind.as_str(), "Role" | "RoleBinding");
        let namespace = match namespaced {
            true => metadata.namespace,
            false => String::new(),
        };
        match kind.as_str() {
            "ClusterRole" | "Role" => {
                let role = RoleObject {
                    name: metadata.name,
                    namespace,
                    labels: metadata.labels,
                    rules: rules.unwrap_or_default(),
                    aggregation: aggregation_rule
                        .map(|a| a.cluster_role_selectors)
                        .unwrap_or_default(),
                };
                match namespaced {
                    true => &mut self.roles,
                    false => &mut self.cluster_roles,
                }
                .push(role);
            }
            "ClusterRoleBinding" | "RoleBinding" => {
                let role_ref = role_ref.unwrap_or_default();
                let role_kind = match role_ref.kind.as_str() {
                    "ClusterRole" => RoleKind::ClusterRole,
                    // A ClusterRoleBinding can only name a ClusterRole; the API
                    // server refuses anything else, so the binding grants nothing.
                    "Role" if namespaced => RoleKind::Role,
                    _ => return Ok(()),
                };
                let binding = BindingObject {
                    name: metadata.name,
                    namespace,
                    subjects: subjects.unwrap_or_default(),
                    role_kind,
                    role_name: role_ref.name,
                };
                match namespaced {
                    true => &mut self.role_bindings,
                    false => &mut self.cluster_role_bindings,
                }
                .push(binding);
            }
            // `List`, `ClusterRoleList`, `RoleBindingList`...: the items count.
            k if k == "List" || k.ends_with("List") => {
                for item in items.unwrap_or_default() {
                    self.add(item, at, count)?;
                }
            }
            // Other objects (ServiceAccounts, ConfigMaps) may share the file.
            _ => {}
        }
        Ok(())
    }
}

/// Reads one snapshot file's bytes: YAML (one or many documents) or JSON.
///
/// `path` names the file in errors. The YAML budgets of `limits` apply (aliases,
/// nesting, nodes), and at most [`MAX_RBAC_OBJECTS`] objects are read.
///
/// ```
/// use kcred_core::{parse_rbac, Limits};
///
/// let yaml = br#"
/// apiVersion: rbac.authorization.k8s.io/v1
/// kind: ClusterRoleBinding
/// metadata: {name: admins}
/// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
/// subjects: [{kind: Group, name: ops}]
/// "#;
/// let snapshot = parse_rbac(yaml, "rbac.yaml".as_ref(), &Limits::default()).unwrap();
/// assert_eq!(snapshot.len(), 1);
/// ```
pub fn parse_rbac(bytes: &[u8], path: &Path, limits: &Limits) -> Result<RbacSnapshot, Error> {
    let at = Location::file(path);
    let text = std::str::from_utf8(bytes).map_err(|_| Error::NotUtf8 { at: at.clone() })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let objects: Vec<Option<Object>> = if text.trim_start().starts_with('{') {
        let object = serde_json::from_str::<Object>(text).map_err(|e| Error::BadDocument {
            at: at
                .clone()
                .with_line(u32::try_from(e.line()).ok().filter(|l| *l > 0)),
            what: "RBAC snapshot".into(),
            reason: "not valid JSON of Kubernetes objects".to_owned(),
        })?;
        vec![Some(object)]
    } else {
        let mut options = yaml_options(text, limits);
        if let Some(budget) = options.budget.as_mut() {
            budget.max_documents = MAX_RBAC_OBJECTS;
        }
        serde_saphyr::from_multiple_with_options(text, options).map_err(|e| {
            let line = e
                .location()
                .and_then(|l| u32::try_from(l.line()).ok())
                .filter(|l| *l > 0);
            Error::BadDocument {
                at: at.clone().with_line(line),
                what: "RBAC snapshot".into(),
                reason: "not valid YAML of Kubernetes objects".to_owned(),
            }
        })?
    };
    let mut snapshot = RbacSnapshot::default();
    let mut count = 0usize;
    for object in objects.into_iter().flatten() {
        snapshot.add(object, &at, &mut count)?;
    }
    Ok(snapshot)
}
