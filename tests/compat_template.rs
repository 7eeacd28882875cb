//! The Connect compatibility layer (`templates/scaffold/src/connect-compat.js.hbs` and its parts
//! under `templates/scaffold/src/connect-compat/`), rendered as the scaffold renders it —
//! handlebars strict mode, no HTML escaping, values only through the `json` helper — and then run:
//! node evaluates the rendered modules against recording fakes of `@forge/bridge` and
//! `@forge/jira-bridge` (`tests/compat/`), runs a page script of the test's own after the layer
//! is ready, and reports the bridge calls, the console lines and what the page observed. Each
//! behaviour of the layer, and each level of `connect2forge::port::apis` it must match, has a test
//! here; the page behaviours are also run in Chromium by `tests/browser/` (equivalence harness).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use connect2forge::port::apis::{self, Support, Surface};
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde_json::{json, Value};

fn json_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    // As src/scaffold/mod.rs's helper: a missing value is an error even inside a helper.
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

/// The layer's templates, as the scaffold lists them: (template name, file under `src/`).
fn layer_templates() -> Vec<(&'static str, &'static str, String)> {
    connect2forge::scaffold::DEFAULTS
        .iter()
        .filter(|(name, _)| name.starts_with("scaffold/src/connect-compat"))
        .map(|(name, text)| {
            let file = name
                .trim_start_matches("scaffold/src/")
                .trim_end_matches(".hbs")
                .to_string();
            (*name, *text, file)
        })
        .collect()
}

/// Every file of the layer rendered with `data`: (path under `src/`, JavaScript).
fn render(data: &Value) -> Result<Vec<(String, String)>, String> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_helper("json", Box::new(json_helper));
    let mut files = Vec::new();
    for (name, text, file) in layer_templates() {
        hb.register_template_string(name, text)
            .map_err(|e| e.to_string())?;
        files.push((file, hb.render(name, data).map_err(|e| e.to_string())?));
    }
    Ok(files)
}

/// The context `scaffold::Templates::render_scaffold` gives the layer's templates.
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
            "entry": "main",
        },
        "dialogs": [],
        // A carried page, not a front-end project's shell.
        "port": {"routed": false},
    })
}

/// A module of `forge_type` (its `entry`), served from `url`.
fn module(forge_type: &str, entry: &str, url: &str) -> Value {
    let mut data = scaffold_context("com.example.app", "the-module", url);
    data["module"]["forge_type"] = json!(forge_type);
    data["module"]["entry"] = json!(entry);
    data
}

/// Forge's view context of an issue view module on DEMO-7.
fn issue_context() -> Value {
    json!({
        "accountId": "5b10ac8d82e05b22cc7d4ef5",
        "cloudId": "cloud-1",
        "siteUrl": "https://example.atlassian.net",
        "locale": "en-US",
        "timezone": "Europe/Berlin",
        "moduleKey": "the-module",
        "localId": "local-1",
        "license": {"isActive": true},
        "extension": {
            "type": "jira:issuePanel",
            "issue": {"id": "10007", "key": "DEMO-7", "type": "Task", "typeId": "10001"},
            "project": {"id": "10000", "key": "DEMO", "type": "software"},
        },
    })
}

static RUNS: AtomicUsize = AtomicUsize::new(0);

/// A throwaway folder with the rendered layer, the fake bridges and the runner.
fn workspace(data: &Value) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "c2f-compat-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("connect-compat")).expect("temp folder");
    for (file, js) in render(data).expect("the layer renders") {
        std::fs::write(dir.join(file), js).expect("writes the layer");
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compat");
    std::fs::write(dir.join("package.json"), r#"{"type":"module"}"#).expect("package.json");
    for (package, fake) in [
        ("bridge", "forge-bridge.mjs"),
        ("jira-bridge", "jira-bridge.mjs"),
    ] {
        let at = dir.join("node_modules/@forge").join(package);
        std::fs::create_dir_all(&at).expect("node_modules");
        std::fs::write(
            at.join("package.json"),
            format!(r#"{{"name":"@forge/{package}","type":"module","main":"index.mjs"}}"#),
        )
        .expect("fake package");
        std::fs::copy(here.join(fake), at.join("index.mjs")).expect("fake bridge");
    }
    for file in ["env.mjs", "run.mjs"] {
        std::fs::copy(here.join(file), dir.join(file)).expect("runner");
    }
    dir
}

/// What one run of the layer and the page did.
#[derive(Debug)]
struct Run {
    /// Every call the page's code caused on the fake bridges, in order.
    calls: Vec<Value>,
    /// The console lines (`warn: [connect2forge] ...`).
    console: Vec<String>,
    /// What the page reported with `out(what, value)`.
    out: Vec<(String, Value)>,
    /// `location.search` at the end.
    search: String,
}

impl Run {
    fn calls_to(&self, api: &str) -> Vec<&Value> {
        self.calls.iter().filter(|c| c["api"] == api).collect()
    }

    fn seen(&self, what: &str) -> Option<&Value> {
        self.out.iter().find(|(w, _)| w == what).map(|(_, v)| v)
    }

    fn lines(&self, needle: &str) -> usize {
        self.console.iter().filter(|l| l.contains(needle)).count()
    }

    /// No page error reached the console (uncaught, unhandled rejection, a TypeError).
    fn clean(&self) -> bool {
        !self.console.iter().any(|l| {
            l.starts_with("uncaught")
                || l.starts_with("unhandledRejection")
                || l.starts_with("page threw")
        })
    }
}

/// Renders the layer with `data`, runs it in node with `env` (context, replies, iframeUrl) and
/// then `page` (an ES module: `AP` is the global, `out(what, value)` reports).
fn run(data: &Value, env: Value, page: &str) -> Run {
    let dir = workspace(data);
    std::fs::write(dir.join("env.json"), env.to_string()).expect("env.json");
    std::fs::write(dir.join("page.mjs"), page).expect("page.mjs");
    let out = Command::new("node")
        .arg("run.mjs")
        .current_dir(&dir)
        .output()
        .expect("node runs (Node.js 20 is needed)");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let _ = std::fs::remove_dir_all(&dir);
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("runner output is not JSON ({e}): {stdout}\n{stderr}"));
    Run {
        calls: v["calls"].as_array().cloned().unwrap_or_default(),
        console: v["console"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| l.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
        out: v["out"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| (p[0].as_str().unwrap_or_default().to_string(), p[1].clone()))
                    .collect()
            })
            .unwrap_or_default(),
        search: v["search"].as_str().unwrap_or_default().to_string(),
    }
}

