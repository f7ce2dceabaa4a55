//! A `serde::Deserializer` over the node tree, so that the model's derives
//! stay its one definition. Scalars resolve as serde-saphyr resolves them
//! (YAML 1.1 booleans, YAML 1.2 numbers, `null`/`~`/empty as null, `!!str`
//! and quotes keep text); the recursion is bounded by the tree's depth budget.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::scalar::{self, Plain};
use super::tree::{Kind, Node, Tree};

/// A deserialization error: the message (to be sanitized) and the line of
/// the node it is about.
#[derive(Debug)]
pub(super) struct DeError {
    pub(super) message: String,
    pub(super) line: Option<u32>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            line: None,
        }
    }
}

/// Deserializes the node `index` of `tree`.
#[derive(Clone, Copy)]
pub(super) struct NodeDe<'t, 'a> {
    pub(super) tree: &'t Tree<'a>,
    pub(super) index: u32,
}

impl<'t, 'a> NodeDe<'t, 'a> {
    fn node(&self) -> &'t Node<'a> {
        self.tree.resolve(self.index)
    }

    fn located(&self, mut err: DeError) -> DeError {
        if err.line.is_none() {
            let line = self.tree.nodes.get(self.index as usize).map(|n| n.line);
            err.line = line.filter(|l| *l > 0);
        }
        err
    }

    fn fixed(&self, message: &str) -> DeError {
        self.located(DeError {
            message: message.to_owned(),
            line: None,
        })
    }

    /// The scalar's text as a string target reads it; null-like plain text
    /// is not a string.
    fn string(&self) -> Result<&'t Cow<'a, str>, DeError> {
        match &self.node().kind {
            Kind::Scalar {
                text,
                plain,
                string,
            } => {
                if *plain && !*string && scalar::is_nullish(text) {
                    Err(self.fixed("null where a string is expected"))
                } else {
                    Ok(text)
                }
            }
            Kind::Seq { .. } => Err(self.fixed("a sequence where a string is expected")),
            _ => Err(self.fixed("a mapping where a string is expected")),
        }
    }

    fn is_null(&self) -> bool {
        matches!(&self.node().kind, Kind::Scalar { text, plain: true, string: false } if scalar::is_nullish(text))
    }
}

fn visit_text<'de, V: Visitor<'de>>(text: &str, visitor: V) -> Result<V::Value, DeError> {
    visitor.visit_str(text)
}

impl<'de, 't, 'a> de::Deserializer<'de> for NodeDe<'t, 'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match &self.node().kind {
            Kind::Scalar {
                text,
                plain,
                string,
            } => {
                if !*plain || *string {
                    visit_text(text, visitor)
                } else {
                    match scalar::resolve_plain(text) {
                        Plain::Null => visitor.visit_unit(),
                        Plain::Bool(b) => visitor.visit_bool(b),
                        Plain::Unsigned(n) => visitor.visit_u64(n),
                        Plain::Signed(n) => visitor.visit_i64(n),
                        Plain::Float(f) => visitor.visit_f64(f),
                        Plain::NonFinite => {
                            return Err(self.fixed("a non-finite number is not read"))
                        }
                        Plain::Text => visit_text(text, visitor),
                    }
                }
            }
            Kind::Seq { start, len } => visitor.visit_seq(Items {
                tree: self.tree,
                kids: self.tree.kids(*start, *len).iter(),
            }),
            Kind::Map { start, len, .. } => visitor.visit_map(Pairs {
                tree: self.tree,
                kids: self.tree.kids(*start, len.saturating_mul(2)).iter(),
                value: None,
            }),
            Kind::Alias(_) => Err(self.fixed("a YAML alias that names an alias")),
        };
        result.map_err(|e| self.located(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node().kind {
            Kind::Scalar {
                text,
                string: false,
                ..
            } => match scalar::yaml11_bool(text) {
                Some(b) => visitor.visit_bool(b).map_err(|e| self.located(e)),
                None => Err(self.fixed("not a boolean")),
            },
            _ => Err(self.fixed("not a boolean")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let text = self.string()?;
        visit_text(text, visitor).map_err(|e| self.located(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node().kind {
            Kind::Seq { .. } => self.deserialize_any(visitor),
            _ => Err(self.fixed("not a sequence")),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node().kind {
            Kind::Map { .. } => self.deserialize_any(visitor),
            _ => Err(self.fixed("not a mapping")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, DeError> {
        Err(self.fixed("an enumeration is not read"))
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct tuple tuple_struct
    }
}

impl<'de, 't, 'a> IntoDeserializer<'de, DeError> for NodeDe<'t, 'a> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// The items of a sequence.
struct Items<'t, 'a> {
    tree: &'t Tree<'a>,
    kids: std::slice::Iter<'t, u32>,
}

impl<'de, 't, 'a> de::SeqAccess<'de> for Items<'t, 'a> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.kids.next() {
            Some(&index) => seed
                .deserialize(NodeDe {
                    tree: self.tree,
                    index,
                })
                .map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.kids.len())
    }
}

/// The pairs of a mapping.
struct Pairs<'t, 'a> {
    tree: &'t Tree<'a>,
    kids: std::slice::Iter<'t, u32>,
    value: Option<u32>,
}

impl<'de, 't, 'a> de::MapAccess<'de> for Pairs<'t, 'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(&key) = self.kids.next() else {
            return Ok(None);
        };
        self.value = self.kids.next().copied();
        seed.deserialize(NodeDe {
            tree: self.tree,
            index: key,
        })
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(index) => seed.deserialize(NodeDe {
                tree: self.tree,
                index,
            }),
            None => Err(de::Error::custom("a value without a key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.kids.len() / 2)
    }
}
