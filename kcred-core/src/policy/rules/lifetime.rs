//! KC0xx: lifetime and kind, for any credential.

use super::prelude::*;
use crate::credential::{ClientCertificate, Credential, CredentialRecord, DataSource};
use crate::expiry::{human_duration, ExpiryStatus};
use crate::exposure::Until;
use crate::policy::subject::Exposed;
use crate::policy::{Severity, Threshold};
use crate::report::rfc3339;
use crate::token::TokenFormat;

/// The documentation of the rules below (see `doc.rs`).
const DOCS: &str = include_str!("lifetime.md");

pub(super) const RULES: &[Rule] = &[
    entry!(Expired Lifetime Error true None, &[Check::Held(expired)], Advice::lifetime(Situation::Renewal)),
    entry!(NotYetValid Lifetime Error true None, &[Check::Held(not_yet_valid)], Advice::FIX),
    entry!(ExpiringSoon Lifetime Warning true Some("30d"), &[Check::Credential(expiring_soon)], Advice::lifetime(Situation::Renewal)),
    entry!(MaxLifetime Lifetime Warning false None, &[Check::Credential(max_lifetime)], Advice::LIFETIME),
    entry!(MaxRemaining Lifetime Error false None, &[Check::Credential(max_remaining)], Advice::LIFETIME),
    entry!(NeverExpires Lifetime Error true None, &[Check::Credential(never_expires)], Advice::LIFETIME),
    entry!(StaticCredential Lifetime Error false None, &[Check::Credential(static_credential)], Advice::lifetime(Situation::StaticForPeople)),
    entry!(UnknownExpiry Lifetime Warning true None, &[Check::Credential(unknown_expiry)], Advice::LIFETIME),
    entry!(MaxExposure Lifetime Error false None, &[Check::Exposure(max_exposure)], Advice::FIX),
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
    // A share of lifetime (`33%`) needs the lifetime: a credential without a
    // known start is not checked by it.
    let lifetime = c.validity.and_then(|v| v.lifetime());
    let limit = t.limit(lifetime)?;
    if renews_itself(c.record) || remaining > limit {
        return None;
    }
    let within = match (t, lifetime) {
        (Threshold::Share(_), Some(l)) => format!(
            "{t} of its {} lifetime ({})",
            human_duration(l),
            human_duration(limit)
        ),
        _ => t.to_string(),
    };
    Some(Hit {
        message: format!(
            "{} expires in {} ({}); policy warns within {within}",
            c.who,
            human_duration(remaining),
            c.end
        ),
        severity: settings
            .error_threshold
            .as_ref()
            .and_then(|et| et.limit(lifetime))
            .filter(|limit| remaining <= *limit)
            .map(|_| Severity::Error),
    })
}

fn max_lifetime(c: &Cred<'_>, settings: &RuleSettings, _: OffsetDateTime) -> Option<Hit> {
    let (t, v) = (settings.threshold.as_ref()?.duration()?, c.validity?);
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
    let t = settings.threshold.as_ref()?.duration()?;
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
        Credential::Exec(_) | Credential::AuthProvider(_) | Credential::None => false,
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
    let t = settings.threshold.as_ref()?.duration()?;
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
