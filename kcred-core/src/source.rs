//! The one entry point from sources to a loaded inventory: which kubeconfig
//! files (or text) to load, the load, the inventory, and the rule that ties
//! them together — problems of loading come first, and a run that read nothing
//! fails with its first problem.
//!
//! The CLI, the Python module and the test vectors all call [`load_inventory`].

use std::ffi::OsString;
use std::path::PathBuf;

use crate::credential::{into_inventory_with_limits, DiskFiles, Inventory, NoFiles};
use crate::error::Error;
use crate::kubeconfig::{
    kubeconfig_paths, load_file, load_merged, parse_kubeconfig, Kubeconfig, Limits, Loaded,
};

/// Where kubeconfigs come from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// One file, loaded alone (like `kubectl --kubeconfig`): it must exist.
    File(PathBuf),
    /// What kubectl reads without `--kubeconfig`: the `$KUBECONFIG` list, else
    /// `home/.kube/config` ([`kubeconfig_paths`]), merged. The values are
    /// passed in: core never reads the environment.
    Environment {
        /// The value of `$KUBECONFIG`.
        kubeconfig: Option<OsString>,
        /// The home folder.
        home: Option<PathBuf>,
    },
    /// Files merged with KUBECONFIG rules ([`load_merged`]): missing ones are
    /// skipped, the first to define a name wins.
    Paths(Vec<PathBuf>),
    /// A kubeconfig in memory (YAML or JSON); `name` names it in locations.
    Text {
        /// What locations call the input.
        name: PathBuf,
        /// The kubeconfig.
        bytes: Vec<u8>,
        /// Read the files the text references (`client-certificate`,
        /// `tokenFile`...; relative ones from the current folder); when false
        /// they are reported missing.
        read_files: bool,
    },
}

/// A loaded inventory: the records, every problem (those of loading first),
/// and the kubeconfig files read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadedInventory {
    /// Credentials, clusters and problems; `inventory.problems` starts with the
    /// problems of loading, then those of inventorying.
    pub inventory: Inventory,
    /// The kubeconfig files read, in order (empty for [`Source::Text`]).
    pub files: Vec<PathBuf>,
    /// The context names the config defines, in order.
    pub contexts: Vec<String>,
}

impl LoadedInventory {
    /// Keeps only the credentials and clusters `context` uses; `false` (and
    /// nothing changed) when the config defines no such context.
    ///
    /// ```
    /// use kcred_core::{load_inventory, Limits, Source};
    /// let text = b"contexts:\n- name: dev\n  context: {user: a, cluster: c}\nusers:\n- name: a\n  user: {token: t1}\n- name: b\n  user: {token: t2}\n";
    /// let source = Source::Text { name: "mem".into(), bytes: text.to_vec(), read_files: false };
    /// let mut loaded = load_inventory(&source, &Limits::default()).unwrap();
    /// assert!(!loaded.select_context("prod"));
    /// assert!(loaded.select_context("dev"));
    /// assert_eq!(loaded.inventory.credentials.len(), 1);
    /// ```
    pub fn select_context(&mut self, context: &str) -> bool {
        if !self.contexts.iter().any(|c| c == context) {
            return false;
        }
        let uses = |contexts: &[String]| contexts.iter().any(|c| c == context);
        self.inventory.credentials.retain(|r| uses(&r.contexts));
        self.inventory.clusters.retain(|c| uses(&c.contexts));
        true
    }
}

/// Loads `source` and inventories it: referenced files are read through the
/// input boundary with `limits`, nothing is executed.
///
/// A run that read no kubeconfig file fails with its first problem
/// ([`Error::NoKubeconfig`] when there was none: no candidate path at all).
/// Otherwise every problem is in `inventory.problems`, loading's first, and
/// the rest of the input is inventoried.
///
/// ```
/// use kcred_core::{load_inventory, CredentialKind, Error, Limits, Source};
///
/// let text = b"users:\n- name: ci\n  user: {token: an-opaque-token}\n- name: ci\n  user: {}\n";
/// let source = Source::Text { name: "inline".into(), bytes: text.to_vec(), read_files: false };
/// let loaded = load_inventory(&source, &Limits::default()).unwrap();
/// assert_eq!(loaded.inventory.credentials[0].kind(), CredentialKind::Token);
/// assert!(matches!(loaded.inventory.problems[0], Error::DuplicateName { .. }));
///
/// let nothing = Source::Paths(vec!["/no/such/kubeconfig".into()]);
/// assert!(matches!(load_inventory(&nothing, &Limits::default()), Err(Error::NoKubeconfig { .. })));
/// ```
pub fn load_inventory(source: &Source, limits: &Limits) -> Result<LoadedInventory, Error> {
    let (loaded, read_files) = load(source, limits)?;
    let Loaded {
        config,
        files,
        problems,
        suppressions,
    } = loaded;
    let contexts = context_names(&config);
    // Consumed: each user entry is freed once inventoried (half the peak memory
    // for very large configs).
    let inventory = if read_files {
        into_inventory_with_limits(config, &DiskFiles::new(limits.clone()), limits)
    } else {
        into_inventory_with_limits(config, &NoFiles, limits)
    };
    let mut loaded = loaded_inventory(inventory, problems, files, contexts);
    loaded.inventory.suppressions = suppressions;
    Ok(loaded)
}

