//! What the CI emitters ([`sarif`](super::sarif), [`junit`](super::junit),
//! [`github`](super::github)) share: a diagnostic's rule, its message as one line, and its path
//! as a CI service wants it (relative to the repository, `/`-separated).
//!
//! Every finding these formats report is a [`Diagnostic`] of the review (or of the input error
//! that stopped the run), with the place it already has: file:line:column, 1-based, columns in
//! characters. Nothing here prints or reads the environment: the edge passes the folders in.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::error::one_line;

/// A rule of the CI formats: what a kind of finding is, for code scanning's rule list and
/// JUnit's class names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier.
    pub id: &'static str,
    /// One sentence on what the rule reports.
    pub description: &'static str,
}

/// The rule of a diagnostic: its code ([`crate::codes`]), with the code's name and what to do.
pub fn rule(d: &Diagnostic) -> Rule {
    let code = crate::codes::of(d);
    Rule {
        id: code.id,
        description: code.explanation,
    }
}

/// The message as one line, with the module and JSON path it concerns in front
/// (`module 'k' ($.modules.x[0]): ...`), as the text review shows it after the place.
pub fn message(d: &Diagnostic) -> String {
    let about = match (&d.module, &d.path) {
        (Some(m), Some(p)) => format!("module '{m}' ({p}): "),
        (Some(m), None) => format!("module '{m}': "),
        (None, Some(p)) => format!("{p}: "),
        (None, None) => String::new(),
    };
    one_line(&format!("{about}{}", d.message)).into_owned()
}

/// `path` (as a diagnostic names it: relative to `cwd`, or absolute) relative to `base`, with
/// `/` separators and no `.`/`..`; `None` when it is not inside `base` (or is not a file path,
/// like `<stdin>`).
pub fn relative_to(path: &str, cwd: &Path, base: &Path) -> Option<String> {
    if path.starts_with('<') {
        return None;
    }
    let absolute = normalize(&cwd.join(path));
    let rel = absolute.strip_prefix(normalize(base)).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `path` with `.` dropped and `..` taken lexically (no file system access: the file may not
/// exist, and a symlink is named as the user named it).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Text that XML 1.0 can hold: characters it forbids even as references (controls other than
/// tab and line breaks, U+FFFE, U+FFFF) are written as `\u{..}` escapes.
pub fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if !s.chars().any(bad) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match bad(c) {
            true => out.extend(c.escape_unicode()),
            false => out.push(c),
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_base_with_slashes() {
        let cwd = Path::new("/repo/app");
        assert_eq!(
            relative_to("atlassian-connect.json", cwd, Path::new("/repo")).as_deref(),
            Some("app/atlassian-connect.json")
        );
        assert_eq!(
            relative_to("./src/../views/a.hbs", cwd, cwd).as_deref(),
            Some("views/a.hbs")
        );
        assert_eq!(
            relative_to("/repo/app/x.json", cwd, Path::new("/repo/")).as_deref(),
            Some("app/x.json")
        );
        assert_eq!(relative_to("/elsewhere/x.json", cwd, cwd), None);
        assert_eq!(relative_to("../../x.json", cwd, Path::new("/repo")), None);
        assert_eq!(relative_to("<stdin>", cwd, cwd), None);
    }

    #[test]
    fn xml_safe_escapes_only_what_xml_forbids() {
        assert_eq!(xml_safe("a\tb\nc é <&>"), "a\tb\nc é <&>");
        assert_eq!(xml_safe("esc\u{1b}[2J\u{ffff}"), "esc\\u{1b}[2J\\u{ffff}");
    }

    #[test]
    fn the_message_names_the_module_and_path_on_one_line() {
        let mut d = Diagnostic::file_error("a.json", "two\nlines");
        d.module = Some("k".into());
        d.path = Some("$.modules".into());
        assert_eq!(message(&d), "module 'k' ($.modules): two\\u{a}lines");
        // The rule is the finding's code.
        assert_eq!(rule(&d).id, crate::codes::of(&d).id);
    }
}
