//! The real-browser proof of the port (issue 9): connect2forge migrates every fixture Connect app
//! (`examples/ace-app` and those under `tests/fixtures/apps/`), each carried resource is built with `npm install && npm run
//! build`, and headless Chromium runs the original page under a recording fake Connect host and
//! the ported build under a recording fake Forge host (`tests/browser/tool.mjs`, driving
//! `tests/browser/equivalence.mjs`): the ordered effects must be the same. And the harness proves
//! it can fail: it passes hand-made ports and fails each of their mutants.

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
    assert_eq!(text.matches("EQUIVALENT").count(), 5, "{text}");
    assert!(
        text.contains("validator accepts all 4 migrated apps"),
        "{text}"
    );
}
