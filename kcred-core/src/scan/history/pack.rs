//! Pack files and their `.idx` version 2 index, as bytes: lookup by object id,
//! entry headers, and OFS_DELTA / REF_DELTA chains resolved with a depth
//! limit, a loop check and a cap on every inflated and delta-built object.
//! Format: git's Documentation/gitformat-pack.txt.

use std::cell::RefCell;
use std::collections::HashMap;

use super::object::{apply_delta, inflate, Malformed, Object, ObjectId, ObjectKind};

/// An `.idx` v2 file checked against the pack it indexes: object ids sorted,
/// offsets inside the pack.
#[derive(Debug)]
pub struct PackIndex {
    /// Object ids, sorted.
    ids: Vec<ObjectId>,
    /// Pack offset of each id (same order).
    offsets: Vec<u64>,
    /// Every entry offset, sorted, with the pack's end last: an entry's bytes
    /// end where the next begins.
    bounds: Vec<u64>,
}

fn be32(b: &[u8], at: usize) -> Result<u32, Malformed> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| format!("index truncated at byte {at}"))
}

impl PackIndex {
    /// Parses an index for a pack of `pack_len` bytes. The object count is
    /// checked against the bytes there are before anything is allocated.
    pub fn parse(idx: &[u8], pack_len: u64) -> Result<Self, Malformed> {
        if idx.get(..8) != Some(b"\xfftOc\0\0\0\x02".as_slice()) {
            return Err("not a version 2 pack index".to_owned());
        }
        let fanout = 8;
        let count = be32(idx, fanout + 255 * 4)? as usize;
        // 20-byte id + 4-byte CRC + 4-byte offset per object, two trailing hashes.
        let fixed = 8 + 256 * 4 + 40;
        if count > idx.len().saturating_sub(fixed) / 28 {
            return Err(format!("{count} objects cannot fit in the index"));
        }
        let ids_at = fanout + 256 * 4;
        let offs_at = ids_at + count * 24;
        let large_at = offs_at + count * 4;
        let large_count = (idx.len() - 40 - large_at) / 8;
        let mut ids = Vec::with_capacity(count);
        let mut offsets = Vec::with_capacity(count);
        for i in 0..count {
            let mut raw = [0u8; 20];
            raw.copy_from_slice(&idx[ids_at + i * 20..ids_at + i * 20 + 20]);
            let id = ObjectId(raw);
            if ids.last().is_some_and(|prev| *prev >= id) {
                return Err(format!("object ids not sorted at entry {i}"));
            }
            ids.push(id);
            let small = be32(idx, offs_at + i * 4)?;
            let offset = if small & 0x8000_0000 != 0 {
                let j = (small & 0x7fff_ffff) as usize;
                if j >= large_count {
                    return Err(format!("entry {i}: 64-bit offset {j} is not in the index"));
                }
                let at = large_at + j * 8;
                u64::from(be32(idx, at)?) << 32 | u64::from(be32(idx, at + 4)?)
            } else {
                u64::from(small)
            };
            // After the 12-byte header, before the 20-byte trailer.
            if offset < 12 || offset >= pack_len.saturating_sub(20) {
                return Err(format!("entry {i}: offset {offset} is outside the pack"));
            }
            offsets.push(offset);
        }
        let mut bounds = offsets.clone();
        bounds.sort_unstable();
        bounds.dedup();
        if bounds.len() != offsets.len() {
            return Err("two objects share one offset".to_owned());
        }
        bounds.push(pack_len.saturating_sub(20));
        Ok(PackIndex {
            ids,
            offsets,
            bounds,
        })
    }

    /// How many objects the pack holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the pack is empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every object id and its pack offset, in id order.
    pub fn entries(&self) -> impl Iterator<Item = (ObjectId, u64)> + '_ {
        self.ids.iter().copied().zip(self.offsets.iter().copied())
    }

    /// The pack offset of `id`, if the pack holds it.
    pub fn offset_of(&self, id: &ObjectId) -> Option<u64> {
        self.ids.binary_search(id).ok().map(|i| self.offsets[i])
    }

    /// Where the entry at `offset` ends (the next entry or the trailer).
    fn end_of(&self, offset: u64) -> Option<u64> {
        let i = self.bounds.binary_search(&offset).ok()?;
        self.bounds.get(i + 1).copied()
    }
}

