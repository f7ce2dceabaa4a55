//! kcred-core: every Kubernetes credential in a kubeconfig, decoded, with its expiry.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod kubeconfig;
mod secret;

pub use crate::error::{Error, Location};
pub use crate::kubeconfig::{
    kubeconfig_paths, load_file, load_merged, parse_kubeconfig, read_limited, AuthProvider,
    Cluster, Context, ExecConfig, ExecEnvVar, Kubeconfig, Limits, Loaded, NamedCluster,
    NamedContext, NamedUser, Origin, User,
};
pub use crate::secret::{Secret, REDACTED};
