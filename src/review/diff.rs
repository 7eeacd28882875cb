//! The review's unified diff as a printable value (plain text; colour is added at the edge).

use std::time::Duration;

use similar::TextDiff;

/// A unified diff of one file, `/dev/null` standing for a file that does not exist yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileDiff {
    /// The unified diff text, headers included; empty when the contents are equal.
    pub text: String,
}

impl FileDiff {
    /// Diffs `old` (None: the file is new) against `new` for `path` (relative, `/`-separated).
    pub fn new(path: &str, old: Option<&str>, new: &str) -> Self {
        if old == Some(new) {
            // An unchanged file costs one comparison, no diff.
            return Self {
                text: String::new(),
            };
        }
        let (a, old) = match old {
            Some(o) => (format!("a/{path}"), o),
            None => ("/dev/null".to_string(), ""),
        };
        let b = format!("b/{path}");
        if old.replace("\r\n", "\n") == new.replace("\r\n", "\n") {
            return Self {
                text: format!("--- {a}\n+++ {b}\n(the files differ only in line endings)\n"),
            };
        }
        let diff = TextDiff::configure()
            .timeout(Duration::from_secs(2))
            .diff_lines(old, new);
        let mut text = diff
            .unified_diff()
            .context_radius(3)
            .header(&a, &b)
            .missing_newline_hint(true)
            .to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Self { text }
    }

    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_file_diffs_against_dev_null() {
        let d = FileDiff::new("manifest.yml", None, "a\nb\n");
        assert_eq!(
            d.text,
            "--- /dev/null\n+++ b/manifest.yml\n@@ -0,0 +1,2 @@\n+a\n+b\n"
        );
    }

    #[test]
    fn changed_file_has_context_and_headers() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n";
        let d = FileDiff::new("x", Some(old), new);
        assert_eq!(
            d.text,
            "--- a/x\n+++ b/x\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn equal_files_have_no_diff_and_line_endings_are_named() {
        assert!(FileDiff::new("x", Some("a\n"), "a\n").is_empty());
        let d = FileDiff::new("x", Some("a\r\n"), "a\n");
        assert!(d.text.contains("differ only in line endings"));
    }

    #[test]
    fn missing_final_newline_is_hinted() {
        let d = FileDiff::new("x", Some("a"), "a\n");
        assert!(d.text.contains("No newline at end of file"), "{}", d.text);
    }
}