/// Bounds on resolving one object.
#[derive(Debug, Clone, Copy)]
pub struct ObjectLimits {
    /// Largest object (inflated, or built by a delta), in bytes.
    pub max_object_bytes: usize,
    /// Longest delta chain.
    pub max_delta_depth: usize,
}

/// Bytes of delta bases kept ([`Pack`]'s cache); past it the cache starts over.
const BASE_CACHE_BYTES: usize = 64 << 20;

/// A pack and its index.
#[derive(Debug)]
pub struct Pack {
    /// The pack file's bytes.
    pub bytes: Vec<u8>,
    /// Its index.
    pub index: PackIndex,
    /// Objects that were a delta's base, by offset, each with the depth of
    /// the chain that built it (so the depth limit holds however warm the
    /// cache is), and their total size: the next object of a chain starts
    /// from there instead of inflating the whole chain again (git's delta
    /// base cache).
    bases: RefCell<BaseCache>,
}

/// Delta bases by offset, each with its chain depth, and their total bytes.
#[derive(Debug, Default)]
struct BaseCache {
    objects: HashMap<u64, (Object, usize)>,
    bytes: usize,
}

/// How one entry is stored.
enum Stored {
    Whole(ObjectKind),
    OfsDelta(u64),
    RefDelta(ObjectId),
}

impl Pack {
    /// Checks the pack header and parses its index.
    pub fn parse(bytes: Vec<u8>, idx: &[u8]) -> Result<Self, Malformed> {
        if bytes.len() < 32 || &bytes[..4] != b"PACK" {
            return Err("not a pack file".to_owned());
        }
        let version = be32(&bytes, 4)?;
        if version != 2 && version != 3 {
            return Err(format!("unsupported pack version {version}"));
        }
        let index = PackIndex::parse(idx, bytes.len() as u64)?;
        if be32(&bytes, 8)? as usize != index.len() {
            return Err("pack and index disagree on the object count".to_owned());
        }
        Ok(Pack {
            bytes,
            index,
            bases: RefCell::default(),
        })
    }

    /// The header of the entry at `offset`: how it is stored, its inflated
    /// size, and where its zlib data starts and ends.
    fn entry(&self, offset: u64) -> Result<(Stored, usize, &[u8]), Malformed> {
        let end = self
            .index
            .end_of(offset)
            .ok_or_else(|| format!("no object starts at offset {offset}"))?;
        let data = usize::try_from(offset)
            .ok()
            .zip(usize::try_from(end).ok())
            .and_then(|(s, e)| self.bytes.get(s..e))
            .ok_or_else(|| format!("offset {offset} is outside the pack"))?;
        let mut pos = 0;
        let mut next = || -> Result<u8, Malformed> {
            let b = *data
                .get(pos)
                .ok_or_else(|| format!("entry at {offset} is truncated"))?;
            pos += 1;
            Ok(b)
        };
        let mut b = next()?;
        let kind = (b >> 4) & 0x07;
        let mut size = usize::from(b & 0x0f);
        let mut shift = 4u32;
        while b & 0x80 != 0 {
            b = next()?;
            size = usize::from(b & 0x7f)
                .checked_shl(shift)
                .filter(|_| shift < 57)
                .map(|v| size | v)
                .ok_or_else(|| format!("entry at {offset}: size overflows"))?;
            shift += 7;
        }
        let stored = match kind {
            1 => Stored::Whole(ObjectKind::Commit),
            2 => Stored::Whole(ObjectKind::Tree),
            3 => Stored::Whole(ObjectKind::Blob),
            4 => Stored::Whole(ObjectKind::Tag),
            6 => {
                let mut c = next()?;
                let mut back = u64::from(c & 0x7f);
                while c & 0x80 != 0 {
                    c = next()?;
                    back = back
                        .checked_add(1)
                        .and_then(|v| v.checked_mul(128))
                        .map(|v| v | u64::from(c & 0x7f))
                        .ok_or_else(|| format!("entry at {offset}: delta offset overflows"))?;
                }
                // The base comes earlier in the pack: a chain of these cannot loop.
                let base = offset
                    .checked_sub(back)
                    .filter(|b| back > 0 && *b >= 12)
                    .ok_or_else(|| {
                        format!(
                            "entry at {offset}: delta base {back} bytes back is outside the pack"
                        )
                    })?;
                Stored::OfsDelta(base)
            }
            7 => {
                let mut raw = [0u8; 20];
                for byte in &mut raw {
                    *byte = next()?;
                }
                Stored::RefDelta(ObjectId(raw))
            }
            other => return Err(format!("entry at {offset}: unknown type {other}")),
        };
        Ok((stored, size, &data[pos..]))
    }

