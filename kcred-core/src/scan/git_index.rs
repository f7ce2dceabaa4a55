//! git's index file (`.git/index`, versions 2, 3 and 4), read without git: which
//! paths are tracked, so `kcred scan` scans them whatever `.gitignore` says.
//!
//! Strict and bounded: the entry count is checked against the bytes there are
//! before anything is allocated, every length is checked against what is left,
//! paths are capped at 4,096 bytes and all paths together at four times the
//! input plus 1 MiB (version 4 prefix compression cannot blow up), the trailing SHA-1 or
//! SHA-256 checksum must match (or be all zeros: `index.skipHash`), and a path
//! that could leave the work tree (`..`, `.git`, absolute, empty parts) makes the
//! whole index malformed. Format: git's Documentation/gitformat-index.txt.

use crate::error::{Error, Location};

/// Longest path accepted (Linux's PATH_MAX); longer cannot be opened anyway.
pub const MAX_INDEX_PATH: usize = 4096;

/// Mode of a submodule (gitlink) entry.
pub const GITLINK_MODE: u32 = 0o160000;

/// Mode of a symbolic link entry.
pub const SYMLINK_MODE: u32 = 0o120000;

/// One tracked path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The path relative to the work tree, `/`-separated, as git stores it (bytes).
    pub path: Vec<u8>,
    /// The file mode: 0o100644, 0o100755, [`SYMLINK_MODE`], [`GITLINK_MODE`], or
    /// 0o040000 for a sparse-index directory.
    pub mode: u32,
}

/// What the index says is tracked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GitIndex {
    /// 2, 3 or 4.
    pub version: u32,
    /// Every entry, in file order (conflicted paths appear once per stage).
    pub entries: Vec<IndexEntry>,
}

/// Smallest entry on disk: 40 bytes of stat data, a 20-byte hash, 2 bytes of
/// flags and (v4) a one-byte strip count and a NUL.
const MIN_ENTRY: usize = 40 + 20 + 2 + 2;

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    at: &'a Location,
}

