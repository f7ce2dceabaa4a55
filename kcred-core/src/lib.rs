//! kcred-core: every Kubernetes credential in a kubeconfig, decoded, with its expiry.
//!
//! One pipeline, one module per arrow:
//!
//! ```text
//! bytes/files --load--> Kubeconfig --inventory--> Inventory --status(now)--> ExpiryStatus
//!                                                            --render----> table | JSON
//! ```
//!
//! [`load_inventory`] takes a [`Source`] (a file, the KUBECONFIG list and home
//! folder, paths, or text) to a [`LoadedInventory`] with every problem, loading's
//! first. Its steps are public too: loading ([`load_file`], [`load_merged`],
//! [`parse_kubeconfig`]) follows client-go's KUBECONFIG rules; [`inventory`]
//! decodes every credential
//! (certificates, JWTs and other tokens, basic auth, exec plugins,
//! auth-providers) without running anything; every function that needs the time
//! takes `now`. Secrets live in [`Secret`], which never prints its value.
//!
//! ```
//! use kcred_core::{inventory, parse_kubeconfig, CredentialKind, Limits, NoFiles};
//! use time::macros::datetime;
//!
//! let yaml = br#"
//! apiVersion: v1
//! kind: Config
//! users:
//! - name: ci
//!   user:
//!     token: "an-opaque-token"
//! - name: dev
//!   user:
//!     exec:
//!       apiVersion: client.authentication.k8s.io/v1beta1
//!       command: kubelogin
//!       args: [get-token, --login, azurecli, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]
//! "#;
//! let loaded = parse_kubeconfig(yaml, "inline".as_ref(), &Limits::default());
//! assert!(loaded.problems.is_empty());
//! let inv = inventory(&loaded.config, &NoFiles);
//! let now = datetime!(2026-01-01 0:00 UTC); // a fixed instant: core never reads the clock
//! assert_eq!(inv.credentials[0].kind(), CredentialKind::Token);
//! assert_eq!(inv.credentials[0].status(now).name(), "unknown"); // opaque: only the server knows
//! assert_eq!(inv.credentials[1].identity(), "azure-kubelogin (azurecli)");
//! assert!(!format!("{inv:?}").contains("an-opaque-token"));
//! ```
//!
//! The same from a [`Source`], through the one entry point the CLI, the Python
//! module and the test vectors call (problems of loading come first):
//!
//! ```
//! use kcred_core::{load_inventory, Error, Limits, Source};
//!
//! let text = b"users:\n- name: ci\n  user: {token: t}\n- name: ci\n  user: {}\n";
//! let source = Source::Text { name: "inline".into(), bytes: text.to_vec(), read_files: false };
//! let loaded = load_inventory(&source, &Limits::default())?;
//! assert_eq!(loaded.inventory.credentials.len(), 1);
//! assert!(matches!(loaded.inventory.problems[0], Error::DuplicateName { .. }));
//! # Ok::<(), Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![warn(unreachable_pub)]

mod cache;
mod credential;
mod der;
mod error;
mod exec;
mod expiry;
mod exposure;
mod fs;
mod kubeconfig;
mod pki;
mod platform;
mod policy;
mod rbac;
mod report;
mod scan;
mod secret;
mod source;
#[cfg(test)]
mod test_support;
mod token;
mod verify;
mod x509;

/// The `time` crate kcred's instants and durations come from (`now` is an
/// [`time::OffsetDateTime`]), so callers need not depend on it themselves.
pub use time;

pub use crate::cache::{
    file_facts, find_caches, link_caches, parse_cache_file, CacheEntry, CacheKey, CacheKind,
    CacheScan, CacheSearch, FileFacts,
};
pub use crate::credential::{
    into_inventory, into_inventory_with_limits, inventory, inventory_with_limits, AuthProviderInfo,
    BasicAuth, ClientCertificate, ClusterRecord, ContextRecord, Credential, CredentialKind,
    CredentialRecord, DataSource, DiskFiles, Impersonation, Inventory, NoFiles, ReferencedFiles,
    Token,
};
pub use crate::error::{Error, Location};
pub use crate::exec::{
    describe_exec, parse_exec_credential, ExecCredentialInfo, ExecInfo, ExecPlugin,
};
pub use crate::expiry::{
    human_duration, ExpiryStatus, UnknownReason, Validity, NO_WELL_DEFINED_EXPIRATION,
};
pub use crate::exposure::{
    exposure, permission_warnings, ContextExposure, DefaultRow, ExposedCredential, FileWarning,
    LifetimeDefaults, Revocability, Until,
};
pub use crate::fs::{FileId, SharedFile};
pub use crate::kubeconfig::{
    kubeconfig_paths, load_file, load_merged, parse_kubeconfig, read_limited, AuthProvider,
    Cluster, Context, ExecConfig, ExecEnvVar, Kubeconfig, Limits, Loaded, NamedCluster,
    NamedContext, NamedUser, Origin, User,
};
pub use crate::pki::{
    load_pki, pki_certificate_files, pki_report, short_human_duration, PkiEntry, PkiLayout,
    PkiReport, PkiSource, KUBEADM_DIR, KUBELET_DIR,
};
pub use crate::platform::{detect_platform, Platform, PlatformHints};
pub use crate::policy::{
    evaluate, evaluate_exposure, evaluate_repository, evaluate_scan, load_policy, parse_policy,
    preset_text, rule, rules_markdown, worst_severity, Code, Family, Finding, FindingLocation,
    Policy, PolicyDuration, Rule, RuleSettings, Scope, Severity, Suppressed, Suppression,
    UnknownCode, MAX_POLICY_BYTES, POLICY_API_VERSION, PRESETS, RULES,
};
pub use crate::rbac::{
    attach_privileges, can_i, identity_of, identity_of_token, load_rbac, parse_rbac, privileges,
    Access, Grant, GrantScope, Identity, MintPath, OidcClaims, PolicyRule, Privileges,
    RbacSnapshot, Reach, RightChain, Subject, MAX_RBAC_OBJECTS, SYSTEM_MASTERS,
};
pub use crate::report::{
    escape_text, exposure_json, exposure_table, findings_json, findings_sarif, findings_table,
    inventory_json, inventory_table, json_text, pki_json, pki_table, prometheus_text, scan_json,
    scan_table, shell_quote, until_text, write_exposure_json, write_findings_json,
    write_findings_sarif, write_inventory_json, write_scan_json, ExposureReport, CELL_MAX,
    EXPOSURE_SCHEMA, FINDINGS_SCHEMA, INVENTORY_SCHEMA, KUBEADM_OUTPUT_API_VERSION, SARIF_VERSION,
    SCAN_SCHEMA,
};
pub use crate::scan::{
    credential_marker, looks_binary, name_marker, parse_git_index, scan_bytes, scan_file,
    scan_path, skip_reason_text, FileScan, GitIndex, IndexEntry, ScanReport, SkipReason, Skipped,
    Unreadable, GITLINK_MODE, MARKER_WINDOW, MAX_INDEX_PATH, SYMLINK_MODE,
};
pub use crate::secret::{
    is_secret_name, redact_args, redact_command, redact_url, Secret, REDACTED,
};
pub use crate::source::{load_inventory, load_inventory_keeping_config, LoadedInventory, Source};
pub use crate::token::{
    decode_token, JwtInfo, ServiceAccountInfo, TokenFormat, TokenInfo, EKS_TOKEN_LIFETIME,
};
pub use crate::x509::{decode_certificates, decode_der, CertificateInfo, KeyInfo};
