//! Reading one kubeconfig: bytes to model (YAML or JSON), with input limits,
//! entry origins and per-file checks; reading referenced files with a size cap.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::error::{Error, Location};
use crate::fs::Budget;
use crate::kubeconfig::model::{Kubeconfig, NamedCluster, NamedContext, NamedUser, Origin};
use crate::kubeconfig::paths;

/// Input limits for reading kubeconfigs and the files they reference.
///
/// The YAML node and event budgets grow with the input's length (a 15,000-user
/// file is legitimate), so only aliases and nesting need fixed caps; alias
/// expansion is bounded, which makes "billion laughs" inputs fail fast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes. Default: 16 MiB.
    pub max_file_bytes: u64,
    /// Deepest nesting of mappings and sequences (YAML and JSON). Default: 64.
    ///
    /// Kubeconfigs need about 8 levels. Deserializing is recursive and costs
    /// about 20 KiB of stack per level in debug builds (about 85 levels exhaust
    /// a 2 MiB thread stack), so keep this well below 100.
    pub max_depth: usize,
    /// Most alias uses (`*name`) in one YAML document. Default: 10,000.
    pub max_aliases: usize,
    /// Most parser events replayed from aliases in one document. Default: 1,000,000.
    pub max_alias_replay_events: usize,
    /// Floor of the YAML node budget; the budget is the larger of this and the
    /// input's length in bytes (every node takes at least one byte). Default: 250,000.
    pub min_nodes: usize,
    /// Most bytes one run reads from all files together (kubeconfigs, the files
    /// they reference, caches): a file that would take the run past it is not
    /// read and is reported as [`Error::LimitReached`]. Default: 256 MiB.
    pub max_total_bytes: u64,
    /// Most entries examined in one folder (cache folders, `pki/`), taken in name
    /// order after reading every name; the rest are reported as
    /// [`Error::LimitReached`]. Default: 4,096.
    pub max_dir_entries: usize,
    /// Read files of kernel pseudo file systems (`/proc`, `/sys`...), which are
    /// refused by default: some block forever (`/proc/kmsg`). Default: `false`.
    pub allow_pseudo_files: bool,
    /// Floor of one run's budget of signature verifications (an inventory, a
    /// `pki` report): the budget is this plus 4 for each client certificate
    /// (leaf or bundled intermediate) examined, so it grows with legitimate input,
    /// where each certificate needs about one check per cluster CA. Candidate
    /// issuers are found by name before any check and each verdict is computed
    /// once, so only a bundle of many same-named CAs comes near it. Checks past
    /// the budget are not made: the verdicts they decide are left unknown and
    /// reported as [`Error::LimitReached`]. Default: 10,000.
    pub max_signature_checks: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_aliases: 10_000,
            max_alias_replay_events: 1_000_000,
            min_nodes: 250_000,
            max_total_bytes: 256 * 1024 * 1024,
            max_dir_entries: 4096,
            allow_pseudo_files: false,
            max_signature_checks: 10_000,
        }
    }
}

/// The result of loading: the config (possibly partial) and every problem found.
///
/// Loading never panics and never stops at the first problem: a duplicate name
/// keeps the first entry, a file that does not parse leaves the others loaded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded {
    /// The config: merged, with relative paths resolved when read from files.
    pub config: Kubeconfig,
    /// The files actually read, in order.
    pub files: Vec<PathBuf>,
    /// Every problem found, in the order found.
    pub problems: Vec<Error>,
}

