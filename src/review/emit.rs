//! The review's emitters: the text for people (with or without colour) and the JSON document for
//! scripts, both read from one [`Review`], as rustfmt's emitters share one `FormattedFile`. The
//! library makes the text; only the edge prints it.

use anstyle::{AnsiColor, Style};
use serde_json::Value;

use crate::review::Review;
use crate::source::is_bidi_control;

/// Text for a terminal: control characters (other than line breaks and tabs) and bidi formatting
/// characters from the input are shown as escapes, so a value cannot retitle the window, clear
/// the review being confirmed, or reorder what it shows.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\t'))
            || matches!(c, '\u{2028}' | '\u{2029}')
            || is_bidi_control(c)
    };
    if !s.chars().any(bad) {
        return s.into();
    }
    let mut escaped = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if bad(c) {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    escaped.into()
}

/// [`warnings`] with their level coloured like a linter's (yellow warnings, red errors), for a
/// stream that strips the colours where they do not belong (anstream).
pub fn warnings_coloured(review: &Review) -> String {
    let yellow = Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold();
    let red = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
    warnings(review)
        .lines()
        .map(|l| {
            let l = l.replacen(
                ": warning: ",
                &format!(": {}warning{}: ", yellow.render(), yellow.render_reset()),
                1,
            );
            let l = l.replacen(
                ": error: ",
                &format!(": {}error{}: ", red.render(), red.render_reset()),
                1,
            );
            format!("{l}\n")
        })
        .collect()
}

/// The review's warnings, one line each, as the text format shows them on stderr after the
/// review: a warning several modules share (a script or layout they all load) once, naming them
/// all; alike findings grouped with a count.
pub fn warnings(review: &Review) -> String {
    let mut merged: Vec<crate::diagnostics::Diagnostic> = Vec::new();
    for d in review.diagnostics.as_slice() {
        let same = merged.iter_mut().find(|m| {
            m.file == d.file
                && m.position == d.position
                && m.message == d.message
                && m.severity == d.severity
                && m.path == d.path
        });
        match (same, &d.module) {
            (Some(m), Some(key)) => {
                let names = m.module.get_or_insert_with(String::new);
                if !names.split("', '").any(|n| n == key) {
                    if !names.is_empty() {
                        names.push_str("', '");
                    }
                    names.push_str(key);
                }
            }
            (Some(_), None) => {}
            (None, _) => merged.push(d.clone()),
        }
    }
    // One line each (a value cannot forge a line), alike findings grouped with a count.
    let mut lines = String::new();
    for w in crate::error::grouped_lines(&merged) {
        lines.push_str(&crate::error::one_line(&w));
        lines.push('\n');
    }
    lines
}

/// What the text review shows of the files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Diffs {
    /// Every changed file's diff, but new files the vendor does not read line by line (the
    /// scaffold's generated files, the compatibility layer, copied page files) as one line per
    /// resource folder.
    #[default]
    Summary,
    /// Every diff in full (`--diff all`).
    All,
}

/// The review as text with the default [`Diffs::Summary`], unwrapped; see [`text_with`].
pub fn text(review: &Review, colour: bool) -> String {
    text_with(review, colour, Diffs::Summary, None)
}

