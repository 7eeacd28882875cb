//! `--format github`: GitHub Actions workflow commands. Each finding becomes an annotation
//! (`::warning file=…,line=…,col=…::…`), which GitHub shows on that line of a pull request's
//! diff and in the run's summary; then the text review follows in a folded group of the log.
//!
//! The review is wrapped in `::stop-commands::TOKEN` … `::TOKEN::`, so nothing in it (a file's
//! content in the diff) can be read as a command, the token being a hash of the review itself.
//! Values in annotations are escaped as the runner expects (`%`, line breaks, and in properties
//! `:` and `,`). Paths are relative to the repository (`GITHUB_WORKSPACE`) when the tool runs
//! inside it, since that is what annotations resolve against.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, Severity};
use crate::review::{ci, emit, Review};

/// The folders annotation paths are made relative to.
#[derive(Debug, Clone, Default)]
pub struct Base {
    /// Where the tool runs (the diagnostics' relative paths start there).
    pub cwd: PathBuf,
    /// `GITHUB_WORKSPACE`, the repository's checkout, when set.
    pub workspace: Option<PathBuf>,
}

impl Base {
    /// A diagnostic's file as an annotation names it: relative to the workspace when inside
    /// it, else as the diagnostic has it (`/`-separated).
    fn path(&self, file: &str) -> String {
        self.workspace
            .as_deref()
            .and_then(|ws| ci::relative_to(file, &self.cwd, ws))
            .unwrap_or_else(|| file.replace('\\', "/"))
    }
}

/// Annotations for the review's warnings, then the review (`colour`: with ANSI styles, which
/// GitHub's log shows) in a folded group.
pub fn review(review: &Review, base: &Base, colour: bool) -> String {
    let mut out = annotations(review.diagnostics.as_slice(), base);
    let text = emit::text(review, colour);
    let token = token(&text);
    out.push_str(&format!(
        "::group::connect2forge review: {}\n",
        data(&review.summary_line())
    ));
    out.push_str(&format!("::stop-commands::{token}\n"));
    out.push_str(&text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("::{token}::\n::endgroup::\n"));
    out
}

/// Annotations for the errors that refused the input.
pub fn errors(diags: &[Diagnostic], base: &Base) -> String {
    annotations(diags, base)
}

fn annotations(diags: &[Diagnostic], base: &Base) -> String {
    let mut out = String::new();
    for d in diags {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = vec![];
        if !d.file.starts_with('<') {
            props.push(format!("file={}", property(&base.path(&d.file))));
        }
        if let Some(p) = d.position {
            props.push(format!("line={}", p.line));
            props.push(format!("col={}", p.column));
        }
        props.push("title=connect2forge".to_string());
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            data(&ci::message(d))
        ));
    }
    out
}

/// A command's message, escaped as the runner unescapes it.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as [`data`], and `:` and `,`, which end a property.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A token the review cannot contain: its own hash.
fn token(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("connect2forge-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Position;

    #[test]
    fn an_annotation_escapes_what_would_end_it() {
        let d = Diagnostic {
            severity: Severity::Warning,
            file: "app/a,b:c.json".into(),
            position: Some(Position { line: 3, column: 7 }),
            path: Some("$.key".into()),
            module: Some("m,1".into()),
            message: "100% done".into(),
        };
        let base = Base {
            cwd: PathBuf::from("/ws/app"),
            workspace: None,
        };
        assert_eq!(
            annotations(&[d], &base),
            "::warning file=app/a%2Cb%3Ac.json,line=3,col=7,title=connect2forge::module 'm,1' ($.key): 100%25 done\n"
        );
    }

    #[test]
    fn paths_are_relative_to_the_workspace() {
        let base = Base {
            cwd: PathBuf::from("/ws/app"),
            workspace: Some(PathBuf::from("/ws")),
        };
        assert_eq!(
            base.path("atlassian-connect.json"),
            "app/atlassian-connect.json"
        );
        assert_eq!(base.path("/tmp/x.json"), "/tmp/x.json");
    }
}