/// `node --check` on every rendered module (Node is needed by CI already, for the scaffold builds).
fn node_parses(files: &[(String, String)]) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!(
        "c2f-compat-check-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(dir.join("connect-compat")).map_err(|e| e.to_string())?;
    let mut failures = String::new();
    for (file, js) in files {
        let path = dir.join(file.replace(".js", ".mjs"));
        std::fs::write(&path, js).map_err(|e| e.to_string())?;
        let out = Command::new("node")
            .arg("--check")
            .arg(&path)
            .output()
            .map_err(|e| format!("node: {e}"))?;
        if !out.status.success() {
            failures.push_str(&format!("{file}: {}", String::from_utf8_lossy(&out.stderr)));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures)
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

#[test]
fn renders_in_strict_mode_into_javascript_that_parses() {
    let files = render(&scaffold_context(
        "com.example.issue-watcher",
        "issue-watcher",
        "/bg/issue-watcher?issueKey={issue.key}",
    ))
    .expect("renders with the scaffold context");
    let names: Vec<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
    assert!(names.contains(&"connect-compat.js"), "{names:?}");
    assert!(names.contains(&"connect-compat/location.js"), "{names:?}");
    let host = &files
        .iter()
        .find(|(f, _)| f == "connect-compat/host.js")
        .expect("host.js")
        .1;
    assert!(host.contains("export const CONNECT_APP_KEY = \"com.example.issue-watcher\";"));
    assert!(host.contains("export const CONNECT_URL = \"/bg/issue-watcher?issueKey={issue.key}\";"));
    assert!(host.contains("export const DIALOGS = [];"));
    for (file, js) in &files {
        assert!(
            !js.contains("{{"),
            "{file}: a handlebars expression was left"
        );
    }
    node_parses(&files).expect("valid JavaScript");
}

#[test]
fn hostile_values_stay_string_literals() {
    let hostile = "a\"; alert(1); //</script>\u{2028}`${x}`\n*/";
    let mut data = scaffold_context(hostile, hostile, hostile);
    data["dialogs"] = json!([{"key": hostile, "resource": hostile}]);
    let files = render(&data).expect("renders");
    let literal = connect2forge::scaffold::json_literal(&json!(hostile));
    let host = &files
        .iter()
        .find(|(f, _)| f == "connect-compat/host.js")
        .expect("host.js")
        .1;
    assert!(
        host.contains(&format!("export const CONNECT_APP_KEY = {literal};")),
        "{host}"
    );
    for (_, js) in &files {
        assert!(!js.contains("</script>") && !js.contains('\u{2028}'));
    }
    node_parses(&files).expect("still valid JavaScript");
}

#[test]
fn a_missing_value_is_an_error_not_an_empty_string() {
    for missing in ["connect_url", "entry", "forge_type"] {
        let mut data = scaffold_context("k", "m", "/u");
        data["module"]
            .as_object_mut()
            .expect("module object")
            .remove(missing);
        let err = render(&data).expect_err("strict mode refuses a missing value");
        assert!(err.contains(missing), "{err}");
    }
    let mut data = scaffold_context("k", "m", "/u");
    data.as_object_mut().expect("object").remove("dialogs");
    let err = render(&data).expect_err("the dialogs map is required");
    assert!(err.contains("dialogs"), "{err}");
}

#[test]
fn the_surface_the_layer_computes_is_the_one_apis_rs_names() {
    let cases = [
        ("jira:issueViewBackgroundScript", "main"),
        ("jira:dashboardBackgroundScript", "main"),
        ("jira:issuePanel", "main"),
        ("jira:globalPage", "main"),
        ("jira:issuePanel", "modal"),
        ("macro", "main"),
        ("macro", "config"),
        ("jira:dashboardGadget", "main"),
        ("jira:dashboardGadget", "edit"),
        ("confluence:globalPage", "main"),
    ];
    let page = format!(
        "const {{ surfaceOf }} = await import('./connect-compat/host.js');\n\
         for (const [t, e] of {}) out(`${{t}} ${{e}}`, surfaceOf(t, e));\n",
        json!(cases)
    );
    let r = run(
        &module("jira:issuePanel", "main", "/p"),
        json!({"context": issue_context()}),
        &page,
    );
    for (forge_type, entry) in cases {
        assert_eq!(
            r.seen(&format!("{forge_type} {entry}")),
            Some(&json!(Surface::of(forge_type, entry).as_str())),
            "{forge_type} {entry}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The page's own URL

/// A front-end project's shell (a single-page app) routes by `location.pathname`: before its
/// scripts run it sees the module URL's path, with a `<base href>` pinned first to the
/// resource's own URL so its relative URLs still resolve inside the resource.
#[test]
fn a_single_page_apps_router_sees_the_module_urls_path_with_its_base_pinned_to_the_resource() {
    let mut data = module(
        "jira:projectPage",
        "main",
        "/standup-board?projectId={project.id}",
    );
    data["port"]["routed"] = json!(true);
    let env = json!({
        "context": issue_context(),
        "iframeUrl": "https://forge-cdn.test/app/env/res/index.html?forgeOwn=1",
        "dom": true,
    });
    let r = run(
        &data,
        env.clone(),
        "out('path', location.pathname);\nout('projectId', new URLSearchParams(location.search).get('projectId'));\n",
    );
    assert!(r.clean(), "{:#?}", r.console);
    assert_eq!(r.seen("path"), Some(&json!("/standup-board")));
    assert_eq!(r.seen("projectId"), Some(&json!("10000")));
    let base = r.calls_to("head.prepend");
    assert_eq!(base.len(), 1, "{:#?}", r.calls);
    assert_eq!(base[0]["tag"], "BASE");
    assert_eq!(
        base[0]["href"],
        "https://forge-cdn.test/app/env/res/index.html"
    );
    // The base first, then the new path.
    let at = |api: &str| r.calls.iter().position(|c| c["api"] == api);
    assert!(
        at("head.prepend") < at("history.replaceState"),
        "{:#?}",
        r.calls
    );

    // A module URL without a path of its own (`/`), or a carried page: the resource's path stays.
    for (url, routed) in [
        ("/?projectId={project.id}", true),
        ("/standup-board", false),
    ] {
        let mut data = module("jira:projectPage", "main", url);
        data["port"]["routed"] = json!(routed);
        let r = run(&data, env.clone(), "out('path', location.pathname);\n");
        assert_eq!(
            r.seen("path"),
            Some(&json!("/app/env/res/index.html")),
            "{url}"
        );
        assert!(r.calls_to("head.prepend").is_empty(), "{url}");
    }
}

#[test]
fn location_search_is_rebuilt_before_the_page_runs() {
    let data = module(
        "jira:issuePanel",
        "main",
        "/panel?issueKey={issue.key}&projectId={project.id}&mode=compact",
    );
    let r = run(
        &data,
        json!({"context": issue_context(), "iframeUrl": "https://forge-cdn.test/index.html?forgeOwn=1#top"}),
        "out('search', location.search);\n\
         const q = new URLSearchParams(location.search);\n\
         out('issueKey', q.get('issueKey'));\n\
         AP.request('/rest/api/3/myself');\n",
    );
    assert!(r.clean(), "{:#?}", r.console);
    let q: Vec<(String, String)> = url_pairs(&r.search);
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("issueKey"), Some("DEMO-7"));
    assert_eq!(get("projectId"), Some("10000"));
    assert_eq!(get("mode"), Some("compact"));
    assert_eq!(get("xdm_e"), Some("https://example.atlassian.net"));
    assert_eq!(get("cp"), Some(""));
    assert_eq!(get("lic"), Some("active"));
    assert_eq!(get("tz"), Some("Europe/Berlin"));
    assert_eq!(get("loc"), Some("en-US"));
    assert_eq!(
        get("xdm_deprecated_addon_key_do_not_use"),
        Some("com.example.app")
    );
    // No Forge value: present (so a parser finds it) and empty.
    for name in ["xdm_c", "cv", "user_id", "jwt"] {
        assert_eq!(get(name), Some(""), "{name}");
    }
    // The iframe's own parameters stay; the hash too.
    assert_eq!(get("forgeOwn"), Some("1"));
    let replaced = r.calls_to("history.replaceState");
    assert_eq!(replaced.len(), 1);
    assert!(replaced[0]["url"]
        .as_str()
        .is_some_and(|u| u.starts_with("/index.html?issueKey=DEMO-7&") && u.ends_with("#top")));
    // Before the page ran: the replaceState comes before the page's first bridge call.
    let at = |api: &str| r.calls.iter().position(|c| c["api"] == api);
    assert!(
        at("history.replaceState") < at("requestJira"),
        "{:#?}",
        r.calls
    );
    assert_eq!(r.seen("issueKey"), Some(&json!("DEMO-7")));
    // What has no Forge value: one console warning naming each.
    assert_eq!(r.lines("location.search"), 1, "{:#?}", r.console);
    let warning = r
        .console
        .iter()
        .find(|l| l.contains("location.search"))
        .expect("the warning");
    assert!(warning.starts_with("warn: [connect2forge]"), "{warning}");
    for name in ["xdm_c", "cv", "user_id", "jwt"] {
        assert!(warning.contains(name), "{warning}");
        assert_eq!(
            apis::standard_parameter(name).map(|r| r.support),
            Some(Support::Unsupported),
            "{name}"
        );
    }
}

fn url_pairs(search: &str) -> Vec<(String, String)> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.replace('+', " ").into_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[i + 1..i + 3]), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn a_confluence_macro_gets_its_parameters_and_the_wiki_context_path() {
    let data = module(
        "macro",
        "main",
        "/macro?uuid={uuid}&pageId={page.id}&space={space.key}&v={dashboardItem.viewType}",
    );
    let ctx = json!({
        "siteUrl": "https://example.atlassian.net", "locale": "de-DE", "timezone": "UTC",
        "localId": "abc",
        "extension": {"type": "macro", "content": {"id": "123", "type": "page"},
            "space": {"id": "9", "key": "DOCS"}, "config": {"uuid": "u-1 2"}},
    });
    let r = run(&data, json!({"context": ctx}), "");
    let q = url_pairs(&r.search);
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("uuid"), Some("u-1 2"));
    assert_eq!(get("pageId"), Some("123"));
    assert_eq!(get("space"), Some("DOCS"));
    assert_eq!(get("cp"), Some("/wiki"));
    assert_eq!(get("lic"), Some("none"));
    assert_eq!(get("v"), Some(""));
    let warning = r
        .console
        .iter()
        .find(|l| l.contains("location.search"))
        .expect("a warning");
    assert!(warning.contains("{dashboardItem.viewType}"), "{warning}");
    assert!(!warning.contains("{uuid}"), "{warning}");
}

#[test]
fn path_variables_and_a_failed_context_are_reported_and_the_page_still_runs() {
    let data = module(
        "jira:issuePanel",
        "main",
        "/panel/{issue.key}?k={issue.key}",
    );
    let r = run(
        &data,
        json!({"context": {}, "contextFails": true}),
        "out('ran', location.search);",
    );
    assert!(r.seen("ran").is_some(), "{:#?}", r.console);
    assert!(r.lines("view.getContext() failed") == 1, "{:#?}", r.console);
    assert!(
        r.console
            .iter()
            .any(|l| l.contains("{issue.key} (in the URL's path)")),
        "{:#?}",
        r.console
    );
    assert!(r.search.contains("k=&"), "{}", r.search);
}

#[test]
fn the_layer_fills_exactly_the_url_variables_apis_rs_says() {
    let names: Vec<&str> = apis::URL_VARIABLES.iter().map(|(n, _)| *n).collect();
    let page = "const { URL_VARIABLES } = await import('./connect-compat/location.js');\n\
                out('table', URL_VARIABLES);\n";
    let r = run(
        &module("jira:issuePanel", "main", "/p"),
        json!({"context": issue_context()}),
        page,
    );
    let table = r.seen("table").expect("the table").clone();
    let js: Vec<(String, String)> = table
        .as_object()
        .expect("an object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect();
    let rust: Vec<(String, String)> = apis::URL_VARIABLES
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(js, rust);
    for name in names {
        assert_ne!(apis::url_variable(name).support, Support::Unsupported);
    }
}

// ---------------------------------------------------------------------------------------------
// AP.define / AP.require, and no TypeError

#[test]
fn ap_define_and_require_resolve_the_apps_modules_in_any_order() {
    let page = r#"
AP.require(['app/client', 'events'], function (client, events) {
  out('client', client.name());
  out('events', typeof events.on);
});
AP.define('app/client', ['app/config', 'request'], function (config, request) {
  return { name: () => config.name + ':' + typeof request };
});
AP.define('app/config', { name: 'cfg' });
out('sync', AP.require('app/config').name);
AP.require('_util', function (util) {
  out('util', [util.isFunction(util.each), util.extend({ a: 1 }, { b: 2 }), util.trim('  x ')]);
});
AP.require(['jira', 'confluence', 'history', 'navigator', 'user', 'cookie', 'dialog', 'messages', 'env'], function () {
  out('built-ins', Array.from(arguments).map((m) => typeof m));
});
AP.require('app/never-defined', function (m) {
  out('never', typeof m);
  try { m.doSomething(); m.deeper.call(); out('never-call', 'no TypeError'); } catch (e) { out('never-call', e.constructor.name); }
});
out('before-end', 'page ran');
"#;
    let r = run(
        &module("jira:issuePanel", "main", "/p"),
        json!({"context": issue_context()}),
        page,
    );
    assert!(r.clean(), "{:#?}", r.console);
    assert_eq!(r.seen("client"), Some(&json!("cfg:function")));
    assert_eq!(r.seen("events"), Some(&json!("function")));
    assert_eq!(r.seen("sync"), Some(&json!("cfg")));
    assert_eq!(r.seen("util"), Some(&json!([true, {"a": 1, "b": 2}, "x"])));
    assert_eq!(
        r.seen("built-ins"),
        Some(&json!([
            "object", "object", "object", "object", "object", "object", "object", "object",
            "object"
        ]))
    );
    // A module nobody defines: the callback still comes once the page ran, with a module whose
    // calls answer as unsupported.
    let order: Vec<&str> = r.out.iter().map(|(w, _)| w.as_str()).collect();
    let never = order
        .iter()
        .position(|w| *w == "never")
        .expect("called back");
    assert!(order.iter().position(|w| *w == "before-end") < Some(never));
    assert_eq!(r.seen("never-call"), Some(&json!("no TypeError")));
    assert_eq!(
        r.lines("AP.require(\"app/never-defined\") names no module"),
        1
    );
    assert_eq!(apis::lookup("define").support, Support::Supported);
    assert_eq!(apis::lookup("require").support, Support::Supported);
}

#[test]
fn a_call_the_layer_cannot_serve_calls_back_rejects_and_warns_once() {
    let page = r#"
const tries = {
  'AP.host.getSelectedText': () => AP.host.getSelectedText(function (t) { out('cb', t === undefined ? 'no value' : t); }),
  'AP.jira.DashboardItem.somethingNew': () => AP.jira.DashboardItem.somethingNew(),
  'AP.notAModule.deep.member': () => AP.notAModule.deep.member(),
  'AP.confluence.getSpacePermissions': () => AP.confluence.getSpacePermissions(function () {}),
};
for (const [name, call] of Object.entries(tries)) {
  try {
    const answer = call();
    const settled = await answer.then(() => 'resolved', (e) => 'rejected: ' + (e && e.message));
    out(name, settled);
  } catch (e) {
    out(name, 'threw ' + e.constructor.name);
  }
}
AP.host.getSelectedText();
out('feature-check', typeof AP.host.getSelectedText);
"#;
    let r = run(
        &module("jira:issuePanel", "main", "/p"),
        json!({"context": issue_context()}),
        page,
    );
    assert!(r.clean(), "{:#?}", r.console);
    assert_eq!(r.seen("cb"), Some(&json!("no value")));
    for name in [
        "AP.host.getSelectedText",
        "AP.jira.DashboardItem.somethingNew",
        "AP.notAModule.deep.member",
        "AP.confluence.getSpacePermissions",
    ] {
        let seen = r.seen(name).and_then(Value::as_str).unwrap_or_default();
        assert!(seen.starts_with("rejected: "), "{name}: {seen}");
        // Once, however often it is called.
        assert_eq!(
            r.lines(&format!("{name} is not available on Forge")),
            1,
            "{name}: {:#?}",
            r.console
        );
        let api = name.trim_start_matches("AP.");
        assert_eq!(apis::lookup(api).support, Support::Unsupported, "{api}");
    }
    assert_eq!(r.seen("feature-check"), Some(&json!("function")));
    assert!(r
        .console
        .iter()
        .any(|l| l.starts_with("warn: [connect2forge]")));
}

// ---------------------------------------------------------------------------------------------
// Visible modules, modals, macro editors, gadgets

#[test]
fn resize_is_silent_in_a_background_script_and_says_what_forge_does_in_a_visible_module() {
    let page =
        "AP.resize('100%', '300px'); AP.sizeToParent(); AP.require('env', (env) => env.resize());";
    let bg = run(
        &module("jira:issueViewBackgroundScript", "main", "/bg"),
        json!({"context": issue_context()}),
        page,
    );
    assert_eq!(bg.lines("AP.resize"), 0, "{:#?}", bg.console);
    assert_eq!(
        apis::lookup_in("resize", Surface::Background).support,
        Support::Supported
    );
    let panel = run(
        &module("jira:issuePanel", "main", "/p"),
        json!({"context": issue_context()}),
        page,
    );
    assert!(panel.clean());
    let line = panel
        .console
        .iter()
        .find(|l| l.contains("AP.resize differs on Forge"))
        .expect("a note");
    assert!(line.contains("its content's height"), "{line}");
    assert_eq!(panel.lines("AP.resize differs"), 1, "{:#?}", panel.console);
    assert_eq!(panel.lines("AP.sizeToParent differs"), 1);
    assert_eq!(
        apis::lookup_in("resize", Surface::Page).support,
        Support::Differs
    );
}

fn modal_context(custom: Value) -> Value {
    let mut ctx = issue_context();
    ctx["extension"]["modal"] = custom;
    ctx
}

#[test]
fn inside_a_modal_the_dialog_api_closes_answers_its_data_and_has_buttons() {
    let page = r#"
AP.dialog.getCustomData(function (data) { out('custom', data); });
out('custom-promise', await AP.dialog.getCustomData());
const submit = AP.dialog.getButton('submit');
submit.bind(function () { out('submit-handler', 'ran'); });
AP.events.on('dialog.submit', function (e) { out('submit-event', e); });
submit.trigger();
"#;
    let r = run(
        &module("jira:issuePanel", "modal", "/dialog"),
        json!({"context": modal_context(json!({"issueKey": "DEMO-7"}))}),
        page,
    );
    assert!(r.clean(), "{:#?}", r.console);
    assert_eq!(r.seen("custom"), Some(&json!({"issueKey": "DEMO-7"})));
    assert_eq!(
        r.seen("custom-promise"),
        Some(&json!({"issueKey": "DEMO-7"}))
    );
    assert_eq!(r.seen("submit-handler"), Some(&json!("ran")));
    assert_eq!(
        r.seen("submit-event"),
        Some(&json!({"button": {"name": "submit"}}))
    );
    // Submit closes the modal (Connect's chrome closed the dialog).
    assert_eq!(r.calls_to("view.close").len(), 1, "{:#?}", r.calls);
    // The event is the layer's own: no Forge subscription for it.
    assert!(!r
        .calls
        .iter()
        .any(|c| c["api"] == "events.on" && c["name"] == "dialog.submit"));

    let closing = run(
        &module("jira:issuePanel", "modal", "/dialog"),
        json!({"context": modal_context(json!({}))}),
        "AP.dialog.disableCloseOnSubmit(); AP.dialog.getButton('submit').trigger();\n\
         out('still-open', true); AP.dialog.close({ picked: 3 });",
    );
    let closes = closing.calls_to("view.close");
    assert_eq!(closes.len(), 1, "{:#?}", closing.calls);
    assert_eq!(closes[0]["payload"], json!({"picked": 3}));
    assert_eq!(
        apis::lookup_in("dialog.getButton", Surface::Modal).support,
        Support::Differs
    );
}

#[test]
fn a_page_opened_as_a_modal_is_told_by_its_context_and_elsewhere_dialog_calls_answer_as_unsupported(
) {
    // A visible module's page, opened in a modal by the app: extension.modal tells it.
    let opened = run(
        &module("jira:issuePanel", "main", "/p"),
        json!({"context": modal_context(json!({"n": 1}))}),
        "out('custom', await AP.dialog.getCustomData()); AP.dialog.close();",
    );
    assert_eq!(opened.seen("custom"), Some(&json!({"n": 1})));
    assert_eq!(opened.calls_to("view.close").len(), 1);
    // Not a modal: no data, no close, one warning each; buttons are unknown members.
    let r = run(
        &module("jira:issuePanel", "main", "/p"),
        json!({"context": issue_context()}),
        r#"
AP.dialog.getCustomData(function (d) { out('custom', d === undefined ? 'no value' : d); });
AP.dialog.close();
try { AP.dialog.getButton('submit').bind(function () {}); out('button', 'no TypeError'); } catch (e) { out('button', e.constructor.name); }
"#,
    );
    assert!(r.clean(), "{:#?}", r.console);
    assert_eq!(r.seen("custom"), Some(&json!("no value")));
    assert_eq!(r.seen("button"), Some(&json!("no TypeError")));
    assert!(r.calls_to("view.close").is_empty());
    assert_eq!(r.lines("AP.dialog.getCustomData is not available"), 1);
    assert_eq!(r.lines("AP.dialog.close is not available"), 1);
    assert_eq!(
        apis::lookup_in("dialog.getButton", Surface::Page).support,
        Support::Unsupported
    );
}

#[test]
fn a_macro_editor_reads_its_config_and_saves_with_view_submit() {
    let mut ctx = issue_context();
    ctx["extension"] = json!({"type": "macro", "config": {"color": "red"}, "content": {"id": "1"}});
    let page = r#"
AP.confluence.getMacroData(function (params) { out('params', params); });
AP.require(['confluence', 'dialog'], function (confluence, dialog) {
  dialog.getButton('submit').bind(function () {
    confluence.saveMacro({ color: 'blue', size: '2' }, '<p>body</p>');
    confluence.closeMacroEditor();
    return true;
  });
  dialog.getButton('submit').trigger();
});
"#;
    let r = run(
        &module("macro", "config", "/editor"),
        json!({"context": ctx}),
        page,
    );
    assert!(r.clean(), "{:#?}", r.console);
    assert_eq!(r.seen("params"), Some(&json!({"color": "red"})));
    let submits = r.calls_to("view.submit");
    assert_eq!(submits.len(), 1, "{:#?}", r.calls);
    assert_eq!(
        submits[0]["payload"],
        json!({"config": {"color": "blue", "size": "2"}})
    );
    // Saved once: the chrome's close after the handler does not submit again, nor close.
    assert!(r.calls_to("view.close").is_empty(), "{:#?}", r.calls);
    assert_eq!(r.lines("the body is not saved"), 1, "{:#?}", r.console);
    assert_eq!(
        apis::lookup_in("confluence.saveMacro", Surface::MacroEditor).support,
        Support::Differs
    );

    // Cancel closes without saving; getMacroBody answers the bodied macro's ADF.
    let mut ctx = issue_context();
    ctx["extension"] = json!({"type": "macro", "config": {}, "macro": {"body": {"type": "doc", "version": 1, "content": []}}});
    let cancel = run(
        &module("macro", "config", "/editor"),
        json!({"context": ctx}),
        "out('body', await AP.confluence.getMacroBody()); AP.confluence.saveMacro({a: '1'}); AP.dialog.getButton('cancel').trigger();",
    );
    assert_eq!(
        cancel.seen("body"),
        Some(&json!({"type": "doc", "version": 1, "content": []}))
    );
    assert!(cancel.calls_to("view.submit").is_empty());
    assert_eq!(cancel.calls_to("view.close").len(), 1);
}

#[test]
fn macro_calls_outside_a_macro_answer_as_unsupported() {
    let r = run(
        &module("jira:issuePanel", "main", "/p"),
        json!({"context": issue_context()}),
        "AP.confluence.saveMacro({a: 1}); AP.confluence.closeMacroEditor();\n\
         AP.confluence.getMacroData(function (d) { out('data', d === undefined ? 'no value' : d); });",
    );
    assert!(r.clean(), "{:#?}", r.console);
    assert_eq!(r.seen("data"), Some(&json!("no value")));
    assert!(r.calls_to("view.submit").is_empty() && r.calls_to("view.close").is_empty());
    for api in ["saveMacro", "closeMacroEditor", "getMacroData"] {
        assert_eq!(
            r.lines(&format!("AP.confluence.{api} is not available")),
            1,
            "{api}"
        );
        assert_eq!(
            apis::lookup_in(&format!("confluence.{api}"), Surface::Page).support,
            Support::Unsupported
        );
    }
}

#[test]
fn open_create_issue_dialog_opens_createissuemodal_and_answers_the_created_ids() {
    let page = r#"
AP.jira.openCreateIssueDialog(function (issues) { out('created', issues); }, {
  pid: 10000, issueType: 10001, fields: { summary: 'From Connect', description: 'line 1\nline 2', labels: ['x'] },
});
await new Promise((r) => setTimeout(r, 5));
globalThis.__createIssueModals[0].onClose({ payload: [{ issueId: '10042' }] });
"#;
    let r = run(
        &module("jira:issuePanel", "main", "/p"),
        json!({"context": issue_context()}),
        page,
    );
    assert!(r.clean(), "{:#?}", r.console);
    let opened = r.calls_to("CreateIssueModal.open");
    assert_eq!(opened.len(), 1);
    assert_eq!(
        opened[0]["context"],
        json!({
            "projectId": "10000", "issueTypeId": "10001", "summary": "From Connect", "labels": ["x"],
            "description": {"type": "doc", "version": 1, "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": "line 1"}]},
                {"type": "paragraph", "content": [{"type": "text", "text": "line 2"}]},
            ]},
        })
    );
    assert_eq!(r.seen("created"), Some(&json!([{"id": "10042"}])));
    assert_eq!(r.lines("AP.jira.openCreateIssueDialog differs"), 1);
    assert_eq!(
        apis::lookup("jira.openCreateIssueDialog").support,
        Support::Differs
    );
}

