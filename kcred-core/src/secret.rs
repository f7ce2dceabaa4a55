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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_rendering_shows_the_value() {
        let s = Secret::new("CANARY-secret-1");
        assert!(!format!("{s:?}").contains("CANARY"));
        assert!(!format!("{s}").contains("CANARY"));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"<redacted>\"");
        let back: Secret = serde_json::from_str("\"CANARY-secret-1\"").unwrap();
        assert_eq!(back.expose(), "CANARY-secret-1");
    }
}
