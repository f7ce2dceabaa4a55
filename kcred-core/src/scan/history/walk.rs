//! The history walk: commits from the refs (a visited set stops cycles),
//! minus what `--since` reaches, oldest first; each distinct tree at each path
//! read once; each distinct blob scanned once; credentials merged across blobs.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::object::{parse_commit, parse_tree, Commit, EntryKind, ObjectId, ObjectKind};
use super::repo::Repo;
use super::{HistoryCredential, HistoryOptions, HistoryReport, Place};
use crate::credential::{Credential, CredentialRecord, DataSource};
use crate::error::{Error, Location};
use crate::kubeconfig::Limits;
use crate::scan::{paired_in_tree, pairing, scan_bytes, FileScan, PrivateKey, SkipReason};

/// A credential found so far: the record (at its first place), the blobs
/// that hold it.
struct Found {
    record: CredentialRecord,
    blobs: Vec<ObjectId>,
}

/// A private key found so far: at its first place, the blobs that hold it.
struct FoundKey {
    key: PrivateKey,
    blobs: Vec<ObjectId>,
}

/// The walk's state.
struct Walk<'a> {
    repo: Repo,
    options: &'a HistoryOptions,
    limits: &'a Limits,
    report: HistoryReport,
    /// Blobs examined (scanned or skipped).
    scanned: HashSet<ObjectId>,
    /// Places of the blobs that hold a credential.
    places: HashMap<ObjectId, Vec<(ObjectId, Vec<u8>)>>,
    found: Vec<Found>,
    /// Private keys by the fingerprint of their public key (one key in many
    /// blobs is one key).
    private_keys: HashMap<[u8; 32], FoundKey>,
    /// Dedup key of a credential -> index in `found`.
    keys: HashMap<String, usize>,
    /// (tree, path) pairs read.
    trees: HashSet<(ObjectId, Vec<u8>)>,
    /// Limits already reported (each once).
    reported: HashSet<&'static str>,
}

pub(super) fn scan(
    dir: &Path,
    options: &HistoryOptions,
    limits: &Limits,
) -> Result<HistoryReport, Error> {
    let mut repo = Repo::open(dir, limits, &options.limits)?;
    let refs = repo.refs();
    let shallow = repo.shallow();
    let mut w = Walk {
        report: HistoryReport::default(),
        options,
        limits,
        scanned: HashSet::new(),
        places: HashMap::new(),
        found: Vec::new(),
        private_keys: HashMap::new(),
        keys: HashMap::new(),
        trees: HashSet::new(),
        reported: HashSet::new(),
        repo,
    };
    w.report.scan.inventory.problems = std::mem::take(&mut w.repo.problems);
    let mut tips = Vec::new();
    for id in refs.values() {
        match w.repo.peel_to_commit(*id) {
            Ok(Some(commit)) => tips.push(commit),
            Ok(None) => {}
            Err(e) => w.problem(e),
        }
    }
    tips.sort_unstable();
    tips.dedup();
    let mut commits = w.collect(&tips, &shallow, &HashMap::new());
    let mut boundary = Vec::new();
    if let Some(since) = &options.since {
        let known: Vec<ObjectId> = commits.keys().copied().collect();
        let base = w.repo.resolve_rev(since, &refs, &known)?;
        let excluded = w.collect(&[base], &shallow, &commits);
        commits.retain(|id, _| !excluded.contains_key(id));
        // The excluded parents of what is left: what they hold is not new.
        boundary = commits
            .values()
            .flat_map(|c| c.parents.iter())
            .filter_map(|p| excluded.get(p).map(|c| c.tree))
            .collect();
        boundary.sort_unstable();
        boundary.dedup();
    }
    let head = refs
        .get("HEAD")
        .and_then(|id| w.repo.peel_to_commit(*id).ok().flatten())
        .and_then(|id| {
            commits
                .get(&id)
                .map(|c| c.tree)
                .or_else(|| w.commit(id).map(|c| c.tree))
        });
    let in_head = head.map(|tree| w.head_files(tree)).unwrap_or_default();
    let mut order: Vec<(i64, ObjectId, ObjectId)> = commits
        .iter()
        .map(|(id, c)| (c.time, *id, c.tree))
        .collect();
    order.sort_unstable();
    w.report.commits = order.len();
    w.trees.clear();
    for tree in boundary {
        w.each_file(tree, &mut |w, blob, _| {
            w.scanned.insert(blob);
        });
    }
    for (_, commit, tree) in order {
        w.walk_tree(commit, tree);
    }
    Ok(w.finish(&in_head))
}