#[test]
fn the_scaffold_depends_on_the_jira_bridge_the_layer_imports() {
    let uses = render(&scaffold_context("k", "m", "/u"))
        .expect("renders")
        .iter()
        .any(|(_, js)| js.contains("from '@forge/jira-bridge'"));
    assert!(uses);
    let package = connect2forge::scaffold::DEFAULTS
        .iter()
        .find(|(n, _)| *n == "scaffold/package.json.hbs")
        .expect("package.json template")
        .1;
    assert!(
        package.contains("\"@forge/jira-bridge\": \"0.40.1\""),
        "{package}"
    );
}

#[test]
fn dialog_create_opens_the_migrated_dialogs_resource_with_its_custom_data() {
    let mut data = module("jira:issuePanel", "main", "/p");
    data["dialogs"] = json!([{"key": "pick-user", "resource": "pick-user-res"}]);
    let page = r#"
const d = AP.dialog.create({ key: 'pick-user', size: 'x-large', header: 'Pick', customData: { issueKey: 'DEMO-7' } });
d.on('close', function (result) { out('closed', result); });
AP.events.on('dialog.close', function (result) { out('close-event', result); });
await new Promise((r) => setTimeout(r, 5));
globalThis.__modals[0].onClose({ accountId: 'abc' });
const other = AP.dialog.create({ key: 'not-migrated' });
other.on('close', function () {});
out('other', typeof other.on);
"#;
    let r = run(&data, json!({"context": issue_context()}), page);
    assert!(r.clean(), "{:#?}", r.console);
    let opened = r.calls_to("Modal.open");
    assert_eq!(opened.len(), 1, "{:#?}", r.calls);
    assert_eq!(opened[0]["resource"], "pick-user-res");
    assert_eq!(opened[0]["context"], json!({"issueKey": "DEMO-7"}));
    assert_eq!(opened[0]["size"], "xlarge");
    assert_eq!(opened[0]["title"], "Pick");
    assert_eq!(r.seen("closed"), Some(&json!({"accountId": "abc"})));
    assert_eq!(r.seen("close-event"), Some(&json!({"accountId": "abc"})));
    assert_eq!(r.seen("other"), Some(&json!("function")));
    assert_eq!(
        r.lines("AP.dialog.create(\"not-migrated\") is not available"),
        1
    );
    assert_eq!(apis::event("dialog.close").support, Support::Supported);
}

