//! Credentials outside the documents `manifest` knows (issue 15): a saved
//! ExecCredential (`kubelogin get-token`, `aws eks get-token` output pasted into
//! a file), and tokens in any text (`.env`, shell scripts, CI YAML, a file that
//! holds only a token), recognised by content: a decodable JWT that is a
//! service-account token or names a Kubernetes-related issuer or audience (or
//! sits after a name that says kube or k8s), an EKS presigned token, an
//! OpenShift `sha256~` token. Never by a variable name alone.

use std::path::Path;

use crate::credential::{DataSource, Inventory};
use crate::error::Location;
use crate::exec::parse_exec_credential;
use crate::token::{decode_token, TokenFormat, TokenInfo};

use super::{certificate_record, token_record, Unreadable};

/// How every token [`recognised`] starts: a JWT header, EKS, OpenShift.
const TOKEN_PREFIXES: &[&str] = &["eyJ", "k8s-aws-v1.", "sha256~"];

/// Lines longer than this are not searched for tokens (minified bundles).
const MAX_LINE: usize = 64 * 1024;

/// OpenShift OAuth access tokens: `sha256~` and 43 base64url characters.
const OPENSHIFT_TOKEN_LEN: usize = "sha256~".len() + 43;

/// Issuers and audiences of tokens that Kubernetes API servers accept: the
/// service-account issuers, Entra (AKS), EKS, GKE, and the AKS AAD server app.
const KUBERNETES_HINTS: &[&str] = &[
    "kubernetes",
    "k8s",
    "sts.windows.net",
    "login.microsoftonline.com",
    "6dae42f8-4368-4678-94ff-3960e28e3630",
    ".eks.amazonaws.com",
    "container.googleapis.com",
];

/// The credentials of a saved ExecCredential document in `text`, or what made
/// it unreadable; `None` when the text is no ExecCredential.
pub(super) fn exec_credential(text: &str, path: &Path) -> Option<Result<Inventory, Unreadable>> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') || !text.contains("\"ExecCredential\"") {
        return None;
    }
    let line = |key: &str| line_of(text, &format!("\"{key}\""));
    let at = Location::file(path).with_entry("ExecCredential");
    let info = match parse_exec_credential(text.as_bytes(), &at) {
        Ok(info) => info,
        Err(e) => {
            return Some(Err(Unreadable {
                location: at.with_line(line("kind")),
                looks_like: "an ExecCredential".to_owned(),
                reason: e.to_string(),
            }))
        }
    };
    let mut inv = Inventory::default();
    if let Some(token) = info.token {
        let validity = info.validity.or(token.validity);
        let at = at
            .clone()
            .with_field("status.token")
            .with_line(line("token"));
        inv.credentials
            .push(token_record(at, TokenInfo { validity, ..token }));
    }
    if let Some(cert) = info.client_certificate {
        let at = at
            .with_field("status.clientCertificateData")
            .with_line(line("clientCertificateData"));
        let mut record = certificate_record(at, cert, Vec::new());
        if let crate::Credential::ClientCertificate(c) = &mut record.credential {
            c.key_source = info.has_client_key.then_some(DataSource::Inline);
        }
        inv.credentials.push(record);
    }
    Some(Ok(inv))
}

/// Every token in `text` recognised by its content, each a record at its line,
/// its entry the name written before it (`KUBE_TOKEN`, `--token`, `token`).
pub(super) fn tokens_in_text(text: &str, path: &Path) -> Inventory {
    let mut inv = Inventory::default();
    // Most files of a tree hold none of the three prefixes: skip the word walk.
    if !TOKEN_PREFIXES.iter().any(|p| text.contains(p)) {
        return inv;
    }
    for (i, line) in text.lines().enumerate() {
        if line.len() > MAX_LINE {
            continue;
        }
        let number = u32::try_from(i + 1).ok();
        for (start, word) in words(line) {
            let name = name_before(&line[..start]);
            let Some(info) = recognised(word, name) else {
                continue;
            };
            let entry = if name.is_empty() { "token" } else { name };
            let at = Location::file(path).with_entry(entry).with_line(number);
            inv.credentials.push(token_record(at, info));
        }
    }
    inv
}

/// Runs of token characters (base64url, `.` and `~`) with their byte offset.
fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    let mut rest = line.char_indices().peekable();
    std::iter::from_fn(move || {
        while rest.next_if(|(_, c)| !token_char(*c)).is_some() {}
        let (start, _) = *rest.peek()?;
        let mut end = start;
        while let Some((i, c)) = rest.next_if(|(_, c)| token_char(*c)) {
            end = i + c.len_utf8();
        }
        Some((start, &line[start..end]))
    })
}

/// The name written before a value: the last identifier before `=`, `:`, a
/// space or a quote (`export KUBE_TOKEN="…"` → `KUBE_TOKEN`, `--token=…` →
/// `--token`).
fn name_before(prefix: &str) -> &str {
    let prefix = prefix.trim_end_matches(['=', ':', '"', '\'', ' ', '\t']);
    let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    // The name is ASCII: its start is a char boundary whatever precedes it.
    let start = prefix
        .char_indices()
        .rev()
        .find(|(_, c)| !name_char(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &prefix[start..]
}

/// The token `word` is, when its content says it is a Kubernetes credential.
fn recognised(word: &str, name: &str) -> Option<TokenInfo> {
    let at = Location::default();
    if word.starts_with("k8s-aws-v1.") {
        let info = decode_token(word, &at).ok()?;
        return (info.format == TokenFormat::EksPresigned).then_some(info);
    }
    if let Some(rest) = word.strip_prefix("sha256~") {
        let shaped = word.len() == OPENSHIFT_TOKEN_LEN && !rest.contains(['.', '~']);
        return shaped.then(|| decode_token(word, &at).ok()).flatten();
    }
    if !word.starts_with("eyJ") || word.matches('.').count() != 2 {
        return None;
    }
    let info = decode_token(word, &at).ok()?;
    let jwt = info.jwt.as_ref()?;
    let service_account = matches!(
        info.format,
        TokenFormat::ServiceAccountBound | TokenFormat::ServiceAccountLegacy
    );
    let hinted = |s: &str| {
        let s = s.to_ascii_lowercase();
        KUBERNETES_HINTS.iter().any(|h| s.contains(h))
    };
    let kubernetes = service_account
        || jwt.issuer.as_deref().is_some_and(hinted)
        || jwt.audience.iter().any(|a| hinted(a))
        || hinted(name) && (jwt.subject.is_some() || jwt.issuer.is_some());
    kubernetes.then_some(info)
}

/// The 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> Option<u32> {
    let at = text.find(needle)?;
    u32::try_from(text[..at].matches('\n').count() + 1).ok()
}

#[cfg(test)]
mod tests;
