//! A minimal DER reader: enough to find the public half of a private key
//! ([`read`], lenient about length forms) and to walk a certificate
//! ([`read_strict`], DER's rules). Every read is bounds-checked; malformed
//! input gives `None`, never a panic.

/// One DER element: its tag byte and its content.
pub(crate) struct Element<'a> {
    pub tag: u8,
    pub content: &'a [u8],
}

/// Reads one element from the front of `input`; returns it and the rest.
pub(crate) fn read(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (len_bytes, rest) = rest.split_at(count);
        let len = len_bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, rest)
    };
    if rest.len() < len {
        return None;
    }
    let (content, rest) = rest.split_at(len);
    Some((Element { tag, content }, rest))
}

/// Reads one element from the front of `input` as DER requires it: a tag in
/// the low-number form and a definite length in its shortest form (no leading
/// zero byte, the long form only from 128). The whole element (header
/// included) comes back with it.
pub(crate) fn read_strict(input: &[u8]) -> Option<(Element<'_>, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        let len_bytes = rest.get(..count)?;
        if count == 0 || count > 4 || len_bytes.first() == Some(&0) {
            return None;
        }
        let len = len_bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        if len < 0x80 {
            return None;
        }
        (len, rest.get(count..)?)
    };
    let content = rest.get(..len)?;
    let after = rest.get(len..)?;
    let whole = input.get(..input.len() - after.len())?;
    Some((Element { tag, content }, after, whole))
}

/// Whether `content` is a well-formed OBJECT IDENTIFIER body: not empty, no
/// sub-identifier with a leading 0x80 byte, the last byte ending one.
pub(crate) fn valid_oid(content: &[u8]) -> bool {
    let starts_ok = content
        .iter()
        .enumerate()
        .all(|(i, b)| *b != 0x80 || (i > 0 && content[i - 1] & 0x80 != 0));
    content.last().is_some_and(|b| b & 0x80 == 0) && starts_ok
}

/// All elements inside a constructed element's content.
pub(crate) fn children(mut content: &[u8]) -> Option<Vec<Element<'_>>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let (element, rest) = read(content)?;
        out.push(element);
        content = rest;
    }
    Some(out)
}

/// Every element inside a constructed element's content, each with its header.
pub(crate) fn raw_children(mut content: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let (_, rest) = read(content)?;
        out.push(&content[..content.len() - rest.len()]);
        content = rest;
    }
    Some(out)
}

/// An INTEGER's magnitude without leading zero bytes.
pub(crate) fn unsigned(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OID: u8 = 0x06;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths_and_rejects_truncation() {
        let (e, rest) = read(&[0x02, 0x01, 0x05, 0xff]).unwrap();
        assert_eq!((e.tag, e.content, rest), (0x02, &[5u8][..], &[0xffu8][..]));
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 128]);
        assert_eq!(read(&long).unwrap().0.content.len(), 128);
        assert!(read(&[0x04, 0x81]).is_none());
        assert!(read(&[0x04, 0x05, 1, 2]).is_none());
        assert!(read(&[0x04, 0x85, 1, 1, 1, 1, 1]).is_none());
        assert_eq!(unsigned(&[0, 0, 1, 0]), &[1, 0]);
    }

    #[test]
    fn strict_reads_refuse_what_der_forbids() {
        let (e, rest, whole) = read_strict(&[0x02, 0x01, 0x05, 0xff]).unwrap();
        assert_eq!(
            (e.tag, e.content, rest, whole),
            (2, &[5u8][..], &[0xffu8][..], &[2u8, 1, 5][..])
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 128]);
        assert_eq!(read_strict(&long).unwrap().0.content.len(), 128);
        // the long form for a short length, a leading zero, indefinite, high tag
        for bad in [
            &[0x04, 0x81, 0x01, 0x00][..],
            &[0x04, 0x82, 0x00, 0x81],
            &[0x30, 0x80, 0x00, 0x00],
            &[0x1f, 0x01, 0x00],
            &[0x04, 0x02, 0x00],
            &[0x04],
        ] {
            assert!(read_strict(bad).is_none(), "{bad:?}");
        }
        assert!(valid_oid(&[0x2a, 0x86, 0x48]));
        assert!(valid_oid(&[0x2a, 0x86, 0x80, 0x01]));
        for bad in [&[][..], &[0x2a, 0x86], &[0x80, 0x01], &[0x2a, 0x80, 0x01]] {
            assert!(!valid_oid(bad), "{bad:?}");
        }
    }
}
