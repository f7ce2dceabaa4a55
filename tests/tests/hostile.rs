//! Hostile inputs: files an attacker may plant where kcred looks. Each test states
//! the typed error (or the correct result) it expects and, where one bad part
//! could hide the rest, checks that the rest of the input is still reported.
//!
//! No test here decides pass/fail on time: time and peak memory of each case are
//! measured on the release CLI by `tests/hostile/measure.sh`, which prints a table.
//! Every case is bounded by construction (size caps before reading, alias and
//! nesting budgets, refusing non-regular files), which these tests pin down.
// Spawning is allowed here: mkfifo for the FIFO case (see /clippy.toml).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::path::{Path, PathBuf};

use base64::Engine;
use kcred_core::{
    decode_certificates, decode_token, inventory, load_file, load_merged, parse_kubeconfig,
    Credential, CredentialRecord, DiskFiles, Error, ExpiryStatus, Inventory, Limits, Loaded,
    Location, NoFiles, TokenFormat, UnknownReason,
};
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-01-01 00:00:00 UTC);

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(rel)
}

fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("kcred-hostile-{nanos}-{name}"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A well-formed kubeconfig with one user, `survivor`, whose token must still be
/// reported whatever happens to the hostile file loaded beside it.
const SURVIVOR: &str = "users:\n- name: survivor\n  user:\n    token: sha256~survivor-token-0123456789abcdefghijklmnopq\n";

fn survivor_file(dir: &Path) -> PathBuf {
    let path = dir.join("survivor.yaml");
    std::fs::write(&path, SURVIVOR).unwrap();
    path
}

/// KUBECONFIG=hostile:survivor. The hostile file must give exactly `expected`,
/// and the survivor must still be loaded and inventoried.
fn merged_with_survivor(hostile: &Path) -> (Loaded, Inventory) {
    let dir = temp_dir("survivor");
    let loaded = load_merged(
        &[hostile.to_path_buf(), survivor_file(&dir)],
        &Limits::default(),
    );
    assert!(
        loaded.config.user("survivor").is_some(),
        "the rest of the input was lost: {:?}",
        loaded.problems
    );
    let inv = inventory(&loaded.config, &NoFiles);
    assert!(inv.credentials.iter().any(|r| r.user == "survivor"));
    (loaded, inv)
}

fn only(problems: &[Error]) -> &Error {
    assert_eq!(problems.len(), 1, "{problems:#?}");
    &problems[0]
}

fn syntax_reason(err: &Error, file: &Path) -> String {
    match err {
        Error::Syntax { at, reason } => {
            assert_eq!(at.file, file);
            reason.clone()
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

/// Inventories `yaml` (with the survivor user appended) without files.
fn inventory_of(users_yaml: &str) -> (Loaded, Inventory) {
    let text = format!("{SURVIVOR}{users_yaml}");
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("mem.yaml"), &Limits::default());
    let inv = inventory(&loaded.config, &NoFiles);
    assert!(
        inv.credentials.iter().any(|r| r.user == "survivor"),
        "the rest of the input was lost"
    );
    (loaded, inv)
}

fn record<'a>(inv: &'a Inventory, user: &str) -> &'a CredentialRecord {
    inv.credentials
        .iter()
        .find(|r| r.user == user)
        .unwrap_or_else(|| panic!("no record for {user}"))
}

fn problem_at<'a>(inv: &'a Inventory, entry: &str) -> Vec<&'a Error> {
    inv.problems
        .iter()
        .filter(|p| p.location().and_then(|l| l.entry.as_deref()) == Some(entry))
        .collect()
}

// ---------------------------------------------------------------- YAML bombs

#[test]
fn alias_bomb_is_a_syntax_error_and_the_other_file_loads() {
    let dir = temp_dir("bomb");
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = "a".to_owned();
    for n in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n.to_owned();
    }
    bomb.push_str("users:\n- name: bomber\n  user: {token: x}\n");
    let path = dir.join("bomb.yaml");
    std::fs::write(&path, &bomb).unwrap();
    let (loaded, _) = merged_with_survivor(&path);
    let reason = syntax_reason(only(&loaded.problems), &path);
    // Node budget or alias-expansion limit, whichever trips first.
    assert!(
        ["alias", "limit", "budget"]
            .iter()
            .any(|w| reason.contains(w)),
        "{reason}"
    );
}

#[test]
fn ten_thousand_deep_nesting_is_a_syntax_error_in_yaml_and_json() {
    let dir = temp_dir("deep");
    let depth = 10_000;
    let cases = [
        (
            "flow.yaml",
            format!("x: {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        ),
        // Block style without quadratic indentation: compact nested sequences.
        ("block.yaml", format!("{}x\n", "- ".repeat(depth))),
        (
            "deep.json",
            format!("{{\"x\": {}{}}}", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "maps.json",
            format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)),
        ),
    ];
    for (name, text) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let (loaded, _) = merged_with_survivor(&path);
        syntax_reason(only(&loaded.problems), &path);
    }
}

