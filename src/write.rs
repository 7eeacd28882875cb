//! Writing files: atomically (temp file in the same folder, sync, rename), never outside the
//! output folder, never through a symlink that leads out of it, never over a folder; the output
//! folder's lock; and the path policy ([`resolve`]) that every reader and writer of `--out` uses.
//! A leaf: it knows paths and bytes, not plans.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Resolves a plan path (relative, `/`-separated) inside `out_dir`, refusing anything that could
/// leave it: absolute paths, `..`, and existing symlinks whose target is outside `out_dir`.
pub fn resolve(out_dir: &Path, rel: &str) -> Result<PathBuf> {
    let refused = |reason: &str| Error::Refused {
        path: out_dir.join(rel),
        reason: reason.to_string(),
    };
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') {
        return Err(refused("not a plain relative path"));
    }
    let rel_path = Path::new(rel);
    if !rel_path
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(refused("the path would leave the output folder"));
    }
    let target = out_dir.join(rel_path);
    // Walk the existing prefix: a symlink anywhere on the way must stay inside the output folder.
    let root = match out_dir.canonicalize() {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(target),
        // `--out afile/sub`: a bad path given, not an I/O failure.
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(file_in_the_way(out_dir))
        }
        Err(e) => return Err(Error::io(out_dir, e)),
    };
    if !root.is_dir() {
        return Err(Error::Refused {
            path: out_dir.to_path_buf(),
            reason: "the output path exists and is not a folder".into(),
        });
    }
    let mut at = out_dir.to_path_buf();
    for c in rel_path.components() {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => match at.canonicalize() {
                Ok(real) if real.starts_with(&root) => {}
                Ok(real) => {
                    return Err(Error::Refused {
                        path: at.clone(),
                        reason: format!(
                            "it is a symlink to {}, outside the output folder",
                            real.display()
                        ),
                    })
                }
                Err(_) => {
                    return Err(Error::Refused {
                        path: at.clone(),
                        reason: "it is a dangling symlink".into(),
                    })
                }
            },
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                break
            }
            Err(e) => return Err(Error::io(&at, e)),
        }
    }
    Ok(target)
}

/// Files read from `--out` or `--templates` larger than this are refused before they are read
/// whole (a 20,000-module manifest is 3.3 MB; a template is a few kilobytes).
pub const MAX_READ_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file the run depends on (a file in `--out`, a template override), or `None` when it
/// does not exist. Anything but a regular file of at most [`MAX_READ_BYTES`] is refused with
/// [`Error::Unreadable`] (exit 2): a FIFO would block the run forever, a device (`/dev/zero`)
/// would fill the memory. The file is opened without blocking and checked again on the open
/// handle, so one swapped in between is refused too; at most `MAX_READ_BYTES + 1` bytes are read.
pub fn read_regular(path: &Path) -> Result<Option<Vec<u8>>> {
    let unreadable = |reason: String| Error::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    let check = |meta: &std::fs::Metadata| -> Result<()> {
        if meta.is_dir() {
            return Err(unreadable("it is a folder, not a file".into()));
        }
        if !meta.is_file() {
            return Err(unreadable(format!(
                "it is {}, not a regular file",
                kind_of(meta)
            )));
        }
        if meta.len() > MAX_READ_BYTES {
            return Err(unreadable(format!(
                "it is larger than {} MiB",
                MAX_READ_BYTES / 1024 / 1024
            )));
        }
        Ok(())
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A symlink to nowhere is not "no file": something stands there.
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(unreadable("it is a dangling symlink".into()));
            }
            return Ok(None);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(file_in_the_way(path))
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    check(&meta)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| Error::io(path, e))?;
    check(&file.metadata().map_err(|e| Error::io(path, e))?)?;
    let mut buf = Vec::with_capacity(usize::try_from(meta.len()).map_or(0, |n| n + 1));
    std::io::Read::take(file, MAX_READ_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, e))?;
    if buf.len() as u64 > MAX_READ_BYTES {
        return Err(unreadable(format!(
            "it is larger than {} MiB",
            MAX_READ_BYTES / 1024 / 1024
        )));
    }
    Ok(Some(buf))
}

