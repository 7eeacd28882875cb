//! Decoding an input's bytes, source text with a name, and byte offset → line:column conversion,
//! so every problem can point at the place in the user's file.

/// A named input text (a file path or `<stdin>`).
#[derive(Debug, Clone)]
pub struct SourceText {
    /// What the user called the input: the path as given, or `<stdin>`.
    pub name: String,
    /// The whole text.
    pub text: String,
    /// Whether the file began with a UTF-8 byte-order mark (not part of `text`): a file edited in
    /// place is written back with it.
    pub bom: bool,
    line_starts: Vec<usize>,
}

/// A 1-based line and column (column counted in characters, as editors show it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl SourceText {
    /// Wraps a text; computes line starts once.
    pub fn new(name: impl Into<String>, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            name: name.into(),
            text,
            bom: false,
            line_starts,
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        Position {
            line: line + 1,
            column,
        }
    }
}

/// The text of an input's bytes: UTF-8 only, as JSON requires; a UTF-8 byte-order mark is
/// accepted (Windows editors write one). UTF-16/32 and invalid UTF-8 are refused with a message
/// that says why (the caller names the file).
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    let bad = |message: String| message;
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(bad(
            "the file is UTF-32; save it as UTF-8 (JSON's encoding)".into(),
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(bad(
            "the file is UTF-16; save it as UTF-8 (JSON's encoding)".into(),
        ));
    }
    // UTF-16 or UTF-32 without a byte-order mark: NUL bytes among the first characters.
    if bytes.iter().take(8).any(|&b| b == 0) {
        return Err(bad("the file holds NUL bytes: it looks like UTF-16 or UTF-32 without a byte-order mark, or binary; save it as UTF-8 (JSON's encoding)".into()));
    }
    let bytes = bytes
        .strip_prefix(&[0xEF, 0xBB, 0xBF])
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = &e.as_bytes()[..at];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = String::from_utf8_lossy(
            &valid[valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)..],
        )
        .chars()
        .count()
            + 1;
        bad(format!(
            "invalid UTF-8 at line {line}, column {col} (byte {at}); save the file as UTF-8"
        ))
    })
}

/// Unicode bidirectional formatting characters ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let s = SourceText::new("f", "ab\né{x\n".to_string());
        assert_eq!(s.position(0), Position { line: 1, column: 1 });
        assert_eq!(s.position(3), Position { line: 2, column: 1 });
        // 'é' is two bytes: '{' is the second character of line 2.
        assert_eq!(s.position(5), Position { line: 2, column: 2 });
        assert_eq!(s.position(999), Position { line: 3, column: 1 });
    }
}
