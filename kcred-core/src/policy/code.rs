//! The one list of rule codes: each [`Code`] with its stable text (`KC101`)
//! and name (`irrevocable-admin`). This is the only place a code is spelled as
//! text; everything else names a rule by its variant, so a mistyped code does
//! not compile. Codes are never reused: a removed rule keeps its number retired.
//!
//! Families: KC0xx lifetime and kind (any credential), KC1xx client
//! certificates, KC2xx tokens and passwords, KC3xx exec plugins and
//! auth-providers, KC4xx clusters and file hygiene, KC5xx repositories, KC6xx
//! RBAC rights (with `--rbac`), KC9xx input and policy problems.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! codes {
    ($($variant:ident = $code:literal $name:literal,)*) => {
        /// A rule's stable code. Serialised, displayed and parsed as its text
        /// (`KC101`); ordered like that text.
        ///
        /// ```
        /// use kcred_core::Code;
        /// assert_eq!(Code::IrrevocableAdmin.to_string(), "KC101");
        /// assert_eq!(Code::IrrevocableAdmin.name(), "irrevocable-admin");
        /// assert_eq!("kc101".parse::<Code>(), Ok(Code::IrrevocableAdmin));
        /// assert!("KC999".parse::<Code>().is_err());
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $(
                #[doc = concat!("`", $code, "` ", $name)]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code's text, like `KC101`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The rule's stable kebab-case name, like `irrevocable-admin`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    Expired = "KC001" "expired",
    NotYetValid = "KC002" "not-yet-valid",
    ExpiringSoon = "KC003" "expiring-soon",
    MaxLifetime = "KC004" "max-lifetime",
    MaxRemaining = "KC005" "max-remaining",
    NeverExpires = "KC006" "never-expires",
    StaticCredential = "KC007" "static-credential",
    UnknownExpiry = "KC008" "unknown-expiry",
    MaxExposure = "KC009" "max-exposure",
    IrrevocableAdmin = "KC101" "irrevocable-admin",
    WeakKey = "KC102" "weak-key",
    CertKeyMismatch = "KC103" "cert-key-mismatch",
    NotSignedByClusterCa = "KC104" "not-signed-by-cluster-ca",
    BasicAuth = "KC201" "basic-auth",
    TokenAndBasicAuthTogether = "KC202" "token-and-basic-auth-together",
    UnsignedJwt = "KC203" "unsigned-jwt",
    RemovedAuthProvider = "KC301" "removed-auth-provider",
    RefreshTokenOnDisk = "KC302" "refresh-token-on-disk",
    ExecPluginNotAllowed = "KC303" "exec-plugin-not-allowed",
    ExecInteractiveMode = "KC304" "exec-interactive-mode",
    InsecureSkipTlsVerify = "KC401" "insecure-skip-tls-verify",
    FileReference = "KC402" "file-reference",
    CredentialInRepository = "KC501" "credential-in-repository",
    UnusableCommittedCredential = "KC502" "unusable-committed-credential",
    LongLivedClusterAdmin = "KC601" "long-lived-cluster-admin",
    CanMintCredentials = "KC602" "can-mint-credentials",
    UnreadableInput = "KC901" "unreadable-input",
    InvalidKubeconfig = "KC902" "invalid-kubeconfig",
    UndecodableCredential = "KC903" "undecodable-credential",
    MissingReferencedFile = "KC904" "missing-referenced-file",
    CredentialUnreadable = "KC905" "credential-unreadable",
    ExpiredSuppression = "KC910" "expired-suppression",
}

impl Code {
    /// The code for a rule name (`irrevocable-admin`) or code text (`KC101`,
    /// any case).
    pub fn from_code_or_name(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text) || c.name() == text)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text that is no rule code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownCode;

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown rule code (see `kcred rules`)")
    }
}

impl std::error::Error for UnknownCode {}

impl FromStr for Code {
    type Err = UnknownCode;

    /// Parses a code's text, in any case (`KC101`, `kc101`).
    fn from_str(s: &str) -> Result<Code, UnknownCode> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or(UnknownCode)
    }
}

/// Compares with a code's text (`KC101`), for callers that hold text.
impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// Compares with a code's text (`KC101`), for callers that hold text.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_sorted_and_round_trip() {
        for pair in Code::ALL.windows(2) {
            assert!(pair[0] < pair[1] && pair[0].as_str() < pair[1].as_str());
            assert_ne!(pair[0].name(), pair[1].name());
        }
        for c in Code::ALL {
            assert_eq!(c.as_str().parse::<Code>(), Ok(*c));
            assert_eq!(Code::from_code_or_name(c.name()), Some(*c));
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{c}\""));
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), *c);
        }
        assert!(serde_json::from_str::<Code>("\"KC999\"").is_err());
        assert_eq!(Code::from_code_or_name("KC999"), None);
    }
}
