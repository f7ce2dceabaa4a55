//! `evaluate`: the inventory, the policy and `now` in; findings out, sorted.
//! Pure: no clock, no files, no environment.

use std::collections::BTreeMap;
use std::path::Path;

use time::OffsetDateTime;

use super::finding::{Finding, FindingLocation, Severity, Suppressed};
use super::model::{Policy, RuleSettings, Scope, Suppression};
use super::remediation::remediation;
use super::rules::rule;
use crate::credential::{
    ClientCertificate, ClusterRecord, Credential, CredentialKind, CredentialRecord, DataSource,
    Inventory,
};
use crate::error::Error;
use crate::expiry::{human_duration, ExpiryStatus};
use crate::exposure::{ContextExposure, Until};
use crate::platform::{detect_platform, Platform, PlatformHints};
use crate::report::rfc3339;
use crate::scan::ScanReport;
use crate::token::TokenFormat;

/// What a finding is about, for scopes, suppressions and its location.
struct Subject<'a> {
    file: &'a Path,
    line: Option<u32>,
    entry: Option<&'a str>,
    field: Option<&'a str>,
    user: Option<&'a str>,
    contexts: &'a [String],
    clusters: &'a [String],
    kind: Option<CredentialKind>,
    platform: Platform,
    service_account: bool,
}

impl<'a> Subject<'a> {
    fn of(r: &'a CredentialRecord) -> Self {
        Subject {
            file: &r.location.file,
            line: r.location.line,
            entry: r.location.entry.as_deref(),
            field: r.location.field.as_deref(),
            user: (!r.user.is_empty()).then_some(r.user.as_str()),
            contexts: &r.contexts,
            clusters: &r.clusters,
            kind: Some(r.kind()),
            platform: r.platform,
            service_account: matches!(&r.credential, Credential::Token(t) if t.info.service_account.is_some()),
        }
    }

    fn of_cluster(c: &'a ClusterRecord, names: &'a [String]) -> Self {
        Subject {
            file: &c.location.file,
            line: c.location.line,
            entry: c.location.entry.as_deref(),
            field: c.location.field.as_deref(),
            user: None,
            contexts: &c.contexts,
            clusters: names,
            kind: None,
            platform: detect_platform(&PlatformHints {
                server: c.server.as_deref(),
                context: c.contexts.first().map(String::as_str),
                ca_common_name: c.ca.first().and_then(|ca| ca.common_name.as_deref()),
                ..PlatformHints::default()
            }),
            service_account: false,
        }
    }
}

fn glob_matches(pattern: &str, value: &str) -> bool {
    glob::Pattern::new(pattern).is_ok_and(|p| p.matches(value))
}

fn dimension<'v>(patterns: &[String], values: impl Iterator<Item = &'v str> + Clone) -> bool {
    patterns.is_empty()
        || patterns
            .iter()
            .any(|p| values.clone().any(|v| glob_matches(p, v)))
}

impl Scope {
    fn matches(&self, s: &Subject<'_>) -> bool {
        let file = s.file.to_string_lossy();
        let file_name = s
            .file
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let files_ok = self.files.is_empty()
            || self.files.iter().any(|p| {
                glob_matches(p, &file) || (!p.contains('/') && glob_matches(p, &file_name))
            });
        files_ok
            && dimension(&self.contexts, s.contexts.iter().map(String::as_str))
            && dimension(&self.clusters, s.clusters.iter().map(String::as_str))
            && dimension(&self.users, s.user.into_iter())
            && (self.kinds.is_empty()
                || s.kind
                    .is_some_and(|k| self.kinds.iter().any(|n| n == k.name())))
    }
}

impl RuleSettings {
    fn covers(&self, s: &Subject<'_>) -> bool {
        self.enabled
            && self.include.as_ref().is_none_or(|i| i.matches(s))
            && !self.exclude.as_ref().is_some_and(|e| e.matches(s))
    }
}

