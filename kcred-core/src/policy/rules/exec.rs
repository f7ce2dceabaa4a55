//! KC3xx: exec plugins and auth-providers.

use std::path::Path;

use super::prelude::*;
use crate::credential::{AuthProviderInfo, Credential};
use crate::exec::ExecInfo;
use crate::policy::subject::glob_matches;

pub(super) const RULES: &[Rule] = &[
    entry!(RemovedAuthProvider Exec Error true None,
        check: &[Check::Credential(removed_auth_provider)],
        advice: Advice::only(Situation::AuthProvider),
        summary: "an auth-provider that client-go no longer has",
        what: "`auth-provider` named `azure` or `gcp`.",
        why: "Both were removed from client-go in Kubernetes 1.26; current kubectl cannot use the entry, and its cached refresh token still sits on disk.",
        example: "users:\n- name: aks\n  user:\n    auth-provider:\n      name: azure",
        fix: "AKS: `kubelogin convert-kubeconfig`; GKE: install gke-gcloud-auth-plugin and run `gcloud container clusters get-credentials` again."),
    entry!(RefreshTokenOnDisk Exec Warning false None,
        check: &[Check::Credential(refresh_token_on_disk)],
        advice: Advice::only(Situation::AuthProvider),
        summary: "an auth-provider refresh token stored in the kubeconfig",
        what: "An auth-provider config with `refresh-token`.",
        why: "A refresh token mints new access tokens until the identity provider revokes it, often for weeks or months, so the file is as good as a password.",
        example: "users:\n- name: oidc\n  user:\n    auth-provider:\n      name: oidc\n      config:\n        refresh-token: ...",
        fix: "Use an exec plugin that keeps tokens in the OS keyring or a private cache (kubectl oidc-login, kubelogin), and revoke the stored refresh token at the identity provider."),
    entry!(ExecPluginNotAllowed Exec Error false None,
        check: &[Check::Credential(exec_plugin_not_allowed)],
        advice: Advice::FIX,
        summary: "an exec plugin that is not on the allowlist",
        what: "An exec `command` whose path or basename matches no entry (glob) of the rule's `allow` list, like client-go's credential plugin allowlist. Off unless `allow` is set.",
        why: "A kubeconfig's exec block runs a program with your privileges whenever kubectl is used; a kubeconfig from elsewhere can run anything.",
        example: "rules:\n  exec-plugin-not-allowed:\n    enabled: true\n    allow: [kubelogin, aws, gke-gcloud-auth-plugin]",
        fix: "Use an approved plugin, or add the command to the allowlist after reviewing it."),
    entry!(ExecInteractiveMode Exec Error true None,
        check: &[Check::Credential(exec_interactive_mode)],
        advice: Advice::FIX,
        summary: "a v1 exec block without interactiveMode",
        what: "An exec block with `apiVersion: client.authentication.k8s.io/v1` and no `interactiveMode`.",
        why: "client-go requires `interactiveMode` for v1 exec plugins; kubectl rejects the kubeconfig.",
        example: "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: kubelogin",
        fix: "Add `interactiveMode: IfAvailable` (or `Never` for CI)."),
];

fn auth_provider<'a>(c: &'a Cred<'_>) -> Option<&'a AuthProviderInfo> {
    match &c.record.credential {
        Credential::AuthProvider(a) => Some(a),
        _ => None,
    }
}

fn exec<'a>(c: &'a Cred<'_>) -> Option<&'a ExecInfo> {
    match &c.record.credential {
        Credential::Exec(x) => Some(x),
        _ => None,
    }
}

fn removed_auth_provider(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let a = auth_provider(c)?;
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
    let a = auth_provider(c).filter(|a| a.has_refresh_token)?;
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
    let (x, allow) = (exec(c)?, settings.allow.as_ref()?);
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
    let x = exec(c)?;
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
