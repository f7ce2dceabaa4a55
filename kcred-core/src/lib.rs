//! kcred-core: every Kubernetes credential in a kubeconfig, decoded, with its expiry.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cache;
mod credential;
mod der;
mod error;
mod exec;
mod expiry;
mod exposure;
mod kubeconfig;
mod platform;
mod report;
mod secret;
mod token;
mod x509;

pub use crate::cache::{
    file_facts, find_caches, link_caches, parse_cache_file, CacheEntry, CacheKey, CacheKind,
    CacheScan, CacheSearch, FileFacts,
};
pub use crate::credential::{
    inventory, AuthProviderInfo, BasicAuth, ClientCertificate, ClusterRecord, Credential,
    CredentialKind, CredentialRecord, DataSource, DiskFiles, Impersonation, Inventory, NoFiles,
    ReferencedFiles, Token,
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
pub use crate::kubeconfig::{
    kubeconfig_paths, load_file, load_merged, parse_kubeconfig, read_limited, AuthProvider,
    Cluster, Context, ExecConfig, ExecEnvVar, Kubeconfig, Limits, Loaded, NamedCluster,
    NamedContext, NamedUser, Origin, User,
};
pub use crate::platform::{detect_platform, Platform, PlatformHints};
pub use crate::report::{
    exposure_json, exposure_table, inventory_json, inventory_table, until_text, ExposureReport,
    EXPOSURE_SCHEMA, INVENTORY_SCHEMA,
};
pub use crate::secret::{Secret, REDACTED};
pub use crate::token::{
    decode_token, JwtInfo, ServiceAccountInfo, TokenFormat, TokenInfo, EKS_TOKEN_LIFETIME,
};
pub use crate::x509::{decode_certificates, decode_der, CertificateInfo, KeyInfo};
