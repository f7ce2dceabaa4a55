//! What evaluation produces: findings with a severity, a location, a message
//! built from facts, and a remediation sentence.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::code::Code;
use crate::credential::CredentialKind;
use crate::platform::Platform;

/// How bad a finding is; ordered so thresholds are comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be fixed.
    Warning,
    /// Breaks the policy.
    Error,
}

impl Severity {
    /// `info`, `warning` or `error`.
    pub fn name(&self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning` or `error`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a finding is: file and line, plus the kubeconfig names involved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct FindingLocation {
    /// The file (a kubeconfig, or the policy for KC910).
    pub file: PathBuf,
    /// 1-based line of the field (`token:`) when known, else of the entry.
    pub line: Option<u32>,
    /// 1-based column of the field's key, when the line is the field's
    /// (JSON revision 1.5).
    #[serde(default)]
    pub column: Option<u32>,
    /// The first context that uses the credential or cluster.
    pub context: Option<String>,
    /// The user entry.
    pub user: Option<String>,
    /// The cluster entry (first one the credential is used with).
    pub cluster: Option<String>,
    /// The entry, like `users[admin]`.
    pub entry: Option<String>,
    /// The field, like `client-certificate-data`.
    pub field: Option<String>,
}

/// Why a finding does not count: the policy suppressed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    /// The reason given in the policy.
    pub reason: String,
    /// Until when (RFC 3339), if the suppression expires.
    pub expires: Option<String>,
}

/// One rule broken by one credential, cluster or input.
///
/// Serialised with the rule's `name` after its `code`; the name is read from
/// the code when deserialising, so a finding's JSON round-trips.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Finding {
    /// Stable code, like `KC101`.
    pub code: Code,
    /// Severity after the policy's settings.
    pub severity: Severity,
    /// Where.
    pub location: FindingLocation,
    /// The credential kind, for findings about a credential.
    pub kind: Option<CredentialKind>,
    /// What is wrong, from the facts: "client certificate for user x expires in 729d;
    /// policy allows at most 24h".
    pub message: String,
    /// What to do, for the platform when it is known.
    pub remediation: String,
    /// The platform told from the kubeconfig.
    pub platform: Platform,
    /// Set when a suppression in the policy covers the finding.
    pub suppressed: Option<Suppressed>,
}

impl Finding {
    /// The rule's stable name, like `irrevocable-admin`.
    pub fn name(&self) -> &'static str {
        self.code.name()
    }

    /// Whether the finding counts (is not suppressed).
    pub fn is_active(&self) -> bool {
        self.suppressed.is_none()
    }
}

impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        /// The fields in their order, with the name after the code.
        #[derive(Serialize)]
        struct Shown<'a> {
            code: Code,
            name: &'static str,
            severity: Severity,
            location: &'a FindingLocation,
            kind: Option<CredentialKind>,
            message: &'a str,
            remediation: &'a str,
            platform: Platform,
            suppressed: &'a Option<Suppressed>,
        }
        Shown {
            code: self.code,
            name: self.name(),
            severity: self.severity,
            location: &self.location,
            kind: self.kind,
            message: &self.message,
            remediation: &self.remediation,
            platform: self.platform,
            suppressed: &self.suppressed,
        }
        .serialize(s)
    }
}

/// The highest severity among findings that are not suppressed.
///
/// ```
/// assert_eq!(kcred_core::worst_severity(&[]), None);
/// ```
pub fn worst_severity(findings: &[Finding]) -> Option<Severity> {
    findings
        .iter()
        .filter(|f| f.is_active())
        .map(|f| f.severity)
        .max()
}
