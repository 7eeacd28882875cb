//! `connect2forge status`: the report's text and JSON (insta snapshots), and its exit codes.
//! Runs in the crate root so the paths in the report are stable.

mod common;
use common::{c2f_in, root};

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn c2f() -> Command {
    c2f_in(root())
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/adopt/{name}")
}

/// `status FIXTURE [ARGS]`: (exit code, stdout).
fn status(name: &str, args: &[&str]) -> (i32, String) {
    let out = c2f()
        .arg("status")
        .arg(fixture(name))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn text_reports() {
    for (name, snap) in [
        ("status-problems.yml", "text_problems"),
        ("commented.yml", "text_commented"),
        (
            "corpus-connect-on-forge-sample.yml",
            "text_connect_on_forge_sample",
        ),
        ("corpus-fully-forge.yml", "text_fully_forge"),
    ] {
        let (code, out) = status(name, &[]);
        assert_eq!(code, 0, "{name}");
        insta::assert_snapshot!(snap, out);
    }
}

#[test]
fn json_reports() {
    for (name, snap) in [
        ("status-problems.yml", "json_problems"),
        ("commented.yml", "json_commented"),
    ] {
        let (code, out) = status(name, &["--json"]);
        assert_eq!(code, 0, "{name}");
        let v: Value = serde_json::from_str(&out).unwrap();
        insta::assert_snapshot!(snap, serde_json::to_string_pretty(&v).unwrap());
    }
}

#[test]
fn strict_fails_while_connect_remains() {
    assert_eq!(status("commented.yml", &["--strict"]).0, 1);
    assert_eq!(
        status("corpus-onlyoffice.yml", &["--strict", "--json"]).0,
        1
    );
    let (code, out) = status("corpus-fully-forge.yml", &["--strict", "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["fully_forge"], true);
}

#[test]
fn after_migration_no_migratable_module_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join(fixture("mermaid-jira-scripts.yml")),
        dir.path().join("manifest.yml"),
    )
    .unwrap();
    let before = c2f()
        .arg("status")
        .arg(dir.path())
        .arg("--json")
        .output()
        .unwrap();
    let before: Value = serde_json::from_slice(&before.stdout).unwrap();
    // Two background scripts, four dialogs and an issue content; and the lifecycle, which moves
    // with the last of them.
    assert_eq!(before["summary"]["modules_to_migrate"], 8);
    let command = before["modules_to_migrate"][0]["command"].as_str().unwrap();
    assert!(command.starts_with("connect2forge migrate ") && command.ends_with("manifest.yml"));
    c2f()
        .current_dir(dir.path())
        .args(["migrate", "manifest.yml", "--yes"])
        .assert()
        .code(0);
    let after = c2f()
        .arg("status")
        .arg(dir.path())
        .arg("--json")
        .output()
        .unwrap();
    let after: Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(after["summary"]["modules_to_migrate"], 0);
    assert_eq!(after["summary"]["errors"], 0);
    // The seven, and the lifecycle with them: nothing else stays on Connect, so it becomes a
    // Forge trigger on the app's remote.
    assert_eq!(after["summary"]["connect_modules"], 0);
    assert_eq!(before["summary"]["connect_modules"], 7 + 1);
}

#[test]
fn bad_input_is_exit_2() {
    let (code, _) = status("not-yaml.yml", &[]);
    assert_eq!(code, 2);
    let (code, _) = status("duplicate-keys.yml", &["--json"]);
    assert_eq!(code, 2);
    let empty = tempfile::tempdir().unwrap();
    let out = c2f().arg("status").arg(empty.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no manifest.yml"));
    let out = c2f()
        .args(["status", "tests/fixtures/adopt/nope.yml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
