//! The serde form of an [`Error`]: its summary `{"kind", "message", "location"}`,
//! written by the reports and read back (the Python binding pickles problems so).
//!
//! The summary holds every fact of the error: the message is its `Display` text,
//! which `Deserialize` reads back by the variant's template, then renders again
//! and compares, so only a summary this crate could have written is accepted.

use std::path::PathBuf;

use serde::de::Error as _;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Error, Location};

/// Serialized as `{"kind", "message", "location"}` (the location `null` when none).
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 3)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("location", &self.location())?;
        s.end()
    }
}

/// Reads what `Serialize` writes. The facts of the variant come from the message;
/// a summary whose message is not the text of its kind at its location is refused.
impl<'de> Deserialize<'de> for Error {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Summary {
            kind: String,
            message: String,
            location: Option<Location>,
        }
        let Summary {
            kind,
            message,
            location,
        } = Summary::deserialize(deserializer)?;
        from_summary(&kind, &message, location)
            .filter(|err| err.to_string() == message)
            // Not the message itself: it may come from anywhere.
            .ok_or_else(|| D::Error::custom("not the message of a kcred error of that kind"))
    }
}

/// The kinds whose message is fixed words, then the reason in parentheses.
type Reasoned = (&'static str, &'static str, fn(String, Location) -> Error);
const REASONED: &[Reasoned] = &[
    ("io", "cannot read file (", |reason, at| Error::Io {
        reason,
        at,
    }),
    ("syntax", "not a valid kubeconfig (", |reason, at| {
        Error::Syntax { reason, at }
    }),
    (
        "bad-certificate",
        "certificate does not parse (",
        |reason, at| Error::BadCertificate { reason, at },
    ),
    (
        "bad-private-key",
        "private key does not parse (",
        |reason, at| Error::BadPrivateKey { reason, at },
    ),
    (
        "bad-token",
        "token looks like a JWT but does not decode (",
        |reason, at| Error::BadToken { reason, at },
    ),
    ("bad-policy", "invalid policy (", |reason, at| {
        Error::BadPolicy { reason, at }
    }),
];

/// The error whose `Display` text may be `message`, by the template of `kind`.
fn from_summary(kind: &str, message: &str, at: Option<Location>) -> Option<Error> {
    let Some(at) = at else {
        let looked_at = message
            .strip_prefix("no kubeconfig found (looked at ")?
            .strip_suffix(')')?;
        return (kind == "no-kubeconfig").then(|| Error::NoKubeconfig {
            looked_at: split_paths(looked_at),
        });
    };
    let head = format!("{at}: ");
    let rest = message.strip_prefix(head.as_str())?;
    // The text between a variant's fixed words.
    let inner = |before: &str, after: &str| rest.strip_prefix(before)?.strip_suffix(after);
    let owned = |text: &str| text.to_owned();
    let name = Box::<str>::from;
    if let Some((_, before, make)) = REASONED.iter().find(|(k, ..)| *k == kind) {
        return Some(make(owned(inner(before, ")")?), at));
    }
    Some(match kind {
        "missing-file" => Error::MissingFile {
            path: inner("referenced file ", " does not exist").map(PathBuf::from)?,
            at,
        },
        "not-regular-file" => Error::NotRegularFile { at },
        "too-large" => Error::TooLarge {
            limit: inner("file is larger than the limit of ", " bytes")?
                .parse()
                .ok()?,
            at,
        },
        "not-utf8" => Error::NotUtf8 { at },
        "duplicate-name" => {
            let (kind, quoted) =
                inner("", " is defined more than once in this file")?.split_once(" name ")?;
            Error::DuplicateName {
                kind: name(kind),
                name: unquote(quoted)?,
                at,
            }
        }
        "missing-reference" => {
            let (kind, quoted) = inner("refers to ", ", which is not defined")?.split_once(' ')?;
            Error::MissingReference {
                kind: name(kind),
                name: unquote(quoted)?,
                at,
            }
        }
        "not-base64" => Error::NotBase64 { at },
        "no-certificate" => Error::NoCertificate { at },
        "bad-document" => {
            let (what, reason) = inner("not a valid ", ")")?.split_once(" (")?;
            Error::BadDocument {
                what: name(what),
                reason: owned(reason),
                at,
            }
        }
        "bad-timestamp" => Error::BadTimestamp { at },
        "limit-reached" => {
            let (what, limit) = inner("not examined: ", " reached)")?.rsplit_once(" (limit of ")?;
            Error::LimitReached {
                what: owned(what),
                limit: limit.parse().ok()?,
                at,
            }
        }
        "out-of-range" => Error::OutOfRange {
            what: inner("", " is out of range (beyond year 9999)").map(owned)?,
            at,
        },
        "not-as-written" => Error::NotAsWritten {
            what: rest.to_owned(),
            at,
        },
        _ => return None,
    })
}

/// The paths of `NoKubeconfig`'s text. A path that itself holds `", "` comes
/// back as two; the message is the same either way.
fn split_paths(text: &str) -> Vec<PathBuf> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split(", ").map(PathBuf::from).collect()
}

