//! The steps of an exposure report: what to do now, in order.

use super::revocation::advice_for;
use super::{ExposedCredential, Revocability};
use crate::platform::{Platform, Situation};

fn push(steps: &mut Vec<String>, s: String) {
    if !steps.contains(&s) {
        steps.push(s);
    }
}

/// The steps to take now: the platform's own, then each usable credential's revocation.
pub(super) fn steps(platform: Platform, user: &str, usable: &[&ExposedCredential]) -> Vec<String> {
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
    steps
}
