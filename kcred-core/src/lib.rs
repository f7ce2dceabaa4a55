//! kcred-core: every Kubernetes credential in a kubeconfig, decoded, with its expiry.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod kubeconfig;
mod secret;

pub use crate::error::{Error, Location};
pub use crate::kubeconfig::{
    AuthProvider, Cluster, Context, ExecConfig, ExecEnvVar, Kubeconfig, NamedCluster, NamedContext,
    NamedUser, Origin, User,
};
pub use crate::secret::{Secret, REDACTED};
