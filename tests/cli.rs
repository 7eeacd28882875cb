//! End-to-end tests of the `connect2forge` binary: exit codes, what is (not) written, the review
//! text and JSON, templates, placeholders and colour.
//!
//! Every command runs with `CI=true` (as in CI), without `NO_COLOR`/`CLICOLOR*` from the caller's
//! environment, in the crate root so that descriptor paths in messages are stable.
//!
//! The exit codes and usage, case by case with their exact output, are in `tests/cmd/` (run by
//! `tests/cmd.rs`); the tests here check what those cases cannot: that nothing at all was written,
//! idempotency across runs, colour, JSON, templates and placeholders.

mod common;
use common::{c2f_in, root, tree};

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const EXAMPLE: &str = "examples/atlassian-connect.json";
const PLACEHOLDER_ID: &str = "ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000";

fn fixture(name: &str) -> String {
    format!("tests/fixtures/{name}")
}

/// The binary with a controlled environment, in the crate root.
fn c2f() -> Command {
    c2f_in(root())
}

/// `connect2forge migrate DESCRIPTOR --out OUT ARGS...`
fn migrate(descriptor: &str, out: &Path, args: &[&str]) -> Command {
    let mut cmd = c2f();
    cmd.arg("migrate")
        .arg(descriptor)
        .arg("--out")
        .arg(out)
        .args(args);
    cmd
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Migrates the example into `out` for real.
fn write_example(out: &Path) {
    migrate(EXAMPLE, out, &["--yes", "--color", "never"])
        .assert()
        .success();
    assert!(out.join("manifest.yml").is_file());
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// Exit code 0
// ---------------------------------------------------------------------------------------------

#[test]
fn dry_run_exits_0_shows_the_review_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("forge-app");
    migrate(EXAMPLE, &out, &["--dry-run", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "--- /dev/null\n+++ b/manifest.yml\n",
        ))
        // New generated files are one line per resource folder (--diff all shows them).
        .stdout(predicate::str::contains(
            "  static/sla-watcher/: 5 new files",
        ))
        .stdout(predicate::str::contains("+++ b/static/sla-watcher/src/main.js").not())
        .stdout(predicate::str::contains(
            "27 created, 0 changed, 0 unchanged",
        ))
        .stderr(predicate::str::ends_with(
            "Nothing was written (dry run): run again without --dry-run to write.\n",
        ));
    assert!(!out.exists(), "--dry-run created {}", out.display());
    migrate(
        EXAMPLE,
        &out,
        &["--dry-run", "--color", "never", "--diff", "all"],
    )
    .assert()
    .code(0)
    .stdout(predicate::str::contains(
        "+++ b/static/sla-watcher/src/main.js",
    ));
    assert!(tree(tmp.path()).is_empty(), "--dry-run wrote something");
}

#[test]
fn dry_run_leaves_an_existing_out_dir_byte_identical() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    write_example(&out);
    // Make the run want to change something, so that a write would show: a scaffold file to
    // recreate, and a placeholder filled differently.
    std::fs::remove_file(out.join("static/sla-watcher/index.html")).unwrap();
    let before = tree(&out);

    migrate(
        EXAMPLE,
        &out,
        &[
            "--dry-run",
            "--color",
            "never",
            "--var",
            "localBaseUrl=https://x.example.com",
        ],
    )
    .assert()
    .code(0)
    .stdout(predicate::str::contains(
        "1 created, 1 changed, 25 unchanged",
    ));
    assert_eq!(tree(&out), before, "--dry-run changed the output folder");
}

#[test]
fn real_run_with_yes_exits_0_and_writes_every_file() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    let output = migrate(EXAMPLE, &out, &["--yes", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let files: Vec<String> = tree(&out)
        .keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| !p.starts_with(".connect2forge/blobs/"))
        .collect();
    // The record keeps what was generated, one blob per distinct content.
    let blobs: std::collections::BTreeSet<String> = tree(&out.join(".connect2forge/blobs"))
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let generated: std::collections::BTreeSet<String> = tree(&out)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".connect2forge"))
        .map(|(_, b)| connect2forge::record::hash(&String::from_utf8(b).unwrap()))
        .collect();
    assert_eq!(blobs, generated);
    assert_eq!(
        files,
        [
            ".connect2forge/record.json",
            "docs/forge-backend.md",
            "manifest.yml",
            "static/issue-helper-64ece8/.gitignore",
            "static/issue-helper-64ece8/index.html",
            "static/issue-helper-64ece8/package.json",
            "static/issue-helper-64ece8/scripts/build.mjs",
            "static/issue-helper-64ece8/src/main.js",
            "static/issue-helper-config/.gitignore",
            "static/issue-helper-config/index.html",
            "static/issue-helper-config/package.json",
            "static/issue-helper-config/scripts/build.mjs",
            "static/issue-helper-config/src/main.js",
            "static/issue-helper-overview/.gitignore",
            "static/issue-helper-overview/index.html",
            "static/issue-helper-overview/package.json",
            "static/issue-helper-overview/scripts/build.mjs",
            "static/issue-helper-overview/src/main.js",
            "static/sla-glance/.gitignore",
            "static/sla-glance/index.html",
            "static/sla-glance/package.json",
            "static/sla-glance/scripts/build.mjs",
            "static/sla-glance/src/main.js",
            "static/sla-watcher/.gitignore",
            "static/sla-watcher/index.html",
            "static/sla-watcher/package.json",
            "static/sla-watcher/scripts/build.mjs",
            "static/sla-watcher/src/main.js",
        ]
    );
    let stderr = stderr_of(&output);
    assert_eq!(stderr.matches("Created ").count(), 28, "{stderr}");
    // What was written is exactly what the dry run showed.
    let manifest = read(&out.join("manifest.yml"));
    let dry = migrate(
        EXAMPLE,
        &tmp.path().join("other"),
        &["--dry-run", "--color", "never"],
    )
    .output()
    .unwrap();
    let shown: String = stdout_of(&dry)
        .split("+++ b/manifest.yml\n")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1) // the @@ line
        .take_while(|l| !l.is_empty())
        .map(|l| format!("{}\n", &l[1..]))
        .collect();
    assert_eq!(shown, manifest);
}

