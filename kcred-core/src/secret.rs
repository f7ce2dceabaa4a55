//! A string that never shows itself: tokens, passwords, private keys, refresh tokens.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The marker every rendering of a [`Secret`] prints instead of its value.
pub const REDACTED: &str = "<redacted>";

/// A secret value read from an input.
///
/// `Debug`, `Display` and `Serialize` all print [`REDACTED`]; the only way to the
/// bytes is [`Secret::expose`], which is grep-able and used in few places (decoding
/// a JWT's claims, matching a private key to its certificate).
///
/// ```
/// use kcred_core::Secret;
/// let token = Secret::new("CANARY-7f3a");
/// assert_eq!(format!("{token:?}"), "Secret(<redacted>)");
/// assert_eq!(token.to_string(), "<redacted>");
/// assert_eq!(token.expose(), "CANARY-7f3a");
/// ```
#[derive(Clone, PartialEq, Eq, Default, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself. Never print or log what this returns.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string (kubectl treats empty as absent).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(REDACTED)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

// The one place that decides which public-looking text of a kubeconfig hides a
// secret: exec args and commands, URLs. Records are built from what these
// return, so every output (JSON, tables, SARIF, Prometheus, Python) shows the
// same redacted text; detections read the original values before this.

/// Whether a flag or variable name suggests that its value is a secret
/// (`--client-secret`, `-p`, `/password`, `AWS_SECRET_ACCESS_KEY`...). Names of
/// paths, ids, URLs and modes (`--token-file`, `--client-id`, `--auth-mode`) do not.
///
/// ```
/// use kcred_core::is_secret_name;
/// assert!(is_secret_name("--client-secret") && is_secret_name("-p") && is_secret_name("API_KEY"));
/// assert!(!is_secret_name("--server-id") && !is_secret_name("--token-cache-dir") && !is_secret_name("--login"));
/// ```
pub fn is_secret_name(name: &str) -> bool {
    let name = name
        .trim_start_matches(['-', '/'])
        .to_ascii_lowercase()
        .replace('_', "-");
    if name == "p" {
        return true;
    }
    const WORDS: &[&str] = &[
        "pass",
        "pwd",
        "secret",
        "token",
        "key",
        "auth",
        "credential",
        "bearer",
        "cookie",
        "session",
        "private",
    ];
    // What such a flag names when it does not hold the secret itself.
    const HARMLESS: &[&str] = &[
        "-dir",
        "-path",
        "-file",
        "-id",
        "-cache",
        "-type",
        "-url",
        "-host",
        "-name",
        "-mode",
        "-method",
        "-only",
        "-enabled",
        "-disabled",
        "-timeout",
        "-sec",
        "-storage",
        "-format",
    ];
    WORDS.iter().any(|w| name.contains(w))
        && (name.ends_with("secret-id") || !HARMLESS.iter().any(|s| name.ends_with(s)))
}

/// A URL with its credentials redacted: the userinfo (`user:pass@`), the whole
/// query string and the fragment become [`REDACTED`]; scheme, host, port and
/// path stay. A text without `://` is read as starting with the host, and URLs
/// nested in the path are redacted too. An authority whose port is not a number
/// (a password holding an unescaped `/`) is redacted whole.
///
/// ```
/// use kcred_core::redact_url;
/// assert_eq!(
///     redact_url("https://admin:hunter2@k8s.example:6443/api?token=abc#x"),
///     "https://<redacted>@k8s.example:6443/api?<redacted>#<redacted>"
/// );
/// assert_eq!(redact_url("https://10.0.0.1:6443"), "https://10.0.0.1:6443");
/// ```
pub fn redact_url(url: &str) -> String {
    scrub_url(url, true).0
}

