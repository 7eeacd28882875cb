//! The real-browser proof of the port (issue 9): connect2forge migrates every fixture Connect app
//! under `tests/fixtures/apps/`, each carried resource is built with `npm install && npm run
//! build`, and headless Chromium runs the original page under a recording fake Connect host and
//! the ported build under a recording fake Forge host (`tests/browser/tool.mjs`, driving
//! `tests/browser/equivalence.mjs`): the ordered effects must be the same.

mod common;

use std::path::Path;
use std::process::Command;

#[test]
fn every_carried_fixture_page_behaves_as_the_original_in_chromium() {
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    common::shared("tools/forge-validate/validate");
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "/usr/bin/chromium not found: install Debian's chromium package (bash .ci/run does)"
    );
    if !browser.join("node_modules/playwright-core").exists() {
        let npm = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&browser)
            .status()
            .expect("npm runs (Node.js 20+ and npm are needed)");
        assert!(npm.success(), "npm ci in tests/browser failed");
    }
    let out = Command::new("node")
        .arg(browser.join("tool.mjs"))
        .arg(env!("CARGO_BIN_EXE_connect2forge"))
        .output()
        .expect("node runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert_eq!(text.matches("EQUIVALENT").count(), 5, "{text}");
    assert!(
        text.contains("validator accepts all 4 migrated apps"),
        "{text}"
    );
}
