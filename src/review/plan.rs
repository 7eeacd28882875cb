//! The plan: every file the migration would create or change, compared with what is on disk and
//! with what the last run recorded ([`crate::record`]). Dry-run, `--check`, `--format json` and
//! writing ([`super::apply`]) all consume this one value.
//!
//! [`Plan::of`] takes a run's [`Generation`] and, before it reads a file, refuses paths a checkout
//! cannot hold ([`super::portable`]); then settles each file three ways
//! ([`super::keep_edits::decide`]), plans the copies of the vendor's files it must keep, and the
//! new record (`.connect2forge/record.json`, the last change, whose blobs are written first).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Severity};
use crate::error::{Error, Result};
pub use crate::output::{Ownership, PlannedFile};
use crate::record::{self, FileEntry, ManifestOrigin, ModuleEntry, Record, Recorded};
pub use crate::review::apply::{write, write_with};
use crate::review::diff::FileDiff;
use crate::review::keep_edits::{self, Current, Outcome, RecordAs};
use crate::review::portable;
use crate::write as apply;

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
    /// The file differs from the generation and stays as it is: the vendor's edits with nothing
    /// new to merge, or a file the record knows nothing of ([`FileChange::note`] says which).
    Kept,
    /// The file holds conflict markers this tool wrote: left as it is, and pending (`--check`
    /// exits 1) until they are resolved.
    Conflict,
}

/// One planned file compared with the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// The planned file: its content is what the file holds after the run (the generation, a
    /// merge with the vendor's edits, or the vendor's file kept as it is).
    pub file: PlannedFile,
    /// Its status.
    pub status: Status,
    /// The unified diff (empty for unchanged, kept, conflicted and state files).
    pub diff: FileDiff,
    /// Why a kept or conflicted file is left as it is.
    pub note: Option<String>,
}

/// What one run generated: the input of a plan (the write compares it with the disk again).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Generation {
    /// Every file with its complete generated content, the manifest first.
    pub files: Vec<PlannedFile>,
    /// What the record keeps of each module with a scaffold folder.
    pub modules: Vec<ModuleEntry>,
    /// Whether `manifest.yml` was generated (merged three ways with the vendor's edits) or
    /// edited in place (an adopted manifest: compared as it is).
    pub manifest: ManifestOrigin,
}

impl Generation {
    /// A generation of these files only (no module to record, the manifest generated).
    pub fn of(files: Vec<PlannedFile>) -> Self {
        Self {
            files,
            ..Self::default()
        }
    }
}

/// The whole plan for one output folder.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The output folder as the user named it.
    pub out_dir: PathBuf,
    /// Every planned file, in a stable order; the record (`.connect2forge/record.json`, ownership
    /// `state`) last.
    pub changes: Vec<FileChange>,
    /// Scaffold folders on disk (`static/<name>`) that the new manifest no longer refers to and
    /// no planned file is in: left by a background script that was renamed or removed, and
    /// holding the user's ported code. Reported, never touched.
    pub orphaned: Vec<String>,
    /// Files the last run generated that this one does not (a script the page no longer loads):
    /// still on disk, never deleted; the review names them.
    pub retired: Vec<String>,
    /// What this plan was made from.
    pub generation: Generation,
    /// The generated contents the new record names whose blobs are not on disk yet: (blob path,
    /// text), written before the record.
    pub blobs: Vec<(String, String)>,
    /// Why the record must be written even if no file changes: it is missing, or a run stopped
    /// while writing (its journal is there). Until it is, edits cannot be merged safely, so this
    /// is pending like a change. (A record that is only out of date, such as after the vendor
    /// made the generation's change by hand, is written with the next change.)
    pub record_pending: Option<String>,
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
    /// Files with unresolved conflict markers.
    pub conflict: usize,
}

/// The file on disk at `path`, if any.
fn read_existing(path: &Path) -> Result<Option<Current>> {
    match apply::read_regular(path) {
        Ok(bytes) => Ok(bytes.map(|bytes| match String::from_utf8(bytes) {
            Ok(t) => Current::Text(t),
            Err(e) => Current::NotText(e.as_bytes().len()),
        })),
        Err(Error::Unreadable { path, reason }) if path.is_dir() => Err(Error::Refused {
            path,
            reason: format!("a folder stands where a file should be written ({reason})"),
        }),
        Err(e) => Err(e),
    }
}

/// The text a diff shows for a file on disk: content that is not UTF-8 is one placeholder line,
/// so the diff still says that it would be replaced.
fn shown(c: &Current) -> String {
    match c {
        Current::Text(t) => t.clone(),
        Current::NotText(n) => format!("(binary or non-UTF-8 content, {n} bytes)\n"),
    }
}

