//! The CI formats of `migrate`: `--format sarif` (checked against the OASIS SARIF 2.1.0 schema,
//! vendored in `tests/schemas/`), `--format junit` (parsed back with a strict XML parser, as a
//! CI server reads it) and `--format github` (workflow-command annotations). Each must put every
//! warning of the review (the `warnings` of `--format json`, the one source) on its file, line
//! and column; a refused input must report its errors the same way, with exit 2.

mod common;
use common::{c2f_in, root};

use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

const ACE: &str = "examples/ace-app/atlassian-connect.json";

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = c2f_in(dir).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The review's warnings as `--format json` lists them: (file, line, column, message).
fn warnings_of(descriptor: &str, out: &Path) -> Vec<(String, Option<u64>, Option<u64>, String)> {
    let out = out.to_str().unwrap();
    let (code, json, _) = run(
        root(),
        &["migrate", descriptor, "--out", out, "--dry-run", "--json"],
    );
    assert_eq!(code, Some(0));
    let doc: Value = serde_json::from_str(&json).unwrap();
    doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["file"].as_str().unwrap().to_string(),
                w["position"]["line"].as_u64(),
                w["position"]["column"].as_u64(),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(doc: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_is_valid_and_puts_every_warning_on_its_line() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("forge-app");
    let warnings = warnings_of(ACE, &out);
    assert!(warnings.len() >= 5, "{warnings:?}");
    let (code, stdout, stderr) = run(
        root(),
        &[
            "migrate",
            ACE,
            "--out",
            out.to_str().unwrap(),
            "--check",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(code, Some(1), "--check keeps its exit code: {stderr}");
    assert!(
        stderr.is_empty(),
        "the warnings are in the log, not on stderr: {stderr}"
    );
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_valid_sarif(&doc);
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "connect2forge");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let root_uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root_uri.starts_with("file:///") && root_uri.ends_with('/'),
        "{root_uri}"
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), warnings.len());
    for (r, (file, line, column, message)) in results.iter().zip(&warnings) {
        let physical = &r["locations"][0]["physicalLocation"];
        assert_eq!(r["level"], "warning");
        assert_eq!(physical["artifactLocation"]["uri"], file.as_str());
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(physical["region"]["startLine"].as_u64(), *line);
        assert_eq!(physical["region"]["startColumn"].as_u64(), *column);
        let text = r["message"]["text"].as_str().unwrap();
        assert!(text.ends_with(message.as_str()), "{text} / {message}");
        let rule = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][rule]["id"], r["ruleId"]);
    }
    // A port warning names the page's file: the PR annotation lands in the Connect app's code.
    assert!(
        warnings
            .iter()
            .any(|w| w.0 == "examples/ace-app/views/issue-watcher.hbs"),
        "{warnings:?}"
    );
}

