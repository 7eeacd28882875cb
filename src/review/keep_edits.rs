//! Keeping a user's edits to `manifest.yml` across runs on a descriptor.
//!
//! Each run also writes the manifest exactly as generated to [`BASE_PATH`]. The next run has three
//! texts: that base, the new generation, and the file on disk. Unchanged generation → the file on
//! disk stays as it is (a comment or module added by hand survives, and nothing shows as
//! changed); unedited file → the new generation; both changed → a 3-way line merge (the approach
//! of copier's `update`). When both touch the same lines, both sides are written between
//! git-style markers (`<<<<<<< yours (manifest.yml)` / `=======` / `>>>>>>> connect2forge`, the
//! user's text first, as git puts the work tree's), and the user's file is kept as
//! [`ORIG_PATH`]: a user's line is never lost, and the change needs confirmation like any other.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Severity};
use crate::error::Result;
use crate::review::plan::{Ownership, PlannedFile};
use crate::write;

/// Where the last generated manifest is kept, relative to the output folder.
pub const BASE_PATH: &str = ".connect2forge/manifest.base.yml";

/// Where a copy of the user's `manifest.yml` is kept when a run would drop lines of it that may be
/// the user's (relative to the output folder). Written with the run's other files; overwritten
/// by the next run that keeps a copy.
pub const ORIG_PATH: &str = ".connect2forge/manifest.yml.orig";

/// How many dropped lines a warning quotes (the diff shows them all).
const QUOTED_LINES: usize = 5;

/// The lines of `old` that `new` does not keep: (1-based line number in `old`, text).
pub fn dropped_lines(old: &str, new: &str) -> Vec<(usize, String)> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Delete)
        .filter_map(|c| {
            let line = c.value().trim_end_matches(['\n', '\r']);
            (!line.trim().is_empty())
                .then(|| (c.old_index().map_or(0, |i| i + 1), line.to_string()))
        })
        .collect()
}

/// A warning's account of dropped lines: how many, the first few quoted with their numbers.
fn quote_lines(lines: &[(usize, String)]) -> String {
    let mut s: Vec<String> = lines
        .iter()
        .take(QUOTED_LINES)
        .map(|(n, l)| format!("line {n} `{}`", l.trim()))
        .collect();
    if lines.len() > QUOTED_LINES {
        s.push(format!("and {} more", lines.len() - QUOTED_LINES));
    }
    s.join(", ")
}

/// What to write as `manifest.yml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// The new generation as it is (nothing on disk, or no edits of the user's to keep).
    Generated(String),
    /// The user's file with the generation's changes applied (or unchanged, when the generation
    /// did not change).
    WithUserEdits(String),
    /// The edits could not be merged cleanly: the text to write (both sides of each conflict
    /// between git-style markers; the generation where a merge would not parse), and why. The
    /// user's file is kept as [`ORIG_PATH`].
    Conflict(String, String),
}

impl Merged {
    /// The text to write.
    pub fn text(&self) -> &str {
        match self {
            Merged::Generated(s) | Merged::WithUserEdits(s) | Merged::Conflict(s, _) => s,
        }
    }
}