impl Suppression {
    fn active(&self, now: OffsetDateTime) -> bool {
        self.expires.is_none_or(|end| now < end)
    }
}

struct Emitter<'p> {
    policy: &'p Policy,
    now: OffsetDateTime,
    out: Vec<Finding>,
}

impl Emitter<'_> {
    fn settings(&self, code: &str) -> Option<&RuleSettings> {
        self.policy.rules.get(code).filter(|s| s.enabled)
    }

    /// Records a finding when the rule is on and covers the subject.
    fn emit(&mut self, code: &str, s: &Subject<'_>, severity: Option<Severity>, message: String) {
        let (Some(rule), Some(settings)) = (rule(code), self.policy.rules.get(code)) else {
            return;
        };
        if !settings.covers(s) {
            return;
        }
        let suppressed = self
            .policy
            .suppressions
            .iter()
            .filter(|sup| sup.active(self.now))
            .find(|sup| (sup.rule == "*" || sup.rule == rule.code) && sup.scope.matches(s))
            .map(|sup| Suppressed {
                reason: sup.reason.clone(),
                expires: sup.expires.map(rfc3339),
            });
        self.out.push(Finding {
            code: rule.code,
            name: rule.name,
            severity: severity.unwrap_or(settings.severity),
            location: FindingLocation {
                file: s.file.to_path_buf(),
                line: s.line,
                context: s.contexts.first().cloned(),
                user: s.user.map(str::to_owned),
                cluster: s.clusters.first().cloned(),
                entry: s.entry.map(str::to_owned),
                field: s.field.map(str::to_owned),
            },
            kind: s.kind,
            message,
            remediation: remediation(rule.code, s.platform, s.kind, s.service_account),
            platform: s.platform,
            suppressed,
        });
    }
}

/// Checks every credential, cluster and problem of `inventory` against `policy`
/// at `now`.
///
/// Findings are sorted by file, line, user, context, code, field and message, so
/// the same input always gives the same output. Suppressed findings are kept,
/// marked with [`Finding::suppressed`]; [`crate::worst_severity`] ignores them.
///
/// ```
/// use kcred_core::{evaluate, Inventory, Policy};
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC); // fixed, never the clock
/// assert!(evaluate(&Inventory::default(), &Policy::default(), now).is_empty());
/// ```
pub fn evaluate(inventory: &Inventory, policy: &Policy, now: OffsetDateTime) -> Vec<Finding> {
    let mut e = Emitter {
        policy,
        now,
        out: Vec::new(),
    };
    for r in &inventory.credentials {
        credential_rules(&mut e, r);
    }
    token_and_basic_auth(&mut e, inventory);
    for c in &inventory.clusters {
        let names = [c.name.clone()];
        let s = Subject::of_cluster(c, &names);
        if c.insecure_skip_tls_verify {
            e.emit(
                "KC401",
                &s,
                None,
                format!(
                    "cluster {} does not verify the API server's certificate (insecure-skip-tls-verify: true)",
                    c.name
                ),
            );
        }
        if let Some(DataSource::File(path)) = &c.ca_source {
            e.emit(
                "KC402",
                &s,
                None,
                format!(
                    "cluster {} reads its CA from the file {}",
                    c.name,
                    path.display()
                ),
            );
        }
    }
    for p in &inventory.problems {
        problem(&mut e, p);
    }
    for sup in &policy.suppressions {
        if !sup.active(now) {
            let s = Subject {
                file: &sup.at.file,
                line: sup.at.line,
                entry: sup.at.entry.as_deref(),
                field: None,
                user: None,
                contexts: &[],
                clusters: &[],
                kind: None,
                platform: Platform::Generic,
                service_account: false,
            };
            let until = sup.expires.map(rfc3339).unwrap_or_default();
            e.emit(
                "KC910",
                &s,
                None,
                format!(
                    "suppression of {} (\"{}\") expired at {until}; it no longer suppresses anything",
                    sup.rule, sup.reason
                ),
            );
        }
    }
    let mut out = e.out;
    sort_findings(&mut out);
    out
}