/// Parses a kubeconfig from bytes: YAML, or JSON when the first non-blank
/// character is `{`.
///
/// UTF-8 with or without a byte-order mark is accepted, and UTF-16 with a
/// byte-order mark is decoded; empty or blank input is an empty config. No file
/// system access and no path resolution: `source` only names the input in
/// [`Location`]s and [`Origin`]s. Entries get the 1-based line of their list
/// item as origin for YAML input (`None` for JSON input). A name defined twice
/// in one list is reported as [`Error::DuplicateName`] and the first entry kept.
/// Errors never quote the input.
///
/// ```
/// use std::path::Path;
/// use kcred_core::{parse_kubeconfig, Limits};
///
/// let yaml = b"users:\n- name: admin\n  user:\n    token: CANARY-1\ncurrent-context: dev\n";
/// let loaded = parse_kubeconfig(yaml, Path::new("mem.yaml"), &Limits::default());
/// assert!(loaded.problems.is_empty());
/// let admin = loaded.config.user("admin").unwrap();
/// assert_eq!(admin.origin.line, Some(2));
/// assert_eq!(loaded.config.current_context.as_deref(), Some("dev"));
/// ```
pub fn parse_kubeconfig(bytes: &[u8], source: &Path, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    let at = Location::file(source);
    let text = match decode_text(bytes) {
        Some(text) => text,
        None => {
            loaded.problems.push(Error::NotUtf8 { at });
            return loaded;
        }
    };
    let trimmed = text.trim_start();
    let parsed = if trimmed.is_empty() {
        Ok(Parsed::default())
    } else if trimmed.starts_with('{') {
        parse_json(&text, source, limits)
    } else {
        parse_yaml(&text, source, limits)
    };
    match parsed {
        Ok(parsed) => {
            let (config, problems) = parsed.into_config(source);
            loaded.config = config;
            loaded.problems = problems;
        }
        Err(err) => loaded.problems.push(err),
    }
    loaded
}

/// Reads one kubeconfig file and resolves its relative paths against the file's
/// folder (as client-go's `ResolveLocalPaths`).
///
/// The file must exist: a missing file is an [`Error::Io`] in `problems`.
///
/// ```no_run
/// use std::path::Path;
/// use kcred_core::{load_file, Limits};
///
/// let loaded = load_file(Path::new("/home/ann/.kube/config"), &Limits::default());
/// for problem in &loaded.problems {
///     eprintln!("{problem}");
/// }
/// ```
pub fn load_file(path: &Path, limits: &Limits) -> Loaded {
    load_file_within(path, limits, &Budget::new(limits))
}

/// [`load_file`], the bytes charged to a run's budget.
pub(crate) fn load_file_within(path: &Path, limits: &Limits, budget: &Budget) -> Loaded {
    let at = Location::file(path);
    let bytes = match budget.read(path, limits, &at) {
        Ok(read) => read.bytes,
        Err(err) => {
            return Loaded {
                problems: vec![err],
                ..Loaded::default()
            }
        }
    };
    parse_file_bytes(&bytes, path, limits)
}

/// What [`load_file`] does once the bytes are read: parse, record the file,
/// and resolve relative paths against the file's folder (no reading).
pub(crate) fn parse_file_bytes(bytes: &[u8], path: &Path, limits: &Limits) -> Loaded {
    let at = Location::file(path);
    let mut loaded = parse_kubeconfig(bytes, path, limits);
    loaded.files.push(path.to_path_buf());
    match paths::base_dir(path) {
        Ok(base) => {
            for cluster in &mut loaded.config.clusters {
                paths::resolve_cluster(cluster, &base);
            }
            for user in &mut loaded.config.users {
                paths::resolve_user(user, &base);
            }
        }
        Err(err) => loaded.problems.push(Error::Io {
            at,
            reason: format!("cannot make the folder absolute: {err}"),
        }),
    }
    loaded
}

pub use crate::fs::read_limited;

/// Whether reading `path` failed because it does not exist (client-go skips
/// such files in a KUBECONFIG list).
pub(crate) fn is_not_found(path: &Path) -> bool {
    crate::fs::is_not_found(path)
}

/// UTF-8 (BOM stripped) or UTF-16 with a BOM; `None` when neither.
pub(crate) fn decode_text(bytes: &[u8]) -> Option<String> {
    let utf16 = |rest: &[u8], big_endian: bool| -> Option<String> {
        let units = rest.chunks(2).map(|pair| match pair {
            [a, b] if big_endian => Some(u16::from_be_bytes([*a, *b])),
            [a, b] => Some(u16::from_le_bytes([*a, *b])),
            _ => None,
        });
        let units: Option<Vec<u16>> = units.collect();
        char::decode_utf16(units?)
            .collect::<Result<String, _>>()
            .ok()
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).ok(),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        _ => String::from_utf8(bytes.to_vec()).ok(),
    }
}

/// One file's config before the per-file checks: entries carry their line in
/// `origin.line`, their file is set (and duplicates dropped) by `into_config`.
#[derive(Default)]
struct Parsed {
    config: Kubeconfig,
}

