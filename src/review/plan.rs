//! The plan: every file the migration would create or change, compared with what is on disk.
//! Dry-run, `--check`, `--format json` and writing all consume this one value.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
pub use crate::output::{Ownership, PlannedFile};
use crate::review::diff::FileDiff;
use crate::write::{self as apply, resolve, write_atomic, OutLock};

/// What a run would do to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The file does not exist yet.
    Create,
    /// The file exists with other content and would be replaced.
    Change,
    /// The file already has exactly this content.
    Unchanged,
    /// A scaffold file that exists with other content: the user's copy is kept as it is.
    Kept,
}

/// One planned file compared with the disk.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// The planned file.
    pub file: PlannedFile,
    /// Its status.
    pub status: Status,
    /// The unified diff (empty for unchanged and kept files).
    pub diff: FileDiff,
}

/// The whole plan for one output folder.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The output folder as the user named it.
    pub out_dir: PathBuf,
    /// Every planned file, in a stable order.
    pub changes: Vec<FileChange>,
    /// Scaffold folders on disk (`static/<name>`) that the new manifest no longer refers to and
    /// no planned file is in: left by a background script that was renamed or removed, and
    /// holding the user's ported code. Reported, never touched.
    pub orphaned: Vec<String>,
}

/// Counts of each status, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files to create.
    pub created: usize,
    /// Files to change.
    pub changed: usize,
    /// Files already up to date.
    pub unchanged: usize,
    /// User-owned scaffold files left as they are.
    pub kept: usize,
}

impl Plan {
    /// Compares `files` with what is in `out_dir`. Reads only; refuses paths that would leave it.
    pub fn compare(out_dir: &Path, files: Vec<PlannedFile>) -> Result<Self> {
        let mut changes = Vec::with_capacity(files.len());
        for file in files {
            let target = apply::resolve(out_dir, &file.path)?;
            let old = read_existing(&target)?;
            let (status, diff) = match (&old, file.ownership) {
                (None, Ownership::State) => (Status::Create, FileDiff::default()),
                (None, _) => (
                    Status::Create,
                    FileDiff::new(&file.path, None, &file.content),
                ),
                (Some(o), _) if *o == file.content => (Status::Unchanged, FileDiff::default()),
                (Some(_), Ownership::Scaffold) => (Status::Kept, FileDiff::default()),
                (Some(_), Ownership::State) => (Status::Change, FileDiff::default()),
                (Some(o), Ownership::Managed) => (
                    Status::Change,
                    FileDiff::new(&file.path, Some(o), &file.content),
                ),
            };
            changes.push(FileChange { file, status, diff });
        }
        let orphaned = orphaned(out_dir, &changes);
        Ok(Self {
            out_dir: out_dir.to_path_buf(),
            changes,
            orphaned,
        })
    }

    /// The plan for an output folder that does not exist yet: every file created, each diffed
    /// against `/dev/null`. No file system access (for in-memory reviews, fuzzing and tests).
    pub fn for_new_folder(out_dir: &Path, files: Vec<PlannedFile>) -> Self {
        let changes = files
            .into_iter()
            .map(|file| FileChange {
                diff: FileDiff::new(&file.path, None, &file.content),
                status: Status::Create,
                file,
            })
            .collect();
        Self {
            out_dir: out_dir.to_path_buf(),
            changes,
            orphaned: Vec::new(),
        }
    }

    /// How many files have each status.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for c in self
            .changes
            .iter()
            .filter(|c| c.file.ownership != Ownership::State)
        {
            match c.status {
                Status::Create => s.created += 1,
                Status::Change => s.changed += 1,
                Status::Unchanged => s.unchanged += 1,
                Status::Kept => s.kept += 1,
            }
        }
        s
    }

    /// True when a write would change the disk.
    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| {
            c.file.ownership != Ownership::State
                && matches!(c.status, Status::Create | Status::Change)
        })
    }
}

/// The scaffold folders of [`Plan::orphaned`]: real folders (not symlinks) directly under
/// `static/` that hold a file of this tool's scaffold (`package.json` or `scripts/build.mjs`),
/// that no planned file is in, and that the planned `manifest.yml` does not name.
fn orphaned(out_dir: &Path, changes: &[FileChange]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(out_dir.join("static")) else {
        return Vec::new();
    };
    let manifest = changes
        .iter()
        .find(|c| c.file.path == "manifest.yml")
        .map_or("", |c| c.file.content.as_str());
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .map(|name| format!("static/{name}"))
        .filter(|dir| {
            let inside = format!("{dir}/");
            let scaffold = ["package.json", "scripts/build.mjs"]
                .iter()
                .any(|f| out_dir.join(dir).join(f).is_file());
            scaffold
                && !changes.iter().any(|c| c.file.path.starts_with(&inside))
                && !manifest.contains(&inside)
        })
        .collect();
    found.sort();
    found
}

