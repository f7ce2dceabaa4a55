//! Whether bytes, or a file name, look like a credential: so a file or document
//! that could not be fully read or parsed is a finding (KC905) instead of a
//! silent skip. Cheap byte searches on a bounded part of the file; never parses.

use std::path::Path;

/// How much of the head and of the tail of a file the markers are looked for in.
pub const MARKER_WINDOW: usize = 64 * 1024;

/// Markers that mean credential content wherever they appear (in text or in a
/// binary file).
const SECRET_MARKERS: &[(&[u8], &str)] = &[
    (b"client-key-data", "a kubeconfig client-key-data field"),
    (
        b"client-certificate-data",
        "a kubeconfig client-certificate-data field",
    ),
    (b"PRIVATE KEY-----", "a PEM private key"),
    (b"k8s-aws-v1.", "an EKS token (k8s-aws-v1.)"),
    (b"ExecCredential", "an ExecCredential"),
    (
        b"kubernetes.io/service-account-token",
        "a service-account token Secret",
    ),
    // base64 of `eyJhbGciOi`: a JWT inside a Secret's `data` or a `*-data` field.
    (b"ZXlKaGJHY2lPaU", "a base64-encoded JWT"),
];

/// The first credential marker in `bytes`, described. `binary`: the bytes are
/// from a binary file, where public certificates (CA bundles compiled into a
/// program) are common and are not counted. NUL bytes are dropped first, so
/// UTF-16 text and a kubeconfig with a stray NUL are seen as text.
pub fn credential_marker(bytes: &[u8], binary: bool) -> Option<&'static str> {
    let text: Vec<u8> = bytes.iter().copied().filter(|b| *b != 0).collect();
    content_marker(&text)
        .or_else(|| (!binary).then(|| certificate_marker(&text)).flatten())
        .or_else(|| shape_marker(&text))
}

/// [`credential_marker`] on the head and the tail of `bytes` ([`MARKER_WINDOW`]
/// each): what is searched for a file too large to read whole.
pub(crate) fn marker_in_window(bytes: &[u8], binary: bool) -> Option<&'static str> {
    if bytes.len() <= 2 * MARKER_WINDOW {
        return credential_marker(bytes, binary);
    }
    credential_marker(&bytes[..MARKER_WINDOW], binary)
        .or_else(|| credential_marker(&bytes[bytes.len() - MARKER_WINDOW..], binary))
}

/// Markers of credential content: key data, private keys, tokens.
pub(crate) fn content_marker(text: &[u8]) -> Option<&'static str> {
    SECRET_MARKERS
        .iter()
        .find(|(m, _)| contains(text, m))
        .map(|(_, what)| *what)
        .or_else(|| has_jwt(text).then_some("a JWT"))
}

fn certificate_marker(text: &[u8]) -> Option<&'static str> {
    contains(text, b"-----BEGIN ")
        .then_some("PEM armour (-----BEGIN)")
        // base64 of `-----BEGIN`: PEM inside a Secret's `data` or a `*-data` field.
        .or_else(|| contains(text, b"LS0tLS1CRUdJTi").then_some("base64 PEM armour"))
}

/// A kubeconfig's shape: `kind: Config`, or `users` with `clusters` or `contexts`.
fn shape_marker(text: &[u8]) -> Option<&'static str> {
    // JSON on one line (minified) has no line starts to look at.
    if contains(text, b"\"kind\":\"Config\"") || contains(text, b"\"kind\": \"Config\"") {
        return Some("a kubeconfig (kind: Config)");
    }
    let mut users = false;
    let mut others = false;
    for raw in text.split(|b| *b == b'\n') {
        let line = trim(raw);
        if let Some(value) = key_value(line, b"kind") {
            if value == b"Config" {
                return Some("a kubeconfig (kind: Config)");
            }
        }
        // `users:` and `clusters:` nested in other YAML (Helm values) are not a
        // kubeconfig's: unquoted keys count at the start of a line only, JSON's
        // quoted keys at any indentation.
        let top = if raw.first().is_some_and(|b| *b == b'"') || line.first() != Some(&b'"') {
            raw
        } else {
            line
        };
        users |= key_value(top, b"users").is_some();
        others |= key_value(top, b"clusters").is_some() || key_value(top, b"contexts").is_some();
    }
    (users && others).then_some("a kubeconfig (users and clusters or contexts)")
}

/// Whether text held in a value (a Secret's `data` or `stringData`, a string
/// of Helm values, Terraform state, CI variables; decoded first when it was
/// base64) can be a kubeconfig, told before it is parsed: a kubeconfig's
/// shape at its top level ([`credential_marker`]'s: `kind: Config`, or
/// `users` beside `clusters` or `contexts` as keys at line starts), or a flow
/// or JSON mapping naming `users` beside `clusters` or `contexts`. Text
/// without one (prose that mentions users, base64 of other YAML, a manifest
/// whose nested keys are `users`) is never parsed: quiet, and cheap.
pub(crate) fn kubeconfig_text_marker(text: &str) -> Option<&'static str> {
    let bytes = text.as_bytes();
    shape_marker(bytes).or_else(|| {
        let t = trim(bytes.trim_ascii_start());
        let flow = t.first() == Some(&b'{')
            && contains(t, b"users")
            && (contains(t, b"clusters") || contains(t, b"contexts"));
        flow.then_some("a kubeconfig (a flow or JSON mapping with users and clusters or contexts)")
    })
}

