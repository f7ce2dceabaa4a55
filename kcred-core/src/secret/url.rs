//! URL credentials: userinfo, query and fragment go, scheme, host, port and path stay.

use super::REDACTED;

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
pub(super) fn scrub_url(text: &str, schemeless: bool) -> (String, bool) {
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
pub(super) fn url_start(text: &str) -> Option<(usize, usize)> {
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
