//! The serde-saphyr kubeconfig reader that kcred's own loader replaced, kept
//! only as the oracle of the differential fuzz target (`fuzz/fuzz_targets/
//! loader_diff.rs`) and of the corpus test below: both readers must give the
//! same model for every input both accept.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use super::model::{NamedCluster, NamedContext, NamedUser, Origin};
use super::yaml::{parse_one, parse_yaml_with, yaml_options, yaml_reason};
use super::{Kubeconfig, Limits};
use crate::error::{Error, Location};

/// A YAML kubeconfig read by serde-saphyr (the old path: entries with their
/// lines, no field positions), a stream of documents as [`loader_model`] reads it.
#[doc(hidden)]
pub fn serde_saphyr_model(text: &str, limits: &Limits) -> Result<Kubeconfig, Error> {
    parse_yaml_with(text, Path::new("-"), limits, old_parse_one).map(|(config, _)| config)
}

/// A YAML kubeconfig read by kcred's loader (the new path).
#[doc(hidden)]
pub fn loader_model(text: &str, limits: &Limits) -> Result<Kubeconfig, Error> {
    parse_yaml_with(text, Path::new("-"), limits, parse_one).map(|(config, _)| config)
}

fn old_parse_one(text: &str, source: &Path, limits: &Limits) -> Result<Kubeconfig, Error> {
    match serde_saphyr::from_str_with_options::<Option<YamlTop>>(text, yaml_options(text, limits)) {
        Ok(top) => Ok(top.map(|t| t.0).unwrap_or_default()),
        Err(err) => {
            let line = err
                .location()
                .and_then(|l| u32::try_from(l.line()).ok())
                .filter(|l| *l > 0);
            Err(Error::Syntax {
                at: Location::file(source).with_line(line),
                reason: yaml_reason(&err, text),
            })
        }
    }
}

/// The top level of a YAML kubeconfig, read key by key so the three lists can
/// be read with their spans (serde's `flatten` would buffer them and lose them).
struct YamlTop(Kubeconfig);

impl<'de> Deserialize<'de> for YamlTop {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TopVisitor)
    }
}

struct TopVisitor;

/// A list entry whose line the loader records in its origin.
trait Entry {
    fn origin_mut(&mut self) -> &mut Origin;
}

impl Entry for NamedCluster {
    fn origin_mut(&mut self) -> &mut Origin {
        &mut self.origin
    }
}

impl Entry for NamedUser {
    fn origin_mut(&mut self) -> &mut Origin {
        &mut self.origin
    }
}

impl Entry for NamedContext {
    fn origin_mut(&mut self) -> &mut Origin {
        &mut self.origin
    }
}

/// A YAML list read item by item, each item's line stored as it is read (a
/// `Vec<Spanned<T>>` would hold the whole list a second time).
struct WithLines<T>(Vec<T>);

impl<'de, T: Deserialize<'de> + Entry> Deserialize<'de> for WithLines<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Items<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Entry> Visitor<'de> for Items<T> {
            type Value = WithLines<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<T>>()? {
                    let line = u32::try_from(item.referenced.line())
                        .ok()
                        .filter(|l| *l > 0);
                    let mut value = item.value;
                    value.origin_mut().line = line;
                    items.push(value);
                }
                Ok(WithLines(items))
            }
        }
        deserializer.deserialize_seq(Items(std::marker::PhantomData))
    }
}

fn with_lines<T>(list: Option<WithLines<T>>) -> Vec<T> {
    list.map(|l| l.0).unwrap_or_default()
}

impl<'de> Visitor<'de> for TopVisitor {
    type Value = YamlTop;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a kubeconfig mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlTop, A::Error> {
        let mut config = Kubeconfig::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "apiVersion" => config.api_version = map.next_value()?,
                "kind" => config.kind = map.next_value()?,
                "current-context" => config.current_context = map.next_value()?,
                "preferences" => {
                    config.preferences = map
                        .next_value::<Option<serde_json::Value>>()?
                        .unwrap_or_default()
                }
                "extensions" => {
                    config.extras.extensions = map
                        .next_value::<Option<Vec<serde_json::Value>>>()?
                        .unwrap_or_default()
                }
                "clusters" => config.clusters = with_lines(map.next_value()?),
                "users" => config.users = with_lines(map.next_value()?),
                "contexts" => config.contexts = with_lines(map.next_value()?),
                _ => {
                    let value: serde_json::Value = map.next_value()?;
                    if config.extras.other.insert(key, value).is_some() {
                        return Err(de::Error::custom("duplicate key"));
                    }
                }
            }
        }
        Ok(YamlTop(config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs where serde-saphyr's rules are easy to miss: both readers must
    /// give the same model (or both refuse).
    #[test]
    fn both_readers_agree_on_tricky_inputs() {
        let cases = [
            "base: &b {token: t, username: u}\nusers:\n- name: a\n  user:\n    <<: *b\n    token: own\n",
            "x: &x {a: 1}\ny: &y {a: 2, b: 3}\nz:\n  <<: [*x, *y]\n  c: 4\nkind: Config\n",
            "kind: Config\nm: {1: a, 0x1: b}\n",
            "kind: Config\nm: {1: a, '1': b}\n",
            "kind: Config\nm: {<<: ~}\n",
            "kind: Config\nn: [1, -1, 0x1F, 0o17, 0b101, 1_000, 0127, 1.5, -0, +3, 1e3, 0X1, .5]\n",
            "kind: Config\nn: [~, null, Null, NULL, '', \"\", nUll]\napiVersion:\n",
            "kind: Config\ncurrent-context: !!str ~\nn: !!str 12\nm: ! 12\n",
            "clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: yes, disable-compression: 'on'}\n",
            "users:\n- name: 12\n  user: {token: 0x10, as-groups: [1, true, ~x]}\n",
            "users:\n- name: ~\n  user: {}\n",
            "users:\n- &i {name: a, user: {}}\n- *i\n",
            "users:\n- name: a\n  user: {foo: {bar: [1, {x: y}]}, extensions: [{name: e}]}\n",
            "kind: Config\nm: 1e400\n",
            "kind: Config\nx: &x {a: 1}\nm: {<<: *x, <<: *x}\n",
            "--- !!map\nusers: !!seq\n- !!map {name: a, user: !!map {token: t}}\n",
        ];
        let limits = Limits::default();
        for text in cases {
            let new = loader_model(text, &limits).map(|mut c| {
                c.users
                    .iter_mut()
                    .for_each(|u| u.origin.fields = Box::default());
                c.clusters
                    .iter_mut()
                    .for_each(|u| u.origin.fields = Box::default());
                c
            });
            let old = serde_saphyr_model(text, &limits);
            match (new, old) {
                (Ok(new), Ok(old)) => assert_eq!(new, old, "{text}"),
                (Err(_), Err(_)) => {}
                (new, old) => panic!("{text}: loader {new:?}, serde-saphyr {old:?}"),
            }
        }
    }
}
