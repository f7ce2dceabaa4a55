//! The steps of an exposure report: what to do now, in order.

use time::OffsetDateTime;

use super::revocation::advice_for;
use super::{ExposedCredential, Revocability};
use crate::platform::{advice, advice_rows, fill, Platform, Situation};
use crate::report::{rfc3339, shell_quote};

fn push(steps: &mut Vec<String>, s: String) {
    if !steps.contains(&s) {
        steps.push(s);
    }
}

/// A usable credential that can mint credentials: who it acts as, and since
/// when it could.
#[derive(Debug, Clone, Copy)]
pub(super) struct Minter<'a> {
    /// The user name the API server sees (its RBAC identity).
    pub(super) user: &'a str,
    /// When it was issued (notBefore, `nbf`/`iat`), when known.
    pub(super) issued: Option<OffsetDateTime>,
}

/// The steps to take now: the platform's own, then each usable credential's
/// revocation, then, for each credential that can mint others, where to look
/// for what it minted.
pub(super) fn steps(
    platform: Platform,
    user: &str,
    usable: &[&ExposedCredential],
    minters: &[Minter<'_>],
    now: OffsetDateTime,
) -> Vec<String> {
    let mut steps = Vec::new();
    if usable.is_empty() {
        return steps;
    }
    let has = |f: &dyn Fn(&ExposedCredential) -> bool| usable.iter().any(|c| f(c));
    let certs = has(&|c| {
        matches!(
            c.revocability,
            Revocability::IrrevocableUntilCaRotation { .. }
        )
    });
    let caches = has(&|c| c.source != "kubeconfig");
    let server_token = has(&|c| c.revocability == Revocability::ServerRevocableToken);
    let idp = caches || has(&|c| c.revocability == Revocability::IdpBacked);
    for (on, situation) in [
        (true, Situation::StepAlways),
        (certs, Situation::StepCertificates),
        (server_token, Situation::StepStaticToken),
        (idp, Situation::StepIdentityProvider),
    ] {
        if on {
            for step in advice_for(platform, situation, user, None) {
                push(&mut steps, step);
            }
        }
    }
    // The platform steps above cover certificates, static tokens and the
    // identity provider; list each credential's own revocation only where they
    // do not (service-account tokens, other platforms).
    let covered = !steps.is_empty();
    for c in usable {
        let own = matches!(
            c.revocability,
            Revocability::LegacyServiceAccountToken
                | Revocability::BoundServiceAccountToken
                | Revocability::ServerSidePassword
                | Revocability::Unknown
        );
        if !covered || own {
            push(&mut steps, format!("{}: {}", c.what, c.revoke));
        }
    }
    for minter in minters {
        for step in hunt(platform, minter, now) {
            push(&mut steps, step);
        }
    }
    steps
}

/// Where to look for what `minter` minted since it was issued: the objects
/// every cluster keeps (token Secrets, CSRs, bindings), then the platform's
/// audit log (tokens of the TokenRequest API leave nothing else). Every value
/// pasted into a command is shell-quoted; the audit query is one quoted word.
fn hunt(platform: Platform, minter: &Minter<'_>, now: OffsetDateTime) -> Vec<String> {
    let (since, start) = match minter.issued {
        Some(t) => (rfc3339(t), t.unix_timestamp().to_string()),
        None => ("<issued>".to_owned(), "<issued-unix-seconds>".to_owned()),
    };
    // A JSON string literal is a string literal of KQL, Logs Insights and the
    // Cloud Logging query language alike.
    let literal = serde_json::to_string(minter.user).unwrap_or_default();
    let query = advice(platform, Situation::MintedAuditQuery)
        .map(|q| fill(q, &[("user", &literal), ("since", &since)]))
        .unwrap_or_default();
    let vars = [
        ("since", shell_quote(&since).into_owned()),
        ("user", shell_quote(minter.user).into_owned()),
        ("start", shell_quote(&start).into_owned()),
        (
            "end",
            shell_quote(&now.unix_timestamp().to_string()).into_owned(),
        ),
        ("query", shell_quote(&query).into_owned()),
    ];
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // The objects are the same on every platform; the audit log is the platform's.
    advice_rows(Platform::Generic, Situation::StepMinted)
        .chain(advice_rows(platform, Situation::StepMintedAudit))
        .map(|row| fill(row, &vars))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC); // 1_767_225_600

    /// `line` without its comment and its single-quoted words (`'\''` read
    /// as sh reads it): what the shell would expand.
    fn unquoted(line: &str) -> String {
        let command = line.split("   # ").next().unwrap_or_default();
        let mut out = String::new();
        let mut quoted = false;
        let mut chars = command.chars();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (_, '\'') => quoted = !quoted,
                (false, '\\') => {
                    chars.next();
                }
                (false, c) => out.push(c),
                (true, _) => {}
            }
        }
        assert!(!quoted, "unbalanced quotes: {line}");
        out
    }

    #[test]
    fn hunt_steps_quote_every_value_and_name_the_platforms_audit_log() {
        let user = "x'$(id) `id`; \"q\"";
        let minter = Minter {
            user,
            issued: Some(datetime!(2025-12-01 0:00 UTC)),
        };
        for (platform, audit) in [
            (Platform::Aks, "az monitor log-analytics query"),
            (Platform::Eks, "aws logs start-query"),
            (Platform::Gke, "gcloud logging read"),
            (Platform::Kubeadm, "jq -c --arg user"),
            (Platform::Generic, "jq -c --arg user"),
        ] {
            let steps = hunt(platform, &minter, NOW);
            assert_eq!(steps.len(), 4, "{platform:?}: {steps:#?}");
            assert!(steps[0].contains("type=kubernetes.io/service-account-token"));
            assert!(steps[0].contains("--arg since 2025-12-01T00:00:00Z "));
            assert!(steps[1].starts_with("kubectl get csr"));
            assert!(steps[3].starts_with(audit), "{platform:?}: {}", steps[3]);
            for step in &steps {
                let bare = unquoted(step);
                assert!(!bare.contains(['$', '`', ';', '"']), "{bare}");
            }
            // The identity reaches the audit step quoted, as a shell word or
            // inside the quoted query as a string literal.
            let literal = serde_json::to_string(user).unwrap();
            let query_has_it = steps[3].contains(&literal.replace('\'', "'\\''"));
            assert!(
                steps[3].contains(&*shell_quote(user)) || query_has_it,
                "{}",
                steps[3]
            );
        }
        let eks = hunt(Platform::Eks, &minter, NOW);
        assert!(eks[3].contains("--start-time 1764547200 --end-time 1767225600 "));
    }

    #[test]
    fn an_unknown_issue_time_is_a_placeholder() {
        let minter = Minter {
            user: "kubernetes-admin",
            issued: None,
        };
        let steps = hunt(Platform::Generic, &minter, NOW);
        assert!(steps[0].contains("--arg since '<issued>'"), "{}", steps[0]);
        assert!(steps[3].contains("--arg user kubernetes-admin "));
    }
}