/// File, line, user, context, code, field, message: the same input always gives
/// the same order.
fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.location.file.clone(),
                f.location.line,
                f.location.user.clone(),
                f.location.context.clone(),
                f.code,
                f.location.field.clone(),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
}

/// KC009 (max-exposure) over each context's exposure window as
/// [`crate::exposure()`] computes it (caches and refresh tokens counted). A window
/// that ends more than the rule's threshold after `now` fails it, and so does
/// one that never ends or cannot be told. Nothing when the rule is off or has
/// no threshold. Sorted like [`evaluate`].
///
/// ```
/// use kcred_core::{evaluate_exposure, Policy};
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// assert!(evaluate_exposure(&[], &Policy::preset("strict").unwrap(), now).is_empty());
/// ```
pub fn evaluate_exposure(
    contexts: &[ContextExposure],
    policy: &Policy,
    now: OffsetDateTime,
) -> Vec<Finding> {
    let mut e = Emitter {
        policy,
        now,
        out: Vec::new(),
    };
    let Some(t) = e.settings("KC009").and_then(|s| s.threshold.clone()) else {
        return Vec::new();
    };
    for c in contexts {
        let window = match c.until {
            Until::At { at } => {
                let left = crate::expiry::span(now, at);
                if left <= t.duration() {
                    continue;
                }
                format!("for {} more (until {})", human_duration(left), rfc3339(at))
            }
            Until::Never => "with no end (until a credential is revoked)".to_owned(),
            Until::Unknown { at_least: Some(at) } => format!(
                "for a window no one can tell from the disk (at least until {})",
                rfc3339(at)
            ),
            Until::Unknown { at_least: None } => {
                "for a window no one can tell from the disk".to_owned()
            }
            Until::Expired { .. } | Until::NotUsable => continue,
        };
        // The credential that sets the window: the one whose own window is the
        // context's, else the first usable one.
        let usable = c.credentials.iter().filter(|x| x.until.is_usable());
        let Some(by) = usable
            .clone()
            .find(|x| {
                x.until == c.until
                    || matches!(
                        (x.until, c.until),
                        (Until::Unknown { .. }, Until::Unknown { .. })
                    )
            })
            .or_else(|| usable.clone().next())
        else {
            continue;
        };
        let contexts = [c.context.clone()];
        let clusters: Vec<String> = c.cluster.iter().cloned().collect();
        let s = Subject {
            file: &by.location.file,
            line: by.location.line,
            entry: by.location.entry.as_deref(),
            field: by.location.field.as_deref(),
            user: (!c.user.is_empty()).then_some(c.user.as_str()),
            contexts: &contexts,
            clusters: &clusters,
            kind: None,
            platform: c.platform,
            service_account: false,
        };
        e.emit(
            "KC009",
            &s,
            None,
            format!(
                "context {} lets whoever holds this disk in {window} through the {} ({}); policy allows at most {t}",
                c.context, by.what, by.source
            ),
        );
    }
    let mut out = e.out;
    sort_findings(&mut out);
    out
}

