//! KC3xx: exec plugins and auth-providers.

use std::path::Path;

use super::prelude::*;
use crate::policy::subject::glob_matches;

/// The documentation of the rules below (see `doc.rs`).
const DOCS: &str = include_str!("exec.md");

pub(super) const RULES: &[Rule] = &[
    entry!(RemovedAuthProvider Exec Error true None, &[Check::Credential(removed_auth_provider)], Advice::only(Situation::AuthProvider)),
    entry!(RefreshTokenOnDisk Exec Warning false None, &[Check::Credential(refresh_token_on_disk)], Advice::only(Situation::AuthProvider)),
    entry!(ExecPluginNotAllowed Exec Error false None, &[Check::Credential(exec_plugin_not_allowed)], Advice::FIX),
    entry!(ExecInteractiveMode Exec Error true None, &[Check::Credential(exec_interactive_mode)], Advice::FIX),
];

fn removed_auth_provider(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let a = credential!(c, AuthProvider)?;
    let version = a.removed_in?;
    Some(
        format!(
            "user {} uses the {} auth-provider, removed from client-go in Kubernetes {version}",
            c.record.user, a.name
        )
        .into(),
    )
}

fn refresh_token_on_disk(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let a = credential!(c, AuthProvider).filter(|a| a.has_refresh_token)?;
    Some(
        format!(
            "the {} auth-provider of user {} stores a refresh token in the kubeconfig",
            a.name, c.record.user
        )
        .into(),
    )
}

fn exec_plugin_not_allowed(
    c: &Cred<'_>,
    settings: &RuleSettings,
    _: OffsetDateTime,
) -> Option<Hit> {
    let (x, allow) = (credential!(c, Exec)?, settings.allow.as_ref()?);
    let base = Path::new(&x.command)
        .file_name()
        .map(|b| b.to_string_lossy().into_owned())
        .unwrap_or_default();
    let allowed = allow
        .iter()
        .any(|p| glob_matches(p, &x.command) || glob_matches(p, &base));
    (!allowed).then(|| {
        format!(
            "user {} runs exec plugin {:?}, which is not on the allowlist ({})",
            c.record.user,
            x.command,
            allow.join(", ")
        )
        .into()
    })
}

fn exec_interactive_mode(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let x = credential!(c, Exec)?;
    (x.api_version.as_deref() == Some("client.authentication.k8s.io/v1")
        && x.interactive_mode.is_none())
    .then(|| {
        format!(
            "exec block of user {} uses client.authentication.k8s.io/v1 without interactiveMode, which kubectl rejects",
            c.record.user
        )
        .into()
    })
}
