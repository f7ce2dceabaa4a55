//! KC0xx: lifetime and kind, for any credential.

use super::prelude::*;
use crate::credential::{ClientCertificate, Credential, CredentialRecord, DataSource};
use crate::expiry::{human_duration, ExpiryStatus};
use crate::exposure::Until;
use crate::policy::subject::Exposed;
use crate::policy::Severity;
use crate::report::rfc3339;
use crate::token::TokenFormat;

pub(super) const RULES: &[Rule] = &[
    entry!(Expired Lifetime Error true None,
        check: &[Check::Credential(expired)],
        advice: Advice::lifetime(Situation::Renewal),
        summary: "the credential has expired",
        what: "A client certificate's notAfter, a token's `exp` or an auth-provider's cached expiry lies at or before `now`.",
        why: "kubectl fails with `Unauthorized` or a TLS error; for a certificate-only admin account (kubeadm, kind, AKS local admin) that can lock you out of the cluster.",
        example: "users:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: ...   # notAfter 2025-12-31T00:00:00Z, now 2026-01-01",
        fix: "Fetch a new credential from the platform (kubeadm: `kubeadm certs renew`; AKS/EKS/GKE: get-credentials again), or switch to an exec plugin that mints short-lived tokens."),
    entry!(NotYetValid Lifetime Error true None,
        check: &[Check::Credential(not_yet_valid)],
        advice: Advice::FIX,
        summary: "the credential is not valid yet",
        what: "A certificate's notBefore or a token's `nbf`/`iat` lies after `now`.",
        why: "The API server refuses it until then; usually a clock skew on the issuing machine or a credential issued for the future.",
        example: "users:\n- name: tomorrow\n  user:\n    client-certificate-data: ...   # notBefore 2026-01-02, now 2026-01-01",
        fix: "Check the clock of the machine that issued it, then reissue the credential."),
    entry!(ExpiringSoon Lifetime Warning true Some("30d"),
        check: &[Check::Credential(expiring_soon)],
        advice: Advice::lifetime(Situation::Renewal),
        summary: "the credential expires within the threshold",
        what: "The time left before expiry is at or below `threshold` (default `30d`); with `error-threshold` set, findings at or below it are errors.",
        why: "Renewing before expiry avoids an outage; kubeadm only renews certificates on control-plane upgrades, so clusters that are not upgraded yearly lose their admin access.",
        example: "rules:\n  expiring-soon: { threshold: 30d, error-threshold: 7d }",
        fix: "Renew the credential (kubeadm: `kubeadm certs renew all` on each control-plane node) and replace the copy in the kubeconfig."),
    entry!(MaxLifetime Lifetime Warning false None,
        check: &[Check::Credential(max_lifetime)],
        advice: Advice::LIFETIME,
        summary: "the credential's total validity is longer than the policy allows",
        what: "notAfter minus notBefore (or `exp` minus `iat`) is longer than `threshold`. Off unless a threshold is set.",
        why: "A long-lived credential stays useful to whoever copies it; a short total lifetime bounds the damage of a leak regardless of when it is checked.",
        example: "rules:\n  max-lifetime: { enabled: true, threshold: 90d }",
        fix: "Issue shorter-lived credentials (kubeadm: `--cert-validity-period` on newer releases; CSR API: `spec.expirationSeconds`), or use an exec plugin."),
    entry!(MaxRemaining Lifetime Error false None,
        check: &[Check::Credential(max_remaining)],
        advice: Advice::LIFETIME,
        summary: "the credential stays valid longer from now than the policy allows",
        what: "The credential is valid at `now` and stays valid for more than `threshold` (or never expires). Off unless a threshold is set; `strict` sets `24h`.",
        why: "This is the stolen-laptop question: how long would a copy of this file keep working? Anything above a day outlives the time it takes to notice a lost device.",
        example: "rules:\n  max-remaining: { enabled: true, threshold: 24h }",
        fix: "Replace long-lived credentials by an exec plugin whose tokens last minutes to hours (kubelogin, `aws eks get-token`, gke-gcloud-auth-plugin, `oc login`)."),
    entry!(NeverExpires Lifetime Error true None,
        check: &[Check::Credential(never_expires)],
        advice: Advice::LIFETIME,
        summary: "the credential never expires",
        what: "A legacy service-account token or a JWT without `exp`, or a certificate whose notAfter is 99991231235959Z (RFC 5280: no well-defined expiration).",
        why: "It works until someone deletes its Secret or rotates the CA, which nobody remembers to do.",
        example: "users:\n- name: ci\n  user:\n    token: eyJhbGciOi...   # kubernetes.io/serviceaccount token without exp",
        fix: "Use bound tokens (`kubectl create token SA --duration=1h`) or the TokenRequest API, and delete the legacy token Secret."),
    entry!(StaticCredential Lifetime Error false None,
        check: &[Check::Credential(static_credential)],
        advice: Advice::lifetime(Situation::StaticForPeople),
        summary: "a static credential where an exec plugin would give short-lived tokens",
        what: "A client certificate, a static bearer token or basic auth held for a person. Service-account tokens and node/component certificates (`system:node:*`, `system:kube-*`) are machine identities and are not reported.",
        why: "Static credentials are copied with the file and cannot be limited by sign-in policy, MFA or device checks; an exec plugin asks the identity provider each time.",
        example: "users:\n- name: clusterAdmin_rg_aks\n  user:\n    client-certificate-data: ...\n    token: 0123abcd...",
        fix: "Sign in through the platform's exec plugin (AKS: kubelogin; EKS: `aws eks get-token`; GKE: gke-gcloud-auth-plugin; other: an OIDC plugin such as kubectl oidc-login)."),
    entry!(UnknownExpiry Lifetime Warning true None,
        check: &[Check::Credential(unknown_expiry)],
        advice: Advice::LIFETIME,
        summary: "a static token whose lifetime no one can tell from the file",
        what: "An opaque bearer token (not a JWT, EKS, OpenShift OAuth or bootstrap token) written inline in the kubeconfig (`token:`). Its expiry is not in the token or the file; the API server keeps it in a static token file, a Secret or an identity provider. Tokens read from `tokenFile` are not reported: the file can be rotated under the kubeconfig.",
        why: "Nobody holding the file can tell when it stops working, and usually it never does: the AKS local-admin token, `--token-auth-file` entries and hand-pasted API tokens work until someone removes them on the server side. A copy of the kubeconfig is a credential of unknown lifetime.",
        example: "users:\n- name: clusterAdmin_rg_aks\n  user:\n    token: 0123abcd...   # 64 hex characters, no expiry in it",
        fix: "Replace it by an exec plugin that mints short-lived tokens (AKS: kubelogin and `--disable-local-accounts`), or by a bound service-account token (`kubectl create token SA --duration=1h`); remove the static token on the server."),
    entry!(MaxExposure Lifetime Error false None,
        check: &[Check::Exposure(max_exposure)],
        advice: Advice::FIX,
        summary: "someone holding this disk can get in for longer than the policy allows",
        what: "A context's exposure window as `kcred exposure` computes it (the kubeconfig's credentials plus the token caches linked to its user, refresh tokens counted with their assumed lifetimes, `--lifetime` overrides applied) ends more than `threshold` after `now`, never ends, or cannot be told (an unknown window fails it). Evaluated by `kcred exposure --policy`; `kcred check` reads no caches and does not run it. Off unless a threshold is set; `strict` sets `24h`.",
        why: "This is the stolen-laptop question for everything on the disk, not one credential: a 1-hour access token beside a 90-day refresh token lets a thief in for 90 days. A Conditional Access sign-in frequency or a shorter refresh-token lifetime is what bounds it; model it with `--lifetime`.",
        example: "rules:\n  max-exposure: { enabled: true, threshold: 24h }\n# kcred exposure --home /mnt/laptop --policy strict --fail-on error",
        fix: "Remove long-lived credentials and caches from the disk (`kubelogin remove-cache-dir`, `rm -r ~/.kube/cache`), use exec plugins whose sessions the identity provider bounds (Conditional Access sign-in frequency, short refresh-token lifetimes), and revoke what was exposed (`kcred exposure` lists how)."),
];

