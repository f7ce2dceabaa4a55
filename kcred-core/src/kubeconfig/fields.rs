//! The line and column of each field of a kubeconfig entry (`token:`,
//! `client-certificate-data:`, `exec:`…), taken from the spans of the keys of
//! the entry's `user:` / `cluster:` / `context:` mapping as the loader read
//! them, so that findings point at the field rather than at the entry's
//! `- name:` line. Block or flow style, keys plain or quoted; only that
//! mapping's own keys count: a key of a nested mapping (`exec.env[].name`,
//! `auth-provider.config.id-token`) is never taken for a field of the entry,
//! nor a key merged in by `<<`. An entry or mapping written as an alias has
//! no positions (its keys are written elsewhere): its fields keep the entry's line.

use super::model::{FieldPosition, NamedCluster, NamedContext, NamedUser, Origin};
use super::tree::{Kind, Tree};

/// A list entry whose line and field positions the loader records in its origin.
pub(super) trait Entry {
    fn origin_mut(&mut self) -> &mut Origin;
}

macro_rules! entry {
    ($($t:ty),*) => {$(
        impl Entry for $t {
            fn origin_mut(&mut self) -> &mut Origin {
                &mut self.origin
            }
        }
    )*};
}
entry!(NamedCluster, NamedUser, NamedContext);

/// The positions of the keys of `item`'s `mapping:` value.
pub(super) fn entry_fields(tree: &Tree<'_>, item: u32, mapping: &str) -> Box<[FieldPosition]> {
    let Some(pairs) = own_pairs(tree, item) else {
        return Box::default();
    };
    let value = pairs.chunks(2).find_map(|pair| match *pair {
        [key, value] if key_text(tree, key) == Some(mapping) => Some(value),
        _ => None,
    });
    let Some(keys) = value.and_then(|value| own_pairs(tree, value)) else {
        return Box::default();
    };
    keys.chunks(2)
        .filter_map(|pair| {
            let key = *pair.first()?;
            let node = tree.nodes.get(key as usize)?;
            Some(FieldPosition {
                key: key_text(tree, key)?.into(),
                line: node.line,
                column: node.col.checked_add(1)?,
            })
        })
        .collect()
}

/// The pairs written in the mapping `index` (not an alias, no merged pairs).
fn own_pairs<'t>(tree: &'t Tree<'_>, index: u32) -> Option<&'t [u32]> {
    match tree.nodes.get(index as usize)?.kind {
        Kind::Map { start, own, .. } => Some(tree.kids(start, own.saturating_mul(2))),
        _ => None,
    }
}

fn key_text<'t>(tree: &'t Tree<'_>, key: u32) -> Option<&'t str> {
    match &tree.resolve(key).kind {
        Kind::Scalar { text, .. } => Some(text),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