impl<'a> Reader<'a> {
    fn bad(&self, reason: impl Into<String>) -> Error {
        Error::BadDocument {
            at: self.at.clone(),
            what: "git index".into(),
            reason: format!("{} at byte {}", reason.into(), self.pos),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| self.bad("truncated"))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn u16(&mut self) -> Result<u16, Error> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, Error> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// git's offset varint (varint.c): 7 bits a byte, each continuation adds one.
    fn varint(&mut self) -> Result<usize, Error> {
        let mut b = self.take(1)?[0];
        let mut value = usize::from(b & 0x7f);
        while b & 0x80 != 0 {
            b = self.take(1)?[0];
            value = value
                .checked_add(1)
                .and_then(|v| v.checked_mul(128))
                .and_then(|v| v.checked_add(usize::from(b & 0x7f)))
                .ok_or_else(|| self.bad("strip count overflows"))?;
        }
        Ok(value)
    }
}

/// Whether a tracked path stays inside the work tree: relative, no empty, `.`,
/// `..` or `.git` component (any case), no NUL. git refuses to check such paths
/// out; a hostile index must not make kcred read outside the tree.
fn safe_path(path: &[u8]) -> bool {
    !path.is_empty()
        && !path.contains(&0)
        && path.split(|b| *b == b'/').all(|part| {
            !part.is_empty() && part != b"." && part != b".." && !part.eq_ignore_ascii_case(b".git")
        })
}

/// Parses an index file. `at` names it in errors; the reason says what is wrong
/// and at which byte. Never panics, never allocates more than a small multiple
/// of `bytes.len()`: past that budget it is [`Error::LimitReached`].
///
/// ```
/// use kcred_core::{parse_git_index, Location};
/// let err = parse_git_index(b"DIRC\0\0\0\x02\xff\xff\xff\xff", &Location::file(".git/index"));
/// assert!(err.is_err()); // no checksum; and four billion entries would not fit
/// ```
pub fn parse_git_index(bytes: &[u8], at: &Location) -> Result<GitIndex, Error> {
    let bad = |reason: &str| Error::BadDocument {
        at: at.clone(),
        what: "git index".into(),
        reason: reason.to_owned(),
    };
    if bytes.len() < 12 || &bytes[..4] != b"DIRC" {
        return Err(bad("no DIRC signature"));
    }
    // The trailing checksum tells the hash size (SHA-1 or SHA-256 repository).
    let hash_len = checksum_len(bytes).ok_or_else(|| bad("checksum does not match"))?;
    match hash_len {
        Some(len) => parse_body(&bytes[..bytes.len() - len], len, at),
        // index.skipHash: a zero trailer; try SHA-1 layout, then SHA-256.
        None => parse_body(&bytes[..bytes.len() - 20], 20, at).or_else(|e| {
            parse_body(bytes.get(..bytes.len() - 32).unwrap_or(&[]), 32, at).map_err(|_| e)
        }),
    }
}

/// `Some(Some(n))`: the last `n` bytes are the SHA-1 (20) or SHA-256 (32) of
/// the rest; `Some(None)`: an all-zero trailer (skipHash); `None`: neither.
fn checksum_len(bytes: &[u8]) -> Option<Option<usize>> {
    use ring::digest::{digest, SHA1_FOR_LEGACY_USE_ONLY, SHA256};
    for (len, alg) in [(20, &SHA1_FOR_LEGACY_USE_ONLY), (32, &SHA256)] {
        if bytes.len() >= 12 + len {
            let (body, tail) = bytes.split_at(bytes.len() - len);
            if digest(alg, body).as_ref() == tail {
                return Some(Some(len));
            }
        }
    }
    if bytes.len() >= 12 + 20 && bytes[bytes.len() - 20..].iter().all(|b| *b == 0) {
        return Some(None);
    }
    None
}

fn parse_body(bytes: &[u8], hash_len: usize, at: &Location) -> Result<GitIndex, Error> {
    let mut r = Reader { bytes, pos: 4, at };
    let version = r.u32()?;
    if !(2..=4).contains(&version) {
        return Err(r.bad(format!("unsupported version {version}")));
    }
    let count = r.u32()? as usize;
    let min_entry = MIN_ENTRY - 20 + hash_len;
    if count > (bytes.len() - 12) / min_entry {
        return Err(r.bad(format!("{count} entries cannot fit in the file")));
    }
    // All paths together: v4 can repeat a long prefix cheaply, so cap the total.
    // Real indexes stay under 2x (each entry has 62+ bytes of fixed fields).
    let path_budget = bytes.len().saturating_mul(4).saturating_add(1 << 20);
    let mut spent = 0usize;
    let mut entries = Vec::with_capacity(count);
    let mut previous: Vec<u8> = Vec::new();
    for i in 0..count {
        let start = r.pos;
        r.take(24)?; // ctime, mtime, dev, ino
        let mode = r.u32()?;
        r.take(12 + hash_len)?; // uid, gid, size, object hash
        let flags = r.u16()?;
        if flags & 0x4000 != 0 {
            if version < 3 {
                return Err(r.bad(format!("entry {i}: extended flag in a version 2 index")));
            }
            r.u16()?;
        }
        let name_len = usize::from(flags & 0x0fff);
        let path = if version == 4 {
            let strip = r.varint()?;
            if strip > previous.len() {
                return Err(r.bad(format!("entry {i}: strips more than the previous path")));
            }
            let rest = &r.bytes[r.pos..];
            let nul = rest
                .iter()
                .position(|b| *b == 0)
                .ok_or_else(|| r.bad(format!("entry {i}: path has no end")))?;
            let keep = previous.len() - strip;
            if keep + nul > MAX_INDEX_PATH {
                return Err(r.bad(format!(
                    "entry {i}: path longer than {MAX_INDEX_PATH} bytes"
                )));
            }
            let mut path = previous[..keep].to_vec();
            path.extend_from_slice(r.take(nul)?);
            r.take(1)?;
            path
        } else {
            let rest = &r.bytes[r.pos..];
            let nul = rest
                .iter()
                .take(MAX_INDEX_PATH + 1)
                .position(|b| *b == 0)
                .ok_or_else(|| {
                    r.bad(format!(
                        "entry {i}: path has no end within {MAX_INDEX_PATH} bytes"
                    ))
                })?;
            let path = r.take(nul)?.to_vec();
            // NUL padding to a multiple of 8 bytes, at least one.
            let len = r.pos - start;
            let pad = 8 - len % 8;
            if r.take(pad)?.iter().any(|b| *b != 0) {
                return Err(r.bad(format!("entry {i}: padding is not NUL")));
            }
            path
        };
        if name_len < 0x0fff && name_len != path.len() {
            return Err(r.bad(format!("entry {i}: path length does not match its flags")));
        }
        if !safe_path(&path) {
            return Err(r.bad(format!(
                "entry {i}: path leaves the work tree (empty, '.', '..' or '.git' part)"
            )));
        }
        spent = spent.saturating_add(path.len());
        if spent > path_budget {
            return Err(Error::LimitReached {
                at: at.clone(),
                what: format!("git index paths after entry {i}"),
                limit: path_budget as u64,
            });
        }
        previous.clone_from(&path);
        entries.push(IndexEntry { path, mode });
    }
    // Extensions: 4-byte signature, 4-byte size, data; until the checksum.
    while r.pos < r.bytes.len() {
        let sig = r.take(4)?;
        let size = r.u32()? as usize;
        let sig = [sig[0], sig[1], sig[2], sig[3]];
        r.take(size)?;
        // Upper-case first letter: optional (a cache). Lower-case: needed to read
        // the index right; `sdir` (sparse directories) is understood, `link`
        // (split index: most entries live in another file) is not.
        if sig[0].is_ascii_lowercase() && &sig != b"sdir" {
            return Err(r.bad(format!(
                "extension {:?} is not supported (split index?)",
                String::from_utf8_lossy(&sig)
            )));
        }
    }
    Ok(GitIndex { version, entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index with `paths` (v2 or v4), a valid SHA-1 trailer.
    pub(crate) fn build(version: u32, paths: &[&str]) -> Vec<u8> {
        let mut out = b"DIRC".to_vec();
        out.extend(version.to_be_bytes());
        out.extend((paths.len() as u32).to_be_bytes());
        let mut prev = "";
        for p in paths {
            let start = out.len();
            out.extend([0u8; 24]);
            out.extend(0o100644u32.to_be_bytes());
            out.extend([0u8; 32]);
            out.extend((p.len() as u16).to_be_bytes());
            if version == 4 {
                let common = prev
                    .bytes()
                    .zip(p.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                out.push((prev.len() - common) as u8);
                out.extend(&p.as_bytes()[common..]);
                out.push(0);
            } else {
                out.extend(p.as_bytes());
                let len = out.len() - start;
                out.extend(vec![0u8; 8 - len % 8]);
            }
            prev = p;
        }
        let sum = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &out);
        out.extend(sum.as_ref());
        out
    }

    fn at() -> Location {
        Location::file(".git/index")
    }

    #[test]
    fn v2_and_v4_give_the_same_paths() {
        let paths = [
            "README.md",
            "deploy/kubeconfig",
            "deploy/kubeconfig.bak",
            "src/a.rs",
        ];
        for v in [2, 3, 4] {
            let idx = parse_git_index(&build(v, &paths), &at()).unwrap();
            let got: Vec<_> = idx.entries.iter().map(|e| e.path.clone()).collect();
            let want: Vec<_> = paths.iter().map(|p| p.as_bytes().to_vec()).collect();
            assert_eq!(got, want, "version {v}");
            assert_eq!(idx.entries[0].mode, 0o100644);
        }
    }

    #[test]
    fn malformed_indexes_are_typed_errors() {
        let good = build(2, &["a"]);
        let mut bad_sum = good.clone();
        *bad_sum.last_mut().unwrap() ^= 1;
        let mut zero_sum = good[..good.len() - 20].to_vec();
        zero_sum.extend([0u8; 20]);
        assert!(parse_git_index(&zero_sum, &at()).is_ok(), "skipHash");
        for (what, bytes) in [
            ("checksum", bad_sum),
            ("truncated", good[..20].to_vec()),
            ("escape", build(2, &["../etc/passwd"])),
            ("dotgit", build(4, &["x/.GIT/config"])),
            ("absolute", build(2, &["/etc/passwd"])),
            ("split", {
                let mut b = good[..good.len() - 20].to_vec();
                b.extend(b"link");
                b.extend(0u32.to_be_bytes());
                let sum = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &b);
                b.extend(sum.as_ref());
                b
            }),
        ] {
            let err = parse_git_index(&bytes, &at()).unwrap_err();
            assert_eq!(err.kind(), "bad-document", "{what}: {err}");
        }
    }

    #[test]
    fn v4_prefix_reuse_cannot_blow_up_memory() {
        let prefix = "d/".repeat(1995);
        let paths: Vec<String> = (0..1000).map(|i| format!("{prefix}{i:04}")).collect();
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let bytes = build(4, &refs);
        let err = parse_git_index(&bytes, &at()).unwrap_err();
        assert_eq!(err.kind(), "limit-reached", "{err}");
        // The same paths in version 2 cost what they take on disk: fine.
        assert_eq!(
            parse_git_index(&build(2, &refs), &at())
                .unwrap()
                .entries
                .len(),
            1000
        );
    }

    #[test]
    fn a_huge_count_is_refused_before_allocating() {
        let mut b = b"DIRC\0\0\0\x02\xff\xff\xff\xff".to_vec();
        let sum = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &b);
        b.extend(sum.as_ref());
        let err = parse_git_index(&b, &at()).unwrap_err();
        assert!(err.to_string().contains("cannot fit"), "{err}");
    }
}
