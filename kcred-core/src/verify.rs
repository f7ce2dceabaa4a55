//! Which CA signed a certificate, asked of whole bundles at bounded cost.
//!
//! A cluster's CA bundle and a user's certificate bundle are indexed by subject
//! Name once; a certificate's candidate issuers are the entries whose subject
//! Name is its issuer Name (and whose subject key identifier is its authority
//! key identifier when both have one), so no signature is checked against a
//! certificate that cannot be the issuer. Each (certificate, CA) verdict is
//! computed once per run, and a run has a budget of signature checks
//! ([`Limits::max_signature_checks`]): checks past it are not made, the verdicts
//! they decide stay unknown and one [`Error::LimitReached`] says so.
//!
//! Workers of a parallel inventory each have a [`Verifier`] drawing on one
//! shared [`Pool`] of checks, which no race can overdraw; their verdicts and
//! counts are then absorbed into the run's verifier.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use crate::error::{Error, Location};
use crate::kubeconfig::Limits;
use crate::x509::CertificateInfo;

/// Budget added for each client certificate examined (leaf or intermediate):
/// a legitimate one needs about one check per cluster CA, two per chain link.
const CHECKS_PER_CERTIFICATE: u64 = 4;

/// A bundle indexed by subject Name, each distinct certificate once.
#[derive(Debug, Default)]
pub(crate) struct Issuers {
    /// Positions in the bundle, in bundle order, by encoded subject Name.
    by_subject: HashMap<Box<[u8]>, Vec<usize>>,
    /// Positions of certificates whose Name is unknown (shape not found): they
    /// are candidates for every child.
    unnamed: Vec<usize>,
    /// Every indexed position, in bundle order: the candidates of a child whose
    /// issuer Name is unknown.
    all: Vec<usize>,
}

impl Issuers {
    /// Indexes `bundle` (one pass; duplicates by fingerprint are left out).
    pub(crate) fn new(bundle: &[CertificateInfo]) -> Self {
        let mut index = Issuers::default();
        let mut seen = HashSet::new();
        for (i, cert) in bundle.iter().enumerate() {
            if !seen.insert(cert.sha256_fingerprint.as_str()) {
                continue;
            }
            index.all.push(i);
            match cert.subject_name() {
                Some(name) => index.by_subject.entry(name.into()).or_default().push(i),
                None => index.unnamed.push(i),
            }
        }
        index
    }

    /// The entries of `bundle` (the one indexed) that may have issued `child`,
    /// in bundle order.
    fn candidates<'b>(
        &self,
        bundle: &'b [CertificateInfo],
        child: &CertificateInfo,
    ) -> Vec<&'b CertificateInfo> {
        let mut positions: Vec<usize> = match child.issuer_name() {
            None => self.all.clone(),
            Some(name) => {
                let named = self.by_subject.get(name).map_or(&[][..], Vec::as_slice);
                let mut p = Vec::with_capacity(named.len() + self.unnamed.len());
                p.extend_from_slice(named);
                p.extend_from_slice(&self.unnamed);
                if !self.unnamed.is_empty() {
                    p.sort_unstable();
                }
                p
            }
        };
        positions.retain(|i| bundle.get(*i).is_some_and(|c| child.may_be_issued_by(c)));
        positions.iter().filter_map(|i| bundle.get(*i)).collect()
    }

    /// Whether `bundle` (the one indexed) holds `cert` itself.
    fn contains(&self, bundle: &[CertificateInfo], cert: &CertificateInfo) -> bool {
        let same = |i: &usize| {
            bundle
                .get(*i)
                .is_some_and(|c| c.sha256_fingerprint == cert.sha256_fingerprint)
        };
        match cert.subject_name() {
            Some(name) => {
                let named = self.by_subject.get(name).map_or(&[][..], Vec::as_slice);
                named.iter().any(same) || self.unnamed.iter().any(same)
            }
            None => self.all.iter().any(same),
        }
    }
}

/// A (certificate, issuer) pair by SHA-256 fingerprint.
type PairKey = ([u8; 32], [u8; 32]);