/// An auth-provider with a refresh token renews its cached token by itself: the
/// cached token running out is routine, not a finding (KC302 reports the refresh
/// token itself).
fn renews_itself(r: &CredentialRecord) -> bool {
    matches!(&r.credential, Credential::AuthProvider(a) if a.has_refresh_token)
}

fn expired(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    match c.status {
        ExpiryStatus::Expired { since } if !renews_itself(c.record) => Some(
            format!(
                "{} expired {} ago ({})",
                c.who,
                human_duration(since),
                c.end
            )
            .into(),
        ),
        _ => None,
    }
}

fn not_yet_valid(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let ExpiryStatus::NotYetValid { starts_in } = c.status else {
        return None;
    };
    let start = c
        .validity
        .and_then(|v| v.not_before)
        .map(rfc3339)
        .unwrap_or_default();
    Some(
        format!(
            "{} is not valid until {start} ({} from now)",
            c.who,
            human_duration(starts_in)
        )
        .into(),
    )
}

fn expiring_soon(c: &Cred<'_>, settings: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let ExpiryStatus::Valid { remaining } = c.status else {
        return None;
    };
    let t = settings.threshold.as_ref()?;
    if renews_itself(c.record) || remaining > t.duration() {
        return None;
    }
    Some(Hit {
        message: format!(
            "{} expires in {} ({}); policy warns within {t}",
            c.who,
            human_duration(remaining),
            c.end
        ),
        severity: settings
            .error_threshold
            .as_ref()
            .filter(|et| remaining <= et.duration())
            .map(|_| Severity::Error),
    })
}

