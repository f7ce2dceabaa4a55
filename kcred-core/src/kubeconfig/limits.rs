//! The input limits: one struct of caps that every reader of a run shares, so
//! that no input (a huge file, an alias bomb, a folder of a million names) makes
//! kcred read, nest or verify without bound.

/// Input limits for reading kubeconfigs and the files they reference.
///
/// The YAML node and event budgets grow with the input's length (a 15,000-user
/// file is legitimate), so only aliases and nesting need fixed caps; alias
/// expansion is bounded, which makes "billion laughs" inputs fail fast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes. Default: 16 MiB.
    pub max_file_bytes: u64,
    /// Deepest nesting of mappings and sequences (YAML and JSON). Default: 64.
    ///
    /// Kubeconfigs need about 8 levels. Deserializing is recursive and costs
    /// about 20 KiB of stack per level in debug builds (about 85 levels exhaust
    /// a 2 MiB thread stack), so keep this well below 100.
    pub max_depth: usize,
    /// Most alias uses (`*name`) in one YAML document. Default: 10,000.
    pub max_aliases: usize,
    /// Most parser events replayed from aliases in one document. Default: 1,000,000.
    pub max_alias_replay_events: usize,
    /// Floor of the YAML node budget; the budget is the larger of this and the
    /// input's length in bytes (every node takes at least one byte). Default: 250,000.
    pub min_nodes: usize,
    /// Most bytes one run reads from all files together (kubeconfigs, the files
    /// they reference, caches): a file that would take the run past it is not
    /// read and is reported as [`Error::LimitReached`](crate::Error::LimitReached). Default: 256 MiB.
    pub max_total_bytes: u64,
    /// Most entries examined in one folder (cache folders, `pki/`), taken in name
    /// order after reading every name; the rest are reported as
    /// [`Error::LimitReached`](crate::Error::LimitReached). Default: 4,096.
    pub max_dir_entries: usize,
    /// Read files of kernel pseudo file systems (`/proc`, `/sys`...), which are
    /// refused by default: some block forever (`/proc/kmsg`). Default: `false`.
    pub allow_pseudo_files: bool,
    /// Floor of one run's budget of signature verifications (an inventory, a
    /// `pki` report): the budget is this plus 4 for each client certificate
    /// (leaf or bundled intermediate) examined, so it grows with legitimate input,
    /// where each certificate needs about one check per cluster CA. Candidate
    /// issuers are found by name before any check and each verdict is computed
    /// once, so only a bundle of many same-named CAs comes near it. Checks past
    /// the budget are not made: the verdicts they decide are left unknown and
    /// reported as [`Error::LimitReached`](crate::Error::LimitReached). Default: 10,000.
    pub max_signature_checks: u64,
    /// Most threads one inventory's users are examined on (large configs only;
    /// the result is the same on any number). Default: 1; the CLI passes the
    /// machine's available parallelism.
    pub threads: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_aliases: 10_000,
            max_alias_replay_events: 1_000_000,
            min_nodes: 250_000,
            max_total_bytes: 256 * 1024 * 1024,
            max_dir_entries: 4096,
            allow_pseudo_files: false,
            max_signature_checks: 10_000,
            threads: 1,
        }
    }
}
