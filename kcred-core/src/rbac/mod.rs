//! What each credential may do: effective RBAC rights from an offline snapshot.
//!
//! kcred never asks a cluster. The rights come from the RBAC objects the user
//! exported ([`parse_rbac`]), and the identity from what the credential proves
//! ([`identity_of`]): a certificate's CN and O, a service-account token's
//! namespace and name, an OIDC token's claims read with the cluster's claim
//! settings ([`OidcClaims`]). [`privileges`] then answers the stolen-laptop
//! owner's second question: can the thief read Secrets, exec into pods, and
//! above all mint credentials that outlive the stolen one?

mod authorize;
mod identity;
mod model;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location};
use crate::kubeconfig::Limits;

pub use authorize::{can_i, Access, Grant, GrantScope};
pub use identity::{identity_of, identity_of_token, Identity, OidcClaims};
pub use model::{parse_rbac, PolicyRule, RbacSnapshot, Subject, MAX_RBAC_OBJECTS};

use authorize::{grants, rule_allows, RoleIndex};

/// Fills each record's [`CredentialRecord::privileges`](crate::CredentialRecord)
/// with what its identity ([`identity_of`]) may do by `snapshot`; records whose
/// identity is not known keep `None`.
///
/// ```
/// use kcred_core::{attach_privileges, load_inventory, parse_rbac, Limits, Source};
///
/// let rbac = parse_rbac(b"kind: ClusterRoleBinding\nmetadata: {name: ci}\nroleRef: {kind: ClusterRole, name: admin}\nsubjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]\n---\nkind: ClusterRole\nmetadata: {name: admin}\nrules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]\n", "rbac.yaml".as_ref(), &Limits::default()).unwrap();
/// // A service-account JWT (claims are read, never verified).
/// let claims = r#"{"iss":"kubernetes/serviceaccount","sub":"system:serviceaccount:ci:deployer","kubernetes.io/serviceaccount/namespace":"ci","kubernetes.io/serviceaccount/service-account.name":"deployer"}"#;
/// use base64::Engine as _;
/// # let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
/// let token = format!("{}.{}.sig", b64(r#"{"alg":"RS256"}"#), b64(claims));
/// let text = format!("users:\n- name: ci\n  user: {{token: {token}}}\n");
/// let source = Source::Text { name: "mem".into(), bytes: text.into_bytes(), read_files: false };
/// let mut loaded = load_inventory(&source, &Limits::default()).unwrap();
/// attach_privileges(&mut loaded.inventory, &rbac, None);
/// let rights = loaded.inventory.credentials[0].privileges.as_ref().unwrap();
/// assert!(rights.cluster_admin && rights.summary() == "cluster-admin");
/// ```
pub fn attach_privileges(
    inventory: &mut crate::Inventory,
    snapshot: &RbacSnapshot,
    oidc: Option<&OidcClaims>,
) {
    let index = RoleIndex::new(snapshot);
    for record in &mut inventory.credentials {
        record.privileges = identity_of(record, oidc)
            .map(|identity| Box::new(privileges_indexed(snapshot, &index, &identity)));
    }
}

/// Reads the snapshot files and folders of `--rbac` (a folder: its `.yaml`,
/// `.yml` and `.json` files, sorted, at most [`Limits::max_dir_entries`]),
/// through the same bounded reads as every other input. A file that cannot be
/// read or parsed is a problem naming it; the others still count.
pub fn load_rbac(paths: &[PathBuf], limits: &Limits) -> (RbacSnapshot, Vec<Error>) {
    let mut snapshot = RbacSnapshot::default();
    let mut problems = Vec::new();
    let mut read = |file: &Path, problems: &mut Vec<Error>| {
        let at = Location::file(file);
        match crate::fs::read_limited(file, limits, &at)
            .and_then(|bytes| parse_rbac(&bytes, file, limits))
        {
            Ok(one) => snapshot.merge(one),
            Err(err) => problems.push(err),
        }
    };
    for path in paths {
        if crate::fs::is_not_found(path) {
            problems.push(Error::MissingFile {
                at: Location::file(path),
                path: path.clone(),
            });
        } else if crate::fs::is_dir(path) {
            let listing = crate::fs::list_dir(path, limits, |e| {
                !e.is_dir
                    && matches!(
                        Path::new(&e.name).extension().and_then(|x| x.to_str()),
                        Some("yaml" | "yml" | "json")
                    )
            });
            problems.extend(listing.problems);
            for entry in listing.entries {
                read(&entry.path, &mut problems);
            }
        } else {
            // Files and everything else: the bounded read refuses what is not
            // a regular file (a FIFO, a device) with a typed error.
            read(path, &mut problems);
        }
    }
    (snapshot, problems)
}

