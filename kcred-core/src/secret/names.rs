//! Which names hide a secret: the one list of secret-looking flag and variable
//! names, shared by the args redaction and by detections.

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