fn gadget_context(edit: bool) -> Value {
    let mut ctx = issue_context();
    ctx["extension"] = json!({"type": "jira:dashboardGadget", "dashboard": {"id": "10100"}, "gadget": {"id": "10200"}});
    if edit {
        ctx["extension"]["entryPoint"] = json!("edit");
    }
    ctx
}

#[test]
fn a_gadgets_edit_entry_point_shows_the_pages_form_and_its_save_submits() {
    let page = r#"
AP.require(['jira'], function (jira) {
  jira.DashboardItem.onDashboardItemEdit(function () {
    out('edit', 'form shown');
    AP.request({ url: '/rest/api/3/dashboard/10100/items/10200/properties/config', type: 'PUT',
      contentType: 'application/json', data: JSON.stringify({ jql: 'project = DEMO' }) });
  });
  jira.isDashboardItemEditable(function (editable) { out('editable', editable); });
});
AP.events.on('dashboard-item-edit', function () { out('edit-event', true); });
AP.jira.setDashboardItemTitle('Issues in DEMO');
"#;
    let env = json!({"context": gadget_context(true), "replies": {
        "PUT /rest/api/3/dashboard/10100/items/10200/properties/config": {"status": 200, "body": ""}}});
    let r = run(
        &module(
            "jira:dashboardGadget",
            "main",
            "/gadget?dashboardItemId={dashboardItem.id}",
        ),
        env,
        page,
    );
    assert!(r.clean(), "{:#?}", r.console);
    assert_eq!(r.seen("edit"), Some(&json!("form shown")));
    assert_eq!(r.seen("edit-event"), Some(&json!(true)));
    assert_eq!(r.seen("editable"), Some(&json!(true)));
    let submits = r.calls_to("view.submit");
    assert_eq!(submits.len(), 1, "{:#?}", r.calls);
    assert_eq!(submits[0]["payload"], json!({"jql": "project = DEMO"}));
    assert!(r.search.contains("dashboardItemId=10200"), "{}", r.search);
    assert_eq!(
        r.lines("AP.jira.setDashboardItemTitle is not available on Forge"),
        1
    );
    assert_eq!(
        apis::lookup("jira.setDashboardItemTitle").support,
        Support::Unsupported
    );

    // The gadget's view: no edit, nothing submitted.
    let view = run(
        &module("jira:dashboardGadget", "main", "/gadget"),
        json!({"context": gadget_context(false)}),
        page,
    );
    assert_eq!(view.seen("edit"), None);
    assert_eq!(view.seen("editable"), Some(&json!(false)));
    assert!(view.calls_to("view.submit").is_empty());
}