/// [`redact_url`], also saying whether anything was redacted. `schemeless`: a
/// text without `://` starts with an authority (else it is left alone).
fn scrub_url(text: &str, schemeless: bool) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    let mut first = true;
    loop {
        let start = match url_start(rest) {
            Some((i, len)) => i + len,
            None if first && schemeless => 0,
            None => {
                out.push_str(rest);
                break;
            }
        };
        first = false;
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let next_url = url_start(after).map_or(after.len(), |(i, _)| i);
        let segment_end = after[..next_url].find(['?', '#']).unwrap_or(next_url);
        // Userinfo ends at the last `@` before the query: a password may hold
        // an unescaped `/` (client-go would refuse it, but it is still a secret).
        let host_start = match after[..segment_end].rfind('@') {
            Some(at) => {
                out.push_str(REDACTED);
                out.push('@');
                changed = true;
                at + 1
            }
            None => 0,
        };
        let host_end = after[host_start..]
            .find(['/', '?', '#'])
            .map_or(after.len(), |i| host_start + i);
        let authority = &after[host_start..host_end];
        if host_start == 0 && !is_host_port(authority) {
            out.push_str(REDACTED);
            changed = true;
        } else {
            out.push_str(authority);
        }
        let tail = &after[host_end..];
        let next_url = url_start(tail).map(|(i, _)| i);
        let Some(q) = tail[..next_url.unwrap_or(tail.len())].find(['?', '#']) else {
            if next_url.is_some() {
                // A URL nested in the path: its own credentials go too.
                rest = tail;
                continue;
            }
            out.push_str(tail);
            break;
        };
        out.push_str(&tail[..q]);
        let (query, fragment) = match tail[q..].strip_prefix('?') {
            Some(after_q) => match after_q.find('#') {
                Some(h) => (Some(&after_q[..h]), Some(&after_q[h + 1..])),
                None => (Some(after_q), None),
            },
            None => (None, Some(&tail[q + 1..])),
        };
        for (mark, part) in [('?', query), ('#', fragment)] {
            if let Some(part) = part {
                out.push(mark);
                if !part.is_empty() {
                    out.push_str(REDACTED);
                    changed = true;
                }
            }
        }
        break;
    }
    (out, changed)
}

/// Where a URL's `://` is (index, length), or the `:/` of a known scheme
/// whose slashes a path join collapsed (`/dir/https:/user:pass@host`, as
/// client-go resolves a relative exec command).
fn url_start(text: &str) -> Option<(usize, usize)> {
    const SCHEMES: &[&str] = &[
        "http", "https", "socks4", "socks5", "socks5h", "ftp", "ftps", "ws", "wss",
    ];
    for (i, _) in text.match_indices(":/") {
        if text[i..].starts_with("://") {
            return Some((i, 3));
        }
        // After the last character that cannot be in a scheme (a multi-byte
        // one included: the scheme starts after all of its bytes).
        let scheme_start = text[..i]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_ascii_alphanumeric())
            .map_or(0, |(j, c)| j + c.len_utf8());
        let scheme = &text[scheme_start..i];
        if SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
            return Some((i, 2));
        }
    }
    None
}

/// `host`, `host:port`, `[v6]:port`: the port, when given, is a number.
fn is_host_port(authority: &str) -> bool {
    let port = match authority.strip_prefix('[') {
        Some(v6) => match v6.find(']') {
            Some(end) => match &v6[end + 1..] {
                "" => return true,
                rest => match rest.strip_prefix(':') {
                    Some(port) => port,
                    None => return false,
                },
            },
            None => return false,
        },
        None => match authority.rfind(':') {
            Some(i) => &authority[i + 1..],
            None => return true,
        },
    };
    port.bytes().all(|b| b.is_ascii_digit())
}

/// Exec args as kcred shows them: the value after or inside a secret-named flag
/// (`--client-secret V`, `--password=V`, `--pwd:V`, `/p V`, `-pV`, one arg
/// `"--token V"`), the value of a secret-named `NAME=value`, URL credentials
/// ([`redact_url`]), and the whole script (and its arguments) of a shell or
/// interpreter (`sh -c`, `bash -ec`, `pwsh -Command`, `cmd /c`, `python -c`...)
/// are [`REDACTED`]. `command` is the exec `command`: a shell there makes the
/// args after `-c` a script. Other args are kept as written.
///
/// ```
/// use kcred_core::redact_args;
/// let args = ["get-token", "--login", "spn", "--client-secret", "s3cr3t", "--pwd=x"].map(String::from);
/// assert_eq!(
///     redact_args("kubelogin", &args),
///     ["get-token", "--login", "spn", "--client-secret", "<redacted>", "--pwd=<redacted>"]
/// );
/// let script = ["-c", "curl -H 'Authorization: Bearer s3cr3t' https://x"].map(String::from);
/// assert_eq!(redact_args("/bin/sh", &script), ["-c", "<redacted>"]);
/// ```
pub fn redact_args(command: &str, args: &[String]) -> Vec<String> {
    redact_exec(command, args).args
}

/// An exec `command` as kcred shows it: a command holding words (`env
/// TOKEN=x plugin`, `plugin --password=x`, `sh -c '...'`) is redacted as
/// [`redact_args`] redacts args, every leading `NAME=value` has its value
/// redacted, and URLs lose their credentials. A plain path is kept as written.
///
/// ```
/// use kcred_core::redact_command;
/// assert_eq!(redact_command("/usr/local/bin/kubelogin"), "/usr/local/bin/kubelogin");
/// assert_eq!(redact_command("TOKEN=abc kubelogin --password=x"), "TOKEN=<redacted> kubelogin --password=<redacted>");
/// ```
pub fn redact_command(command: &str) -> String {
    redact_exec(command, &[]).command
}

