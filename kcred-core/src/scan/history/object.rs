//! git objects as bytes: object ids, zlib inflate with a cap on the output (a
//! zip bomb stops at the cap, not after it), loose-object headers, and the
//! commit, tree and tag parsers. Pure functions over bytes, no file system:
//! the fuzz target `git_objects` calls them directly. Format: git's
//! Documentation/gitformat-pack.txt and gitformat-loose.txt.

use std::fmt;

/// A SHA-1 object id (SHA-256 repositories are refused when opened).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId(pub [u8; 20]);

impl ObjectId {
    /// Parses 40 hexadecimal digits (either case).
    pub fn from_hex(hex: &[u8]) -> Option<Self> {
        if hex.len() != 40 {
            return None;
        }
        let digit = |c: u8| char::from(c).to_digit(16).map(|d| d as u8);
        let mut out = [0u8; 20];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(ObjectId(out))
    }

    /// The first `n` hexadecimal digits (at most 40).
    pub fn short(&self, n: usize) -> String {
        let mut s = self.to_string();
        s.truncate(n);
        s
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({self})")
    }
}

/// The four kinds of object git stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    /// A commit: a tree, parents and a message.
    Commit,
    /// A folder listing.
    Tree,
    /// File contents.
    Blob,
    /// An annotated tag.
    Tag,
}

impl ObjectKind {
    /// The kind's name as git writes it in loose-object headers.
    pub fn name(self) -> &'static str {
        match self {
            ObjectKind::Commit => "commit",
            ObjectKind::Tree => "tree",
            ObjectKind::Blob => "blob",
            ObjectKind::Tag => "tag",
        }
    }

    fn from_name(name: &[u8]) -> Option<Self> {
        [
            ObjectKind::Commit,
            ObjectKind::Tree,
            ObjectKind::Blob,
            ObjectKind::Tag,
        ]
        .into_iter()
        .find(|k| k.name().as_bytes() == name)
    }
}

/// An object: its kind and its content.
pub type Object = (ObjectKind, Vec<u8>);

/// Why bytes are not a valid object; the caller adds the repository and id.
/// A reason naming a size limit contains [`OVER_LIMIT`].
pub(crate) type Malformed = String;

/// In every reason that says an object is larger than a limit allows: such
/// an object is not malformed, only too large to examine.
pub(crate) const OVER_LIMIT: &str = "-byte limit";

/// Inflates a zlib stream to at most `max` bytes. More than `max` is refused
/// without producing more: the cap bounds memory whatever the input claims.
pub fn inflate(input: &[u8], max: usize) -> Result<Vec<u8>, Malformed> {
    use miniz_oxide::inflate::{decompress_to_vec_zlib_with_limit, TINFLStatus};
    decompress_to_vec_zlib_with_limit(input, max).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => format!("inflates to more than {max} bytes"),
        TINFLStatus::FailedCannotMakeProgress => "zlib stream is truncated".to_owned(),
        _ => "not a valid zlib stream".to_owned(),
    })
}

/// A loose object (`objects/ab/cdef...`): inflated to at most `max` bytes of
/// content, its `<kind> <size>\0` header checked against what follows.
pub fn parse_loose(compressed: &[u8], max: usize) -> Result<Object, Malformed> {
    // The header is at most "commit 18446744073709551615\0": 28 bytes.
    let mut raw = inflate(compressed, max.saturating_add(32)).map_err(|e| {
        match e.starts_with("inflates") {
            true => format!("object is over the {max}-byte limit"),
            false => e,
        }
    })?;
    let nul = raw
        .iter()
        .take(32)
        .position(|b| *b == 0)
        .ok_or("no object header")?;
    let header = &raw[..nul];
    let space = header
        .iter()
        .position(|b| *b == b' ')
        .ok_or("no object header")?;
    let kind = ObjectKind::from_name(&header[..space]).ok_or("unknown object type")?;
    let size: usize = std::str::from_utf8(&header[space + 1..])
        .ok()
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse().ok())
        .ok_or("object size is not a number")?;
    if size > max {
        return Err(format!(
            "object of {size} bytes is over the {max}-byte limit"
        ));
    }
    if raw.len() - nul - 1 != size {
        return Err(format!(
            "header says {size} bytes, the object holds {}",
            raw.len() - nul - 1
        ));
    }
    raw.drain(..=nul);
    Ok((kind, raw))
}