/// The group whose members the API server authorizes for everything, before
/// and whatever RBAC says.
pub const SYSTEM_MASTERS: &str = "system:masters";

/// Where a right holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    /// In every namespace (and on cluster-scoped objects).
    pub cluster_wide: bool,
    /// Namespaces where a RoleBinding grants it (empty when `cluster_wide`).
    pub namespaces: Vec<String>,
}

impl Reach {
    /// Whether the right holds anywhere.
    pub fn any(&self) -> bool {
        self.cluster_wide || !self.namespaces.is_empty()
    }

    fn everywhere() -> Self {
        Reach {
            cluster_wide: true,
            namespaces: Vec::new(),
        }
    }
}

/// One way an identity can mint a credential that outlives its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintPath {
    /// What it can do, like `create serviceaccounts/token`.
    pub how: String,
    /// Where.
    pub reach: Reach,
}

/// A right and the grants that give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightChain {
    /// `cluster-admin`, `mint`, `read-secrets`, `exec-pods`, `impersonate`, `escalate`.
    pub right: String,
    /// The binding → role → rule chains; empty for [`SYSTEM_MASTERS`], which
    /// needs none.
    pub grants: Vec<Grant>,
}

/// What an identity may do, by the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privileges {
    /// The identity the rights were computed for.
    pub identity: Identity,
    /// Every verb on every resource in every namespace, or [`SYSTEM_MASTERS`].
    pub cluster_admin: bool,
    /// Any of `mint_paths`.
    pub can_mint_credentials: bool,
    /// The ways to mint credentials.
    pub mint_paths: Vec<MintPath>,
    /// `get`, `list` or `watch` on Secrets.
    pub can_read_secrets: Reach,
    /// `create pods/exec`.
    pub can_exec_pods: Reach,
    /// `impersonate` users, groups, service accounts, UIDs or user extras.
    pub can_impersonate: bool,
    /// `escalate` or `bind` on Roles or ClusterRoles.
    pub can_escalate: bool,
    /// For each right held, the grants that give it.
    pub bindings: Vec<RightChain>,
}

impl Privileges {
    /// The RIGHTS cell of a table: `cluster-admin`, `mint`, `secrets` or `-`.
    pub fn summary(&self) -> &'static str {
        if self.cluster_admin {
            "cluster-admin"
        } else if self.can_mint_credentials {
            "mint"
        } else if self.can_read_secrets.any() {
            "secrets"
        } else {
            "-"
        }
    }
}

/// A right asked of the authorizer: any of `verbs` on any of `resources`
/// (`resource` or `resource/subresource`) in `api_group`.
struct Ask {
    verbs: &'static [&'static str],
    api_group: &'static str,
    resources: &'static [&'static str],
    /// Cluster-scoped resources: a RoleBinding's rules do not reach them.
    cluster_scoped: bool,
}

impl Ask {
    /// Any of `verbs` on any of the namespaced `resources` in `api_group`: a
    /// RoleBinding's rules reach them in its namespace.
    const fn new(
        verbs: &'static [&'static str],
        api_group: &'static str,
        resources: &'static [&'static str],
    ) -> Ask {
        Ask {
            verbs,
            api_group,
            resources,
            cluster_scoped: false,
        }
    }

    /// The same for cluster-scoped resources: only a ClusterRoleBinding's
    /// rules reach them.
    const fn cluster_scoped(self) -> Ask {
        Ask {
            cluster_scoped: true,
            ..self
        }
    }
}

