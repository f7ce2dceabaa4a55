//! Credential records and the inventory: every credential in a kubeconfig with
//! its decoded facts, where it was found, and which contexts use it.
//!
//! `record` holds the types, `files` how referenced files are read, `build`
//! the inventory of a config (contexts and clusters linked, each file decoded
//! once), `parallel` its users on several threads, `user` the credentials of
//! one user entry.

mod build;
mod files;
mod parallel;
mod record;
#[cfg(test)]
mod tests;
mod user;

pub(crate) use build::inventory_in;
pub use build::{into_inventory, into_inventory_with_limits, inventory, inventory_with_limits};
pub(crate) use files::decode_base64;
pub use files::{DiskFiles, NoFiles, ReferencedFiles};
#[cfg(test)]
pub(crate) use parallel::MIN_CERTIFICATES_PER_THREAD;
pub use record::{
    AuthProviderInfo, BasicAuth, ClientCertificate, ClusterRecord, ContextRecord, Credential,
    CredentialKind, CredentialRecord, DataSource, Impersonation, Inventory, Token, Unread,
};
