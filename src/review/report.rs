//! The HTML report (`migrate --report FILE.html`): one self-contained page to share — the app,
//! each module with its Forge target and how its page was found, the AP call table with each
//! call's line of code, scopes and backend calls, the to-do list with checkboxes, the warnings
//! and every file's diff, collapsible. No network, no external asset, no script.
//!
//! The page is the `report.html.hbs` template (overridable with `--templates`) rendered with the
//! review's JSON ([`Review::json`], the documented schema) plus, per AP call, `source`: the line
//! of code it is on, read from the Connect app's source tree (a file that cannot be read gives
//! an empty line, never an error).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

use super::Review;
use crate::error::Result;
use crate::scaffold::Templates;

/// The longest line of code the report shows for a call (a minified bundle is one long line).
const MAX_SOURCE: usize = 240;

/// The report of `review` as one HTML page.
pub fn html(review: &Review, templates: &Templates) -> Result<String> {
    let mut data = review.json();
    let mut lines = SourceLines::new(review);
    if let Some(modules) = data.get_mut("modules").and_then(Value::as_array_mut) {
        for m in modules {
            let calls = m
                .get_mut("port")
                .and_then(|p| p.get_mut("calls"))
                .and_then(Value::as_array_mut);
            for c in calls.into_iter().flatten() {
                let file = c
                    .get("file")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let line = c.get("line").and_then(Value::as_u64).unwrap_or(0);
                let source = lines.line(&file, line as usize);
                if let Some(o) = c.as_object_mut() {
                    o.insert("source".into(), Value::String(source));
                }
            }
        }
    }
    if let Some(cm) = data
        .get_mut("connect_modules")
        .and_then(Value::as_array_mut)
    {
        for t in cm {
            let n = t.get("keys").and_then(Value::as_array).map_or(0, Vec::len);
            if let Some(o) = t.as_object_mut() {
                o.insert("count".into(), Value::from(n));
            }
        }
    }
    templates.render_report(data)
}

/// The lines of the source files calls are on, each file read once.
struct SourceLines<'r> {
    review: &'r Review,
    files: HashMap<String, Vec<String>>,
}

impl<'r> SourceLines<'r> {
    fn new(review: &'r Review) -> Self {
        Self {
            review,
            files: HashMap::new(),
        }
    }

    /// Line `n` (1-based) of `file` (relative to the source tree), trimmed and shortened.
    fn line(&mut self, file: &str, n: usize) -> String {
        let root = self.review.source_root.clone();
        let lines = self.files.entry(file.to_string()).or_insert_with(|| {
            let Some(root) = root else { return Vec::new() };
            // Bounded: the source tree's own cap on a file, lines only up to the call's.
            std::fs::File::open(root.join(file))
                .map(|f| {
                    BufReader::new(f)
                        .take(crate::port::tree::MAX_FILE_BYTES)
                        .lines()
                        .map_while(|l| l.ok())
                        .collect()
                })
                .unwrap_or_default()
        });
        let text = lines.get(n.wrapping_sub(1)).map_or("", |l| l.trim());
        match text.char_indices().nth(MAX_SOURCE) {
            Some((i, _)) => format!("{}…", &text[..i]),
            None => text.to_string(),
        }
    }
}