/// A file compared with the disk as it is (no record, no merge): created, unchanged or changed.
fn plain(file: PlannedFile, old: Option<&Current>) -> FileChange {
    let (status, diff) = match old {
        None if file.ownership == Ownership::State => (Status::Create, FileDiff::default()),
        None => (
            Status::Create,
            FileDiff::new(&file.path, None, &file.content),
        ),
        Some(Current::Text(o)) if *o == file.content => (Status::Unchanged, FileDiff::default()),
        Some(_) if file.ownership == Ownership::State => (Status::Change, FileDiff::default()),
        Some(o) => (
            Status::Change,
            FileDiff::new(&file.path, Some(&shown(o)), &file.content),
        ),
    };
    FileChange {
        file,
        status,
        diff,
        note: None,
    }
}

/// A binary file compared with the disk: created when missing, unchanged when the bytes are the
/// same; otherwise a scaffold file is the user's and kept, a managed one replaced. Binary files
/// are never merged nor recorded.
fn binary(file: PlannedFile, bytes: &[u8], target: &Path) -> Result<FileChange> {
    let on_disk = match apply::read_regular(target) {
        Ok(b) => b,
        Err(Error::Unreadable { path, reason }) if path.is_dir() => {
            return Err(Error::Refused {
                path,
                reason: format!("a folder stands where a file should be written ({reason})"),
            })
        }
        Err(e) => return Err(e),
    };
    let (status, diff, note) = match on_disk {
        None => (
            Status::Create,
            FileDiff::new(&file.path, None, &file.content),
            None,
        ),
        Some(b) if b == bytes => (Status::Unchanged, FileDiff::default(), None),
        Some(_) if file.ownership == Ownership::Scaffold => (
            Status::Kept,
            FileDiff::default(),
            Some("a binary scaffold file that differs on disk is yours: left as it is".to_string()),
        ),
        Some(b) => (
            Status::Change,
            FileDiff::new(
                &file.path,
                Some(&crate::output::binary_line(b.len(), "the disk")),
                &file.content,
            ),
            None,
        ),
    };
    Ok(FileChange {
        file,
        status,
        diff,
        note,
    })
}

impl Plan {
    /// Compares `files` with what is in `out_dir` and its record; warnings are dropped (use
    /// [`Plan::of`] to have them). Reads only.
    pub fn compare(out_dir: &Path, files: Vec<PlannedFile>) -> Result<Self> {
        Self::of(out_dir, Generation::of(files)).map(|(plan, _)| plan)
    }

