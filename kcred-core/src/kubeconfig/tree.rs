//! YAML events (granit-parser) to a compact node tree that borrows the input,
//! under kcred's own budgets: nesting depth, node and event counts scaled to
//! the input's length, aliases and what they replay, anchors, scalar bytes,
//! duplicate keys, merge keys, one document. The tree is built without
//! recursion; an alias is a node that names its anchor's node (nothing is
//! copied), and what it would replay is charged to the budgets when it is used.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use granit_parser::{Event, Parser, ScalarStyle, Span};

use super::scalar::{is_nullish, resolve_plain, Plain};
use super::Limits;

/// One node of the tree.
#[derive(Debug)]
pub(super) struct Node<'a> {
    /// What the node is.
    pub(super) kind: Kind<'a>,
    /// 1-based line where the node starts.
    pub(super) line: u32,
    /// 0-based column, in characters, where the node starts (a quote included).
    pub(super) col: u32,
}

/// The kinds of nodes.
#[derive(Debug)]
pub(super) enum Kind<'a> {
    /// A scalar: its text after escapes, whether it was written plain, and
    /// whether a `!!str` tag forces it to be a string.
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
        string: bool,
    },
    /// A sequence: its items are `kids[start..start + len]`.
    Seq { start: u32, len: u32 },
    /// A mapping: its keys and values alternate in `kids[start..start + 2 * len]`,
    /// the first `own` pairs written in it, the rest merged from `<<` keys.
    Map { start: u32, len: u32, own: u32 },
    /// An alias: the index of its anchor's node.
    Alias(u32),
}

/// A document's nodes; the root is the last node closed.
#[derive(Debug, Default)]
pub(super) struct Tree<'a> {
    pub(super) nodes: Vec<Node<'a>>,
    pub(super) kids: Vec<u32>,
    pub(super) root: Option<u32>,
}

/// Why the tree could not be built: fixed words (budgets use the words of
/// [`super::yaml::breach_words`]) or the parser's message, to be sanitized.
#[derive(Debug)]
pub(super) struct TreeError {
    pub(super) line: Option<u32>,
    pub(super) reason: Reason,
}

/// The reason of a [`TreeError`].
#[derive(Debug)]
pub(super) enum Reason {
    /// Words that carry nothing from the input.
    Fixed(&'static str),
    /// The parser's message (may quote the input: sanitize it).
    Parser(String),
    /// A second document starts at this line.
    SecondDocument,
}

impl<'a> Tree<'a> {
    /// The node at `index`, through aliases.
    pub(super) fn resolve(&self, mut index: u32) -> &Node<'a> {
        loop {
            match self.nodes.get(index as usize) {
                Some(Node {
                    kind: Kind::Alias(target),
                    ..
                }) if *target != index => index = *target,
                Some(node) => return node,
                // Not reachable: every index comes from the builder.
                None => return &EMPTY,
            }
        }
    }

    /// The kids `start..start + len`.
    pub(super) fn kids(&self, start: u32, len: u32) -> &[u32] {
        let start = start as usize;
        self.kids
            .get(start..start.saturating_add(len as usize))
            .unwrap_or_default()
    }
}

static EMPTY: Node<'static> = Node {
    kind: Kind::Scalar {
        text: Cow::Borrowed("~"),
        plain: true,
        string: false,
    },
    line: 0,
    col: 0,
};

/// What a node costs when an alias replays it.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    /// Parser events (a collection counts its start and end).
    events: u64,
    /// Bytes of scalar text.
    bytes: u64,
    /// Collection nesting, the node included.
    height: u32,
}

impl Cost {
    fn add(&mut self, child: Cost) {
        self.events = self.events.saturating_add(child.events);
        self.bytes = self.bytes.saturating_add(child.bytes);
        self.height = self.height.max(child.height.saturating_add(1));
    }
}

/// An open collection.
struct Frame {
    node: u32,
    map: bool,
    /// Where its kids start in the builder's pending stack.
    base: usize,
    anchor: usize,
    cost: Cost,
}

/// The budgets of one document, from [`Limits`] and the input's length as
/// [`super::yaml::yaml_options`] sets them for serde-saphyr.
struct Budgets {
    depth: usize,
    nodes: usize,
    events: u64,
    aliases: usize,
    anchors: usize,
    replay: u64,
    scalar_bytes: u64,
    merge_keys: usize,
}

