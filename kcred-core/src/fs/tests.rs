//! The boundary's own tests: refusals that must not block, the caps, the
//! cache, and the rule that no other module touches the file system.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use time::OffsetDateTime;

use super::open::modified_at;
use super::*;
use crate::test_support::hostile::within_bound;
use crate::test_support::TempDir;

#[test]
fn planted_modification_times_are_none_not_panics() {
    use std::time::{Duration, UNIX_EPOCH};
    let secs = |s: u64| Duration::from_secs(s);
    assert_eq!(
        modified_at(UNIX_EPOCH + secs(1_767_225_600)),
        OffsetDateTime::from_unix_timestamp(1_767_225_600).ok()
    );
    assert!(modified_at(UNIX_EPOCH - secs(1)).is_some());
    for far in [253_402_300_800, 1 << 40, i64::MAX as u64] {
        if let Some(t) = UNIX_EPOCH.checked_add(secs(far)) {
            assert_eq!(modified_at(t), None, "{far}");
        }
        if let Some(t) = UNIX_EPOCH.checked_sub(secs(far)) {
            assert_eq!(modified_at(t), None, "-{far}");
        }
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use rustix::fs::{mknodat, FileType, Mode, CWD};
    mknodat(CWD, path, FileType::Fifo, Mode::RUSR | Mode::WUSR, 0).unwrap();
}

#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn proc_and_sys_files_are_refused_unless_allowed() {
    let limits = Limits::default();
    for path in [
        "/proc/self/status",
        "/proc/version",
        "/sys/kernel/uevent_seqnum",
    ] {
        let path = Path::new(path);
        if !path.exists() {
            continue;
        }
        let at = Location::file(path);
        // `stat` calls these regular files; the descriptor's file system tells.
        assert!(std::fs::metadata(path).unwrap().is_file());
        assert_eq!(
            read_limited(path, &limits, &at),
            Err(Error::NotRegularFile { at: at.clone() }),
            "{}",
            path.display()
        );
    }
    let allowed = Limits {
        allow_pseudo_files: true,
        ..Limits::default()
    };
    let at = Location::file("/proc/self/status");
    let bytes = read_limited(Path::new("/proc/self/status"), &allowed, &at).unwrap();
    assert!(!bytes.is_empty());
}

#[cfg(unix)]
#[test]
fn fifo_is_refused_without_blocking() {
    let dir = TempDir::new("fifo");
    let fifo = dir.join("fifo");
    mkfifo(&fifo);
    let result = within_bound(move || {
        let at = Location::file(&fifo);
        read_limited(&fifo, &Limits::default(), &at).map_err(|e| e.kind())
    });
    assert_eq!(result, Err("not-regular-file"));
}

