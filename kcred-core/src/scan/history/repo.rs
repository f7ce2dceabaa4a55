//! A repository on disk, read through the input boundary (`crate::fs`): where
//! its git folder is, its refs (loose, `packed-refs`, `HEAD`, symbolic), and
//! objects by id (loose or in packs). Never runs `git`.
//!
//! A `.git` *file* (a linked worktree or a submodule) is followed to the folder
//! its `gitdir:` line names, and from there to the `commondir` it shares refs
//! and objects with: the user named this repository for a history scan, so its
//! objects are what they asked for. Alternates (`objects/info/alternates`) are
//! not followed: objects only there are reported missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::object::{parse_loose, parse_tag, Object, ObjectId, ObjectKind, OVER_LIMIT};
use super::pack::{ObjectLimits, Pack};
use super::HistoryLimits;
use crate::error::{Error, Location};
use crate::fs::{list_dir, Budget};
use crate::kubeconfig::Limits;

/// Longest symbolic-ref chain followed (`HEAD` -> `refs/heads/main` -> ...).
const MAX_SYMREF_DEPTH: usize = 8;

/// An opened repository.
pub(crate) struct Repo {
    /// The folder the user named (errors name it).
    pub(crate) dir: PathBuf,
    /// The git folder holding `HEAD` (a worktree's own).
    git_dir: PathBuf,
    /// The git folder holding refs and objects (the same, or `commondir`).
    common: PathBuf,
    packs: Vec<Pack>,
    budget: Budget,
    limits: Limits,
    object_limits: ObjectLimits,
    /// Problems met opening: packs that could not be read, refs that do not parse.
    pub(crate) problems: Vec<Error>,
}

impl Repo {
    /// A typed error about this repository: `entry` names the object or ref.
    pub(crate) fn bad(&self, entry: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::BadDocument {
            at: Location::file(&self.dir).with_entry(entry),
            what: "git repository".into(),
            reason: reason.into(),
        }
    }

    /// Opens the repository at `dir` (a work tree with `.git`, or a bare one).
    pub(crate) fn open(
        dir: &Path,
        limits: &Limits,
        history: &HistoryLimits,
    ) -> Result<Self, Error> {
        let at = Location::file(dir);
        let bad = |reason: &str| Error::BadDocument {
            at: at.clone(),
            what: "git repository".into(),
            reason: reason.to_owned(),
        };
        let read_limits = Limits {
            max_total_bytes: history.max_read_bytes,
            ..limits.clone()
        };
        let budget = Budget::new(&read_limits);
        let small = |path: &Path| -> Result<Vec<u8>, Error> {
            budget
                .read_capped(path, 1 << 20, &read_limits, &Location::file(path))
                .map(|r| r.bytes)
        };
        let dot_git = dir.join(".git");
        let git_dir = if crate::fs::is_dir(&dot_git) {
            dot_git
        } else if crate::fs::is_regular(&dot_git) {
            let text = small(&dot_git)?;
            let text = String::from_utf8_lossy(&text);
            let target = text
                .lines()
                .find_map(|l| l.strip_prefix("gitdir:"))
                .ok_or_else(|| bad(".git file has no gitdir: line"))?;
            dir.join(target.trim())
        } else if crate::fs::is_regular(&dir.join("HEAD"))
            && crate::fs::is_dir(&dir.join("objects"))
        {
            dir.to_path_buf()
        } else {
            return Err(bad("not a git repository (no .git, no HEAD and objects)"));
        };
        let common = match small(&git_dir.join("commondir")) {
            Ok(text) => git_dir.join(String::from_utf8_lossy(&text).trim()),
            Err(_) => git_dir.clone(),
        };
        if let Ok(config) = small(&common.join("config")) {
            let config = String::from_utf8_lossy(&config).to_ascii_lowercase();
            if config.lines().any(|l| {
                let l: String = l.chars().filter(|c| !c.is_whitespace()).collect();
                l == "objectformat=sha256"
            }) {
                return Err(bad("SHA-256 repositories are not supported"));
            }
        }
        let mut repo = Repo {
            dir: dir.to_path_buf(),
            git_dir,
            common,
            packs: Vec::new(),
            budget,
            limits: read_limits,
            object_limits: ObjectLimits {
                max_object_bytes: history.max_object_bytes,
                max_delta_depth: history.max_delta_depth,
            },
            problems: Vec::new(),
        };
        repo.open_packs();
        if crate::fs::exists(&repo.common.join("objects/info/alternates")) {
            let e = repo.bad(
                "objects/info/alternates",
                "alternate object stores are not followed: objects only there are reported missing",
            );
            repo.problems.push(e);
        }
        Ok(repo)
    }