/// What history needs from a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The root tree.
    pub tree: ObjectId,
    /// Parent commits, in order.
    pub parents: Vec<ObjectId>,
    /// Committer time, seconds since the epoch (0 when absent or unreadable:
    /// only an order, never a fact reported).
    pub time: i64,
}

/// Parses a commit's header lines (`tree`, `parent`, `committer`); the rest
/// (signatures, message) is ignored.
pub fn parse_commit(body: &[u8]) -> Result<Commit, Malformed> {
    let mut tree = None;
    let mut parents = Vec::new();
    let mut time = 0;
    for line in body.split(|b| *b == b'\n') {
        if line.is_empty() {
            break;
        }
        if let Some(hex) = line.strip_prefix(b"tree ") {
            tree = Some(ObjectId::from_hex(hex).ok_or("tree id is not 40 hex digits")?);
        } else if let Some(hex) = line.strip_prefix(b"parent ") {
            parents.push(ObjectId::from_hex(hex).ok_or("parent id is not 40 hex digits")?);
        } else if let Some(who) = line.strip_prefix(b"committer ") {
            // "Name <mail> 1700000000 +0000": the second field from the end.
            time = who
                .rsplit(|b| *b == b' ')
                .nth(1)
                .and_then(|t| std::str::from_utf8(t).ok())
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
        }
    }
    let tree = tree.ok_or("commit has no tree")?;
    Ok(Commit {
        tree,
        parents,
        time,
    })
}

/// What a tree entry points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A sub-folder (mode 40000).
    Tree,
    /// A file (modes 100644, 100755, and the old 100664).
    File,
    /// A symbolic link (120000): its blob is a path, not contents; skipped.
    Symlink,
    /// A submodule commit (160000): in another repository; skipped.
    Gitlink,
}

/// One entry of a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    /// What it is.
    pub kind: EntryKind,
    /// The name (one path component, bytes as stored).
    pub name: Vec<u8>,
    /// The object.
    pub id: ObjectId,
}

/// Parses a tree: `<octal mode> <name>\0<20-byte id>` entries. A name that
/// is empty, `.`, `..`, holds `/` or is longer than `max_name` makes the tree
/// malformed (git's fsck refuses them too).
pub fn parse_tree(body: &[u8], max_name: usize) -> Result<Vec<TreeEntry>, Malformed> {
    let mut entries = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let at = body.len() - rest.len();
        let space = rest
            .iter()
            .take(8)
            .position(|b| *b == b' ')
            .ok_or_else(|| format!("entry at byte {at}: no mode"))?;
        let mode = std::str::from_utf8(&rest[..space])
            .ok()
            .and_then(|m| u32::from_str_radix(m, 8).ok())
            .ok_or_else(|| format!("entry at byte {at}: mode is not octal"))?;
        let kind = match mode {
            0o40000 => EntryKind::Tree,
            0o100644 | 0o100755 | 0o100664 => EntryKind::File,
            0o120000 => EntryKind::Symlink,
            0o160000 => EntryKind::Gitlink,
            _ => return Err(format!("entry at byte {at}: unknown mode {mode:o}")),
        };
        rest = &rest[space + 1..];
        let nul = rest
            .iter()
            .take(max_name.saturating_add(1))
            .position(|b| *b == 0)
            .ok_or_else(|| {
                format!("entry at byte {at}: name has no end within {max_name} bytes")
            })?;
        let name = &rest[..nul];
        if name.is_empty() || name == b"." || name == b".." || name.contains(&b'/') {
            return Err(format!(
                "entry at byte {at}: name is empty, '.', '..' or holds '/'"
            ));
        }
        let id = rest
            .get(nul + 1..nul + 21)
            .ok_or_else(|| format!("entry at byte {at}: truncated id"))?;
        let mut raw = [0u8; 20];
        raw.copy_from_slice(id);
        entries.push(TreeEntry {
            kind,
            name: name.to_vec(),
            id: ObjectId(raw),
        });
        rest = &rest[nul + 21..];
    }
    Ok(entries)
}

