//! kcred-core: every Kubernetes credential in a kubeconfig, decoded, with its expiry.
//!
//! What it does: reads kubeconfigs as kubectl does (client-go's KUBECONFIG
//! merge rules), decodes every credential in them (client certificates, JWTs
//! and other bearer tokens, basic auth, exec plugins, auth-providers), tells
//! how long each works, checks them against a policy, and writes the result as
//! a table, JSON, SARIF or Prometheus text. What it never does: run a program
//! an input names, open a network connection, read the clock or the
//! environment (every function that needs the time takes `now`), or print a
//! secret ([`Secret`] never shows its value).
//!
//! # The pipeline
//!
//! ```text
//! sources ──load_inventory──▶ Inventory ──evaluate(Policy, now)──▶ Vec<Finding> ──writers──▶ table | JSON | SARIF
//! (Source)   (fs boundary:      records,     (each rule of the        code, severity,     (output boundary:
//!             the only reads)   problems)     registry, RULES)         location, fix       text escaped)
//! ```
//!
//! Each arrow is a pure function of its inputs (the first reads files, through
//! the bounded readers of the input boundary only); the CLI, the Python module,
//! the test vectors and the fuzz targets all enter through [`load_inventory`].
//!
//! ## sources → [`load_inventory`] → [`Inventory`]
//!
//! A [`Source`] (a file, the KUBECONFIG list and home folder, paths, or text)
//! becomes a [`LoadedInventory`]: the credential records and every problem,
//! loading's first. A problem never stops the rest of the input from being
//! read.
//!
//! ```
//! use kcred_core::{load_inventory, CredentialKind, Error, Limits, Source};
//! use time::macros::datetime;
//!
//! let yaml = br#"
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
//! - name: ci
//!   user: {}
//! "#;
//! let source = Source::Text { name: "inline".into(), bytes: yaml.to_vec(), read_files: false };
//! let inv = load_inventory(&source, &Limits::default())?.inventory;
//! assert!(matches!(inv.problems[0], Error::DuplicateName { .. })); // the second `ci`
//! assert_eq!(inv.credentials.len(), 2);
//! let now = datetime!(2026-01-01 0:00 UTC); // a fixed instant: core never reads the clock
//! assert_eq!(inv.credentials[0].kind(), CredentialKind::Token);
//! assert_eq!(inv.credentials[0].status(now).name(), "unknown"); // opaque: only the server knows
//! assert_eq!(inv.credentials[1].identity(), "azure-kubelogin (azurecli)");
//! assert!(!format!("{inv:?}").contains("an-opaque-token"));
//! # Ok::<(), Error>(())
//! ```
//!
//! Its steps are public too: [`parse_kubeconfig`], [`load_file`] and
//! [`load_merged`] load; [`inventory`] decodes.
//!
//! ## [`Inventory`] → [`evaluate`]`(`[`Policy`]`, now)` → [`Finding`]s
//!
//! A policy is data extending a preset (`baseline` by default, `strict`,
//! `kubeadm`); each rule of the registry ([`RULES`], [`rule`]) checks the
//! subjects it covers. Findings come sorted, each with its [`Code`], severity,
//! location and remediation.
//!
//! ```
//! use kcred_core::{evaluate, load_inventory, Code, Limits, Policy, Severity, Source};
//! use time::macros::datetime;
//!
//! let yaml = b"users:\n- name: admin\n  user: {username: admin, password: hunter2}\n";
//! let source = Source::Text { name: "inline".into(), bytes: yaml.to_vec(), read_files: false };
//! let inventory = load_inventory(&source, &Limits::default())?.inventory;
//! let now = datetime!(2026-01-01 0:00 UTC);
//! let findings = evaluate(&inventory, &Policy::default(), now);
//! assert_eq!((findings[0].code, findings[0].severity), (Code::BasicAuth, Severity::Error));
//! let strict = evaluate(&inventory, &Policy::preset("strict")?, now);
//! assert!(strict.iter().any(|f| f.code == Code::StaticCredential));
//! # Ok::<(), kcred_core::Error>(())
//! ```
//!
//! ## [`Finding`]s → writers
//!
//! One renderer per format: [`findings_table`], [`write_findings_json`],
//! [`write_findings_sarif`], [`prometheus_text`] (and the same for
//! inventories, scans and exposure). Text is escaped for the terminal; no
//! format carries a secret.
//!
//! ```
//! use kcred_core::{evaluate, findings_table, load_inventory, write_findings_json,
//!                  write_findings_sarif, Limits, Policy, Source};
//! use time::macros::datetime;
//!
//! # let yaml = b"users:\n- name: admin\n  user: {username: admin, password: hunter2}\n";
//! # let source = Source::Text { name: "inline".into(), bytes: yaml.to_vec(), read_files: false };
//! # let inventory = load_inventory(&source, &Limits::default())?.inventory;
//! let now = datetime!(2026-01-01 0:00 UTC);
//! let findings = evaluate(&inventory, &Policy::default(), now);
//! let table = findings_table(&findings, false);
//! assert!(table.contains("error KC201 basic-auth"), "{table}");
//! let mut json = Vec::new();
//! write_findings_json(&findings, "baseline", now, &mut json)?;
//! let doc: serde_json::Value = serde_json::from_slice(&json)?;
//! assert_eq!(doc["findings"][0]["code"], kcred_core::Code::BasicAuth.as_str());
//! let mut sarif = Vec::new();
//! write_findings_sarif(&findings, None, &mut sarif)?;
//! for out in [table.into_bytes(), json, sarif] {
//!     assert!(!String::from_utf8(out)?.contains("hunter2"));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![warn(unreachable_pub)]

