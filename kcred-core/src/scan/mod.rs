//! Repository scan: what credentials one file holds, told by content, not name.
//!
//! A file is a kubeconfig (any YAML or JSON document shaped like one), PEM
//! certificates, or Kubernetes manifests (multi-document YAML, JSON `List`s):
//! `Secret`s of type `kubernetes.io/service-account-token` or `kubernetes.io/tls`,
//! any `Secret` whose `data` or `stringData` holds a kubeconfig, and
//! `CertificateSigningRequest`s with `status.certificate`; else a saved
//! ExecCredential, or tokens recognised by content in any text (`loose`); kubeconfigs
//! embedded in the values of other YAML or JSON documents, as text or base64
//! (`embedded`: Terraform state, Helm values, CI and Ansible vars). Every record carries
//! the file and the 1-based line of the field (or document) it came from.
//!
//! Private keys are indexed by the fingerprint of their public key (`pem`), and
//! [`ScanReport::finish`] pairs every certificate of the scan with the key that
//! holds its public key wherever it is in the tree (`pairing`): a certificate
//! with its key is a credential, one alone is public.
//!
//! Bytes in, records out; [`scan_path`] reads one file with the size cap first.
//! Walking the tree is the caller's job ([`parse_git_index`] tells it what git
//! tracks). What looks like a credential but cannot be fully read or parsed is
//! an [`Unreadable`] entry (rule KC905), never a silent skip.

mod embedded;
mod git_index;
mod history;
mod loose;
mod manifest;
mod markers;
mod pairing;
mod pem;
mod placeholder;
mod read;

pub use git_index::{
    parse_git_index, GitIndex, IndexEntry, GITLINK_MODE, MAX_INDEX_PATH, SYMLINK_MODE,
};
pub use history::{
    history_json, history_sarif, history_table, scan_history, write_history_json,
    write_history_sarif, HistoryCredential, HistoryLimits, HistoryOptions, HistoryReport, Place,
};
/// The read-only git object parsers of the history scan (for the fuzz target).
pub mod git {
    pub use super::history::{
        apply_delta, inflate, parse_commit, parse_loose, parse_tag, parse_tree, Commit, EntryKind,
        Object, ObjectId, ObjectKind, ObjectLimits, Pack, PackIndex, TreeEntry,
    };
}
pub use markers::{credential_marker, name_marker, MARKER_WINDOW};
pub(crate) use pairing::{client_auth_usable, paired_in_tree};
pub use pem::PrivateKey;
pub use read::scan_path;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::credential::{
    inventory_with_limits, ClientCertificate, CredentialRecord, DataSource, Inventory, NoFiles,
    Token,
};
use crate::error::{Error, Location};
use crate::kubeconfig::{parse_kubeconfig, Limits};
use crate::platform::Platform;
use crate::token::{TokenFormat, TokenInfo};

/// Why a file was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SkipReason {
    /// A NUL byte in the first 8 KiB: a binary file.
    Binary,
    /// Neither UTF-8 nor UTF-16 with a byte-order mark.
    NotText,
    /// Larger than the limit.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The file could not be read.
    Unreadable {
        /// The operating system's reason.
        detail: String,
    },
    /// A FIFO, socket or device: never opened, so the scan cannot block on it.
    NotRegularFile,
    /// The git index that says which files are tracked could not be parsed, so
    /// ignore rules were not applied below its work tree: every file there was
    /// scanned.
    GitIndexMalformed {
        /// What is wrong with the index, typed (boxed: keeps skips small).
        problem: Box<Error>,
    },
    /// The git index was not read (a `.git` file whose `gitdir` lies outside the
    /// scanned tree): ignore rules applied as without git, so a tracked file
    /// that they match was not scanned.
    GitIndexNotRead {
        /// Why.
        detail: String,
    },
}

/// Something that looks like a credential but could not be fully read or
/// parsed: a finding (KC905 credential-unreadable), never a silent skip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    /// The file, and the line of the document or of the parse error when known.
    pub location: Location,
    /// What made it look like a credential, like `a kubeconfig (kind: Config)`.
    pub looks_like: String,
    /// Why it was not read: the limit, the parser's complaint, the OS error.
    pub reason: String,
}

/// One file's scan: the credentials and problems (or why the file was skipped),
/// and the parts that look like credentials but could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct FileScan {
    /// Credentials and problems, or the reason the file was not scanned.
    pub result: Result<Inventory, Skipped>,
    /// What looked like a credential and could not be read or parsed.
    pub unreadable: Vec<Unreadable>,
    /// The private keys in the file, for pairing with certificates anywhere in
    /// the scan ([`ScanReport::finish`]).
    pub private_keys: Vec<PrivateKey>,
}