    /// Keeps a delta base, starting the cache over when it is full.
    fn keep_base(&self, offset: u64, object: Object, depth: usize) {
        let mut cache = self.bases.borrow_mut();
        let size = object.1.len();
        if cache.bytes + size > BASE_CACHE_BYTES {
            cache.objects.clear();
            cache.bytes = 0;
        }
        if size <= BASE_CACHE_BYTES && cache.objects.insert(offset, (object, depth)).is_none() {
            cache.bytes += size;
        }
    }

    /// The object at `offset`, deltas applied. `external` finds a REF_DELTA
    /// base that is not in this pack (thin packs, loose objects).
    pub fn read_at(
        &self,
        offset: u64,
        limits: ObjectLimits,
        external: &mut dyn FnMut(&ObjectId) -> Option<Object>,
    ) -> Result<Object, Malformed> {
        let mut deltas: Vec<Vec<u8>> = Vec::new();
        let mut chain: Vec<u64> = Vec::new();
        let mut at = offset;
        let mut base_depth = 0;
        let (kind, mut body) = loop {
            let hit = self.bases.borrow().objects.get(&at).cloned();
            if let Some((object, depth)) = hit {
                base_depth = depth;
                break object;
            }
            if chain.contains(&at) {
                return Err(format!("delta chain from offset {offset} loops"));
            }
            if chain.len() > limits.max_delta_depth {
                return Err(format!(
                    "delta chain from offset {offset} is longer than {}",
                    limits.max_delta_depth
                ));
            }
            chain.push(at);
            let (stored, size, zdata) = self.entry(at)?;
            if size > limits.max_object_bytes {
                return Err(format!(
                    "entry at {at} of {size} bytes is over the {}-byte limit",
                    limits.max_object_bytes
                ));
            }
            let data = inflate(zdata, size)?;
            if data.len() != size {
                return Err(format!(
                    "entry at {at} states {size} bytes and inflates to {}",
                    data.len()
                ));
            }
            match stored {
                Stored::Whole(kind) => {
                    if !deltas.is_empty() {
                        self.keep_base(at, (kind, data.clone()), 0);
                    }
                    break (kind, data);
                }
                Stored::OfsDelta(base) => {
                    deltas.push(data);
                    at = base;
                }
                Stored::RefDelta(id) => {
                    deltas.push(data);
                    match self.index.offset_of(&id) {
                        Some(base) => at = base,
                        None => match external(&id) {
                            Some(found) => break found,
                            None => return Err(format!("delta base {id} is missing")),
                        },
                    }
                }
            }
        };
        if deltas.len() + base_depth > limits.max_delta_depth {
            return Err(format!(
                "delta chain from offset {offset} is longer than {}",
                limits.max_delta_depth
            ));
        }
        // deltas[i] is the entry at chain[i]; each result but the last is
        // the base of the entry above it.
        for (i, delta) in deltas.iter().enumerate().rev() {
            body = apply_delta(&body, delta, limits.max_object_bytes)?;
            if i > 0 {
                let depth = base_depth + deltas.len() - i;
                self.keep_base(chain[i], (kind, body.clone()), depth);
            }
        }
        Ok((kind, body))
    }
}