fn context_names(config: &Kubeconfig) -> Vec<String> {
    config.contexts.iter().map(|c| c.name.clone()).collect()
}

/// The inventory with the problems of loading put first.
fn loaded_inventory(
    mut inventory: Inventory,
    load_problems: Vec<Error>,
    files: Vec<PathBuf>,
    contexts: Vec<String>,
) -> LoadedInventory {
    inventory.problems.splice(0..0, load_problems);
    LoadedInventory {
        inventory,
        files,
        contexts,
    }
}

/// [`load_inventory`], keeping the merged config beside the inventory (token
/// caches are linked to its users, say). Costs a config's memory more.
///
/// ```no_run
/// use kcred_core::{load_inventory_keeping_config, Limits, Source};
/// let source = Source::Environment {
///     kubeconfig: std::env::var_os("KUBECONFIG"),
///     home: std::env::var_os("HOME").map(Into::into),
/// };
/// let (loaded, config) = load_inventory_keeping_config(&source, &Limits::default())?;
/// println!("{} users, {} records", config.users.len(), loaded.inventory.credentials.len());
/// # Ok::<(), kcred_core::Error>(())
/// ```
pub fn load_inventory_keeping_config(
    source: &Source,
    limits: &Limits,
) -> Result<(LoadedInventory, Kubeconfig), Error> {
    let (loaded, read_files) = load(source, limits)?;
    let contexts = context_names(&loaded.config);
    let config = loaded.config;
    let suppressions = loaded.suppressions;
    let inventory = if read_files {
        crate::credential::inventory_with_limits(&config, &DiskFiles::new(limits.clone()), limits)
    } else {
        crate::credential::inventory_with_limits(&config, &NoFiles, limits)
    };
    let mut loaded = loaded_inventory(inventory, loaded.problems, loaded.files, contexts);
    loaded.inventory.suppressions = suppressions;
    Ok((loaded, config))
}

/// Loads the source; `Err` when it names files and none could be read. Also
/// says whether referenced files are read from disk.
fn load(source: &Source, limits: &Limits) -> Result<(Loaded, bool), Error> {
    let paths = match source {
        Source::Text {
            name,
            bytes,
            read_files,
        } => return Ok((parse_kubeconfig(bytes, name, limits), *read_files)),
        Source::File(path) => std::slice::from_ref(path).to_vec(),
        Source::Environment { kubeconfig, home } => {
            kubeconfig_paths(kubeconfig.as_deref(), home.as_deref())
        }
        Source::Paths(paths) => paths.clone(),
    };
    let mut loaded = match source {
        Source::File(path) => load_file(path, limits),
        _ => load_merged(&paths, limits),
    };
    if loaded.files.is_empty() {
        return Err(if loaded.problems.is_empty() {
            Error::NoKubeconfig { looked_at: paths }
        } else {
            loaded.problems.swap_remove(0)
        });
    }
    Ok((loaded, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(yaml: &str) -> Source {
        Source::Text {
            name: "mem".into(),
            bytes: yaml.as_bytes().to_vec(),
            read_files: false,
        }
    }

    #[test]
    fn nothing_named_is_no_kubeconfig() {
        let env = Source::Environment {
            kubeconfig: None,
            home: None,
        };
        assert_eq!(
            load_inventory(&env, &Limits::default()),
            Err(Error::NoKubeconfig { looked_at: vec![] })
        );
    }

    #[test]
    fn a_missing_file_is_its_problem() {
        let source = Source::File("/no/such/kubeconfig".into());
        let err = load_inventory(&source, &Limits::default()).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err:?}");
    }

    #[test]
    fn both_entry_points_agree() {
        let source = text("users:\n- name: a\n  user: {token: t}\n");
        let one = load_inventory(&source, &Limits::default()).unwrap();
        let (two, config) = load_inventory_keeping_config(&source, &Limits::default()).unwrap();
        assert_eq!(one, two);
        assert_eq!(config.users.len(), 1);
    }

    #[test]
    fn text_referencing_files_reads_none_unless_asked() {
        let source = text("users:\n- name: a\n  user: {tokenFile: /no/such/token}\n");
        let loaded = load_inventory(&source, &Limits::default()).unwrap();
        assert!(loaded.files.is_empty());
        assert!(!loaded.inventory.problems.is_empty());
    }
}