/// Reads a file that may not exist (a regular file of bounded size, or a refusal). Content that
/// is not UTF-8 is shown as a placeholder line so the diff still says that it would be replaced.
fn read_existing(path: &Path) -> Result<Option<String>> {
    match apply::read_regular(path) {
        Ok(bytes) => Ok(bytes.map(|bytes| {
            String::from_utf8(bytes).unwrap_or_else(|e| {
                format!(
                    "(binary or non-UTF-8 content, {} bytes)\n",
                    e.as_bytes().len()
                )
            })
        })),
        Err(Error::Unreadable { path, reason }) if path.is_dir() => Err(Error::Refused {
            path,
            reason: format!("a folder stands where a file should be written ({reason})"),
        }),
        Err(e) => Err(e),
    }
}

/// Writes every created or changed file of the plan, under the output folder's lock, after
/// checking that the disk still holds what the review showed. Returns the relative paths written.
/// A SIGINT or SIGTERM meanwhile lets the current file finish, then stops (exit 130/143).
pub fn write(plan: &Plan) -> Result<Vec<String>> {
    crate::write::catch_signals();
    write_with(plan, &mut |target, bytes| write_atomic(target, bytes))
}

/// [`write()`] with the per-file writer as a seam, so tests can make a write fail half-way.
pub fn write_with(
    plan: &Plan,
    write_file: &mut dyn FnMut(&Path, &[u8]) -> Result<()>,
) -> Result<Vec<String>> {
    let _lock = OutLock::acquire(&plan.out_dir)?;
    let planned: Vec<_> = plan.changes.iter().map(|c| c.file.clone()).collect();
    let now = Plan::compare(&plan.out_dir, planned)?;
    let moved = plan
        .changes
        .iter()
        .zip(&now.changes)
        .find(|(a, b)| a.status != b.status || a.diff != b.diff);
    if let Some((c, _)) = moved {
        return Err(Error::Refused {
            path: plan.out_dir.join(&c.file.path),
            reason: "it changed on disk after the review; run again to review the new state".into(),
        });
    }
    let mut dirs: Vec<PathBuf> = plan
        .changes
        .iter()
        .filter_map(|c| {
            Path::new(&c.file.path)
                .parent()
                .map(|p| plan.out_dir.join(p))
        })
        .collect();
    dirs.push(plan.out_dir.clone());
    dirs.sort();
    dirs.dedup();
    crate::write::remove_stale_temp_files(&dirs);
    let mut written = Vec::new();
    for change in &plan.changes {
        if !matches!(change.status, Status::Create | Status::Change) {
            continue;
        }
        if let Some(signal) = crate::write::interrupted() {
            return Err(Error::Interrupted { signal, written });
        }
        // From the first write on, an error says which files are already complete.
        let done = resolve(&plan.out_dir, &change.file.path)
            .and_then(|target| write_file(&target, change.file.content.as_bytes()));
        if let Err(e) = done {
            return Err(Error::PartlyWritten {
                cause: Box::new(e),
                written,
            });
        }
        written.push(change.file.path.clone());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::{write_atomic_via, LOCK_FILE};
    use std::io::Write;

    fn file(path: &str, content: &str, ownership: Ownership) -> PlannedFile {
        PlannedFile {
            path: path.into(),
            content: content.into(),
            ownership,
        }
    }

    #[test]
    fn statuses_follow_the_overwrite_policy() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("same"), "x\n").unwrap();
        std::fs::write(dir.path().join("managed"), "old\n").unwrap();
        std::fs::write(dir.path().join("scaffold"), "user edit\n").unwrap();
        let plan = Plan::compare(
            dir.path(),
            vec![
                file("new", "n\n", Ownership::Managed),
                file("same", "x\n", Ownership::Managed),
                file("managed", "new\n", Ownership::Managed),
                file("scaffold", "template\n", Ownership::Scaffold),
            ],
        )
        .unwrap();
        let statuses: Vec<_> = plan.changes.iter().map(|c| c.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Create,
                Status::Unchanged,
                Status::Change,
                Status::Kept
            ]
        );
        assert!(plan.changes[2].diff.text.contains("-old\n+new\n"));
        assert!(plan.changes[3].diff.is_empty());
        assert!(plan.has_changes());
    }

    #[test]
    fn a_folder_in_place_of_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("manifest.yml")).unwrap();
        let err = Plan::compare(
            dir.path(),
            vec![file("manifest.yml", "x", Ownership::Managed)],
        )
        .unwrap_err();
        assert!(matches!(err, Error::Refused { .. }), "{err}");
    }

    fn plan_of(dir: &Path, files: &[(&str, &str)]) -> Plan {
        Plan::compare(
            dir,
            files
                .iter()
                .map(|(p, c)| PlannedFile {
                    path: p.to_string(),
                    content: c.to_string(),
                    ownership: Ownership::Managed,
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn a_write_failing_half_way_leaves_old_or_complete_new_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), "old a\n").unwrap();
        std::fs::write(dir.path().join("b"), "old b\n").unwrap();
        std::fs::write(dir.path().join("c"), "old c\n").unwrap();
        let plan = plan_of(
            dir.path(),
            &[
                ("a", "new a\n"),
                ("b", "new b, much longer\n"),
                ("c", "new c\n"),
            ],
        );
        // The second file's write stops after 3 bytes with "disk full".
        let mut n = 0;
        let err = write_with(&plan, &mut |target, bytes| {
            n += 1;
            if n == 2 {
                write_atomic_via(target, bytes, &mut |f, b| {
                    f.write_all(&b[..3])?;
                    Err(std::io::Error::new(
                        std::io::ErrorKind::StorageFull,
                        "No space left on device",
                    ))
                })
            } else {
                write_atomic(target, bytes)
            }
        })
        .unwrap_err();
        assert_eq!(err.exit_code(), 3);
        assert!(err.to_string().contains("No space left"), "{err}");
        assert!(
            err.to_string()
                .contains(&dir.path().join("b").display().to_string()),
            "{err}"
        );
        let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
        assert_eq!(read("a"), "new a\n");
        assert_eq!(read("b"), "old b\n");
        assert_eq!(read("c"), "old c\n");
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["a", "b", "c"],
            "no temp or lock file is left behind"
        );
        // A second run finishes the job.
        let plan = plan_of(
            dir.path(),
            &[
                ("a", "new a\n"),
                ("b", "new b, much longer\n"),
                ("c", "new c\n"),
            ],
        );
        assert_eq!(write(&plan).unwrap(), ["b", "c"]);
    }

    #[test]
    fn a_second_run_cannot_take_a_held_lock_and_a_stale_lock_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let held = OutLock::acquire(dir.path()).unwrap();
        let err = OutLock::acquire(dir.path()).unwrap_err();
        assert!(
            err.to_string().contains("another connect2forge run"),
            "{err}"
        );
        let plan = plan_of(dir.path(), &[("x", "x\n")]);
        assert!(
            write(&plan).is_err(),
            "a write waits for no one: it refuses"
        );
        assert!(!dir.path().join("x").exists());
        drop(held);
        assert!(!dir.path().join(LOCK_FILE).exists(), "released on drop");
        if Path::new("/proc/self").exists() {
            // A lock whose process is gone (pid beyond Linux's pid_max) is stale.
            std::fs::write(dir.path().join(LOCK_FILE), "4294967295\n").unwrap();
            let lock = OutLock::acquire(dir.path()).unwrap();
            drop(lock);
        }
        assert_eq!(write(&plan).unwrap(), ["x"]);
    }

    #[test]
    fn a_file_changed_after_the_review_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("m"), "v1\n").unwrap();
        let plan = plan_of(dir.path(), &[("m", "generated\n")]);
        std::fs::write(dir.path().join("m"), "edited meanwhile\n").unwrap();
        let err = write(&plan).unwrap_err();
        assert!(
            err.to_string().contains("changed on disk after the review"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("m")).unwrap(),
            "edited meanwhile\n"
        );
    }

    #[test]
    fn a_file_where_a_folder_should_be_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("static"), "a file").unwrap();
        let planned = vec![PlannedFile {
            path: "static/x/index.html".into(),
            content: "x".into(),
            ownership: Ownership::Managed,
        }];
        let err = Plan::compare(dir.path(), planned).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string()
                .contains("a file stands where a folder is needed"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("static")).unwrap(),
            "a file"
        );
    }
}
