//! `--format junit`: the review as a JUnit XML report, the test-report format CI servers
//! (GitLab, Jenkins, Azure Pipelines, CircleCI, test-reporter actions) show beside a change.
//!
//! Two kinds of suites:
//! - one per file the findings are about (the descriptor, a page's script): a test case per
//!   warning, failed with the warning (`<failure type="warning">`), or per input error
//!   (`<error type="error">`, when the input was refused); `file` and `line` attributes give the
//!   place. A review without findings has one passing case for its input.
//! - `files: OUT`: a test case per planned file. With `--check` a file that would be created or
//!   changed fails, with its diff; otherwise every case passes and says what the run does to it.
//!
//! Written with quick-xml (which escapes `<`, `&`, quotes); characters XML cannot hold at all
//! are shown as `\u{..}` first ([`ci::xml_safe`]).

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::diagnostics::{Diagnostic, Severity};
use crate::output::Ownership;
use crate::review::ci;
use crate::review::emit::printable;
use crate::review::plan::{FileChange, Status};
use crate::review::Review;

/// The report of a review. `check`: pending files are failures (`--check`).
pub fn review(review: &Review, check: bool) -> String {
    let files: Vec<&FileChange> = review
        .plan
        .changes
        .iter()
        .filter(|c| c.file.ownership != Ownership::State)
        .collect();
    let out = review.plan.out_dir.display().to_string();
    document(
        review.diagnostics.as_slice(),
        &review.input,
        Some((&out, &files, check)),
    )
}

/// The report of a run stopped by bad input: its errors.
pub fn errors(diags: &[Diagnostic]) -> String {
    let input = diags.first().map_or("input", |d| d.file.as_str());
    document(diags, input, None)
}

type Files<'a> = (&'a str, &'a [&'a FileChange], bool);

fn document(diags: &[Diagnostic], input: &str, files: Option<Files>) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail.
    let _ = write(&mut w, diags, input, files);
    let mut xml = w.into_inner();
    xml.push(b'\n');
    String::from_utf8(xml).unwrap_or_default()
}

fn write<W: Write>(
    w: &mut Writer<W>,
    diags: &[Diagnostic],
    input: &str,
    files: Option<Files>,
) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    // The findings, grouped by file in order of first mention.
    let mut by_file: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in diags {
        match by_file.iter_mut().find(|(f, _)| *f == d.file) {
            Some((_, list)) => list.push(d),
            None => by_file.push((&d.file, vec![d])),
        }
    }
    let pending = |c: &FileChange| matches!(c.status, Status::Create | Status::Change);
    let file_failures = files.map_or(0, |(_, list, check)| match check {
        true => list.iter().filter(|c| pending(c)).count(),
        false => 0,
    });
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let tests = diags.len().max(1) + files.map_or(0, |(_, list, _)| list.len());
    let failures = diags.len() - errors + file_failures;
    w.create_element("testsuites")
        .with_attribute(("name", "connect2forge"))
        .with_attribute(("tests", tests.to_string().as_str()))
        .with_attribute(("failures", failures.to_string().as_str()))
        .with_attribute(("errors", errors.to_string().as_str()))
        .write_inner_content(|w| {
            if by_file.is_empty() {
                suite(w, input, 1, 0, 0, |w| {
                    case(w, "connect2forge", &format!("{input}: no warnings"), None)
                        .write_empty()
                        .map(drop)
                })?;
            }
            for (file, list) in &by_file {
                let errors = list
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                suite(w, file, list.len(), list.len() - errors, errors, |w| {
                    list.iter().try_for_each(|d| finding(w, d))
                })?;
            }
            if let Some((out, list, check)) = files {
                let failed = match check {
                    true => list.iter().filter(|c| pending(c)).count(),
                    false => 0,
                };
                let name = format!("files: {out}");
                suite(w, &name, list.len(), failed, 0, |w| {
                    list.iter().try_for_each(|c| file_case(w, out, c, check))
                })?;
            }
            Ok(())
        })?;
    Ok(())
}

fn suite<W: Write>(
    w: &mut Writer<W>,
    name: &str,
    tests: usize,
    failures: usize,
    errors: usize,
    inner: impl FnOnce(&mut Writer<W>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    w.create_element("testsuite")
        .with_attribute(("name", ci::xml_safe(&printable(name)).as_ref()))
        .with_attribute(("tests", tests.to_string().as_str()))
        .with_attribute(("failures", failures.to_string().as_str()))
        .with_attribute(("errors", errors.to_string().as_str()))
        .with_attribute(("time", "0"))
        .write_inner_content(inner)
        .map(drop)
}

/// A `<testcase>` start: `file` (and `line`) are the place CI servers link to.
fn case<'a, W: Write>(
    w: &'a mut Writer<W>,
    classname: &str,
    name: &str,
    place: Option<(&str, Option<usize>)>,
) -> quick_xml::writer::ElementWriter<'a, W> {
    let mut e = w
        .create_element("testcase")
        .with_attribute(("classname", ci::xml_safe(&printable(classname)).as_ref()))
        .with_attribute(("name", ci::xml_safe(&printable(name)).as_ref()))
        .with_attribute(("time", "0"));
    if let Some((file, line)) = place {
        e = e.with_attribute(("file", ci::xml_safe(&printable(file)).as_ref()));
        if let Some(line) = line {
            e = e.with_attribute(("line", line.to_string().as_str()));
        }
    }
    e
}

fn finding<W: Write>(w: &mut Writer<W>, d: &Diagnostic) -> std::io::Result<()> {
    let at = d
        .position
        .map(|p| format!(":{}:{}", p.line, p.column))
        .unwrap_or_default();
    let name = format!("{}{at}", d.file);
    let (element, kind) = match d.severity {
        Severity::Error => ("error", "error"),
        Severity::Warning => ("failure", "warning"),
    };
    let message = ci::message(d);
    let line = crate::error::one_line(&d.to_line()).into_owned();
    case(
        w,
        ci::rule(d).id,
        &name,
        Some((&d.file, d.position.map(|p| p.line))),
    )
    .write_inner_content(|w| {
        w.create_element(element)
            .with_attribute(("type", kind))
            .with_attribute(("message", ci::xml_safe(&message).as_ref()))
            .write_text_content(BytesText::new(&ci::xml_safe(&line)))
            .map(drop)
    })
    .map(drop)
}

fn file_case<W: Write>(
    w: &mut Writer<W>,
    out: &str,
    c: &FileChange,
    check: bool,
) -> std::io::Result<()> {
    let path = format!("{out}/{}", c.file.path);
    let said = match c.status {
        Status::Create => "would be created",
        Status::Change => "would change",
        Status::Unchanged => "up to date",
        Status::Kept => "kept: it exists and is yours (not regenerated)",
        Status::Conflict => "has unresolved conflict markers: resolve them, then run again",
    };
    let e = case(w, out, &c.file.path, Some((&path, None)));
    let failed = check && matches!(c.status, Status::Create | Status::Change | Status::Conflict);
    if failed {
        let body = match c.status {
            Status::Create => format!(
                "{path} would be created ({} lines)",
                c.file.content.lines().count()
            ),
            _ => printable(&c.diff.text).into_owned(),
        };
        return e
            .write_inner_content(|w| {
                w.create_element("failure")
                    .with_attribute(("type", "pending"))
                    .with_attribute(("message", said))
                    .write_text_content(BytesText::new(&ci::xml_safe(&body)))
                    .map(drop)
            })
            .map(drop);
    }
    e.write_inner_content(|w| {
        w.create_element("system-out")
            .write_text_content(BytesText::new(said))
            .map(drop)
    })
    .map(drop)
}