impl Budgets {
    fn new(text: &str, limits: &Limits) -> Self {
        let scaled = limits.min_nodes.max(text.len());
        let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
        Budgets {
            depth: limits.max_depth,
            nodes: scaled,
            events: u64::try_from(scaled.saturating_mul(4))
                .unwrap_or(u64::MAX)
                .max(1_000_000),
            aliases: limits.max_aliases,
            anchors: 50_000,
            replay: u64::try_from(limits.max_alias_replay_events).unwrap_or(u64::MAX),
            scalar_bytes: len.max(64 * 1024 * 1024),
            merge_keys: 10_000,
        }
    }
}

const DEPTH: &str = "YAML limit exceeded: nested too deeply";
const NODES: &str = "YAML limit exceeded: too many values";
const EVENTS: &str = "YAML limit exceeded: too many YAML events";
const ALIASES: &str = "YAML limit exceeded: too many aliases";
const ANCHORS: &str = "YAML limit exceeded: too many anchors";
const BYTES: &str = "YAML limit exceeded: values too large in total";
const MERGES: &str = "YAML limit exceeded: too many merge keys";
const REPLAY: &str = "YAML alias expansion limit exceeded";
/// The duplicate-key words of every YAML reader of kcred.
pub(super) const DUPLICATE: &str = "duplicate key in a mapping";

/// Builds the tree of the first document of `text`; a second document is
/// [`Reason::SecondDocument`].
pub(super) fn build<'a>(text: &'a str, limits: &Limits) -> Result<Tree<'a>, TreeError> {
    Builder::new(text, limits).run()
}

struct Builder<'a> {
    text: &'a str,
    budgets: Budgets,
    tree: Tree<'a>,
    stack: Vec<Frame>,
    pending: Vec<u32>,
    /// Anchor id to its node and cost (set when the node is closed).
    anchors: HashMap<usize, (u32, Option<Cost>)>,
    events: u64,
    aliases: usize,
    replayed: u64,
    bytes: u64,
    merge_keys: usize,
    line: u32,
}