/// The refusal for a path under a file (`afile/sub`: the OS says "Not a directory"), naming
/// the file that stands where a folder is needed.
fn file_in_the_way(path: &Path) -> Error {
    let file = path
        .ancestors()
        .skip(1)
        .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir()) && !p.is_dir())
        .unwrap_or(path);
    Error::Refused {
        path: file.to_path_buf(),
        reason: format!(
            "a file stands where a folder is needed for {}",
            path.display()
        ),
    }
}

/// What a file that is not regular is, for messages.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// The lock file that keeps two runs from writing into one output folder at once.
pub const LOCK_FILE: &str = ".connect2forge.lock";

/// Holds the output folder's lock; removes the lock file when dropped (every exit path that
/// unwinds). A lock left by a killed run is detected as stale by its process id.
#[derive(Debug)]
pub struct OutLock {
    path: PathBuf,
}

impl OutLock {
    /// Takes the lock of `out_dir` (creating the folder), or says which run holds it.
    pub fn acquire(out_dir: &Path) -> Result<Self> {
        create_dirs(out_dir)?;
        let path = out_dir.join(LOCK_FILE);
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(Self { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    // Bounded and never blocking: a FIFO or device at the lock is refused.
                    let holder = read_regular(&path)?.unwrap_or_default();
                    let holder = String::from_utf8_lossy(&holder);
                    let pid = holder.trim().parse::<u32>().ok();
                    if pid.is_some_and(process_is_gone) {
                        // Stale: its run was killed before it could clean up.
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    return Err(Error::Refused {
                        path: out_dir.to_path_buf(),
                        reason: format!(
                            "another connect2forge run{} is writing to it; if none is, delete {}",
                            pid.map(|p| format!(" (process {p})")).unwrap_or_default(),
                            path.display()
                        ),
                    });
                }
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        Err(Error::Refused {
            path: out_dir.to_path_buf(),
            reason: format!("cannot take the lock {}", path.display()),
        })
    }
}

impl Drop for OutLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether no process has this id (Linux: no /proc entry). Elsewhere a lock is never assumed
/// stale: the message says how to remove it.
fn process_is_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// The signal that arrived during a write (0: none). Set by the handlers [`catch_signals`] installs.
static INTERRUPTED: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicUsize>> =
    std::sync::OnceLock::new();

/// The signal that arrived since [`catch_signals`], if any.
pub fn interrupted() -> Option<i32> {
    let n = INTERRUPTED.get()?.load(std::sync::atomic::Ordering::SeqCst);
    (n != 0).then(|| i32::try_from(n).unwrap_or(2))
}

/// From now on, SIGINT and SIGTERM do not end the process at once: they are recorded, and the
/// write loop stops after the file it is writing ([`Error::Interrupted`], exit 130/143). Before
/// a run writes, the default (ending the process) is right: nothing is being written then.
/// signal-hook rather than ctrlc: it says which signal came, for the exit code.
pub fn catch_signals() {
    let flag = INTERRUPTED.get_or_init(|| {
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        #[cfg(unix)]
        for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            // Without a handler, the signal still ends the process: never worse than before.
            let _ = signal_hook::flag::register_usize(sig, flag.clone(), sig as usize);
        }
        flag
    });
    let _ = flag;
}

/// The temp files this tool writes through: `.connect2forge-XXXXXX.tmp`.
fn is_own_temp_file(name: &str) -> bool {
    name.starts_with(".connect2forge-") && name.ends_with(".tmp") && name.len() > 19
}

/// Removes temp files a killed run (`kill -9`, a power cut) left in `dirs`. Call it under the
/// output folder's lock: no other run of this tool is writing there.
pub fn remove_stale_temp_files(dirs: &[PathBuf]) {
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.filter_map(|e| e.ok()) {
            let own = e.file_name().to_str().is_some_and(is_own_temp_file);
            if own && e.file_type().is_ok_and(|t| t.is_file()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Replaces `target` with `bytes` so that a reader sees either the old or the complete new
/// content: temp file in the same folder, fsync, rename. Keeps the old file's permissions.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_via(target, bytes, &mut |f, b| f.write_all(b))
}

/// [`write_atomic`] with the byte writer as a seam (a test makes it fail like a full disk).
pub fn write_atomic_via(
    target: &Path,
    bytes: &[u8],
    put: &mut dyn FnMut(&mut std::fs::File, &[u8]) -> std::io::Result<()>,
) -> Result<()> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_dirs(parent)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".connect2forge-")
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    // On failure the temp file is dropped (deleted) and the target is untouched.
    put(tmp.as_file_mut(), bytes).map_err(|e| Error::io(target, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(target, e))?;
    // Keep an existing file's permissions; a new file gets the usual 0644 rather than the
    // temp file's private 0600.
    let permissions = match std::fs::metadata(target) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => new_file_permissions(),
    };
    if let Some(p) = permissions {
        tmp.as_file()
            .set_permissions(p)
            .map_err(|e| Error::io(target, e))?;
    }
    tmp.persist(target)
        .map_err(|e| Error::io(target, e.error))?;
    Ok(())
}

/// Writes a file nothing depends on being durable (a content-addressed blob of the record,
/// checked against its name when read): temp file in the same folder, rename, but no sync. A
/// power cut may leave it empty or partial; its reader then finds it is not what its name says
/// and does without it.
pub fn write_unsynced(target: &Path, bytes: &[u8]) -> Result<()> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_dirs(parent)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".connect2forge-")
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(target, e))?;
    if let Some(p) = new_file_permissions() {
        tmp.as_file()
            .set_permissions(p)
            .map_err(|e| Error::io(target, e))?;
    }
    tmp.persist(target)
        .map_err(|e| Error::io(target, e.error))?;
    Ok(())
}

