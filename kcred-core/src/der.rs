//! A minimal DER reader, just enough to find the public half of a private key.
//! Every read is bounds-checked; malformed input gives `None`, never a panic.

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
}