/// Checks that parallel workers may make between them: each is taken with one
/// atomic step that never goes below zero, so the workers together make at
/// most the pool's size, however they are scheduled.
#[derive(Debug)]
pub(crate) struct Pool {
    left: AtomicU64,
    /// Set when a worker wanted a check the pool no longer had.
    refused: AtomicBool,
}

impl Pool {
    /// Takes one check; `false` (and the pool marked refused) when none is left.
    fn take(&self) -> bool {
        if self.refused.load(Ordering::Relaxed) {
            return false;
        }
        let taken = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| l.checked_sub(1))
            .is_ok();
        if !taken {
            self.refused.store(true, Ordering::Relaxed);
        }
        taken
    }

    /// Whether a worker was refused a check (then its results are not kept).
    pub(crate) fn refused(&self) -> bool {
        self.refused.load(Ordering::Relaxed)
    }
}

/// The signature checks of one run: verdicts cached by fingerprint pair, counted
/// and budgeted.
#[derive(Debug)]
pub(crate) struct Verifier {
    verdicts: HashMap<PairKey, bool>,
    checks: u64,
    budget: u64,
    /// The first certificate whose verdict the budget left unknown, and how many.
    undecided: Option<(Location, u64)>,
    /// A worker's shared pool: checks are taken from it, not from `budget`.
    pool: Option<Arc<Pool>>,
    /// Checks made of pairs that have no cache key (counted, never cached).
    keyless: u64,
}

impl Verifier {
    /// A run with the budget floor of `limits`.
    pub(crate) fn new(limits: &Limits) -> Self {
        Verifier {
            verdicts: HashMap::new(),
            checks: 0,
            budget: limits.max_signature_checks,
            undecided: None,
            pool: None,
            keyless: 0,
        }
    }

    /// The pool of checks for workers that run beside each other now: what this
    /// run's budget has left before any of the workers' own certificates are
    /// admitted. Whatever order the workers check in, a sequential run of the
    /// same users would make no more checks than the workers did together
    /// (each worker's verdict cache is a part of the run's), so when no worker
    /// was refused, the sequential run would not have been either, and the
    /// workers' verdicts are the sequential ones.
    pub(crate) fn pool(&self) -> Arc<Pool> {
        Arc::new(Pool {
            left: AtomicU64::new(self.budget.saturating_sub(self.checks)),
            refused: AtomicBool::new(false),
        })
    }

    /// A worker's verifier: checks come from `pool`, admitted budget is counted
    /// for [`Self::absorb`].
    pub(crate) fn worker(pool: Arc<Pool>) -> Self {
        Verifier {
            verdicts: HashMap::new(),
            checks: 0,
            budget: 0,
            undecided: None,
            pool: Some(pool),
            keyless: 0,
        }
    }

    /// Takes in a worker's verdicts, its admitted budget and the checks a
    /// sequential run would have counted (a pair verdict once, however many
    /// workers computed it). Only for workers whose pool refused nothing.
    pub(crate) fn absorb(&mut self, worker: Verifier) {
        self.budget = self.budget.saturating_add(worker.budget);
        self.checks = self.checks.saturating_add(worker.keyless);
        for (key, verdict) in worker.verdicts {
            if self.verdicts.insert(key, verdict).is_none() {
                self.checks = self.checks.saturating_add(1);
            }
        }
    }

    /// Grows the budget for `certificates` more client certificates examined.
    pub(crate) fn admit(&mut self, certificates: usize) {
        let more = u64::try_from(certificates)
            .unwrap_or(u64::MAX)
            .saturating_mul(CHECKS_PER_CERTIFICATE);
        self.budget = self.budget.saturating_add(more);
    }

    /// Signature verifications made so far.
    #[cfg(test)]
    pub(crate) fn checks(&self) -> u64 {
        self.checks
    }

