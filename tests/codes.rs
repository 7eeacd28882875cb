//! Every warning and error has a stable code (`C2F024`): the text review prints it after the
//! message, the JSON carries it, and `connect2forge explain CODE` explains it. No finding the tool
//! makes on the corpus, the fixtures and the bundled example may fall back to `C2F000` (a message
//! no code describes): a new message must come with its code.

mod common;
use common::{c2f_in, root, shared};

use std::path::{Path, PathBuf};

/// Every input the tests have: the corpus's descriptors and manifests, the fixture descriptors,
/// the fixture apps and the bundled example.
fn inputs() -> Vec<PathBuf> {
    let mut all = Vec::new();
    for dir in [shared("corpus/connect"), shared("corpus/forge")] {
        for e in std::fs::read_dir(dir).unwrap() {
            all.push(e.unwrap().path());
        }
    }
    for dir in [
        "tests/fixtures",
        "tests/fixtures/bad",
        "tests/fixtures/descriptors",
        "tests/fixtures/adopt",
    ] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                all.push(p);
            }
        }
    }
    all.push(root().join("examples/atlassian-connect.json"));
    all.push(root().join("examples/ace-app/atlassian-connect.json"));
    all.sort();
    all
}

/// The findings of one run on `input` (as a manifest beside its own folder when it is YAML): each
/// line the text review printed on stderr.
fn findings(input: &Path) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let yaml = input.extension().is_some_and(|e| e == "yml" || e == "yaml");
    let (file, out) = if yaml {
        let f = tmp.path().join("manifest.yml");
        std::fs::copy(input, &f).unwrap();
        (f, tmp.path().to_path_buf())
    } else {
        (input.to_path_buf(), tmp.path().join("app"))
    };
    let mut lines = Vec::new();
    for product in [&[][..], &["--product", "jira"][..]] {
        let o = c2f_in(root())
            .arg("migrate")
            .arg(&file)
            .arg("--out")
            .arg(&out)
            .arg("--dry-run")
            .args(product)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        lines.extend(
            err.lines()
                .filter(|l| l.contains(": warning: ") || l.contains(": error: "))
                .map(str::to_string),
        );
        if yaml {
            break; // --product is refused for a manifest
        }
    }
    lines
}

#[test]
fn every_finding_has_a_code_of_its_own() {
    let mut uncoded = Vec::new();
    let mut seen = 0;
    for input in inputs() {
        for line in findings(&input) {
            seen += 1;
            let code = line
                .rsplit_once(" [")
                .and_then(|(_, c)| c.strip_suffix(']'))
                .unwrap_or("");
            assert!(
                code.starts_with("C2F") && code.len() == 6,
                "no code at the end of: {line}"
            );
            if code == "C2F000" {
                uncoded.push(line);
            }
        }
    }
    assert!(seen > 500, "only {seen} findings: the inputs were not run");
    assert!(
        uncoded.is_empty(),
        "{} finding(s) no code describes (add a phrase to src/codes.rs):\n{}",
        uncoded.len(),
        uncoded.join("\n")
    );
}

#[test]
fn the_json_review_carries_each_warnings_code() {
    let o = c2f_in(root())
        .args([
            "migrate",
            "examples/ace-app/atlassian-connect.json",
            "--dry-run",
            "--format",
            "json",
        ])
        .arg("--out")
        .arg(tempfile::tempdir().unwrap().path().join("app"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let warnings = v["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty());
    for w in warnings {
        let code = w["code"].as_str().unwrap();
        assert!(code.starts_with("C2F") && code != "C2F000", "{w}");
    }
}

#[test]
fn explain_says_what_a_code_means_and_refuses_an_unknown_one() {
    let list = c2f_in(root()).arg("explain").output().unwrap();
    assert!(list.status.success());
    let list = String::from_utf8(list.stdout).unwrap();
    let ids: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(ids.len() > 20, "{list}");
    for id in &ids {
        let o = c2f_in(root()).args(["explain", id]).output().unwrap();
        assert!(o.status.success(), "{id}");
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.starts_with(&format!("{id} (")), "{text}");
        assert!(text.lines().count() >= 3, "{text}");
    }
    let by_name = c2f_in(root())
        .args(["explain", "context-parameter"])
        .output()
        .unwrap();
    assert!(String::from_utf8(by_name.stdout)
        .unwrap()
        .starts_with("C2F024 (context-parameter)"));
    let unknown = c2f_in(root()).args(["explain", "C2F999"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8(unknown.stderr)
        .unwrap()
        .contains("no code C2F999; choose from"));
}
