//! Byte offsets in a script → line:column in its original file.

use super::*;

/// Byte offset → original line:column for one script.
pub(super) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    line: u32,
    column: u32,
    file: &'a str,
}

impl<'a> Lines<'a> {
    pub(super) fn new(s: &ScriptInput<'a>) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', s.text.as_bytes()).map(|i| i + 1));
        Self {
            text: s.text,
            starts,
            line: s.line.max(1),
            column: s.column.max(1),
            file: s.file,
        }
    }

    pub(super) fn position(&self, offset: u32) -> (u32, u32) {
        let offset = (offset as usize).min(self.text.len());
        let i = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(i).copied().unwrap_or(0);
        let chars = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        let chars = u32::try_from(chars).unwrap_or(u32::MAX);
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        if i == 0 {
            (self.line, self.column.saturating_add(chars))
        } else {
            (self.line.saturating_add(i), chars.saturating_add(1))
        }
    }

    pub(super) fn place(&self, offset: u32) -> Place {
        let (line, column) = self.position(offset);
        Place {
            file: self.file.to_string(),
            line,
            column,
        }
    }

    pub(super) fn warning(&self, offset: u32, message: String) -> Diagnostic {
        let (line, column) = self.position(offset);
        Diagnostic {
            severity: Severity::Warning,
            file: self.file.to_string(),
            position: Some(Position {
                line: line as usize,
                column: column as usize,
            }),
            path: None,
            module: None,
            message,
        }
    }
}