#[test]
fn nothing_to_do_exits_0_idempotency() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    write_example(&out);
    let before = tree(&out);

    // --check on the result: up to date.
    migrate(EXAMPLE, &out, &["--check", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "0 created, 0 changed, 27 unchanged",
        ))
        .stdout(predicate::str::contains("--- ").not());

    // A second real run: nothing to do.
    migrate(EXAMPLE, &out, &["--yes", "--color", "never"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Nothing to do"))
        .stderr(predicate::str::contains("Created").not())
        .stderr(predicate::str::contains("Updated").not());
    // Even without --yes (no question is needed when nothing changes).
    migrate(EXAMPLE, &out, &["--color", "never"])
        .write_stdin("")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Nothing to do"));
    assert_eq!(tree(&out), before);
}

#[test]
fn an_existing_app_id_is_kept_and_rerun_is_still_up_to_date() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    write_example(&out);
    let registered = "ari:cloud:ecosystem::app/11111111-2222-3333-4444-555555555555";
    let manifest = out.join("manifest.yml");
    let text = read(&manifest).replace(PLACEHOLDER_ID, registered);
    std::fs::write(&manifest, &text).unwrap();

    migrate(EXAMPLE, &out, &["--check", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 created, 0 changed"))
        .stdout(predicate::str::contains("forge register").not());
    assert_eq!(read(&manifest), text);
}

// ---------------------------------------------------------------------------------------------
// Exit code 1
// ---------------------------------------------------------------------------------------------

#[test]
fn check_with_pending_changes_exits_1_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    migrate(EXAMPLE, &out, &["--check", "--color", "never"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("+++ b/manifest.yml"))
        .stdout(predicate::str::contains(
            "27 created, 0 changed, 0 unchanged",
        ));
    assert!(!out.exists());

    // One changed file is enough.
    write_example(&out);
    std::fs::remove_file(out.join("static/sla-watcher/.gitignore")).unwrap();
    migrate(EXAMPLE, &out, &["--check", "--color", "never"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "1 created, 0 changed, 26 unchanged",
        ));
    assert!(!out.join("static/sla-watcher/.gitignore").exists());
}

#[test]
fn real_run_without_yes_and_without_a_terminal_exits_1_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    // stdin is a pipe, not a terminal; once as in CI, once outside CI.
    for ci in [true, false] {
        let mut cmd = migrate(EXAMPLE, &out, &["--color", "never"]);
        if !ci {
            cmd.env_remove("CI");
        }
        let output = cmd.write_stdin("y\n").output().unwrap();
        assert_eq!(output.status.code(), Some(1), "CI={ci}");
        let stderr = stderr_of(&output);
        assert!(stderr.contains("--yes"), "CI={ci}: {stderr}");
        assert!(stderr.contains("Nothing was written"), "CI={ci}: {stderr}");
        // The review was still shown.
        assert!(stdout_of(&output).contains("27 created"));
        assert!(!out.exists(), "CI={ci}: something was written");
    }

    // Same on an existing folder with a pending change.
    write_example(&out);
    let manifest = out.join("manifest.yml");
    std::fs::write(&manifest, "app:\n  id: mine\n").unwrap();
    let before = tree(&out);
    migrate(EXAMPLE, &out, &["--color", "never"])
        .write_stdin("")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(tree(&out), before);
}

// ---------------------------------------------------------------------------------------------
// Exit code 2
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_json_exits_2_with_file_line_col() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    // A missing comma after line 4.
    migrate(&fixture("malformed.json"), &out, &["--dry-run"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::is_match(r"tests/fixtures/malformed\.json:[45]:\d+: error: ").unwrap(),
        )
        .stderr(predicate::str::contains("nothing was written"));
    assert!(!out.exists());

    // Not JSON at all.
    let not_json = tmp.path().join("notes.txt");
    std::fs::write(&not_json, "These are my notes,\nnot a descriptor.\n").unwrap();
    let output = migrate(not_json.to_str().unwrap(), &out, &["--yes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    let re = format!(
        r"{}:\d+:\d+: error: ",
        regex_escape(not_json.to_str().unwrap())
    );
    assert!(
        predicate::str::is_match(re).unwrap().eval(&stderr),
        "{stderr}"
    );
    assert!(!out.exists());
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

#[test]
fn invalid_background_scripts_exit_2_listing_every_problem() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    let output = migrate(
        &fixture("invalid-scripts.json"),
        &out,
        &["--yes", "--color", "never"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!out.exists());
    let stderr = stderr_of(&output);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 6, "{stderr}");
    let p = "$.modules.jiraBackgroundScripts";
    // (module key, JSON path, what the message is about); a key that is itself invalid or
    // missing cannot name the module, but the path still points at it.
    let expected: &[(Option<&str>, String, &str)] = &[
        (None, format!("{p}[0].key"), "bad key with spaces"),
        (
            Some("absolute-url"),
            format!("{p}[1].url"),
            "must be relative",
        ),
        (
            Some("wrong-location"),
            format!("{p}[2].location.type"),
            "issue_glance",
        ),
        (
            Some("bad-reload"),
            format!("{p}[3].location.shouldReloadOnRefresh"),
            "shouldReloadOnRefresh",
        ),
        (Some("bad-reload"), format!("{p}[4].key"), "duplicate"),
        (None, format!("{p}[5]"), "key"),
    ];
    for (module, path, about) in expected {
        let line = errors
            .iter()
            .find(|l| l.contains(&format!("{path}:")) || l.contains(&format!("{path})")))
            .unwrap_or_else(|| panic!("no error for {path} in:\n{stderr}"));
        assert!(
            line.starts_with("tests/fixtures/invalid-scripts.json:"),
            "{line}"
        );
        assert!(
            predicate::str::is_match(r"^tests/fixtures/invalid-scripts\.json:\d+:\d+: error: ")
                .unwrap()
                .eval(line),
            "no line:column in {line}"
        );
        if let Some(m) = module {
            assert!(line.contains(&format!("module '{m}' ({path})")), "{line}");
        }
        assert!(line.contains(about), "{line}");
    }
    assert!(
        stderr.contains("6 problem(s) found; nothing was written"),
        "{stderr}"
    );
    insta::assert_snapshot!("invalid_scripts_stderr", stderr);
}

#[test]
fn unknown_product_value_exits_2() {
    let tmp = TempDir::new().unwrap();
    migrate(
        EXAMPLE,
        &tmp.path().join("app"),
        &["--dry-run", "--product", "bitbucket"],
    )
    .assert()
    .code(2)
    .stdout("")
    .stderr(predicate::str::contains("invalid value 'bitbucket'"))
    .stderr(predicate::str::contains("jira"))
    .stderr(predicate::str::contains("confluence"));
}

#[test]
fn bitbucket_descriptor_exits_2_with_a_clear_refusal() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    migrate(&fixture("bitbucket.json"), &out, &["--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Bitbucket"))
        .stderr(predicate::str::contains("no Forge adoption path"));
    assert!(!out.exists());
}

#[test]
fn ambiguous_product_exits_2_asking_for_product() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    migrate(&fixture("ambiguous.json"), &out, &["--dry-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--product"));
    migrate(
        &fixture("ambiguous.json"),
        &out,
        &["--dry-run", "--product", "confluence", "--color", "never"],
    )
    .assert()
    .code(0)
    .stdout(predicate::str::contains("+  confluence:webhooks:"));
}