impl Parsed {
    /// Sets origins and drops (reporting) entries whose name is already taken,
    /// in place: a 100,000-user file is never held twice.
    fn into_config(self, source: &Path) -> (Kubeconfig, Vec<Error>) {
        let mut problems = Vec::new();
        let mut config = self.config;
        dedup(
            &mut config.clusters,
            source,
            "cluster",
            "clusters",
            &mut problems,
            |c| (&c.name, &mut c.origin),
        );
        dedup(
            &mut config.users,
            source,
            "user",
            "users",
            &mut problems,
            |u| (&u.name, &mut u.origin),
        );
        dedup(
            &mut config.contexts,
            source,
            "context",
            "contexts",
            &mut problems,
            |c| (&c.name, &mut c.origin),
        );
        (config, problems)
    }
}

fn dedup<T>(
    entries: &mut Vec<T>,
    source: &Path,
    kind: &'static str,
    list: &str,
    problems: &mut Vec<Error>,
    parts: impl Fn(&mut T) -> (&String, &mut Origin),
) {
    let mut seen: HashSet<String> = HashSet::new();
    entries.retain_mut(|entry| {
        let (name, origin) = parts(entry);
        if !seen.insert(name.clone()) {
            problems.push(Error::DuplicateName {
                at: Location::file(source)
                    .with_entry(format!("{list}[{name}]"))
                    .with_line(origin.line),
                kind: kind.into(),
                name: name.clone(),
            });
            return false;
        }
        origin.file = source.to_path_buf();
        true
    });
}

fn parse_json(text: &str, source: &Path, limits: &Limits) -> Result<Parsed, Error> {
    if json_depth_exceeds(text, limits.max_depth) {
        return Err(Error::Syntax {
            at: Location::file(source),
            reason: format!("nesting deeper than {} levels", limits.max_depth),
        });
    }
    match serde_json::from_str::<Kubeconfig>(text) {
        Ok(config) => Ok(Parsed { config }),
        Err(err) => Err(Error::Syntax {
            at: Location::file(source).with_line(u32::try_from(err.line()).ok()),
            reason: sanitize(&err.to_string(), text, json_kind(&err)),
        }),
    }
}

fn json_kind(err: &serde_json::Error) -> &'static str {
    match err.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "JSON syntax error",
        serde_json::error::Category::Data => "value of the wrong shape",
        serde_json::error::Category::Eof => "unexpected end of input",
    }
}

/// Whether `{`/`[` nest deeper than `max` outside strings (serde_json has its own
/// fixed cap of 128; this makes [`Limits::max_depth`] apply below it).
fn json_depth_exceeds(text: &str, max: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

pub(crate) fn yaml_options(text: &str, limits: &Limits) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    let scaled = limits.min_nodes.max(text.len());
    budget.max_nodes = scaled;
    budget.max_events = budget.max_events.max(scaled.saturating_mul(4));
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len());
    budget.max_depth = limits.max_depth;
    budget.max_aliases = limits.max_aliases;
    budget.max_documents = 1;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = limits.max_alias_replay_events;
    options
}