impl Walk<'_> {
    fn problem(&mut self, e: Error) {
        self.report.scan.inventory.problems.push(e);
    }

    /// Reports that `what` reached `limit`, once per kind of limit.
    fn limit(&mut self, kind: &'static str, what: String, limit: u64) {
        if self.reported.insert(kind) {
            let at = Location::file(&self.repo.dir);
            self.problem(Error::LimitReached { at, what, limit });
        }
    }

    /// The object `id` of kind `want`, or a problem reported.
    fn load(&mut self, id: ObjectId, want: ObjectKind) -> Option<Vec<u8>> {
        let read = self.repo.object(&id);
        self.checked(id, want, read)
    }

    /// What reading `id` gave, if it is of kind `want`; else a problem reported.
    fn checked(
        &mut self,
        id: ObjectId,
        want: ObjectKind,
        read: Result<Option<super::Object>, Error>,
    ) -> Option<Vec<u8>> {
        match read {
            Ok(Some((kind, body))) if kind == want => Some(body),
            Ok(Some((kind, _))) => {
                let reason = format!("is a {}, a {} was expected", kind.name(), want.name());
                self.problem(self.repo.bad(format!("object {id}"), reason));
                None
            }
            Ok(None) => {
                let e = self
                    .repo
                    .bad(format!("object {id}"), format!("{} missing", want.name()));
                self.problem(e);
                None
            }
            Err(e) => {
                self.problem(e);
                None
            }
        }
    }

    fn commit(&mut self, id: ObjectId) -> Option<Commit> {
        let body = self.load(id, ObjectKind::Commit)?;
        match parse_commit(&body) {
            Ok(c) => Some(c),
            Err(reason) => {
                self.problem(self.repo.bad(format!("object {id}"), reason));
                None
            }
        }
    }

    /// Every commit reachable from `tips` (parents of shallow commits not
    /// followed), each once; `known` saves reading ones already parsed.
    fn collect(
        &mut self,
        tips: &[ObjectId],
        shallow: &HashSet<ObjectId>,
        known: &HashMap<ObjectId, Commit>,
    ) -> HashMap<ObjectId, Commit> {
        let max = self.options.limits.max_commits;
        let mut out: HashMap<ObjectId, Commit> = HashMap::new();
        let mut stack = tips.to_vec();
        let mut seen = HashSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            if out.len() >= max {
                let what = format!("commits after the first {max} (history left unexamined)");
                self.limit("commits", what, max as u64);
                break;
            }
            let Some(c) = known.get(&id).cloned().or_else(|| self.commit(id)) else {
                continue;
            };
            if !shallow.contains(&id) {
                stack.extend(c.parents.iter().rev().copied());
            }
            out.insert(id, c);
        }
        out
    }

    /// A tree's entries, or a problem reported; counts against the tree limit.
    fn tree(&mut self, id: ObjectId) -> Option<Vec<super::TreeEntry>> {
        let max = self.options.limits.max_trees;
        if self.trees.len() > max {
            let what = format!("trees after the first {max}");
            self.limit("trees", what, max as u64);
            return None;
        }
        let body = self.load(id, ObjectKind::Tree)?;
        match parse_tree(&body, self.options.limits.max_path_bytes) {
            Ok(entries) => Some(entries),
            Err(reason) => {
                self.problem(self.repo.bad(format!("object {id}"), reason));
                None
            }
        }
    }

    /// Walks the tree of `commit`, calling `on_file` for every file entry;
    /// each (tree, path) pair once per walk.
    fn each_file(&mut self, root: ObjectId, on_file: &mut dyn FnMut(&mut Self, ObjectId, &[u8])) {
        let max_depth = self.options.limits.max_tree_depth;
        let max_path = self.options.limits.max_path_bytes;
        let mut stack = vec![(root, Vec::new(), 0usize)];
        while let Some((id, prefix, depth)) = stack.pop() {
            if !self.trees.insert((id, prefix.clone())) {
                continue;
            }
            let Some(entries) = self.tree(id) else {
                continue;
            };
            for e in entries {
                let mut path = prefix.clone();
                if !path.is_empty() {
                    path.push(b'/');
                }
                path.extend_from_slice(&e.name);
                if path.len() > max_path {
                    let what = format!("paths longer than {max_path} bytes");
                    self.limit("path", what, max_path as u64);
                    continue;
                }
                match e.kind {
                    EntryKind::Tree if depth + 1 >= max_depth => {
                        let what = format!("folders nested deeper than {max_depth}");
                        self.limit("depth", what, max_depth as u64);
                    }
                    EntryKind::Tree => stack.push((e.id, path, depth + 1)),
                    EntryKind::File => on_file(self, e.id, &path),
                    EntryKind::Symlink | EntryKind::Gitlink => {}
                }
            }
        }
    }

    /// The (blob, path) pairs of `HEAD`'s tree.
    fn head_files(&mut self, tree: ObjectId) -> HashSet<(ObjectId, Vec<u8>)> {
        let mut files = HashSet::new();
        self.each_file(tree, &mut |_, blob, path| {
            files.insert((blob, path.to_vec()));
        });
        files
    }

    fn walk_tree(&mut self, commit: ObjectId, tree: ObjectId) {
        self.each_file(tree, &mut |w, blob, path| w.on_blob(commit, blob, path));
    }

    /// The file name records of a blob carry: `<repo>/<path>@<commit>`.
    fn display(&self, commit: ObjectId, path: &[u8]) -> PathBuf {
        let mut shown = self
            .repo
            .dir
            .join(String::from_utf8_lossy(path).as_ref())
            .into_os_string();
        shown.push(format!("@{}", commit.short(12)));
        PathBuf::from(shown)
    }

    fn on_blob(&mut self, commit: ObjectId, blob: ObjectId, path: &[u8]) {
        if let Some(places) = self.places.get_mut(&blob) {
            if !places.iter().any(|(_, p)| p == path) {
                places.push((commit, path.to_vec()));
            }
            return;
        }
        if !self.scanned.insert(blob) {
            return;
        }
        let max = self.options.limits.max_blobs;
        if self.scanned.len() > max {
            let what = format!("blobs after the first {max}");
            self.limit("blobs", what, max as u64);
            return;
        }
        self.report.blobs += 1;
        let file = self.display(commit, path);
        let scan = match self.blob_bytes(blob, &file) {
            Some(Ok(bytes)) => {
                self.report.blob_bytes += bytes.len() as u64;
                scan_bytes(&bytes, &file, self.limits)
            }
            Some(Err(skip)) => skip,
            None => return,
        };
        if self.add(blob, scan) {
            self.places.insert(blob, vec![(commit, path.to_vec())]);
        }
    }

    /// A blob's bytes, a skip when it is over the file size cap, or `None`
    /// (a problem reported).
    fn blob_bytes(&mut self, blob: ObjectId, file: &Path) -> Option<Result<Vec<u8>, FileScan>> {
        let limit = self.limits.max_file_bytes;
        let bytes = match self.repo.object(&blob) {
            // Only too large: a skip, as a work-tree file over the cap is.
            Err(Error::LimitReached { limit, .. }) => {
                let reason = SkipReason::TooLarge { limit };
                return Some(Err(FileScan::skipped(file, reason, None)));
            }
            read => self.checked(blob, ObjectKind::Blob, read)?,
        };
        if bytes.len() as u64 > limit {
            let binary = crate::scan::looks_binary(&bytes);
            let window = super::super::MARKER_WINDOW.min(bytes.len());
            let mut ends = bytes[..window].to_vec();
            ends.extend_from_slice(&bytes[bytes.len() - window..]);
            let marker = crate::scan::markers::marker_in_window(&ends, binary);
            let reason = SkipReason::TooLarge { limit };
            return Some(Err(FileScan::skipped(file, reason, marker)));
        }
        Some(Ok(bytes))
    }

    /// Adds one blob's scan; whether it holds something to place (a
    /// credential, a problem, an unreadable part, a skip worth telling).
    fn add(&mut self, blob: ObjectId, scan: FileScan) -> bool {
        let mut holds = !scan.unreadable.is_empty() || !scan.private_keys.is_empty();
        self.report.scan.unreadable.extend(scan.unreadable);
        for key in scan.private_keys {
            let found = self
                .private_keys
                .entry(key.fingerprint)
                .or_insert_with(|| FoundKey {
                    key,
                    blobs: Vec::new(),
                });
            if !found.blobs.contains(&blob) {
                found.blobs.push(blob);
            }
        }
        match scan.result {
            Ok(inv) => {
                self.report.scan.files_scanned += 1;
                holds |= !inv.credentials.is_empty() || !inv.problems.is_empty();
                self.report.scan.inventory.problems.extend(inv.problems);
                self.report.scan.inventory.clusters.extend(inv.clusters);
                for record in inv.credentials {
                    let key = dedup_key(&record, blob);
                    match self.keys.get(&key) {
                        Some(&i) => {
                            if !self.found[i].blobs.contains(&blob) {
                                self.found[i].blobs.push(blob);
                            }
                        }
                        None => {
                            self.keys.insert(key, self.found.len());
                            self.found.push(Found {
                                record,
                                blobs: vec![blob],
                            });
                        }
                    }
                }
            }
            // Binary and non-text blobs are counted, not listed: history holds
            // every version of every image. One with credential markers is an
            // unreadable entry above.
            Err(skipped) => match skipped.reason {
                SkipReason::Binary | SkipReason::NotText => {}
                _ => {
                    self.report.scan.skipped.push(skipped);
                    holds = true;
                }
            },
        }
        holds
    }

    /// Where the blobs `blobs` appear: a record's or a key's history.
    fn history(
        &self,
        location: &Location,
        blobs: &[ObjectId],
        in_head: &HashSet<(ObjectId, Vec<u8>)>,
        head_blobs: &HashSet<ObjectId>,
    ) -> HistoryCredential {
        let mut places: Vec<Place> = Vec::new();
        for blob in blobs {
            for (commit, path) in self.places.get(blob).into_iter().flatten() {
                let place = Place {
                    commit: commit.to_string(),
                    path: String::from_utf8_lossy(path).into_owned(),
                    in_head: in_head.contains(&(*blob, path.clone())),
                };
                if !places.contains(&place) {
                    places.push(place);
                }
            }
        }
        HistoryCredential {
            location: location.clone(),
            places,
            in_head: blobs.iter().any(|b| head_blobs.contains(b)),
            key: None,
        }
    }

    /// Pairs the certificates found with the private keys of any blob (each
    /// key at its first place: `pairing`), gives each paired certificate its
    /// key's history, and keeps the keys left alone (KC502) with theirs.
    fn finish(mut self, in_head: &HashSet<(ObjectId, Vec<u8>)>) -> HistoryReport {
        let head_blobs: HashSet<ObjectId> = in_head.iter().map(|(b, _)| *b).collect();
        let key = |l: &Location| (l.file.clone(), l.line, l.entry.clone(), l.field.clone());
        self.found.sort_by_key(|f| key(&f.record.location));
        let mut found = std::mem::take(&mut self.found);
        let mut records: Vec<CredentialRecord> = found.iter().map(|f| f.record.clone()).collect();
        let keys: Vec<PrivateKey> = self.private_keys.values().map(|k| k.key.clone()).collect();
        let alone = pairing::pair(&mut records, keys);
        for (f, record) in found.iter_mut().zip(records) {
            f.record = record;
        }
        let by_fingerprint: HashMap<[u8; 32], &FoundKey> = self
            .private_keys
            .values()
            .map(|k| (k.key.fingerprint, k))
            .collect();
        for f in &found {
            let mut history = self.history(&f.record.location, &f.blobs, in_head, &head_blobs);
            history.key = paired_key(&f.record, &by_fingerprint).map(|k| {
                let kh = self.history(&k.key.location, &k.blobs, in_head, &head_blobs);
                Box::new(kh)
            });
            self.report.credentials.push(history);
        }
        for k in &alone {
            let blobs = by_fingerprint
                .get(&k.fingerprint)
                .map(|f| f.blobs.as_slice())
                .unwrap_or_default();
            let history = self.history(&k.location, blobs, in_head, &head_blobs);
            self.report.keys.push(history);
        }
        self.report.scan.private_keys = alone;
        self.report
            .scan
            .inventory
            .credentials
            .extend(found.into_iter().map(|f| f.record));
        self.report.scan.sort();
        self.report
    }
}

