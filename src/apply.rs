//! Writing the plan: atomically (temp file in the same folder, sync, rename), never outside the
//! output folder, never through a symlink that leads out of it, never over a folder.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::plan::{Plan, Status};

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
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => return Err(Error::io(&at, e)),
        }
    }
    Ok(target)
}

/// Writes every created or changed file of the plan. Returns the relative paths written.
pub fn write(plan: &Plan) -> Result<Vec<String>> {
    let mut written = Vec::new();
    for change in &plan.changes {
        if !matches!(change.status, Status::Create | Status::Change) {
            continue;
        }
        let target = resolve(&plan.out_dir, &change.file.path)?;
        write_atomic(&target, change.file.content.as_bytes())?;
        written.push(change.file.path.clone());
    }
    Ok(written)
}

/// Replaces `target` with `bytes` so that a reader sees either the old or the complete new
/// content: temp file in the same folder, fsync, rename. Keeps the old file's permissions.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<()> {
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
    tmp.as_file().sync_all().map_err(|e| Error::io(target, e))?;
    if let Ok(meta) = std::fs::metadata(target) {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(|e| Error::io(target, e))?;
    }
    tmp.persist(target)
        .map_err(|e| Error::io(target, e.error))?;
    Ok(())
}

fn create_dirs(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::Refused {
            path: dir.to_path_buf(),
            reason: "a file stands where a folder is needed".into(),
        }),
        Err(_) => std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
