//! Typed errors of the library and the exit-code contract. Turning them into user messages
//! happens once, in `cli`.

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Severity};

/// A message as one line of a terminal or log: every control character (line breaks
/// included: `\n`, `\r`, NEL, U+2028, U+2029), the BOM and bidi formatting characters are shown
/// as `\u{..}` escapes, so a value quoted in a message can neither start a forged line, retitle
/// the window, nor reorder what it shows. Tabs are kept. The one escaping of messages: the CLI
/// applies it to every diagnostic and error line it prints.
pub fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    // Nearly every message is printable ASCII: settled by a byte scan.
    if s.bytes().all(|b| matches!(b, b' '..=b'~' | b'\t')) {
        return s.into();
    }
    let bad = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
            || crate::source::is_bidi_control(c)
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

/// Groups of more than this many alike warnings are printed as one line with a count.
pub const GROUP_ABOVE: usize = 9;

/// The lines of a list of findings for a terminal or log, in order, with repeated findings
/// grouped: when more than [`GROUP_ABOVE`] say the same thing (same severity and file, the same
/// message once quoted values and numbers are set aside, like 3,000 key-less webhooks), the
/// first is printed with `(and N more like it, at L:C, L:C, ...)` naming the first places of
/// the others. Each line is [`Diagnostic::to_line`], not yet escaped ([`one_line`] does that).
pub fn grouped_lines(diags: &[Diagnostic]) -> Vec<String> {
    let shape = |d: &Diagnostic| {
        let mut out = String::with_capacity(d.message.len());
        let mut quoted = false;
        for c in d.message.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    out.push('"');
                }
                _ if quoted => {}
                c if c.is_ascii_digit() => {
                    if !out.ends_with('#') {
                        out.push('#');
                    }
                }
                c => out.push(c),
            }
        }
        (d.severity == Severity::Error, d.file.clone(), out)
    };
    let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
    let mut index: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for d in diags {
        let at = *index.entry(shape(d)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        if let Some(g) = groups.get_mut(at) {
            g.push(d);
        }
    }
    let mut lines = Vec::with_capacity(groups.len());
    for g in groups {
        match g.as_slice() {
            [first, rest @ ..] if rest.len() >= GROUP_ABOVE => {
                let mut places: Vec<String> = rest
                    .iter()
                    .filter_map(|d| d.position)
                    .take(5)
                    .map(|p| format!("{}:{}", p.line, p.column))
                    .collect();
                if rest.len() > places.len() && !places.is_empty() {
                    places.push("...".into());
                }
                let at = match places.is_empty() {
                    true => String::new(),
                    false => format!(", at {}", places.join(", ")),
                };
                // The group's note goes before the code, which ends every line.
                let line = first.to_line();
                let code = format!(" [{}]", first.code().id);
                let bare = line.strip_suffix(&code).unwrap_or(&line);
                lines.push(format!(
                    "{bare} (and {} more like it{at}){code}",
                    rest.len()
                ));
            }
            all => lines.extend(all.iter().map(|d| d.to_line())),
        }
    }
    lines
}

/// Everything that can stop a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is not acceptable; every problem found is listed.
    #[error("{} problem(s) in the input", .0.iter().filter(|d| d.severity == Severity::Error).count())]
    Input(Vec<Diagnostic>),
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// A template is missing, does not compile, renders invalid output or loses data.
    #[error("template '{name}': {message}")]
    Template {
        /// Template file name (`manifest.yml.hbs`).
        name: String,
        /// What went wrong.
        message: String,
    },
    /// A write would go somewhere it must not (outside `--out`, through a symlink, onto a folder).
    #[error("refusing to write {}: {reason}", path.display())]
    Refused {
        /// The path concerned.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A file the run must read is not a regular file of bounded size (a FIFO, a device, a
    /// folder, a dangling symlink, or too large): refused before it is read.
    #[error("refusing to read {}: {reason}", path.display())]
    Unreadable {
        /// The path concerned.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A signal (SIGINT, SIGTERM) arrived while writing: the file being written was finished,
    /// the others left as they were.
    #[error("interrupted by {}: {} file(s) were completely written{}, the others are unchanged; run again to finish", signal_name(*signal), written.len(), if written.is_empty() { String::new() } else { format!(" ({})", written.join(", ")) })]
    Interrupted {
        /// The signal number (2 for SIGINT, 15 for SIGTERM).
        signal: i32,
        /// The files written before it arrived (relative paths).
        written: Vec<String>,
    },
    /// Writing a file of the plan failed part-way through the plan (a full disk, a permission):
    /// the files in `written` are complete, the others as they were.
    #[error(
        "{cause}; {}; every file is either as it was or completely written: run again to finish",
        written_list(written)
    )]
    PartlyWritten {
        /// What stopped the write.
        cause: Box<Error>,
        /// The files written before it (relative paths).
        written: Vec<String>,
    },
    /// Reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The process exit code for this error: 2 for bad input or usage, 3 for I/O failures.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Io { .. } => 3,
            Error::PartlyWritten { cause, .. } => cause.exit_code(),
            // The shell's convention: 128 + the signal (130 for SIGINT, 143 for SIGTERM).
            Error::Interrupted { signal, .. } => u8::try_from(128 + signal).unwrap_or(130),
            _ => 2,
        }
    }

    /// Shorthand for a single input error.
    pub fn input(d: Diagnostic) -> Self {
        Error::Input(vec![d])
    }

    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// What a write that stopped part-way had done, for messages.
fn written_list(written: &[String]) -> String {
    match written {
        [] => "no file was written".into(),
        w => format!(
            "{} file(s) were completely written before it ({}), the others are unchanged",
            w.len(),
            w.join(", ")
        ),
    }
}

/// A signal's name for messages.
fn signal_name(signal: i32) -> String {
    match signal {
        2 => "SIGINT".into(),
        15 => "SIGTERM".into(),
        n => format!("signal {n}"),
    }
}

/// Library result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
