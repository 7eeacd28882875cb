//! Keeping the vendor's edits to generated files across runs.
//!
//! For every file a run generates (the manifest, and every file of every scaffold folder) there
//! are three texts: what the last run generated (the base, from [`crate::record`]), what this run
//! generates, and the file on disk. [`decide`] settles each file:
//!
//! - the file on disk is the base (the vendor never touched it): it takes the new generation, so
//!   a changed template, a changed source script or a page that now loads one more script reaches
//!   it (shown as a change);
//! - the generation did not change: the vendor's file is kept as it is;
//! - both changed: a 3-way line merge (the approach of copier's `update`). Where both touch the
//!   same lines, both sides are written between git-style markers (`<<<<<<< yours (PATH)` /
//!   `=======` / `>>>>>>> connect2forge`, the vendor's text first, as git puts the work tree's),
//!   and the vendor's file is first kept as `.connect2forge/PATH.orig`: a line of theirs is never
//!   lost, and the change needs confirmation like any other;
//! - a file that still holds markers this tool wrote is not touched until they are resolved, and
//!   is a pending item (`--check` exits 1);
//! - without a base (a folder written before the record existed, or the record lost): the
//!   manifest is regenerated with the lines it drops named and a copy kept; a scaffold file that
//!   differs is kept as the vendor's.
//!
//! Texts are compared and merged with LF line endings; a file the vendor keeps in CRLF is
//! written back in CRLF. Merged YAML and JSON must parse, or the merge counts as a conflict.

use crate::output::Ownership;
use crate::record;

/// How many dropped lines a warning quotes (the diff shows them all).
const QUOTED_LINES: usize = 5;

/// The first line of a conflict in `path`: the vendor's side follows.
pub fn conflict_start(path: &str) -> String {
    format!("<<<<<<< yours ({path})")
}

/// The start of every conflict's first line, whatever the file.
const CONFLICT_START_PREFIX: &str = "<<<<<<< yours (";

/// The last line of a conflict: the migration's side precedes it.
pub const CONFLICT_END: &str = ">>>>>>> connect2forge";

/// The 1-based lines of `text` that open a conflict this tool wrote (`<<<<<<< yours (…)` with a
/// `>>>>>>> connect2forge` after it).
pub fn unresolved_conflicts(text: &str) -> Vec<usize> {
    if !text.contains(CONFLICT_START_PREFIX) {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut open: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.starts_with(CONFLICT_START_PREFIX) && line.ends_with(')') {
            open = Some(i + 1);
        } else if line == CONFLICT_END {
            if let Some(start) = open.take() {
                found.push(start);
            }
        }
    }
    found
}

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

/// The outcome of a 3-way merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// The new generation as it is (nothing on disk, or no edits of the vendor's to keep).
    Generated(String),
    /// The vendor's file with the generation's changes applied (or unchanged, when the
    /// generation did not change).
    WithUserEdits(String),
    /// The edits could not be merged cleanly: the text to write (both sides of each conflict
    /// between git-style markers; the generation where a merge would not parse), and why.
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

/// Why a text of `path`'s format does not parse (YAML for `.yml`/`.yaml`, JSON for `.json`;
/// other formats are not checked).
fn parse_error(path: &str, text: &str) -> Option<String> {
    let flat = |e: String| e.replace('\n', " ");
    if path.ends_with(".yml") || path.ends_with(".yaml") {
        return serde_yaml::from_str::<serde_yaml::Value>(text)
            .err()
            .map(|e| flat(e.to_string()));
    }
    if path.ends_with(".json") {
        return serde_json::from_str::<serde_json::Value>(text)
            .err()
            .map(|e| flat(e.to_string()));
    }
    None
}

/// The format a parse error is about, for messages.
fn format_name(path: &str) -> &'static str {
    if path.ends_with(".json") {
        "JSON"
    } else {
        "YAML"
    }
}

