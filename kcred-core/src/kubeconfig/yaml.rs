//! YAML kubeconfigs: kcred's own loader on granit-parser events ([`tree`],
//! [`de`], [`top`]) with budgets scaled to the input, entries read with the
//! line of their list item and the positions of their fields, errors in words
//! that carry nothing from the input. The serde-saphyr options and error words
//! here are shared with the other YAML readers (policies, manifests, caches).

use std::path::Path;

use super::sanitize::sanitize;
use super::top;
use super::tree::{self, Reason};
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
    parse_yaml_with(text, source, limits, parse_one)
}

/// A reader of one YAML document.
pub(super) type ParseOne = fn(&str, &Path, &Limits) -> Result<Kubeconfig, Error>;

/// [`parse_yaml`] with the reader of one document given (the differential
/// test passes the serde-saphyr one).
pub(super) fn parse_yaml_with(
    text: &str,
    source: &Path,
    limits: &Limits,
    parse_one: ParseOne,
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

pub(super) fn parse_one(text: &str, source: &Path, limits: &Limits) -> Result<Kubeconfig, Error> {
    let at = |line: Option<u32>| Location::file(source).with_line(line);
    let tree = tree::build(text, limits).map_err(|err| Error::Syntax {
        at: at(err.line),
        reason: match err.reason {
            Reason::Fixed(words) => words.to_owned(),
            Reason::Parser(message) => sanitize(&message, text, "YAML syntax error"),
            Reason::SecondDocument => "more than one YAML document".to_owned(),
        },
    })?;
    top::read(&tree).map_err(|err| Error::Syntax {
        at: at(err.line),
        reason: sanitize(&err.message, text, "value of the wrong type"),
    })
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
