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

/// The review's warnings, one line each, as the text format shows them on stderr.
pub fn warnings(review: &Review) -> String {
    // One line each (a value cannot forge a line), alike findings grouped with a count.
    let mut lines = String::new();
    for w in crate::error::grouped_lines(review.diagnostics.as_slice()) {
        lines.push_str(&crate::error::one_line(&w));
        lines.push('\n');
    }
    lines
}

/// The review as text: header, the diff of every changed file, kept files, next steps and the
/// summary line; `colour` adds ANSI styles (the caller decides, from `--color` and the stream).
pub fn text(review: &Review, colour: bool) -> String {
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
    out.push_str(&printable(&review.header()));
    for c in &review.plan.changes {
        if c.diff.is_empty() {
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
    let kept = review.kept();
    if !kept.is_empty() {
        out.push('\n');
        out.push_str(&kept);
    }
    out.push_str(&printable(&review.next_steps()));
    out.push('\n');
    out.push_str(&bold.0);
    out.push_str(&review.summary_line());
    out.push_str(&bold.1);
    out.push('\n');
    out
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
