//! What the tool remembers between runs: the `.connect2forge/` folder in `--out`.
//!
//! A re-run needs to know what the last run generated, to tell the vendor's edits from the
//! migration's: a file the vendor never touched takes the new generation (a changed template, a
//! changed source script, a page that now loads one more script), an edited one gets the
//! migration's changes merged three ways into it ([`crate::review::keep_edits`]). So every run
//! records, for every file it generates (the manifest, and every file of every scaffold folder,
//! whatever made it), what it generated; and for every module with a scaffold folder, what a
//! later run needs when it cannot look at the page again (the Connect entry, the page carried, the
//! carried files, the scopes and hosts their code needs).
//!
//! The folder holds:
//! - `record.json`: the [`Record`] of the last complete run;
//! - `blobs/<sha256>`: each generated content the record names, stored under the SHA-256 of its
//!   text with line endings as LF (so a checkout that turns them into CRLF still finds them);
//! - `record.next.json`: the journal, while a run writes (see below);
//! - `<path>.orig`: a copy of a file of the vendor's kept before a run replaced or merged lines
//!   of it ([`orig_path`]).
//!
//! The guarantee (issue 19, item 13): a run killed at any moment (`kill -9`, a power cut) never
//! leaves a record that lies. The blobs are written first (content-addressed: an extra blob is
//! harmless), then the new record as the journal, then the files, then the journal is renamed
//! over `record.json` (one atomic step). A run that finds a journal uses, for each file, the
//! journal's entry when the file holds what the journal says was written, and the old record's
//! otherwise; a missing record is rebuilt by the next run (a pending change, also for
//! `--check`), never ignored.

pub mod retain;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::write;

/// The state folder, relative to `--out`.
pub const DIR: &str = ".connect2forge";
/// The record of the last complete run.
pub const RECORD_PATH: &str = ".connect2forge/record.json";
/// The journal: the record a run is writing, before its files are complete.
pub const JOURNAL_PATH: &str = ".connect2forge/record.next.json";
/// The folder of generated contents, by hash.
pub const BLOBS_DIR: &str = ".connect2forge/blobs";
/// Where versions before the record kept the last generated manifest (read when there is no
/// record; removed once a record is written).
pub const LEGACY_BASE_PATH: &str = ".connect2forge/manifest.base.yml";
/// The record format this version writes and reads.
pub const VERSION: u32 = 1;

/// Where a copy of the vendor's file at `path` is kept before a run replaces lines of it
/// (`.connect2forge/manifest.yml.orig`).
pub fn orig_path(path: &str) -> String {
    format!("{DIR}/{path}.orig")
}

/// The blob path of a content's hash.
pub fn blob_path(hash: &str) -> String {
    format!("{BLOBS_DIR}/{hash}")
}

/// `text` with CRLF line endings turned into LF.
pub fn lf(text: &str) -> std::borrow::Cow<'_, str> {
    match text.contains("\r\n") {
        true => text.replace("\r\n", "\n").into(),
        false => text.into(),
    }
}

/// The SHA-256 of `text` with LF line endings, in lower-case hex: a blob's name, and how the
/// record says what a file held.
pub fn hash(text: &str) -> String {
    let digest = Sha256::digest(lf(text).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// How `manifest.yml` came to be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ManifestOrigin {
    /// Rendered from a Connect descriptor: merged three ways with the vendor's edits.
    #[default]
    Generated,
    /// A Connect-on-Forge manifest migrated in place: the vendor's file, edited; later runs
    /// adopt it in place again and check the modules it migrated.
    Adopted,
}

/// What the record keeps of one generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The hash of what was generated (its blob holds the text): the base of the next merge.
    pub generated: String,
    /// The hash of what the file held once the run was done (the generation, a merge, or the
    /// vendor's file kept as it was).
    pub written: String,
}

