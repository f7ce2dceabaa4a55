//! KC9xx: input and policy problems.

use super::prelude::*;
use crate::error::Error;
use crate::policy::code::Code;
use crate::policy::model::Suppression;
use crate::report::rfc3339;
use crate::scan::Unreadable;

pub(super) const RULES: &[Rule] = &[
    entry!(UnreadableInput Input Error true None,
        check: &[Check::Problem(unreadable_input)],
        advice: Advice::FIX,
        summary: "an input file could not be read",
        what: "A kubeconfig that is missing, not a regular file, too large or not UTF-8.",
        why: "A check that silently skips a file it cannot read reports clean when it is not.",
        example: "kcred check /nonexistent/config",
        fix: "Fix the path or the file; raise the size limit if the file is legitimately large."),
    entry!(InvalidKubeconfig Input Error true None,
        check: &[Check::Problem(invalid_kubeconfig)],
        advice: Advice::FIX,
        summary: "the kubeconfig is malformed",
        what: "Not valid YAML/JSON, not a kubeconfig (no users, clusters or contexts: an ExecCredential, a Secret), a name defined twice, a context or `current-context` naming an undefined entry, or something kubectl refuses or reads otherwise than written (an exec plugin without `command` or `apiVersion`, `client.authentication.k8s.io/v1alpha1`, `exec` beside `auth-provider`, `as-groups` without `as`, a cluster without `server`, `*-data` beside its file form, a second YAML document).",
        why: "kubectl refuses or misreads the file; the credentials in it were not all checked.",
        example: "contexts:\n- name: prod\n  context: { cluster: prod, user: ghost }   # no user ghost",
        fix: "Repair the file (`kubectl config view` shows what kubectl understands)."),
    entry!(UndecodableCredential Input Error true None,
        check: &[Check::Problem(undecodable_credential)],
        advice: Advice::FIX,
        summary: "a credential that does not decode",
        what: "Data that is not base64, a certificate or key that does not parse, a JWT that does not decode, or a bad expiry timestamp.",
        why: "Its expiry cannot be told, and kubectl will fail with it.",
        example: "users:\n- name: broken\n  user:\n    client-certificate-data: not-base64!!",
        fix: "Fetch the credential again from its source."),
    entry!(MissingReferencedFile Input Error true None,
        check: &[Check::Problem(missing_referenced_file)],
        advice: Advice::FIX,
        summary: "a file referenced by the kubeconfig is missing",
        what: "`client-certificate`, `client-key`, `tokenFile` or `certificate-authority` names a file that does not exist.",
        why: "kubectl fails for every context using the entry.",
        example: "users:\n- name: me\n  user:\n    tokenFile: /var/run/secrets/token   # absent",
        fix: "Restore the file or remove the stale entry."),
    entry!(CredentialUnreadable Input Error true None,
        check: &[Check::Unreadable(credential_unreadable)],
        advice: Advice::FIX,
        summary: "something that looks like a credential could not be fully read or parsed",
        what: "`kcred scan` met a file or YAML/JSON document with credential markers in the part it could read (`kind: Config`, `users` with `clusters` or `contexts`, `client-certificate-data`, `client-key-data`, a PEM header, a JWT, an EKS `k8s-aws-v1.` token, an ExecCredential; or, for a file that could not be opened, a kubeconfig or key file name) and could not read or parse it: larger than `--max-file-size` (markers are looked for in its first and last 64 KiB), binary (a NUL byte), not UTF-8 text, past a YAML limit (depth, aliases, nodes), a duplicate key, a syntax error, or an I/O error.",
        why: "kubectl loads files kcred refuses (it has no size limit and keeps the last of two duplicate keys); a scan that skipped them silently would call a tree clean that holds a credential.",
        example: "# deploy/kubeconfig: kind: Config with an extensions block nested 100 levels deep\nkind: Config\nextensions: [[[[[[[[ ... ]]]]]]]]",
        fix: "Open the file: if it holds a credential, revoke it and remove the file; otherwise repair it (or raise `--max-file-size`), or suppress the finding for that file with a reason."),
    entry!(ExpiredSuppression Input Warning true None,
        check: &[Check::Suppression(expired_suppression)],
        advice: Advice::FIX,
        summary: "a policy suppression whose expiry date has passed",
        what: "A suppression with `expires` at or before `now`. It no longer suppresses anything.",
        why: "An exception is itself a lifetime policy: when it lapses the findings come back, and the stale entry should be renewed on purpose or deleted.",
        example: "suppressions:\n- rule: irrevocable-admin\n  users: [break-glass]\n  reason: offline break-glass account\n  expires: 2025-12-31",
        fix: "Fix the findings it covered, or renew the suppression with a new reason and date."),
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