fn max_lifetime(c: &Cred<'_>, settings: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let (t, v) = (settings.threshold.as_ref()?, c.validity?);
    let lifetime = v.lifetime().filter(|l| *l > t.duration())?;
    let start = v.not_before.map(rfc3339).unwrap_or_default();
    Some(
        format!(
            "{} is valid for {} in total ({start} to {}); policy allows at most {t}",
            c.who,
            human_duration(lifetime),
            c.end
        )
        .into(),
    )
}

fn max_remaining(c: &Cred<'_>, settings: &RuleSettings, now: OffsetDateTime) -> Option<Hit> {
    let t = settings.threshold.as_ref()?;
    let message = match c.status {
        ExpiryStatus::NeverExpires => format!("{} never expires; policy allows at most {t}", c.who),
        ExpiryStatus::Valid { .. } | ExpiryStatus::NotYetValid { .. } => {
            let left = c
                .validity
                .and_then(|v| v.remaining(now))
                .filter(|left| *left > t.duration())?;
            format!(
                "{} expires in {} ({}); policy allows at most {t}",
                c.who,
                human_duration(left),
                c.end
            )
        }
        _ => return None,
    };
    Some(message.into())
}

fn never_expires(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    if c.status != ExpiryStatus::NeverExpires {
        return None;
    }
    let detail = match &c.record.credential {
        Credential::ClientCertificate(_) => {
            "its notAfter is 9999-12-31T23:59:59Z, RFC 5280's no-expiry date"
        }
        _ => "it carries no exp claim",
    };
    Some(format!("{} never expires: {detail}", c.who).into())
}

/// Whether a certificate names a machine identity (node, control-plane component).
fn machine_certificate(c: &ClientCertificate) -> bool {
    c.certificate
        .as_ref()
        .and_then(|c| c.common_name.as_deref())
        .is_some_and(|cn| {
            cn.starts_with("system:node:")
                || cn.starts_with("system:kube-")
                || cn.starts_with("system:serviceaccount:")
        })
}

fn static_credential(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let person = match &c.record.credential {
        Credential::ClientCertificate(cc) => !machine_certificate(cc),
        Credential::Token(t) => {
            !matches!(
                t.info.format,
                TokenFormat::ServiceAccountLegacy | TokenFormat::ServiceAccountBound
            ) && t.info.service_account.is_none()
        }
        Credential::BasicAuth(_) => true,
        Credential::Exec(_) | Credential::AuthProvider(_) => false,
    };
    person.then(|| {
        format!(
            "{} is a static credential stored in the kubeconfig; policy requires exec plugins for people",
            c.who
        )
        .into()
    })
}

fn unknown_expiry(c: &Cred<'_>, _: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let Credential::Token(t) = &c.record.credential else {
        return None;
    };
    (t.info.format == TokenFormat::Opaque
        && t.source == DataSource::Inline
        && matches!(c.status, ExpiryStatus::Unknown { .. }))
    .then(|| format!("{} is an opaque token: its expiry is not in the token or the file, so it works until it is removed on the server", c.who).into())
}

/// KC009 over a context's exposure window as [`crate::exposure()`] computes it
/// (caches and refresh tokens counted): a window that ends more than the
/// threshold after `now` fails it, and so does one that never ends or cannot
/// be told.
fn max_exposure(x: &Exposed<'_>, settings: &RuleSettings, now: OffsetDateTime) -> Option<Hit> {
    let t = settings.threshold.as_ref()?;
    let window = match x.context.until {
        Until::At { at } => {
            let left = crate::expiry::span(now, at);
            if left <= t.duration() {
                return None;
            }
            format!("for {} more (until {})", human_duration(left), rfc3339(at))
        }
        Until::Never => "with no end (until a credential is revoked)".to_owned(),
        Until::Unbounded => "with no end (its rights mint credentials that outlive it)".to_owned(),
        Until::Unknown { at_least: Some(at) } => format!(
            "for a window no one can tell from the disk (at least until {})",
            rfc3339(at)
        ),
        Until::Unknown { at_least: None } => {
            "for a window no one can tell from the disk".to_owned()
        }
        Until::Expired { .. } | Until::NotUsable => return None,
    };
    Some(
        format!(
            "context {} lets whoever holds this disk in {window} through the {} ({}); policy allows at most {t}",
            x.context.context, x.by.what, x.by.source
        )
        .into(),
    )
}
