//! Diagnostics: the one kind of finding every stage reports (descriptor, mapping, manifest
//! checks, adoption, the port), each pointing at the place in the user's file it concerns, and
//! [`Diagnostics`], the one sink a migration collects them in. Rendering them is the edge's job.

use crate::source::Position;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the migration (exit 2).
    Error,
    /// Reported; the migration goes on.
    Warning,
}

/// One problem or remark about an input file, pointing at the place it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The input's name (path as given, or `<stdin>`).
    pub file: String,
    /// Where in the file, when known.
    pub position: Option<Position>,
    /// JSON path of the value concerned (`$.modules.jiraBackgroundScripts[0].url`), when known.
    pub path: Option<String>,
    /// The module's key, when the finding is about a module that has one.
    pub module: Option<String>,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

/// As the JSON output shows it: the fields, then `code`.
impl serde::Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Diagnostic", 7)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("file", &self.file)?;
        st.serialize_field("position", &self.position)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("module", &self.module)?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("code", self.code().id)?;
        st.end()
    }
}

impl Diagnostic {
    /// An error about a whole file (no place inside it).
    pub fn file_error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            position: None,
            path: None,
            module: None,
            message: message.into(),
        }
    }

    /// The one-line form: `file:line:col: error: module 'k' ($.path): message`.
    pub fn to_line(&self) -> String {
        let mut s = self.file.clone();
        if let Some(p) = self.position {
            s.push_str(&format!(":{}:{}", p.line, p.column));
        }
        s.push_str(match self.severity {
            Severity::Error => ": error: ",
            Severity::Warning => ": warning: ",
        });
        match (&self.module, &self.path) {
            (Some(m), Some(p)) => s.push_str(&format!("module '{m}' ({p}): ")),
            (Some(m), None) => s.push_str(&format!("module '{m}': ")),
            (None, Some(p)) => s.push_str(&format!("{p}: ")),
            (None, None) => {}
        }
        s.push_str(&self.message);
        s.push_str(" [");
        s.push_str(self.code().id);
        s.push(']');
        s
    }

    /// Its stable code ([`crate::codes`]): what kind of finding it is, which `connect2forge
    /// explain CODE` explains.
    pub fn code(&self) -> &'static crate::codes::Code {
        crate::codes::of(self)
    }
}

/// Every finding of one migration, in the order the stages made them. The one place warnings
/// live: the review and the error both read from here.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// No findings yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Puts findings before all others (a remark about the whole input comes first).
    pub fn prepend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        let mut first: Vec<Diagnostic> = ds.into_iter().collect();
        first.append(&mut self.0);
        self.0 = first;
    }

    /// Adds several findings.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// The findings, in order.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.0
    }

    /// How many findings are errors.
    pub fn errors(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Whether there are no findings.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Self {
        Self(v)
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// One finding of a structural check, before it is given a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// JSON path of the value concerned.
    pub path: String,
    /// The module's key, when known.
    pub module: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Findings collected by a check (shared by descriptor reading, manifest adoption and `status`).
#[derive(Debug, Clone, Default)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        path: &str,
        module: Option<&str>,
        message: String,
    ) {
        self.0.push(Finding {
            severity,
            path: path.to_string(),
            module: module.map(str::to_string),
            message,
        });
    }

    /// Adds an error.
    pub fn error(&mut self, path: &str, module: Option<&str>, message: impl Into<String>) {
        self.push(Severity::Error, path, module, message.into());
    }

    /// Adds a warning.
    pub fn warn(&mut self, path: &str, module: Option<&str>, message: impl Into<String>) {
        self.push(Severity::Warning, path, module, message.into());
    }
}
