//! Byte offsets in a script → line:column in its original file.

use super::*;

/// Byte offset → original line:column for one script, in O(log n) per place: a place is found by
/// binary search in the line starts, and its column counts characters through the multi-byte
/// characters before it (an index too), never by scanning the line from its start. A minified
/// bundle is one line of megabytes with thousands of findings: scanning made it quadratic.
pub(super) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// For each multi-byte character: the byte offset just after it, and the extra bytes (beyond
    /// one per character) of it and every multi-byte character before it. Empty for ASCII text.
    wide: Vec<(usize, usize)>,
    line: u32,
    column: u32,
    file: &'a str,
}

impl<'a> Lines<'a> {
    pub(super) fn new(s: &ScriptInput<'a>) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', s.text.as_bytes()).map(|i| i + 1));
        let mut wide = Vec::new();
        if !s.text.is_ascii() {
            let mut extra = 0;
            for (at, c) in s.text.char_indices() {
                let len = c.len_utf8();
                if len > 1 {
                    extra += len - 1;
                    wide.push((at + len, extra));
                }
            }
        }
        Self {
            text: s.text,
            starts,
            wide,
            line: s.line.max(1),
            column: s.column.max(1),
            file: s.file,
        }
    }

    /// The extra bytes of the multi-byte characters that end at or before `offset`.
    fn extra_before(&self, offset: usize) -> usize {
        let i = self.wide.partition_point(|(end, _)| *end <= offset);
        i.checked_sub(1)
            .and_then(|i| self.wide.get(i))
            .map_or(0, |(_, extra)| *extra)
    }

    pub(super) fn position(&self, offset: u32) -> (u32, u32) {
        let offset = (offset as usize).min(self.text.len());
        let i = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(i).copied().unwrap_or(0);
        let chars = (offset - start).saturating_sub(
            self.extra_before(offset) - self.extra_before(start).min(self.extra_before(offset)),
        );
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