#[test]
fn workflow_configuration_hands_the_rules_config_to_forge() {
    let page = r#"
AP.require(['jira'], function (jira) {
  jira.WorkflowConfiguration.onSave(function () { return 'field=summary'; });
  jira.WorkflowConfiguration.onSaveValidation(function () { return globalThis.valid; });
});
await new Promise((r) => setTimeout(r, 5));
globalThis.valid = true;
out('config', await globalThis.__onConfigure());
globalThis.valid = false;
out('invalid', await globalThis.__onConfigure().then(() => 'saved', () => 'refused'));
"#;
    let r = run(
        &module("jira:workflowPostFunction", "main", "/wf"),
        json!({"context": issue_context()}),
        page,
    );
    assert!(r.clean(), "{:#?}", r.console);
    assert_eq!(r.calls_to("workflowRules.onConfigure").len(), 1);
    assert_eq!(r.seen("config"), Some(&json!("field=summary")));
    assert_eq!(r.seen("invalid"), Some(&json!("refused")));
}

// ---------------------------------------------------------------------------------------------
// Events, navigation, requests, messages

#[test]
fn events_that_never_fire_on_forge_warn_and_local_events_are_not_subscribed() {
    let r = run(
        &module("jira:issueContext", "main", "/glance"),
        json!({"context": issue_context()}),
        "AP.events.on('ISSUE_GLANCE_OPENED', function () {});\n\
         AP.events.on('ISSUE_CHANGED', function () {});\n\
         AP.events.on('flag.action', function () {});\n\
         AP.events.on('app.refresh', function () {});",
    );
    assert_eq!(
        r.lines("AP.events.on(\"ISSUE_GLANCE_OPENED\") never fires on Forge"),
        1,
        "{:#?}",
        r.console
    );
    let subscribed: Vec<&str> = r
        .calls_to("events.on")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        subscribed,
        ["ISSUE_GLANCE_OPENED", "JIRA_ISSUE_CHANGED", "app.refresh"]
    );
    assert_eq!(
        apis::event("ISSUE_GLANCE_OPENED").support,
        Support::Unsupported
    );
    assert_eq!(apis::event("ISSUE_CHANGED").support, Support::Supported);
}