/// An exec block's command and args as shown, and whether a secret was in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RedactedExec {
    /// The command as shown.
    pub command: String,
    /// The args as shown.
    pub args: Vec<String>,
    /// A secret value (a secret-named flag's or variable's value, URL
    /// credentials) was redacted, also when found inside a redacted script.
    pub holds_secret: bool,
}

/// Redacts an exec block's command and args together: the command's words set
/// the state the args start in (a shell command makes `-c` take a script).
pub(crate) fn redact_exec(command: &str, args: &[String]) -> RedactedExec {
    let mut scrub = Scrub::default();
    let shown_command = scrub.command(command);
    let mut shown_args = Vec::with_capacity(args.len());
    for arg in args {
        shown_args.push(match scrub.word(arg) {
            Shown::Same => arg.clone(),
            Shown::Redacted(text) => text,
            Shown::Absorbed => REDACTED.to_owned(),
        });
    }
    RedactedExec {
        command: shown_command,
        args: shown_args,
        holds_secret: scrub.secret,
    }
}

/// What is shown of a word.
enum Shown {
    Same,
    Redacted(String),
    /// Part of a script already shown as one [`REDACTED`].
    Absorbed,
}

/// Programs whose flag makes the following words a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interpreter {
    /// sh, bash, zsh, dash, ksh, ash, fish: `-c` (alone or in a cluster like `-ec`).
    Posix,
    /// pwsh, powershell: `-Command` (any prefix), `-EncodedCommand`, `-ec`.
    PowerShell,
    /// cmd: `/c`, `/k`, `/r`.
    Cmd,
    /// python: `-c`.
    Python,
    /// perl, ruby, node: `-e`, `-E`, `--eval`, `-p`, `--print`.
    Eval,
    /// php: `-r`.
    Php,
}

impl Interpreter {
    fn of(word: &str) -> Option<Self> {
        let base = word.rsplit(['/', '\\']).next().unwrap_or(word);
        let base = base.to_ascii_lowercase();
        let base = base.strip_suffix(".exe").unwrap_or(&base);
        Some(match base {
            "sh" | "bash" | "zsh" | "dash" | "ksh" | "mksh" | "ash" | "fish" | "busybox" => {
                Interpreter::Posix
            }
            "pwsh" | "powershell" | "pwsh-preview" => Interpreter::PowerShell,
            "cmd" => Interpreter::Cmd,
            "perl" | "ruby" | "node" | "nodejs" | "deno" => Interpreter::Eval,
            "php" => Interpreter::Php,
            b if b.starts_with("python") => Interpreter::Python,
            _ => return None,
        })
    }

    /// Whether `word` is the flag after which this program reads a script.
    fn takes_script(self, word: &str) -> bool {
        let lower = word.to_ascii_lowercase();
        let single = lower
            .strip_prefix('-')
            .filter(|r| !r.starts_with('-') && !r.is_empty());
        match self {
            Interpreter::Posix => {
                lower == "--command"
                    || single.is_some_and(|r| {
                        r.len() <= 8
                            && r.contains('c')
                            && r.bytes().all(|b| b.is_ascii_alphabetic())
                    })
            }
            Interpreter::PowerShell => {
                let name = lower.trim_start_matches(['-', '/']);
                (lower.len() > name.len())
                    && !name.is_empty()
                    && ("command".starts_with(name)
                        || "encodedcommand".starts_with(name)
                        || name == "ec")
            }
            Interpreter::Cmd => matches!(lower.as_str(), "/c" | "/k" | "/r"),
            Interpreter::Python => lower == "-c",
            Interpreter::Eval => matches!(lower.as_str(), "-e" | "--eval" | "-p" | "--print"),
            Interpreter::Php => lower == "-r",
        }
    }
}

/// How deep text inside one arg (`"--token V"`, a script) is looked into.
const MAX_NESTING: u8 = 3;

/// The redaction state over a sequence of words.
#[derive(Default)]
struct Scrub {
    /// The last program seen that reads scripts.
    interpreter: Option<Interpreter>,
    /// The previous word was a secret-named flag: this one is its value.
    pending: bool,
    /// A script flag was seen: every later word is the script or its args.
    script: bool,
    /// The script's marker was shown (later words are absorbed).
    script_shown: bool,
    /// A secret value was redacted.
    secret: bool,
    /// Nesting level (text inside an arg).
    depth: u8,
    /// The previous word was `Bearer` / `Basic` (an Authorization header): this one is its credential.
    header_value: bool,
}

impl Scrub {
    fn nested(&self) -> Scrub {
        Scrub {
            depth: self.depth + 1,
            ..Scrub::default()
        }
    }