// ------------------------------------------------------------ special files

#[test]
fn hundred_megabyte_file_is_refused_before_reading() {
    let dir = temp_dir("big");
    let path = dir.join("big.yaml");
    // Sparse: 100 MiB of size, no blocks written.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let (loaded, _) = merged_with_survivor(&path);
    assert_eq!(
        only(&loaded.problems),
        &Error::TooLarge {
            at: Location::file(&path),
            limit: 16 * 1024 * 1024
        }
    );
    // The same as a referenced file (client-certificate), on the user's entry.
    let config = format!(
        "users:\n- name: big\n  user:\n    client-certificate: {}\n    token: opaque\n",
        path.display()
    );
    let loaded = parse_kubeconfig(config.as_bytes(), Path::new("c"), &Limits::default());
    let inv = inventory(&loaded.config, &DiskFiles::default());
    assert!(matches!(only(&inv.problems), Error::TooLarge { .. }));
    assert_eq!(inv.credentials.len(), 2, "the token is still reported");
}

#[test]
fn fifo_and_dev_zero_are_refused_without_blocking() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut paths = vec![PathBuf::from("/dev/zero")];
    if made.is_ok_and(|s| s.success()) {
        paths.push(fifo.clone());
    } else {
        eprintln!("SKIPPED (FIFO part): mkfifo not available");
    }
    for path in &paths {
        let (loaded, _) = merged_with_survivor(path);
        assert_eq!(
            only(&loaded.problems),
            &Error::NotRegularFile {
                at: Location::file(path)
            }
        );
    }
    // As a referenced file too: no hang, the error names the field.
    for path in &paths {
        let config = format!(
            "users:\n- name: dev\n  user:\n    client-certificate: {}\n    client-key: {}\n",
            path.display(),
            path.display()
        );
        let loaded = parse_kubeconfig(config.as_bytes(), Path::new("c"), &Limits::default());
        let inv = inventory(&loaded.config, &DiskFiles::default());
        assert!(matches!(
            &inv.problems[0],
            Error::NotRegularFile { at } if at.field.as_deref() == Some("client-certificate")
        ));
    }
}

#[cfg(unix)]
#[test]
fn symlink_loop_and_directory_are_typed_errors() {
    let dir = temp_dir("loop");
    std::os::unix::fs::symlink(dir.join("b"), dir.join("a")).unwrap();
    std::os::unix::fs::symlink(dir.join("a"), dir.join("b")).unwrap();
    let (loaded, _) = merged_with_survivor(&dir.join("a"));
    match only(&loaded.problems) {
        // ELOOP: "Too many levels of symbolic links".
        Error::Io { at, reason } => {
            assert_eq!(at.file, dir.join("a"));
            assert!(reason.to_lowercase().contains("symbolic links"), "{reason}");
        }
        other => panic!("expected an io error, got {other:?}"),
    }
    let sub = dir.join("config.d");
    std::fs::create_dir_all(&sub).unwrap();
    let (loaded, _) = merged_with_survivor(&sub);
    assert_eq!(
        only(&loaded.problems),
        &Error::NotRegularFile {
            at: Location::file(&sub)
        }
    );
}

/// A file without read permission. Root (as in this CI container) reads mode-000
/// files anyway, so that part checks root's result (read, like kubectl) and says
/// it skipped the refusal; the refusal itself is then tested with a write-only
/// sysctl file (`/proc/sys/vm/drop_caches`, mode 0200), which the kernel refuses
/// to open for reading even for root.
#[cfg(unix)]
#[test]
fn unreadable_file_is_an_io_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("perm");
    let path = dir.join("locked.yaml");
    std::fs::write(&path, "users:\n- name: locked\n  user: {token: t}\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (loaded, _) = merged_with_survivor(&path);
    if std::fs::File::open(&path).is_ok() {
        eprintln!(
            "SKIPPED (mode 000 part): running as root, which may read a mode-000 file; \
             checked that it is read, and test the refusal with a write-only sysctl below"
        );
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        assert!(loaded.config.user("locked").is_some());
    } else {
        match only(&loaded.problems) {
            Error::Io { reason, .. } => assert!(reason.contains("ermission"), "{reason}"),
            other => panic!("expected an io error, got {other:?}"),
        }
    }

    let write_only = Path::new("/proc/sys/vm/drop_caches");
    if std::fs::File::open(write_only).is_ok() || !write_only.exists() {
        eprintln!(
            "SKIPPED (sysctl part): {} is readable or missing here",
            write_only.display()
        );
        return;
    }
    let (loaded, _) = merged_with_survivor(write_only);
    match only(&loaded.problems) {
        Error::Io { at, reason } => {
            assert_eq!(at.file, write_only);
            assert!(reason.contains("ermission"), "{reason}");
        }
        other => panic!("expected an io error, got {other:?}"),
    }
    // As a referenced tokenFile: the record stays, the problem names the field.
    let config = format!(
        "- name: tf\n  user:\n    tokenFile: {}\n",
        write_only.display()
    );
    let (_, inv) = inventory_of_disk(&config);
    let problems = problem_at(&inv, "users[tf]");
    assert!(matches!(problems[..], [Error::Io { .. }]), "{problems:?}");
    assert_eq!(record(&inv, "tf").status(NOW).name(), "unknown");
}

