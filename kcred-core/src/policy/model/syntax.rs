//! Reading a policy file's text: its format, the parser's complaint reduced to
//! words that never quote the input, and the line of a key.

use std::path::Path;

use serde::Deserialize;

use super::{bad, PolicyFile};
use crate::error::{Error, Location};
use crate::policy::finding::Severity;

enum Format {
    Yaml,
    Json,
    Toml,
}

fn format_of(text: &str, source: &Path) -> Format {
    match source.extension().and_then(|e| e.to_str()) {
        Some("toml") => Format::Toml,
        Some("json") => Format::Json,
        _ if text.trim_start().starts_with('{') => Format::Json,
        _ => Format::Yaml,
    }
}

/// The 1-based line where `key` is first written as a key, best effort (YAML
/// `key:`, JSON `"key":`, TOML `key =` or `[rules.key]`).
pub(super) fn line_of_key(text: &str, key: &str, nth: usize) -> Option<u32> {
    let forms = [
        format!("{key}:"),
        format!("- {key}:"),
        format!("\"{key}\""),
        format!("{key} ="),
        format!("[rules.{key}]"),
        format!("[rules.\"{key}\"]"),
    ];
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            forms.iter().any(|f| t.starts_with(f.as_str()))
        })
        .nth(nth)
        .and_then(|(i, _)| u32::try_from(i + 1).ok())
}

/// Pulls `line N` out of a parser message, when it gives one.
fn line_in_message(message: &str) -> Option<u32> {
    let lower = message.to_ascii_lowercase();
    let idx = lower.find("line ")?;
    let digits: String = lower[idx + 5..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

pub(super) fn parse_file(text: &str, source: &Path) -> Result<PolicyFile, Error> {
    let at = Location::file(source);
    let format = format_of(text, source);
    let failure = match format {
        Format::Yaml => match serde_saphyr::from_str::<PolicyFile>(text) {
            Ok(f) => return Ok(f),
            Err(e) => yaml_failure(&e, text),
        },
        Format::Json => match serde_json::from_str::<PolicyFile>(text) {
            Ok(f) => return Ok(f),
            Err(e) => Failure {
                line: u32::try_from(e.line()).ok().filter(|l| *l > 0),
                message: e.to_string(),
                category: match e.classify() {
                    serde_json::error::Category::Data => "value of the wrong shape",
                    serde_json::error::Category::Eof => "unexpected end of input",
                    _ => "JSON syntax error",
                },
                unknown_field: None,
            },
        },
        Format::Toml => match toml::from_str::<PolicyFile>(text) {
            Ok(f) => return Ok(f),
            // toml's Display draws the offending source line: only its message
            // is read, and the line comes from the span.
            Err(e) => Failure {
                line: e.span().and_then(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    u32::try_from(line).ok()
                }),
                message: e.message().to_owned(),
                category: "TOML syntax error",
                unknown_field: None,
            },
        },
    };
    let declared = declares_policy(text, &format);
    let (reason, key) = failure.reason(text, declared);
    let line = failure
        .line
        .or_else(|| line_in_message(&failure.message))
        .or_else(|| key.and_then(|k| line_of_key(text, &k, 0)));
    Err(bad(&at.with_line(line), reason))
}

/// A policy given as a TOML table (`[tool.kcred]` of a `pyproject.toml`);
/// `text` is the whole file, for the words of the complaint.
pub(super) fn parse_table(
    table: toml::Table,
    text: &str,
    source: &Path,
) -> Result<PolicyFile, Error> {
    let failure = match toml::Value::Table(table).try_into::<PolicyFile>() {
        Ok(file) => return Ok(file),
        Err(e) => Failure {
            line: None,
            message: e.message().to_owned(),
            category: "TOML syntax error",
            unknown_field: None,
        },
    };
    let (reason, key) = failure.reason(text, true);
    let line = key.and_then(|k| line_of_key(text, &k, 0));
    Err(bad(&Location::file(source).with_line(line), reason))
}

/// What a parser said about a policy file, before it is reduced.
struct Failure {
    line: Option<u32>,
    /// The parser's message: may quote the input; never shown as is.
    message: String,
    /// What is said when nothing of the message can be shown.
    category: &'static str,
    /// The unknown key, when the parser gave it as data (YAML).
    unknown_field: Option<String>,
}

fn yaml_failure(e: &serde_saphyr::Error, text: &str) -> Failure {
    use serde_saphyr::Error as E;
    let e = e.without_snippet();
    let (message, unknown_field) = match e {
        E::SerdeUnknownField {
            field, expected, ..
        } => (
            format!(
                "unknown field `{field}`, expected one of {}",
                backticked(expected)
            ),
            Some(field.clone()),
        ),
        E::SerdeMissingField { field, .. } => (format!("missing field `{field}`"), None),
        E::SerdeUnknownVariant { expected, .. } => (
            format!("unknown variant, expected one of {}", backticked(expected)),
            None,
        ),
        E::Message { msg, .. } => (msg.clone(), None),
        other => (crate::kubeconfig::yaml_reason(other, text), None),
    };
    Failure {
        line: e
            .location()
            .and_then(|l| u32::try_from(l.line()).ok())
            .filter(|l| *l > 0),
        message,
        category: "YAML syntax error",
        unknown_field,
    }
}

fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The known key nearest to `key` by edit distance, when it is near enough to
/// be a typo (at most one edit in four letters, and at least one).
fn closest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let most = (key.chars().count() / 4).max(1);
    known
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, _)| *d <= most)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance: insertions, deletions and substitutions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Every field name of the policy file format: a parser message may name these.
const FIELDS: &[&str] = &[
    "version",
    "apiVersion",
    "kind",
    "name",
    "description",
    "extends",
    "rules",
    "suppressions",
    "enabled",
    "severity",
    "threshold",
    "error-threshold",
    "allow",
    "include",
    "exclude",
    "rule",
    "reason",
    "expires",
    "contexts",
    "clusters",
    "users",
    "kinds",
    "files",
    "oidc",
    "username-claim",
    "groups-claim",
    "username-prefix",
    "groups-prefix",
    "username_claim",
    "groups_claim",
    "username_prefix",
    "groups_prefix",
];

