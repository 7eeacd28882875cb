//! The real-browser proof of the port (issue 9): connect2forge migrates every fixture Connect app
//! (`examples/ace-app` and those under `tests/fixtures/apps/`), each carried resource is built with `npm install && npm run
//! build`, and headless Chromium runs the original page under a recording fake Connect host and
//! the ported build under a recording fake Forge host (`tests/browser/tool.mjs`, driving
//! `tests/browser/equivalence.mjs`): the ordered effects must be the same. And the harness proves
//! it can fail: it passes hand-made ports and fails each of their mutants. And the HTML report
//! (`migrate --report`) shows in Chromium what the JSON review says, with no network.

mod common;

use std::path::Path;
use std::process::Command;

/// `tests/browser/`, with Chromium present and the harness's npm packages installed (once: the
/// two tests may race on a first `npm ci`, so it runs under a lock).
fn harness() -> std::path::PathBuf {
    static SETUP: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "/usr/bin/chromium not found: install Debian's chromium package (bash .ci/run does)"
    );
    let _once = SETUP.lock().unwrap_or_else(|e| e.into_inner());
    if !browser.join("node_modules/playwright-core").exists() {
        let npm = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&browser)
            .status()
            .expect("npm runs (Node.js 20+ and npm are needed)");
        assert!(npm.success(), "npm ci in tests/browser failed");
    }
    browser
}

/// Runs `node SCRIPT ARGS...`; its exit status and everything it printed.
fn node(script: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .output()
        .expect("node runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_harness_passes_hand_made_ports_and_fails_their_mutants() {
    let browser = harness();
    let (ok, text) = node(&browser.join("handmade/selftest.mjs"), &[]);
    assert!(ok, "{text}");
    assert!(text.contains("all 20 self-test cases behaved"), "{text}");
}

#[test]
fn every_carried_fixture_page_behaves_as_the_original_in_chromium() {
    let browser = harness();
    common::shared("tools/forge-validate/validate");
    let (ok, text) = node(
        &browser.join("tool.mjs"),
        &[env!("CARGO_BIN_EXE_connect2forge")],
    );
    assert!(ok, "{text}");
    // ace 2, spring 1, static 1, issue-view 3, confluence-macro 1, team-hub 7 (its second project
    // page a subpage of the first, through the router, and the first page following the sidebar
    // to it), dashboard-gadget 2, board-links 3, gallery 1 (its images carried), vite-notes 2 (a
    // Vite project's shells: its own build against the project carried whole and built by the
    // resource; the second page a multi-page app's, in a subfolder), bundle-report 1 (a page
    // loading a script its project builds), webpack-pages 2 (the pages one webpack build writes
    // by name from one template), module-viewer 1 (native ES modules), amd-triage 1 (modules an
    // AMD loader fetches at run time), forge-adopt 1, bower-desk 1 (a library from its
    // bower_components/, a stylesheet named in another case, a template and data fetched),
    // react-view 1 (ACE's React template: a .jsx view, mounted by the port).
    assert_eq!(text.matches("EQUIVALENT").count(), 31, "{text}");
    assert!(
        text.contains("validator accepts all 17 migrated apps"),
        "{text}"
    );
}

/// `migrate --report` writes one self-contained page: Chromium (with every request refused)
/// shows the modules, every AP call with its line of code, and the to-do list with checkboxes,
/// as the JSON review of the same run says; the screenshot is kept for a person to look at.
#[test]
fn the_html_report_shows_what_the_json_review_says() {
    let browser = harness();
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.html");
    let out = tmp.path().join("forge-app");
    let run = Command::new(env!("CARGO_BIN_EXE_connect2forge"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CI", "true")
        .args([
            "migrate",
            "examples/ace-app/atlassian-connect.json",
            "--dry-run",
            "--format",
            "json",
            "--out",
        ])
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!out.exists(), "a dry run with --report wrote the app");
    let review: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let shot = tmp.path().join("report.png");
    let (ok, text) = node(
        &browser.join("report.mjs"),
        &[report.to_str().unwrap(), shot.to_str().unwrap()],
    );
    assert!(ok, "{text}");
    let shown: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(
        shown["requests"],
        serde_json::json!([]),
        "the report fetched something"
    );
    assert_eq!(
        shown["external"], 0,
        "the report loads a script, stylesheet or image"
    );
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "no screenshot"
    );

    // Modules: the same keys, kinds and Forge types, in the same order.
    let modules = review["modules"].as_array().unwrap();
    let rows = shown["modules"].as_array().unwrap();
    assert_eq!(rows.len(), modules.len());
    for (row, m) in rows.iter().zip(modules) {
        assert_eq!(row["connect"], m["connect_key"]);
        assert_eq!(row["kind"], m["kind"]);
        assert_eq!(row["forge"], m["forge_type"]);
    }
    // Every AP call, with its place, support level and line of code.
    for m in modules {
        let key = m["connect_key"].as_str().unwrap();
        // A module with no page (a trigger, an endpoint) has no port, and no calls shown.
        let Some(calls) = m["port"]["calls"].as_array() else {
            assert!(m["port"].is_null(), "{key}: {}", m["port"]);
            assert!(shown["calls"].get(key).is_none(), "{key}");
            continue;
        };
        let shown_calls = shown["calls"][key].as_array().unwrap();
        assert_eq!(shown_calls.len(), calls.len(), "{key}");
        for (s, c) in shown_calls.iter().zip(calls) {
            let place = format!(
                "{}:{}:{}",
                c["file"].as_str().unwrap(),
                c["line"],
                c["column"]
            );
            assert_eq!(s["place"], place.as_str());
            assert_eq!(
                s["api"],
                format!("AP.{}", c["api"].as_str().unwrap()).as_str()
            );
            assert_eq!(s["support"], c["support"]);
            let source = s["source"].as_str().unwrap();
            assert!(
                source.contains(c["api"].as_str().unwrap().rsplit('.').next().unwrap()),
                "{s}"
            );
        }
    }
    // The to-do list: every item, each with a checkbox.
    let todo = &review["todo"];
    let items = ["before", "after"]
        .iter()
        .map(|k| todo[k].as_array().unwrap().len())
        .sum::<usize>()
        + todo["modules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["items"].as_array().unwrap().len())
            .sum::<usize>();
    let shown_todo = shown["todo"].as_array().unwrap();
    assert_eq!(shown_todo.len(), items);
    assert!(shown_todo.iter().all(|t| t["checkbox"] == true));
    assert!(shown["summary"]
        .as_str()
        .unwrap()
        .contains(&format!("{} created", review["summary"]["created"])));
    assert_eq!(
        shown["files"].as_array().unwrap().len(),
        review["files"].as_array().unwrap().len()
    );
}
