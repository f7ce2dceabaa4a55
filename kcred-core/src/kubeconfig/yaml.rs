//! YAML kubeconfigs: serde-saphyr with budgets scaled to the input, entries
//! read with the line of their list item, errors in words that carry nothing
//! from the input.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use super::model::{NamedCluster, NamedContext, NamedUser, Origin};
use super::sanitize::sanitize;
use super::{Kubeconfig, Limits};
use crate::error::{Error, Location};

/// The parser options for `text`: node and event budgets grow with its length,
/// aliases and nesting are capped by `limits`, one document only.
pub(crate) fn yaml_options(text: &str, limits: &Limits) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    let scaled = limits.min_nodes.max(text.len());
    budget.max_nodes = scaled;
    budget.max_events = budget.max_events.max(scaled.saturating_mul(4));
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len());
    budget.max_depth = limits.max_depth;
    budget.max_aliases = limits.max_aliases;
    budget.max_documents = 1;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = limits.max_alias_replay_events;
    options
}

/// Reads a YAML kubeconfig, each entry with the line of its list item.
///
/// A stream of several documents is read like client-go reads it: the first
/// document only; the second value says the rest was ignored.
pub(super) fn parse_yaml(
    text: &str,
    source: &Path,
    limits: &Limits,
) -> Result<(Kubeconfig, Option<Error>), Error> {
    match parse_one(text, source, limits) {
        Err(Error::Syntax { .. }) if first_document(text).is_some() => {
            let (first, line) = first_document(text).unwrap_or((text, 0));
            let ignored = Error::NotAsWritten {
                at: Location::file(source).with_line(u32::try_from(line).ok()),
                what: "more than one YAML document: kubectl reads only the first, the rest was ignored"
                    .to_owned(),
            };
            parse_one(first, source, limits).map(|config| (config, Some(ignored)))
        }
        other => other.map(|config| (config, None)),
    }
}

/// The first document of a stream of several, and the 1-based line where the
/// next one starts; `None` when there is one document. A `---` or `...` at the
/// start of a line is always a document marker in YAML, never content.
fn first_document(text: &str) -> Option<(&str, usize)> {
    let marker = |line: &str, mark: &str| {
        line.strip_prefix(mark)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '#', '\r']))
    };
    let mut content = false;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches('\n');
        if marker(bare, "---") || marker(bare, "...") {
            if content {
                return Some((&text[..offset], i + 1));
            }
            // `--- {users: []}`: the document starts on the marker's line.
            let rest = bare[3..].trim();
            content = !rest.is_empty() && !rest.starts_with('#');
        } else if !bare.trim().is_empty() && !bare.trim_start().starts_with('#') {
            content = true;
        }
        offset += line.len();
    }
    None
}

fn parse_one(text: &str, source: &Path, limits: &Limits) -> Result<Kubeconfig, Error> {
    match serde_saphyr::from_str_with_options::<Option<YamlTop>>(text, yaml_options(text, limits)) {
        Ok(top) => Ok(top.map(|t| t.0).unwrap_or_default()),
        Err(err) => {
            let line = err
                .location()
                .and_then(|l| u32::try_from(l.line()).ok())
                .filter(|l| *l > 0);
            Err(Error::Syntax {
                at: Location::file(source).with_line(line),
                reason: yaml_reason(&err, text),
            })
        }
    }
}

/// The parser's complaint when a limit stopped it or a key repeated, in fixed
/// words shared by every YAML reader of kcred (kubeconfigs, policies,
/// manifests); `None` for the other complaints.
pub(crate) fn yaml_limit_reason(err: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::Error as E;
    Some(match err.without_snippet() {
        E::Budget { breach, .. } => format!("YAML limit exceeded: {}", breach_words(breach)),
        E::DuplicateMappingKey { .. } => "duplicate key in a mapping".to_string(),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => "YAML alias expansion limit exceeded".to_string(),
        _ => return None,
    })
}