    /// Whether `issuer`'s key verifies `child`'s signature; `None` when the
    /// budget is spent (and the verdict was not computed before).
    fn signed_by(&mut self, child: &CertificateInfo, issuer: &CertificateInfo) -> Option<bool> {
        let key = pair_key(child, issuer);
        if let Some(verdict) = key.as_ref().and_then(|k| self.verdicts.get(k)) {
            return Some(*verdict);
        }
        match &self.pool {
            Some(pool) if !pool.take() => return None,
            Some(_) => {}
            None if self.checks >= self.budget => return None,
            None => {}
        }
        self.checks += 1;
        let verdict = child.is_signed_by(issuer);
        match key {
            Some(key) => {
                self.verdicts.insert(key, verdict);
            }
            None => self.keyless += 1,
        }
        Some(verdict)
    }

    /// The first candidate of `bundle` that signed `child`: `Some(None)` when
    /// none did, `None` when the budget ran out before that was known.
    pub(crate) fn first_issuer<'b>(
        &mut self,
        child: &CertificateInfo,
        bundle: &'b [CertificateInfo],
        index: &Issuers,
    ) -> Option<Option<&'b CertificateInfo>> {
        for candidate in index.candidates(bundle, child) {
            // An unknown verdict before the first yes leaves "the first" unknown.
            if self.signed_by(child, candidate)? {
                return Some(Some(candidate));
            }
        }
        Some(None)
    }

    /// Whether a certificate of `bundle` signed `child`; `None` when only the
    /// checks the budget did not allow could have said yes.
    pub(crate) fn issued_by_any(
        &mut self,
        child: &CertificateInfo,
        bundle: &[CertificateInfo],
        index: &Issuers,
    ) -> Option<bool> {
        let mut undecided = false;
        for candidate in index.candidates(bundle, child) {
            match self.signed_by(child, candidate) {
                Some(true) => return Some(true),
                Some(false) => {}
                None => undecided = true,
            }
        }
        (!undecided).then_some(false)
    }

    /// Whether the certificates of `chain` lead from `leaf` to one of `cas`
    /// (a chain certificate is one of them or is signed by one). Linear: each
    /// step looks the issuer up by Name, the walk stops at a repeat and takes at
    /// most `chain.len()` steps. `None` when the budget ran out first.
    pub(crate) fn chain_reaches(
        &mut self,
        leaf: &CertificateInfo,
        chain: (&[CertificateInfo], &Issuers),
        cas: (&[CertificateInfo], &Issuers),
    ) -> Option<bool> {
        let mut current = leaf;
        let mut seen = HashSet::from([leaf.sha256_fingerprint.as_str()]);
        for _ in 0..chain.0.len() {
            let Some(next) = self.first_issuer(current, chain.0, chain.1)? else {
                return Some(false);
            };
            if cas.1.contains(cas.0, next) || self.issued_by_any(next, cas.0, cas.1)? {
                return Some(true);
            }
            // A repeat would walk the same loop again: nothing new to find.
            if !seen.insert(next.sha256_fingerprint.as_str()) {
                return Some(false);
            }
            current = next;
        }
        Some(false)
    }

    /// Notes that the verdict about the certificate at `at` is left unknown.
    pub(crate) fn undecided(&mut self, at: &Location) {
        match &mut self.undecided {
            Some((_, count)) => *count += 1,
            None => self.undecided = Some((at.clone(), 1)),
        }
    }

    /// The run's [`Error::LimitReached`], when the budget left a verdict unknown.
    pub(crate) fn finish(self, problems: &mut Vec<Error>) {
        if let Some((at, count)) = self.undecided {
            let what = if count == 1 {
                "whether this certificate is signed by its cluster's CA".to_owned()
            } else {
                format!(
                    "whether {count} certificates (this one and {} after it) are signed by their CA",
                    count - 1
                )
            };
            problems.push(Error::LimitReached {
                at,
                what,
                limit: self.budget,
            });
        }
    }
}

/// The fingerprints of both certificates; `None` when one is not a SHA-256 hex
/// string (a hand-made record), which is then not cached.
fn pair_key(child: &CertificateInfo, issuer: &CertificateInfo) -> Option<PairKey> {
    Some((
        fingerprint(&child.sha256_fingerprint)?,
        fingerprint(&issuer.sha256_fingerprint)?,
    ))
}

fn fingerprint(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let nibble = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *slot = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests;
