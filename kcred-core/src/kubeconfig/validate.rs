//! What client-go's `clientcmd` validation (`validation.go`) refuses, and what
//! it reads otherwise than written, as [`Error::NotAsWritten`] problems: kcred
//! inventories every entry, kubectl would refuse or change these ones.
//!
//! kubectl validates only the context it uses; kcred checks every entry, so a
//! problem here is one kubectl meets as soon as a context uses the entry.

use super::model::{Cluster, Kubeconfig, NamedCluster, NamedContext, NamedUser, Origin, User};
use crate::error::{Error, Location};

/// The exec `apiVersion`s client-go 1.24+ accepts.
const EXEC_API_VERSIONS: &[&str] = &[
    "client.authentication.k8s.io/v1",
    "client.authentication.k8s.io/v1beta1",
];

/// The `interactiveMode`s client-go accepts.
const INTERACTIVE_MODES: &[&str] = &["Never", "IfAvailable", "Always"];

const REFUSES_USER: &str = "kubectl refuses this user";

fn entry_at(origin: &Origin, entry: String) -> Location {
    Location::file(&origin.file)
        .with_entry(entry)
        .with_line(origin.line)
}

fn push(problems: &mut Vec<Error>, at: &Location, field: &str, what: String) {
    problems.push(Error::NotAsWritten {
        at: at.clone().with_field(field),
        what,
    });
}

/// Every problem of `config`'s clusters, contexts and `users` (passed apart:
/// the consuming inventory takes them out of the config first).
pub(crate) fn not_as_written(config: &Kubeconfig, users: &[NamedUser]) -> Vec<Error> {
    let mut problems = Vec::new();
    for named in &config.clusters {
        cluster_problems(named, &mut problems);
    }
    for named in &config.contexts {
        context_problems(named, &mut problems);
    }
    for named in users {
        user_problems(named, &mut problems);
    }
    problems
}

/// Both a `*-data` field and its file form: client-go refuses the entry and
/// says the data would win.
fn both_forms(
    data: bool,
    file: bool,
    name: &str,
    at: &Location,
    refuses: &str,
    problems: &mut Vec<Error>,
) {
    if data && file {
        push(
            problems,
            at,
            &format!("{name}-data"),
            format!(
                "both {name}-data and {name} are set: {refuses} (client-go would use {name}-data)"
            ),
        );
    }
}

