//! `evaluate`: the inventory, the policy and `now` in; findings out, sorted.
//! Pure: no clock, no files, no environment. The subjects are built once; each
//! enabled rule of the registry runs its checks over the subjects it covers.

use time::OffsetDateTime;

use super::finding::{Finding, FindingLocation};
use super::model::{Policy, RuleSettings, Suppression};
use super::remediation::remediation;
use super::rules::{Check, Hit, Rule, RULES};
use super::subject::{Of, Subject, Subjected, Subjects};
use crate::credential::Inventory;
use crate::exposure::ContextExposure;
use crate::report::rfc3339;
use crate::scan::ScanReport;

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
    run(
        &Subjects::of_inventory(inventory, &policy.suppressions, now),
        policy,
        now,
    )
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
    run(&Subjects::of_exposure(contexts), policy, now)
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
    let subjects = Subjects {
        committed: true,
        ..Subjects::of_inventory(inventory, &policy.suppressions, now)
    };
    run(&subjects, policy, now)
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
/// assert_eq!(findings[0].code, kcred_core::Code::CredentialUnreadable);
/// ```
pub fn evaluate_scan(report: &ScanReport, policy: &Policy, now: OffsetDateTime) -> Vec<Finding> {
    let subjects = Subjects {
        committed: true,
        unreadable: Subjects::of_unreadable(&report.unreadable),
        private_keys: Subjects::of_private_keys(&report.private_keys),
        ..Subjects::of_inventory(&report.inventory, &policy.suppressions, now)
    };
    run(&subjects, policy, now)
}

/// Runs every enabled rule over the subjects it covers, then sorts.
fn run(subjects: &Subjects<'_>, policy: &Policy, now: OffsetDateTime) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES {
        let Some(settings) = policy.rules.get(&rule.code).filter(|s| s.enabled) else {
            continue;
        };
        let mut e = Emitter {
            rule,
            settings,
            suppressions: &subjects.suppressions,
            now,
            out: &mut out,
        };
        for check in rule.checks {
            match *check {
                Check::Credential(f) => e.each(&subjects.credentials, f),
                Check::Committed(f) if subjects.committed => e.each(&subjects.credentials, f),
                Check::Committed(_) => {}
                Check::Held(f) if !subjects.committed => e.each(&subjects.credentials, f),
                Check::Held(_) => {}
                Check::PrivateKey(f) => e.each(&subjects.private_keys, f),
                Check::User(f) => e.each(&subjects.users, f),
                Check::Cluster(f) => e.each(&subjects.clusters, f),
                Check::Problem(f) => e.each(&subjects.problems, f),
                Check::Suppression(f) => e.each(&subjects.suppressions, f),
                Check::Unreadable(f) => e.each(&subjects.unreadable, f),
                Check::Exposure(f) => e.each(&subjects.exposure, f),
            }
        }
    }
    sort_findings(&mut out);
    out
}

/// One rule's run: it records a finding for each subject the rule covers and
/// its check fires on.
struct Emitter<'r> {
    rule: &'static Rule,
    settings: &'r RuleSettings,
    suppressions: &'r [Of<'r, Suppression>],
    now: OffsetDateTime,
    out: &'r mut Vec<Finding>,
}

impl Emitter<'_> {
    fn each<T: Subjected>(
        &mut self,
        items: &[T],
        check: impl Fn(&T, &RuleSettings, OffsetDateTime) -> Option<Hit>,
    ) {
        for item in items {
            let s = item.subject();
            if self.settings.covers(s) {
                if let Some(hit) = check(item, self.settings, self.now) {
                    self.emit(s, hit);
                }
            }
        }
    }

    fn emit(&mut self, s: &Subject<'_>, hit: Hit) {
        let rule = self.rule;
        let suppressed = self
            .suppressions
            .iter()
            .map(|sup| sup.item)
            .filter(|sup| sup.active(self.now))
            .find(|sup| sup.covers(rule.code, s))
            .map(|sup| super::finding::Suppressed {
                reason: sup.reason.clone(),
                expires: sup.expires.map(rfc3339),
            });
        self.out.push(Finding {
            code: rule.code,
            severity: hit.severity.unwrap_or(self.settings.severity),
            location: FindingLocation {
                file: s.file.to_path_buf(),
                line: s.line,
                column: s.column,
                context: s.contexts.first().cloned(),
                user: s.user.map(str::to_owned),
                cluster: s.clusters.first().cloned(),
                entry: s.entry.map(str::to_owned),
                field: s.field.map(str::to_owned),
            },
            kind: s.kind,
            message: hit.message,
            remediation: remediation(rule, s.platform, s.kind, s.service_account, s.user),
            platform: s.platform,
            suppressed,
        });
    }
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