/// What the record keeps of one module with a scaffold folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleEntry {
    /// The module as the run knew it (a serialized [`crate::kinds::ForgeModule`]: its kind,
    /// key, Connect page URL, resource and folder), so a later run can check it again after the
    /// Connect entry is gone from an adopted manifest.
    pub module: Value,
    /// The page carried, relative to the source tree; `None` when none was.
    pub page: Option<String>,
    /// The carried scripts and stylesheets, relative to the scaffold folder (`page/js/a.js`).
    pub carried: Vec<String>,
    /// Every OAuth scope the carried code's REST calls need.
    pub scopes: Vec<String>,
    /// The external hosts its kept scripts load from.
    pub external_scripts: Vec<String>,
    /// The external hosts its kept stylesheets load from.
    pub external_styles: Vec<String>,
    /// The third-party hosts its carried code calls (left out when there are none, as in
    /// records written before the field existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_fetch: Vec<String>,
    /// The hosts its carried page shows images from (left out when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_images: Vec<String>,
    /// The hosts its carried style sheets load fonts from (left out when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_fonts: Vec<String>,
    /// The hosts its carried page plays media from (left out when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_media: Vec<String>,
    /// Its carried code's calls to the app's own backend that sent a Connect JWT (left out when
    /// there are none, as in records written before the field existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backend_calls: Vec<crate::port::analysis::BackendCall>,
}

impl ModuleEntry {
    /// The module's key.
    pub fn key(&self) -> &str {
        self.module.get("key").and_then(Value::as_str).unwrap_or("")
    }

    /// The module's scaffold folder (`static/<resource>`), if it has one.
    pub fn scaffold_dir(&self) -> Option<&str> {
        self.module
            .pointer("/resource/scaffold_dir")
            .and_then(Value::as_str)
    }
}

/// The record of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The format ([`VERSION`]).
    pub version: u32,
    /// How `manifest.yml` came to be.
    pub manifest: ManifestOrigin,
    /// Every file generated, by path relative to `--out`.
    pub files: BTreeMap<String, FileEntry>,
    /// Every module with a scaffold folder, in the manifest's order.
    pub modules: Vec<ModuleEntry>,
}

impl Record {
    /// The record as written: pretty JSON, keys in a stable order, a final newline.
    pub fn to_text(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The state a run finds in `--out`: the last record, the journal of a run that did not finish,
/// and what versions before the record kept.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    out_dir: std::path::PathBuf,
    /// The record of the last complete run, if there is a readable one.
    pub committed: Option<Record>,
    /// The journal of a run that stopped while writing, if any.
    pub journal: Option<Record>,
    /// The legacy `manifest.base.yml`, when there is neither record nor journal.
    legacy_manifest_base: Option<String>,
    /// `record.json` exactly as on disk (to tell whether the new record changes it).
    pub committed_text: Option<String>,
    /// Whether a journal file is there (readable or not).
    journal_present: bool,
    /// Why a record or journal on disk was not used.
    pub problems: Vec<Diagnostic>,
}

impl Recorded {
    /// Reads `.connect2forge/` in `out_dir`. A record that does not parse, or has another
    /// format version, is not used (a warning says so, and the run rebuilds it); a FIFO, a
    /// device or a huge file is refused like every file read from `--out`.
    pub fn read(out_dir: &Path) -> Result<Self> {
        let mut me = Recorded {
            out_dir: out_dir.to_path_buf(),
            ..Default::default()
        };
        let committed_text = read_text(out_dir, RECORD_PATH)?;
        me.committed = committed_text
            .as_deref()
            .and_then(|t| me.parse(RECORD_PATH, t));
        me.committed_text = committed_text;
        let journal_text = read_text(out_dir, JOURNAL_PATH)?;
        me.journal_present = journal_text.is_some();
        me.journal = journal_text
            .as_deref()
            .and_then(|t| me.parse(JOURNAL_PATH, t));
        if me.committed.is_none() && me.journal.is_none() {
            me.legacy_manifest_base = read_text(out_dir, LEGACY_BASE_PATH)?;
        }
        Ok(me)
    }

