//! The top level of a YAML kubeconfig read from the node tree key by key, so
//! that each entry of `clusters`, `users` and `contexts` gets the line of its
//! list item and the positions of its fields ([`super::fields`]).

use serde::de::Error as _;
use serde::Deserialize;

use super::de::{DeError, NodeDe};
use super::fields::{entry_fields, Entry};
use super::tree::{Kind, Tree};
use super::Kubeconfig;

/// The kubeconfig of `tree`; an empty or null document is an empty config.
pub(super) fn read(tree: &Tree<'_>) -> Result<Kubeconfig, DeError> {
    let mut config = Kubeconfig::default();
    let Some(root) = tree.root else {
        return Ok(config);
    };
    let de = |index| NodeDe { tree, index };
    let Kind::Map { start, len, .. } = tree.resolve(root).kind else {
        return Option::<NotAMap>::deserialize(de(root)).map(|_| config);
    };
    for pair in tree.kids(start, len.saturating_mul(2)).chunks(2) {
        let [key, value] = *pair else { continue };
        let key = String::deserialize(de(key))?;
        let value = de(value);
        match key.as_str() {
            "apiVersion" => config.api_version = Deserialize::deserialize(value)?,
            "kind" => config.kind = Deserialize::deserialize(value)?,
            "current-context" => config.current_context = Deserialize::deserialize(value)?,
            "preferences" => {
                config.preferences =
                    Option::<serde_json::Value>::deserialize(value)?.unwrap_or_default()
            }
            "extensions" => {
                config.extras.extensions =
                    Option::<Vec<serde_json::Value>>::deserialize(value)?.unwrap_or_default()
            }
            "clusters" => config.clusters = entries(tree, value.index, "cluster")?,
            "users" => config.users = entries(tree, value.index, "user")?,
            "contexts" => config.contexts = entries(tree, value.index, "context")?,
            _ => {
                let value = serde_json::Value::deserialize(value)?;
                if config.extras.other.insert(key, value).is_some() {
                    return Err(DeError::custom("duplicate key"));
                }
            }
        }
    }
    Ok(config)
}

/// A root that is neither null nor a mapping.
struct NotAMap;

impl<'de> Deserialize<'de> for NotAMap {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(D::Error::custom("a kubeconfig is a mapping"))
    }
}

/// The items of a list (`null` is empty), each with its line and the positions
/// of the keys of its `mapping:` (`cluster`, `user`, `context`).
fn entries<'de, T: Deserialize<'de> + Entry>(
    tree: &Tree<'_>,
    list: u32,
    mapping: &str,
) -> Result<Vec<T>, DeError> {
    let de = |index| NodeDe { tree, index };
    let (start, len) = match tree.resolve(list).kind {
        Kind::Seq { start, len } => (start, len),
        _ => match Option::<serde::de::IgnoredAny>::deserialize(de(list))? {
            None => return Ok(Vec::new()),
            Some(_) => return Err(DeError::custom("a list of entries is expected")),
        },
    };
    let mut out = Vec::with_capacity(len as usize);
    for &item in tree.kids(start, len) {
        let mut entry = T::deserialize(de(item))?;
        let origin = entry.origin_mut();
        origin.line = tree
            .nodes
            .get(item as usize)
            .map(|n| n.line)
            .filter(|l| *l > 0);
        origin.fields = entry_fields(tree, item, mapping);
        out.push(entry);
    }
    Ok(out)
}
