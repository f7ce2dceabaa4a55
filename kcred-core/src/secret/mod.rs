//! A string that never shows itself: tokens, passwords, private keys, refresh tokens.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The marker every rendering of a [`Secret`] prints instead of its value.
pub const REDACTED: &str = "<redacted>";

/// A secret value read from an input.
///
/// `Debug`, `Display` and `Serialize` all print [`REDACTED`]; the only way to the
/// bytes is [`Secret::expose`], which is grep-able and used in few places (decoding
/// a JWT's claims, matching a private key to its certificate).
///
/// ```
/// use kcred_core::Secret;
/// let token = Secret::new("CANARY-7f3a");
/// assert_eq!(format!("{token:?}"), "Secret(<redacted>)");
/// assert_eq!(token.to_string(), "<redacted>");
/// assert_eq!(token.expose(), "CANARY-7f3a");
/// ```
#[derive(Clone, PartialEq, Eq, Default, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself. Never print or log what this returns.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string (kubectl treats empty as absent).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(REDACTED)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

// The one place that decides which public-looking text of a kubeconfig hides a
// secret: exec args and commands, URLs. Records are built from what these
// return, so every output (JSON, tables, SARIF, Prometheus, Python) shows the
// same redacted text; detections read the original values before this.
mod args;
mod names;
mod url;

pub(crate) use self::args::redact_exec;
pub use self::args::{redact_args, redact_command};
pub use self::names::is_secret_name;
pub use self::url::redact_url;

#[cfg(test)]
mod tests;
