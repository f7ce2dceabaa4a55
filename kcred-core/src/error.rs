//! One error type for the crate; every variant says where the problem is.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod summary;

/// Where in the input something is: file, entry, field and line.
///
/// Displays as `~/.kube/config: users[admin].token (line 14)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Location {
    /// The file (or source name for text parsed from memory).
    pub file: PathBuf,
    /// The entry, like `users[admin]`, `clusters[prod]` or `contexts[dev]`.
    pub entry: Option<String>,
    /// The field inside the entry, like `client-certificate-data`.
    pub field: Option<String>,
    /// 1-based line of the entry or field, when known.
    pub line: Option<u32>,
    /// 1-based column (in characters) of the field's key, when the line is
    /// the field's own (JSON revision 1.5).
    #[serde(default)]
    pub column: Option<u32>,
}

impl Location {
    /// A location naming only a file.
    pub fn file(file: impl AsRef<Path>) -> Self {
        Location {
            file: file.as_ref().to_path_buf(),
            ..Location::default()
        }
    }

    /// The same location narrowed to an entry such as `users[admin]`.
    pub fn with_entry(mut self, entry: impl Into<String>) -> Self {
        self.entry = Some(entry.into());
        self
    }

    /// The same location narrowed to a field such as `token`.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same location at a 1-based line.
    pub fn with_line(mut self, line: Option<u32>) -> Self {
        self.line = line;
        self
    }

