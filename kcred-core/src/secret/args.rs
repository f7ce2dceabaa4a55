//! Exec args and commands as kcred shows them: a small word-by-word state
//! machine (secret-named flags, assignments, Authorization headers, shell and
//! interpreter scripts, URLs), because the value to hide is often the word
//! after the one that names it.

use super::names::is_secret_name;
use super::url::{scrub_url, url_start};
use super::REDACTED;

/// Exec args as kcred shows them: the value after or inside a secret-named flag
/// (`--client-secret V`, `--password=V`, `--pwd:V`, `/p V`, `-pV`, one arg
/// `"--token V"`), the value of a secret-named `NAME=value`, URL credentials
/// ([`redact_url`](super::redact_url)), and the whole script (and its arguments) of a shell or
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