    /// A command string: words are redacted as args are, leading `NAME=value`
    /// assignments lose their values; the text is kept when nothing changed.
    fn command(&mut self, command: &str) -> String {
        let words = split_words(command);
        let mut shown = Vec::with_capacity(words.len());
        let mut changed = false;
        let mut assignments = true;
        for word in &words {
            if assignments {
                if let Some((name, value)) = assignment(word) {
                    if !value.is_empty() {
                        shown.push(format!("{name}={REDACTED}"));
                        changed = true;
                        self.secret |= is_secret_name(name);
                        continue;
                    }
                }
                assignments = false;
            }
            match self.word(word) {
                Shown::Same => shown.push((*word).to_owned()),
                Shown::Redacted(text) => {
                    shown.push(text);
                    changed = true;
                }
                Shown::Absorbed => changed = true,
            }
        }
        if changed {
            shown.join(" ")
        } else {
            command.to_owned()
        }
    }

    /// Looks for secrets in text that is redacted anyway (a script), to know
    /// whether one was there.
    fn note_secrets_in(&mut self, text: &str) {
        if self.depth < MAX_NESTING {
            let mut inner = self.nested();
            inner.command(unquote(text));
            self.secret |= inner.secret;
        }
    }

    fn word(&mut self, word: &str) -> Shown {
        if self.script {
            self.note_secrets_in(word);
            if self.script_shown {
                return Shown::Absorbed;
            }
            self.script_shown = true;
            return Shown::Redacted(REDACTED.to_owned());
        }
        let core = unquote(word);
        if std::mem::take(&mut self.header_value) && !looks_like_flag(core) {
            return Shown::Redacted(REDACTED.to_owned());
        }
        if self.pending {
            self.pending = false;
            if !looks_like_flag(core) {
                self.secret = true;
                return Shown::Redacted(REDACTED.to_owned());
            }
        }
        if let Some(interpreter) = self.interpreter {
            if interpreter.takes_script(core) {
                self.script = true;
                return Shown::Same;
            }
        }
        let shape = shape(core);
        if let Shape::Attached { flag, sep, value } = shape {
            if is_secret_name(flag) && !value.is_empty() {
                self.secret = true;
                return Shown::Redacted(format!("{flag}{sep}{REDACTED}"));
            }
            // `--set=token=V`: a secret-named assignment as a flag's value.
            if let Some((name, v)) = assignment(value) {
                if is_secret_name(name) && !v.is_empty() {
                    self.secret = true;
                    return Shown::Redacted(format!("{flag}{sep}{name}={REDACTED}"));
                }
            }
        }
        // `Authorization: Bearer V` (a header as args, or inside one arg): V is the secret.
        // Hidden without counting as a secret-named value (`holds_secret` keeps its meaning).
        if ["bearer", "basic"]
            .iter()
            .any(|w| core.eq_ignore_ascii_case(w))
        {
            self.header_value = true;
            return Shown::Same;
        }
        if core.contains(char::is_whitespace) {
            if self.depth >= MAX_NESTING {
                return Shown::Same;
            }
            // One arg holding several words: `"--client-secret V"`, `"sh -c '...'"`.
            let mut inner = self.nested();
            inner.interpreter = self.interpreter;
            let shown = inner.command(core);
            self.secret |= inner.secret;
            self.pending |= inner.pending;
            self.header_value |= inner.header_value;
            if inner.script {
                self.script = true;
                self.script_shown = true;
            }
            return if shown == core {
                Shown::Same
            } else {
                Shown::Redacted(shown)
            };
        }
        if let Some(interpreter) = Interpreter::of(core).filter(|_| !core.starts_with('-')) {
            self.interpreter = Some(interpreter);
            return Shown::Same;
        }
        match shape {
            Shape::Flag(name) if is_secret_name(name) => {
                self.pending = true;
                return Shown::Same;
            }
            Shape::GluedShort(flag) => {
                self.secret = true;
                return Shown::Redacted(format!("{flag}{REDACTED}"));
            }
            _ => {}
        }
        if let Some((name, value)) = assignment(core) {
            if is_secret_name(name) && !value.is_empty() {
                self.secret = true;
                return Shown::Redacted(format!("{name}={REDACTED}"));
            }
        }
        if url_start(word).is_some() {
            let (shown, changed) = scrub_url(word, false);
            if changed {
                self.secret = true;
                return Shown::Redacted(shown);
            }
        }
        Shown::Same
    }
}