impl FileScan {
    /// A skipped file; an [`Unreadable`] too when `looks_like` is known.
    pub fn skipped(file: &Path, reason: SkipReason, looks_like: Option<&str>) -> Self {
        let unreadable = looks_like
            .map(|what| Unreadable {
                location: Location::file(file),
                looks_like: what.to_owned(),
                reason: skip_reason_text(&reason),
            })
            .into_iter()
            .collect();
        FileScan {
            result: Err(Skipped {
                file: file.to_path_buf(),
                reason,
            }),
            unreadable,
            private_keys: Vec::new(),
        }
    }
}

/// A skip reason in words (the table and KC905 messages).
pub fn skip_reason_text(reason: &SkipReason) -> String {
    match reason {
        SkipReason::Binary => "binary".to_owned(),
        SkipReason::NotText => "not UTF-8 or UTF-16 text".to_owned(),
        SkipReason::TooLarge { limit } => format!("larger than {limit} bytes"),
        SkipReason::Unreadable { detail } => format!("unreadable ({detail})"),
        SkipReason::NotRegularFile => "not a regular file (FIFO, socket or device)".to_owned(),
        SkipReason::GitIndexMalformed { problem } => format!(
            "malformed git index ({problem}); ignore rules not applied to its work tree"
        ),
        SkipReason::GitIndexNotRead { detail } => format!(
            "git index not read ({detail}); ignore rules applied, so ignored tracked files were not scanned"
        ),
    }
}

/// A file left out of the scan, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file.
    pub file: PathBuf,
    /// Why.
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// What a scan of files found: the credentials (as an inventory, so policies
/// and renderers apply), the files skipped, and how many files were read.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ScanReport {
    /// Credentials and problems, in file then line order.
    pub inventory: Inventory,
    /// Files not scanned, sorted by path.
    pub skipped: Vec<Skipped>,
    /// What looks like a credential but could not be read or parsed (KC905),
    /// sorted by file and line.
    pub unreadable: Vec<Unreadable>,
    /// Files read and scanned.
    pub files_scanned: usize,
    /// Private keys found in the tree: before [`ScanReport::finish`], every
    /// one; after, those no certificate of the scan holds the public key of
    /// (rule KC502). Never serialized: places and fingerprints only.
    #[serde(skip)]
    pub private_keys: Vec<PrivateKey>,
}

impl ScanReport {
    /// Adds one file's result.
    pub fn add(&mut self, file: Result<Inventory, Skipped>) {
        match file {
            Ok(inv) => {
                self.files_scanned += 1;
                self.inventory.extend(inv);
            }
            Err(skipped) => self.skipped.push(skipped),
        }
    }

    /// Adds one file's result and its unreadable parts.
    pub fn add_file(&mut self, file: FileScan) {
        self.add(file.result);
        self.unreadable.extend(file.unreadable);
        self.private_keys.extend(file.private_keys);
    }

    /// Ends a scan: pairs each certificate that has no key with a private key
    /// found anywhere in the scan whose public key it holds (the key's file
    /// becomes its key source; see `pairing`), keeps the keys left unpaired,
    /// then [`Self::sort`]s.
    pub fn finish(&mut self) {
        let keys = std::mem::take(&mut self.private_keys);
        self.private_keys = pairing::pair(&mut self.inventory.credentials, keys);
        self.sort();
    }

    /// Sorts records, problems and skipped files by file and line, so the same
    /// tree gives the same report whatever order threads finished in.
    pub fn sort(&mut self) {
        let key = |l: &Location| (l.file.clone(), l.line, l.entry.clone(), l.field.clone());
        self.inventory.credentials.sort_by_key(|r| key(&r.location));
        self.inventory.clusters.sort_by_key(|c| key(&c.location));
        let empty = Location::default();
        self.inventory.problems.sort_by(|a, b| {
            key(a.location().unwrap_or(&empty))
                .cmp(&key(b.location().unwrap_or(&empty)))
                .then_with(|| a.to_string().cmp(&b.to_string()))
        });
        self.skipped.sort_by(|a, b| a.file.cmp(&b.file));
        self.unreadable.sort_by(|a, b| {
            key(&a.location)
                .cmp(&key(&b.location))
                .then_with(|| a.reason.cmp(&b.reason))
        });
    }
}

/// Whether `bytes` look binary: a NUL byte in the first 8 KiB (git's and
/// ripgrep's test). UTF-16 text with a byte-order mark is not binary.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    bytes.iter().take(8192).any(|b| *b == 0)
}