/// The key a certificate record was paired with in history, if any.
fn paired_key<'a>(
    record: &CredentialRecord,
    keys: &HashMap<[u8; 32], &'a FoundKey>,
) -> Option<&'a FoundKey> {
    let Credential::ClientCertificate(c) = &record.credential else {
        return None;
    };
    if !paired_in_tree(record) {
        return None;
    }
    let fingerprint = c.certificate.as_ref()?.public_key_fingerprint()?;
    let k = keys.get(&fingerprint)?;
    let paired = matches!(&c.key_source, Some(DataSource::File(f)) if *f == k.key.location.file);
    paired.then_some(*k)
}

/// Two records are one credential when a certificate's fingerprint or a
/// JWT's claims say so (the same token in two files, a file edited around
/// it); an opaque token or a password says nothing about itself, so such
/// records merge only within one blob.
fn dedup_key(record: &CredentialRecord, blob: ObjectId) -> String {
    let facts = serde_json::to_string(&record.credential).unwrap_or_default();
    let distinctive = match &record.credential {
        Credential::ClientCertificate(c) => c.certificate.is_some(),
        Credential::Token(t) => t.info.jwt.is_some(),
        _ => false,
    };
    if distinctive {
        format!("{}\0{facts}", record.user)
    } else {
        let l = &record.location;
        format!(
            "{blob}\0{}\0{:?}\0{:?}\0{:?}\0{facts}",
            record.user, l.entry, l.field, l.line
        )
    }
}
