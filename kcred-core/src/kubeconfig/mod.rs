//! Kubeconfig: the model, loading one file or many, the KUBECONFIG merge, and
//! resolving relative paths against the file that named them.

mod model;

pub use model::{
    AuthProvider, Cluster, Context, ExecConfig, ExecEnvVar, Kubeconfig, NamedCluster, NamedContext,
    NamedUser, Origin, User,
};