/// UTF-8 (BOM stripped) or UTF-16 with a BOM.
fn text_of(bytes: &[u8]) -> Option<String> {
    let utf16 = |rest: &[u8], be: bool| -> Option<String> {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| {
                if be {
                    u16::from_be_bytes([p[0], p[1]])
                } else {
                    u16::from_le_bytes([p[0], p[1]])
                }
            })
            .collect();
        String::from_utf16(&units).ok()
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => std::str::from_utf8(rest).ok().map(str::to_owned),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        _ => std::str::from_utf8(bytes).ok().map(str::to_owned),
    }
}

/// Scans one file's bytes. `Err` when the file is binary or not text; otherwise
/// the credentials found (possibly none) and the problems met decoding them.
///
/// ```
/// use std::path::Path;
/// use kcred_core::{scan_file, Limits};
///
/// let yaml = b"# ops notes\napiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: CANARY-abc\n";
/// let inv = scan_file(yaml, Path::new("notes.txt"), &Limits::default()).unwrap();
/// assert_eq!(inv.credentials.len(), 1);
/// assert_eq!(inv.credentials[0].location.line, Some(7)); // the `token:` line
/// assert!(!format!("{inv:?}").contains("CANARY"));
/// ```
pub fn scan_file(bytes: &[u8], path: &Path, limits: &Limits) -> Result<Inventory, Skipped> {
    scan_bytes(bytes, path, limits).result
}

/// [`scan_file`] and, beside it, what looks like a credential but could not be
/// read: a binary or non-text file with credential markers in its first or last
/// [`MARKER_WINDOW`] bytes, a document with markers that does not parse (YAML
/// limits, duplicate keys, syntax).
///
/// ```
/// use std::path::Path;
/// use kcred_core::{scan_bytes, Limits};
///
/// let deep = format!("kind: Config\nusers: []\nextensions: {}{}\n", "[".repeat(100), "]".repeat(100));
/// let scan = scan_bytes(deep.as_bytes(), Path::new("config"), &Limits::default());
/// assert_eq!(scan.unreadable.len(), 1);
/// assert!(scan.unreadable[0].reason.contains("limit"), "{:?}", scan.unreadable);
/// ```
pub fn scan_bytes(bytes: &[u8], path: &Path, limits: &Limits) -> FileScan {
    if looks_binary(bytes) {
        let marker = markers::marker_in_window(bytes, true);
        return FileScan::skipped(path, SkipReason::Binary, marker);
    }
    let Some(text) = text_of(bytes) else {
        let marker = markers::marker_in_window(bytes, false);
        return FileScan::skipped(path, SkipReason::NotText, marker);
    };
    let mut unreadable = Vec::new();
    // Keys held in values first: at the same line, a value's place (the
    // Secret, the document path) is kept over the bare PEM block's.
    let mut private_keys = Vec::new();
    let mut inv = manifest::scan_documents(&text, path, limits, &mut unreadable, &mut private_keys);
    let empty = |inv: &Inventory| inv.credentials.is_empty() && inv.problems.is_empty();
    if empty(&inv) {
        inv = embedded::scan(&text, path, limits, &mut unreadable, &mut private_keys);
    }
    private_keys.extend(pem::private_keys(&text, path, None));
    if empty(&inv) {
        inv = pem::certificates(&text, path);
    }
    if empty(&inv) {
        inv = match loose::exec_credential(&text, path) {
            Some(Ok(found)) => found,
            Some(Err(broken)) => {
                unreadable.push(broken);
                Inventory::default()
            }
            None => loose::tokens_in_text(&text, path),
        };
    }
    // `# kcred: ignore[...]` comments about the line they are on or above.
    crate::policy::add_line_suppressions(&mut inv, &text, path);
    FileScan {
        result: Ok(inv),
        unreadable,
        private_keys,
    }
}

/// A certificate found outside a kubeconfig: no user, the entry names it.
pub(crate) fn certificate_record(
    location: Location,
    leaf: crate::x509::CertificateInfo,
    chain: Vec<crate::x509::CertificateInfo>,
) -> CredentialRecord {
    CredentialRecord {
        user: String::new(),
        contexts: Vec::new(),
        clusters: Vec::new(),
        location,
        platform: Platform::Generic,
        impersonation: None,
        privileges: None,
        credential: ClientCertificate {
            source: DataSource::Inline,
            certificate: Some(leaf),
            chain: chain.into(),
            key_source: None,
            key_matches: None,
            signed_by_cluster_ca: None,
            unread: None,
        }
        .into(),
    }
}