/// Decides the manifest's new content. `base` is the last generated manifest (if kept), `current`
/// the manifest on disk (if any).
pub fn manifest(generated: &str, base: Option<&str>, current: Option<&str>) -> Merged {
    let (Some(base), Some(current)) = (base, current) else {
        return Merged::Generated(generated.to_string());
    };
    if current == base {
        return Merged::Generated(generated.to_string());
    }
    if generated == base {
        // Kept as it is only if it still is a manifest: a file that no longer parses (a bad
        // hand edit, an unresolved conflict) is not "up to date" but a change to review.
        return match serde_yaml::from_str::<serde_yaml::Value>(current) {
            Ok(_) => Merged::WithUserEdits(current.to_string()),
            Err(e) => Merged::Conflict(
                generated.to_string(),
                format!(
                    "your manifest.yml does not parse as YAML ({}), so the review shows the regenerated manifest replacing it",
                    e.to_string().replace('\n', " ")
                ),
            ),
        };
    }
    // The user's text is "ours" (as in git, where the file in the work tree is ours): the
    // conflict markers say `yours` and `connect2forge`, and every marker starts a line.
    let mut options = diffy::MergeOptions::new();
    options
        .set_conflict_style(diffy::ConflictStyle::Merge)
        .set_incomplete_hunk_style(diffy::IncompleteHunkStyle::Git);
    match options.merge(base, current, generated) {
        // A line merge can still produce YAML that no longer parses (an indentation change on
        // one side): that is a conflict too; the generation is shown replacing the file.
        Ok(merged) => match serde_yaml::from_str::<serde_yaml::Value>(&merged) {
            Ok(_) => Merged::WithUserEdits(merged),
            Err(e) => Merged::Conflict(
                generated.to_string(),
                format!(
                    "merging them gives YAML that does not parse ({}); the review shows the regenerated manifest replacing yours",
                    e.to_string().replace('\n', " ")
                ),
            ),
        },
        Err(with_markers) => {
            let mut marked = String::with_capacity(with_markers.len() + 64);
            let (mut conflicts, mut first) = (0, None);
            for (n, line) in with_markers.split_inclusive('\n').enumerate() {
                let (text, end) = match line.strip_suffix('\n') {
                    Some(t) => (t, "\n"),
                    None => (line, ""),
                };
                match text {
                    "<<<<<<< ours" => {
                        conflicts += 1;
                        first.get_or_insert(n + 1);
                        marked.push_str(CONFLICT_START);
                    }
                    ">>>>>>> theirs" => marked.push_str(CONFLICT_END),
                    _ => marked.push_str(text),
                }
                marked.push_str(end);
            }
            Merged::Conflict(
                marked,
                format!(
                    "they change the same lines at {conflicts} place(s), from line {}: both sides are written into manifest.yml between git-style markers ({CONFLICT_START}, =======, {CONFLICT_END}); resolve them before `forge deploy`",
                    first.unwrap_or(1)
                ),
            )
        }
    }
}

/// The first line of a conflict: the user's side follows.
pub const CONFLICT_START: &str = "<<<<<<< yours (manifest.yml)";
/// The last line of a conflict: the migration's side precedes it.
pub const CONFLICT_END: &str = ">>>>>>> connect2forge";

