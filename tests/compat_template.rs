//! The Connect compatibility template (`templates/scaffold/src/connect-compat.js.hbs`) renders the
//! way the scaffold templates do — handlebars strict mode, no HTML escaping, values only through
//! the `json` helper — into JavaScript that parses, whatever the app's values hold.
//!
//! Until the port stage registers it among `render::DEFAULTS`, this test renders it with the same
//! settings and helper (`connect2forge::scaffold::json_literal`). Its behaviour in a browser is
//! proved by `tests/browser/` (the equivalence harness).

use std::path::Path;
use std::process::Command;

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde_json::{json, Value};

const TEMPLATE: &str = include_str!("../templates/scaffold/src/connect-compat.js.hbs");

fn json_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    // As src/render.rs's helper: a missing value is an error even inside a helper.
    let p = h
        .param(0)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex("json", 0))?;
    if p.is_value_missing() {
        let path = p.relative_path().cloned().unwrap_or_default();
        return Err(RenderErrorReason::MissingVariable(Some(path)).into());
    }
    out.write(&connect2forge::scaffold::json_literal(p.value()))?;
    Ok(())
}

fn render(data: &Value) -> Result<String, String> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_helper("json", Box::new(json_helper));
    hb.register_template_string("compat", TEMPLATE)
        .map_err(|e| e.to_string())?;
    hb.render("compat", data).map_err(|e| e.to_string())
}

/// The context `render::Templates::render_scaffold` gives every scaffold template.
fn scaffold_context(app_key: &str, module_key: &str, url: &str) -> Value {
    json!({
        "app": {"key": app_key, "name": "Issue Watcher"},
        "module": {
            "key": module_key,
            "location": "issue_view",
            "is_issue_view": true,
            "forge_type": "jira:issueViewBackgroundScript",
            "resource_key": "issue-watcher",
            "connect_url": url,
            "package_name": "issue-watcher",
            "should_reload_on_refresh": false,
        },
    })
}

/// `node --check` on the rendered module (Node is needed by CI already, for the scaffold builds).
fn node_parses(js: &str, name: &str) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("c2f-compat-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("connect-compat.mjs");
    std::fs::write(&file, js).map_err(|e| e.to_string())?;
    let out = Command::new("node")
        .arg("--check")
        .arg(Path::new(&file))
        .output()
        .map_err(|e| format!("node: {e}"))?;
    let _ = std::fs::remove_dir_all(&dir);
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn renders_in_strict_mode_into_javascript_that_parses() {
    let js = render(&scaffold_context(
        "com.example.issue-watcher",
        "issue-watcher",
        "/bg/issue-watcher?issueKey={issue.key}",
    ))
    .expect("renders with the scaffold context");
    assert!(js.contains("const CONNECT_APP_KEY = \"com.example.issue-watcher\";"));
    assert!(js.contains("const CONNECT_URL = \"/bg/issue-watcher?issueKey={issue.key}\";"));
    assert!(js.contains(
        "import { events, Modal, requestJira, router, showFlag, view } from '@forge/bridge';"
    ));
    assert!(
        !js.contains("{{"),
        "a handlebars expression was left in the output"
    );
    node_parses(&js, "plain").expect("valid JavaScript");
}

#[test]
fn hostile_values_stay_string_literals() {
    let hostile = "a\"; alert(1); //</script>\u{2028}`${x}`\n*/";
    let js = render(&scaffold_context(hostile, hostile, hostile)).expect("renders");
    let literal = connect2forge::scaffold::json_literal(&json!(hostile));
    assert!(
        js.contains(&format!("const CONNECT_APP_KEY = {literal};")),
        "{js}"
    );
    assert!(!js.contains("</script>") && !js.contains('\u{2028}'));
    node_parses(&js, "hostile").expect("still valid JavaScript");
}

#[test]
fn a_missing_value_is_an_error_not_an_empty_string() {
    let mut data = scaffold_context("k", "m", "/u");
    data["module"]
        .as_object_mut()
        .expect("module object")
        .remove("connect_url");
    let err = render(&data).expect_err("strict mode refuses a missing value");
    assert!(err.contains("connect_url"), "{err}");
}