const READ_SECRETS: Ask = Ask::new(&["get", "list", "watch"], "", &["secrets"]);
const EXEC_PODS: Ask = Ask::new(&["create"], "", &["pods/exec"]);
const IMPERSONATE_CORE: Ask = Ask::new(
    &["impersonate"],
    "",
    &["users", "groups", "serviceaccounts"],
);
const IMPERSONATE_EXTRA: Ask = Ask::new(
    &["impersonate"],
    "authentication.k8s.io",
    &["uids", "userextras/scopes", "userextras/*"],
)
.cluster_scoped();
const ESCALATE: Ask = Ask::new(
    &["escalate", "bind"],
    "rbac.authorization.k8s.io",
    &["roles", "clusterroles"],
);
const TOKEN_REQUEST: Ask = Ask::new(&["create"], "", &["serviceaccounts/token"]);
const WRITE_SECRETS: Ask = Ask::new(&["create", "update"], "", &["secrets"]);
const CREATE_PODS: Ask = Ask::new(&["create"], "", &["pods", "replicationcontrollers"]);
const CREATE_APPS: Ask = Ask::new(
    &["create"],
    "apps",
    &["deployments", "replicasets", "statefulsets", "daemonsets"],
);
const CREATE_JOBS: Ask = Ask::new(&["create"], "batch", &["jobs", "cronjobs"]);
const CSR_CREATE: Ask = Ask::new(
    &["create"],
    "certificates.k8s.io",
    &["certificatesigningrequests"],
)
.cluster_scoped();
const CSR_APPROVE: Ask = Ask::new(
    &["update", "patch"],
    "certificates.k8s.io",
    &["certificatesigningrequests/approval"],
)
.cluster_scoped();
const SIGNER_APPROVE: Ask =
    Ask::new(&["approve"], "certificates.k8s.io", &["signers"]).cluster_scoped();

/// Where the grants allow `ask`, and the grants that do.
fn reach<'g>(grants: &'g [Grant], ask: &Ask) -> (Reach, Vec<&'g Grant>) {
    let mut out = Reach::default();
    let mut via = Vec::new();
    for grant in grants {
        let namespace = match &grant.scope {
            GrantScope::Cluster => None,
            GrantScope::Namespace(_) if ask.cluster_scoped => continue,
            GrantScope::Namespace(ns) => Some(ns.as_str()),
        };
        let allowed = ask.verbs.iter().any(|verb| {
            ask.resources.iter().any(|resource| {
                let (resource, subresource) = resource.split_once('/').unwrap_or((resource, ""));
                rule_allows(
                    &grant.rule,
                    &Access {
                        verb,
                        api_group: ask.api_group,
                        resource,
                        subresource,
                        namespace,
                        // A right on some named objects is a right: a rule
                        // limited to `resourceNames` answers for its first.
                        name: grant.rule.resource_names.first().map_or("", String::as_str),
                        ..Access::default()
                    },
                )
            })
        });
        if !allowed {
            continue;
        }
        via.push(grant);
        match namespace {
            None => out.cluster_wide = true,
            Some(ns) if !out.namespaces.iter().any(|n| n == ns) => {
                out.namespaces.push(ns.to_owned())
            }
            Some(_) => {}
        }
    }
    if out.cluster_wide {
        out.namespaces.clear();
    }
    out.namespaces.sort();
    (out, via)
}

/// What `identity` may do by `snapshot`.
///
/// Members of [`SYSTEM_MASTERS`] may do everything, whatever the snapshot says.
/// A RoleBinding's rules count in its namespace only, and never on
/// cluster-scoped objects (CSRs, signers, users, groups).
///
/// ```
/// use kcred_core::{parse_rbac, privileges, Identity, Limits};
///
/// let yaml = br#"
/// kind: List
/// items:
/// - kind: ClusterRole
///   metadata: {name: secret-reader}
///   rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
/// - kind: RoleBinding
///   metadata: {name: read, namespace: payments}
///   roleRef: {kind: ClusterRole, name: secret-reader}
///   subjects: [{kind: User, name: alice}]
/// "#;
/// let snapshot = parse_rbac(yaml, "rbac.yaml".as_ref(), &Limits::default()).unwrap();
/// let rights = privileges(&snapshot, &Identity::user("alice", &[]));
/// assert_eq!(rights.can_read_secrets.namespaces, ["payments"]);
/// assert!(!rights.can_read_secrets.cluster_wide && !rights.cluster_admin);
/// assert_eq!(rights.summary(), "secrets");
/// ```
pub fn privileges(snapshot: &RbacSnapshot, identity: &Identity) -> Privileges {
    privileges_indexed(snapshot, &RoleIndex::new(snapshot), identity)
}