/// The value after `key:` (YAML, the key unquoted or quoted) or `"key":`
/// (JSON), quotes and a trailing comma removed; `None` when the line is not that key.
fn key_value<'a>(line: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let rest = line.strip_prefix(b"- ").unwrap_or(line);
    let rest = rest
        .strip_prefix(key)
        .or_else(|| {
            rest.strip_prefix(b"\"")
                .and_then(|r| r.strip_prefix(key))
                .and_then(|r| r.strip_prefix(b"\""))
        })
        .or_else(|| {
            rest.strip_prefix(b"'")
                .and_then(|r| r.strip_prefix(key))
                .and_then(|r| r.strip_prefix(b"'"))
        })?;
    let rest = trim(trim(rest).strip_prefix(b":")?);
    let rest = rest.strip_suffix(b",").unwrap_or(rest);
    let rest = rest.strip_suffix(b"{").unwrap_or(rest);
    let rest = rest.strip_suffix(b"[").unwrap_or(rest);
    let rest = trim(rest);
    Some(
        rest.strip_prefix(b"\"")
            .and_then(|r| r.strip_suffix(b"\""))
            .or_else(|| rest.strip_prefix(b"'").and_then(|r| r.strip_suffix(b"'")))
            .unwrap_or(rest),
    )
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\r', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r'] = s {
        s = rest;
    }
    s
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// `eyJ…` `.` `eyJ…` `.`: a JWT's header and claims (both JSON objects).
fn has_jwt(text: &[u8]) -> bool {
    let mut i = 0;
    while let Some(off) = text[i..].windows(3).position(|w| w == b"eyJ") {
        let start = i + off;
        let part = |from: usize| -> Option<usize> {
            let len = text[from..].iter().take_while(|b| b64url(**b)).count();
            (len >= 8 && text.get(from + len) == Some(&b'.')).then_some(from + len + 1)
        };
        if let Some(next) = part(start) {
            if text[next..].starts_with(b"eyJ") && part(next).is_some() {
                return true;
            }
        }
        i = start + 3;
    }
    false
}

/// Whether a file's name alone says credential (for a file that could not be
/// read at all): kubeconfigs by their usual names, `.kube/config`, kubeadm's
/// `*.conf`, and key files.
pub fn name_marker(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|p| p.to_string_lossy().into_owned());
    let kubeadm = [
        "admin.conf",
        "super-admin.conf",
        "kubelet.conf",
        "controller-manager.conf",
        "scheduler.conf",
    ];
    if name.contains("kubeconfig")
        || (name == "config" && parent.as_deref() == Some(".kube"))
        || kubeadm.contains(&name.as_str())
    {
        return Some("a kubeconfig (by its file name)");
    }
    if name.ends_with(".key") || name.ends_with(".pem") {
        return Some("a key or certificate file (by its name)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let jwt = b"token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        assert_eq!(credential_marker(jwt, false), Some("a JWT"));
        assert!(credential_marker(b"kind: Config\n", false).is_some());
        assert!(credential_marker(b"{\"kind\": \"Config\",", false).is_some());
        assert!(credential_marker(b"users:\n- a\ncontexts: []\n", false).is_some());
        assert!(credential_marker(b"users:\n- a\n", false).is_none());
        assert!(credential_marker(b"app:\n  users: []\n  clusters: []\n", false).is_none());
        assert!(credential_marker(b"{\n  \"users\": [],\n  \"clusters\": []\n}", false).is_some());
        assert!(credential_marker(b"kind: ConfigMap\n", false).is_none());
        assert!(credential_marker(b"-----BEGIN CERTIFICATE-----", false).is_some());
        assert!(credential_marker(b"\0-----BEGIN CERTIFICATE-----", true).is_none());
        // Encoded once more, as in a Secret's data: a token Secret, a base64 JWT, base64 PEM.
        let sa = b"type: kubernetes.io/service-account-token\ndata:\n  token: x\n";
        assert!(credential_marker(sa, false).is_some());
        assert!(credential_marker(b"  token: ZXlKaGJHY2lPaUpTVXpJMU5pSjkuZXlK\n", false).is_some());
        assert!(credential_marker(b"  tls.crt: LS0tLS1CRUdJTiBDRVJU\n", false).is_some());
        assert!(credential_marker(b"\0LS0tLS1CRUdJTiBDRVJU", true).is_none());
        assert!(credential_marker(b"-----BEGIN EC PRIVATE KEY-----", true).is_some());
        // UTF-16LE text
        let utf16: Vec<u8> = "kind: Config\n".bytes().flat_map(|b| [b, 0]).collect();
        assert!(credential_marker(&utf16, true).is_some());
        assert!(credential_marker(b"# README: eyJ is how JWTs start", false).is_none());
    }

    #[test]
    fn kubeconfig_text_needs_a_kubeconfigs_top_level_shape() {
        let cases = [
            ("apiVersion: v1\nkind: Config\n", true),
            ("users:\n- name: u\nclusters: []\n", true),
            ("  {\"users\": [], \"contexts\": []}", true),
            ("{users: [{name: u}], clusters: []}", true),
            ("Our users run many clusters.", false),
            (
                "apiVersion: apps/v1\nkind: Deployment\nspec:\n  users: [a]\n  clusters: [b]\n",
                false,
            ),
            ("apiVersion: v2\nname: chart\nusers: many\n", false),
            ("[users, clusters]", false),
        ];
        for (text, can_be) in cases {
            assert_eq!(kubeconfig_text_marker(text).is_some(), can_be, "{text}");
        }
    }

    #[test]
    fn names() {
        assert!(name_marker(Path::new("x/.kube/config")).is_some());
        assert!(name_marker(Path::new("deploy/prod.kubeconfig")).is_some());
        assert!(name_marker(Path::new("etc/kubernetes/admin.conf")).is_some());
        assert!(name_marker(Path::new("src/main.rs")).is_none());
    }
}
