//! Where a report goes: standard output, or `--output FILE` written
//! atomically (a temporary file in FILE's folder, renamed over FILE once the
//! whole report is written and synced), so a reader such as node-exporter's
//! textfile collector sees the old report or the new one, never half of one.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::Failure;

/// The destination of one run's report.
pub enum Sink {
    /// Standard output.
    Stdout(std::io::StdoutLock<'static>),
    /// `--output FILE`, being written to a temporary file beside it.
    File(Pending),
}

/// A temporary file that becomes `target` on [`Sink::commit`].
pub struct Pending {
    target: PathBuf,
    file: BufWriter<File>,
    temp: TempFile,
}

/// The temporary file's path; removed when dropped still armed, so a failed
/// run leaves FILE as it was and no temporary file behind.
struct TempFile {
    path: PathBuf,
    armed: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn cannot_write(path: &Path, e: &std::io::Error) -> Failure {
    Failure(format!("cannot write {}: {e}", path.display()))
}

impl Sink {
    /// Standard output, or a temporary file for `target`.
    pub fn open(target: Option<&Path>) -> Result<Sink, Failure> {
        let Some(target) = target else {
            return Ok(Sink::Stdout(std::io::stdout().lock()));
        };
        let name = target
            .file_name()
            .ok_or_else(|| Failure(format!("--output {}: not a file name", target.display())))?;
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // A name node-exporter skips (it reads *.prom only) and no other kcred
        // run writing the same FILE uses.
        let mut attempt = 0u32;
        let (temp, file) = loop {
            let mut temp_name = std::ffi::OsString::from(".");
            temp_name.push(name);
            temp_name.push(format!(".{}.{attempt}.tmp", std::process::id()));
            let temp = folder.join(temp_name);
            match create_new(&temp) {
                Ok(file) => break (temp, file),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(e) => return Err(cannot_write(target, &e)),
            }
        };
        // FILE keeps its permissions, as a shell redirection keeps them.
        if let Ok(meta) = std::fs::metadata(target) {
            if meta.is_file() {
                let _ = file.set_permissions(meta.permissions());
            }
        }
        Ok(Sink::File(Pending {
            target: target.to_owned(),
            file: BufWriter::new(file),
            temp: TempFile {
                path: temp,
                armed: true,
            },
        }))
    }

    /// Where the report is written.
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(out) => out,
            Sink::File(p) => &mut p.file,
        }
    }

    /// Flushes standard output, or syncs the temporary file and renames it
    /// over FILE.
    pub fn commit(self) -> Result<(), Failure> {
        match self {
            Sink::Stdout(mut out) => out.flush().map_err(|e| Failure::write(&e)),
            Sink::File(Pending {
                target,
                file,
                mut temp,
            }) => {
                let done = file
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .and_then(|f| f.sync_all())
                    .and_then(|()| std::fs::rename(&temp.path, &target));
                // Renamed: nothing left to remove.
                temp.armed = done.is_err();
                done.map_err(|e| cannot_write(&target, &e))
            }
        }
    }
}

/// Creates `path`, which must not exist, with mode 0666 less the umask.
fn create_new(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o666);
    }
    options.open(path)
}
