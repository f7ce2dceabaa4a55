//! KC9xx: input and policy problems.

use super::prelude::*;
use crate::error::Error;
use crate::policy::code::Code;
use crate::policy::model::Suppression;
use crate::report::rfc3339;
use crate::scan::Unreadable;

/// The documentation of the rules below (see `doc.rs`).
const DOCS: &str = include_str!("input.md");

pub(super) const RULES: &[Rule] = &[
    entry!(UnreadableInput Input Error true None, &[Check::Problem(unreadable_input)], Advice::FIX),
    entry!(InvalidKubeconfig Input Error true None, &[Check::Problem(invalid_kubeconfig)], Advice::FIX),
    entry!(UndecodableCredential Input Error true None, &[Check::Problem(undecodable_credential)], Advice::FIX),
    entry!(MissingReferencedFile Input Error true None, &[Check::Problem(missing_referenced_file)], Advice::FIX),
    entry!(CredentialUnreadable Input Error true None, &[Check::Unreadable(credential_unreadable)], Advice::FIX),
    entry!(ExpiredSuppression Input Warning true None, &[Check::Suppression(expired_suppression)], Advice::FIX),
];

/// The rule an input problem breaks.
fn problem_code(p: &Error) -> Code {
    match p.kind() {
        "io" | "not-regular-file" | "too-large" | "not-utf8" | "no-kubeconfig" => {
            Code::UnreadableInput
        }
        "syntax" | "duplicate-name" | "missing-reference" | "bad-policy" | "not-as-written" => {
            Code::InvalidKubeconfig
        }
        "missing-file" => Code::MissingReferencedFile,
        _ => Code::UndecodableCredential,
    }
}

/// The problem's message without its location (the finding carries that).
fn problem(p: &Error, code: Code) -> Option<Hit> {
    if problem_code(p) != code {
        return None;
    }
    let full = p.to_string();
    let prefix = match p.location() {
        Some(at) => format!("{at}: "),
        None => format!("{}: ", crate::error::Location::default()),
    };
    Some(
        full.strip_prefix(&prefix)
            .unwrap_or(&full)
            .to_owned()
            .into(),
    )
}

fn unreadable_input(p: &Of<'_, Error>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    problem(p.item, Code::UnreadableInput)
}

fn invalid_kubeconfig(p: &Of<'_, Error>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    problem(p.item, Code::InvalidKubeconfig)
}

fn undecodable_credential(p: &Of<'_, Error>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    problem(p.item, Code::UndecodableCredential)
}

fn missing_referenced_file(p: &Of<'_, Error>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    problem(p.item, Code::MissingReferencedFile)
}

fn credential_unreadable(
    u: &Of<'_, Unreadable>,
    _: &RuleSettings,
    _: OffsetDateTime,
) -> Option<Hit> {
    Some(
        format!(
            "looks like {} but was not read: {}; any credential in it was not checked",
            u.item.looks_like, u.item.reason
        )
        .into(),
    )
}

fn expired_suppression(
    s: &Of<'_, Suppression>,
    _: &RuleSettings,
    now: OffsetDateTime,
) -> Option<Hit> {
    let sup = s.item;
    if sup.active(now) {
        return None;
    }
    let until = sup.expires.map(rfc3339).unwrap_or_default();
    Some(
        format!(
            "suppression of {} (\"{}\") expired at {until}; it no longer suppresses anything",
            sup.rule.map_or("*", |c| c.as_str()),
            sup.reason
        )
        .into(),
    )
}
