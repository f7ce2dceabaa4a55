//! Distinguished names for the DER walk: the text x509-parser's `Display`
//! gives (`CN=a, O=b`, a multi-valued RDN joined by ` + `), built once, and
//! the CN and O values, for the attributes and string types the walk names.

use crate::der::Element;

/// Attribute types by encoded OID, with x509-parser's abbreviations.
pub(super) const ATTRIBUTES: &[(&[u8], &str)] = &[
    (&[0x55, 0x04, 0x03], "CN"),
    (&[0x55, 0x04, 0x0a], "O"),
    (&[0x55, 0x04, 0x0b], "OU"),
    (&[0x55, 0x04, 0x06], "C"),
    (&[0x55, 0x04, 0x07], "L"),
    (&[0x55, 0x04, 0x08], "ST"),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19],
        "DC",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01],
        "Email",
    ),
];

/// String types whose UTF-8 content x509-parser shows as it is (UTF8String,
/// PrintableString, IA5String, NumericString, TeletexString, VisibleString);
/// a BMPString or a non-string value is left to x509-parser.
const STRINGS: &[u8] = &[0x0c, 0x13, 0x16, 0x12, 0x14, 0x1a];

/// One attribute of a name: its abbreviation and its text.
pub(super) struct Attribute<'a> {
    abbrev: &'static str,
    value: &'a str,
}

impl<'a> Attribute<'a> {
    /// `None` when the type or the string type is not one the walk names, or
    /// the text is not UTF-8.
    pub(super) fn of(oid: &[u8], value: &Element<'a>) -> Option<Self> {
        let &(_, abbrev) = ATTRIBUTES.iter().find(|(o, _)| *o == oid)?;
        STRINGS.contains(&value.tag).then_some(())?;
        let value = std::str::from_utf8(value.content).ok()?;
        Some(Attribute { abbrev, value })
    }
}

/// A name's text and the values the facts report.
#[derive(Default)]
pub(super) struct Name<'a> {
    /// `CN=a, O=b` as x509-parser writes it.
    pub(super) text: String,
    common_name: Option<&'a str>,
    organizations: Vec<&'a str>,
}

impl<'a> Name<'a> {
    /// Adds an attribute; `starts_rdn` for the first of its RDN.
    pub(super) fn push(&mut self, attribute: Attribute<'a>, starts_rdn: bool) {
        if !self.text.is_empty() {
            self.text.push_str(if starts_rdn { ", " } else { " + " });
        }
        self.text.push_str(attribute.abbrev);
        self.text.push('=');
        self.text.push_str(attribute.value);
        match attribute.abbrev {
            "CN" if self.common_name.is_none() => self.common_name = Some(attribute.value),
            "O" => self.organizations.push(attribute.value),
            _ => {}
        }
    }

    /// The first CN.
    pub(super) fn common_name(&self) -> Option<String> {
        self.common_name.map(str::to_owned)
    }

    /// Every O, in order.
    pub(super) fn organizations(&self) -> Vec<String> {
        self.organizations.iter().map(|o| (*o).to_owned()).collect()
    }
}