impl Failure {
    /// The reason shown, and the unknown key (for finding its line; it is in
    /// the reason only when shown). Nothing of the input is shown but an
    /// unknown key spelled like a key (`severty`), and that only in a document
    /// that declares itself a policy (`version` or `apiVersion`): a file named
    /// by `extends:` that is not a policy (`/etc/shadow`) shows nothing of itself.
    fn reason(&self, text: &str, declared: bool) -> (String, Option<String>) {
        let message = self.message.lines().next().unwrap_or_default();
        let message = match message.find(" at line ") {
            Some(i) => &message[..i],
            None => message,
        };
        // What follows `, expected` in serde's messages is the schema's text.
        let expected = message
            .split_once(", expected ")
            .map(|(_, e)| e)
            .filter(|e| schema_text(e));
        let with_expected = |head: &str| match expected {
            Some(e) => format!("{head}, expected {e}"),
            None => head.to_owned(),
        };
        if let Some(rest) = message.strip_prefix("unknown field `") {
            let key = self
                .unknown_field
                .clone()
                .or_else(|| rest.split('`').next().map(str::to_owned));
            let known: Vec<&str> = expected
                .map(|e| e.split('`').skip(1).step_by(2).collect())
                .unwrap_or_default();
            let reason = match &key {
                Some(k) if declared && plain_key(k) => match closest(k, &known) {
                    Some(near) => format!("unknown key `{k}`: did you mean `{near}`?"),
                    None => with_expected(&format!("unknown key `{k}`")),
                },
                _ => with_expected("unknown key"),
            };
            return (reason, key);
        }
        if let Some(rest) = message.strip_prefix("missing field `") {
            let field = rest.split('`').next().unwrap_or_default();
            let head = match FIELDS.contains(&field) {
                true => format!("the required key `{field}` is missing"),
                false => "a required key is missing".to_owned(),
            };
            return (head, None);
        }
        if message.starts_with("unknown variant") {
            return (with_expected("unknown value"), None);
        }
        if message.starts_with("invalid type") || message.starts_with("invalid value") {
            return (with_expected("value of the wrong type"), None);
        }
        if message.starts_with("invalid length") {
            return (with_expected("wrong number of items"), None);
        }
        if message.starts_with("duplicate field `") || message.starts_with("duplicate key") {
            return ("duplicate key".to_owned(), None);
        }
        (
            crate::kubeconfig::sanitize(message, text, self.category),
            None,
        )
    }
}

/// Whether the text after serde's `expected` is the schema's (names in
/// backticks, `a string`, `struct PolicyFile`...), not the input's.
fn schema_text(text: &str) -> bool {
    text.len() <= 400
        && text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .filter(|w| !w.is_empty())
            .all(|w| {
                FIELDS.contains(&w)
                    || crate::policy::rules::RULES
                        .iter()
                        .any(|r| r.name == w || r.code == w)
                    || SCHEMA_WORDS.contains(&w)
                    || Severity::from_name(w).is_some()
            })
}

/// Words of serde's `expected ...` texts for this schema.
const SCHEMA_WORDS: &[&str] = &[
    "one",
    "of",
    "a",
    "an",
    "string",
    "struct",
    "PolicyFile",
    "RuleConfig",
    "SuppressionConfig",
    "OidcConfig",
    "Scope",
    "map",
    "sequence",
    "boolean",
    "integer",
    "u32",
    "option",
    "enum",
    "Severity",
    "with",
    "elements",
    "element",
    "unit",
    "variant",
    "identifier",
    "field",
    "or",
    "null",
];

/// ` "name"` for a plain key (see [`plain_key`]), else nothing: what an error
/// says of a rule key read from a policy.
pub(super) fn shown_key(key: &str) -> String {
    if plain_key(key) {
        format!(" {key:?}")
    } else {
        String::new()
    }
}

/// An unknown key short and plain enough to be a mistyped field or rule name.
pub(super) fn plain_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether the document has a top-level `version` or `apiVersion`: it says it
/// is a kcred policy (read leniently; other keys are ignored here).
fn declares_policy(text: &str, format: &Format) -> bool {
    #[derive(Deserialize)]
    struct Header {
        version: Option<serde::de::IgnoredAny>,
        #[serde(rename = "apiVersion")]
        api_version: Option<serde::de::IgnoredAny>,
    }
    let header = match format {
        Format::Yaml => serde_saphyr::from_str::<Header>(text).ok(),
        Format::Json => serde_json::from_str::<Header>(text).ok(),
        Format::Toml => toml::from_str::<Header>(text).ok(),
    };
    header.is_some_and(|h| h.version.is_some() || h.api_version.is_some())
}