fn parse_yaml(text: &str, source: &Path, limits: &Limits) -> Result<Parsed, Error> {
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

/// The parser's complaint without anything from the input.
pub(crate) fn yaml_reason(err: &serde_saphyr::Error, input: &str) -> String {
    use serde_saphyr::Error as E;
    let err = err.without_snippet();
    match err {
        E::Budget { breach, .. } => format!("YAML limit exceeded: {breach:?}"),
        E::DuplicateMappingKey { .. } => "duplicate key in a mapping".to_string(),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => "YAML alias expansion limit exceeded".to_string(),
        E::MultipleDocuments { .. } => "more than one YAML document".to_string(),
        E::InvalidUtf8Input => "not UTF-8".to_string(),
        E::SerdeInvalidType { .. } | E::SerdeInvalidValue { .. } | E::SerdeInvalidLength { .. } => {
            sanitize(&err.to_string(), input, "value of the wrong type")
        }
        other => sanitize(&other.to_string(), input, "YAML syntax error"),
    }
}

/// Keeps a parser message only as far as it cannot carry input: quoted parts
/// are cut, position suffixes dropped, and if any longer word of what remains
/// also occurs in the input, only the generic `kind` is returned.
pub(crate) fn sanitize(message: &str, input: &str, kind: &str) -> String {
    let first_line = message.lines().next().unwrap_or_default();
    let mut out = String::new();
    let mut open: Option<char> = None;
    for ch in first_line.chars() {
        match open {
            Some(q) if ch == q => {
                open = None;
                out.push('…');
                out.push(q);
            }
            Some(_) => {}
            None if matches!(ch, '"' | '`' | '\'') => {
                open = Some(ch);
                out.push(ch);
            }
            None => out.push(ch),
        }
    }
    if open.is_some() {
        return kind.to_string();
    }
    for marker in [" at line ", " at position "] {
        if let Some(pos) = out.find(marker) {
            out.truncate(pos);
        }
    }
    let leaks = out
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_')
        .any(|word| word.len() >= 6 && input.contains(word) && !PARSER_WORDS.contains(&word));
    let out = out.trim();
    if leaks || out.is_empty() || out.len() > 200 {
        kind.to_string()
    } else {
        out.to_string()
    }
}

/// Words of parser messages that may also occur in a kubeconfig.
const PARSER_WORDS: &[&str] = &[
    "expected",
    "mapping",
    "sequence",
    "string",
    "scalar",
    "invalid",
    "unexpected",
    "document",
    "struct",
    "missing",
    "unknown",
    "duplicate",
    "integer",
    "boolean",
    "while",
    "parsing",
    "found",
    "character",
    "indentation",
    "column",
];

/// The top level of a YAML kubeconfig, read key by key so the three lists can
/// be read with their spans (serde's `flatten` would buffer them and lose them).
struct YamlTop(Parsed);

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
        let mut p = Parsed::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "apiVersion" => p.config.api_version = map.next_value()?,
                "kind" => p.config.kind = map.next_value()?,
                "current-context" => p.config.current_context = map.next_value()?,
                "preferences" => {
                    p.config.preferences = map
                        .next_value::<Option<serde_json::Value>>()?
                        .unwrap_or_default()
                }
                "extensions" => {
                    p.config.extensions = map
                        .next_value::<Option<Vec<serde_json::Value>>>()?
                        .unwrap_or_default()
                }
                "clusters" => p.config.clusters = with_lines(map.next_value()?),
                "users" => p.config.users = with_lines(map.next_value()?),
                "contexts" => p.config.contexts = with_lines(map.next_value()?),
                _ => {
                    let value: serde_json::Value = map.next_value()?;
                    if p.config.other.insert(key, value).is_some() {
                        return Err(de::Error::custom("duplicate key"));
                    }
                }
            }
        }
        Ok(YamlTop(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "CANARY-7f3a91c0d2";

    fn parse(text: &str) -> Loaded {
        parse_kubeconfig(text.as_bytes(), Path::new("t.yaml"), &Limits::default())
    }

    fn only_problem(loaded: &Loaded) -> &Error {
        assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
        &loaded.problems[0]
    }

    const SAMPLE: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://c\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n";

    #[test]
    fn yaml_entries_get_their_line() {
        let l = parse(SAMPLE);
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let c = l.config.cluster("c").unwrap();
        assert_eq!(
            c.origin,
            Origin {
                file: "t.yaml".into(),
                line: Some(4)
            }
        );
        assert_eq!(l.config.user("u").unwrap().origin.line, Some(8));
        assert_eq!(l.config.context("x").unwrap().origin.line, Some(12));
        assert_eq!(l.config.current_context.as_deref(), Some("x"));
    }

    #[test]
    fn utf8_bom_crlf_and_utf16_boms_are_read() {
        let crlf = SAMPLE.replace('\n', "\r\n");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(crlf.as_bytes());
        let l = parse_kubeconfig(&bom, Path::new("b"), &Limits::default());
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.config.users.len(), 1);
        for big_endian in [false, true] {
            let mut bytes = if big_endian {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for unit in SAMPLE.encode_utf16() {
                let pair = if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                };
                bytes.extend_from_slice(&pair);
            }
            let l = parse_kubeconfig(&bytes, Path::new("w"), &Limits::default());
            assert!(l.problems.is_empty(), "{:?}", l.problems);
            assert_eq!(
                l.config.cluster("c").unwrap().cluster.server.as_deref(),
                Some("https://c")
            );
        }
        let bad = parse_kubeconfig(&[0xFF, 0xFE, 0x00], Path::new("w"), &Limits::default());
        assert_eq!(only_problem(&bad).kind(), "not-utf8");
        let latin1 = parse_kubeconfig(b"kind: \xe9\n", Path::new("l"), &Limits::default());
        assert_eq!(only_problem(&latin1).kind(), "not-utf8");
    }

    #[test]
    fn json_is_read_without_lines() {
        let l = parse(
            r#" {"clusters":[{"name":"c","cluster":{"server":"https://c"}}],"users":null,"current-context":"x"}"#,
        );
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.config.cluster("c").unwrap().origin.line, None);
        assert!(l.config.users.is_empty());
    }

    #[test]
    fn empty_blank_and_comment_only_inputs_are_empty_configs() {
        for text in ["", "  \n\t\n", "# nothing here\n", "---\n"] {
            let l = parse(text);
            assert!(l.problems.is_empty(), "{text:?}: {:?}", l.problems);
            assert_eq!(l.config, Kubeconfig::default());
        }
    }

    #[test]
    fn null_lists_are_empty() {
        let l = parse("clusters: null\nusers:\ncontexts: ~\npreferences: {}\n");
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert!(l.config.clusters.is_empty() && l.config.users.is_empty());
    }

    #[test]
    fn unknown_keys_are_kept() {
        let l = parse("foo: {a: 1}\nclusters:\n- name: c\n  cluster:\n    bar: 2\n");
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.config.other["foo"], serde_json::json!({"a": 1}));
        assert_eq!(
            l.config.clusters[0].cluster.other["bar"],
            serde_json::json!(2)
        );
    }

    #[test]
    fn bad_input_never_echoes_the_canary() {
        let inputs = [
            format!("users:\n- name: u\n  user:\n    token: {CANARY}\n   bad: [\n"),
            format!("users:\n- name: u\n  user:\n    token: [{CANARY}]\n"),
            format!("users:\n- name: u\n  user:\n    as-groups: {CANARY}\n"),
            format!("users: {CANARY}\n"),
            format!("users:\n- name: u\n  user:\n    token: \"{CANARY}\n"),
            format!(
                "{{\"users\": [{{\"name\": \"u\", \"user\": {{\"token\": [\"{CANARY}\"]}}}}]}}"
            ),
            format!("{{\"users\": \"{CANARY}\"}}"),
            format!("{{\"users\": [{CANARY}]}}"),
            format!("{CANARY}: [\n"),
        ];
        for input in &inputs {
            let l = parse(input);
            assert!(!l.problems.is_empty(), "accepted: {input}");
            for p in &l.problems {
                let shown = format!("{p} {p:?}");
                assert!(!shown.contains(CANARY), "leak in {shown}");
                assert!(!shown.contains("7f3a91"), "leak in {shown}");
            }
        }
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let l = parse("clusters:\n- name: c\n  cluster:\n    server: [\n");
        match only_problem(&l) {
            Error::Syntax { at, .. } => assert!(at.line.is_some(), "{at:?}"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        for text in [
            "current-context: a\ncurrent-context: b\n",
            "users:\n- name: u\n  user:\n    token: a\n    token: b\n",
            "clusters:\n- name: c\n  cluster:\n    zzz: 1\n    zzz: 2\n",
            "zzz: 1\nzzz: 2\n",
        ] {
            let l = parse(text);
            assert_eq!(only_problem(&l).kind(), "syntax", "{text}");
        }
    }

    #[test]
    fn duplicate_names_keep_the_first_and_the_rest_of_the_file() {
        let l = parse(
            "users:\n- name: u\n  user: {token: first}\n- name: u\n  user: {token: second}\n- name: v\n  user: {}\ncurrent-context: x\n",
        );
        let expected = Error::DuplicateName {
            at: Location::file("t.yaml")
                .with_entry("users[u]")
                .with_line(Some(4)),
            kind: "user".into(),
            name: "u".into(),
        };
        assert_eq!(only_problem(&l), &expected);
        assert_eq!(l.config.users.len(), 2);
        assert_eq!(
            l.config
                .user("u")
                .and_then(|u| u.user.token.as_ref())
                .map(|t| t.expose()),
            Some("first")
        );
        assert_eq!(l.config.current_context.as_deref(), Some("x"));
    }

    #[test]
    fn alias_bomb_is_rejected_by_the_alias_budget() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["b", "c", "d", "e", "f", "g", "h", "i", "j"];
        let mut prev = "a";
        for n in names {
            bomb.push_str(&format!("{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = n;
        }
        // Correctness only: the time it takes is measured, not asserted (tests/hostile).
        let l = parse(&bomb);
        assert_eq!(only_problem(&l).kind(), "syntax");
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let depth = 10_000;
        let flow = format!("x: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(only_problem(&parse(&flow)).kind(), "syntax");
        let block: String = (0..depth)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert_eq!(only_problem(&parse(&block)).kind(), "syntax");
        let json = format!("{{\"x\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(only_problem(&parse(&json)).kind(), "syntax");
    }

    #[test]
    fn nesting_at_the_limit_is_read() {
        // Depth 64 counts the top-level mapping; an unknown key holds the rest.
        let block: String = (0..63).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(parse(&block).problems.is_empty());
        let block: String = (0..65).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert_eq!(only_problem(&parse(&block)).kind(), "syntax");
    }

    #[test]
    fn many_users_fit_the_scaled_budget() {
        let mut text = String::from("users:\n");
        for i in 0..15_000 {
            text.push_str(&format!(
                "- name: user-{i}\n  user:\n    client-certificate: /p/{i}.crt\n    client-key: /p/{i}.key\n    as-groups: [a, b]\n"
            ));
        }
        let l = parse(&text);
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.config.users.len(), 15_000);
    }

    fn temp_dir(name: &str) -> PathBuf {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("kcred-load-{nanos}-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn read_limited_refuses_devices_and_directories() {
        let limits = Limits::default();
        let at = Location::file("x");
        let refused = |p: &Path| read_limited(p, &limits, &at).unwrap_err().kind();
        assert_eq!(refused(Path::new("/dev/zero")), "not-regular-file");
        let dir = temp_dir("fifo");
        assert_eq!(refused(&dir), "not-regular-file");
        // FIFOs need mkfifo(1): tests/tests/loader_files.rs covers them.
        assert_eq!(refused(&dir.join("missing")), "io");
    }

    #[test]
    fn read_limited_caps_the_size() {
        let dir = temp_dir("size");
        let file = dir.join("big");
        std::fs::write(&file, vec![b'#'; 101]).unwrap();
        let limits = Limits {
            max_file_bytes: 100,
            ..Limits::default()
        };
        let at = Location::file(&file);
        assert_eq!(
            read_limited(&file, &limits, &at),
            Err(Error::TooLarge {
                at: at.clone(),
                limit: 100
            })
        );
        std::fs::write(&file, vec![b'#'; 100]).unwrap();
        assert_eq!(read_limited(&file, &limits, &at).map(|b| b.len()), Ok(100));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_io_errors() {
        let dir = temp_dir("loop");
        std::os::unix::fs::symlink(dir.join("b"), dir.join("a")).unwrap();
        std::os::unix::fs::symlink(dir.join("a"), dir.join("b")).unwrap();
        let l = load_file(&dir.join("a"), &Limits::default());
        assert_eq!(only_problem(&l).kind(), "io");
        assert!(l.files.is_empty());
    }

    #[test]
    fn load_file_resolves_against_the_file_folder() {
        let dir = temp_dir("resolve");
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let file = dir.join("sub/config");
        std::fs::write(
            &file,
            "clusters:\n- name: c\n  cluster:\n    certificate-authority: ../ca.crt\nusers:\n- name: u\n  user:\n    tokenFile: tok\n    exec: {command: kubelogin}\n",
        )
        .unwrap();
        let l = load_file(&file, &Limits::default());
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.files, std::slice::from_ref(&file));
        let ca = dir.join("ca.crt").to_string_lossy().into_owned();
        assert_eq!(
            l.config.clusters[0]
                .cluster
                .certificate_authority
                .as_deref(),
            Some(ca.as_str())
        );
        let tok = dir.join("sub/tok").to_string_lossy().into_owned();
        assert_eq!(
            l.config.users[0].user.token_file.as_deref(),
            Some(tok.as_str())
        );
        assert_eq!(
            l.config.users[0]
                .user
                .exec
                .as_ref()
                .map(|e| e.command.as_str()),
            Some("kubelogin")
        );
    }
}