#[test]
fn missing_descriptor_exits_2() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    migrate("tests/fixtures/does-not-exist.json", &out, &["--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "tests/fixtures/does-not-exist.json",
        ))
        .stderr(predicate::str::contains("no such file"));
    assert!(!out.exists());

    // The default descriptor is ./atlassian-connect.json.
    c2f()
        .current_dir(tmp.path())
        .args(["migrate", "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("atlassian-connect.json"));
}

#[test]
fn directory_as_descriptor_exits_2() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    migrate("tests/fixtures", &out, &["--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    assert!(!out.exists());
}

#[test]
fn usage_errors_exit_2() {
    let tmp = TempDir::new().unwrap();
    migrate(EXAMPLE, &tmp.path().join("app"), &["--dry-run", "--check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    migrate(EXAMPLE, &tmp.path().join("app"), &["--var", "novalue"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NAME=VALUE"));
    migrate(EXAMPLE, &tmp.path().join("app"), &["--format", "xml"])
        .assert()
        .code(2);
    assert!(tree(tmp.path()).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Exit code 3
// ---------------------------------------------------------------------------------------------

/// A folder nobody may write in, root included (CI runs as root, and permission bits do not stop
/// root): the root of sysfs, where the kernel refuses to create entries for every user (EPERM, or
/// EROFS where /sys is mounted read-only, as in containers).
#[cfg(target_os = "linux")]
#[test]
fn out_under_a_read_only_dir_exits_3() {
    let parent = Path::new("/sys");
    let probe = parent.join(format!("connect2forge-probe-{}", std::process::id()));
    let made = std::fs::create_dir(&probe);
    let _ = std::fs::remove_dir(&probe);
    assert!(made.is_err(), "{} accepted a new folder", parent.display());

    let out = parent.join("connect2forge-test-out").join("app");
    let output = migrate(EXAMPLE, &out, &["--yes", "--color", "never"])
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!("error: {}: ", out.display())),
        "{stderr}"
    );
    assert!(!out.exists() && !out.parent().unwrap().exists());
}

/// Works as root too: a regular file stands where a parent folder of `--out` should be. A bad
/// path given, not an I/O failure: exit 2 (issue 11.16), naming the path.
#[test]
fn out_below_a_regular_file_exits_2() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "not a folder\n").unwrap();
    let out = file.join("app");
    migrate(EXAMPLE, &out, &["--yes", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(out.to_str().unwrap()));
    assert_eq!(read(&file), "not a folder\n");
}

// ---------------------------------------------------------------------------------------------
// stdin
// ---------------------------------------------------------------------------------------------

#[test]
fn descriptor_from_stdin() {
    let tmp = TempDir::new().unwrap();
    let text = read(&root().join(EXAMPLE));

    // --dry-run
    let out = tmp.path().join("dry");
    migrate("-", &out, &["--dry-run", "--color", "never"])
        .write_stdin(text.clone())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Migrating <stdin> (jira)"))
        .stdout(predicate::str::contains("27 created"))
        .stderr(predicate::str::contains("<stdin>:7:13: warning: $.vendor"));
    assert!(!out.exists());

    // Without --yes: a descriptor read from stdin leaves no way to ask.
    let out = tmp.path().join("asked");
    migrate("-", &out, &["--color", "never"])
        .write_stdin(text.clone())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--yes"));
    assert!(!out.exists());

    // --yes: same files as from the path.
    let from_stdin = tmp.path().join("stdin");
    migrate("-", &from_stdin, &["--yes", "--color", "never"])
        .write_stdin(text)
        .assert()
        .code(0);
    let from_file = tmp.path().join("file");
    write_example(&from_file);
    assert_eq!(tree(&from_stdin), tree(&from_file));

    // Malformed stdin: line:column under the name <stdin>.
    migrate("-", &tmp.path().join("bad"), &["--yes"])
        .write_stdin("{\n  \"key\": \n}\n")
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"<stdin>:\d+:\d+: error: ").unwrap());
}

// ---------------------------------------------------------------------------------------------
// --format json
// ---------------------------------------------------------------------------------------------

fn json_review(out: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let output = migrate(EXAMPLE, out, &args).output().unwrap();
    let v: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document: {e}\n{}",
            stdout_of(&output)
        )
    });
    (output.status.code(), v)
}