fn set(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

fn cluster_problems(named: &NamedCluster, problems: &mut Vec<Error>) {
    let at = entry_at(&named.origin, format!("clusters[{}]", named.name));
    let c: &Cluster = &named.cluster;
    if !set(&c.server) {
        push(
            problems,
            &at,
            "server",
            "no server: kubectl refuses every context on this cluster".to_owned(),
        );
    }
    both_forms(
        set(&c.certificate_authority_data),
        set(&c.certificate_authority),
        "certificate-authority",
        &at,
        "kubectl refuses this cluster",
        problems,
    );
}

fn context_problems(named: &NamedContext, problems: &mut Vec<Error>) {
    let at = entry_at(&named.origin, format!("contexts[{}]", named.name));
    for (field, value) in [
        ("user", &named.context.user),
        ("cluster", &named.context.cluster),
    ] {
        if value.is_empty() {
            push(
                problems,
                &at,
                field,
                format!("names no {field}: kubectl refuses this context"),
            );
        }
    }
}

fn user_problems(named: &NamedUser, problems: &mut Vec<Error>) {
    let at = entry_at(&named.origin, format!("users[{}]", named.name));
    let u: &User = &named.user;
    both_forms(
        set(&u.client_certificate_data),
        set(&u.client_certificate),
        "client-certificate",
        &at,
        REFUSES_USER,
        problems,
    );
    both_forms(
        u.client_key_data.as_ref().is_some_and(|k| !k.is_empty()),
        set(&u.client_key),
        "client-key",
        &at,
        REFUSES_USER,
        problems,
    );
    if u.token.as_ref().is_some_and(|t| !t.is_empty()) && set(&u.token_file) {
        push(
            problems,
            &at,
            "tokenFile",
            "both token and tokenFile are set: client-go sends the tokenFile's token whenever \
             the file reads, the inline token only when it does not"
                .to_owned(),
        );
    }
    if !set(&u.impersonate)
        && (set(&u.impersonate_uid)
            || !u.impersonate_groups.is_empty()
            || !u.impersonate_user_extra.is_empty())
    {
        push(
            problems,
            &at,
            "as",
            format!("as-uid, as-groups or as-user-extra without as: {REFUSES_USER}"),
        );
    }
    let Some(exec) = &u.exec else {
        return;
    };
    let refused = |what: &str| format!("{what}: {REFUSES_USER}");
    if u.auth_provider.is_some() {
        push(
            problems,
            &at,
            "exec",
            refused("exec and auth-provider are both set"),
        );
    }
    if exec.command.is_empty() {
        push(
            problems,
            &at,
            "exec.command",
            refused("exec has no command"),
        );
    }
    match exec.api_version.as_deref().unwrap_or("") {
        "" => push(
            problems,
            &at,
            "exec.apiVersion",
            refused("exec has no apiVersion"),
        ),
        v if EXEC_API_VERSIONS.contains(&v) => {}
        "client.authentication.k8s.io/v1alpha1" => push(
            problems,
            &at,
            "exec.apiVersion",
            refused("exec apiVersion client.authentication.k8s.io/v1alpha1 is no longer accepted, since Kubernetes 1.24"),
        ),
        _ => push(
            problems,
            &at,
            "exec.apiVersion",
            refused("exec apiVersion is not client.authentication.k8s.io/v1 or v1beta1"),
        ),
    }
    if exec.env.iter().any(|e| e.name.is_empty()) {
        push(
            problems,
            &at,
            "exec.env",
            refused("an exec env entry has no name"),
        );
    }
    match exec.interactive_mode.as_deref() {
        // A v1 exec without one is rule KC304 exec-interactive-mode.
        None | Some("") => {}
        Some(mode) if INTERACTIVE_MODES.contains(&mode) => {}
        Some(_) => push(
            problems,
            &at,
            "exec.interactiveMode",
            refused("exec interactiveMode is not Never, IfAvailable or Always"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubeconfig::{parse_kubeconfig, Limits};
    use std::path::Path;

    fn problems(yaml: &str) -> Vec<String> {
        let config = parse_kubeconfig(yaml.as_bytes(), Path::new("k"), &Limits::default()).config;
        not_as_written(&config, &config.users)
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn what_client_go_refuses_is_said() {
        let got = problems(
            "clusters:\n- name: c\n  cluster: {certificate-authority: /ca, certificate-authority-data: eA==}\n\
             contexts:\n- name: x\n  context: {cluster: c}\n\
             users:\n- name: e\n  user:\n    exec: {env: [{value: v}], interactiveMode: Sometimes}\n    auth-provider: {name: oidc}\n\
             - name: a\n  user:\n    exec: {command: c, apiVersion: client.authentication.k8s.io/v1alpha1}\n    as-groups: [g]\n\
             - name: v1\n  user:\n    exec: {command: c, apiVersion: client.authentication.k8s.io/v1}\n\
             - name: t\n  user: {token: t, tokenFile: /t, client-certificate: /c, client-certificate-data: eA==}\n",
        );
        let want = [
            "k: clusters[c].server (line 2): no server: kubectl refuses every context on this cluster",
            "k: clusters[c].certificate-authority-data (line 2): both certificate-authority-data and certificate-authority are set: kubectl refuses this cluster (client-go would use certificate-authority-data)",
            "k: contexts[x].user (line 5): names no user: kubectl refuses this context",
            "k: users[e].exec (line 8): exec and auth-provider are both set: kubectl refuses this user",
            "k: users[e].exec.command (line 8): exec has no command: kubectl refuses this user",
            "k: users[e].exec.apiVersion (line 8): exec has no apiVersion: kubectl refuses this user",
            "k: users[e].exec.env (line 8): an exec env entry has no name: kubectl refuses this user",
            "k: users[e].exec.interactiveMode (line 8): exec interactiveMode is not Never, IfAvailable or Always: kubectl refuses this user",
            "k: users[a].as (line 12): as-uid, as-groups or as-user-extra without as: kubectl refuses this user",
            "k: users[a].exec.apiVersion (line 12): exec apiVersion client.authentication.k8s.io/v1alpha1 is no longer accepted, since Kubernetes 1.24: kubectl refuses this user",
            "k: users[t].client-certificate-data (line 19): both client-certificate-data and client-certificate are set: kubectl refuses this user (client-go would use client-certificate-data)",
            "k: users[t].tokenFile (line 19): both token and tokenFile are set: client-go sends the tokenFile's token whenever the file reads, the inline token only when it does not",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_usable_config_has_none() {
        let got = problems(
            "clusters:\n- name: c\n  cluster: {server: https://c}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n\
             users:\n- name: u\n  user:\n    exec: {command: c, apiVersion: client.authentication.k8s.io/v1beta1}\n    as: me\n    as-groups: [g]\n",
        );
        assert!(got.is_empty(), "{got:?}");
    }
}