fn inventory_of_disk(users_yaml: &str) -> (Loaded, Inventory) {
    let text = format!("{SURVIVOR}{users_yaml}");
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("mem.yaml"), &Limits::default());
    let inv = inventory(&loaded.config, &DiskFiles::default());
    assert!(inv.credentials.iter().any(|r| r.user == "survivor"));
    (loaded, inv)
}

// ------------------------------------------------------------- encodings

#[test]
fn non_utf8_bytes_are_not_utf8_and_the_other_file_loads() {
    let dir = temp_dir("latin1");
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

// ------------------------------------------------------- certificate data

fn cert_user(name: &str, data_b64: &str) -> String {
    format!("- name: {name}\n  user:\n    client-certificate-data: {data_b64}\n")
}

fn cert_problem(inv: &Inventory, user: &str) -> Error {
    let problems = problem_at(inv, &format!("users[{user}]"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    let rec = record(inv, user);
    assert_eq!(
        rec.status(NOW),
        ExpiryStatus::Unknown {
            reason: UnknownReason::Undecodable
        }
    );
    problems[0].clone()
}

#[test]
fn truncated_pem_is_a_bad_certificate() {
    let pem = std::fs::read(data("certs/truncated.pem")).unwrap();
    let at = Location::file("t.pem");
    assert!(matches!(
        decode_certificates(&pem, &at),
        Err(Error::BadCertificate { .. }) | Err(Error::NoCertificate { .. })
    ));
    let (_, inv) = inventory_of(&cert_user("cut", &b64(&pem)));
    assert!(matches!(
        cert_problem(&inv, "cut"),
        Error::BadCertificate { .. } | Error::NoCertificate { .. }
    ));
    // A bundle cut after its first certificate keeps that certificate.
    let good = std::fs::read(data("certs/expired.crt")).unwrap();
    let mut bundle = good.clone();
    bundle.extend_from_slice(&pem[..pem.len() / 2]);
    let certs = decode_certificates(&bundle, &at).unwrap();
    assert_eq!(certs.len(), 1);
}

#[test]
fn private_key_where_a_certificate_is_expected_is_no_certificate() {
    let pem = std::fs::read(data("certs/key-as-cert.pem")).unwrap();
    assert_eq!(
        decode_certificates(&pem, &Location::file("k")),
        Err(Error::NoCertificate {
            at: Location::file("k")
        })
    );
    let (_, inv) = inventory_of(&cert_user("keyed", &b64(&pem)));
    let err = cert_problem(&inv, "keyed");
    assert_eq!(err.kind(), "no-certificate");
    assert_eq!(
        err.location().and_then(|l| l.field.as_deref()),
        Some("client-certificate-data")
    );
}

#[test]
fn der_garbage_is_a_bad_certificate() {
    let text = std::fs::read_to_string(data("certs/der-garbage.b64")).unwrap();
    let der = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap();
    assert!(matches!(
        decode_certificates(&der, &Location::file("g")),
        Err(Error::BadCertificate { .. })
    ));
    let (_, inv) = inventory_of(&cert_user("garbage", text.trim()));
    assert_eq!(cert_problem(&inv, "garbage").kind(), "bad-certificate");
}

#[test]
fn bad_base64_is_not_base64_but_whitespace_and_newlines_decode() {
    let (_, inv) = inventory_of(&cert_user("bad64", "\"!!not*base64\""));
    assert_eq!(cert_problem(&inv, "bad64").kind(), "not-base64");

    let pem = std::fs::read(data("certs/expired.crt")).unwrap();
    let clean = b64(&pem);
    let expected = decode_certificates(&pem, &Location::file("x")).unwrap();
    // Wrapped at 76 columns in a literal block, and with spaces and tabs inside.
    let wrapped: Vec<String> = clean
        .as_bytes()
        .chunks(76)
        .map(|c| format!("      {}", String::from_utf8_lossy(c)))
        .collect();
    let literal = format!(
        "- name: wrapped\n  user:\n    client-certificate-data: |\n{}\n",
        wrapped.join("\n")
    );
    let spaced: String = clean
        .as_bytes()
        .chunks(10)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" \t ");
    let spaced = format!("- name: spaced\n  user:\n    client-certificate-data: \"{spaced}\"\n");
    let (_, inv) = inventory_of(&format!("{literal}{spaced}"));
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    for user in ["wrapped", "spaced"] {
        match &record(&inv, user).credential {
            Credential::ClientCertificate(c) => {
                let cert = c.certificate.as_ref().unwrap();
                assert_eq!(cert.sha256_fingerprint, expected[0].sha256_fingerprint);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn certificate_dates_at_the_utctime_generalizedtime_boundary() {
    let at = Location::file("c");
    let cases = [
        // RFC 5280: UTCTime up to 2049, GeneralizedTime from 2050.
        ("certs/utctime-2049.crt", datetime!(2049-12-31 23:59:59 UTC)),
        ("certs/gentime-2050.crt", datetime!(2050-01-01 00:00:00 UTC)),
        (
            "certs/never-expires.crt",
            datetime!(9999-12-31 23:59:59 UTC),
        ),
    ];
    for (rel, not_after) in cases {
        let pem = std::fs::read(data(rel)).unwrap();
        let cert = &decode_certificates(&pem, &at).unwrap()[0];
        assert_eq!(cert.validity.not_after, Some(not_after), "{rel}");
    }
    let never = &decode_certificates(
        &std::fs::read(data("certs/never-expires.crt")).unwrap(),
        &at,
    )
    .unwrap()[0];
    assert_eq!(never.validity.status(NOW), ExpiryStatus::NeverExpires);
    // The platform fixtures carry the same certificates inside kubeconfigs.
    for (fixture, user, not_after) in [
        (
            "edge-utctime-2049",
            "utctime-2049",
            datetime!(2049-12-31 23:59:59 UTC),
        ),
        (
            "edge-gentime-2050",
            "gentime-2050",
            datetime!(2050-01-01 00:00:00 UTC),
        ),
    ] {
        let path = data(&format!("platforms/{fixture}/config"));
        let loaded = load_file(&path, &Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let inv = inventory(&loaded.config, &DiskFiles::default());
        let rec = record(&inv, user);
        assert_eq!(rec.validity().and_then(|v| v.not_after), Some(not_after));
        assert_eq!(rec.status(NOW).name(), "valid");
    }
}

// ------------------------------------------------------------------ tokens

fn jwt(header: &str, claims: &[u8]) -> String {
    format!("{}.{}.c2ln", b64url(header.as_bytes()), b64url(claims))
}

#[test]
fn jwt_with_alg_none_is_decoded_and_never_marked_verified() {
    let token = jwt(
        r#"{"alg":"none","typ":"JWT"}"#,
        br#"{"sub":"mallory","exp":1767229200}"#,
    );
    let info = decode_token(&token, &Location::file("t")).unwrap();
    assert_eq!(info.format, TokenFormat::Jwt);
    let jwt = info.jwt.unwrap();
    assert_eq!(jwt.algorithm.as_deref(), Some("none"));
    assert!(!jwt.verified);
    assert_eq!(jwt.expires_at, Some(datetime!(2026-01-01 01:00:00 UTC)));
    // Unsigned form (empty third part) too.
    let unsigned = token.rsplit_once('.').unwrap().0.to_owned() + ".";
    assert!(decode_token(&unsigned, &Location::file("t")).is_ok());
}

#[test]
fn jwt_with_three_megabyte_claims_is_a_bad_token_and_the_rest_is_reported() {
    let mut claims = br#"{"exp":1767229200,"pad":""#.to_vec();
    claims.extend(std::iter::repeat_n(b'x', 3 * 1024 * 1024));
    claims.extend_from_slice(br#""}"#);
    let token = jwt(r#"{"alg":"RS256"}"#, &claims);
    assert!(token.len() > 3 * 1024 * 1024);
    let err = decode_token(&token, &Location::file("t")).unwrap_err();
    assert!(
        matches!(&err, Error::BadToken { reason, .. } if reason.contains("larger")),
        "{err:?}"
    );
    let (_, inv) = inventory_of(&format!("- name: huge\n  user:\n    token: {token}\n"));
    assert!(matches!(
        problem_at(&inv, "users[huge]")[..],
        [Error::BadToken { .. }]
    ));
    assert_eq!(record(&inv, "huge").status(NOW).name(), "unknown");
    // No error message carries the token.
    for p in &inv.problems {
        assert!(p.to_string().len() < 500);
    }
}

fn exp(claims: &str) -> Result<Option<OffsetDateTime>, Box<Error>> {
    decode_token(
        &jwt(r#"{"alg":"RS256"}"#, claims.as_bytes()),
        &Location::file("t"),
    )
    .map(|i| i.jwt.and_then(|j| j.expires_at))
    .map_err(Box::new)
}

#[test]
fn exp_as_float_string_negative_and_beyond_9999() {
    // A fraction is allowed (RFC 7519 NumericDate) and truncated toward the past.
    assert_eq!(
        exp(r#"{"exp":1767229200.75}"#).unwrap(),
        Some(datetime!(2026-01-01 01:00:00 UTC))
    );
    // A string is not a NumericDate.
    let err = exp(r#"{"exp":"1767229200"}"#).unwrap_err();
    assert!(
        matches!(&*err, Error::BadToken { reason, .. } if reason.contains("`exp`")),
        "{err:?}"
    );
    // Negative: before 1970, so expired.
    assert_eq!(
        exp(r#"{"exp":-1}"#).unwrap(),
        Some(datetime!(1969-12-31 23:59:59 UTC))
    );
    // Beyond year 9999 (time's range) or before year -9999: a typed error, never a
    // wrap-around; the kubeconfig's other credentials are still reported (below).
    for claims in [
        r#"{"exp":253402300800}"#,
        r#"{"exp":9223372036854775807}"#,
        r#"{"exp":-9223372036854775808}"#,
        r#"{"exp":1e300}"#,
    ] {
        let err = exp(claims).unwrap_err();
        assert!(
            matches!(&*err, Error::BadToken { reason, .. } if reason.contains("out of range")),
            "{claims}: {err:?}"
        );
    }
    // The last representable second is fine.
    assert_eq!(
        exp(r#"{"exp":253402300799}"#).unwrap(),
        Some(datetime!(9999-12-31 23:59:59 UTC))
    );
    // In a kubeconfig the bad one is reported and the others still are.
    let bad = jwt(r#"{"alg":"RS256"}"#, br#"{"exp":"soon"}"#);
    let (_, inv) = inventory_of(&format!("- name: soon\n  user:\n    token: {bad}\n"));
    assert!(matches!(
        problem_at(&inv, "users[soon]")[..],
        [Error::BadToken { .. }]
    ));
}

// --------------------------------------------------------- structure

#[test]
fn duplicate_keys_are_a_syntax_error_and_duplicate_names_keep_the_first() {
    let dir = temp_dir("dup");
    let path = dir.join("dup.yaml");
    std::fs::write(
        &path,
        "users:\n- name: u\n  user:\n    token: a\n    token: b\n",
    )
    .unwrap();
    let (loaded, _) = merged_with_survivor(&path);
    let reason = syntax_reason(only(&loaded.problems), &path);
    assert!(reason.contains("duplicate"), "{reason}");
    // JSON duplicate keys too.
    let json = dir.join("dup.json");
    std::fs::write(&json, r#"{"current-context": "a", "current-context": "b"}"#).unwrap();
    let (loaded, _) = merged_with_survivor(&json);
    syntax_reason(only(&loaded.problems), &json);
    // Duplicate entry names: the first is kept, the rest of the file is read.
    let (loaded, inv) = inventory_of(
        "- name: survivor\n  user: {token: second}\n- name: after\n  user: {token: t}\n",
    );
    assert!(
        matches!(only(&loaded.problems), Error::DuplicateName { name, .. } if name == "survivor")
    );
    assert_eq!(inv.credentials.len(), 2);
}

#[test]
fn hundred_thousand_users_are_all_reported() {
    let n = 100_000;
    let mut text = String::with_capacity(n * 80);
    text.push_str("apiVersion: v1\nkind: Config\nusers:\n");
    for i in 0..n {
        text.push_str(&format!(
            "- name: user-{i}\n  user:\n    token: sha256~t{i:0>43}\n"
        ));
    }
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("many"), &Limits::default());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems.first());
    assert_eq!(loaded.config.users.len(), n);
    assert_eq!(
        loaded.config.users[n - 1].origin.line,
        Some(3 + 3 * (n as u32 - 1) + 1)
    );
    let inv = inventory(&loaded.config, &NoFiles);
    assert_eq!(inv.credentials.len(), n);
    assert!(inv.problems.is_empty());
}

/// Every context names its own user and cluster: lookups by name must stay
/// linear (a scan per context made 100,000 contexts take over a minute in
/// `inventory`, `link_caches` and `exposure`; tests/hostile/measure.sh times it).
#[test]
fn many_contexts_clusters_and_users_are_all_linked() {
    let n = 30_000;
    let mut text = String::with_capacity(n * 150);
    text.push_str("apiVersion: v1\nkind: Config\nclusters:\n");
    for i in 0..n {
        text.push_str(&format!(
            "- {{name: c{i}, cluster: {{server: https://c{i}}}}}\n"
        ));
    }
    text.push_str("contexts:\n");
    for i in 0..n {
        text.push_str(&format!(
            "- {{name: x{i}, context: {{cluster: c{i}, user: u{i}}}}}\n"
        ));
    }
    text.push_str("users:\n");
    for i in 0..n {
        text.push_str(&format!("- {{name: u{i}, user: {{token: sha256~t{i}}}}}\n"));
    }
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("many"), &Limits::default());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems.first());
    let mut caches = Vec::new();
    kcred_core::link_caches(&mut caches, &loaded.config);
    let inv = inventory(&loaded.config, &NoFiles);
    assert!(inv.problems.is_empty(), "{:?}", inv.problems.first());
    assert_eq!(inv.credentials.len(), n);
    for (i, record) in inv.credentials.iter().enumerate() {
        assert_eq!(record.user, format!("u{i}"));
        assert_eq!(record.contexts, [format!("x{i}")]);
        assert_eq!(record.clusters, [format!("c{i}")]);
    }
    let now = datetime!(2026-01-01 00:00 UTC);
    let contexts = kcred_core::exposure(&inv, &caches, &Default::default(), now);
    assert_eq!(contexts.len(), n);
    assert_eq!(contexts[n - 1].context, format!("x{}", n - 1));
    assert_eq!(contexts[n - 1].user, format!("u{}", n - 1));
    assert_eq!(
        contexts[n - 1].cluster.as_deref(),
        Some(format!("c{}", n - 1).as_str())
    );
    assert_eq!(contexts[n - 1].credentials.len(), 1);
}

// ------------------------------------------- one input boundary (issue 12)

/// Runs `f` on a thread; fails instead of hanging the suite when it has not
/// returned within a generous bound (a blocked read never returns).
fn within_bound<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(120))
        .expect("blocked: the watchdog fired")
}

/// `/proc/kmsg` says "regular file" to `stat` and blocks on read (CI runs as
/// root). Every way a path reaches kcred refuses pseudo-file-system files by
/// what the opened descriptor is: the kubeconfig itself, a `tokenFile`, a
/// `certificate-authority`, a policy and its `extends:`, a pki certificate
/// symlinked there. `/proc/self/status` stands in (readable, never blocks).
#[cfg(target_os = "linux")]
#[test]
fn proc_files_are_refused_wherever_a_path_comes_from() {
    let proc_file = PathBuf::from("/proc/self/status");
    let dir = temp_dir("proc");
    let refused = |e: &Error| matches!(e, Error::NotRegularFile { .. });
    within_bound(move || {
        let (loaded, _) = merged_with_survivor(&proc_file);
        assert!(refused(only(&loaded.problems)), "{:?}", loaded.problems);

        let config = format!(
            "- name: tf\n  user:\n    tokenFile: {p}\nclusters:\n- name: c\n  cluster:\n    certificate-authority: {p}\n",
            p = proc_file.display()
        );
        let (_, inv) = inventory_of_disk(&config);
        let fields: Vec<_> = inv
            .problems
            .iter()
            .filter(|p| refused(p))
            .filter_map(|p| p.location().and_then(|l| l.field.clone()))
            .collect();
        assert_eq!(
            fields,
            ["certificate-authority", "tokenFile"],
            "{:?}",
            inv.problems
        );

        let policy = kcred_core::load_policy(proc_file.to_str().unwrap()).unwrap_err();
        assert!(refused(&policy), "{policy:?}");
        std::fs::write(
            dir.join("team.yaml"),
            format!("version: 1\nextends: {}\n", proc_file.display()),
        )
        .unwrap();
        let extends = kcred_core::load_policy(dir.join("team.yaml").to_str().unwrap()).unwrap_err();
        assert!(refused(&extends), "{extends:?}");

        std::fs::create_dir_all(dir.join("kubernetes/pki")).unwrap();
        std::os::unix::fs::symlink(&proc_file, dir.join("kubernetes/pki/apiserver.crt")).unwrap();
        std::os::unix::fs::symlink(&proc_file, dir.join("kubernetes/pki/extra.crt")).unwrap();
        let layout = kcred_core::PkiLayout {
            dir: dir.join("kubernetes"),
            kubelet_dir: dir.join("kubelet"),
        };
        let limits = Limits::default();
        let (others, listed) = kcred_core::pki_certificate_files(&layout, &limits);
        assert!(listed.is_empty(), "{listed:?}");
        let report =
            kcred_core::pki_report(&layout, &others, &DiskFiles::new(limits.clone()), &limits);
        let refused_files: Vec<_> = report
            .inventory
            .problems
            .iter()
            .filter(|p| refused(p))
            .filter_map(|p| p.location().map(|l| l.file.clone()))
            .collect();
        assert_eq!(
            refused_files,
            [
                dir.join("kubernetes/pki/apiserver.crt"),
                dir.join("kubernetes/pki/extra.crt")
            ]
        );
    });
}

fn jwt_file(dir: &Path) -> PathBuf {
    let token = jwt(
        r#"{"alg":"RS256"}"#,
        br#"{"sub":"shared","exp":1767229200,"aud":["k8s"]}"#,
    );
    let path = dir.join("token.jwt");
    std::fs::write(&path, token).unwrap();
    path
}

/// 1,000 users whose `tokenFile` names one file (directly, through a symlink,
/// through a hard link): the file is read once and decoded once, and every
/// record holds the same decoded claims (one copy in memory, not 1,000).
#[cfg(unix)]
#[test]
fn thousand_token_files_naming_one_file_cost_one_read_and_one_decode() {
    let dir = temp_dir("fanout-token");
    let token = jwt_file(&dir);
    std::os::unix::fs::symlink(&token, dir.join("link.jwt")).unwrap();
    std::fs::hard_link(&token, dir.join("hard.jwt")).unwrap();
    let names = ["token.jwt", "link.jwt", "hard.jwt", "./token.jwt"];
    let mut text = String::from("users:\n");
    for i in 0..1000 {
        let path = dir.join(names[i % names.len()]);
        text.push_str(&format!(
            "- name: u{i}\n  user:\n    tokenFile: {}\n",
            path.display()
        ));
    }
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("fan"), &Limits::default());
    let files = DiskFiles::default();
    let inv = inventory(&loaded.config, &files);
    assert!(inv.problems.is_empty(), "{:?}", inv.problems.first());
    assert_eq!(files.files_read(), 1, "one file, read once");
    let jwts: Vec<_> = inv
        .credentials
        .iter()
        .map(|r| match &r.credential {
            Credential::Token(t) => t.info.jwt.clone().expect("a JWT"),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(jwts.len(), 1000);
    assert_eq!(jwts[0].subject.as_deref(), Some("shared"));
    assert!(
        jwts.iter().all(|j| std::sync::Arc::ptr_eq(j, &jwts[0])),
        "decoded once, shared"
    );
}

/// A decode failure is found once per file but reported for every entry naming
/// it, each at its own location.
#[test]
fn a_bad_shared_token_file_is_reported_at_each_user() {
    let dir = temp_dir("fanout-bad");
    let path = dir.join("bad.jwt");
    std::fs::write(&path, "eyJhbGciOiJSUzI1NiJ9.!!!.sig").unwrap();
    let mut text = String::from("users:\n");
    for i in 0..3 {
        text.push_str(&format!(
            "- name: u{i}\n  user:\n    tokenFile: {}\n",
            path.display()
        ));
    }
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("fan"), &Limits::default());
    let files = DiskFiles::default();
    let inv = inventory(&loaded.config, &files);
    assert_eq!(files.files_read(), 1);
    let at: Vec<_> = inv
        .problems
        .iter()
        .map(|p| (p.kind(), p.location().and_then(|l| l.entry.clone())))
        .collect();
    let want: Vec<_> = (0..3)
        .map(|i| ("bad-token", Some(format!("users[u{i}]"))))
        .collect();
    assert_eq!(at, want);
}

/// 50 clusters (and a symlink) naming one CA bundle: one read, one decode, one
/// list of certificates shared by every cluster record.
#[cfg(unix)]
#[test]
fn fifty_clusters_naming_one_ca_bundle_share_one_decode() {
    let dir = temp_dir("fanout-ca");
    let one = std::fs::read_to_string(data("certs/root-ca.crt")).unwrap();
    let bundle = dir.join("bundle.pem");
    std::fs::write(&bundle, one.repeat(200)).unwrap();
    std::os::unix::fs::symlink(&bundle, dir.join("link.pem")).unwrap();
    let mut text = String::from("clusters:\n");
    for i in 0..50 {
        let path = if i % 2 == 0 {
            dir.join("bundle.pem")
        } else {
            dir.join("link.pem")
        };
        text.push_str(&format!(
            "- name: c{i}\n  cluster:\n    server: https://c{i}\n    certificate-authority: {}\n",
            path.display()
        ));
    }
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("fan"), &Limits::default());
    let files = DiskFiles::default();
    let inv = inventory(&loaded.config, &files);
    assert!(inv.problems.is_empty(), "{:?}", inv.problems.first());
    assert_eq!(files.files_read(), 1);
    assert_eq!(inv.clusters.len(), 50);
    assert_eq!(inv.clusters[0].ca.len(), 200);
    assert!(inv
        .clusters
        .iter()
        .all(|c| std::sync::Arc::ptr_eq(&c.ca, &inv.clusters[0].ca)));
}

/// 1,000 users naming one client-certificate bundle (a leaf and 200 more
/// certificates) hold one chain between them, not a thousand copies, and each
/// says which certificates past the cap were not examined.
#[test]
fn thousand_users_naming_one_certificate_bundle_share_one_chain() {
    let dir = temp_dir("fanout-client-cert");
    let leaf = std::fs::read_to_string(data("certs/chain.crt")).unwrap();
    let more = std::fs::read_to_string(data("certs/root-ca.crt")).unwrap();
    let bundle = dir.join("client.pem");
    std::fs::write(&bundle, format!("{leaf}{}", more.repeat(200))).unwrap();
    let mut text = String::from("users:\n");
    for i in 0..1000 {
        text.push_str(&format!(
            "- name: u{i}\n  user:\n    client-certificate: {}\n",
            bundle.display()
        ));
    }
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("fan"), &Limits::default());
    let files = DiskFiles::default();
    let inv = inventory(&loaded.config, &files);
    assert_eq!(inv.problems.len(), 1000);
    assert!(inv
        .problems
        .iter()
        .all(|p| p.kind() == "limit-reached" && p.location().unwrap().entry.is_some()));
    assert_eq!(files.files_read(), 1);
    let chains: Vec<_> = inv
        .credentials
        .iter()
        .map(|r| match &r.credential {
            Credential::ClientCertificate(c) => c.chain.clone(),
            other => panic!("not a client certificate: {other:?}"),
        })
        .collect();
    assert_eq!(chains.len(), 1000);
    assert_eq!(chains[0].len(), 8);
    assert!(chains.iter().all(|c| std::sync::Arc::ptr_eq(c, &chains[0])));
}

/// Files that would take one run past `max_total_bytes` are not read; each is a
/// limit-reached problem on its own field, and the rest is still reported.
#[test]
fn the_run_byte_budget_is_a_typed_problem_per_unread_file() {
    let dir = temp_dir("budget");
    let mut text = String::from("users:\n");
    for i in 0..10 {
        let path = dir.join(format!("t{i}"));
        std::fs::write(&path, format!("opaque-token-{i:0>100}")).unwrap();
        text.push_str(&format!(
            "- name: u{i}\n  user:\n    tokenFile: {}\n",
            path.display()
        ));
    }
    let limits = Limits {
        max_total_bytes: 500,
        ..Limits::default()
    };
    let loaded = parse_kubeconfig(text.as_bytes(), Path::new("b"), &limits);
    let files = DiskFiles::new(limits);
    let inv = inventory(&loaded.config, &files);
    assert_eq!(inv.credentials.len(), 10);
    assert!(files.bytes_read() <= 500);
    assert_eq!(files.files_read(), 4);
    let kinds: Vec<_> = inv.problems.iter().map(Error::kind).collect();
    assert_eq!(kinds, ["limit-reached"; 6]);
}

fn kubelogin_fixture() -> (PathBuf, String) {
    let dir = data("exposure/home-aks/.kube/cache/kubelogin");
    let name = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".json"))
        .unwrap();
    (dir.join(&name), name)
}

fn cache_scan(home: &Path) -> kcred_core::CacheScan {
    kcred_core::find_caches(
        &kcred_core::CacheSearch {
            home: Some(home),
            kube_cache_dir: None,
            kubeconfig_files: &[],
        },
        &Limits::default(),
    )
}

/// 60,000 decoy files beside the real kubelogin cache. Names that cannot be
/// caches never count against the folder's cap, so the real cache is found;
/// 60,000 `*.json` decoys that sort first fill the cap, and that is reported
/// (limit-reached naming what was left), never a silent "no cache".
#[test]
fn the_real_kubelogin_cache_is_found_among_sixty_thousand_decoys_or_the_cap_is_reported() {
    let (real, name) = kubelogin_fixture();
    let real_text = std::fs::read(&real).unwrap();
    for (label, decoy) in [
        ("other-names", "decoy-{i}.tmp"),
        ("json-first", "AAAA-{i}.json"),
    ] {
        let home = temp_dir(&format!("decoys-{label}"));
        let folder = home.join(".kube/cache/kubelogin");
        std::fs::create_dir_all(&folder).unwrap();
        for i in 0..60_000 {
            std::fs::write(folder.join(decoy.replace("{i}", &format!("{i:05}"))), "{}").unwrap();
        }
        std::fs::write(folder.join(&name), &real_text).unwrap();
        let scan = cache_scan(&home);
        let found = scan.entries.iter().any(|e| {
            e.kind == kcred_core::CacheKind::AzureKubeloginToken
                && e.location.file == folder.join(&name)
        });
        let limit: Vec<_> = scan
            .problems
            .iter()
            .filter(|p| matches!(p, Error::LimitReached { .. }))
            .collect();
        match label {
            "other-names" => {
                assert!(found, "{label}: the real cache was not found");
                assert!(scan.problems.is_empty(), "{:?}", scan.problems.first());
            }
            _ => {
                assert!(!found);
                assert!(
                    matches!(limit[..], [Error::LimitReached { what, limit: 4096, .. }] if what.starts_with("55905 entries")),
                    "{label}: {limit:?}"
                );
            }
        }
        std::fs::remove_dir_all(&home).ok();
    }
}

/// pki: certificate files under pki/ are listed whole, sorted, then capped.
#[test]
fn pki_folders_are_listed_sorted_then_capped_with_the_rest_reported() {
    let dir = temp_dir("pki-cap");
    let pki = dir.join("kubernetes/pki");
    std::fs::create_dir_all(pki.join("etcd")).unwrap();
    for i in (0..30).rev() {
        std::fs::write(pki.join(format!("c{i:02}.crt")), "x").unwrap();
    }
    std::fs::write(pki.join("sa.pub"), "x").unwrap();
    std::fs::write(pki.join("etcd/ca.crt"), "x").unwrap();
    let layout = kcred_core::PkiLayout {
        dir: dir.join("kubernetes"),
        kubelet_dir: dir.join("kubelet"),
    };
    let limits = Limits {
        max_dir_entries: 5,
        ..Limits::default()
    };
    let (files, problems) = kcred_core::pki_certificate_files(&layout, &limits);
    let mut want: Vec<PathBuf> = (0..5).map(|i| pki.join(format!("c{i:02}.crt"))).collect();
    want.push(pki.join("etcd/ca.crt"));
    assert_eq!(files, want);
    assert!(
        matches!(&problems[..], [Error::LimitReached { what, limit: 5, .. }] if what.starts_with("25 entries")),
        "{problems:?}"
    );
}