#[test]
fn navigator_go_serves_exactly_the_targets_apis_rs_does_not_call_unsupported() {
    let targets = [
        ("issue", json!({"issueKey": "DEMO-1"})),
        ("dashboard", json!({"dashboardId": "1"})),
        ("projectAdminSummary", json!({"projectKey": "DEMO"})),
        ("userProfile", json!({"userAccountId": "abc"})),
        ("contentview", json!({"contentId": "1"})),
        ("contentedit", json!({"contentId": "1"})),
        ("spaceview", json!({"spaceKey": "DOCS"})),
        (
            "contentlist",
            json!({"spaceKey": "DOCS", "contentType": "page"}),
        ),
        ("addonModule", json!({"moduleKey": "other-page"})),
        ("site", json!({"relativeUrl": "/jira/your-work"})),
        ("spacetools", json!({"spaceKey": "DOCS"})),
        (
            "projectAdminTabPanel",
            json!({"projectKey": "DEMO", "adminPageKey": "x"}),
        ),
        ("module", json!({"moduleKey": "x"})),
    ];
    for (target, ctx) in targets {
        let page = format!(
            "const answer = AP.navigator.go({}, {});\n\
             out('answer', answer === undefined ? 'none' : await answer.then(() => 'resolved', () => 'rejected'));",
            json!(target),
            ctx
        );
        let r = run(
            &module("jira:globalPage", "main", "/p"),
            json!({"context": issue_context()}),
            &page,
        );
        let navigated = r.calls_to("router.navigate").len();
        let level = apis::navigator_target(target).support;
        if level == Support::Unsupported {
            assert_eq!(navigated, 0, "{target}");
            assert_eq!(r.seen("answer"), Some(&json!("rejected")), "{target}");
            assert_eq!(r.lines("is not available on Forge"), 1, "{target}");
        } else {
            assert_eq!(navigated, 1, "{target}: {:#?}", r.console);
            assert_eq!(r.seen("answer"), Some(&json!("none")), "{target}");
        }
    }
    let r = run(
        &module("jira:globalPage", "main", "/p"),
        json!({"context": issue_context()}),
        "AP.navigator.go('contentlist', { spaceKey: 'DOCS', contentType: 'blogpost' });",
    );
    assert_eq!(
        r.calls_to("router.navigate")[0]["location"],
        json!({"target": "contentList", "spaceKey": "DOCS", "contentType": "blogpost"})
    );
}