/// Which YAML budget ran out, in the user's terms.
fn breach_words(breach: &serde_saphyr::budget::BudgetBreach) -> &'static str {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Events { .. } => "too many YAML events",
        B::Aliases { .. } | B::AliasAnchorRatio { .. } => "too many aliases",
        B::Anchors { .. } | B::RecordedAnchorEvents { .. } => "too many anchors",
        B::Depth { .. } | B::InclusionDepth { .. } => "nested too deeply",
        B::Documents { .. } => "more than one YAML document",
        B::Nodes { .. } => "too many values",
        B::ScalarBytes { .. } => "values too large in total",
        B::MergeKeys { .. } => "too many merge keys",
        B::InputBytes { .. } => "input too large",
        _ => "a structure limit was reached",
    }
}

/// The parser's complaint without anything from the input.
pub(crate) fn yaml_reason(err: &serde_saphyr::Error, input: &str) -> String {
    use serde_saphyr::Error as E;
    if let Some(reason) = yaml_limit_reason(err) {
        return reason;
    }
    let err = err.without_snippet();
    match err {
        E::MultipleDocuments { .. } => "more than one YAML document".to_string(),
        E::InvalidUtf8Input => "not UTF-8".to_string(),
        E::SerdeInvalidType { .. } | E::SerdeInvalidValue { .. } | E::SerdeInvalidLength { .. } => {
            sanitize(&err.to_string(), input, "value of the wrong type")
        }
        other => sanitize(&other.to_string(), input, "YAML syntax error"),
    }
}

/// The top level of a YAML kubeconfig, read key by key so the three lists can
/// be read with their spans (serde's `flatten` would buffer them and lose them).
struct YamlTop(Kubeconfig);

impl<'de> Deserialize<'de> for YamlTop {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TopVisitor)
    }
}

struct TopVisitor;

/// A list entry whose line the loader records in its origin.
trait Entry {
    fn origin_mut(&mut self) -> &mut Origin;
}

impl Entry for NamedCluster {
    fn origin_mut(&mut self) -> &mut Origin {
        &mut self.origin
    }
}

impl Entry for NamedUser {
    fn origin_mut(&mut self) -> &mut Origin {
        &mut self.origin
    }
}

impl Entry for NamedContext {
    fn origin_mut(&mut self) -> &mut Origin {
        &mut self.origin
    }
}

/// A YAML list read item by item, each item's line stored as it is read (a
/// `Vec<Spanned<T>>` would hold the whole list a second time).
struct WithLines<T>(Vec<T>);

impl<'de, T: Deserialize<'de> + Entry> Deserialize<'de> for WithLines<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Items<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Entry> Visitor<'de> for Items<T> {
            type Value = WithLines<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<T>>()? {
                    let line = u32::try_from(item.referenced.line())
                        .ok()
                        .filter(|l| *l > 0);
                    let mut value = item.value;
                    value.origin_mut().line = line;
                    items.push(value);
                }
                Ok(WithLines(items))
            }
        }
        deserializer.deserialize_seq(Items(std::marker::PhantomData))
    }
}

fn with_lines<T>(list: Option<WithLines<T>>) -> Vec<T> {
    list.map(|l| l.0).unwrap_or_default()
}

impl<'de> Visitor<'de> for TopVisitor {
    type Value = YamlTop;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a kubeconfig mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlTop, A::Error> {
        let mut config = Kubeconfig::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "apiVersion" => config.api_version = map.next_value()?,
                "kind" => config.kind = map.next_value()?,
                "current-context" => config.current_context = map.next_value()?,
                "preferences" => {
                    config.preferences = map
                        .next_value::<Option<serde_json::Value>>()?
                        .unwrap_or_default()
                }
                "extensions" => {
                    config.extras.extensions = map
                        .next_value::<Option<Vec<serde_json::Value>>>()?
                        .unwrap_or_default()
                }
                "clusters" => config.clusters = with_lines(map.next_value()?),
                "users" => config.users = with_lines(map.next_value()?),
                "contexts" => config.contexts = with_lines(map.next_value()?),
                _ => {
                    let value: serde_json::Value = map.next_value()?;
                    if config.extras.other.insert(key, value).is_some() {
                        return Err(de::Error::custom("duplicate key"));
                    }
                }
            }
        }
        Ok(YamlTop(config))
    }
}