/// A string written with `{:?}`, read back; `None` when it is not one. What the
/// escapes leave open (`\u{41}` for `A`) is settled by rendering the error again.
fn unquote(quoted: &str) -> Option<String> {
    let body = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let mut text = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        text.push(match chars.next()? {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            c @ ('\\' | '"' | '\'') => c,
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let hex: String = chars.by_ref().take_while(|c| *c != '}').collect();
                char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
            }
            _ => return None,
        });
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Location {
        Location::file("/home/a/.kube/config (copy)")
            .with_entry("users[a (b), c]")
            .with_field("token")
            .with_line(Some(14))
    }

    /// One error of every variant, with facts that are awkward to read back
    /// (parentheses, quotes, escapes, separators).
    fn every_variant() -> Vec<Error> {
        let reason = || "line 3: expected ) (or \"]\")".to_owned();
        let all = vec![
            Error::Io {
                at: at(),
                reason: reason(),
            },
            Error::MissingFile {
                at: at(),
                path: PathBuf::from("/etc/k (8s)/ca.crt"),
            },
            Error::NotRegularFile { at: at() },
            Error::TooLarge {
                at: at(),
                limit: 16 << 20,
            },
            Error::Syntax {
                at: at(),
                reason: reason(),
            },
            Error::NotUtf8 { at: at() },
            Error::DuplicateName {
                at: at(),
                kind: "user".into(),
                name: "a \"b\" name\n\t\\ é \u{301}\u{7f} end".into(),
            },
            Error::MissingReference {
                at: at(),
                kind: "cluster".into(),
                name: "x y, z".into(),
            },
            Error::NotBase64 { at: at() },
            Error::NoCertificate { at: at() },
            Error::BadCertificate {
                at: at(),
                reason: reason(),
            },
            Error::BadPrivateKey {
                at: at(),
                reason: reason(),
            },
            Error::BadToken {
                at: at(),
                reason: reason(),
            },
            Error::BadDocument {
                at: at(),
                what: "aws-iam-authenticator cache".into(),
                reason: reason(),
            },
            Error::BadTimestamp { at: at() },
            Error::BadPolicy {
                at: at(),
                reason: reason(),
            },
            Error::LimitReached {
                at: at(),
                what: "files (after 10,000 in this folder)".into(),
                limit: 10_000,
            },
            Error::OutOfRange {
                at: at(),
                what: "X-Amz-Date plus lifetime".into(),
            },
            Error::NotAsWritten {
                at: at(),
                what: "exec has no command: kubectl refuses the user".into(),
            },
            Error::NoKubeconfig {
                looked_at: vec!["/a/config".into(), "/home/b c/.kube/config".into()],
            },
            Error::NoKubeconfig {
                looked_at: Vec::new(),
            },
        ];
        // A new variant fails to compile here until it has a sample above.
        let covered = |e: &Error| match e {
            Error::Io { .. }
            | Error::MissingFile { .. }
            | Error::NotRegularFile { .. }
            | Error::TooLarge { .. }
            | Error::Syntax { .. }
            | Error::NotUtf8 { .. }
            | Error::DuplicateName { .. }
            | Error::MissingReference { .. }
            | Error::NotBase64 { .. }
            | Error::NoCertificate { .. }
            | Error::BadCertificate { .. }
            | Error::BadPrivateKey { .. }
            | Error::BadToken { .. }
            | Error::BadDocument { .. }
            | Error::BadTimestamp { .. }
            | Error::BadPolicy { .. }
            | Error::LimitReached { .. }
            | Error::OutOfRange { .. }
            | Error::NotAsWritten { .. }
            | Error::NoKubeconfig { .. } => e.kind(),
        };
        let kinds: std::collections::BTreeSet<_> = all.iter().map(covered).collect();
        assert_eq!(kinds.len(), 20, "one sample per variant");
        all
    }

    #[test]
    fn every_variant_reads_back_what_it_serializes() {
        for err in every_variant() {
            let text = serde_json::to_string(&err).unwrap();
            let back: Error = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(back.to_string(), err.to_string());
            assert_eq!(back.kind(), err.kind());
            assert_eq!(back.location(), err.location());
            assert_eq!(back, err);
            assert_eq!(serde_json::to_string(&back).unwrap(), text);
        }
    }

    #[test]
    fn serializes_kind_message_location() {
        let err = Error::NotBase64 {
            at: Location::file("f").with_entry("users[u]"),
        };
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            serde_json::json!({
                "kind": "not-base64",
                "message": "f: users[u]: not valid base64",
                "location": {"file": "f", "entry": "users[u]", "field": null, "line": null, "column": null},
            })
        );
    }

    #[test]
    fn refuses_a_message_that_is_not_its_kinds() {
        let summary = |kind: &str, message: &str, location: serde_json::Value| {
            let doc = serde_json::json!({"kind": kind, "message": message, "location": location});
            serde_json::from_value::<Error>(doc)
        };
        let f = serde_json::json!({"file": "f", "entry": null, "field": null, "line": null});
        assert!(summary("not-base64", "f: not valid base64", f.clone()).is_ok());
        for (kind, message) in [
            ("not-base64", "f: no certificate found"),
            ("not-base64", "g: not valid base64"),
            (
                "too-large",
                "f: file is larger than the limit of many bytes",
            ),
            (
                "duplicate-name",
                "f: user name \"a\\q\" is defined more than once in this file",
            ),
            (
                "duplicate-name",
                "f: user name \"\\u{41}\" is defined more than once in this file",
            ),
            ("no-such-kind", "f: not valid base64"),
        ] {
            let err = summary(kind, message, f.clone()).unwrap_err();
            assert!(!err.to_string().contains(message), "{err}");
        }
        assert!(summary("not-base64", "f: not valid base64", serde_json::Value::Null).is_err());
        assert!(summary("no-kubeconfig", "no kubeconfig found (looked at )", f).is_err());
    }
}
