//! `--format sarif`: the review's findings as a SARIF 2.1.0 log (OASIS), the format GitHub code
//! scanning and other CI services read to show findings on the lines they concern.
//!
//! One run, one result per diagnostic (the review's warnings, or the errors that refused the
//! input), each with its rule ([`ci::rule`]), level and place: the file relative to where the tool
//! ran (`uriBaseId` `%SRCROOT%`, which `originalUriBaseIds` gives as an absolute `file:` URI), and
//! the line and column when known. Columns count characters (`columnKind` `unicodeCodePoints`),
//! as every position of this tool does. The document is checked against the OASIS schema in
//! `tests/ci_formats.rs`.

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::diagnostics::{Diagnostic, Severity};
use crate::review::ci::{self, Rule};
use crate::review::Review;

/// The `$schema` the log names: the OASIS 2.1.0 schema with its approved errata.
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id relative URIs are resolved against: where the tool ran.
const SRCROOT: &str = "%SRCROOT%";

/// The log of a review: its warnings, and the plan's summary as the run's properties.
/// `cwd` is where the tool ran (the diagnostics' relative paths start there).
pub fn review(review: &Review, cwd: &Path) -> Value {
    let mut properties = Map::new();
    properties.insert("out".into(), json!(review.plan.out_dir));
    properties.insert("summary".into(), json!(review.plan.summary()));
    log(review.diagnostics.as_slice(), cwd, true, properties)
}

/// The log of a run stopped by bad input: the errors (exit 2), nothing migrated.
pub fn errors(diags: &[Diagnostic], cwd: &Path) -> Value {
    log(diags, cwd, false, Map::new())
}

fn log(
    diags: &[Diagnostic],
    cwd: &Path,
    successful: bool,
    properties: Map<String, Value>,
) -> Value {
    let mut rules: Vec<Rule> = Vec::new();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let rule = ci::rule(d);
            let index = match rules.iter().position(|r| *r == rule) {
                Some(i) => i,
                None => {
                    rules.push(rule);
                    rules.len() - 1
                }
            };
            result(d, index, cwd)
        })
        .collect();
    let mut invocation = json!({ "executionSuccessful": successful });
    if !successful {
        invocation["exitCode"] = json!(2);
    }
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "connect2forge",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| json!({
                    "id": r.id,
                    "shortDescription": { "text": r.description },
                    // A code names warnings and errors alike: each result says its own level.
                    "defaultConfiguration": { "level": "warning" },
                })).collect::<Vec<_>>(),
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": { SRCROOT: { "uri": file_uri(cwd, true) } },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if !properties.is_empty() {
        run["properties"] = Value::Object(properties);
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    })
}

fn result(d: &Diagnostic, rule_index: usize, cwd: &Path) -> Value {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut result = json!({
        "ruleId": ci::rule(d).id,
        "ruleIndex": rule_index,
        "level": level,
        "message": { "text": ci::message(d) },
    });
    let mut location = Map::new();
    if let Some(artifact) = artifact(&d.file, cwd) {
        let mut physical = json!({ "artifactLocation": artifact });
        if let Some(p) = d.position {
            physical["region"] = json!({ "startLine": p.line, "startColumn": p.column });
        }
        location.insert("physicalLocation".into(), physical);
    }
    let logical: Vec<Value> = [
        d.module
            .as_ref()
            .map(|m| json!({ "name": m, "kind": "module" })),
        d.path
            .as_ref()
            .map(|p| json!({ "fullyQualifiedName": p, "kind": "property" })),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !logical.is_empty() {
        location.insert("logicalLocations".into(), Value::Array(logical));
    }
    if !location.is_empty() {
        result["locations"] = json!([Value::Object(location)]);
    }
    result
}

/// The artifact of a diagnostic's file: relative to `%SRCROOT%` when it is inside, else an
/// absolute `file:` URI; `None` for stdin.
fn artifact(file: &str, cwd: &Path) -> Option<Value> {
    if file.starts_with('<') {
        return None;
    }
    Some(match ci::relative_to(file, cwd, cwd) {
        Some(rel) => json!({ "uri": encode(&rel), "uriBaseId": SRCROOT }),
        None => json!({ "uri": file_uri(&ci::normalize(&cwd.join(file)), false) }),
    })
}

/// `file:///abs/path` (`/` added at the end of a folder's, as a base URI needs).
fn file_uri(path: &Path, folder: bool) -> String {
    let mut p = path.to_string_lossy().replace('\\', "/");
    if !p.starts_with('/') {
        p.insert(0, '/'); // C:/x → /C:/x
    }
    if folder && !p.ends_with('/') {
        p.push('/');
    }
    format!("file://{}", encode(&p))
}

/// A path as a URI path: every byte but unreserved characters and `/` percent-encoded (so a
/// space, `%`, `#`, `?` or a `:` in a first segment cannot change what the URI means).
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            // `C:` after the leading `/` of a Windows path stays readable.
            b':' if out.len() == 2 && out.starts_with('/') => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_and_relative_inside_the_root() {
        assert_eq!(encode("a b/#1%.json"), "a%20b/%231%25.json");
        assert_eq!(encode("/C:/x y"), "/C:/x%20y");
        assert_eq!(encode("c:x"), "c%3Ax");
        assert_eq!(file_uri(Path::new("/w/app"), true), "file:///w/app/");
        let cwd = Path::new("/w");
        assert_eq!(
            artifact("app/é.json", cwd).unwrap(),
            json!({ "uri": "app/%C3%A9.json", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact("/elsewhere/a.json", cwd).unwrap(),
            json!({ "uri": "file:///elsewhere/a.json" })
        );
        assert_eq!(artifact("<stdin>", cwd), None);
    }
}