    fn read(&self, path: &Path, max: u64) -> Result<Vec<u8>, Error> {
        self.budget
            .read_capped(path, max, &self.limits, &Location::file(path))
            .map(|r| r.bytes)
    }

    fn open_packs(&mut self) {
        let dir = self.common.join("objects/pack");
        let listing = list_dir(&dir, &self.limits, |e| {
            e.name.to_string_lossy().ends_with(".idx")
        });
        self.problems.extend(listing.problems);
        for entry in listing.entries {
            let pack_path = entry.path.with_extension("pack");
            let name = format!("objects/pack/{}", entry.name.to_string_lossy());
            let opened = self.read(&entry.path, 1 << 31).and_then(|idx| {
                let bytes = self.read(&pack_path, self.limits_pack())?;
                Pack::parse(bytes, &idx).map_err(|reason| self.bad(name.clone(), reason))
            });
            match opened {
                Ok(pack) => self.packs.push(pack),
                Err(e) => self.problems.push(e),
            }
        }
    }

    fn limits_pack(&self) -> u64 {
        self.limits.max_total_bytes
    }

    /// The object `id`, from a pack or loose. `Ok(None)`: not in the repository.
    pub(crate) fn object(&self, id: &ObjectId) -> Result<Option<Object>, Error> {
        self.object_inner(id, 0)
    }

    fn object_inner(&self, id: &ObjectId, depth: usize) -> Result<Option<Object>, Error> {
        for pack in &self.packs {
            if let Some(offset) = pack.index.offset_of(id) {
                // A REF_DELTA base outside this pack: another pack or loose,
                // with the chain depth still counted.
                let mut external = |base: &ObjectId| {
                    if depth >= self.object_limits.max_delta_depth {
                        return None;
                    }
                    self.object_inner(base, depth + 1).ok().flatten()
                };
                return pack
                    .read_at(offset, self.object_limits, &mut external)
                    .map(Some)
                    .map_err(|reason| self.object_error(id, reason));
            }
        }
        let hex = id.to_string();
        let path = self.common.join("objects").join(&hex[..2]).join(&hex[2..]);
        if crate::fs::is_not_found(&path) {
            return Ok(None);
        }
        // Compressed size: stored (incompressible) zlib adds 5 bytes per
        // 64 KiB block and a few more, so the cap on the input follows from
        // the cap on the output.
        let max = self.object_limits.max_object_bytes as u64;
        let max = max.saturating_add(max / 1000).saturating_add(1024);
        let bytes = self.read(&path, max)?;
        parse_loose(&bytes, self.object_limits.max_object_bytes)
            .map(Some)
            .map_err(|reason| self.object_error(id, reason))
    }

    /// An object that could not be read: [`Error::LimitReached`] when it is
    /// only too large, else [`Error::BadDocument`].
    fn object_error(&self, id: &ObjectId, reason: String) -> Error {
        if reason.contains(OVER_LIMIT) {
            return Error::LimitReached {
                at: Location::file(&self.dir).with_entry(format!("object {id}")),
                what: format!("object {id} ({reason})"),
                limit: self.object_limits.max_object_bytes as u64,
            };
        }
        self.bad(format!("object {id}"), reason)
    }

    /// Every ref (`HEAD` too) and the object it names, by name. Refs that do
    /// not parse are problems; symbolic refs are followed.
    pub(crate) fn refs(&mut self) -> BTreeMap<String, ObjectId> {
        let mut names: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        if let Ok(packed) = self.read(&self.common.join("packed-refs"), 1 << 30) {
            for line in packed.split(|b| *b == b'\n') {
                if line.starts_with(b"#") || line.starts_with(b"^") || line.is_empty() {
                    continue;
                }
                if let (Some(hex), Some(name)) = (line.get(..40), line.get(41..)) {
                    names.insert(String::from_utf8_lossy(name).into_owned(), hex.to_vec());
                }
            }
        }
        let mut stack = vec![(self.common.join("refs"), "refs".to_owned(), 0usize)];
        while let Some((dir, prefix, depth)) = stack.pop() {
            let listing = list_dir(&dir, &self.limits, |_| true);
            self.problems.extend(listing.problems);
            for e in listing.entries {
                let name = format!("{prefix}/{}", e.name.to_string_lossy());
                if e.is_dir && depth < 32 {
                    stack.push((e.path, name, depth + 1));
                } else if let Ok(text) = self.read(&e.path, 4096) {
                    names.insert(name, text);
                }
            }
        }
        let mut out = BTreeMap::new();
        for name in names.keys().cloned().chain(["HEAD".to_owned()]) {
            match self.resolve_name(&name, &names) {
                Ok(Some(id)) => {
                    out.insert(name, id);
                }
                Ok(None) => {}
                Err(e) => self.problems.push(e),
            }
        }
        out
    }