    /// The same location at its field's line and column, when `origin` (the
    /// entry's) knows where the field is written; unchanged otherwise.
    pub fn at_field_of(mut self, origin: &crate::kubeconfig::Origin) -> Self {
        let found = self.field.as_deref().and_then(|f| origin.field_position(f));
        if let Some((line, column)) = found {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        match (&self.entry, &self.field) {
            (Some(e), Some(fl)) => write!(f, ": {e}.{fl}")?,
            (Some(e), None) => write!(f, ": {e}")?,
            (None, Some(fl)) => write!(f, ": {fl}")?,
            (None, None) => {}
        }
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong reading or decoding an input.
///
/// Messages never contain input bytes, so no secret can reach them. Serialized
/// as `{"kind", "message", "location"}`, and read back from that.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read (missing, no permission, a directory...).
    #[error("{at}: cannot read file ({reason})")]
    Io {
        /// Where.
        at: Location,
        /// The operating system's reason, without file content.
        reason: String,
    },
    /// A file referenced by the kubeconfig (`client-certificate`, `tokenFile`...) is missing.
    #[error("{at}: referenced file {} does not exist", path.display())]
    MissingFile {
        /// The field that references the file.
        at: Location,
        /// The resolved path.
        path: PathBuf,
    },
    /// The input is not a regular file (a FIFO, a device, a directory), or is a
    /// file of a kernel pseudo file system (`/proc`, `/sys`), which may block.
    #[error("{at}: not a regular file")]
    NotRegularFile {
        /// Where.
        at: Location,
    },
    /// The input is larger than the configured limit.
    #[error("{at}: file is larger than the limit of {limit} bytes")]
    TooLarge {
        /// Where.
        at: Location,
        /// The limit in bytes.
        limit: u64,
    },
    /// Not valid YAML or JSON, or not the shape of a kubeconfig.
    #[error("{at}: not a valid kubeconfig ({reason})")]
    Syntax {
        /// Where, with the line when the parser knows it.
        at: Location,
        /// What the parser said, without input bytes.
        reason: String,
    },
    /// The input is not UTF-8 (nor UTF-16 with a byte-order mark).
    #[error("{at}: not UTF-8 text")]
    NotUtf8 {
        /// Where.
        at: Location,
    },
    /// Two entries of one list in one file share a name (client-go refuses the file).
    #[error("{at}: {kind} name {name:?} is defined more than once in this file")]
    DuplicateName {
        /// Where the second definition is.
        at: Location,
        /// `cluster`, `user` or `context`.
        kind: Box<str>,
        /// The duplicated name.
        name: String,
    },
    /// A context names a user or cluster that no file defines.
    #[error("{at}: refers to {kind} {name:?}, which is not defined")]
    MissingReference {
        /// The context.
        at: Location,
        /// `cluster` or `user`.
        kind: Box<str>,
        /// The missing name.
        name: String,
    },
    /// A `*-data` field is not base64.
    #[error("{at}: not valid base64")]
    NotBase64 {
        /// Where.
        at: Location,
    },
    /// PEM (or DER) input that holds no certificate.
    #[error("{at}: no certificate found")]
    NoCertificate {
        /// Where.
        at: Location,
    },
    /// A certificate that does not parse.
    #[error("{at}: certificate does not parse ({reason})")]
    BadCertificate {
        /// Where.
        at: Location,
        /// What the DER parser said.
        reason: String,
    },
    /// A private key that does not parse.
    #[error("{at}: private key does not parse ({reason})")]
    BadPrivateKey {
        /// Where.
        at: Location,
        /// What failed, without key bytes.
        reason: String,
    },
    /// A token that looks like a JWT but does not decode.
    #[error("{at}: token looks like a JWT but does not decode ({reason})")]
    BadToken {
        /// Where.
        at: Location,
        /// What failed, without token bytes.
        reason: String,
    },
    /// An ExecCredential or token cache that does not have the expected shape.
    #[error("{at}: not a valid {what} ({reason})")]
    BadDocument {
        /// Where.
        at: Location,
        /// What was expected, like `ExecCredential`.
        what: Box<str>,
        /// What failed.
        reason: String,
    },
    /// A timestamp field that does not parse.
    #[error("{at}: not a valid timestamp")]
    BadTimestamp {
        /// Where.
        at: Location,
    },
    /// A policy file that does not parse, names an unknown rule, preset or key, or
    /// holds a bad value (duration, glob, date).
    #[error("{at}: invalid policy ({reason})")]
    BadPolicy {
        /// Where, with the line when known.
        at: Location,
        /// What is wrong.
        reason: String,
    },
    /// A budget of the run ran out (bytes read, files per folder, signature
    /// checks, decoded size): `what` says what was not examined.
    #[error("{at}: not examined: {what} (limit of {limit} reached)")]
    LimitReached {
        /// Where the budget ran out.
        at: Location,
        /// What was left unexamined, in the user's terms.
        what: String,
        /// The limit that was reached.
        limit: u64,
    },
    /// A date or duration outside what kcred represents (years -9999 to 9999).
    #[error("{at}: {what} is out of range (beyond year 9999)")]
    OutOfRange {
        /// Where.
        at: Location,
        /// Which value, like `X-Amz-Date plus lifetime`.
        what: String,
    },
    /// Something kubectl (client-go) refuses, ignores or reads otherwise than
    /// written: an exec plugin without `command`, `*-data` beside its file form,
    /// a second YAML document... `what` says what and what kubectl does.
    #[error("{at}: {what}")]
    NotAsWritten {
        /// Where.
        at: Location,
        /// What is wrong and what kubectl does with it, in the user's terms.
        what: String,
    },
    /// No kubeconfig file was found at any of the candidate paths.
    #[error("no kubeconfig found (looked at {})", display_paths(looked_at))]
    NoKubeconfig {
        /// The paths tried.
        looked_at: Vec<PathBuf>,
    },
}

fn display_paths(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

/// The location of any variant, by reference or mutably: one list of the
/// variants that carry one, for [`Error::location`] and `location_mut`.
macro_rules! location_of {
    ($error:expr) => {
        match $error {
            Error::Io { at, .. }
            | Error::MissingFile { at, .. }
            | Error::NotRegularFile { at }
            | Error::TooLarge { at, .. }
            | Error::Syntax { at, .. }
            | Error::NotUtf8 { at }
            | Error::DuplicateName { at, .. }
            | Error::MissingReference { at, .. }
            | Error::NotBase64 { at }
            | Error::NoCertificate { at }
            | Error::BadCertificate { at, .. }
            | Error::BadPrivateKey { at, .. }
            | Error::BadToken { at, .. }
            | Error::BadDocument { at, .. }
            | Error::BadTimestamp { at }
            | Error::BadPolicy { at, .. }
            | Error::LimitReached { at, .. }
            | Error::OutOfRange { at, .. }
            | Error::NotAsWritten { at, .. } => Some(at),
            Error::NoKubeconfig { .. } => None,
        }
    };
}

impl Error {
    /// The location of the problem, when it has one.
    pub fn location(&self) -> Option<&Location> {
        location_of!(self)
    }

    /// The location, to move it (a kubeconfig found inside another file).
    pub(crate) fn location_mut(&mut self) -> Option<&mut Location> {
        location_of!(self)
    }

    /// For a file that could not be read, the operating system's cause, when it
    /// is one a caller may handle apart (a missing file, a permission, a
    /// folder): what Python turns into `FileNotFoundError` and its siblings.
    ///
    /// ```
    /// let missing = kcred_core::load_inventory(
    ///     &kcred_core::Source::File("/nonexistent/kubeconfig".into()),
    ///     &kcred_core::Limits::default(),
    /// )
    /// .unwrap_err();
    /// assert_eq!(missing.io_cause(), Some(std::io::ErrorKind::NotFound));
    /// ```
    pub fn io_cause(&self) -> Option<std::io::ErrorKind> {
        match self {
            Error::Io { reason, .. } => crate::fs::io_cause(reason),
            Error::MissingFile { .. } | Error::NoKubeconfig { .. } => {
                Some(std::io::ErrorKind::NotFound)
            }
            _ => None,
        }
    }

    /// A short stable name of the variant, for machine outputs (`"not-base64"`).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::MissingFile { .. } => "missing-file",
            Error::NotRegularFile { .. } => "not-regular-file",
            Error::TooLarge { .. } => "too-large",
            Error::Syntax { .. } => "syntax",
            Error::NotUtf8 { .. } => "not-utf8",
            Error::DuplicateName { .. } => "duplicate-name",
            Error::MissingReference { .. } => "missing-reference",
            Error::NotBase64 { .. } => "not-base64",
            Error::NoCertificate { .. } => "no-certificate",
            Error::BadCertificate { .. } => "bad-certificate",
            Error::BadPrivateKey { .. } => "bad-private-key",
            Error::BadToken { .. } => "bad-token",
            Error::BadDocument { .. } => "bad-document",
            Error::BadTimestamp { .. } => "bad-timestamp",
            Error::BadPolicy { .. } => "bad-policy",
            Error::LimitReached { .. } => "limit-reached",
            Error::OutOfRange { .. } => "out-of-range",
            Error::NotAsWritten { .. } => "not-as-written",
            Error::NoKubeconfig { .. } => "no-kubeconfig",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_displays_file_entry_field_line() {
        let at = Location::file("/home/a/.kube/config")
            .with_entry("users[admin]")
            .with_field("token")
            .with_line(Some(14));
        assert_eq!(
            at.to_string(),
            "/home/a/.kube/config: users[admin].token (line 14)"
        );
        let err = Error::NotBase64 { at };
        assert_eq!(
            err.to_string(),
            "/home/a/.kube/config: users[admin].token (line 14): not valid base64"
        );
    }
}