/// The shapes of a word that matter for redaction.
#[derive(Debug, PartialEq, Eq)]
enum Shape<'a> {
    /// `--name=value`, `--name:value`, `-name=value`, `/name:value`.
    Attached {
        flag: &'a str,
        sep: char,
        value: &'a str,
    },
    /// `--name`, `-name`, `/name`.
    Flag(&'a str),
    /// `-pVALUE`: the short password flag with its value glued on (the flag part).
    GluedShort(&'a str),
    /// Anything else.
    Plain,
}

fn shape(word: &str) -> Shape<'_> {
    let prefix = if word.starts_with("--") {
        2
    } else if word.starts_with(['-', '/']) {
        1
    } else {
        return Shape::Plain;
    };
    let body = &word[prefix..];
    if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Shape::Plain;
    }
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(body.len());
    let (name, rest) = body.split_at(name_len);
    if let Some(sep) = rest.chars().next().filter(|c| matches!(c, '=' | ':')) {
        return Shape::Attached {
            flag: &word[..prefix + name_len],
            sep,
            value: &rest[1..],
        };
    }
    // `-pS3cret`: a single dash, `p`, more; but `-profile`, `-Password`,
    // `-pwd` (a word, or a secret's name) are Go- or PowerShell-style long flags.
    let long_word = rest.is_empty()
        && (is_secret_name(name)
            || (name.len() >= 4
                && name[1..]
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')));
    if prefix == 1
        && word.starts_with('-')
        && body.len() > 1
        && body.starts_with(['p', 'P'])
        && !long_word
    {
        return Shape::GluedShort(&word[..2]);
    }
    if rest.is_empty() {
        Shape::Flag(name)
    } else {
        Shape::Plain
    }
}

/// Whether a word after a secret-named flag is another flag rather than its
/// value (`--token-only --cluster-id x`).
fn looks_like_flag(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some('-'), Some('-'), Some(c)) => c.is_ascii_alphabetic(),
        (Some('-'), Some(c), None) => c.is_ascii_alphabetic(),
        _ => false,
    }
}

/// `NAME=value` with an environment-variable name.
fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    let mut bytes = name.bytes();
    let first = bytes.next()?;
    ((first.is_ascii_alphabetic() || first == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    .then_some((name, value))
}

/// The text inside one pair of matching outer quotes.
fn unquote(word: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = word.strip_prefix(q).and_then(|w| w.strip_suffix(q)) {
            return inner;
        }
    }
    word
}

