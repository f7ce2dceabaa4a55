//! Kubeconfig: the model, loading one file or many, the KUBECONFIG merge, and
//! resolving relative paths against the file that named them.

mod load;
mod merge;
mod model;
mod paths;

pub(crate) use load::{decode_text, parse_file_bytes, sanitize, yaml_options, yaml_reason};
pub use load::{load_file, parse_kubeconfig, read_limited, Limits, Loaded};
pub use merge::load_merged;
pub use paths::kubeconfig_paths;

pub use model::{
    AuthProvider, Cluster, Context, ExecConfig, ExecEnvVar, Kubeconfig, NamedCluster, NamedContext,
    NamedUser, Origin, User,
};