/// [`evaluate`] for what `kcred scan` found in a tree: every rule, plus KC501
/// (credential-in-repository) for each credential whose secret part is in the
/// file and that has not expired.
///
/// ```
/// use kcred_core::{evaluate_repository, Inventory, Policy};
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// assert!(evaluate_repository(&Inventory::default(), &Policy::default(), now).is_empty());
/// ```
pub fn evaluate_repository(
    inventory: &Inventory,
    policy: &Policy,
    now: OffsetDateTime,
) -> Vec<Finding> {
    let mut e = Emitter {
        policy,
        now,
        out: evaluate(inventory, policy, now),
    };
    for r in &inventory.credentials {
        let Some(secret) = secret_part(r) else {
            continue;
        };
        let until = match r.status(now) {
            ExpiryStatus::Expired { .. } => continue,
            ExpiryStatus::Valid { remaining } => format!("for {} more", human_duration(remaining)),
            ExpiryStatus::NeverExpires => "with no expiry".to_owned(),
            ExpiryStatus::NotYetValid { .. } => "once its validity starts".to_owned(),
            ExpiryStatus::Unknown { .. } => {
                "until it is revoked (its expiry is not in the file)".to_owned()
            }
        };
        let s = Subject::of(r);
        e.emit(
            "KC501",
            &s,
            None,
            format!(
                "{} is in the tree with its {secret}; anyone who can read it can use it {until}",
                what(r)
            ),
        );
    }
    let mut out = e.out;
    sort_findings(&mut out);
    out
}

/// [`evaluate_repository`] for a whole [`ScanReport`]: also KC905
/// (credential-unreadable) for each input that looks like a credential but
/// could not be fully read or parsed.
///
/// ```
/// use kcred_core::{evaluate_scan, Location, Policy, ScanReport, Unreadable};
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let mut report = ScanReport::default();
/// report.unreadable.push(Unreadable {
///     location: Location::file("deploy/kubeconfig"),
///     looks_like: "a kubeconfig (kind: Config)".into(),
///     reason: "larger than 16777216 bytes".into(),
/// });
/// let findings = evaluate_scan(&report, &Policy::default(), now);
/// assert_eq!(findings[0].code, "KC905");
/// ```
pub fn evaluate_scan(report: &ScanReport, policy: &Policy, now: OffsetDateTime) -> Vec<Finding> {
    let mut e = Emitter {
        policy,
        now,
        out: evaluate_repository(&report.inventory, policy, now),
    };
    for u in &report.unreadable {
        let s = Subject {
            file: &u.location.file,
            line: u.location.line,
            entry: u.location.entry.as_deref(),
            field: u.location.field.as_deref(),
            user: None,
            contexts: &[],
            clusters: &[],
            kind: None,
            platform: Platform::Generic,
            service_account: false,
        };
        e.emit(
            "KC905",
            &s,
            None,
            format!(
                "looks like {} but was not read: {}; any credential in it was not checked",
                u.looks_like, u.reason
            ),
        );
    }
    let mut out = e.out;
    sort_findings(&mut out);
    out
}

/// The secret a record carries in the file, if any (a certificate alone is public).
fn secret_part(r: &CredentialRecord) -> Option<&'static str> {
    match &r.credential {
        Credential::ClientCertificate(c) if c.key_source == Some(DataSource::Inline) => {
            Some("private key")
        }
        Credential::Token(t) if t.source == DataSource::Inline => Some("token"),
        Credential::BasicAuth(b) if b.has_password => Some("password"),
        Credential::AuthProvider(a) if a.has_refresh_token => Some("refresh token"),
        Credential::AuthProvider(a) if a.id_token.is_some() || a.access_token.is_some() => {
            Some("cached token")
        }
        _ => None,
    }
}

