//! Encodings: bytes that are not UTF-8; UTF-16 with a BOM and CRLF line endings.

use super::*;

#[test]
fn non_utf8_bytes_are_not_utf8_and_the_other_file_loads() {
    let dir = TempDir::new("hostile-latin1");
    let path = dir.join("latin1.yaml");
    std::fs::write(&path, b"users:\n- name: caf\xe9\n  user: {token: t}\n").unwrap();
    let (loaded, _) = merged_with_survivor(&path);
    assert_eq!(
        only(&loaded.problems),
        &Error::NotUtf8 {
            at: Location::file(&path)
        }
    );
    // Invalid UTF-8 hidden in a JSON string is rejected the same way.
    std::fs::write(&path, b"{\"users\": [{\"name\": \"\xc3\x28\"}]}").unwrap();
    let (loaded, _) = merged_with_survivor(&path);
    assert_eq!(only(&loaded.problems).kind(), "not-utf8");
}

#[test]
fn utf16_with_bom_and_crlf_line_endings_read_correctly() {
    let text = format!("{SURVIVOR}current-context: ctx\r\n").replace('\n', "\r\n");
    let text = text.replace("\r\r\n", "\r\n");
    for bytes in [
        text.as_bytes().to_vec(),
        std::iter::once(0xFEFFu16)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>(),
        std::iter::once(0xFEFFu16)
            .chain(text.encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect::<Vec<u8>>(),
    ] {
        let loaded = parse_kubeconfig(&bytes, Path::new("w"), &Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        assert_eq!(loaded.config.current_context.as_deref(), Some("ctx"));
        let token = loaded.config.user("survivor").unwrap().user.token.as_ref();
        // No stray carriage return in values.
        assert_eq!(
            token.map(|t| t.expose()),
            Some("sha256~survivor-token-0123456789abcdefghijklmnopq")
        );
    }
    // The checked-in UTF-16 and CRLF merge fixtures load without problems.
    for rel in [
        "merge/utf16-bom/le.yaml",
        "merge/utf16-bom/be.yaml",
        "merge/crlf-line-endings/config",
    ] {
        let path = data(rel);
        if path.exists() {
            let loaded = load_file(&path, &Limits::default());
            assert!(loaded.problems.is_empty(), "{rel}: {:?}", loaded.problems);
            assert!(!loaded.config.users.is_empty(), "{rel}");
        }
    }
}