/// A token found outside a kubeconfig (a Secret, a line of text): no user, the
/// entry names it; EKS and OpenShift tokens tell their platform.
pub(crate) fn token_record(location: Location, info: TokenInfo) -> CredentialRecord {
    CredentialRecord {
        user: String::new(),
        contexts: Vec::new(),
        clusters: Vec::new(),
        location,
        platform: match info.format {
            TokenFormat::EksPresigned => Platform::Eks,
            TokenFormat::OpenShiftOAuth => Platform::OpenShift,
            _ => Platform::Generic,
        },
        impersonation: None,
        privileges: None,
        credential: Token {
            source: DataSource::Inline,
            info,
            fallback: false,
            unread: None,
        }
        .into(),
    }
}

/// Where the records of a kubeconfig held in a value of another document go:
/// the value's path as their entry (their own entry and field become the
/// field), and the value's line, or the outer line of each line of the text
/// when `lines` tells it (a kubeconfig written as a mapping, re-read as text).
pub(crate) struct Pin<'a> {
    /// The value's path in the outer document, like `deployer.kubeconfig`.
    pub(crate) entry: &'a str,
    /// The value's line.
    pub(crate) line: u32,
    /// For each line of the kubeconfig's text, its line in the outer file.
    pub(crate) lines: &'a [Option<u32>],
}

impl<'a> Pin<'a> {
    /// Every record at the value's line.
    pub(crate) fn at(entry: &'a str, line: u32) -> Self {
        Pin {
            entry,
            line,
            lines: &[],
        }
    }
}

/// A kubeconfig found in `text`, its lines shifted by `line_offset` (the line
/// before the document starts), or pinned to `pin` (a kubeconfig inside a
/// Secret value or another document's value). Files the kubeconfig names are
/// not read: the scan finds them on its own when they are in the tree.
pub(crate) fn kubeconfig_inventory(
    text: &str,
    path: &Path,
    limits: &Limits,
    line_offset: u32,
    pin: Option<Pin<'_>>,
) -> Inventory {
    let mut loaded = parse_kubeconfig(text.as_bytes(), path, limits);
    placeholder::clear_placeholders(&mut loaded.config);
    let mut inv = inventory_with_limits(&loaded.config, &NoFiles, limits);
    inv.suppressions = loaded.suppressions;
    inv.problems.splice(0..0, loaded.problems);
    inv.problems
        .retain(|p| !matches!(p, Error::MissingFile { .. }));
    let relocate = |l: &mut Location| match &pin {
        Some(pin) => {
            let inner = match (&l.entry, &l.field) {
                (Some(e), Some(f)) => Some(format!("{e}.{f}")),
                (Some(e), None) => Some(e.clone()),
                (None, f) => f.clone(),
            };
            let outer = l
                .line
                .and_then(|n| pin.lines.get(usize::try_from(n).ok()?.checked_sub(1)?))
                .copied()
                .flatten();
            l.entry = Some(pin.entry.to_owned());
            l.field = inner;
            l.line = Some(outer.unwrap_or(pin.line));
            if !pin.lines.is_empty() {
                // A column of the re-written text, not of the file.
                l.column = None;
            }
        }
        None => l.line = l.line.map(|n| n + line_offset),
    };
    for r in &mut inv.credentials {
        relocate(&mut r.location);
    }
    for c in &mut inv.clusters {
        relocate(&mut c.location);
    }
    for p in &mut inv.problems {
        if let Some(l) = p.location_mut() {
            relocate(l);
        }
    }
    for s in &mut inv.suppressions {
        relocate(&mut s.at);
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_utf16() {
        assert!(looks_binary(b"ELF\0\x01"));
        assert!(!looks_binary(b"kind: Secret\n"));
        assert!(!looks_binary(&[0xFF, 0xFE, b'k', 0]));
        let skipped = scan_file(b"\0\0", Path::new("b"), &Limits::default()).unwrap_err();
        assert_eq!(skipped.reason, SkipReason::Binary);
        let skipped = scan_file(&[0xC3, 0x28], Path::new("b"), &Limits::default()).unwrap_err();
        assert_eq!(skipped.reason, SkipReason::NotText);
    }

    #[test]
    fn noise_is_empty() {
        let inv = scan_file(
            b"# README\n\nkind of a note: users: none\n",
            Path::new("README.md"),
            &Limits::default(),
        )
        .unwrap();
        assert!(inv.credentials.is_empty() && inv.problems.is_empty());
    }
}