fn at(span: &Span) -> (u32, u32) {
    let line = u32::try_from(span.start.line()).unwrap_or(u32::MAX);
    let col = u32::try_from(span.start.col()).unwrap_or(u32::MAX);
    (line, col)
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, limits: &Limits) -> Self {
        Builder {
            text,
            budgets: Budgets::new(text, limits),
            tree: Tree::default(),
            stack: Vec::new(),
            pending: Vec::new(),
            anchors: HashMap::new(),
            events: 0,
            aliases: 0,
            replayed: 0,
            bytes: 0,
            merge_keys: 0,
            line: 0,
        }
    }

    fn fail(&self, reason: &'static str) -> TreeError {
        TreeError {
            line: (self.line > 0).then_some(self.line),
            reason: Reason::Fixed(reason),
        }
    }

    fn run(mut self) -> Result<Tree<'a>, TreeError> {
        let mut documents = 0;
        for next in Parser::new_from_str(self.text) {
            let (event, span) = next.map_err(|err| TreeError {
                line: u32::try_from(err.marker().line()).ok().filter(|l| *l > 0),
                reason: Reason::Parser(err.info()),
            })?;
            let (line, col) = at(&span);
            let map = matches!(event, Event::MappingStart(..));
            self.line = line;
            self.events = self.events.saturating_add(1);
            if self.events > self.budgets.events {
                return Err(self.fail(EVENTS));
            }
            match event {
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(TreeError {
                            line: Some(line),
                            reason: Reason::SecondDocument,
                        });
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let string = match tag {
                        None => false,
                        Some(tag) if forces_string(&tag) => true,
                        Some(_) => {
                            return Err(self.fail(
                                "YAML tags other than !, !!str, !!map and !!seq are not read",
                            ))
                        }
                    };
                    let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
                    self.charge_bytes(len)?;
                    let plain = style == ScalarStyle::Plain;
                    let index = self.push(
                        Kind::Scalar {
                            text,
                            plain,
                            string,
                        },
                        line,
                        col,
                    )?;
                    let cost = Cost {
                        events: 1,
                        bytes: len,
                        height: 0,
                    };
                    if anchor != 0 {
                        self.anchor(anchor)?;
                        self.anchors.insert(anchor, (index, Some(cost)));
                    }
                    self.child(index, cost)?;
                }
                Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                    // `!!map {…}` and `!!seq […]` say what the node already is.
                    let own_kind = if map { "map" } else { "seq" };
                    if tag.is_some_and(|t| !t.is_yaml_core_schema_tag(own_kind)) {
                        return Err(self
                            .fail("YAML tags other than !, !!str, !!map and !!seq are not read"));
                    }
                    if self.stack.len() >= self.budgets.depth {
                        return Err(self.fail(DEPTH));
                    }
                    let kind = if map {
                        Kind::Map {
                            start: 0,
                            len: 0,
                            own: 0,
                        }
                    } else {
                        Kind::Seq { start: 0, len: 0 }
                    };
                    let node = self.push(kind, line, col)?;
                    if anchor != 0 {
                        self.anchor(anchor)?;
                        self.anchors.insert(anchor, (node, None));
                    }
                    self.stack.push(Frame {
                        node,
                        map,
                        base: self.pending.len(),
                        anchor,
                        cost: Cost {
                            events: 2,
                            bytes: 0,
                            height: 1,
                        },
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => self.close()?,
                Event::Alias(id) => self.alias(id, line, col)?,
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
                // Anchor metadata and comments are not emitted with these options.
                _ => {}
            }
        }
        Ok(self.tree)
    }

    fn push(&mut self, kind: Kind<'a>, line: u32, col: u32) -> Result<u32, TreeError> {
        if self.tree.nodes.len() >= self.budgets.nodes {
            return Err(self.fail(NODES));
        }
        let index = u32::try_from(self.tree.nodes.len()).map_err(|_| self.fail(NODES))?;
        self.tree.nodes.push(Node { kind, line, col });
        Ok(index)
    }

    fn anchor(&mut self, _id: usize) -> Result<(), TreeError> {
        if self.anchors.len() >= self.budgets.anchors {
            return Err(self.fail(ANCHORS));
        }
        Ok(())
    }

    fn charge_bytes(&mut self, bytes: u64) -> Result<(), TreeError> {
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > self.budgets.scalar_bytes {
            return Err(self.fail(BYTES));
        }
        Ok(())
    }

    /// A finished node: the kid of the open collection, or the root.
    fn child(&mut self, index: u32, cost: Cost) -> Result<(), TreeError> {
        match self.stack.last_mut() {
            Some(frame) => {
                frame.cost.add(cost);
                self.pending.push(index);
            }
            None => self.tree.root = Some(index),
        }
        Ok(())
    }

    fn alias(&mut self, id: usize, line: u32, col: u32) -> Result<(), TreeError> {
        self.aliases = self.aliases.saturating_add(1);
        let anchors = self.anchors.len();
        if self.aliases > self.budgets.aliases
            || (self.aliases > 100 && self.aliases > anchors.saturating_mul(10))
        {
            return Err(self.fail(ALIASES));
        }
        let Some(&(target, cost)) = self.anchors.get(&id) else {
            return Err(self.fail("unknown YAML anchor"));
        };
        // An alias inside the node it names would repeat without end.
        let Some(cost) = cost else {
            return Err(self.fail("a YAML alias inside its own anchor"));
        };
        self.replayed = self.replayed.saturating_add(cost.events);
        if self.replayed > self.budgets.replay {
            return Err(self.fail(REPLAY));
        }
        self.charge_bytes(cost.bytes)?;
        let depth = u32::try_from(self.stack.len()).unwrap_or(u32::MAX);
        if usize::try_from(depth.saturating_add(cost.height)).unwrap_or(usize::MAX)
            > self.budgets.depth
        {
            return Err(self.fail(DEPTH));
        }
        let index = self.push(Kind::Alias(target), line, col)?;
        self.child(index, cost)
    }

    fn close(&mut self) -> Result<(), TreeError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let start = u32::try_from(self.tree.kids.len()).map_err(|_| self.fail(NODES))?;
        let kids = self.pending.split_off(frame.base.min(self.pending.len()));
        let kind = if frame.map {
            self.map_kids(&kids, start)?
        } else {
            let len = u32::try_from(kids.len()).map_err(|_| self.fail(NODES))?;
            self.tree.kids.extend_from_slice(&kids);
            Kind::Seq { start, len }
        };
        if let Some(node) = self.tree.nodes.get_mut(frame.node as usize) {
            node.kind = kind;
        }
        if frame.anchor != 0 {
            self.anchors
                .insert(frame.anchor, (frame.node, Some(frame.cost)));
        }
        self.child(frame.node, frame.cost)
    }

    /// The pairs of a mapping, keys checked: scalars, each once; `<<` keys
    /// merge the pairs of their mapping (or list of mappings) whose keys are
    /// not written in this one, earlier sources first.
    fn map_kids(&mut self, kids: &[u32], start: u32) -> Result<Kind<'a>, TreeError> {
        let mut own: Vec<(u32, u32)> = Vec::with_capacity(kids.len() / 2);
        let mut merges: Vec<u32> = Vec::new();
        for pair in kids.chunks(2) {
            let [key, value] = *pair else {
                return Err(self.fail("a mapping key without a value"));
            };
            match &self.tree.resolve(key).kind {
                Kind::Scalar {
                    text,
                    plain: true,
                    string: false,
                } if text == "<<" && !self.is_alias(key) => {
                    self.merge_keys = self.merge_keys.saturating_add(1);
                    if self.merge_keys > self.budgets.merge_keys {
                        return Err(self.fail(MERGES));
                    }
                    merges.push(value);
                }
                Kind::Scalar { .. } => own.push((key, value)),
                _ => return Err(self.fail("a YAML mapping key that is not a scalar")),
            }
        }
        if has_duplicate(&self.tree, &own) {
            return Err(self.fail(DUPLICATE));
        }
        let own_len = own.len();
        let mut seen: HashSet<Fingerprint<'_>> = HashSet::new();
        if !merges.is_empty() {
            seen.extend(own.iter().map(|(k, _)| fingerprint(&self.tree, *k)));
        }
        let mut pairs = own;
        for source in merges {
            let sources: Vec<u32> = match &self.tree.resolve(source).kind {
                Kind::Map { .. } => vec![source],
                // `<<: ~` merges nothing.
                Kind::Scalar {
                    text,
                    plain: true,
                    string: false,
                } if is_nullish(text) => Vec::new(),
                Kind::Seq { start, len } => self.tree.kids(*start, *len).to_vec(),
                _ => return Err(self.fail("a YAML merge key whose value is not a mapping")),
            };
            for map in sources {
                let Kind::Map { start, len, .. } = self.tree.resolve(map).kind else {
                    return Err(self.fail("a YAML merge key whose value is not a mapping"));
                };
                let merged: Vec<u32> = self.tree.kids(start, len.saturating_mul(2)).to_vec();
                for pair in merged.chunks(2) {
                    if let [key, value] = *pair {
                        if seen.insert(fingerprint(&self.tree, key)) {
                            pairs.push((key, value));
                        }
                    }
                }
            }
        }
        let len = u32::try_from(pairs.len()).map_err(|_| self.fail(NODES))?;
        let own = u32::try_from(own_len).map_err(|_| self.fail(NODES))?;
        for (key, value) in pairs {
            self.tree.kids.push(key);
            self.tree.kids.push(value);
        }
        Ok(Kind::Map { start, len, own })
    }

    fn is_alias(&self, index: u32) -> bool {
        matches!(
            self.tree.nodes.get(index as usize),
            Some(Node {
                kind: Kind::Alias(_),
                ..
            })
        )
    }
}