#[test]
fn requests_reach_the_modules_product_also_through_the_sites_own_url() {
    let confluence = run(
        &module("macro", "main", "/m"),
        json!({"context": {"siteUrl": "https://example.atlassian.net", "extension": {"type": "macro"}},
               "replies": {"GET /wiki/rest/api/content/1": {"status": 200, "body": {"id": "1"}}}}),
        "AP.request({ url: '/rest/api/content/1', success: (b) => out('body', JSON.parse(b)) });\n\
         AP.request('https://example.atlassian.net/wiki/rest/api/space');",
    );
    let paths: Vec<&str> = confluence
        .calls_to("requestConfluence")
        .iter()
        .filter_map(|c| c["path"].as_str())
        .collect();
    assert_eq!(paths, ["/wiki/rest/api/content/1", "/wiki/rest/api/space"]);
    assert_eq!(confluence.seen("body"), Some(&json!({"id": "1"})));
    // A Jira page building URLs from xdm_e (now the site's URL) still reaches Jira.
    let jira = run(
        &module("jira:projectPage", "main", "/p"),
        json!({"context": issue_context()}),
        "const base = new URLSearchParams(location.search).get('xdm_e');\n\
         AP.request(base + '/rest/agile/1.0/board?projectKeyOrId=DEMO');\n\
         AP.request('https://elsewhere.example.com/rest/api/3/myself');",
    );
    let paths: Vec<&str> = jira
        .calls_to("requestJira")
        .iter()
        .filter_map(|c| c["path"].as_str())
        .collect();
    assert_eq!(paths, ["/rest/agile/1.0/board?projectKeyOrId=DEMO"]);
    assert_eq!(jira.lines("AP.request to \"https://elsewhere"), 1);
}