    fn parse(&mut self, rel: &str, text: &str) -> Option<Record> {
        let why = match serde_json::from_str::<Record>(text) {
            Ok(r) if r.version == VERSION => return Some(r),
            Ok(r) => format!(
                "it has format version {}, and this connect2forge reads version {VERSION}",
                r.version
            ),
            Err(e) => format!("it does not parse ({e})"),
        };
        self.problems.push(Diagnostic {
            severity: Severity::Warning,
            file: self.out_dir.join(rel).display().to_string(),
            position: None,
            path: None,
            module: None,
            message: format!("the record of the last run is not used: {why}; this run rebuilds it, and until then edits to generated files cannot be told from the migration's"),
        });
        None
    }

    /// Whether a journal was left by a run that stopped while writing.
    pub fn has_journal(&self) -> bool {
        self.journal_present
    }

    /// Why the record must be rewritten even if no file changes (missing, unreadable, or a run
    /// stopped while writing), if it must.
    pub fn needs_rebuild(&self) -> Option<String> {
        if self.has_journal() {
            return Some(format!(
                "incomplete: a run stopped while writing (its journal {JOURNAL_PATH} is there)"
            ));
        }
        match (&self.committed, &self.committed_text) {
            (Some(_), _) => None,
            (None, Some(_)) => Some("unreadable (the warning says why)".into()),
            (None, None) => Some("missing (a folder written before the record existed, a run that was stopped, or the record deleted)".into()),
        }
    }

    /// The record to read modules and origin from: the last complete run's, or (when it never
    /// finished) the journal.
    pub fn latest(&self) -> Option<&Record> {
        self.committed.as_ref().or(self.journal.as_ref())
    }

    /// How the manifest came to be, by the latest record.
    pub fn manifest_origin(&self) -> Option<ManifestOrigin> {
        self.latest().map(|r| r.manifest)
    }

    /// The recorded module with this key.
    pub fn module(&self, key: &str) -> Option<&ModuleEntry> {
        self.latest()?.modules.iter().find(|m| m.key() == key)
    }

    /// The entry that describes `path` as it is on disk now (`current`, its text): the
    /// journal's when the file holds what the journal says was written there, else the last
    /// complete record's.
    pub fn entry(&self, path: &str, current: Option<&str>) -> Option<&FileEntry> {
        let in_journal = self.journal.as_ref().and_then(|j| j.files.get(path));
        if let (Some(e), Some(c)) = (in_journal, current) {
            if e.written == hash(c) {
                return Some(e);
            }
        }
        self.committed.as_ref().and_then(|r| r.files.get(path))
    }

    /// The base of `path` for a merge: what the last run generated for it, given the file's
    /// current text. `None` when nothing was recorded, or its blob is gone.
    pub fn base(&self, path: &str, current: Option<&str>) -> Result<Option<String>> {
        if let Some(e) = self.entry(path, current) {
            return self.blob(&e.generated);
        }
        if path == "manifest.yml" && self.committed.is_none() && self.journal.is_none() {
            return Ok(self.legacy_manifest_base.clone());
        }
        Ok(None)
    }

    /// A blob's text, if it is there and is what its name says.
    pub fn blob(&self, hash_hex: &str) -> Result<Option<String>> {
        if hash_hex.len() != 64 || !hash_hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let text = read_text(&self.out_dir, &blob_path(hash_hex))?;
        Ok(text.filter(|t| hash(t) == hash_hex))
    }