    /// What `name` points at: a ref's content (an id or `ref: other`), or
    /// `HEAD` from the worktree's git folder. `Ok(None)`: an unborn branch.
    fn resolve_name(
        &self,
        name: &str,
        names: &BTreeMap<String, Vec<u8>>,
    ) -> Result<Option<ObjectId>, Error> {
        let mut current = name.to_owned();
        for _ in 0..MAX_SYMREF_DEPTH {
            let text = if current == "HEAD" {
                self.read(&self.git_dir.join("HEAD"), 4096).ok()
            } else {
                names.get(&current).cloned()
            };
            let Some(text) = text else {
                return Ok(None);
            };
            let text = String::from_utf8_lossy(&text);
            let text = text.trim();
            if let Some(target) = text.strip_prefix("ref:") {
                current = target.trim().to_owned();
                continue;
            }
            return ObjectId::from_hex(text.as_bytes())
                .map(Some)
                .ok_or_else(|| self.bad(format!("ref {name}"), "not an object id"));
        }
        Err(self.bad(
            format!("ref {name}"),
            format!("symbolic refs nest deeper than {MAX_SYMREF_DEPTH}"),
        ))
    }

    /// The commit `id` names, annotated tags peeled (at most 16 deep).
    /// `Ok(None)`: it names a tree or a blob.
    pub(crate) fn peel_to_commit(&self, id: ObjectId) -> Result<Option<ObjectId>, Error> {
        let mut id = id;
        for _ in 0..16 {
            match self.object(&id)? {
                Some((ObjectKind::Commit, _)) => return Ok(Some(id)),
                Some((ObjectKind::Tag, body)) => {
                    id = parse_tag(&body)
                        .map_err(|reason| self.bad(format!("object {id}"), reason))?
                        .0;
                }
                Some(_) => return Ok(None),
                None => return Err(self.bad(format!("object {id}"), "missing")),
            }
        }
        Err(self.bad(format!("object {id}"), "tags nest deeper than 16"))
    }

    /// A revision as the user wrote it: a full commit id, a ref name
    /// (`main`, `v1.0`, `refs/heads/main`, `HEAD`), or an unambiguous id prefix
    /// of at least 4 digits among the commits given.
    pub(crate) fn resolve_rev(
        &self,
        rev: &str,
        refs: &BTreeMap<String, ObjectId>,
        known: &[ObjectId],
    ) -> Result<ObjectId, Error> {
        let not_found = |why: &str| self.bad(format!("revision {rev}"), why);
        if let Some(id) = ObjectId::from_hex(rev.as_bytes()) {
            return self
                .peel_to_commit(id)?
                .ok_or_else(|| not_found("not a commit"));
        }
        for name in [
            rev.to_owned(),
            format!("refs/{rev}"),
            format!("refs/tags/{rev}"),
            format!("refs/heads/{rev}"),
            format!("refs/remotes/{rev}"),
        ] {
            if let Some(id) = refs.get(&name) {
                return self
                    .peel_to_commit(*id)?
                    .ok_or_else(|| not_found("does not name a commit"));
            }
        }
        let lower = rev.to_ascii_lowercase();
        if lower.len() >= 4 && lower.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut hits = known.iter().filter(|id| id.to_string().starts_with(&lower));
            if let (Some(id), None) = (hits.next(), hits.next()) {
                return Ok(*id);
            }
        }
        Err(not_found("no commit or ref of that name"))
    }
}

impl Repo {
    /// The commits of a shallow clone's boundary (`shallow`): their parents
    /// are absent on purpose, so they are not followed (nor reported missing).
    pub(crate) fn shallow(&self) -> std::collections::HashSet<ObjectId> {
        let Ok(text) = self.read(&self.common.join("shallow"), 1 << 26) else {
            return Default::default();
        };
        text.split(|b| *b == b'\n')
            .filter_map(ObjectId::from_hex)
            .collect()
    }
}