#[test]
fn sarif_of_a_refused_input_lists_its_errors_and_exits_2() {
    let (code, stdout, stderr) = run(
        root(),
        &[
            "migrate",
            "tests/fixtures/malformed.json",
            "--out",
            "target/never-written",
            "--dry-run",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("tests/fixtures/malformed.json:4:37: error:"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_valid_sarif(&doc);
    let run = &doc["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert_eq!(run["invocations"][0]["exitCode"], 2);
    let r = &run["results"][0];
    assert_eq!(r["level"], "error");
    let physical = &r["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"],
        "tests/fixtures/malformed.json"
    );
    assert_eq!(physical["region"]["startLine"], 4);
    assert_eq!(physical["region"]["startColumn"], 37);
}

/// A descriptor whose warnings quote values XML and workflow commands must escape: `<`, `&`,
/// quotes, `%`, `,` and `:` in a name, and an ESC that XML 1.0 cannot hold at all.
fn hostile_descriptor(dir: &Path) -> String {
    let path = dir.join("hostile, 100%: <&>.json");
    std::fs::write(
        &path,
        "{\n  \"key\": \"hostile\",\n  \"baseUrl\": \"https://x.example.com\",\n  \"vendor\": {},\n  \
         \"modules\": { \"jiraBackgroundScripts\": [ { \"key\": \"bg\", \"url\": \"/bg?a={issue.key}\", \"location\": { \"type\": \"issue_view\" } } ] },\n  \
         \"x]]><&\\\"'\\u001b\": 1\n}\n",
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn junit_parses_back_with_a_case_per_warning_and_per_file() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("forge-app");
    let descriptor = hostile_descriptor(tmp.path());
    let warnings = warnings_of(&descriptor, &out);
    assert!(warnings.len() >= 2, "{warnings:?}");
    for (mode, pending_fail) in [("--check", true), ("--dry-run", false)] {
        let (code, xml, _) = run(
            root(),
            &[
                "migrate",
                &descriptor,
                "--out",
                out.to_str().unwrap(),
                mode,
                "--format",
                "junit",
            ],
        );
        assert_eq!(code, Some(i32::from(pending_fail)));
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let top = doc.root_element();
        assert_eq!(top.tag_name().name(), "testsuites");
        let cases: Vec<_> = top
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        let failures = top
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count();
        assert_eq!(
            top.attribute("tests"),
            Some(cases.len().to_string().as_str())
        );
        assert_eq!(
            top.attribute("failures"),
            Some(failures.to_string().as_str())
        );
        for suite in top.children().filter(|n| n.has_tag_name("testsuite")) {
            let n = suite
                .children()
                .filter(|c| c.has_tag_name("testcase"))
                .count();
            assert_eq!(suite.attribute("tests"), Some(n.to_string().as_str()));
        }
        // Every warning, as a failed case at its file and line, message intact.
        for (file, line, _, message) in &warnings {
            let case = cases.iter().find(|c| {
                c.attribute("file") == Some(file.as_str())
                    && c.attribute("line").and_then(|l| l.parse::<u64>().ok()) == *line
                    && c.children().any(|f| {
                        f.has_tag_name("failure")
                            && f.attribute("type") == Some("warning")
                            && f.attribute("message")
                                .is_some_and(|m| m.ends_with(&message.replace('\u{1b}', "\\u{1b}")))
                    })
            });
            assert!(
                case.is_some(),
                "no case for {file}:{line:?} {message}\n{xml}"
            );
        }
        // Every planned file: failed under --check while it would be created.
        let files = top
            .children()
            .find(|s| {
                s.attribute("name")
                    .is_some_and(|n| n.starts_with("files: "))
            })
            .unwrap();
        let manifest = files
            .children()
            .find(|c| c.attribute("name") == Some("manifest.yml"))
            .unwrap();
        let failed = manifest.children().any(|f| f.has_tag_name("failure"));
        assert_eq!(failed, pending_fail, "{mode}");
    }
}

#[test]
fn junit_of_a_refused_input_has_an_error_case() {
    let (code, xml, _) = run(
        root(),
        &[
            "migrate",
            "tests/fixtures/malformed.json",
            "--dry-run",
            "--format",
            "junit",
        ],
    );
    assert_eq!(code, Some(2));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let error = doc.descendants().find(|n| n.has_tag_name("error")).unwrap();
    let case = error.parent().unwrap();
    assert_eq!(
        case.attribute("file"),
        Some("tests/fixtures/malformed.json")
    );
    assert_eq!(case.attribute("line"), Some("4"));
    assert_eq!(doc.root_element().attribute("errors"), Some("1"));
}

/// The annotations' paths are relative to `GITHUB_WORKSPACE` (the repository), also when the
/// tool runs in a subfolder; the review follows, where no line of it can be read as a command.
#[test]
fn github_annotations_point_at_the_repository_files_and_fence_the_review() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("forge-app");
    let warnings = warnings_of(ACE, &out);
    let app = root().join("examples/ace-app");
    let out_arg = out.to_str().unwrap();
    let (code, stdout, stderr) = {
        let o = c2f_in(&app)
            .env("GITHUB_WORKSPACE", root())
            .args([
                "migrate",
                "--out",
                out_arg,
                "--dry-run",
                "--format",
                "github",
            ])
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    };
    assert_eq!(code, Some(0), "{stderr}");
    let annotations: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("::warning "))
        .collect();
    assert_eq!(annotations.len(), warnings.len(), "{stdout}");
    for (a, (file, line, column, _)) in annotations.iter().zip(&warnings) {
        let expected = format!(
            "::warning file={},line={},col={},title=connect2forge::",
            file,
            line.unwrap(),
            column.unwrap()
        );
        assert!(a.starts_with(&expected), "{a}\nexpected {expected}");
    }
    // The review, folded and fenced: everything between stop-commands and its token is inert.
    let stop = stdout
        .lines()
        .find_map(|l| l.strip_prefix("::stop-commands::"))
        .unwrap();
    let resume = format!("::{stop}::");
    let lines: Vec<&str> = stdout.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("::stop-commands::"))
        .unwrap();
    let end = lines.iter().position(|l| *l == resume).unwrap();
    assert!(lines[start - 1].starts_with("::group::connect2forge review: 56 created"));
    assert!(lines[start + 1].starts_with("Migrating atlassian-connect.json"));
    assert_eq!(lines[end + 1], "::endgroup::");
    assert_eq!(lines.len(), end + 2);
}

#[test]
fn github_annotates_the_errors_of_a_refused_input() {
    let (code, stdout, stderr) = run(
        root(),
        &[
            "migrate",
            "tests/fixtures/malformed.json",
            "--dry-run",
            "--format",
            "github",
        ],
    );
    assert_eq!(code, Some(2));
    assert_eq!(
        stdout,
        "::error file=tests/fixtures/malformed.json,line=4,col=37,title=connect2forge::not valid JSON: Expected comma\n"
    );
    assert!(stderr.contains("error: 1 problem(s) found; nothing was written"));
}
