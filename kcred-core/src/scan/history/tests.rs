//! The object parsers on hand-built bytes: what git writes reads back, and
//! bad offsets, delta loops, oversized inflates and truncations are typed
//! errors, never a panic.

use super::object::*;
use super::pack::*;

fn zlib(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

fn id(n: u8) -> ObjectId {
    ObjectId([n; 20])
}

/// A pack entry header: type and inflated size.
fn header(kind: u8, size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut b = (kind << 4) | (size & 0x0f) as u8;
    let mut rest = size >> 4;
    while rest > 0 {
        out.push(b | 0x80);
        b = (rest & 0x7f) as u8;
        rest >>= 7;
    }
    out.push(b);
    out
}

/// The OFS_DELTA distance encoding.
fn ofs(mut n: u64) -> Vec<u8> {
    let mut out = vec![(n & 0x7f) as u8];
    n >>= 7;
    while n > 0 {
        n -= 1;
        out.push(0x80 | (n & 0x7f) as u8);
        n >>= 7;
    }
    out.reverse();
    out
}

fn varint(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

/// A delta: copy `base[off..off+len]`, then insert `tail`.
fn delta(base_len: usize, off: u8, len: u8, tail: &[u8]) -> Vec<u8> {
    let mut d = varint(base_len);
    d.extend(varint(usize::from(len) + tail.len()));
    d.extend([0x80 | 0x01 | 0x10, off, len]);
    d.push(tail.len() as u8);
    d.extend(tail);
    d
}

/// One entry to pack: its id, the bytes before the zlib data, the data.
struct Entry {
    id: ObjectId,
    head: Vec<u8>,
    body: Vec<u8>,
}

fn entry(n: u8, head: Vec<u8>, body: Vec<u8>) -> Entry {
    Entry {
        id: id(n),
        head,
        body,
    }
}

/// A pack and its idx v2; `prefix` runs on each entry's offset-dependent head.
fn pack(entries: &[Entry]) -> (Vec<u8>, Vec<u8>, Vec<u64>) {
    let mut p = b"PACK\0\0\0\x02".to_vec();
    p.extend((entries.len() as u32).to_be_bytes());
    let mut offsets = Vec::new();
    for e in entries {
        offsets.push(p.len() as u64);
        p.extend(&e.head);
        p.extend(zlib(&e.body));
    }
    p.extend([0u8; 20]);
    let mut sorted: Vec<(ObjectId, u64)> =
        entries.iter().map(|e| e.id).zip(offsets.clone()).collect();
    sorted.sort();
    let mut idx = b"\xfftOc\0\0\0\x02".to_vec();
    for b in 0..256usize {
        let n = sorted
            .iter()
            .filter(|(i, _)| usize::from(i.0[0]) <= b)
            .count();
        idx.extend((n as u32).to_be_bytes());
    }
    for (i, _) in &sorted {
        idx.extend(i.0);
    }
    idx.extend(vec![0u8; 4 * sorted.len()]);
    for (_, o) in &sorted {
        idx.extend((*o as u32).to_be_bytes());
    }
    idx.extend([0u8; 40]);
    (p, idx, offsets)
}

const LIMITS: ObjectLimits = ObjectLimits {
    max_object_bytes: 1 << 20,
    max_delta_depth: 8,
};

fn none(_: &ObjectId) -> Option<Object> {
    None
}

#[test]
fn loose_objects_round_trip_and_bad_headers_are_errors() {
    let (kind, body) = parse_loose(&zlib(b"blob 5\0hello"), 100).unwrap();
    assert_eq!(
        (kind, body.as_slice()),
        (ObjectKind::Blob, b"hello".as_slice())
    );
    for (bytes, want) in [
        (zlib(b"blob 6\0hello"), "header says 6"),
        (zlib(b"blub 5\0hello"), "unknown object type"),
        (zlib(b"blob x\0hello"), "not a number"),
        (zlib(b"blob 5hello"), "no object header"),
        (b"not zlib".to_vec(), "zlib"),
        (zlib(b"blob 5\0hello")[..6].to_vec(), "zlib"),
    ] {
        let err = parse_loose(&bytes, 100).unwrap_err();
        assert!(err.contains(want), "{err:?} lacks {want:?}");
    }
}

#[test]
fn a_zip_bomb_stops_at_the_cap() {
    // 16 MiB of zeros compress to about 16 KiB; the cap is 1 MiB.
    let bomb = zlib(&vec![0u8; 16 << 20]);
    assert!(bomb.len() < 1 << 20);
    let err = inflate(&bomb, 1 << 20).unwrap_err();
    assert!(err.contains("more than 1048576"), "{err}");
    // A loose object says so as a size limit (a skip), not as malformed bytes.
    let err = parse_loose(&bomb, 1 << 20).unwrap_err();
    assert!(err.contains(OVER_LIMIT), "{err}");
}

#[test]
fn commits_trees_and_tags_parse_strictly() {
    let tree_hex = "ab".repeat(20);
    let parent = "cd".repeat(20);
    let text = format!(
        "tree {tree_hex}\nparent {parent}\nauthor A <a@b> 1 +0000\ncommitter C <c@d> 1700000000 +0100\ngpgsig -----BEGIN\n x\n\nmessage\ntree {parent}\n"
    );
    let c = parse_commit(text.as_bytes()).unwrap();
    assert_eq!(c.tree, ObjectId([0xab; 20]));
    assert_eq!(c.parents, vec![ObjectId([0xcd; 20])]);
    assert_eq!(c.time, 1_700_000_000);
    assert!(parse_commit(b"author x\n\n").is_err());
    assert!(parse_commit(b"tree 12\n").is_err());

    let mut tree = b"100644 a.txt\0".to_vec();
    tree.extend([1u8; 20]);
    tree.extend(b"40000 dir\0");
    tree.extend([2u8; 20]);
    tree.extend(b"160000 sub\0");
    tree.extend([3u8; 20]);
    let entries = parse_tree(&tree, 4096).unwrap();
    let kinds: Vec<EntryKind> = entries.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [EntryKind::File, EntryKind::Tree, EntryKind::Gitlink]
    );
    assert_eq!(entries[1].name, b"dir");
    for (bad, want) in [
        (b"100644 ..\0".to_vec(), "'..'"),
        (b"100644 a/b\0".to_vec(), "'/'"),
        (b"100999 a\0".to_vec(), "mode"),
        (b"100644 a\0short".to_vec(), "truncated id"),
        (b"100644 aaaa".to_vec(), "no end"),
        (b"1006441234".to_vec(), "no mode"),
    ] {
        let mut bytes = bad;
        if want != "truncated id" && want != "no end" && want != "no mode" {
            bytes.extend([0u8; 20]);
        }
        let err = parse_tree(&bytes, 4096).unwrap_err();
        assert!(err.contains(want), "{err:?} lacks {want:?}");
    }
    assert!(parse_tree(b"100644 long-name\0", 4)
        .unwrap_err()
        .contains("no end"));

    let tag = format!("object {parent}\ntype commit\ntag v1\n\nmsg");
    assert_eq!(
        parse_tag(tag.as_bytes()).unwrap(),
        (ObjectId([0xcd; 20]), ObjectKind::Commit)
    );
    assert!(parse_tag(b"type commit\n").is_err());
}

#[test]
fn deltas_apply_and_bad_ones_are_errors() {
    let base = b"0123456789";
    assert_eq!(
        apply_delta(base, &delta(10, 2, 3, b"xy"), 100).unwrap(),
        b"234xy"
    );
    let mut outside = delta(10, 8, 5, b"");
    assert!(apply_delta(base, &outside, 100)
        .unwrap_err()
        .contains("outside its base"));
    outside = delta(9, 0, 1, b"");
    assert!(apply_delta(base, &outside, 100).unwrap_err().contains("10"));
    assert!(apply_delta(base, &delta(10, 0, 5, b"abc"), 4)
        .unwrap_err()
        .contains("limit"));
    let mut reserved = varint(10);
    reserved.extend([1, 0]);
    assert!(apply_delta(base, &reserved, 100)
        .unwrap_err()
        .contains("reserved"));
    let overflow = [0xffu8; 12];
    assert!(apply_delta(base, &overflow, 100).is_err());
    // Stated size 5, writes 2.
    let mut short = varint(10);
    short.extend([5, 2, b'a', b'b']);
    assert!(apply_delta(base, &short, 100)
        .unwrap_err()
        .contains("states 5"));
    for cut in 0..12 {
        let d = delta(10, 2, 3, b"xy");
        let _ = apply_delta(base, &d[..cut.min(d.len())], 100);
    }
}

#[test]
fn packs_resolve_ofs_and_ref_deltas() {
    let base = b"apiVersion: v1\nkind: Config\n".to_vec();
    let d1 = delta(base.len(), 0, 15, b"kind: Secret\n");
    let target1 = b"apiVersion: v1\nkind: Secret\n".to_vec();
    let d2 = delta(target1.len(), 0, 15, b"x");
    // Entry 0: the base; 1: OFS_DELTA on 0; 2: REF_DELTA on 1.
    let head0 = header(3, base.len());
    let off1 = 12 + head0.len() + zlib(&base).len();
    let mut head1 = header(6, d1.len());
    head1.extend(ofs((off1 - 12) as u64));
    let mut head2 = header(7, d2.len());
    head2.extend(id(0x50).0);
    let entries = [
        entry(0x10, head0, base.clone()),
        entry(0x50, head1, d1),
        entry(0x30, head2, d2),
    ];
    let (bytes, idx, offsets) = pack(&entries);
    let pack = Pack::parse(bytes, &idx).unwrap();
    assert_eq!(pack.index.len(), 3);
    let read = |i: &ObjectId| pack.read_at(pack.index.offset_of(i).unwrap(), LIMITS, &mut none);
    assert_eq!(read(&id(0x10)).unwrap(), (ObjectKind::Blob, base));
    assert_eq!(read(&id(0x50)).unwrap(), (ObjectKind::Blob, target1));
    assert_eq!(read(&id(0x30)).unwrap().1, b"apiVersion: v1\nx");
    assert_eq!(pack.index.offset_of(&id(0x99)), None);
    // Not an entry start: a typed error.
    assert!(pack.read_at(offsets[1] + 1, LIMITS, &mut none).is_err());
    // A depth limit of 1 refuses the two-step chain.
    let shallow = ObjectLimits {
        max_delta_depth: 1,
        ..LIMITS
    };
    let err = pack.read_at(offsets[2], shallow, &mut none).unwrap_err();
    assert!(err.contains("longer than 1"), "{err}");
}

#[test]
fn a_ref_delta_loop_and_a_missing_base_are_errors() {
    let d = delta(3, 0, 3, b"");
    let mut head_a = header(7, d.len());
    head_a.extend(id(0x20).0);
    let mut head_b = header(7, d.len());
    head_b.extend(id(0x10).0);
    let mut head_c = header(7, d.len());
    head_c.extend(id(0x77).0);
    let entries = [
        entry(0x10, head_a, d.clone()),
        entry(0x20, head_b, d.clone()),
        entry(0x30, head_c, d),
    ];
    let (bytes, idx, offsets) = pack(&entries);
    let pack = Pack::parse(bytes, &idx).unwrap();
    let err = pack.read_at(offsets[0], LIMITS, &mut none).unwrap_err();
    assert!(err.contains("loops"), "{err}");
    let err = pack.read_at(offsets[2], LIMITS, &mut none).unwrap_err();
    assert!(err.contains("missing"), "{err}");
}

#[test]
fn bad_indexes_and_entries_are_errors() {
    let body = b"hello".to_vec();
    let entries = [Entry {
        id: id(1),
        head: header(3, body.len()),
        body: body.clone(),
    }];
    let (bytes, idx, _) = pack(&entries);
    assert!(Pack::parse(bytes.clone(), &idx).is_ok());
    // An offset past the pack's end.
    let mut far = idx.clone();
    let at = 8 + 1024 + 20 + 4;
    far[at..at + 4].copy_from_slice(&0x0fff_ffffu32.to_be_bytes());
    assert!(PackIndex::parse(&far, bytes.len() as u64)
        .unwrap_err()
        .contains("outside"));
    // A 64-bit offset that is not there.
    let mut large = idx.clone();
    large[at..at + 4].copy_from_slice(&0x8000_0005u32.to_be_bytes());
    assert!(PackIndex::parse(&large, bytes.len() as u64)
        .unwrap_err()
        .contains("64-bit"));
    // A count the file cannot hold.
    let mut many = idx.clone();
    many[8 + 1020..8 + 1024].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(PackIndex::parse(&many, bytes.len() as u64)
        .unwrap_err()
        .contains("cannot fit"));
    // The pack says two objects, the index one.
    let mut two = bytes.clone();
    two[11] = 2;
    assert!(Pack::parse(two, &idx).unwrap_err().contains("disagree"));
    // An entry whose stated size is over the limit, and one that lies about it.
    let entries = [Entry {
        id: id(1),
        head: header(3, 1 << 30),
        body: body.clone(),
    }];
    let (bytes, idx, offsets) = pack(&entries);
    let p = Pack::parse(bytes, &idx).unwrap();
    assert!(p
        .read_at(offsets[0], LIMITS, &mut none)
        .unwrap_err()
        .contains("limit"));
    let entries = [Entry {
        id: id(1),
        head: header(3, 3),
        body,
    }];
    let (bytes, idx, offsets) = pack(&entries);
    let p = Pack::parse(bytes, &idx).unwrap();
    assert!(p.read_at(offsets[0], LIMITS, &mut none).is_err());
    // An OFS_DELTA pointing before the pack's header.
    let d = delta(3, 0, 3, b"");
    let mut head = header(6, d.len());
    head.extend(ofs(100));
    let (bytes, idx, offsets) = pack(&[Entry {
        id: id(1),
        head,
        body: d,
    }]);
    let p = Pack::parse(bytes, &idx).unwrap();
    assert!(p
        .read_at(offsets[0], LIMITS, &mut none)
        .unwrap_err()
        .contains("outside"));
    // Truncations of a good index and pack never panic.
    let (bytes, idx, _) = pack(&[Entry {
        id: id(1),
        head: header(3, 5),
        body: b"hello".to_vec(),
    }]);
    for cut in (0..idx.len()).step_by(7) {
        let _ = PackIndex::parse(&idx[..cut], bytes.len() as u64);
    }
    for cut in 0..bytes.len() {
        if let Ok(p) = Pack::parse(bytes[..cut].to_vec(), &idx) {
            let _ = p.read_at(12, LIMITS, &mut none);
        }
    }
}

#[test]
fn object_ids_are_hex() {
    let hex = "0123456789abcdef0123456789ABCDEF01234567";
    let id = ObjectId::from_hex(hex.as_bytes()).unwrap();
    assert_eq!(id.to_string(), hex.to_ascii_lowercase());
    assert_eq!(id.short(7), "0123456");
    assert!(ObjectId::from_hex(b"0123").is_none());
    assert!(ObjectId::from_hex(&[b'g'; 40]).is_none());
}