/// Decides the new content of `path` from the last generation (`base`, if recorded), the file on
/// disk (`current`, if any) and the new generation, all with LF line endings.
pub fn merge(path: &str, generated: &str, base: Option<&str>, current: Option<&str>) -> Merged {
    let (Some(base), Some(current)) = (base, current) else {
        return Merged::Generated(generated.to_string());
    };
    if current == base {
        return Merged::Generated(generated.to_string());
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    if generated == base {
        // Kept as it is only if it still parses: a file that no longer does (a bad hand edit)
        // is not "up to date" but a change to review.
        return match parse_error(path, current) {
            None => Merged::WithUserEdits(current.to_string()),
            Some(e) => Merged::Conflict(
                generated.to_string(),
                format!(
                    "your {name} does not parse as {} ({e}), so the review shows the regenerated {name} replacing it",
                    format_name(path)
                ),
            ),
        };
    }
    // The vendor's text is "ours" (as in git, where the file in the work tree is ours): the
    // conflict markers say `yours` and `connect2forge`, and every marker starts a line.
    let mut options = diffy::MergeOptions::new();
    options
        .set_conflict_style(diffy::ConflictStyle::Merge)
        .set_incomplete_hunk_style(diffy::IncompleteHunkStyle::Git);
    match options.merge(base, current, generated) {
        // A line merge can still produce text that no longer parses (an indentation change on
        // one side): that is a conflict too; the generation is shown replacing the file.
        Ok(merged) => match parse_error(path, &merged) {
            None => Merged::WithUserEdits(merged),
            Some(e) => Merged::Conflict(
                generated.to_string(),
                format!(
                    "merging them gives {} that does not parse ({e}); the review shows the regenerated {name} replacing yours",
                    format_name(path)
                ),
            ),
        },
        Err(with_markers) => {
            let start = conflict_start(path);
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
                        marked.push_str(&start);
                    }
                    ">>>>>>> theirs" => marked.push_str(CONFLICT_END),
                    _ => marked.push_str(text),
                }
                marked.push_str(end);
            }
            Merged::Conflict(
                marked,
                format!(
                    "they change the same lines at {conflicts} place(s), from line {}: both sides are written into {name} between git-style markers ({start}, =======, {CONFLICT_END}); resolve them before `forge deploy`",
                    first.unwrap_or(1)
                ),
            )
        }
    }
}

/// The file on disk, as [`decide`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Current {
    /// UTF-8 text.
    Text(String),
    /// Not UTF-8 (its length in bytes): it cannot be merged.
    NotText(usize),
}

/// Why a file the run generates is left as it is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptWhy {
    /// The vendor edited it, and the generation has not changed since the last run.
    Edited,
    /// It differs from the generation, and nothing recorded says what an earlier run generated.
    Unrecorded,
    /// It is not UTF-8 text.
    NotText,
}

impl KeptWhy {
    /// The review's words for it.
    pub fn says(self) -> &'static str {
        match self {
            KeptWhy::Edited => "your edits; the generation has not changed since the last run",
            KeptWhy::Unrecorded => "it differs from the generation, and .connect2forge/ has no record of what an earlier run generated, so your edits cannot be told from an older template: taken as yours, not regenerated; delete it to have it created again",
            KeptWhy::NotText => "it is not UTF-8 text: taken as yours, not regenerated",
        }
    }
}

/// What the run does to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The file should hold this text (created, changed, or already so).
    Write(String),
    /// The file stays as it is on disk.
    Kept(KeptWhy),
    /// The file holds conflict markers this tool wrote, at these lines: left as it is, and
    /// pending until they are resolved.
    Conflicted(Vec<usize>),
}

/// What the record keeps for a file after the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordAs {
    /// This run's generation (the file holds it, or a merge of it).
    Generation,
    /// What the last run recorded (the file was not brought up to this generation).
    Previous,
    /// Nothing (no generation of this tool's is known to be in the file).
    Nothing,
}

/// How [`decide`] settles one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// What happens to it.
    pub outcome: Outcome,
    /// A warning for the review (message, and the line it concerns).
    pub note: Option<(String, Option<usize>)>,
    /// Whether the vendor's file is copied to `.connect2forge/PATH.orig` before it is written.
    pub keep_copy: bool,
    /// What the record keeps for it.
    pub record: RecordAs,
}

impl Decision {
    fn write(text: String) -> Self {
        Self {
            outcome: Outcome::Write(text),
            note: None,
            keep_copy: false,
            record: RecordAs::Generation,
        }
    }