mod cache;
mod credential;
mod decode;
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
    Token, Unread,
};
pub use crate::decode::{decode, Decoded, DecodedCertificate, DecodedExecCredential, DecodedItem};
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
pub use crate::fs::{scan_tree, FileId, MissingPath, SharedFile, WalkOptions};
/// The old serde-saphyr kubeconfig reader beside the new loader, for the
/// differential fuzz target only.
#[doc(hidden)]
pub use crate::kubeconfig::differential;
pub use crate::kubeconfig::{
    kubeconfig_paths, load_file, load_merged, parse_kubeconfig, read_limited, AuthProvider,
    Cluster, Context, ExecConfig, ExecEnvVar, Extras, FieldPosition, Kubeconfig, Limits, Loaded,
    NamedCluster, NamedContext, NamedUser, Origin, User,
};
pub use crate::pki::{
    load_pki, pki_certificate_files, pki_report, short_human_duration, PkiEntry, PkiLayout,
    PkiReport, PkiSource, KUBEADM_DIR, KUBELET_DIR,
};
pub use crate::platform::{detect_platform, Platform, PlatformHints};
pub use crate::policy::{
    discover_policy, evaluate, evaluate_exposure, evaluate_repository, evaluate_scan,
    inline_suppressions, line_suppressions, load_policy, parse_policy, policy_json, policy_text,
    preset_text, rule, rules_markdown, rules_table, worst_severity, Code, Family, Finding,
    FindingLocation, LifetimeShare, Policy, PolicyDuration, PolicyOrigin, Rule, RuleSettings,
    Scope, Severity, Suppressed, Suppression, Threshold, UnknownCode, MAX_POLICY_BYTES,
    POLICY_API_VERSION, POLICY_FILE_NAMES, PRESETS, RULES,
};
pub use crate::rbac::{
    attach_privileges, can_i, identity_of, identity_of_token, load_rbac, parse_rbac, privileges,
    Access, Grant, GrantScope, Identity, MintPath, OidcClaims, PolicyRule, Privileges,
    RbacSnapshot, Reach, RightChain, Subject, MAX_RBAC_OBJECTS, SYSTEM_MASTERS,
};
pub use crate::report::{
    decoded_json, decoded_table, escape_text, exposure_json, exposure_prometheus, exposure_table,
    findings_json, findings_sarif, findings_table, inventory_json, inventory_table, json_text,
    pki_json, pki_prometheus, pki_table, prometheus_failure, prometheus_text, scan_json,
    scan_prometheus, scan_table, shell_quote, until_text, write_exposure_json, write_findings_json,
    write_findings_sarif, write_inventory_json, write_scan_json, ExposureReport, CELL_MAX,
    DECODED_SCHEMA, EXPOSURE_SCHEMA, FINDINGS_SCHEMA, INVENTORY_SCHEMA, KUBEADM_OUTPUT_API_VERSION,
    SARIF_FINGERPRINT_KEY, SARIF_VERSION, SCAN_SCHEMA,
};
pub use crate::scan::{
    credential_marker, looks_binary, name_marker, parse_git_index, scan_bytes, scan_file,
    scan_history, scan_path, skip_reason_text, FileScan, GitIndex, IndexEntry, PrivateKey,
    ScanReport, SkipReason, Skipped, Unreadable, GITLINK_MODE, MARKER_WINDOW, MAX_INDEX_PATH,
    SYMLINK_MODE,
};
pub use crate::scan::{
    git, history_json, history_sarif, history_table, write_history_json, write_history_sarif,
    HistoryCredential, HistoryLimits, HistoryOptions, HistoryReport, Place,
};
pub use crate::secret::{
    is_secret_name, redact_args, redact_command, redact_url, Secret, REDACTED,
};
pub use crate::source::{load_inventory, load_inventory_keeping_config, LoadedInventory, Source};
pub use crate::token::{
    decode_token, JwtInfo, ServiceAccountInfo, TokenFormat, TokenInfo, EKS_TOKEN_LIFETIME,
};
pub use crate::x509::{decode_certificates, decode_der, CertificateInfo, KeyInfo};