/// Splits at whitespace outside '...' and "..." (quotes stay in the words).
fn split_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push(&text[s..i]);
                }
            }
            None => {
                if matches!(c, '\'' | '"') {
                    quote = Some(c);
                }
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        words.push(&text[s..]);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_rendering_shows_the_value() {
        let s = Secret::new("CANARY-secret-1");
        assert!(!format!("{s:?}").contains("CANARY"));
        assert!(!format!("{s}").contains("CANARY"));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"<redacted>\"");
        let back: Secret = serde_json::from_str("\"CANARY-secret-1\"").unwrap();
        assert_eq!(back.expose(), "CANARY-secret-1");
    }

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    /// Secret values in several shapes (a leading dash, base64 padding, slashes).
    const VALUES: &[&str] = &[
        "CANARY-v1",
        "-CANARYdash",
        "CANARY/b64+x==",
        "'CANARY quoted'",
    ];

    /// Flag names that name a secret, as kubelogin, oidc-login, aws and others spell them.
    const SECRET_FLAGS: &[&str] = &[
        "password",
        "Password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "client-secret",
        "client_secret",
        "oidc-client-secret",
        "client-certificate-password",
        "token",
        "access-token",
        "id-token",
        "refresh-token",
        "key",
        "api-key",
        "apikey",
        "private-key",
        "privatekey",
        "auth",
        "basic-auth",
        "bearer",
        "cookie",
        "session",
        "credential",
        "credentials",
        "vault-secret-id",
    ];

    fn assert_hidden(what: &str, shown: &str) {
        assert!(
            !shown.contains("CANARY") && !shown.contains("ARY"),
            "{what}: {shown}"
        );
    }

    #[test]
    fn every_secret_flag_form_is_redacted() {
        let mut checked = 0;
        for name in SECRET_FLAGS {
            assert!(is_secret_name(name), "{name}");
            for prefix in ["--", "-", "/"] {
                let flag = format!("{prefix}{name}");
                for value in VALUES {
                    let forms: Vec<Vec<String>> = vec![
                        vec![flag.clone(), (*value).to_owned()],
                        vec![format!("{flag}={value}")],
                        vec![format!("{flag}:{value}")],
                        vec![format!("{flag} {value}")],
                        vec![format!("--login spn {flag} {value} --tenant-id t")],
                        vec![format!("--login spn {flag}"), (*value).to_owned()],
                        vec![
                            "get-token".into(),
                            flag.clone(),
                            (*value).to_owned(),
                            "--login".into(),
                            "spn".into(),
                        ],
                    ];
                    for args in forms {
                        let r = redact_exec("kubelogin", &args);
                        let shown = r.args.join(" ");
                        assert_hidden(&format!("{args:?}"), &shown);
                        assert!(shown.contains(flag.as_str()), "{args:?}: {shown}");
                        assert!(r.holds_secret, "{args:?}");
                        if args.iter().any(|a| a == "--login") {
                            assert!(shown.contains("--login spn"), "{args:?}: {shown}");
                        }
                        checked += 1;
                    }
                    // The same flag glued into the command string.
                    for command in [
                        format!("kubelogin {flag}={value}"),
                        format!("kubelogin {flag} {value}"),
                        format!("/usr/bin/env {flag} {value} kubelogin"),
                    ] {
                        let shown = redact_command(&command);
                        assert_hidden(&command, &shown);
                        assert!(shown.contains("kubelogin"), "{command}: {shown}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 2_000, "{checked}");
    }

    #[test]
    fn short_p_in_every_form_is_redacted() {
        for args in [
            vec!["-p", "CANARY-1"],
            vec!["-P", "CANARY-1"],
            vec!["/p", "CANARY-1"],
            vec!["-pCANARY-1"],
            vec!["-PCANARY1"],
            vec!["-p=CANARY-1"],
            vec!["-p:CANARY-1"],
            vec!["-u root -pCANARY-1"],
        ] {
            let r = redact_exec("mysql-auth", &strings(&args));
            assert_hidden(&format!("{args:?}"), &r.args.join(" "));
            assert!(r.holds_secret, "{args:?}");
        }
        // A Go-style long flag starting with p is a flag, not `-p` + value.
        let args = strings(&["-profile", "prod", "-port", "443", "-project", "x"]);
        assert_eq!(redact_args("tool", &args), args);
    }

    #[test]
    fn bearer_headers_and_secret_assignments_in_flag_values_are_redacted() {
        for args in [
            vec!["--header=Authorization: Bearer V-SECRET"],
            vec!["--header", "Authorization: Bearer V-SECRET"],
            vec!["-H", "Authorization:", "bearer", "V-SECRET"],
            vec!["--header", "Authorization: Basic V-SECRET"],
            vec!["--kv=token=V-SECRET"],
            vec!["--set:client_secret=V-SECRET"],
        ] {
            let args: Vec<String> = args.into_iter().map(String::from).collect();
            let r = redact_exec("plugin", &args);
            assert!(
                !r.args.concat().contains("V-SECRET"),
                "{args:?} -> {:?}",
                r.args
            );
            let c = redact_command(&format!("plugin {}", args.join(" ")));
            assert!(!c.contains("V-SECRET"), "{c}");
        }
        let plain = ["--set=region=eu", "bearer"].map(String::from);
        assert_eq!(redact_args("plugin", &plain), plain);
    }

    #[test]
    fn secret_named_assignments_lose_their_values() {
        for name in [
            "AWS_SECRET_ACCESS_KEY",
            "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET",
            "TOKEN",
            "GITHUB_TOKEN",
            "DB_PASSWORD",
            "API_KEY",
        ] {
            let args = strings(&[&format!("{name}=CANARY-x"), "aws", "eks", "get-token"]);
            let r = redact_exec("env", &args);
            assert_hidden(name, &r.args.join(" "));
            assert_eq!(r.args[0], format!("{name}={REDACTED}"));
            assert!(r.holds_secret);
            // In a command string every leading assignment is redacted.
            for shown in [
                redact_command(&format!("{name}=CANARY-x kubelogin get-token")),
                redact_command(&format!("SETTING=CANARY-x {name}=CANARY-y kubelogin")),
            ] {
                assert_hidden(name, &shown);
                assert!(
                    shown.ends_with("kubelogin get-token") || shown.ends_with("kubelogin"),
                    "{shown}"
                );
            }
        }
        // Not secret-named: kept in args (label selectors, settings).
        let args = strings(&["app=web", "AWS_REGION=eu-west-1", "AWS_PROFILE=prod"]);
        assert_eq!(redact_args("env", &args), args);
    }

    /// Shells and interpreters with their script flags.
    const SCRIPTS: &[(&str, &str)] = &[
        ("sh", "-c"),
        ("/bin/sh", "-c"),
        ("bash", "-c"),
        ("/usr/bin/bash", "-ec"),
        ("bash", "-lc"),
        ("zsh", "-c"),
        ("dash", "-c"),
        ("ksh", "-c"),
        ("ash", "-c"),
        ("fish", "--command"),
        ("pwsh", "-Command"),
        ("pwsh", "-c"),
        ("pwsh.exe", "-command"),
        ("powershell.exe", "-EncodedCommand"),
        ("powershell", "-ec"),
        ("cmd", "/c"),
        ("cmd.exe", "/C"),
        ("C:\\Windows\\System32\\cmd.exe", "/k"),
        ("python3", "-c"),
        ("python", "-c"),
        ("node", "-e"),
        ("perl", "-e"),
        ("ruby", "-e"),
    ];

    #[test]
    fn scripts_of_shells_and_interpreters_are_redacted_whole() {
        let scripts = [
            "echo CANARY-script",
            "curl -H 'Authorization: Bearer CANARY-h' https://x",
            "kubelogin get-token --client-secret CANARY-s",
            "printf %s \"$1\"",
        ];
        for (shell, flag) in SCRIPTS {
            for script in scripts {
                let secret_inside = script.contains("client-secret");
                let positional = ["_", "CANARY-arg"];
                // The shell as the command.
                let mut args = strings(&[flag, script]);
                args.extend(strings(&positional));
                let r = redact_exec(shell, &args);
                assert_eq!(r.args[0], *flag, "{shell} {args:?}");
                assert!(
                    r.args[1..].iter().all(|a| a == REDACTED),
                    "{shell}: {:?}",
                    r.args
                );
                assert_eq!(r.holds_secret, secret_inside, "{shell} {script}");
                // The shell in the args (`env sh -c ...`, `/usr/bin/env bash -c ...`).
                let mut args = strings(&[shell, flag, script]);
                args.extend(strings(&positional));
                let r = redact_exec("/usr/bin/env", &args);
                assert_hidden(&format!("env {shell}"), &r.args.join(" "));
                assert_eq!(r.args[..2], [shell.to_string(), flag.to_string()]);
                // Shell, flag and script in one arg, and in the command string.
                let one = format!("{shell} {flag} '{script}'");
                let r = redact_exec("env", std::slice::from_ref(&one));
                assert_hidden(&one, &r.args.join(" "));
                assert_eq!(r.args[0], format!("{shell} {flag} {REDACTED}"));
                assert_eq!(r.holds_secret, secret_inside, "{one}");
                let shown = redact_command(&one);
                assert_eq!(shown, format!("{shell} {flag} {REDACTED}"));
                let r = redact_exec(&format!("{shell} {flag}"), &strings(&[script]));
                assert_eq!(r.args, [REDACTED], "{shell} {flag}");
            }
        }
        // Shell options before `-c` stay.
        let r = redact_args(
            "bash",
            &strings(&["--norc", "-o", "pipefail", "-c", "CANARY"]),
        );
        assert_eq!(r, ["--norc", "-o", "pipefail", "-c", REDACTED]);
        // A script file (no `-c`) is a path: kept.
        let args = strings(&["/opt/get-token.sh", "--cluster-name", "x"]);
        assert_eq!(redact_args("bash", &args), args);
    }

    #[test]
    fn multi_byte_characters_around_schemes_never_split_a_character() {
        // Found by the token fuzzer: a 2-byte character right before `:/`.
        for c in ['\u{190}', 'é', '日', '\u{1f600}', '\u{202e}'] {
            for text in [
                format!("{c}:/x"),
                format!("a{c}https:/u:CANARY@h/?q=CANARY"),
                format!("{c}{c}://u:CANARY@h"),
                format!("x{c}:/{c}://{c}@{c}?{c}#{c}"),
            ] {
                let out = redact_url(&text);
                assert!(!out.contains("CANARY"), "{text:?} -> {out:?}");
                let _ = redact_command(&text);
                let _ = redact_args(&text, std::slice::from_ref(&text));
            }
        }
    }

    #[test]
    fn urls_lose_userinfo_query_and_fragment_in_every_combination() {
        let mut checked = 0;
        for scheme in ["https://", "http://", "socks5://", ""] {
            for userinfo in [
                "",
                "admin:CANARY@",
                "CANARY@",
                "u:CAN/ARY@",
                "u:CAN@ARY@",
                "u%40x:CANARY@",
            ] {
                for host in ["k8s.example", "k8s.example:6443", "[::1]:6443", "10.0.0.1"] {
                    for path in ["", "/", "/api/v1"] {
                        for query in ["", "?token=CANARY", "?a=1&t=CANARY"] {
                            for fragment in ["", "#CANARY"] {
                                let url =
                                    format!("{scheme}{userinfo}{host}{path}{query}{fragment}");
                                let shown = redact_url(&url);
                                assert_hidden(&url, &shown);
                                let clean =
                                    userinfo.is_empty() && query.is_empty() && fragment.is_empty();
                                if clean {
                                    assert_eq!(shown, url);
                                } else {
                                    let mut want = scheme.to_string();
                                    if !userinfo.is_empty() {
                                        want.push_str("<redacted>@");
                                    }
                                    want.push_str(host);
                                    want.push_str(path);
                                    if !query.is_empty() {
                                        want.push_str("?<redacted>");
                                    }
                                    if !fragment.is_empty() {
                                        want.push_str("#<redacted>");
                                    }
                                    assert_eq!(shown, want, "{url}");
                                }
                                if !scheme.is_empty() {
                                    // As a flag's value, a bare arg and in a command.
                                    for args in [
                                        vec![format!("--oidc-issuer-url={url}")],
                                        vec!["--server".to_owned(), url.clone()],
                                        vec![url.clone()],
                                    ] {
                                        let r = redact_exec("kubectl", &args);
                                        let joined = r.args.join(" ");
                                        assert_hidden(&url, &joined);
                                        assert!(joined.contains(host), "{joined}");
                                        assert_eq!(r.holds_secret, !clean, "{url}");
                                    }
                                    assert_hidden(&url, &redact_command(&format!("{url}/plugin")));
                                }
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 1_000);
        // Nested URLs, broken authorities, empty parts.
        for (url, want) in [
            (
                "https://proxy/https://u:CANARY@h/x",
                "https://proxy/https://<redacted>@h/x",
            ),
            ("https://user:CANARY/x", "https://<redacted>/x"),
            ("https://h/?", "https://h/?"),
            // A relative command resolved by a path join, which collapses `//`.
            (
                "/tmp/d/https:/u:CANARY@h/bin/x?sig=CANARY",
                "/tmp/d/https:/<redacted>@h/bin/x?<redacted>",
            ),
            (
                "C:/Program Files/kubelogin.exe",
                "C:/Program Files/kubelogin.exe",
            ),
            ("https://h/#", "https://h/#"),
            ("", ""),
        ] {
            assert_eq!(redact_url(url), want, "{url}");
        }
    }

    #[test]
    fn arguments_that_are_not_secrets_stay() {
        let pairs: &[(&str, &str)] = &[
            ("--login", "azurecli"),
            ("-l", "spn"),
            ("--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"),
            ("--client-id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a"),
            ("--tenant-id", "408aa735-c096-4138-9246-cd19cd965624"),
            ("-t", "408aa735"),
            ("--environment", "AzurePublicCloud"),
            ("--cluster-name", "prod"),
            ("--cluster-id", "prod"),
            ("--region", "eu-west-1"),
            ("--role-arn", "arn:aws:iam::123456789012:role/k8s"),
            ("--profile", "prod"),
            ("--output", "json"),
            ("-i", "c1"),
            ("-r", "arn:aws:iam::1:role/x"),
            ("--oidc-issuer-url", "https://issuer.example/realms/a"),
            ("--oidc-client-id", "kube"),
            ("--grant-type", "authcode"),
            ("--token-cache-dir", "/home/u/.kube/cache/oidc-login"),
            ("--token-cache-storage", "disk"),
            (
                "--federated-token-file",
                "/var/run/secrets/azure/tokens/azure-identity-token",
            ),
            ("--authority-host", "https://login.microsoftonline.com/"),
            ("--auth-mode", "login"),
            ("--secret-name", "registry"),
            ("--username", "alice"),
            ("--kubeconfig", "/home/u/.kube/config"),
            ("--authentication-timeout-sec", "180"),
            ("--listen-address", "127.0.0.1:8000"),
        ];
        let mut all = strings(&["get-token", "oidc-login", "eks", "--token-only"]);
        for (flag, value) in pairs {
            for args in [
                strings(&[flag, value]),
                vec![format!("{flag}={value}")],
                strings(&["get-token", flag, value, "--pop-enabled"]),
            ] {
                let r = redact_exec("kubelogin", &args);
                assert_eq!(r.args, args);
                assert!(!r.holds_secret, "{args:?}");
            }
            all.extend(strings(&[flag, value]));
        }
        for command in [
            "kubelogin",
            "aws",
            "kubectl",
            "aws-iam-authenticator",
            "/usr/local/bin/kubelogin",
        ] {
            assert_eq!(redact_args(command, &all), all);
            assert_eq!(redact_command(command), command);
        }
        for command in [
            "C:\\Program Files\\Azure\\kubelogin.exe",
            "./bin/get-token",
            "/opt/with=equals/plugin",
            "C:/Program Files/Azure/kubelogin.exe",
            "/home/u/node_modules/@scope/plugin/bin/get-token",
            "gke-gcloud-auth-plugin",
        ] {
            assert_eq!(redact_command(command), command);
        }
        for name in [
            "--server-id",
            "--token-file",
            "--token-cache-dir",
            "--login",
            "--auth-mode",
            "AWS_PROFILE",
            "AAD_LOGIN_METHOD",
            "--oidc-issuer-url",
            "-i",
            "--role",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn cluster_debug_hides_url_credentials() {
        let cluster = crate::kubeconfig::Cluster {
            server: Some("https://admin:CANARY-s@k8s.example:6443/?token=CANARY-q".into()),
            proxy_url: Some("http://proxy:CANARY-p@proxy.example:3128".into()),
            ..Default::default()
        };
        let shown = format!("{cluster:?} {cluster:#?}");
        assert_hidden("cluster", &shown);
        assert!(
            shown.contains("k8s.example:6443") && shown.contains("proxy.example:3128"),
            "{shown}"
        );
    }
}