#[test]
fn json_format_reports_files_modules_and_summary() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    let (code, v) = json_review(&out, &["--dry-run"]);
    assert_eq!(code, Some(0));
    assert!(!out.exists());

    assert_eq!(v["input"], EXAMPLE);
    assert_eq!(v["product"], "jira");
    assert_eq!(v["app_id_placeholder"], true);

    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 28);
    // The tool's record of what was generated: listed, but not a diff or a count.
    let state = files.last().unwrap();
    assert_eq!(state["path"], ".connect2forge/record.json");
    assert_eq!(state["ownership"], "state");
    assert_eq!(state["diff"], "");
    assert_eq!(files[0]["path"], "manifest.yml");
    assert_eq!(files[0]["ownership"], "managed");
    assert!(files[0]["diff"]
        .as_str()
        .unwrap()
        .starts_with("--- /dev/null\n+++ b/manifest.yml\n"));
    for f in files {
        assert_eq!(f["status"], "create", "{f}");
    }
    // The backend's to-do list, regenerated like the manifest.
    assert_eq!(files[1]["path"], "docs/forge-backend.md");
    assert_eq!(files[1]["ownership"], "managed");
    for f in &files[2..files.len() - 1] {
        assert_eq!(f["ownership"], "scaffold", "{f}");
        assert!(f["path"].as_str().unwrap().starts_with("static/"), "{f}");
    }

    let modules = v["modules"].as_array().unwrap();
    assert_eq!(modules.len(), 13);
    let kinds: Vec<(&str, &str)> = modules
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap(),
                m["forge_type"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("background-script", "jira:issueViewBackgroundScript"),
            ("background-script", "jira:dashboardBackgroundScript"),
            ("general-page", "jira:globalPage"),
            ("issue-glance", "jira:issueContext"),
            ("admin-page", "jira:adminPage"),
            ("webhook", "trigger"),
            ("webhook", "trigger"),
            ("lifecycle", "trigger"),
            ("lifecycle", "preUninstall"),
            ("webhook", "endpoint"),
            ("webhook", "endpoint"),
            ("webhook", "endpoint"),
            ("webhook", "endpoint"),
        ]
    );
    assert_eq!(modules[3]["forge_type"], "jira:issueContext");
    assert_eq!(modules[3]["connect_type"], "jiraIssueGlances");
    assert_eq!(modules[3]["resource_key"], "sla-glance");
    assert_eq!(modules[2]["forge_type"], "jira:globalPage");
    assert_eq!(modules[2]["title"], "Issue Helper");
    assert_eq!(modules[4]["forge_type"], "jira:adminPage");
    assert_eq!(modules[4]["connect_type"], "configurePage");
    assert_eq!(modules[4]["role"], "configure page");
    assert_eq!(modules[0]["connect_key"], "sla-watcher");
    assert_eq!(modules[0]["forge_type"], "jira:issueViewBackgroundScript");
    assert_eq!(modules[0]["location"], "issue_view");
    assert_eq!(modules[0]["should_reload_on_refresh"], true);
    assert_eq!(modules[0]["resource_path"], "static/sla-watcher/build");
    assert_eq!(
        modules[1]["connect_key"],
        "issue-helper-dashboard-refresh-background-script"
    );
    assert_eq!(modules[1]["forge_type"], "jira:dashboardBackgroundScript");
    assert_eq!(modules[1]["location"], "dashboard");
    for m in &modules[..4] {
        let rk = m["resource_key"].as_str().unwrap();
        assert!(
            !rk.is_empty()
                && rk.len() <= 23
                && rk
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
            "resource key {rk}"
        );
        assert_eq!(m["resource_path"], format!("static/{rk}/build"));
    }

    let kinds: Vec<&str> = v["connect_modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    // Nothing is left on Connect: the lifecycle and webhooks are triggers, and the Connect
    // scopes are Forge's own (the REST calls' and the events').
    assert!(kinds.is_empty(), "{kinds:?}");
    assert_eq!(
        v["scopes"],
        serde_json::json!(["read:jira-work", "read:jira-user", "write:jira-work"])
    );
    assert_eq!(v["variables"][0]["name"], "LOCAL_BASE_URL");
    assert_eq!(v["variables"][0]["placeholder"], "{{localBaseUrl}}");
    assert_eq!(
        v["summary"],
        serde_json::json!({"created": 27, "changed": 0, "unchanged": 0, "kept": 0, "conflict": 0})
    );
    let warnings = v["warnings"].as_array().unwrap();
    assert!(warnings
        .iter()
        .any(|w| w["path"] == "$.vendor" && w["severity"] == "warning"));

    // After writing, and with one managed and one scaffold file edited.
    write_example(&out);
    std::fs::write(out.join("manifest.yml"), "app:\n  id: x\n").unwrap();
    std::fs::write(out.join("static/sla-watcher/index.html"), "<p>mine</p>\n").unwrap();
    let (code, v) = json_review(&out, &["--check"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        v["summary"],
        serde_json::json!({"created": 0, "changed": 1, "unchanged": 25, "kept": 1, "conflict": 0})
    );
    let status = |path: &str| {
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("manifest.yml"), "change");
    assert_eq!(status("static/sla-watcher/index.html"), "kept");
    assert_eq!(status("static/sla-watcher/package.json"), "unchanged");
}

// ---------------------------------------------------------------------------------------------
// A folder the user has edited
// ---------------------------------------------------------------------------------------------

#[test]
fn a_user_edited_manifest_keeps_its_edits_across_runs() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    write_example(&out);
    let manifest = out.join("manifest.yml");
    // (Not right next to the environment: block that the next run removes: adjacent changes
    // conflict in a line merge, as in git.)
    let edited = read(&manifest)
        .replace(
            "    - read:jira-work\n",
            "    - read:jira-work\n    - storage:app # added by hand\n",
        )
        .replace(
            "remotes:\n",
            "# Our Connect backend, deployed per region.\nremotes:\n",
        );
    std::fs::write(&manifest, &edited).unwrap();

    // Same descriptor: the edits are kept and nothing is pending.
    migrate(EXAMPLE, &out, &["--check", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "kept manifest.yml (your edits; the generation has not changed since the last run)",
        ))
        .stdout(predicate::str::contains(
            "0 created, 0 changed, 26 unchanged, 1 kept",
        ));
    assert_eq!(read(&manifest), edited);

    // A changed descriptor value is merged into the edited file.
    let output = migrate(
        EXAMPLE,
        &out,
        &[
            "--yes",
            "--color",
            "never",
            "--var",
            "localBaseUrl=https://x.example.com",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("your edits to manifest.yml are kept"));
    let merged = read(&manifest);
    assert!(
        merged.contains("    - storage:app # added by hand\n"),
        "{merged}"
    );
    assert!(
        merged.contains("# Our Connect backend, deployed per region.\n"),
        "{merged}"
    );
    assert!(
        merged.contains("    baseUrl: https://x.example.com\n"),
        "{merged}"
    );
    assert!(!merged.contains("environment:"), "{merged}");
}

#[test]
fn an_edit_that_cannot_be_merged_keeps_both_sides_and_needs_confirmation() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    write_example(&out);
    let manifest = out.join("manifest.yml");
    // The user changed the very line the next run changes.
    let edited = read(&manifest).replace(
        "    baseUrl: ${LOCAL_BASE_URL}\n",
        "    baseUrl: https://mine.example.com # set by hand\n",
    );
    std::fs::write(&manifest, &edited).unwrap();
    let args = [
        "--color",
        "never",
        "--var",
        "localBaseUrl=https://x.example.com",
    ];

    let output = migrate(EXAMPLE, &out, &[&["--check"][..], &args].concat())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = stdout_of(&output);
    assert!(
        stdout.contains("--- a/manifest.yml\n+++ b/manifest.yml\n"),
        "{stdout}"
    );
    // Both sides, git-style: the user's line is kept, between markers.
    assert!(
        stdout.contains("\n+<<<<<<< yours (manifest.yml)\n     baseUrl: https://mine.example.com # set by hand\n+=======\n+    baseUrl: https://x.example.com\n+>>>>>>> connect2forge\n"),
        "{stdout}"
    );
    let stderr = stderr_of(&output);
    assert!(stderr.contains("cannot be merged"), "{stderr}");
    assert_eq!(read(&manifest), edited);

    // Not confirmed: kept as the user left it.
    migrate(EXAMPLE, &out, &args)
        .write_stdin("")
        .assert()
        .code(1);
    assert_eq!(read(&manifest), edited);

    // Confirmed with --yes: both sides are written, and the user's file is kept as it was.
    migrate(EXAMPLE, &out, &[&["--yes"][..], &args].concat())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Updated"));
    assert!(read(&manifest).contains("set by hand"));
    assert_eq!(read(&out.join(".connect2forge/manifest.yml.orig")), edited);
}