#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

fn create_dirs(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::Refused {
            path: dir.to_path_buf(),
            reason: "a file stands where a folder is needed".into(),
        }),
        Err(_) => std::fs::create_dir_all(dir).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotADirectory => file_in_the_way(dir),
            _ => Error::io(dir, e),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn read_regular_refuses_fifos_devices_and_folders_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_regular(&dir.path().join("none")).unwrap().is_none());
        std::fs::write(dir.path().join("f"), "x").unwrap();
        assert_eq!(read_regular(&dir.path().join("f")).unwrap().unwrap(), b"x");
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        for (p, says) in [
            (fifo.as_path(), "FIFO"),
            (Path::new("/dev/zero"), "device"),
            (dir.path(), "folder"),
        ] {
            let err = read_regular(p).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{err}");
            assert!(err.to_string().contains(says), "{err}");
        }
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling"))
            .unwrap();
        let err = read_regular(&dir.path().join("dangling")).unwrap_err();
        assert!(err.to_string().contains("dangling symlink"), "{err}");
    }

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", "", "a\\b", "./x"] {
            assert!(resolve(dir.path(), bad).is_err(), "{bad}");
        }
        assert!(resolve(dir.path(), "static/a/index.html").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_leading_outside_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("static")).unwrap();
        let err = resolve(dir.path(), "static/a/index.html").unwrap_err();
        assert!(
            err.to_string().contains("outside the output folder"),
            "{err}"
        );
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("inside")).unwrap();
        assert!(resolve(dir.path(), "inside/x").is_ok());
    }

    #[test]
    fn atomic_write_replaces_content_and_keeps_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a/b/file.txt");
        write_atomic(&f, b"one").unwrap();
        write_atomic(&f, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("a/b"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["file.txt"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644, "a new file is world-readable like any other");
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).unwrap();
            write_atomic(&f, b"three").unwrap();
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o755, "an existing file keeps its mode");
        }
    }
}
