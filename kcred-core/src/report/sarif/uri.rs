//! Where a SARIF result points: artifact URIs as GitHub code scanning places
//! them. A file under the working folder is a relative reference with
//! `uriBaseId` `%SRCROOT%` (the run's `originalUriBaseIds` says where that
//! folder is); any other file is an absolute `file://` URI (RFC 8089).
//! Characters outside RFC 3986's `pchar` set are percent-encoded, byte by
//! byte of the path's encoding.

use std::path::{Component, Path, PathBuf};

/// The base id of the working folder.
pub(super) const SRCROOT: &str = "%SRCROOT%";

/// Where a finding's file is, as SARIF writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Artifact {
    /// The URI: relative to [`SRCROOT`] when `relative`, else absolute
    /// (or, with no working folder, as written).
    pub(super) uri: String,
    /// Whether `uri` is relative to [`SRCROOT`].
    pub(super) relative: bool,
}

/// `path` with `.` dropped and `..` applied lexically (never past the root);
/// `None` for a relative path that climbs out of its starting folder.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    let mut depth = 0usize;
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if depth == 0 {
                    if !path.has_root() {
                        return None;
                    }
                } else {
                    out.pop();
                    depth -= 1;
                }
            }
            Component::Normal(part) => {
                out.push(part);
                depth += 1;
            }
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// Whether byte `b` may stand for itself in a URI path (RFC 3986 `pchar`
/// less `:`, which would read as a scheme in a relative reference, and `%`).
fn plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&b)
}

/// The path as URI path text: `/` between components, every other byte
/// outside [`plain`] percent-encoded (a Windows drive's `C:` kept).
fn encode(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let separator = b == b'/' || (cfg!(windows) && b == b'\\');
        let drive = cfg!(windows) && b == b':' && i == 1;
        if separator {
            out.push('/');
        } else if plain(b) || drive {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `file://` URI of an absolute path; a folder's ends in `/`.
fn file_uri(path: &Path, folder: bool) -> String {
    let mut text = encode(path);
    if !text.starts_with('/') {
        // A Windows drive: file:///C:/…
        text.insert(0, '/');
    }
    if folder && !text.ends_with('/') {
        text.push('/');
    }
    format!("file://{text}")
}

/// The `originalUriBaseIds` URI of the working folder.
pub(super) fn folder_uri(folder: &Path) -> Option<String> {
    let folder = normalise(folder).filter(|f| f.is_absolute())?;
    Some(file_uri(&folder, true))
}

/// Where `file` is, seen from `working_folder` (absolute; `None` when the
/// caller has none: relative paths then stay relative to `%SRCROOT%`).
pub(super) fn artifact(file: &Path, working_folder: Option<&Path>) -> Artifact {
    if pseudo(file) {
        // `<stdin>`: no file in any folder.
        return Artifact {
            uri: encode(file),
            relative: false,
        };
    }
    let folder = working_folder
        .and_then(normalise)
        .filter(|f| f.is_absolute());
    let absolute = match (file.is_absolute(), &folder) {
        (true, _) => normalise(file),
        (false, Some(folder)) => normalise(&folder.join(file)),
        (false, None) => None,
    };
    match (absolute, folder) {
        (Some(abs), Some(folder)) => match abs.strip_prefix(&folder) {
            Ok(rest) if !rest.as_os_str().is_empty() => relative(rest),
            _ => absolute_artifact(&abs),
        },
        (Some(abs), None) => absolute_artifact(&abs),
        (None, _) => match normalise(file) {
            Some(rest) if !rest.as_os_str().is_empty() => relative(&rest),
            // Climbs out of a folder kcred does not know: as written.
            _ => Artifact {
                uri: encode(file),
                relative: false,
            },
        },
    }
}

/// Whether `file` is a name for input that is not a file, like `<stdin>`.
fn pseudo(file: &Path) -> bool {
    let text = file.as_os_str().as_encoded_bytes();
    text.len() > 2 && text.starts_with(b"<") && text.ends_with(b">") && !text.contains(&b'/')
}

fn relative(rest: &Path) -> Artifact {
    Artifact {
        uri: encode(rest),
        relative: true,
    }
}

fn absolute_artifact(abs: &Path) -> Artifact {
    Artifact {
        uri: file_uri(abs, false),
        relative: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (file, working folder, URI, relative to `%SRCROOT%`).
    const CASES: &[(&str, Option<&str>, &str, bool)] = &[
        // Under the working folder: relative, percent-encoded.
        (
            "kubeconfigs/a.yaml",
            Some("/work/repo"),
            "kubeconfigs/a.yaml",
            true,
        ),
        (
            "./x/../kubeconfigs/a.yaml",
            Some("/work/repo"),
            "kubeconfigs/a.yaml",
            true,
        ),
        (
            "/work/repo/.kube/config",
            Some("/work/repo"),
            ".kube/config",
            true,
        ),
        ("a b/c#1.yaml", Some("/work/repo"), "a%20b/c%231.yaml", true),
        (
            "x:y?[1]%.yaml",
            Some("/work/repo"),
            "x%3Ay%3F%5B1%5D%25.yaml",
            true,
        ),
        ("é.yaml", Some("/work/repo"), "%C3%A9.yaml", true),
        ("a\\b\u{1b}", Some("/work/repo"), "a%5Cb%1B", true),
        // No working folder: relative paths stay relative.
        ("kubeconfigs/a.yaml", None, "kubeconfigs/a.yaml", true),
        // Elsewhere: absolute file:// URIs.
        (
            "/home/x/.kube/config",
            Some("/work/repo"),
            "file:///home/x/.kube/config",
            false,
        ),
        (
            "../other/a.yaml",
            Some("/work/repo"),
            "file:///work/other/a.yaml",
            false,
        ),
        (
            "/work/repository/a",
            Some("/work/repo"),
            "file:///work/repository/a",
            false,
        ),
        ("/tmp/a b", None, "file:///tmp/a%20b", false),
        ("../a", None, "../a", false),
        ("<stdin>", Some("/work/repo"), "%3Cstdin%3E", false),
    ];

    #[test]
    fn files_under_the_folder_are_relative_to_srcroot_others_absolute() {
        for &(file, folder, uri, relative) in CASES {
            let got = artifact(file.as_ref(), folder.map(Path::new));
            assert_eq!((got.uri.as_str(), got.relative), (uri, relative), "{file}");
        }
    }

    #[test]
    fn the_folder_uri_ends_in_a_slash() {
        assert_eq!(
            folder_uri("/work/my repo".as_ref()).as_deref(),
            Some("file:///work/my%20repo/")
        );
        assert_eq!(folder_uri("/".as_ref()).as_deref(), Some("file:///"));
        assert_eq!(folder_uri("relative".as_ref()), None);
    }
}