/// Lines longer than `width` wrapped at spaces, each continuation indented under its line's
/// text (ANSI colours and wide characters counted as a terminal shows them); `None` leaves the
/// text as it is.
pub fn wrap(text: &str, width: Option<usize>) -> String {
    let Some(width) = width.filter(|w| *w >= 40) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        if textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let lead = body.len() - body.trim_start().len();
        let indent = format!("{}    ", &body[..lead]);
        let options = textwrap::Options::new(width)
            .subsequent_indent(&indent)
            .break_words(false);
        out.push_str(&textwrap::fill(body, options));
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// The review as text: header, the diffs ([`Diffs`]), kept files, the summary line, then the
/// to-do list; `colour` adds ANSI styles (the caller decides, from `--color` and the stream);
/// `width` wraps everything but the diffs to a terminal's width.
pub fn text_with(review: &Review, colour: bool, diffs: Diffs, width: Option<usize>) -> String {
    let code = |s: Style| match colour {
        true => (s.render().to_string(), s.render_reset().to_string()),
        false => (String::new(), String::new()),
    };
    let bold = code(Style::new().bold());
    let add = code(Style::new().fg_color(Some(AnsiColor::Green.into())));
    let del = code(Style::new().fg_color(Some(AnsiColor::Red.into())));
    let hunk = code(Style::new().fg_color(Some(AnsiColor::Cyan.into())));
    let plain = code(Style::new());
    let mut out = String::new();
    let header = printable(&review.header()).into_owned();
    let header = match colour {
        // The AP call report's support levels, coloured like a linter's levels.
        true => header
            .lines()
            .map(|l| {
                let level = |word: &str, s: Style| {
                    l.replacen(
                        word,
                        &format!("  {}{}{}", s.render(), word.trim_start(), s.render_reset()),
                        1,
                    )
                };
                if l.contains("  AP.") && l.contains("  unsupported") {
                    level(
                        "  unsupported",
                        Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
                    )
                } else if l.contains("  AP.") && l.contains("  differs") {
                    level(
                        "  differs",
                        Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
                    )
                } else {
                    l.to_string()
                }
            })
            .map(|l| format!("{l}\n"))
            .collect(),
        false => header,
    };
    out.push_str(&wrap(&header, width));
    let collapsed = |c: &crate::review::plan::FileChange| {
        diffs == Diffs::Summary
            && c.status == crate::review::plan::Status::Create
            && c.file.ownership == crate::output::Ownership::Scaffold
    };
    for c in &review.plan.changes {
        if c.diff.is_empty() || collapsed(c) {
            continue;
        }
        out.push('\n');
        if let Some((origin, lines)) = review.copied_from(&c.file.path) {
            if c.status == crate::review::plan::Status::Create {
                let line = format!("{}: copied from {origin}, {lines} lines", c.file.path);
                out.push_str(&bold.0);
                out.push_str(&printable(&line));
                out.push_str(&bold.1);
                out.push('\n');
                continue;
            }
        }
        for line in c.diff.text.lines() {
            let (on, off) = if line.starts_with("+++") || line.starts_with("---") {
                &bold
            } else if line.starts_with('+') {
                &add
            } else if line.starts_with('-') {
                &del
            } else if line.starts_with("@@") {
                &hunk
            } else {
                &plain
            };
            out.push_str(on);
            out.push_str(&printable(line));
            out.push_str(off);
            out.push('\n');
        }
    }
    let folders = new_folders(review, &collapsed);
    if !folders.is_empty() {
        out.push_str("\nNew files, not shown line by line (--diff all shows them):\n");
        for f in folders {
            out.push_str(&wrap(&printable(&f), width));
            out.push('\n');
        }
    }
    let kept = review.kept();
    if !kept.is_empty() {
        out.push('\n');
        out.push_str(&kept);
    }
    out.push('\n');
    out.push_str(&bold.0);
    out.push_str(&review.summary_line());
    out.push_str(&bold.1);
    out.push('\n');
    out.push_str(&wrap(&printable(&todo_text(review, colour)), width));
    out
}

/// One line per scaffold folder whose new files are collapsed: how many, and what they are.
fn new_folders(
    review: &Review,
    collapsed: &dyn Fn(&crate::review::plan::FileChange) -> bool,
) -> Vec<String> {
    let mut folders: Vec<(String, Vec<&crate::review::plan::FileChange>)> = Vec::new();
    for c in review.plan.changes.iter().filter(|c| collapsed(c)) {
        let path = &c.file.path;
        let folder = match path.strip_prefix("static/").and_then(|r| r.split_once('/')) {
            Some((name, _)) => format!("static/{name}/"),
            None => path
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| format!("{d}/")),
        };
        match folders.iter_mut().find(|(f, _)| *f == folder) {
            Some((_, files)) => files.push(c),
            None => folders.push((folder, vec![c])),
        }
    }
    folders
        .into_iter()
        .map(|(folder, files)| {
            let lines: usize = files.iter().map(|c| c.file.content.lines().count()).sum();
            let mut compat = 0;
            let mut copied = 0;
            let mut binaries = 0;
            let mut own: Vec<&str> = Vec::new();
            for c in &files {
                let rel = c.file.path.strip_prefix(&folder).unwrap_or(&c.file.path);
                // A page of a module with subpages has its layer in its own folder.
                let in_page = rel
                    .strip_prefix("pages/")
                    .and_then(|r| r.split_once('/'))
                    .map_or(rel, |(_, r)| r);
                if in_page.starts_with("src/connect-compat") {
                    compat += 1;
                } else if review.copied_from(&c.file.path).is_some() {
                    copied += 1;
                } else if c.file.bytes.is_some() {
                    binaries += 1;
                } else {
                    own.push(rel);
                }
            }
            let mut parts: Vec<String> = own.iter().map(|s| s.to_string()).collect();
            if compat > 0 {
                parts.push(format!("the compatibility layer ({compat} files)"));
            }
            if copied > 0 {
                parts.push(format!("{copied} page file(s) copied from the app"));
            }
            if binaries > 0 {
                parts.push(format!(
                    "{binaries} image(s), font(s) and media file(s) copied from the app"
                ));
            }
            format!(
                "  {folder}: {} new files, {lines} lines: {}",
                files.len(),
                parts.join(", ")
            )
        })
        .collect()
}