    /// Whether the blob of this hash is on disk.
    pub fn has_blob(&self, hash_hex: &str) -> bool {
        self.out_dir.join(blob_path(hash_hex)).is_file()
    }
}

/// A text file in `out_dir` (through the same path check as every write), `None` when it is
/// missing or not UTF-8.
fn read_text(out_dir: &Path, rel: &str) -> Result<Option<String>> {
    let path = write::resolve(out_dir, rel)?;
    Ok(write::read_regular(&path)?.and_then(|b| String::from_utf8(b).ok()))
}

/// After the journal was renamed over the record: removes blobs the record no longer names and
/// the legacy manifest base. Call it under the output folder's lock. Failures are ignored (a
/// stray blob is harmless).
pub fn collect_garbage(out_dir: &Path, record: &Record) {
    let keep: std::collections::BTreeSet<&str> = record
        .files
        .values()
        .map(|e| e.generated.as_str())
        .collect();
    if let Ok(entries) = std::fs::read_dir(out_dir.join(BLOBS_DIR)) {
        for e in entries.filter_map(|e| e.ok()) {
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            let ours = name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit());
            if ours && !keep.contains(name) && e.file_type().is_ok_and(|t| t.is_file()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let _ = std::fs::remove_file(out_dir.join(LEGACY_BASE_PATH));
}

/// Makes the journal the record: one rename, then the folder synced so the rename survives a
/// power cut.
pub fn commit(out_dir: &Path) -> Result<()> {
    let from = write::resolve(out_dir, JOURNAL_PATH)?;
    let to = write::resolve(out_dir, RECORD_PATH)?;
    std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
    #[cfg(unix)]
    if let Some(dir) = to.parent() {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_ignore_line_endings() {
        assert_eq!(hash("a\r\nb\r\n"), hash("a\nb\n"));
        assert_ne!(hash("a\nb\n"), hash("a\nb"));
        assert_eq!(hash("").len(), 64);
    }

    #[test]
    fn the_journal_wins_only_for_files_that_hold_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let blob = |text: &str| {
            let p = out.join(blob_path(&hash(text)));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        for t in ["old\n", "new\n", "merged\n"] {
            blob(t);
        }
        let record = |generated: &str, written: &str| Record {
            version: VERSION,
            files: [(
                "a".to_string(),
                FileEntry {
                    generated: hash(generated),
                    written: hash(written),
                },
            )]
            .into(),
            ..Default::default()
        };
        std::fs::write(out.join(RECORD_PATH), record("old\n", "old\n").to_text()).unwrap();
        std::fs::write(
            out.join(JOURNAL_PATH),
            record("new\n", "merged\n").to_text(),
        )
        .unwrap();
        let r = Recorded::read(out).unwrap();
        // The run that stopped had written "merged" into a: its journal describes it.
        assert_eq!(
            r.base("a", Some("merged\n")).unwrap().as_deref(),
            Some("new\n")
        );
        // It had not reached a: the last complete record does.
        assert_eq!(
            r.base("a", Some("old\n")).unwrap().as_deref(),
            Some("old\n")
        );
        assert_eq!(r.base("b", Some("x")).unwrap(), None);
    }

    #[test]
    fn a_record_that_does_not_parse_is_not_used_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(DIR)).unwrap();
        std::fs::write(dir.path().join(RECORD_PATH), "{ not json").unwrap();
        let r = Recorded::read(dir.path()).unwrap();
        assert!(r.committed.is_none());
        assert!(
            r.problems[0].message.contains("does not parse"),
            "{:?}",
            r.problems
        );
    }

    #[test]
    fn a_blob_whose_text_is_not_its_name_is_not_a_base() {
        let dir = tempfile::tempdir().unwrap();
        let r = Recorded {
            out_dir: dir.path().to_path_buf(),
            ..Default::default()
        };
        let h = hash("x\n");
        std::fs::create_dir_all(dir.path().join(BLOBS_DIR)).unwrap();
        std::fs::write(dir.path().join(blob_path(&h)), "tampered\n").unwrap();
        assert_eq!(r.blob(&h).unwrap(), None);
        std::fs::write(dir.path().join(blob_path(&h)), "x\r\n").unwrap();
        assert_eq!(r.blob(&h).unwrap().as_deref(), Some("x\r\n"));
        assert_eq!(r.blob("../../etc/passwd").unwrap(), None);
    }
}
