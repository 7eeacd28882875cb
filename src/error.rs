//! Typed errors of the library and the exit-code contract. Turning them into user messages
//! happens once, in `cli`.

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Severity};

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

/// Library result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