/// The to-do list, numbered, with its counts and each item's place and link.
pub fn todo_text(review: &Review, colour: bool) -> String {
    let t = crate::review::todo::todo(review);
    if t.is_empty() {
        return String::new();
    }
    let style = |s: Style, text: &str| match colour {
        true => format!("{}{text}{}", s.render(), s.render_reset()),
        false => text.to_string(),
    };
    let red = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
    let yellow = Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold();
    let [ok, differs, unsupported] = t.calls;
    let mut s = format!("\nTo do ({} items", t.len());
    if ok + differs + unsupported > 0 {
        s.push_str(&format!(
            "; AP calls: {ok} supported, {differs} differ, {unsupported} unsupported"
        ));
    }
    s.push_str("):\n");
    let mut n = 0;
    let mut line = |s: &mut String, item: &crate::review::todo::TodoItem| {
        n += 1;
        let label = match item.id {
            "unsupported-call" => style(red, "unsupported"),
            "differs-call" => style(yellow, "differs"),
            "port-warning" => style(yellow, "warning"),
            _ => String::new(),
        };
        let label = if label.is_empty() {
            label
        } else {
            format!("{label}: ")
        };
        let place = item
            .place
            .as_ref()
            .map(|p| format!("{p}: "))
            .unwrap_or_default();
        s.push_str(&format!("  [ ] {n}. {place}{label}{}", item.text));
        if let Some(l) = item.link {
            s.push_str(&format!(" ({l})"));
        }
        s.push('\n');
    };
    for item in &t.before {
        line(&mut s, item);
    }
    for (key, items) in &t.modules {
        s.push_str(&format!("  {key}:\n"));
        for item in items {
            line(&mut s, item);
        }
    }
    for item in &t.after {
        line(&mut s, item);
    }
    s
}

/// The run's last line: what happened to the files (a dry run wrote nothing; `--check` says
/// whether anything would change and how to write it).
pub fn closing(review: &Review, check: bool, command: &str) -> String {
    let s = review.plan.summary();
    let pending = s.created + s.changed + s.conflict;
    match (check, pending) {
        (true, 0) => format!(
            "Up to date: {} matches the Connect app.",
            review.plan.out_dir.display()
        ),
        (true, n) => format!("{n} file(s) would change: run `{command} --yes` to write them."),
        (false, _) => "Nothing was written (dry run): run again without --dry-run to write.".into(),
    }
}

/// The review as one JSON document (`--format json`).
pub fn json(review: &Review) -> Value {
    review.json()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn strip(bytes: &[u8]) -> Vec<u8> {
        let mut s = anstream::StripStream::new(Vec::new());
        s.write_all(bytes).unwrap();
        s.into_inner()
    }

    #[test]
    fn the_review_without_colour_is_the_stripped_review() {
        let dir = tempfile::tempdir().unwrap();
        let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/atlassian-connect.json");
        let options = crate::migration::Options::new(crate::migration::Input::Path(example))
            .out(dir.path().join("out"));
        let prepared = crate::Migration::prepare(&options).unwrap();
        let (styled, plain) = (
            text(prepared.review(), true),
            text(prepared.review(), false),
        );
        assert!(styled.contains("\x1b[32m+"));
        assert!(!plain.contains('\x1b'));
        assert_eq!(strip(styled.as_bytes()), plain.as_bytes());
    }

    #[test]
    fn prose_wraps_under_its_text_and_colours_do_not_count() {
        let line = format!(
            "  [ ] 3. {}unsupported{}: AP.context.getToken has no Forge equivalent: call the backend with invokeRemote\n",
            "\u{1b}[31m", "\u{1b}[0m"
        );
        let wrapped = wrap(&line, Some(60));
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines.len() > 1, "{wrapped}");
        assert!(
            lines[1].starts_with("      "),
            "continuations indent: {wrapped}"
        );
        for l in &lines {
            assert!(textwrap::core::display_width(l) <= 60, "{l}");
        }
        // No width (a pipe): as it was.
        assert_eq!(wrap(&line, None), line);
        // A short line stays one line.
        assert_eq!(wrap("short\n", Some(60)), "short\n");
    }

    #[test]
    fn a_warning_several_modules_share_is_said_once_naming_them_all() {
        let dir = tempfile::tempdir().unwrap();
        let ace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/ace-app/atlassian-connect.json");
        let options = crate::migration::Options::new(crate::migration::Input::Path(ace))
            .out(dir.path().join("out"));
        let prepared = crate::Migration::prepare(&options).unwrap();
        let text = warnings(prepared.review());
        // The layout all three pages use has one warning, not three.
        let layout: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("layout.hbs:8:3"))
            .collect();
        assert_eq!(layout.len(), 1, "{text}");
        assert!(
            layout[0].contains("'issue-watcher', 'team-dashboard-refresh', 'watcher-panel'"),
            "{text}"
        );
    }

    #[test]
    fn printable_escapes_controls_and_bidi_only() {
        assert!(matches!(
            printable("plain ascii\twith tab"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(printable("é → ü"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("x\u{202e}y\r\u{85}"), "x\\u{202e}y\\u{d}\\u{85}");
        assert_eq!(printable("del\u{7f}"), "del\\u{7f}");
    }
}