/// The object an annotated tag points at, and its kind.
pub fn parse_tag(body: &[u8]) -> Result<(ObjectId, ObjectKind), Malformed> {
    let mut object = None;
    let mut kind = None;
    for line in body.split(|b| *b == b'\n') {
        if line.is_empty() {
            break;
        }
        if let Some(hex) = line.strip_prefix(b"object ") {
            object = ObjectId::from_hex(hex);
        } else if let Some(name) = line.strip_prefix(b"type ") {
            kind = ObjectKind::from_name(name);
        }
    }
    match (object, kind) {
        (Some(o), Some(k)) => Ok((o, k)),
        _ => Err("tag has no valid object or type line".to_owned()),
    }
}

/// Applies a git delta to `base`: the result is at most `max` bytes, and every
/// copy stays inside the base (gitformat-pack.txt, "Deltified representation").
pub fn apply_delta(base: &[u8], delta: &[u8], max: usize) -> Result<Vec<u8>, Malformed> {
    let mut pos = 0usize;
    let mut size = || -> Result<usize, Malformed> {
        let mut value = 0usize;
        for shift in (0..64).step_by(7) {
            let b = *delta.get(pos).ok_or("delta header is truncated")?;
            pos += 1;
            value |= usize::from(b & 0x7f)
                .checked_shl(shift)
                .filter(|v| v >> shift == usize::from(b & 0x7f))
                .ok_or("delta size overflows")?;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("delta size overflows".to_owned())
    };
    let source = size()?;
    let target = size()?;
    if source != base.len() {
        return Err(format!(
            "delta expects a {source}-byte base, the base has {}",
            base.len()
        ));
    }
    if target > max {
        return Err(format!(
            "delta result of {target} bytes is over the {max}-byte limit"
        ));
    }
    let mut out = Vec::with_capacity(target);
    while pos < delta.len() {
        let cmd = delta[pos];
        pos += 1;
        if cmd & 0x80 != 0 {
            let mut field = |bits: u8, count: usize| -> Result<usize, Malformed> {
                let mut v = 0usize;
                for i in 0..count {
                    if bits & (1 << i) != 0 {
                        let b = *delta.get(pos).ok_or("delta copy is truncated")?;
                        pos += 1;
                        v |= usize::from(b) << (8 * i);
                    }
                }
                Ok(v)
            };
            let offset = field(cmd & 0x0f, 4)?;
            let len = match field((cmd >> 4) & 0x07, 3)? {
                0 => 0x10000,
                n => n,
            };
            let chunk = offset
                .checked_add(len)
                .and_then(|end| base.get(offset..end))
                .ok_or("delta copies from outside its base")?;
            if out.len() + chunk.len() > target {
                return Err("delta writes past its stated size".to_owned());
            }
            out.extend_from_slice(chunk);
        } else if cmd != 0 {
            let n = usize::from(cmd);
            let chunk = delta.get(pos..pos + n).ok_or("delta insert is truncated")?;
            pos += n;
            if out.len() + n > target {
                return Err("delta writes past its stated size".to_owned());
            }
            out.extend_from_slice(chunk);
        } else {
            return Err("delta has the reserved instruction 0".to_owned());
        }
    }
    if out.len() != target {
        return Err(format!(
            "delta states {target} bytes and writes {}",
            out.len()
        ));
    }
    Ok(out)
}