/// "client certificate for user admin".
fn what(r: &CredentialRecord) -> String {
    let noun = match &r.credential {
        Credential::ClientCertificate(_) => "client certificate".to_owned(),
        Credential::Token(t) => match t.info.format {
            TokenFormat::ServiceAccountLegacy => "legacy service-account token".to_owned(),
            TokenFormat::ServiceAccountBound => "bound service-account token".to_owned(),
            TokenFormat::EksPresigned => "EKS token".to_owned(),
            TokenFormat::OpenShiftOAuth => "OpenShift OAuth token".to_owned(),
            TokenFormat::BootstrapToken => "bootstrap token".to_owned(),
            TokenFormat::Jwt | TokenFormat::Opaque => "static token".to_owned(),
        },
        Credential::BasicAuth(_) => "basic-auth password".to_owned(),
        Credential::Exec(x) => format!("exec plugin {}", x.command),
        Credential::AuthProvider(a) => format!("{} auth-provider token", a.name),
    };
    // Records found outside a kubeconfig user entry (a certificate file of a
    // control plane, a Secret in a manifest) have no user: the entry names them.
    match (r.user.is_empty(), r.location.entry.as_deref()) {
        (true, Some(entry)) => {
            let noun = match &r.credential {
                Credential::ClientCertificate(cc)
                    if cc.certificate.as_ref().is_some_and(|c| c.is_ca) =>
                {
                    "CA certificate".to_owned()
                }
                Credential::ClientCertificate(_) => "certificate".to_owned(),
                _ => noun,
            };
            format!("{noun} {entry}")
        }
        _ => format!("{noun} for user {}", r.user),
    }
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

/// An auth-provider with a refresh token renews its cached token by itself: the
/// cached token running out is routine, not a finding (KC302 reports the refresh
/// token itself).
fn renews_itself(r: &CredentialRecord) -> bool {
    matches!(&r.credential, Credential::AuthProvider(a) if a.has_refresh_token)
}

fn credential_rules(e: &mut Emitter<'_>, r: &CredentialRecord) {
    let s = Subject::of(r);
    let who = what(r);
    let status = r.status(e.now);
    let validity = r.validity();
    let end = validity
        .and_then(|v| v.not_after)
        .map(rfc3339)
        .unwrap_or_default();

    match status {
        ExpiryStatus::Expired { .. } | ExpiryStatus::Valid { .. } if renews_itself(r) => {}
        ExpiryStatus::Expired { since } => e.emit(
            "KC001",
            &s,
            None,
            format!("{who} expired {} ago ({end})", human_duration(since)),
        ),
        ExpiryStatus::NotYetValid { starts_in } => {
            let start = validity
                .and_then(|v| v.not_before)
                .map(rfc3339)
                .unwrap_or_default();
            e.emit(
                "KC002",
                &s,
                None,
                format!(
                    "{who} is not valid until {start} ({} from now)",
                    human_duration(starts_in)
                ),
            )
        }
        ExpiryStatus::Valid { remaining } => {
            if let Some(settings) = e.settings("KC003") {
                if let Some(t) = settings.threshold.clone() {
                    if remaining <= t.duration() {
                        let severity = settings
                            .error_threshold
                            .as_ref()
                            .filter(|et| remaining <= et.duration())
                            .map(|_| Severity::Error);
                        e.emit(
                            "KC003",
                            &s,
                            severity,
                            format!(
                                "{who} expires in {} ({end}); policy warns within {t}",
                                human_duration(remaining)
                            ),
                        );
                    }
                }
            }
        }
        ExpiryStatus::NeverExpires => {
            let detail = match &r.credential {
                Credential::ClientCertificate(_) => {
                    "its notAfter is 9999-12-31T23:59:59Z, RFC 5280's no-expiry date"
                }
                _ => "it carries no exp claim",
            };
            e.emit("KC006", &s, None, format!("{who} never expires: {detail}"));
        }
        ExpiryStatus::Unknown { .. } => {}
    }

    if let (Some(settings), Some(v)) = (e.settings("KC004"), validity) {
        if let (Some(t), Some(lifetime)) = (settings.threshold.clone(), v.lifetime()) {
            if lifetime > t.duration() {
                let start = v.not_before.map(rfc3339).unwrap_or_default();
                e.emit(
                    "KC004",
                    &s,
                    None,
                    format!(
                        "{who} is valid for {} in total ({start} to {end}); policy allows at most {t}",
                        human_duration(lifetime)
                    ),
                );
            }
        }
    }

    if let Some(t) = e.settings("KC005").and_then(|s| s.threshold.clone()) {
        let message = match status {
            ExpiryStatus::NeverExpires => {
                Some(format!("{who} never expires; policy allows at most {t}"))
            }
            ExpiryStatus::Valid { .. } | ExpiryStatus::NotYetValid { .. } => validity
                .and_then(|v| v.remaining(e.now))
                .filter(|left| *left > t.duration())
                .map(|left| {
                    format!(
                        "{who} expires in {} ({end}); policy allows at most {t}",
                        human_duration(left)
                    )
                }),
            _ => None,
        };
        if let Some(message) = message {
            e.emit("KC005", &s, None, message);
        }
    }

    match &r.credential {
        Credential::ClientCertificate(c) => certificate_rules(e, r, &s, c, &who),
        Credential::Token(t) => {
            if t.info.format == TokenFormat::Opaque
                && t.source == DataSource::Inline
                && matches!(status, ExpiryStatus::Unknown { .. })
            {
                e.emit(
                    "KC008",
                    &s,
                    None,
                    format!("{who} is an opaque token: its expiry is not in the token or the file, so it works until it is removed on the server"),
                );
            }
            let machine = matches!(
                t.info.format,
                TokenFormat::ServiceAccountLegacy | TokenFormat::ServiceAccountBound
            ) || t.info.service_account.is_some();
            if !machine {
                e.emit(
                    "KC007",
                    &s,
                    None,
                    format!("{who} is a static credential stored in the kubeconfig; policy requires exec plugins for people"),
                );
            }
            if let DataSource::File(path) = &t.source {
                e.emit(
                    "KC402",
                    &s,
                    None,
                    format!("{who} is read from the file {}", path.display()),
                );
            }
        }
        Credential::BasicAuth(_) => {
            e.emit(
                "KC007",
                &s,
                None,
                format!("{who} is a static credential stored in the kubeconfig; policy requires exec plugins for people"),
            );
            e.emit(
                "KC201",
                &s,
                None,
                format!("user {} authenticates with a username and password; Kubernetes removed basic auth in 1.19", r.user),
            );
        }
        Credential::Exec(x) => {
            if let Some(allow) = e.settings("KC303").and_then(|s| s.allow.clone()) {
                let base = Path::new(&x.command)
                    .file_name()
                    .map(|b| b.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let allowed = allow
                    .iter()
                    .any(|p| glob_matches(p, &x.command) || glob_matches(p, &base));
                if !allowed {
                    e.emit(
                        "KC303",
                        &s,
                        None,
                        format!(
                            "user {} runs exec plugin {:?}, which is not on the allowlist ({})",
                            r.user,
                            x.command,
                            allow.join(", ")
                        ),
                    );
                }
            }
            if x.api_version.as_deref() == Some("client.authentication.k8s.io/v1")
                && x.interactive_mode.is_none()
            {
                e.emit(
                    "KC304",
                    &s,
                    None,
                    format!(
                        "exec block of user {} uses client.authentication.k8s.io/v1 without interactiveMode, which kubectl rejects",
                        r.user
                    ),
                );
            }
        }
        Credential::AuthProvider(a) => {
            if let Some(version) = a.removed_in {
                e.emit(
                    "KC301",
                    &s,
                    None,
                    format!(
                        "user {} uses the {} auth-provider, removed from client-go in Kubernetes {version}",
                        r.user, a.name
                    ),
                );
            }
            if a.has_refresh_token {
                e.emit(
                    "KC302",
                    &s,
                    None,
                    format!(
                        "the {} auth-provider of user {} stores a refresh token in the kubeconfig",
                        a.name, r.user
                    ),
                );
            }
        }
    }
}

fn certificate_rules(
    e: &mut Emitter<'_>,
    r: &CredentialRecord,
    s: &Subject<'_>,
    c: &ClientCertificate,
    who: &str,
) {
    if !machine_certificate(c) {
        e.emit(
            "KC007",
            s,
            None,
            format!("{who} is a static credential stored in the kubeconfig; policy requires exec plugins for people"),
        );
    }
    if r.is_system_masters() {
        let cn = c
            .certificate
            .as_ref()
            .and_then(|c| c.common_name.as_deref())
            .unwrap_or("");
        e.emit(
            "KC101",
            s,
            None,
            format!(
                "{who} (CN={cn}) is in group system:masters: RBAC cannot limit it and only a CA rotation revokes it"
            ),
        );
    }
    let mut weak = Vec::new();
    for cert in c.certificate.iter().chain(c.chain.iter()) {
        let key = &cert.key;
        if matches!(key.algorithm.as_str(), "RSA" | "DSA") && key.bits.is_some_and(|b| b < 2048) {
            weak.push(format!(
                "a {}-bit {} key",
                key.bits.unwrap_or(0),
                key.algorithm
            ));
        }
        if cert.has_weak_signature() {
            weak.push(format!("a {} signature", cert.signature_algorithm));
        }
    }
    if !weak.is_empty() {
        weak.dedup();
        e.emit(
            "KC102",
            s,
            None,
            format!("{who} has {}", weak.join(" and ")),
        );
    }
    if c.key_matches == Some(false) {
        e.emit(
            "KC103",
            s,
            None,
            format!(
                "the private key of user {} does not belong to its client certificate",
                r.user
            ),
        );
    }
    if c.signed_by_cluster_ca == Some(false) {
        e.emit(
            "KC104",
            s,
            None,
            format!(
                "{who} is not signed by the CA of cluster {}",
                r.clusters.join(", ")
            ),
        );
    }
    let files: Vec<String> = [&Some(c.source.clone()), &c.key_source]
        .into_iter()
        .flatten()
        .filter_map(|src| match src {
            DataSource::File(p) => Some(p.display().to_string()),
            DataSource::Inline => None,
        })
        .collect();
    if !files.is_empty() {
        e.emit(
            "KC402",
            s,
            None,
            format!("{who} is read from the file(s) {}", files.join(", ")),
        );
    }
}

/// KC202: a user entry with a token and basic auth (client-go refuses it).
fn token_and_basic_auth(e: &mut Emitter<'_>, inventory: &Inventory) {
    let mut by_user: BTreeMap<(&Path, &str), (Option<&CredentialRecord>, bool)> = BTreeMap::new();
    for r in &inventory.credentials {
        let slot = by_user
            .entry((r.location.file.as_path(), r.user.as_str()))
            .or_default();
        match r.kind() {
            CredentialKind::Token => slot.0 = slot.0.or(Some(r)),
            CredentialKind::BasicAuth => slot.1 = true,
            _ => {}
        }
    }
    for (token, basic) in by_user.into_values() {
        if let (Some(r), true) = (token, basic) {
            let mut s = Subject::of(r);
            s.field = None;
            s.kind = None;
            e.emit(
                "KC202",
                &s,
                None,
                format!(
                    "user {} has both a token and a username/password; client-go refuses more than one authentication method",
                    r.user
                ),
            );
        }
    }
}

fn problem(e: &mut Emitter<'_>, p: &Error) {
    let code = match p.kind() {
        "io" | "not-regular-file" | "too-large" | "not-utf8" | "no-kubeconfig" => "KC901",
        "syntax" | "duplicate-name" | "missing-reference" | "bad-policy" => "KC902",
        "missing-file" => "KC904",
        _ => "KC903",
    };
    let empty = crate::error::Location::default();
    let at = p.location().unwrap_or(&empty);
    let full = p.to_string();
    let prefix = format!("{at}: ");
    let message = full.strip_prefix(&prefix).unwrap_or(&full).to_owned();
    let user = at
        .entry
        .as_deref()
        .and_then(|e| e.strip_prefix("users["))
        .and_then(|e| e.strip_suffix(']'));
    let s = Subject {
        file: &at.file,
        line: at.line,
        entry: at.entry.as_deref(),
        field: at.field.as_deref(),
        user,
        contexts: &[],
        clusters: &[],
        kind: None,
        platform: Platform::Generic,
        service_account: false,
    };
    e.emit(code, &s, None, message);
}
