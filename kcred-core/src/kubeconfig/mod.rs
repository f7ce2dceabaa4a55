//! Kubeconfig: the model, loading one file or many, the KUBECONFIG merge, and
//! resolving relative paths against the file that named them.

mod de;
#[doc(hidden)]
pub mod differential;
mod fields;
mod json;
mod limits;
mod load;
mod merge;
mod model;
mod paths;
mod sanitize;
mod scalar;
mod top;
mod tree;
mod validate;
mod yaml;

pub use limits::Limits;
pub(crate) use load::{decode_text, parse_file_bytes};
pub use load::{load_file, parse_kubeconfig, read_limited, Loaded};
pub use merge::load_merged;
pub use paths::kubeconfig_paths;
pub(crate) use sanitize::sanitize;
pub(crate) use validate::not_as_written;
pub(crate) use yaml::{yaml_limit_reason, yaml_options, yaml_reason};

pub use model::{
    AuthProvider, Cluster, Context, ExecConfig, ExecEnvVar, Extras, FieldPosition, Kubeconfig,
    NamedCluster, NamedContext, NamedUser, Origin, User,
};
