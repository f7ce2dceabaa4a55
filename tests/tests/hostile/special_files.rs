//! Special files: a 100 MiB file, FIFOs and /dev/zero, symbolic-link loops and folders,
//! unreadable files.

use super::*;

#[test]
fn hundred_megabyte_file_is_refused_before_reading() {
    let dir = TempDir::new("hostile-big");
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
    let dir = TempDir::new("hostile-fifo");
    let fifo = dir.join("fifo");
    let made = Run::new("mkfifo").arg(&fifo).succeeds();
    let mut paths = vec![PathBuf::from("/dev/zero")];
    if made {
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
    let dir = TempDir::new("hostile-loop");
    let (loaded, _) = merged_with_survivor(&symlink_loop(&dir));
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
    let dir = TempDir::new("hostile-perm");
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