#[test]
fn user_edited_scaffold_files_are_kept_and_never_overwritten() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    write_example(&out);
    let main_js = out.join("static/sla-watcher/src/main.js");
    let mine = format!("{}\n// ported by hand\nstartMyThing();\n", read(&main_js));
    std::fs::write(&main_js, &mine).unwrap();

    // Kept is not a pending change.
    migrate(EXAMPLE, &out, &["--check", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "kept static/sla-watcher/src/main.js",
        ))
        .stdout(predicate::str::contains(
            "0 created, 0 changed, 26 unchanged, 1 kept",
        ))
        .stdout(predicate::str::contains("b/static/sla-watcher/src/main.js").not());

    // Make the run write something else, then confirm: the scaffold file stays the user's.
    std::fs::remove_file(out.join("manifest.yml")).unwrap();
    std::fs::remove_file(out.join("static/issue-helper-64ece8/index.html")).unwrap();
    migrate(EXAMPLE, &out, &["--yes", "--color", "never"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("manifest.yml"))
        .stderr(predicate::str::contains("sla-watcher/src/main.js").not());
    assert_eq!(read(&main_js), mine);
    assert!(out.join("static/issue-helper-64ece8/index.html").is_file());
}

// ---------------------------------------------------------------------------------------------
// --templates
// ---------------------------------------------------------------------------------------------

/// A `--templates` folder under `tmp` holding one override, `name` (`scaffold/.gitignore.hbs`)
/// with `content`; its path, for the flag.
fn one_override(tmp: &TempDir, name: &str, content: &str) -> String {
    let dir = tmp.path().join("tpl");
    let file = dir.join(name);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, content).unwrap();
    dir.to_str().unwrap().to_string()
}

#[test]
fn a_manifest_template_that_drops_a_value_exits_2_naming_the_template() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("tpl");
    std::fs::create_dir(&dir).unwrap();
    let original = read(&root().join("templates/manifest.yml.hbs"));
    let dropped: String = original
        .lines()
        .filter(|l| !l.contains("path: {{yaml path}}"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(dropped, original);
    std::fs::write(dir.join("manifest.yml.hbs"), dropped).unwrap();
    let out = tmp.path().join("app");
    let tpl = dir.join("manifest.yml.hbs");
    migrate(
        EXAMPLE,
        &out,
        &["--yes", "--templates", dir.to_str().unwrap()],
    )
    .assert()
    .code(2)
    .stdout("")
    .stderr(predicate::str::contains("manifest.yml.hbs"))
    .stderr(predicate::str::contains(tpl.to_str().unwrap()))
    .stderr(predicate::str::contains("$.resources[0].path"));
    assert!(!out.exists());
}

#[test]
fn a_manifest_template_rendering_invalid_yaml_exits_2_naming_the_template() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("tpl");
    std::fs::create_dir(&dir).unwrap();
    let broken = format!(
        "{}\n  : [unclosed\n",
        read(&root().join("templates/manifest.yml.hbs"))
    );
    std::fs::write(dir.join("manifest.yml.hbs"), broken).unwrap();
    migrate(
        EXAMPLE,
        &tmp.path().join("app"),
        &["--dry-run", "--templates", dir.to_str().unwrap()],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains("manifest.yml.hbs"))
    .stderr(predicate::str::contains("YAML"));
}

#[test]
fn a_broken_override_exits_2_even_when_this_run_would_not_render_it() {
    // The example has no carried page, so the compatibility layer's template is never rendered;
    // the user's broken copy of it is still refused, before anything else.
    let tmp = TempDir::new().unwrap();
    let tpl = one_override(
        &tmp,
        "scaffold/src/connect-compat.js.hbs",
        "{{#if x}}never closed\n",
    );
    let out = tmp.path().join("app");
    migrate(EXAMPLE, &out, &["--yes", "--templates", &tpl])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "scaffold/src/connect-compat.js.hbs",
        ));
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn an_unknown_template_name_exits_2_listing_valid_names() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("tpl");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("manifest.yaml.hbs"), "x\n").unwrap();
    let mut cmd = migrate(
        EXAMPLE,
        &tmp.path().join("app"),
        &["--dry-run", "--templates", dir.to_str().unwrap()],
    );
    let mut assert = cmd
        .assert()
        .code(2)
        .stderr(predicate::str::contains("manifest.yaml.hbs"));
    for name in [
        "manifest.yml.hbs",
        "scaffold/package.json.hbs",
        "scaffold/index.html.hbs",
        "scaffold/src/main.js.hbs",
        "scaffold/scripts/build.mjs.hbs",
        "scaffold/.gitignore.hbs",
    ] {
        assert = assert.stderr(predicate::str::contains(name));
    }
}

#[test]
fn exported_templates_give_byte_identical_output() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("tpl");
    c2f()
        .arg("templates")
        .arg(&dir)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Created"));
    // The export is the built-in set.
    assert_eq!(tree(&dir), tree(&root().join("templates")));

    let default_out = tmp.path().join("default");
    write_example(&default_out);
    let custom_out = tmp.path().join("custom");
    migrate(
        EXAMPLE,
        &custom_out,
        &["--yes", "--templates", dir.to_str().unwrap()],
    )
    .assert()
    .code(0);
    assert_eq!(tree(&custom_out), tree(&default_out));

    // Exporting again keeps what is there.
    std::fs::write(dir.join("manifest.yml.hbs"), "edited\n").unwrap();
    c2f()
        .arg("templates")
        .arg(&dir)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("exists"));
    assert_eq!(read(&dir.join("manifest.yml.hbs")), "edited\n");
}

#[test]
fn a_scaffold_template_may_change_its_own_file() {
    let tmp = TempDir::new().unwrap();
    let tpl = one_override(&tmp, "scaffold/.gitignore.hbs", "node_modules/\nbuild/\n");
    let out = tmp.path().join("app");
    migrate(EXAMPLE, &out, &["--yes", "--templates", &tpl])
        .assert()
        .code(0);
    assert_eq!(
        read(&out.join("static/sla-watcher/.gitignore")),
        "node_modules/\nbuild/\n"
    );
}