#[test]
fn messages_are_shown_as_flags() {
    let r = run(
        &module("jira:projectSettingsPage", "main", "/p"),
        json!({"context": issue_context()}),
        "const id = AP.messages.success('Saved', '<b>Your</b> settings were saved.', { fadeout: true });\n\
         AP.messages.hint('Tip', 'text');\n\
         AP.messages.clear(id);\n\
         AP.messages.info(function () {});",
    );
    assert!(r.clean(), "{:#?}", r.console);
    let flags = r.calls_to("showFlag");
    assert_eq!(flags.len(), 3);
    // A title that is not text (a page passing a callback) is no title.
    assert_eq!(flags[2]["title"], "");
    assert_eq!(flags[0]["title"], "Saved");
    assert_eq!(flags[0]["type"], "success");
    assert_eq!(flags[0]["description"], "Your settings were saved.");
    assert_eq!(flags[0]["isAutoDismiss"], true);
    assert_eq!(flags[1]["type"], "info");
    assert_eq!(r.calls_to("closeFlag").len(), 1);
    assert_eq!(r.lines("AP.messages differs on Forge"), 1);
    assert_eq!(apis::lookup("messages.success").support, Support::Differs);
}

#[test]
fn content_properties_go_through_the_confluence_rest_api() {
    let ctx = json!({"siteUrl": "https://example.atlassian.net",
        "extension": {"type": "macro", "content": {"id": "123", "type": "page"}, "config": {}}});
    let replies = json!({
        "GET /wiki/rest/api/content/123/property/chart-1": {"status": 200, "body": {"key": "chart-1", "value": {"a": 1}, "version": {"number": 3}}},
        "GET /wiki/rest/api/content/123/property/missing": {"status": 404, "body": {}},
        "POST /wiki/rest/api/content/123/property": {"status": 200, "body": {"key": "new", "value": 2, "version": {"number": 1}}},
        "PUT /wiki/rest/api/content/123/property/chart-1": {"status": 200, "body": {"key": "chart-1", "value": {"a": 2}, "version": {"number": 4}}},
    });
    let page = r#"
AP.confluence.getContentProperty('chart-1', function (p) { out('got', p); });
AP.confluence.getContentProperty('missing', function (p) { out('missing', p === undefined ? 'no value' : p); });
await new Promise((r) => setTimeout(r, 5));
AP.confluence.setContentProperty({ key: 'new', value: 2 }, function (p) { out('created', p.version.number); });
AP.confluence.setContentProperty({ key: 'chart-1', value: { a: 2 }, version: { number: 4 } }, function (p) { out('updated', p.version.number); });
"#;
    let r = run(
        &module("macro", "config", "/editor"),
        json!({"context": ctx, "replies": replies}),
        page,
    );
    assert!(r.clean(), "{:#?}", r.console);
    assert_eq!(
        r.seen("got"),
        Some(&json!({"key": "chart-1", "value": {"a": 1}, "version": {"number": 3}}))
    );
    assert_eq!(r.seen("missing"), Some(&json!("no value")));
    assert_eq!(r.seen("created"), Some(&json!(1)));
    assert_eq!(r.seen("updated"), Some(&json!(4)));
    let sent: Vec<(String, String, Value)> = r
        .calls_to("requestConfluence")
        .iter()
        .map(|c| {
            (
                c["method"].as_str().unwrap_or_default().to_string(),
                c["path"].as_str().unwrap_or_default().to_string(),
                c["body"]
                    .as_str()
                    .and_then(|b| serde_json::from_str(b).ok())
                    .unwrap_or(Value::Null),
            )
        })
        .collect();
    assert_eq!(
        sent[2..],
        [
            (
                "POST".to_string(),
                "/wiki/rest/api/content/123/property".to_string(),
                json!({"key": "new", "value": 2})
            ),
            (
                "PUT".to_string(),
                "/wiki/rest/api/content/123/property/chart-1".to_string(),
                json!({"key": "chart-1", "value": {"a": 2}, "version": {"number": 4}})
            ),
        ]
    );
    assert_eq!(
        apis::lookup("confluence.setContentProperty").support,
        Support::Differs
    );
}
