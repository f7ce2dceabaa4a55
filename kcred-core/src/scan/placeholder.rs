//! Values that stand for a credential without being one: the `<your-token>`,
//! `${KUBE_TOKEN}`, `{{ .Values.token }}` and `REPLACE_ME` of documentation,
//! templates and examples. A kubeconfig in a tree whose token or key data is a
//! placeholder holds no credential there (and no undecodable one either).

use crate::kubeconfig::Kubeconfig;

/// Words that examples put where a secret goes (compared without case).
const WORDS: &[&str] = &[
    "changeme",
    "change-me",
    "change_me",
    "replaceme",
    "replace-me",
    "replace_me",
    "redacted",
    "todo",
    "tbd",
    "none",
    "null",
];

/// Whether `value` is a placeholder rather than a secret.
///
/// ```text
/// <your-token>  ${KUBE_TOKEN}  $KUBE_TOKEN  $(cat token)  {{ .Values.token }}
/// REPLACE_ME  changeme  xxxxxxxx  ********  ...
/// ```
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    let wrapped = |open: &str, close: &str| v.starts_with(open) && v.ends_with(close);
    let env_name = v.strip_prefix('$').is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    });
    let repeated = v.chars().next().is_some_and(|first| {
        matches!(first, 'x' | 'X' | '*' | '.' | '0') && v.chars().all(|c| c == first)
    });
    v.is_empty()
        || wrapped("<", ">")
        || wrapped("${", "}")
        || wrapped("$(", ")")
        || wrapped("{{", "}}")
        || wrapped("%", "%")
        || env_name
        || repeated
        || WORDS.iter().any(|w| v.eq_ignore_ascii_case(w))
}

/// Clears the secret fields of `config` that hold placeholders, and the
/// certificate data beside them, so the inventory sees no credential there.
pub(super) fn clear_placeholders(config: &mut Kubeconfig) {
    let clear = |field: &mut Option<String>| {
        if field.as_deref().is_some_and(is_placeholder) {
            *field = None;
        }
    };
    for u in &mut config.users {
        let user = &mut u.user;
        if user
            .token
            .as_ref()
            .is_some_and(|t| is_placeholder(t.expose()))
        {
            user.token = None;
        }
        if user
            .client_key_data
            .as_ref()
            .is_some_and(|k| is_placeholder(k.expose()))
        {
            user.client_key_data = None;
        }
        if user
            .password
            .as_ref()
            .is_some_and(|p| is_placeholder(p.expose()))
        {
            user.password = None;
        }
        clear(&mut user.client_certificate_data);
    }
    for c in &mut config.clusters {
        clear(&mut c.cluster.certificate_authority_data);
    }
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholders_and_secrets() {
        for p in [
            "<your-token>",
            "${KUBE_TOKEN}",
            "$KUBE_TOKEN",
            "$(cat /run/token)",
            "{{ .Values.token }}",
            "REPLACE_ME",
            "xxxxxxxx",
            "********",
            "...",
            "'<base64-ca>'",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for s in [
            "CANARY-abc",
            "sha256~abc",
            "eyJhbGciOi.e30.x",
            "$ecret",
            "0xdeadbeef",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
    }
}
