//! Which kubeconfig user a cache entry serves, told from what both sides name:
//! kubelogin's server/client/tenant ids, the OIDC issuer and client id, the gke
//! plugin's context, aws-iam-authenticator's cluster id and role.

use std::collections::HashMap;

use super::{CacheEntry, CacheKind};
use crate::exec::{plugin_of, ExecPlugin};
use crate::kubeconfig::Kubeconfig;

fn same(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        // One side does not say: not a contradiction.
        _ => true,
    }
}

fn issuer_eq(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.trim_end_matches('/') == b.trim_end_matches('/'),
        _ => false,
    }
}

/// Whether `entry` serves a user whose exec plugin is `plugin` (or auth-provider `provider`).
fn serves(
    entry: &CacheEntry,
    plugin: Option<&ExecPlugin>,
    provider: Option<&str>,
    user_contexts: &[&str],
) -> bool {
    let k = &entry.key;
    match (entry.kind, plugin) {
        (
            CacheKind::AzureKubeloginToken,
            Some(ExecPlugin::AzureKubelogin {
                server_id,
                client_id,
                tenant_id,
                ..
            }),
        ) => {
            k.server_id.is_some()
                && same(&k.server_id, server_id)
                && same(&k.client_id, client_id)
                && same(&k.tenant_id, tenant_id)
        }
        (
            CacheKind::AzureAuthRecord,
            Some(ExecPlugin::AzureKubelogin {
                login_mode,
                client_id,
                tenant_id,
                ..
            }),
        ) => {
            matches!(login_mode.as_str(), "interactive" | "devicecode")
                && same(&k.client_id, client_id)
                && same(&k.tenant_id, tenant_id)
        }
        (CacheKind::AzurePopTokenCache, Some(ExecPlugin::AzureKubelogin { .. })) => true,
        (CacheKind::AzureCliTokenCache, Some(ExecPlugin::AzureKubelogin { login_mode, .. })) => {
            login_mode == "azurecli"
        }
        (
            CacheKind::OidcLogin,
            Some(ExecPlugin::OidcLogin {
                issuer, client_id, ..
            }),
        ) => issuer_eq(&k.issuer, issuer) && same(&k.client_id, client_id),
        (CacheKind::GkeGcloudAuthPlugin, Some(ExecPlugin::GkeGcloudAuthPlugin)) => {
            match &k.context {
                Some(ctx) => user_contexts.contains(&ctx.as_str()),
                None => true,
            }
        }
        (CacheKind::GcloudCredentials, Some(ExecPlugin::GkeGcloudAuthPlugin)) => true,
        (CacheKind::GcloudCredentials, None) => provider == Some("gcp"),
        (
            CacheKind::AwsIamAuthenticator,
            Some(ExecPlugin::AwsIamAuthenticator { cluster, role_arn }),
        ) => k.cluster.is_some() && same(&k.cluster, cluster) && same(&k.role_arn, role_arn),
        (CacheKind::AwsSharedCredentials, Some(ExecPlugin::AwsEksGetToken { profile, .. })) => {
            let wanted = profile.as_deref().unwrap_or("default");
            k.profile.as_deref() == Some(wanted)
        }
        (CacheKind::AwsSharedCredentials, Some(ExecPlugin::AwsIamAuthenticator { .. })) => {
            k.profile.as_deref() == Some("default")
        }
        _ => false,
    }
}

/// Fills [`CacheEntry::users`] with the kubeconfig users each entry serves.
/// An entry that names nothing to match on (an ExecCredential file) stays unlinked.
pub fn link_caches(entries: &mut [CacheEntry], config: &Kubeconfig) {
    // One pass over the contexts, so many users and contexts stay linear.
    let mut contexts_of_user: HashMap<&str, Vec<&str>> = HashMap::new();
    for c in &config.contexts {
        contexts_of_user
            .entry(c.context.user.as_str())
            .or_default()
            .push(c.name.as_str());
    }
    for named in &config.users {
        let plugin = named.user.exec.as_ref().map(|e| plugin_of(e));
        let provider = named.user.auth_provider.as_ref().map(|p| p.name.as_str());
        let contexts: &[&str] = contexts_of_user
            .get(named.name.as_str())
            .map_or(&[], Vec::as_slice);
        for entry in entries.iter_mut() {
            if serves(entry, plugin.as_ref(), provider, contexts)
                && !entry.users.contains(&named.name)
            {
                entry.users.push(named.name.clone());
            }
        }
    }
}
