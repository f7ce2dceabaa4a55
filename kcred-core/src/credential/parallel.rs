//! Users inventoried on several threads: a round of users is cut into one
//! contiguous chunk per thread, of about equal work (a certificate user weighs
//! a hundred token users), each chunk is inventoried on its own thread
//! (`std::thread::scope`) and the chunks' records and problems are put back
//! in user order, so the inventory is the one a single thread builds.
//!
//! Only rounds that cannot touch a shared budget differently go parallel:
//! every user's credentials are inline (no referenced file is read, so the
//! byte budget and the per-file memos are not used), and the signature checks
//! come from one [`Pool`](crate::verify::Pool) sized so that a sequential run
//! could not have run out either. When a worker is refused a check, the round
//! is discarded and inventoried again on one thread, which then decides which
//! verdicts the budget leaves unknown, exactly as it always did.

use crate::error::Error;
use crate::kubeconfig::NamedUser;
use crate::verify::Verifier;

use super::build::{Decoded, Links};
use super::record::CredentialRecord;
use super::{NoFiles, ReferencedFiles};

/// Users taken off a consumed config at a time (freed together when the round
/// went parallel, one by one otherwise).
pub(crate) const ROUND_USERS: usize = 8192;

/// Fewest client certificates each thread of a round gets: fewer, and the
/// round stays on one thread. A certificate user costs about 100 times a
/// token user (decode, key match, signature check: ~0.5 M instructions against
/// ~4,400, callgrind), and only certificate users pay for the threads (a
/// 10,000-token config ran 3 % more instructions on 2 threads; BENCHMARKS.md).
pub(crate) const MIN_CERTIFICATES_PER_THREAD: usize = 32;

/// What a user weighs when a round is cut into equal chunks (a certificate
/// user about 100 token users, as measured).
fn weight(named: &NamedUser) -> usize {
    if has_inline_certificate(named) {
        100
    } else {
        1
    }
}

/// One inventory's per-user work: what every user is linked to, how files are
/// read and decoded, the run's signature checks and how many threads it may use.
pub(super) struct Run<'r, 'a> {
    pub(super) links: &'r Links<'a>,
    pub(super) files: &'r dyn ReferencedFiles,
    pub(super) decoded: &'r Decoded,
    pub(super) verifier: &'r mut Verifier,
    pub(super) threads: usize,
}

/// What one chunk gave: its records, its problems and its checks.
type Chunk = (Vec<CredentialRecord>, Vec<Error>, Verifier);

impl Run<'_, '_> {
    /// The records of `users`, in order, appended to `out` (their problems to
    /// `problems`).
    pub(super) fn add_users(
        &mut self,
        users: &[NamedUser],
        problems: &mut Vec<Error>,
        out: &mut Vec<CredentialRecord>,
    ) {
        let threads = self.threads_for(users);
        if threads < 2 {
            return self.add_sequentially(users, problems, out);
        }
        match self.add_in_parallel(users, threads) {
            Some(chunks) => {
                for (records, chunk_problems, worker) in chunks {
                    out.extend(records);
                    problems.extend(chunk_problems);
                    self.verifier.absorb(worker);
                }
            }
            None => self.add_sequentially(users, problems, out),
        }
    }

    /// How many threads `users` are worth (below 2: they stay on this one).
    pub(super) fn threads_for(&self, users: &[NamedUser]) -> usize {
        if self.threads < 2 || !users.iter().all(reads_no_files) {
            return 1;
        }
        let certificates = users.iter().filter(|u| has_inline_certificate(u)).count();
        self.threads.min(certificates / MIN_CERTIFICATES_PER_THREAD)
    }

    /// The records of one user, on this thread.
    pub(super) fn add_user(
        &mut self,
        named: &NamedUser,
        problems: &mut Vec<Error>,
        out: &mut Vec<CredentialRecord>,
    ) {
        let verifier = &mut *self.verifier;
        self.links
            .add_user(named, self.files, self.decoded, verifier, problems, out);
    }

    fn add_sequentially(
        &mut self,
        users: &[NamedUser],
        problems: &mut Vec<Error>,
        out: &mut Vec<CredentialRecord>,
    ) {
        for named in users {
            self.add_user(named, problems, out);
        }
    }

    /// The chunks of `users` on `threads` threads, in order; `None` when a
    /// worker was refused a check (nothing of the round is then kept).
    fn add_in_parallel(&self, users: &[NamedUser], threads: usize) -> Option<Vec<Chunk>> {
        let pool = self.verifier.pool();
        let links = self.links;
        let work = |chunk: &[NamedUser]| -> Chunk {
            // Inline credentials only: no file is read, so none is needed, and
            // a chunk's own memo of decoded files stays empty.
            let decoded = Decoded::default();
            let mut verifier = Verifier::worker(pool.clone());
            let mut problems = Vec::new();
            let mut records = Vec::with_capacity(chunk.len());
            for named in chunk {
                let files = &NoFiles;
                links.add_user(
                    named,
                    files,
                    &decoded,
                    &mut verifier,
                    &mut problems,
                    &mut records,
                );
            }
            (records, problems, verifier)
        };
        let mut chunks = chunks_of_equal_weight(users, threads).into_iter();
        let first = chunks.next()?;
        let chunks = std::thread::scope(|scope| {
            let others: Vec<_> = chunks.map(|c| scope.spawn(move || work(c))).collect();
            let mut done = vec![work(first)];
            for handle in others {
                // A worker that panicked gives its panic to this thread, as a
                // sequential run would have.
                done.push(
                    handle
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                );
            }
            done
        });
        (!pool.refused()).then_some(chunks)
    }
}

/// `users` cut into at most `threads` contiguous chunks of about equal
/// [`weight`], in order.
fn chunks_of_equal_weight(users: &[NamedUser], threads: usize) -> Vec<&[NamedUser]> {
    let total: usize = users.iter().map(weight).sum();
    let share = total.div_ceil(threads.max(1)).max(1);
    let mut chunks = Vec::with_capacity(threads);
    let (mut start, mut acc) = (0, 0);
    for (i, named) in users.iter().enumerate() {
        acc += weight(named);
        if acc >= share && chunks.len() + 1 < threads {
            chunks.push(&users[start..=i]);
            (start, acc) = (i + 1, 0);
        }
    }
    if start < users.len() {
        chunks.push(&users[start..]);
    }
    chunks
}

fn has_inline_certificate(named: &NamedUser) -> bool {
    named
        .user
        .client_certificate_data
        .as_deref()
        .is_some_and(|d| !d.is_empty())
}

/// Whether inventorying `named` reads no referenced file: every credential
/// that could name a file has its data inline, or names none.
fn reads_no_files(named: &NamedUser) -> bool {
    let u = &named.user;
    let inline_or_none = |data: Option<&str>, path: Option<&str>| {
        data.is_some_and(|d| !d.is_empty()) || path.is_none_or(str::is_empty)
    };
    inline_or_none(
        u.client_certificate_data.as_deref(),
        u.client_certificate.as_deref(),
    ) && inline_or_none(
        u.client_key_data.as_ref().map(|s| s.expose()),
        u.client_key.as_deref(),
    ) && u.token_file.as_deref().is_none_or(str::is_empty)
}
