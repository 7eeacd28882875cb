//! The Confluence kinds on a fixture app of our own (`tests/fixtures/apps/confluence-macro`): a
//! macro with a custom editor whose pages call `AP.confluence.getMacroData`, `saveMacro` and
//! `closeMacroEditor`, a byline item and a space tools tab. The macro becomes a Forge `macro` with
//! the same key and its editor the macro's config resource, where the compatibility layer knows
//! it is a macro editor (so `saveMacro` + `closeMacroEditor` become `view.submit({ config })`).
//! Atlassian's validator accepting the result is checked by `tests/corpus.rs`, which migrates
//! this fixture with the others.

mod common;
use common::{c2f_in, root};

use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture() -> PathBuf {
    root().join("tests/fixtures/apps/confluence-macro/atlassian-connect.json")
}

/// The run's JSON review, and the app it wrote in `out`.
fn migrate(out: &std::path::Path) -> Value {
    let o = c2f_in(root())
        .arg("migrate")
        .arg(fixture())
        .arg("--out")
        .arg(out)
        .args(["--yes", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn a_macro_with_a_custom_editor_becomes_a_forge_macro_with_a_config_resource() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    let review = migrate(&out);

    let text = std::fs::read_to_string(out.join("manifest.yml")).unwrap();
    let manifest: Value = serde_yaml::from_str(&text).unwrap();
    let modules = &manifest["modules"];
    assert_eq!(
        modules["macro"],
        json!([{"key": "status-badge", "resource": "status-badge", "title": "Status badge",
                "description": "A coloured badge with a short status text",
                "category": "text-formatting", "layout": "inline",
                "config": {"title": "Edit the status badge",
                           "viewportSize": {"width": "480px", "height": "320px"},
                           "resource": "status-badge-editor"}}])
    );
    assert_eq!(
        modules["confluence:contentBylineItem"][0]["viewportContainer"],
        "popup"
    );
    assert_eq!(
        modules["confluence:contentBylineItem"][0]["displayConditions"],
        json!({"isLoggedIn": true})
    );
    assert_eq!(
        modules["confluence:spaceSettings"][0]["route"],
        "badge-colours"
    );
    // Every UI module is native: nothing is left on Connect.
    assert!(manifest.get("connectModules").is_none(), "{text}");
    let resources: Vec<&str> = manifest["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        resources,
        [
            "status-badge",
            "status-badge-editor",
            "badge-summary",
            "badge-colours"
        ]
    );

    // The editor's page was found and carried, in a resource that knows it is a macro editor.
    let editor = out.join("static/status-badge-editor");
    let host = std::fs::read_to_string(editor.join("src/connect-compat/host.js")).unwrap();
    assert!(
        host.contains("export const FORGE_MODULE_TYPE = \"macro\";"),
        "{host}"
    );
    assert!(host.contains("export const ENTRY = \"config\";"), "{host}");
    assert!(editor.join("page/js/editor.js").is_file());
    let macro_host =
        std::fs::read_to_string(out.join("static/status-badge/src/connect-compat/host.js"))
            .unwrap();
    assert!(
        macro_host.contains("export const ENTRY = \"main\";"),
        "{macro_host}"
    );

    // The review lists the editor's macro calls, each at its line, as the layer serves them.
    let m = review["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["connect_key"] == "status-badge")
        .unwrap();
    assert_eq!(m["kind"], "macro");
    assert_eq!(m["extra_pages"][0]["key"], "status-badge-editor");
    let ports = review.to_string();
    for call in [
        "confluence.getMacroData",
        "confluence.saveMacro",
        "confluence.closeMacroEditor",
    ] {
        assert!(ports.contains(call), "{call} not in the review");
    }
    assert!(
        ports.contains("view.submit({ config })"),
        "the review does not say saveMacro is view.submit"
    );
}

#[test]
fn the_macros_parameters_fill_its_url_without_a_warning_and_page_context_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let review = migrate(&tmp.path().join("app"));
    let warnings = review["warnings"].to_string();
    // {label} and {colour} are the macro's own parameters (read from its config by the layer);
    // {page.id} and {content.id} have Forge values.
    assert!(!warnings.contains("context parameter"), "{warnings}");
    // With a custom editor, the parameters keep a form: no macro-parameters warning.
    assert!(!warnings.contains("macro parameters"), "{warnings}");
}