/// Replaces the planned `manifest.yml` with what [`manifest`] decides against `current` (the
/// manifest in `out_dir`, as the caller read it) and the kept base, and plans the new base. Returns a note for the review when the user's edits were
/// kept.
pub fn keep_user_edits(
    out_dir: &Path,
    mut files: Vec<PlannedFile>,
    current: Option<&str>,
) -> Result<(Vec<PlannedFile>, Option<Diagnostic>)> {
    let Some(i) = files.iter().position(|f| f.path == "manifest.yml") else {
        return Ok((files, None));
    };
    let read = |rel: &str| -> Result<Option<String>> {
        let path = write::resolve(out_dir, rel)?;
        // A FIFO or device is refused (it would hang or fill the memory); content that is not
        // UTF-8 gives no merge: the plan shows the file being replaced.
        Ok(write::read_regular(&path)?.and_then(|b| String::from_utf8(b).ok()))
    };
    let manifest_path = out_dir.join("manifest.yml").display().to_string();
    let generated = files[i].content.clone();
    let base = read(BASE_PATH)?;
    let merged = manifest(&generated, base.as_deref(), current);
    // Without the record, the user's edits cannot be told from an older generation: every line
    // the new generation drops may be the user's. Say which, and keep a copy.
    let unrecorded_loss = match (&merged, current) {
        (Merged::Generated(new), Some(cur)) if base.is_none() && cur != new => {
            dropped_lines(cur, new)
        }
        _ => Vec::new(),
    };
    let note = |message: String| Diagnostic {
        severity: Severity::Warning,
        file: manifest_path.clone(),
        position: None,
        path: None,
        module: None,
        message,
    };
    let note = match &merged {
        Merged::Generated(_) if !unrecorded_loss.is_empty() => Some(Diagnostic {
            position: unrecorded_loss.first().map(|(line, _)| crate::source::Position {
                line: *line,
                column: 1,
            }),
            ..note(format!(
                "there is no record of the last generation ({BASE_PATH}), so your edits cannot be told from the migration's: the regenerated manifest drops {} line(s) of this file ({}); your file is kept as {ORIG_PATH}",
                unrecorded_loss.len(),
                quote_lines(&unrecorded_loss)
            ))
        }),
        Merged::Generated(_) => None,
        Merged::WithUserEdits(_) => Some(note("your edits to manifest.yml are kept: the migration's changes since the last run are merged into them".into())),
        Merged::Conflict(_, why) => Some(note(format!("your edits to manifest.yml cannot be merged with the migration's changes: {why}; your file is kept as {ORIG_PATH}"))),
    };
    files[i].content = merged.text().to_string();
    files.push(PlannedFile {
        path: BASE_PATH.into(),
        content: generated,
        ownership: Ownership::State,
    });
    let conflict = matches!(merged, Merged::Conflict(..));
    if let (true, Some(cur)) = (conflict || !unrecorded_loss.is_empty(), current) {
        // Before the manifest, so that the copy exists once the manifest is replaced.
        files.insert(
            i,
            PlannedFile {
                path: ORIG_PATH.into(),
                content: cur.to_string(),
                ownership: Ownership::State,
            },
        );
    }
    Ok((files, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "app:\n  id: placeholder\nmodules:\n  a: 1\nscopes:\n  - read\n";

    #[test]
    fn nothing_kept_means_the_generation_wins() {
        let g = "app:\n  id: x\n";
        assert_eq!(
            manifest(g, None, Some("anything")),
            Merged::Generated(g.into())
        );
        assert_eq!(manifest(g, Some(BASE), None), Merged::Generated(g.into()));
        assert_eq!(
            manifest(g, Some(BASE), Some(BASE)),
            Merged::Generated(g.into())
        );
    }

    #[test]
    fn an_unchanged_generation_keeps_the_users_file_as_it_is() {
        let user = format!("# mine\n{BASE}extra: true\n");
        assert_eq!(
            manifest(BASE, Some(BASE), Some(&user)),
            Merged::WithUserEdits(user)
        );
    }

    #[test]
    fn a_users_file_that_no_longer_parses_is_replaced_not_kept() {
        let user = format!("{BASE}app: [\n");
        let Merged::Conflict(text, why) = manifest(BASE, Some(BASE), Some(&user)) else {
            panic!("expected a change")
        };
        assert_eq!(text, BASE);
        assert!(why.contains("does not parse"), "{why}");
    }

    #[test]
    fn both_sides_changing_different_lines_merge() {
        let generated = BASE.replace("  a: 1\n", "  a: 1\n  b: 2\n");
        let user = format!(
            "# mine\n{}",
            BASE.replace("  - read\n", "  - read\n  - storage:app\n")
        );
        let m = manifest(&generated, Some(BASE), Some(&user));
        assert_eq!(
            m.text(),
            "# mine\napp:\n  id: placeholder\nmodules:\n  a: 1\n  b: 2\nscopes:\n  - read\n  - storage:app\n"
        );
    }

    #[test]
    fn the_same_change_on_both_sides_is_not_a_conflict() {
        let both = BASE.replace("placeholder", "ari:cloud:ecosystem::app/1");
        let user = format!("{both}# note\n");
        let m = manifest(&both, Some(BASE), Some(&user));
        assert_eq!(m.text(), user);
    }

    #[test]
    fn overlapping_changes_keep_both_sides_between_git_markers() {
        let generated = BASE.replace("  a: 1\n", "  a: 2\n");
        let user = BASE.replace("  a: 1\n", "  a: 3\n");
        let Merged::Conflict(text, why) = manifest(&generated, Some(BASE), Some(&user)) else {
            panic!("expected a conflict")
        };
        // Both sides, git-style: the user's ("yours") first, then the migration's.
        assert_eq!(
            text,
            BASE.replace(
                "  a: 1\n",
                "<<<<<<< yours (manifest.yml)\n  a: 3\n=======\n  a: 2\n>>>>>>> connect2forge\n"
            )
        );
        assert!(why.contains("1 place(s), from line 4"), "{why}");
    }
}