#[test]

fn a_template_using_a_missing_variable_in_a_helper_exits_2() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("tpl/scaffold");
    std::fs::create_dir_all(&dir).unwrap();
    let original = read(&root().join("templates/scaffold/index.html.hbs"));
    assert!(original.contains("<title>"));
    let typo: String = original
        .lines()
        .map(|l| {
            if l.contains("<title>") {
                "    <title>{{html module.nokey}}</title>".to_string()
            } else {
                l.to_string()
            }
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("index.html.hbs"), typo).unwrap();
    migrate(
        EXAMPLE,
        &tmp.path().join("app"),
        &[
            "--dry-run",
            "--color",
            "never",
            "--templates",
            tmp.path().join("tpl").to_str().unwrap(),
        ],
    )
    .assert()
    .code(2)
    .stdout(predicate::str::contains("<title>null</title>").not())
    .stderr(predicate::str::contains("scaffold/index.html.hbs"))
    .stderr(predicate::str::contains("module.nokey"));
}

// ---------------------------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------------------------

#[test]
fn var_fills_a_placeholder_instead_of_a_forge_variable() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    let output = migrate(
        EXAMPLE,
        &out,
        &[
            "--yes",
            "--color",
            "never",
            "--var",
            "localBaseUrl=https://x.example.com",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let stdout = stdout_of(&output);
    assert!(!stdout.contains("LOCAL_BASE_URL"), "{stdout}");
    assert!(!stdout.contains("set these variables"), "{stdout}");
    let manifest = read(&out.join("manifest.yml"));
    assert!(
        manifest.contains("  - key: connect\n    baseUrl: https://x.example.com\n"),
        "{manifest}"
    );
    assert!(!manifest.contains("environment:"), "{manifest}");
    assert!(!manifest.contains("localBaseUrl"), "{manifest}");
    assert!(!manifest.contains("LOCAL_BASE_URL"), "{manifest}");

    // Idempotent with the same --var.
    migrate(
        EXAMPLE,
        &out,
        &["--check", "--var", "localBaseUrl=https://x.example.com"],
    )
    .assert()
    .code(0);
    // Without it, the manifest would change to the Forge variable.
    migrate(EXAMPLE, &out, &["--check", "--color", "never"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "-    baseUrl: https://x.example.com\n",
        ))
        .stdout(predicate::str::contains(
            "+    baseUrl: ${LOCAL_BASE_URL}\n",
        ));
}

#[test]
fn an_unfilled_placeholder_becomes_a_declared_forge_variable() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    write_example(&out);
    let manifest = read(&out.join("manifest.yml"));
    assert!(manifest.contains("    baseUrl: ${LOCAL_BASE_URL}\n"));
    assert!(manifest.ends_with("environment:\n  variables:\n    - LOCAL_BASE_URL\n"));
    assert!(!manifest.contains("{{"));
}

#[test]

fn the_review_names_a_dollar_placeholder_as_written() {
    let tmp = TempDir::new().unwrap();
    let descriptor = tmp.path().join("d.json");
    let text = read(&root().join(fixture("no-scripts.json")))
        .replace("https://pages.example.com", "${baseUrl}");
    std::fs::write(&descriptor, text).unwrap();
    migrate(
        descriptor.to_str().unwrap(),
        &tmp.path().join("app"),
        // A module left on Connect keeps the remote, whose baseUrl is the placeholder.
        &[
            "--dry-run",
            "--color",
            "never",
            "--keep-connect",
            "webPanels",
        ],
    )
    .assert()
    .code(0)
    .stdout(predicate::str::contains("+    baseUrl: ${BASE_URL}\n"))
    .stdout(predicate::str::contains(
        "set BASE_URL for `forge deploy` (`forge variables set BASE_URL VALUE`): it was the placeholder ${baseUrl}",
    ));
}

/// Maven properties are usually dotted (`${app.baseUrl}`): outside webhooks they are placeholders
/// too, never left for Forge to read as its own variables.
#[test]
fn a_dotted_maven_placeholder_in_base_url_becomes_a_forge_variable() {
    let tmp = TempDir::new().unwrap();
    let descriptor = tmp.path().join("d.json");
    let text = read(&root().join(fixture("no-scripts.json")))
        .replace("https://pages.example.com", "${app.baseUrl}");
    std::fs::write(&descriptor, text).unwrap();
    let out = tmp.path().join("app");
    migrate(
        descriptor.to_str().unwrap(),
        &out,
        &["--yes", "--color", "never", "--keep-connect", "webPanels"],
    )
    .assert()
    .code(0)
    .stdout(predicate::str::contains("APP_BASE_URL"));
    let manifest = read(&out.join("manifest.yml"));
    assert!(!manifest.contains("${app.baseUrl}"), "{manifest}");
    assert!(
        manifest.contains("    baseUrl: ${APP_BASE_URL}\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("environment:\n  variables:\n"),
        "{manifest}"
    );
    assert!(manifest.contains("APP_BASE_URL\n"), "{manifest}");

    // Filled with --var, under its dotted name.
    let filled = tmp.path().join("filled");
    migrate(
        descriptor.to_str().unwrap(),
        &filled,
        &[
            "--yes",
            "--var",
            "app.baseUrl=https://pages.example.com",
            "--keep-connect",
            "webPanels",
        ],
    )
    .assert()
    .code(0);
    let manifest = read(&filled.join("manifest.yml"));
    assert!(
        manifest.contains("    baseUrl: https://pages.example.com\n"),
        "{manifest}"
    );
    assert!(!manifest.contains("environment:"), "{manifest}");
}

#[test]
fn a_minimal_descriptor_migrates_without_connect_modules() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    migrate(
        &fixture("minimal.json"),
        &out,
        &["--yes", "--color", "never"],
    )
    .assert()
    .code(0)
    .stderr(predicate::str::contains("$.authentication"));
    let manifest: Value = serde_yaml::from_str(&read(&out.join("manifest.yml"))).unwrap();
    assert!(manifest.get("connectModules").is_none(), "{manifest}");
    assert!(manifest["app"]["connect"].get("authentication").is_none());
    let script = &manifest["modules"]["jira:issueViewBackgroundScript"][0];
    assert_eq!(script["key"], "watcher");
    assert_eq!(script["shouldReloadOnRefresh"], false);
    assert_eq!(manifest["resources"][0]["key"], script["resource"]);
    assert_eq!(manifest["resources"][0]["path"], "static/watcher/build");
    assert!(out.join("static/watcher/src/main.js").is_file());
}