/// [`privileges`] with the snapshot's roles already indexed.
fn privileges_indexed<'s>(
    snapshot: &'s RbacSnapshot,
    index: &RoleIndex<'s>,
    identity: &Identity,
) -> Privileges {
    if identity.groups.iter().any(|g| g == SYSTEM_MASTERS) {
        return masters(identity);
    }
    let granted = grants(snapshot, index, identity);
    let mut bindings = Vec::new();
    let mut chain = |right: &str, via: Vec<&Grant>| {
        if !via.is_empty() {
            bindings.push(RightChain {
                right: right.to_owned(),
                grants: via.into_iter().cloned().collect(),
            });
        }
    };

    let admin_via: Vec<&Grant> = granted
        .iter()
        .filter(|g| g.scope == GrantScope::Cluster)
        .filter(|g| {
            let everything = Access {
                verb: "*",
                api_group: "*",
                resource: "*",
                ..Access::default()
            };
            rule_allows(&g.rule, &everything)
        })
        .collect();
    let cluster_admin = !admin_via.is_empty();
    chain("cluster-admin", admin_via);

    let (can_read_secrets, via) = reach(&granted, &READ_SECRETS);
    chain("read-secrets", via);
    let (can_exec_pods, via) = reach(&granted, &EXEC_PODS);
    chain("exec-pods", via);
    let (core, mut via) = reach(&granted, &IMPERSONATE_CORE);
    let (extra, via_extra) = reach(&granted, &IMPERSONATE_EXTRA);
    via.extend(via_extra);
    let can_impersonate = core.any() || extra.any();
    chain("impersonate", via);
    let (escalate, via) = reach(&granted, &ESCALATE);
    let can_escalate = escalate.any();
    chain("escalate", via);

    let workloads = "create workloads (every namespace has a default service account to mount)";
    let mut candidates =
        vec![
        ("create serviceaccounts/token", reach(&granted, &TOKEN_REQUEST)),
        (
            "create or update secrets (the token controller fills a service-account-token Secret)",
            reach(&granted, &WRITE_SECRETS),
        ),
        (workloads, reach(&granted, &CREATE_PODS)),
        (workloads, reach(&granted, &CREATE_APPS)),
        (workloads, reach(&granted, &CREATE_JOBS)),
    ];
    // A CSR mints a certificate only when it can also be approved for a signer.
    let csr = [&CSR_CREATE, &CSR_APPROVE, &SIGNER_APPROVE].map(|ask| reach(&granted, ask));
    if csr.iter().all(|(r, _)| r.any()) {
        let via = csr.into_iter().flat_map(|(_, via)| via).collect();
        candidates.push((
            "create and approve certificatesigningrequests",
            (Reach::everywhere(), via),
        ));
    }
    if can_impersonate {
        candidates.push(("impersonate", (Reach::everywhere(), Vec::new())));
    }
    candidates.push(("escalate or bind roles", (escalate, Vec::new())));
    let mut mint_paths = Vec::new();
    let mut mint_via = Vec::new();
    for (how, (reach, via)) in candidates {
        if reach.any() {
            mint_paths.push(MintPath {
                how: how.to_owned(),
                reach,
            });
            mint_via.extend(via);
        }
    }
    merge_paths(&mut mint_paths);
    let can_mint_credentials = !mint_paths.is_empty();
    chain("mint", mint_via);

    Privileges {
        identity: identity.clone(),
        cluster_admin,
        can_mint_credentials,
        mint_paths,
        can_read_secrets,
        can_exec_pods,
        can_impersonate,
        can_escalate,
        bindings,
    }
}

/// Joins paths with the same `how` (three workload kinds are one way).
fn merge_paths(paths: &mut Vec<MintPath>) {
    let mut merged: Vec<MintPath> = Vec::new();
    for path in paths.drain(..) {
        match merged.iter_mut().find(|m| m.how == path.how) {
            Some(m) => {
                m.reach.cluster_wide |= path.reach.cluster_wide;
                m.reach.namespaces.extend(path.reach.namespaces);
                m.reach.namespaces.sort();
                m.reach.namespaces.dedup();
                if m.reach.cluster_wide {
                    m.reach.namespaces.clear();
                }
            }
            None => merged.push(path),
        }
    }
    *paths = merged;
}

/// `system:masters`: everything, with no binding needed.
fn masters(identity: &Identity) -> Privileges {
    let all = Reach::everywhere();
    let right = |name: &str| RightChain {
        right: name.to_owned(),
        grants: Vec::new(),
    };
    Privileges {
        identity: identity.clone(),
        cluster_admin: true,
        can_mint_credentials: true,
        mint_paths: vec![MintPath {
            how: format!("member of {SYSTEM_MASTERS}: every request is allowed"),
            reach: all.clone(),
        }],
        can_read_secrets: all.clone(),
        can_exec_pods: all,
        can_impersonate: true,
        can_escalate: true,
        bindings: [
            "cluster-admin",
            "read-secrets",
            "exec-pods",
            "impersonate",
            "escalate",
            "mint",
        ]
        .map(right)
        .to_vec(),
    }
}