    fn kept(why: KeptWhy, record: RecordAs) -> Self {
        Self {
            outcome: Outcome::Kept(why),
            note: None,
            keep_copy: false,
            record,
        }
    }
}

/// Whether a text's lines end in CRLF (every line break is one).
fn is_crlf(text: &str) -> bool {
    let crlf = text.matches("\r\n").count();
    crlf > 0 && crlf == text.matches('\n').count()
}

/// `text` (LF) in the line-ending style of `like`.
fn styled_like(text: String, like: &str) -> String {
    match is_crlf(like) {
        true => record::lf(&text).replace('\n', "\r\n"),
        false => text,
    }
}

/// Settles one generated file. `path` is relative to `--out` (it names the file in messages and
/// conflict markers); `base` is what the last run generated for it, if recorded.
pub fn decide(
    path: &str,
    ownership: Ownership,
    generated: &str,
    base: Option<&str>,
    current: Option<&Current>,
) -> Decision {
    let name = path.rsplit('/').next().unwrap_or(path);
    let current = match current {
        None => return Decision::write(generated.to_string()),
        Some(Current::Text(c)) => c,
        // Content that is not UTF-8 gives no merge: the manifest is shown being replaced, a
        // scaffold file is the vendor's.
        Some(Current::NotText(_)) => {
            return match ownership {
                Ownership::Managed | Ownership::State => Decision::write(generated.to_string()),
                Ownership::Scaffold => Decision::kept(KeptWhy::NotText, RecordAs::Previous),
            }
        }
    };
    let (c, g) = (record::lf(current), record::lf(generated));
    if c == g {
        // The same text (maybe in the vendor's line endings): nothing to write.
        return Decision::write(current.clone());
    }
    let lines = unresolved_conflicts(current);
    if let Some(first) = lines.first() {
        return Decision {
            outcome: Outcome::Conflicted(lines.clone()),
            note: Some((
                format!(
                    "{path} still holds {} conflict(s) that connect2forge marked, from line {first} ({}, =======, {CONFLICT_END}): keep your side, the migration's or both, delete the marker lines, and run again; until then the file is left as it is",
                    lines.len(),
                    conflict_start(path)
                ),
                Some(*first),
            )),
            keep_copy: false,
            record: RecordAs::Previous,
        };
    }
    let Some(base) = base else {
        if ownership == Ownership::Scaffold {
            return Decision::kept(KeptWhy::Unrecorded, RecordAs::Nothing);
        }
        // Without the record, the vendor's edits cannot be told from an older generation:
        // every line the new generation drops may be theirs. Say which, and keep a copy.
        let lost = dropped_lines(&c, &g);
        let mut d = Decision::write(styled_like(g.into_owned(), current));
        if !lost.is_empty() {
            d.note = Some((
                format!(
                    "there is no record of the last generation ({}), so your edits cannot be told from the migration's: the regenerated {name} drops {} line(s) of this file ({}); your file is kept as {}",
                    record::RECORD_PATH,
                    lost.len(),
                    quote_lines(&lost),
                    record::orig_path(path)
                ),
                lost.first().map(|(l, _)| *l),
            ));
            d.keep_copy = true;
        }
        return d;
    };
    let b = record::lf(base);
    if c == b {
        // Untouched since the last run: the new generation replaces it.
        return Decision::write(styled_like(g.into_owned(), current));
    }
    match merge(path, &g, Some(&b), Some(&c)) {
        Merged::Generated(text) => Decision::write(styled_like(text, current)),
        // The generation did not change, or the vendor already made its change.
        Merged::WithUserEdits(text) if text == *c => {
            Decision::kept(KeptWhy::Edited, RecordAs::Generation)
        }
        Merged::WithUserEdits(text) => Decision {
            note: Some((
                format!("your edits to {name} are kept: the migration's changes since the last run are merged into them"),
                None,
            )),
            ..Decision::write(styled_like(text, current))
        },
        Merged::Conflict(text, why) => Decision {
            note: Some((
                format!(
                    "your edits to {name} cannot be merged with the migration's changes: {why}; your file is kept as {}",
                    record::orig_path(path)
                ),
                None,
            )),
            keep_copy: true,
            ..Decision::write(styled_like(text, current))
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "app:\n  id: placeholder\nmodules:\n  a: 1\nscopes:\n  - read\n";

    fn manifest(g: &str, base: Option<&str>, current: Option<&str>) -> Merged {
        merge("manifest.yml", g, base, current)
    }

    fn text(s: &str) -> Current {
        Current::Text(s.to_string())
    }

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
        assert_eq!(unresolved_conflicts(&text), [4]);
    }

    #[test]
    fn an_untouched_scaffold_file_takes_the_new_generation() {
        let d = decide(
            "static/a/index.html",
            Ownership::Scaffold,
            "<p>new</p>\n",
            Some("<p>old</p>\n"),
            Some(&text("<p>old</p>\n")),
        );
        assert_eq!(d.outcome, Outcome::Write("<p>new</p>\n".into()));
        assert_eq!(d.record, RecordAs::Generation);
        assert!(d.note.is_none() && !d.keep_copy);
    }

    #[test]
    fn an_edited_scaffold_file_gets_the_generations_changes_merged_in() {
        let base = "a\nb\nc\nd\ne\n";
        let generated = "a\nb\nc\nd\ne\nf\n";
        let mine = "a (mine)\nb\nc\nd\ne\n";
        let d = decide(
            "static/a/src/main.js",
            Ownership::Scaffold,
            generated,
            Some(base),
            Some(&text(mine)),
        );
        assert_eq!(
            d.outcome,
            Outcome::Write("a (mine)\nb\nc\nd\ne\nf\n".into())
        );
        assert!(d.note.unwrap().0.contains("your edits to main.js are kept"));
        // Unchanged generation: kept as it is.
        let d = decide(
            "static/a/src/main.js",
            Ownership::Scaffold,
            base,
            Some(base),
            Some(&text(mine)),
        );
        assert_eq!(d.outcome, Outcome::Kept(KeptWhy::Edited));
    }

    #[test]
    fn conflicting_edits_to_a_script_are_marked_with_its_path_and_a_copy_is_kept() {
        let d = decide(
            "static/a/page/x.js",
            Ownership::Scaffold,
            "let a = 2;\n",
            Some("let a = 1;\n"),
            Some(&text("let a = 3;\n")),
        );
        let Outcome::Write(t) = &d.outcome else {
            panic!("{d:?}")
        };
        assert_eq!(
            t,
            "<<<<<<< yours (static/a/page/x.js)\nlet a = 3;\n=======\nlet a = 2;\n>>>>>>> connect2forge\n"
        );
        assert!(d.keep_copy);
        // Run again before resolving: left alone, and said so.
        let d = decide(
            "static/a/page/x.js",
            Ownership::Scaffold,
            "let a = 2;\n",
            Some("let a = 2;\n"),
            Some(&text(t)),
        );
        assert_eq!(d.outcome, Outcome::Conflicted(vec![1]));
        assert_eq!(d.record, RecordAs::Previous);
        assert!(d.note.unwrap().0.contains("still holds 1 conflict(s)"));
    }

    #[test]
    fn without_a_record_a_differing_scaffold_file_is_the_vendors() {
        let d = decide(
            "static/a/index.html",
            Ownership::Scaffold,
            "new\n",
            None,
            Some(&text("old\n")),
        );
        assert_eq!(d.outcome, Outcome::Kept(KeptWhy::Unrecorded));
        assert_eq!(d.record, RecordAs::Nothing);
    }

    #[test]
    fn crlf_files_are_compared_and_written_back_in_crlf() {
        // A Windows checkout turned the untouched file into CRLF: still untouched.
        let d = decide(
            "static/a/index.html",
            Ownership::Scaffold,
            "a\nb\n",
            Some("a\n"),
            Some(&text("a\r\n")),
        );
        assert_eq!(d.outcome, Outcome::Write("a\r\nb\r\n".into()));
        let d = decide(
            "static/a/index.html",
            Ownership::Scaffold,
            "a\nb\n",
            Some("a\nb\n"),
            Some(&text("a\r\nb\r\n")),
        );
        assert_eq!(d.outcome, Outcome::Write("a\r\nb\r\n".into()));
    }
}