// ---------------------------------------------------------------------------------------------
// Descriptors whose modules all stay on Connect
// ---------------------------------------------------------------------------------------------

/// `--keep-connect` names a module type or a module key: those stay under connectModules.
#[test]
fn modules_kept_on_connect_on_purpose_leave_only_the_manifest() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    let output = migrate(
        &fixture("no-scripts.json"),
        &out,
        &[
            "--yes",
            "--color",
            "never",
            "--keep-connect",
            "overview",
            "--keep-connect",
            "webPanels",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(
        stdout_of(&output).contains("No module of a type Forge can hold was found"),
        "{}",
        stdout_of(&output)
    );
    let files: Vec<_> = tree(&out)
        .into_keys()
        .filter(|p| !p.starts_with(".connect2forge/blobs"))
        .collect();
    assert_eq!(
        files,
        [
            std::path::PathBuf::from(".connect2forge/record.json"),
            "manifest.yml".into()
        ],
        "only manifest.yml and the tool's record of it"
    );
    let manifest = read(&out.join("manifest.yml"));
    assert!(!manifest.contains("\nmodules:"), "{manifest}");
    assert!(!manifest.contains("\nresources:"), "{manifest}");
    assert!(manifest.contains("\nconnectModules:\n  jira:generalPages:\n    - key: overview\n"));
    assert!(manifest.contains("\n  jira:webPanels:\n    - key: side-panel\n"));
    let parsed: Value = serde_yaml::from_str(&manifest).expect("the manifest is YAML");
    assert_eq!(parsed["app"]["connect"]["key"], "com.example.pages-only");
    assert_eq!(parsed["app"]["connect"]["remote"], "connect");
}

// ---------------------------------------------------------------------------------------------
// Colour
// ---------------------------------------------------------------------------------------------

const ESC: &str = "\u{1b}[";

#[test]
fn color_always_puts_ansi_escapes_in_the_diff() {
    let tmp = TempDir::new().unwrap();
    let output = migrate(
        EXAMPLE,
        &tmp.path().join("app"),
        &["--dry-run", "--color", "always"],
    )
    .output()
    .unwrap();
    let stdout = stdout_of(&output);
    assert!(stdout.contains(ESC));
    let line = stdout
        .lines()
        .find(|l| l.contains("+app:"))
        .expect("manifest diff line");
    assert!(line.starts_with(ESC), "{line:?}");
    let header = stdout
        .lines()
        .find(|l| l.contains("+++ b/manifest.yml"))
        .unwrap();
    assert!(header.starts_with(ESC), "{header:?}");
}

#[test]
fn color_never_and_no_color_have_no_escapes() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    let never = migrate(EXAMPLE, &out, &["--dry-run", "--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(!stdout_of(&never).contains('\u{1b}'));
    assert!(!stderr_of(&never).contains('\u{1b}'));

    // auto can colour a pipe when forced, so the NO_COLOR case below is meaningful...
    let forced = migrate(EXAMPLE, &out, &["--dry-run"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(stdout_of(&forced).contains(ESC));
    // ...and NO_COLOR wins over it.
    let no_color = migrate(EXAMPLE, &out, &["--dry-run"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout_of(&no_color).contains('\u{1b}'));
    // auto on a pipe: no colour.
    let auto = migrate(EXAMPLE, &out, &["--dry-run"]).output().unwrap();
    assert!(!stdout_of(&auto).contains('\u{1b}'));
    // The text is the same once escapes are gone.
    assert_eq!(stdout_of(&never), stdout_of(&no_color));
    assert!(!out.exists());
}

/// `FORCE_COLOR` as Node.js reads it: set (also empty) colours a pipe and wins over `NO_COLOR`;
/// `0`/`false` turns colour off even where `CLICOLOR_FORCE` asks for it; the flags win over both.
#[test]
fn force_color_is_honoured_and_the_flags_win_over_it() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut cmd = migrate(EXAMPLE, &out, &["--dry-run"]);
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let o = cmd.output().unwrap();
        (stdout_of(&o), stderr_of(&o))
    };
    for forced in ["1", "3", "true", ""] {
        let (stdout, _) = run(&[("FORCE_COLOR", forced), ("NO_COLOR", "1")], &[]);
        assert!(stdout.contains(ESC), "FORCE_COLOR={forced:?}");
    }
    for off in ["0", "false"] {
        let (stdout, _) = run(&[("FORCE_COLOR", off), ("CLICOLOR_FORCE", "1")], &[]);
        assert!(!stdout.contains('\u{1b}'), "FORCE_COLOR={off:?}");
    }
    for flag in [&["--no-color"][..], &["--color", "never"]] {
        let (stdout, stderr) = run(&[("FORCE_COLOR", "1")], flag);
        assert!(
            !stdout.contains('\u{1b}') && !stderr.contains('\u{1b}'),
            "{flag:?}"
        );
    }
    let (stdout, _) = run(&[("FORCE_COLOR", "0")], &["--color", "always"]);
    assert!(stdout.contains(ESC));
    // Errors follow the same choice.
    let error = c2f()
        .args(["migrate", "no-such.json", "--dry-run"])
        .env("FORCE_COLOR", "1")
        .output()
        .unwrap();
    assert!(stderr_of(&error).contains(ESC), "{}", stderr_of(&error));
    let error = c2f()
        .args(["migrate", "no-such.json", "--dry-run", "--no-color"])
        .env("FORCE_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stderr_of(&error).contains('\u{1b}'));
    assert!(!out.exists());
}

#[test]
fn no_color_and_color_together_are_a_usage_error() {
    c2f()
        .args([
            "migrate",
            EXAMPLE,
            "--no-color",
            "--color",
            "always",
            "--dry-run",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

// ---------------------------------------------------------------------------------------------
// What Forge and connect-to-forge users type
// ---------------------------------------------------------------------------------------------

/// `-o DIR`, `--type PRODUCT` and `--json` mean `--out DIR`, `--product PRODUCT` and
/// `--format json`: the same document as the long spellings.
#[test]
fn short_and_foreign_spellings_mean_the_same_as_the_long_ones() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    let out = out.to_str().unwrap();
    let ambiguous = fixture("ambiguous.json");
    let long = c2f()
        .args([
            "migrate",
            &ambiguous,
            "--out",
            out,
            "--product",
            "confluence",
        ])
        .args(["--dry-run", "--format", "json"])
        .output()
        .unwrap();
    let short = c2f()
        .args(["migrate", &ambiguous, "-o", out, "--type", "confluence"])
        .args(["--dry-run", "--json"])
        .output()
        .unwrap();
    assert_eq!(long.status.code(), Some(0), "{}", stderr_of(&long));
    assert_eq!(short.status.code(), Some(0), "{}", stderr_of(&short));
    let doc: Value = serde_json::from_slice(&short.stdout).unwrap();
    assert_eq!(doc["product"], "confluence");
    assert_eq!(doc["out"], out);
    assert_eq!(long.stdout, short.stdout);
    // --json is a spelling of --format json, not a second format.
    c2f()
        .args([
            "migrate",
            EXAMPLE,
            "--json",
            "--format",
            "sarif",
            "--dry-run",
        ])
        .assert()
        .code(2)
        .stdout("");
}

/// A `--var` whose name is no placeholder of the descriptor (a typo, most often) is the first
/// thing said, naming the placeholder meant; the placeholder then becomes a Forge variable, as
/// the rest of the review shows. A `--var` that fills a placeholder is not mentioned.
#[test]
fn an_unused_var_is_reported_first_with_the_placeholder_meant() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    let o = migrate(
        EXAMPLE,
        &out,
        &["--dry-run", "--var", "localBaseURL=https://x.example.com"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let stderr = stderr_of(&o);
    assert_eq!(
        stderr.lines().next(),
        Some(
            "examples/atlassian-connect.json: warning: --var localBaseURL=... was not used: the \
             descriptor has no placeholder {{localBaseURL}} or ${localBaseURL} (did you mean --var \
             localBaseUrl=...?) [C2F009]"
        ),
        "{stderr}"
    );
    let o = migrate(
        EXAMPLE,
        &out,
        &["--dry-run", "--json", "--var", "nothing=1"],
    )
    .output()
    .unwrap();
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = doc["warnings"][0]["message"].as_str().unwrap();
    assert!(
        first.starts_with("--var nothing=... was not used")
            && first.ends_with("(its placeholders: issue.key, localBaseUrl)"),
        "{first}"
    );
    let o = migrate(
        EXAMPLE,
        &out,
        &["--dry-run", "--var", "localBaseUrl=https://x.example.com"],
    )
    .output()
    .unwrap();
    assert!(!stderr_of(&o).contains("was not used"), "{}", stderr_of(&o));
}

/// `--non-interactive` never asks, like CI: a real run without `--yes` writes nothing, exit 1,
/// and says which flag writes.
#[test]
fn non_interactive_never_asks_and_writes_only_with_yes() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    let mut cmd = migrate(EXAMPLE, &out, &["--non-interactive", "--color", "never"]);
    cmd.env_remove("CI")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "Nothing was written: not asking (--non-interactive). Re-run with --yes",
        ));
    assert!(!out.exists());
    migrate(EXAMPLE, &out, &["--non-interactive", "--yes"])
        .assert()
        .code(0);
    assert!(out.join("manifest.yml").is_file());
}

/// `--quiet`: no review, no warnings, no status lines; the exit code still tells; a document
/// format still prints its document; errors are still printed.
#[test]
fn quiet_prints_nothing_but_errors_and_documents() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("app");
    migrate(EXAMPLE, &out, &["--check", "--quiet"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("");
    migrate(EXAMPLE, &out, &["-q", "--yes"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
    assert!(out.join("manifest.yml").is_file());
    migrate(EXAMPLE, &out, &["-q"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
    let json = migrate(EXAMPLE, &out, &["--check", "--quiet", "--json"])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["summary"]["created"], 0);
    c2f()
        .args(["migrate", "no-such.json", "-q"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "no-such.json: error: no such file",
        ));
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

#[test]
fn snapshot_of_the_example_review() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("forge-app");
    let output = migrate(EXAMPLE, &out, &["--dry-run", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = stdout_of(&output).replace(out.to_str().unwrap(), "[OUT]");
    assert!(!stdout.contains(tmp.path().to_str().unwrap()));
    insta::assert_snapshot!("example_review", stdout);
}

#[test]
fn snapshot_of_the_example_manifest() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("forge-app");
    write_example(&out);
    insta::assert_snapshot!("example_manifest", read(&out.join("manifest.yml")));
}

// ---------------------------------------------------------------------------------------------
// Module kinds: the issue-view family
// ---------------------------------------------------------------------------------------------

/// `tests/fixtures/apps/issue-view`: an issue content, an issue glance and a web item in a web
/// section of the issue view's operations, each with a page that calls `AP.*`, become Forge's
/// issue panel, issue context and issue action, each carrying its page; nothing stays on Connect
/// (the section needs no module once its item left).
#[test]
fn the_issue_view_app_becomes_native_modules_carrying_their_pages() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("forge");
    let run = migrate(
        "tests/fixtures/apps/issue-view/atlassian-connect.json",
        &out,
        &["--yes", "--color", "never"],
    )
    .output()
    .unwrap();
    let err = stderr_of(&run);
    assert!(run.status.success(), "{err}");
    assert!(!err.contains("C2F000"), "a finding without a code: {err}");
    let manifest: Value = serde_yaml::from_str(&read(&out.join("manifest.yml"))).unwrap();
    let modules = &manifest["modules"];
    assert_eq!(
        modules["jira:issuePanel"][0],
        serde_json::json!({"key": "risk-notes", "resource": "risk-notes", "title": "Risk notes",
            "icon": "https://issue-risk.example.com/img/risk.svg"})
    );
    let glance = &modules["jira:issueContext"][0];
    assert_eq!(glance["label"], "Risk rating");
    assert_eq!(glance["status"]["value"]["label"], "rated");
    assert!(glance["displayConditions"].is_object(), "{glance}");
    assert_eq!(
        modules["jira:issueAction"][0],
        serde_json::json!({"key": "flag-risk", "resource": "flag-risk", "title": "Flag as risky"})
    );
    assert!(manifest.get("connectModules").is_none(), "{manifest:#?}");
    assert!(manifest.get("remotes").is_none(), "{manifest:#?}");
    // Each page is carried into its resource, its scripts with it.
    for (resource, script) in [
        ("risk-notes", "notes.js"),
        ("risk-glance", "glance.js"),
        ("flag-risk", "flag.js"),
    ] {
        let files = tree(&out.join("static").join(resource));
        assert!(
            files.keys().any(|p| p.ends_with(script)),
            "{resource}: {:?}",
            files.keys().collect::<Vec<_>>()
        );
    }
    // The action's page runs as in a dialog: AP.dialog.close closes Forge's modal.
    let host = read(&out.join("static/flag-risk/src/connect-compat/host.js"));
    assert!(host.contains("export const ENTRY = \"modal\";"), "{host}");
}
