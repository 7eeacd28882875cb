//! Writing a plan: under the output folder's lock, after checking that the disk still holds what
//! the review showed, in the order that keeps the record truthful whenever the run stops
//! (issue 19, item 13): the blobs the new record names, the new record as the journal
//! (`.connect2forge/record.next.json`), the files, then the journal renamed over
//! `.connect2forge/record.json`. A run killed before that rename leaves the old record and the
//! journal, which the next run reads file by file ([`crate::record::Recorded::entry`]); a run
//! killed after it, a complete record.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::record;
use crate::review::plan::{Plan, Status};
use crate::write::{resolve, write_atomic, OutLock};

/// Writes every created or changed file of the plan, under the output folder's lock, after
/// checking that the disk still holds what the review showed. Returns the relative paths written
/// (the record among them). A SIGINT or SIGTERM meanwhile lets the current file finish, then
/// stops (exit 130/143).
pub fn write(plan: &Plan) -> Result<Vec<String>> {
    crate::write::catch_signals();
    write_with(plan, &mut |target, bytes| write_atomic(target, bytes))
}

/// [`write()`] with the per-file writer as a seam (the journal and every file go through it; the
/// record's blobs do not), so tests can make a write fail half-way.
pub fn write_with(
    plan: &Plan,
    write_file: &mut dyn FnMut(&Path, &[u8]) -> Result<()>,
) -> Result<Vec<String>> {
    let _lock = OutLock::acquire(&plan.out_dir)?;
    let (now, _) = Plan::of(&plan.out_dir, plan.generation.clone())?;
    let moved = plan
        .changes
        .iter()
        .zip(&now.changes)
        .find(|(a, b)| a.status != b.status || a.diff != b.diff || a.file != b.file)
        .map(|(a, _)| a)
        .or_else(|| {
            (plan.changes.len() != now.changes.len())
                .then(|| plan.changes.last())
                .flatten()
        });
    if let Some(c) = moved {
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
    dirs.push(plan.out_dir.join(record::BLOBS_DIR));
    dirs.sort();
    dirs.dedup();
    crate::write::remove_stale_temp_files(&dirs);
    let journal = plan.record_change();
    let mut written = Vec::new();
    let mut put = |rel: &str, bytes: &[u8], written: &Vec<String>| -> Result<()> {
        if let Some(signal) = crate::write::interrupted() {
            return Err(Error::Interrupted {
                signal,
                written: written.clone(),
            });
        }
        // From the first write on, an error says which files are already complete.
        resolve(&plan.out_dir, rel)
            .and_then(|target| write_file(&target, bytes))
            .map_err(|e| Error::PartlyWritten {
                cause: Box::new(e),
                written: written.clone(),
            })
    };
    if let Some(r) = journal {
        // Not synced one by one: a blob lost in a power cut is found not to match its name and
        // is done without (the file then has no base); the journal and the record are synced.
        for (path, text) in &plan.blobs {
            resolve(&plan.out_dir, path)
                .and_then(|target| crate::write::write_unsynced(&target, text.as_bytes()))
                .map_err(|e| Error::PartlyWritten {
                    cause: Box::new(e),
                    written: written.clone(),
                })?;
        }
        put(record::JOURNAL_PATH, r.file.content.as_bytes(), &written)?;
    }
    for change in &plan.changes {
        if !matches!(change.status, Status::Create | Status::Change)
            || change.file.path == record::RECORD_PATH
        {
            continue;
        }
        put(&change.file.path, change.file.written(), &written)?;
        written.push(change.file.path.clone());
    }
    if let Some(r) = journal {
        record::commit(&plan.out_dir).map_err(|e| Error::PartlyWritten {
            cause: Box::new(e),
            written: written.clone(),
        })?;
        written.push(r.file.path.clone());
        if let Ok(new) = serde_json::from_str::<record::Record>(&r.file.content) {
            record::collect_garbage(&plan.out_dir, &new);
        }
    }
    Ok(written)
}