/// `!!str` and the non-specific `!`: the scalar is text, whatever it looks like.
fn forces_string(tag: &granit_parser::Tag) -> bool {
    tag.is_yaml_core_schema_tag("str") || (tag.handle().is_empty() && tag.suffix() == "!")
}

/// What makes two keys the same key: their resolved value (`1` and `0x1` are
/// the same integer; `1` and `'1'` are not the same key), as serde-saphyr
/// compares them.
#[derive(Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Fingerprint<'t> {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    /// The bits of a finite float.
    Float(u64),
    Plain(&'t str),
    Text(&'t str),
}

fn fingerprint<'t>(tree: &'t Tree<'_>, key: u32) -> Fingerprint<'t> {
    match &tree.resolve(key).kind {
        Kind::Scalar {
            text,
            plain: true,
            string: false,
        } => match resolve_plain(text) {
            Plain::Null => Fingerprint::Null,
            Plain::Bool(b) => Fingerprint::Bool(b),
            Plain::Unsigned(n) => Fingerprint::Unsigned(n),
            Plain::Signed(n) => Fingerprint::Signed(n),
            Plain::Float(f) => Fingerprint::Float(f.to_bits()),
            Plain::NonFinite | Plain::Text => Fingerprint::Plain(text),
        },
        Kind::Scalar { text, .. } => Fingerprint::Text(text),
        _ => Fingerprint::Text(""),
    }
}

/// Whether two keys of `pairs` are the same key.
fn has_duplicate(tree: &Tree<'_>, pairs: &[(u32, u32)]) -> bool {
    if pairs.len() <= 16 {
        return pairs.iter().enumerate().any(|(i, (a, _))| {
            let a = fingerprint(tree, *a);
            pairs[..i].iter().any(|(b, _)| fingerprint(tree, *b) == a)
        });
    }
    let mut keys: Vec<Fingerprint<'_>> = pairs.iter().map(|(k, _)| fingerprint(tree, *k)).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}