    /// The plan of `generation` in `out_dir`, and the warnings of settling its files (edits
    /// merged or not, a record that cannot be used). Reads only; refuses paths that would leave
    /// `out_dir` or that a checkout cannot hold, before reading anything.
    pub fn of(out_dir: &Path, generation: Generation) -> Result<(Self, Vec<Diagnostic>)> {
        let problems = portable::problems(generation.files.iter().map(|f| f.path.as_str()));
        if !problems.is_empty() {
            return Err(Error::Input(
                problems
                    .into_iter()
                    .map(|(path, why)| {
                        Diagnostic::file_error(
                            out_dir.join(&path).display().to_string(),
                            format!("refusing to plan {path}: {why}"),
                        )
                    })
                    .collect(),
            ));
        }
        let recorded = Recorded::read(out_dir)?;
        let mut notes = recorded.problems.clone();
        let mut record = Record {
            version: record::VERSION,
            manifest: generation.manifest,
            files: Default::default(),
            modules: generation.modules.clone(),
        };
        let mut blobs: Vec<(String, String)> = Vec::new();
        let mut changes = Vec::with_capacity(generation.files.len() + 1);
        for file in &generation.files {
            let target = apply::resolve(out_dir, &file.path)?;
            if let Some(bytes) = &file.bytes {
                changes.push(binary(file.clone(), bytes, &target)?);
                continue;
            }
            let old = read_existing(&target)?;
            let in_place = file.ownership == Ownership::State
                || (generation.manifest == ManifestOrigin::Adopted && file.path == "manifest.yml");
            if in_place {
                changes.push(plain(file.clone(), old.as_ref()));
                continue;
            }
            let text = match &old {
                Some(Current::Text(t)) => Some(t.as_str()),
                _ => None,
            };
            // The base is read only for a file that differs from the generation.
            let base = match text {
                Some(t) if record::lf(t) != record::lf(&file.content) => {
                    recorded.base(&file.path, text)?
                }
                _ => None,
            };
            let d = keep_edits::decide(
                &file.path,
                file.ownership,
                &file.content,
                base.as_deref(),
                old.as_ref(),
            );
            if let Some((message, line)) = &d.note {
                notes.push(Diagnostic {
                    severity: Severity::Warning,
                    file: out_dir.join(&file.path).display().to_string(),
                    position: line.map(|line| crate::source::Position { line, column: 1 }),
                    path: None,
                    module: None,
                    message: message.clone(),
                });
            }
            if let (true, Some(t)) = (d.keep_copy, text) {
                // Before the file, so that the copy exists once the file is replaced.
                let copy = PlannedFile {
                    path: record::orig_path(&file.path),
                    content: t.to_string(),
                    bytes: None,
                    ownership: Ownership::State,
                };
                let at = apply::resolve(out_dir, &copy.path)?;
                changes.push(plain(copy, read_existing(&at)?.as_ref()));
            }
            let (change, after) = match d.outcome {
                Outcome::Write(content) => {
                    let after = content.clone();
                    let planned = PlannedFile {
                        content,
                        ..file.clone()
                    };
                    (plain(planned, old.as_ref()), Some(after))
                }
                Outcome::Kept(why) => (
                    FileChange {
                        file: PlannedFile {
                            content: text.unwrap_or(&file.content).to_string(),
                            ..file.clone()
                        },
                        status: Status::Kept,
                        diff: FileDiff::default(),
                        note: Some(why.says().to_string()),
                    },
                    text.map(str::to_string),
                ),
                Outcome::Conflicted(lines) => (
                    FileChange {
                        file: PlannedFile {
                            content: text.unwrap_or_default().to_string(),
                            ..file.clone()
                        },
                        status: Status::Conflict,
                        diff: FileDiff::default(),
                        note: Some(format!(
                            "{} conflict(s) that connect2forge marked, from line {}: resolve them; left as it is until then",
                            lines.len(),
                            lines.first().copied().unwrap_or(1)
                        )),
                    },
                    text.map(str::to_string),
                ),
            };
            changes.push(change);
            match (d.record, after) {
                (RecordAs::Generation, Some(after)) => {
                    let generated = record::hash(&file.content);
                    let written = match after == file.content {
                        true => generated.clone(),
                        false => record::hash(&after),
                    };
                    if !recorded.has_blob(&generated)
                        && !blobs.iter().any(|(p, _)| p.ends_with(&generated))
                    {
                        blobs.push((record::blob_path(&generated), file.content.clone()));
                    }
                    record
                        .files
                        .insert(file.path.clone(), FileEntry { generated, written });
                }
                (RecordAs::Previous, _) => {
                    if let Some(e) = recorded
                        .entry(&file.path, text)
                        .filter(|e| recorded.has_blob(&e.generated))
                    {
                        record.files.insert(file.path.clone(), e.clone());
                    }
                }
                _ => {}
            }
        }
        let planned: BTreeSet<&str> = generation.files.iter().map(|f| f.path.as_str()).collect();
        let retired = recorded
            .latest()
            .map(|r| {
                r.files
                    .keys()
                    .filter(|p| !planned.contains(p.as_str()))
                    .filter(|p| apply::resolve(out_dir, p).is_ok_and(|t| t.is_file()))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let text = record.to_text();
        let status = match &recorded.committed_text {
            None => Status::Create,
            Some(t) if *t == text && !recorded.has_journal() => Status::Unchanged,
            Some(_) => Status::Change,
        };
        // A record with nothing in it (an adopted manifest without modules) is not worth a
        // pending change.
        let record_pending = recorded
            .needs_rebuild()
            .filter(|_| !record.files.is_empty() || !record.modules.is_empty());
        changes.push(FileChange {
            file: PlannedFile {
                path: record::RECORD_PATH.into(),
                content: text,
                bytes: None,
                ownership: Ownership::State,
            },
            status,
            diff: FileDiff::default(),
            note: None,
        });
        let orphaned = orphaned(out_dir, &changes);
        Ok((
            Self {
                out_dir: out_dir.to_path_buf(),
                changes,
                orphaned,
                retired,
                generation,
                blobs,
                record_pending,
            },
            notes,
        ))
    }

    /// The plan for an output folder that does not exist yet: every file created, each diffed
    /// against `/dev/null`. No file system access (for in-memory reviews, fuzzing and tests).
    pub fn for_new_folder(out_dir: &Path, files: Vec<PlannedFile>) -> Self {
        let changes = files
            .iter()
            .cloned()
            .map(|file| FileChange {
                diff: FileDiff::new(&file.path, None, &file.content),
                status: Status::Create,
                file,
                note: None,
            })
            .collect();
        Self {
            out_dir: out_dir.to_path_buf(),
            changes,
            orphaned: Vec::new(),
            retired: Vec::new(),
            generation: Generation::of(files),
            blobs: Vec::new(),
            record_pending: None,
        }
    }

    /// How many files have each status (the tool's own state files are not counted).
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
                Status::Conflict => s.conflict += 1,
            }
        }
        s
    }

    /// The record's change, when the record is to be written (missing, or out of date).
    pub fn record_change(&self) -> Option<&FileChange> {
        self.changes.iter().find(|c| {
            c.file.path == record::RECORD_PATH
                && matches!(c.status, Status::Create | Status::Change)
        })
    }

    /// True when the folder is not up to date: a write would change a file, or the record, or a
    /// file still holds conflict markers to resolve (what `--check` exits 1 on).
    pub fn has_changes(&self) -> bool {
        self.record_pending.is_some()
            || self.changes.iter().any(|c| {
                c.status == Status::Conflict
                    || (c.file.ownership != Ownership::State
                        && matches!(c.status, Status::Create | Status::Change))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::{write_atomic, write_atomic_via, OutLock, LOCK_FILE};
    use std::io::Write;

    fn file(path: &str, content: &str, ownership: Ownership) -> PlannedFile {
        PlannedFile::text(path, content, ownership)
    }

    #[test]
    fn binary_files_are_created_kept_and_written_as_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let png = vec![0x89, b'P', b'N', b'G', 0, 0xff, 0xfe];
        std::fs::write(dir.path().join("same.png"), &png).unwrap();
        std::fs::write(dir.path().join("edited.png"), [1, 2, 3]).unwrap();
        let planned = vec![
            PlannedFile::binary("new.png", png.clone(), "public/a.png", Ownership::Scaffold),
            PlannedFile::binary("same.png", png.clone(), "public/a.png", Ownership::Scaffold),
            PlannedFile::binary(
                "edited.png",
                png.clone(),
                "public/a.png",
                Ownership::Scaffold,
            ),
        ];
        let plan = Plan::compare(dir.path(), planned).unwrap();
        let statuses: Vec<_> = plan.changes.iter().map(|c| c.status).collect();
        assert_eq!(
            &statuses[..3],
            [Status::Create, Status::Unchanged, Status::Kept]
        );
        assert!(
            plan.changes[0]
                .diff
                .text
                .contains("+(binary file, 7 bytes, copied from public/a.png)"),
            "{}",
            plan.changes[0].diff.text
        );
        write(&plan).unwrap();
        assert_eq!(std::fs::read(dir.path().join("new.png")).unwrap(), png);
        assert_eq!(
            std::fs::read(dir.path().join("edited.png")).unwrap(),
            [1, 2, 3]
        );
        // A second run finds everything as it planned.
        let again = Plan::compare(
            dir.path(),
            vec![PlannedFile::binary(
                "new.png",
                png,
                "public/a.png",
                Ownership::Scaffold,
            )],
        )
        .unwrap();
        assert_eq!(again.changes[0].status, Status::Unchanged);
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
                // No record of an earlier generation: the managed file's lines it drops may be
                // the vendor's, so a copy is kept first.
                Status::Create,
                Status::Change,
                // No record of an earlier generation: the vendor's.
                Status::Kept,
                // The record, last.
                Status::Create,
            ]
        );
        assert_eq!(plan.changes[2].file.path, ".connect2forge/managed.orig");
        assert_eq!(plan.changes[5].file.path, record::RECORD_PATH);
        assert!(plan.changes[3].diff.text.contains("-old\n+new\n"));
        assert!(plan.changes[4].diff.is_empty());
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
                .map(|(p, c)| PlannedFile::text(*p, *c, Ownership::Managed))
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
        // The second file's write stops after 3 bytes with "disk full" (the record's blobs and
        // journal are written first).
        let mut n = 0;
        let err = write_with(&plan, &mut |target, bytes| {
            if !target.to_string_lossy().contains(record::DIR) {
                n += 1;
            }
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
            [record::DIR, "a", "b", "c"],
            "no temp or lock file is left behind"
        );
        // The record was not committed: only its journal is there.
        assert!(!dir.path().join(record::RECORD_PATH).exists());
        assert!(dir.path().join(record::JOURNAL_PATH).exists());
        // A second run finishes the job.
        let plan = plan_of(
            dir.path(),
            &[
                ("a", "new a\n"),
                ("b", "new b, much longer\n"),
                ("c", "new c\n"),
            ],
        );
        // (b's copy was written before b failed; c's was not.)
        assert_eq!(
            write(&plan).unwrap(),
            ["b", ".connect2forge/c.orig", "c", record::RECORD_PATH]
        );
        assert!(!dir.path().join(record::JOURNAL_PATH).exists());
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
        assert_eq!(write(&plan).unwrap(), ["x", record::RECORD_PATH]);
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
        let planned = vec![PlannedFile::text(
            "static/x/index.html",
            "x",
            Ownership::Managed,
        )];
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