/// A symlink flipped between a regular file and a FIFO while reads run: the
/// old check-the-path-then-open reader blocked in `open` when the FIFO won
/// the race. Every read must return (the file's bytes or a refusal).
#[cfg(unix)]
#[test]
fn symlink_flipped_to_a_fifo_never_blocks_a_read() {
    use std::sync::atomic::AtomicBool;
    let dir = TempDir::new("flip");
    let regular = dir.write("regular", "users: []\n");
    let fifo = dir.join("fifo");
    mkfifo(&fifo);
    let link = dir.join("link");
    std::os::unix::fs::symlink(&regular, &link).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flips = Arc::new(AtomicU64::new(0));
    let flipper = {
        let (stop, flips, dir, link) =
            (stop.clone(), flips.clone(), dir.to_path_buf(), link.clone());
        std::thread::spawn(move || {
            let tmp = dir.join("link.tmp");
            let mut to_fifo = true;
            while !stop.load(Ordering::Relaxed) {
                let target = if to_fifo { &fifo } else { &regular };
                let _ = std::fs::remove_file(&tmp);
                std::os::unix::fs::symlink(target, &tmp).unwrap();
                std::fs::rename(&tmp, &link).unwrap();
                to_fifo = !to_fifo;
                flips.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let outcomes = {
        let flips = flips.clone();
        within_bound(move || {
            let limits = Limits::default();
            let at = Location::file(&link);
            let (mut read, mut refused, mut reads) = (0u64, 0u64, 0u64);
            // Reads for as long as the flipper flips (at least 20,000 flips and
            // 5,000 reads), however the threads are scheduled.
            while (flips.load(Ordering::Relaxed) < 20_000 || reads < 5_000) && reads < 2_000_000 {
                reads += 1;
                match read_limited(&link, &limits, &at) {
                    Ok(bytes) => {
                        assert_eq!(bytes, b"users: []\n");
                        read += 1;
                    }
                    Err(Error::NotRegularFile { .. }) => refused += 1,
                    // The link replaced between path lookups.
                    Err(Error::Io { .. }) => {}
                    Err(other) => panic!("unexpected {other:?}"),
                }
            }
            (read, refused)
        })
    };
    stop.store(true, Ordering::Relaxed);
    flipper.join().unwrap();
    assert!(outcomes.0 + outcomes.1 > 0, "{outcomes:?}");
}

#[test]
fn listing_reads_every_name_sorts_then_caps_and_reports_the_rest() {
    let dir = TempDir::new("list");
    // Created in reverse order: the directory's own order is not name order.
    for i in (0..50).rev() {
        dir.write(&format!("f{i:02}.crt"), "x");
    }
    dir.write("a-note.txt", "x");
    std::fs::create_dir(dir.join("sub.crt")).unwrap();
    let limits = Limits {
        max_dir_entries: 10,
        ..Limits::default()
    };
    let listing = list_dir(&dir, &limits, |e| {
        !e.is_dir && e.name.to_string_lossy().ends_with(".crt")
    });
    let names: Vec<String> = listing
        .entries
        .iter()
        .map(|e| e.name.to_string_lossy().into_owned())
        .collect();
    let want: Vec<String> = (0..10).map(|i| format!("f{i:02}.crt")).collect();
    assert_eq!(names, want);
    match &listing.problems[..] {
        [Error::LimitReached { at, what, limit }] => {
            assert_eq!(at.file, *dir);
            assert_eq!(*limit, 10);
            assert!(what.starts_with("40 entries"), "{what}");
            assert!(what.contains("\"f10.crt\""), "{what}");
        }
        other => panic!("expected one limit-reached, got {other:?}"),
    }
    // Under the cap: everything, no problem; a missing folder: nothing, no problem.
    let all = list_dir(&dir, &Limits::default(), |_| true);
    assert_eq!(all.entries.len(), 52);
    assert!(all.problems.is_empty());
    let none = list_dir(&dir.join("missing"), &Limits::default(), |_| true);
    assert!(none.entries.is_empty() && none.problems.is_empty());
}

#[test]
fn the_run_budget_refuses_the_file_that_would_exceed_it() {
    let dir = TempDir::new("budget");
    let (a, b) = (dir.write("a", [b'a'; 60]), dir.write("b", [b'b'; 60]));
    let limits = Limits {
        max_total_bytes: 100,
        ..Limits::default()
    };
    let budget = Budget::new(&limits);
    assert!(budget.read(&a, &limits, &Location::file(&a)).is_ok());
    let err = budget.read(&b, &limits, &Location::file(&b)).err().unwrap();
    assert!(
        matches!(&err, Error::LimitReached { limit: 100, what, .. } if what.contains(&*b.to_string_lossy())),
        "{err:?}"
    );
    assert_eq!(budget.used(), 60);
}

#[cfg(unix)]
#[test]
fn the_cache_reads_one_file_once_whatever_path_names_it() {
    let dir = TempDir::new("cache");
    let file = dir.write("token", "opaque-token");
    std::os::unix::fs::symlink(&file, dir.join("link")).unwrap();
    std::fs::hard_link(&file, dir.join("hard")).unwrap();
    let limits = Limits::default();
    let budget = Budget::new(&limits);
    let mut cache = FileCache::default();
    let mut seen = Vec::new();
    for name in ["token", "link", "hard", "token", "./link"] {
        let path = dir.join(name);
        let got = cache
            .read(&path, &budget, &limits, &Location::file(&path))
            .unwrap();
        seen.push(got);
    }
    assert_eq!(cache.files_read(), 1);
    assert_eq!(budget.used(), 12);
    assert!(seen.iter().all(|s| Arc::ptr_eq(&s.bytes, &seen[0].bytes)));
    assert!(!format!("{:?} {cache:?}", seen[0]).contains("opaque"));
}

/// The boundary holds: no other library code of kcred-core reaches the file
/// system itself (test modules and the shared test support may, to make their
/// inputs). Every file under `src/fs/` is the boundary.
#[test]
fn no_other_core_module_touches_the_file_system() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let words = [
        "std::fs",
        "File::open",
        "OpenOptions",
        "read_dir",
        "canonicalize",
        ".exists()",
        "metadata(",
        ".is_file()",
        ".is_dir()",
    ];
    for file in files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if file.starts_with(src.join("fs"))
            || file == src.join("test_support.rs")
            || file.starts_with(src.join("test_support"))
            || name == "tests.rs"
        {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let library = text.split("#[cfg(test)]\nmod tests {").next().unwrap();
        for word in words {
            assert!(
                !library.contains(word),
                "{} uses {word}: go through crate::fs",
                file.display()
            );
        }
    }
}
