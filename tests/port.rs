//! The port stage through the binary: how each fixture app's pages are found and carried, what
//! the review and its JSON say, `--page` and `--source`, and re-runs (idempotent, the user's
//! edits to carried files kept). The browser proof of behaviour is `tests/browser.rs`.

mod common;

use std::path::{Path, PathBuf};

use common::{c2f_in, root};
use serde_json::Value;

fn apps() -> std::path::PathBuf {
    root().join("tests/fixtures/apps")
}

/// The atlassian-connect-express app: the README's bundled example, and the fixture of the ACE
/// tests (one copy, so the example is what the tests prove).
fn ace_app() -> std::path::PathBuf {
    root().join("examples/ace-app")
}

/// `migrate --dry-run --format json` of a fixture app's input, with extra arguments.
fn json(input: &Path, extra: &[&str]) -> Value {
    let out = tempfile::tempdir().unwrap();
    json_out(input, out.path(), extra)
}

/// [`json`] with the output folder named.
fn json_out(input: &Path, out: &Path, extra: &[&str]) -> Value {
    let mut cmd = c2f_in(root());
    cmd.arg("migrate").arg(input).arg("--out").arg(out);
    cmd.args(["--dry-run", "--format", "json"]).args(extra);
    let o = cmd.output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The messages of a module's port list of diagnostics (`warnings`, `dropped`), in order.
fn messages_of<'a>(port: &'a Value, list: &str) -> Vec<&'a str> {
    strings_of(port, list, "message")
}

/// The string `field` of each entry of the list `list` of a JSON object (a port's `calls` →
/// `api`, its `endpoints` → `path`, the review's `files` → `path`), in order.
fn strings_of<'a>(object: &'a Value, list: &str, field: &str) -> Vec<&'a str> {
    object[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} list in {object:#}"))
        .iter()
        .filter_map(|d| d[field].as_str())
        .collect()
}

/// A real `migrate --yes` of `input` into `out` (exit 0): the written manifest.yml, as text
/// and parsed.
fn written_manifest(input: &Path, out: &Path) -> (String, Value) {
    c2f_in(root())
        .arg("migrate")
        .arg(input)
        .arg("--yes")
        .arg("--out")
        .arg(out)
        .assert()
        .code(0);
    let manifest = std::fs::read_to_string(out.join("manifest.yml")).unwrap();
    let v: Value = serde_yaml::from_str(&manifest).unwrap();
    (manifest, v)
}

/// A real `migrate --yes` of `input` into `out`: its exit code and standard error.
fn migrate_yes(input: &Path, out: &Path) -> (Option<i32>, String) {
    let o = c2f_in(root())
        .arg("migrate")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--yes", "--color", "never"])
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A port's reported AP call sites as `(api, file, line, column)`, in report order.
fn call_sites(port: &Value) -> Vec<(String, String, u64, u64)> {
    port["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["api"].as_str().unwrap().to_string(),
                c["file"].as_str().unwrap().to_string(),
                c["line"].as_u64().unwrap(),
                c["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn port<'a>(review: &'a Value, key: &str) -> &'a Value {
    review["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["connect_key"] == key)
        .map(|m| &m["port"])
        .unwrap_or_else(|| panic!("no module {key}"))
}

/// A static-site Connect app in a temporary folder: `atlassian-connect.json` and the files
/// under `public/` (`(path below public/, content)`).
/// A static app whose one background script's page is `public/bg.html`, with `public`'s files.
fn bg_html_app(public: &[(&str, &[u8])]) -> tempfile::TempDir {
    static_app(
        r#"{"key": "m", "baseUrl": "https://m.example.com", "modules": {"jiraBackgroundScripts": [{"key": "bg", "url": "/bg.html", "location": {"type": "issue_view"}}]}}"#,
        public,
    )
}

fn static_app(descriptor: &str, public: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("atlassian-connect.json"), descriptor).unwrap();
    for (path, content) in public {
        let file = dir.path().join("public").join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, content).unwrap();
    }
    dir
}

#[test]
fn ace_pages_are_found_through_their_routes_and_carried_in_document_order() {
    // The web panel is kept on Connect to see the event that no longer reaches it.
    let review = json(
        &ace_app().join("atlassian-connect.json"),
        &["--keep-connect", "watcher-panel"],
    );
    let p = port(&review, "issue-watcher");
    assert_eq!(p["page"], "views/issue-watcher.hbs");
    assert_eq!(p["found_by"], "ace-route");
    assert_eq!(p["route"], "routes/index.js:10");
    assert_eq!(
        p["scripts"],
        serde_json::json!([
            "page/issue-watcher.inline-1.js",
            "page/js/jira-client.js",
            "page/js/issue-watcher.js"
        ])
    );
    // The event name comes from a settings object of the page's inline script, and the web panel
    // still on Connect listens to it: named, with where it listens.
    let l = &p["connect_listeners"][0];
    assert_eq!(
        (
            l["event"].as_str(),
            l["module"].as_str(),
            l["file"].as_str()
        ),
        (
            Some("issue-watcher.status"),
            Some("watcher-panel"),
            Some("public/js/watcher-panel.js")
        ),
        "{p:#}"
    );
    // The PUT goes through the page's JiraClient.send wrapper: the manifest still gets its scope.
    let scopes = review["scopes"].as_array().unwrap();
    assert!(
        scopes.contains(&serde_json::json!("write:jira-work")),
        "{scopes:?}"
    );
    // all.js (in the layout) is dropped, and the review says where it was.
    let dropped = &p["dropped"][0];
    assert!(
        dropped["message"]
            .as_str()
            .unwrap()
            .contains("all.js is dropped"),
        "{p:#}"
    );
    assert!(dropped["file"]
        .as_str()
        .unwrap()
        .ends_with("views/layout.hbs"));
    assert_eq!(dropped["position"]["line"], 8, "{dropped:#}");
    let files = strings_of(&review, "files", "path");
    for f in [
        "static/issue-watcher/index.html",
        "static/issue-watcher/src/connect-compat.js",
        "static/issue-watcher/page/js/issue-watcher.js",
        "static/issue-watcher/page/css/addon.css",
    ] {
        assert!(files.contains(&f), "{f} not planned: {files:?}");
    }
    assert_eq!(
        port(&review, "team-dashboard-refresh")["page"],
        "views/dashboard-refresh.hbs"
    );
}

#[test]
fn spring_and_static_pages_are_found_by_their_own_rules() {
    let spring = json(
        &apps().join("spring/src/main/resources/atlassian-connect.json"),
        &[],
    );
    let p = port(&spring, "triage-bg");
    assert_eq!(p["found_by"], "spring-controller");
    assert_eq!(
        p["page"],
        "src/main/resources/templates/background/triage.html"
    );
    let stat = json(&apps().join("static/atlassian-connect.json"), &[]);
    let p = port(&stat, "overdue-counter");
    assert_eq!(p["found_by"], "static-file");
    assert_eq!(p["page"], "www/bg/overdue.html");
}

#[test]
fn a_cdn_jquery_becomes_an_npm_dependency_at_its_version_exposed_as_globals() {
    let out = tempfile::tempdir().unwrap();
    c2f_in(root())
        .arg("migrate")
        .arg(apps().join("static/atlassian-connect.json"))
        .arg("--out")
        .arg(out.path())
        .arg("--yes")
        .assert()
        .code(0);
    let res = out.path().join("static/overdue-counter");
    let pkg: Value =
        serde_json::from_str(&std::fs::read_to_string(res.join("package.json")).unwrap()).unwrap();
    assert_eq!(pkg["dependencies"]["jquery"], "3.7.1");
    let main = std::fs::read_to_string(res.join("src/main.js")).unwrap();
    assert!(main.contains("import './connect-compat.js';"), "{main}");
    assert!(
        main.contains("import lib_jquery from \"jquery\";"),
        "{main}"
    );
    assert!(main.contains("window[\"$\"] = lib_jquery;"), "{main}");
    let index = std::fs::read_to_string(res.join("index.html")).unwrap();
    assert!(!index.contains("code.jquery.com"), "{index}");
    assert!(!index.contains("<script>"), "no inline script: {index}");
    let main_at = index.find("./main.js").unwrap();
    let page_at = index.find("<script src=\"./page/").unwrap();
    assert!(
        main_at < page_at,
        "the compatibility layer loads first: {index}"
    );
}

#[test]
fn a_page_that_cannot_be_found_keeps_the_skeleton_and_says_how_to_name_it() {
    let input = apps().join("missing/atlassian-connect.json");
    // The general page is kept on Connect: only the background script is carried (or not).
    let review = json(&input, &["--keep-connect", "release-notes"]);
    let p = port(&review, "release-notes-bg");
    assert_eq!(p["page"], Value::Null);
    assert_eq!(p["found_by"], "not-found");
    let out = tempfile::tempdir().unwrap();
    let o = c2f_in(root())
        .arg("migrate")
        .arg(&input)
        .arg("--out")
        .arg(out.path())
        .args([
            "--dry-run",
            "--color",
            "never",
            "--keep-connect",
            "release-notes",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("release-notes-bg: no page found in the source tree; skeleton scaffold (pass --page release-notes-bg=FILE)"),
        "{text}"
    );
    assert!(!text.contains("connect-compat.js"), "{text}");
}

#[test]
fn page_names_the_page_outright_and_source_points_at_the_tree() {
    // The missing app's descriptor, with the ACE app's tree and page named outright.
    let review = json(
        &apps().join("missing/atlassian-connect.json"),
        &[
            "--source",
            ace_app().to_str().unwrap(),
            "--page",
            "release-notes-bg=views/issue-watcher.hbs",
        ],
    );
    let p = port(&review, "release-notes-bg");
    assert_eq!(p["found_by"], "option");
    assert_eq!(p["page"], "views/issue-watcher.hbs");
    // An unknown key is a usage error, exit 2.
    let out = tempfile::tempdir().unwrap();
    let o = c2f_in(root())
        .arg("migrate")
        .arg(ace_app().join("atlassian-connect.json"))
        .arg("--out")
        .arg(out.path())
        .args(["--dry-run", "--page", "nope=views/x.hbs"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no module with a page has the key nope"));
}

#[test]
fn a_rerun_shows_no_change_keeps_edits_and_never_takes_its_own_output_for_the_page() {
    // The Forge app is written inside the Connect app's tree (forge-app/ beside the code).
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("ace");
    copy_dir(&ace_app(), &app);
    let run = |extra: &str| {
        c2f_in(root())
            .arg("migrate")
            .arg(app.join("atlassian-connect.json"))
            .arg("--out")
            .arg(app.join("forge-app"))
            .arg(extra)
            .output()
            .unwrap()
    };
    assert_eq!(run("--yes").status.code(), Some(0));
    let carried = app.join("forge-app/static/issue-watcher/page/js/issue-watcher.js");
    let mut edited = std::fs::read_to_string(&carried).unwrap();
    edited.push_str("// my port fix\n");
    std::fs::write(&carried, &edited).unwrap();
    let check = run("--check");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        text.contains("kept static/issue-watcher/page/js/issue-watcher.js"),
        "{text}"
    );
    assert!(!text.contains("candidate"), "{text}");
    assert_eq!(std::fs::read_to_string(&carried).unwrap(), edited);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn adopting_in_place_adds_the_scopes_the_carried_page_needs_keeping_the_users_lines() {
    // No permissions block, and a scope list that lacks the scope.
    let blocks = [
        (
            "permissions:\n  scopes:\n    - read:jira-work\n    - write:jira-work\n",
            "",
            vec!["read:jira-work"],
        ),
        (
            "    - read:jira-work\n    - write:jira-work\n",
            "    - write:jira-work\n",
            vec!["write:jira-work", "read:jira-work"],
        ),
    ];
    for (from, to, want) in blocks {
        adopt_adds_scopes(from, to, &want);
    }
}

/// A copy of the Connect-on-Forge fixture whose manifest.yml `edit` has changed: the folder
/// (kept alive), the manifest's path and its edited text.
fn forge_adopt_with(edit: impl Fn(&str) -> String) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    copy_dir(&apps().join("forge-adopt"), &app);
    let manifest = app.join("manifest.yml");
    let original = std::fs::read_to_string(&manifest).unwrap();
    let edited = edit(&original);
    std::fs::write(&manifest, &edited).unwrap();
    (dir, manifest, edited)
}

/// `migrate MANIFEST --yes` (exit 0): the manifest's new text, and its value.
fn adopt_in_place(manifest: &Path) -> (String, Value) {
    c2f_in(root())
        .arg("migrate")
        .arg(manifest)
        .arg("--yes")
        .assert()
        .code(0);
    let after = std::fs::read_to_string(manifest).unwrap();
    let v = serde_yaml::from_str(&after).unwrap();
    (after, v)
}

fn adopt_adds_scopes(from: &str, to: &str, want: &[&str]) {
    let (_dir, manifest, without) = forge_adopt_with(|m| {
        let edited = m.replace(from, to);
        assert_ne!(edited, m, "the fixture's permissions block moved");
        edited
    });
    let (after, v) = adopt_in_place(&manifest);
    assert_eq!(
        v["permissions"]["scopes"],
        serde_json::json!(want),
        "{after}"
    );
    // The user's comments and lines are all still there.
    for line in without
        .lines()
        .filter(|l| l.starts_with('#') || l.starts_with("app:"))
    {
        assert!(after.contains(line), "lost {line:?}:\n{after}");
    }
}

#[test]
fn an_event_emitted_to_a_module_still_on_connect_is_a_warning_naming_it() {
    let dir = static_app(
        r#"{"key": "com.example.ev", "baseUrl": "https://ev.example.com", "scopes": ["READ"],
            "modules": {
              "jiraBackgroundScripts": [{"key": "bg", "url": "/bg.html", "location": {"type": "issue_view"}}],
              "webPanels": [{"key": "sla-panel", "name": {"value": "SLA"}, "url": "/panel.html",
                             "location": "atl.jira.view.issue.right.context"}]}}"#,
        &[
            ("bg.html", "<html><body>\n<script>\n  AP.events.emit('sla-breached', {key: 1});\n</script>\n</body></html>\n".as_bytes()),
            ("panel.html", "<html><body><script>\nAP.events.on('sla-breached', function () {});\n</script></body></html>\n".as_bytes()),
        ],
    );
    let app = dir.path();
    let review = json(
        &app.join("atlassian-connect.json"),
        &["--keep-connect", "sla-panel"],
    );
    let p = port(&review, "bg");
    assert_eq!(p["found_by"], "static-file");
    let l = &p["connect_listeners"][0];
    assert_eq!(l["event"], "sla-breached");
    assert_eq!(l["module"], "sla-panel");
    assert_eq!(
        (l["file"].as_str(), l["line"].as_u64()),
        (Some("public/panel.html"), Some(2))
    );
    let emit = &p["emits"][0];
    assert_eq!(
        (emit["line"].as_u64(), emit["column"].as_u64()),
        (Some(3), Some(3))
    );
    let warned = review["warnings"].as_array().unwrap().iter().any(|w| {
        w["message"]
            .as_str()
            .is_some_and(|m| m.contains("the Connect module 'sla-panel' listens to it"))
    });
    assert!(warned, "{:#}", review["warnings"]);

    // Once the panel migrates too, both ends are Forge modules: the event reaches it, no warning,
    // and the panel's page is carried as well.
    let review = json(&app.join("atlassian-connect.json"), &[]);
    assert_eq!(
        port(&review, "bg")["connect_listeners"],
        serde_json::json!([])
    );
    assert_eq!(port(&review, "sla-panel")["found_by"], "static-file");
}

#[test]
fn external_scripts_and_styles_become_permissions_external_in_place_keeping_the_users_lines() {
    // The permissions block as the user may have it: with scopes only, with an external block
    // that lacks scripts, with a flow-style scripts list, and none at all.
    let blocks = [
        ("", None),
        (
            "  external:\n    fetch:\n      backend:\n        - https://api.example.com\n",
            None,
        ),
        (
            "  external:\n    scripts: [https://old.example.com/a.js]\n",
            Some("https://old.example.com/a.js"),
        ),
    ];
    for (extra, kept) in blocks {
        let (_dir, manifest, with) = forge_adopt_with(|m| {
            m.replace(
                "    - write:jira-work\n",
                &format!("    - write:jira-work\n{extra}"),
            )
        });
        let view = manifest.with_file_name("views/sprint-health.hbs");
        let page = std::fs::read_to_string(&view).unwrap();
        std::fs::write(
            &view,
            format!(
                "<link rel=\"stylesheet\" href=\"https://cdn.example.com/theme.css\">\n<script src=\"https://widgets.example.com/w.js\"></script>\n{page}"
            ),
        )
        .unwrap();
        let (after, v) = adopt_in_place(&manifest);
        // New entries take the `address:` form (the plain string is deprecated); the user's stay.
        let mut scripts = vec![serde_json::json!({"address": "https://widgets.example.com/w.js"})];
        if let Some(k) = kept {
            scripts.insert(0, serde_json::json!(k));
        }
        let ext = &v["permissions"]["external"];
        assert_eq!(ext["scripts"], serde_json::json!(scripts), "{after}");
        assert_eq!(
            ext["styles"],
            serde_json::json!([{"address": "https://cdn.example.com/theme.css"}]),
            "{after}"
        );
        assert_eq!(
            v["permissions"]["scopes"],
            serde_json::json!(["read:jira-work", "write:jira-work"])
        );
        if !extra.is_empty() && kept.is_none() {
            assert_eq!(
                ext["fetch"]["backend"],
                serde_json::json!(["https://api.example.com"])
            );
        }
        // Every line before the migrated connectModules stays (but a flow list that grew, and
        // the Connect authentication, which goes with the last Connect module: the lifecycle
        // became a Forge trigger).
        let before = with.lines().take_while(|l| !l.contains("connectModules:"));
        for line in before.filter(|l| !l.contains("scripts: [") && !l.contains("authentication:")) {
            assert!(after.contains(line), "lost {line:?}:\n{after}");
        }
        // Idempotent: a second run changes nothing.
        c2f_in(root())
            .arg("migrate")
            .arg(&manifest)
            .arg("--check")
            .assert()
            .code(0);
    }
}

#[test]
fn a_descriptor_app_gets_permissions_external_for_the_hosts_its_page_still_loads_from() {
    let dir = static_app(
        r#"{"key": "com.example.ext", "baseUrl": "https://ext.example.com", "scopes": ["READ"],
            "modules": {"jiraBackgroundScripts": [{"key": "bg", "url": "/bg.html", "location": {"type": "issue_view"}}]}}"#,
        &[
            ("bg.html", "<html><head><link rel=\"stylesheet\" href=\"//cdn.example.com/theme.css\">\n<script src=\"https://widgets.example.com/w.js?v=2#x\"></script></head><body>\n<script>AP.events.on('ISSUE_CHANGED', function () {});</script>\n</body></html>\n".as_bytes()),
        ],
    );
    let app = dir.path();
    let out = app.join("forge");
    let (manifest, v) = written_manifest(&app.join("atlassian-connect.json"), &out);
    assert_eq!(
        v["permissions"]["external"],
        serde_json::json!({"scripts": [{"address": "https://widgets.example.com/w.js"}], "styles": [{"address": "https://cdn.example.com/theme.css"}]}),
        "{manifest}"
    );
    // Nothing stays on Connect: READ becomes Forge's own scopes (docs/mapping.md, Scopes).
    assert_eq!(
        v["permissions"]["scopes"],
        serde_json::json!(["read:jira-work", "read:jira-user"])
    );
}

#[test]
fn addresses_forges_manifest_cannot_list_are_named_and_never_written() {
    // Plain http and localhost: Atlassian's validator rejects them in permissions.external.
    let dir = bg_app(
        "/bg.html",
        &[(
            "bg.html",
            concat!(
                "<html><head><link rel=\"stylesheet\" href=\"http://cdn.example.com/old.css\">\n",
                "<script src=\"https://localhost:8443/dev.js\"></script>\n",
                "<script src=\"https://widgets.example.com/w.js\"></script></head><body>\n",
                "<img src=\"http://localhost/img/logo.png\">\n",
                "<script>fetch('http://api.example.com/v1'); fetch('https://api.example.org/v2');</script>\n",
                "</body></html>\n"
            ),
        )],
    );
    let app = dir.path();
    let out = app.join("forge");
    let review = json(&app.join("atlassian-connect.json"), &[]);
    let (manifest, v) = written_manifest(&app.join("atlassian-connect.json"), &out);
    assert_eq!(
        v["permissions"]["external"],
        serde_json::json!({
            "scripts": [{"address": "https://widgets.example.com/w.js"}],
            "fetch": {"client": [{"address": "https://api.example.org"}]}
        }),
        "{manifest}"
    );
    let messages = messages_of(port(&review, "bg"), "warnings");
    for (what, url) in [
        ("stylesheet", "http://cdn.example.com/old.css"),
        ("script", "https://localhost:8443/dev.js"),
        ("image", "http://localhost/img/logo.png"),
    ] {
        let want = format!(
            "external {what} {url} cannot be listed in manifest.yml's permissions.external"
        );
        assert!(
            messages.iter().any(|m| m.starts_with(&want)),
            "{want}\n{messages:#?}"
        );
    }
    assert!(
        messages
            .iter()
            .any(|m| m.contains("(api.example.com) that manifest.yml cannot list")),
        "{messages:#?}"
    );
}

#[test]
fn a_scope_an_adopted_manifest_lists_already_needs_no_new_approval() {
    // The fixture lists read:jira-work, which its page's GET needs; without it, only
    // write:jira-work is left, which grants no read.
    for (from, to, covered) in [("", "", true), ("    - read:jira-work\n", "", false)] {
        let (_dir, manifest, _) = forge_adopt_with(|m| m.replacen(from, to, 1));
        let review = json(&manifest, &[]);
        let scopes = &port(&review, "sprint-health-bg")["scopes"];
        assert_eq!(scopes[0]["scope"], "read:jira-work", "{scopes:#}");
        assert_eq!(scopes[0]["covered_by_connect"], covered, "{scopes:#}");
    }
}

#[test]
fn a_descriptor_that_leads_to_a_manifest_in_out_reads_the_pages_from_the_descriptors_project() {
    // The Connect code is beside the descriptor; the Connect-on-Forge manifest is in --out.
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    copy_dir(&apps().join("forge-adopt"), &app);
    let out = dir.path().join("forge");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::rename(app.join("manifest.yml"), out.join("manifest.yml")).unwrap();
    std::fs::write(
        app.join("atlassian-connect.json"),
        r#"{"key": "com.example.sprint-health", "baseUrl": "https://sprint-health.example.com",
            "modules": {"jiraBackgroundScripts": [{"key": "sprint-health-bg", "url": "/bg/sprint-health", "location": {"type": "issue_view"}}]}}"#,
    )
    .unwrap();
    let review = json_out(&app.join("atlassian-connect.json"), &out, &[]);
    let p = port(&review, "sprint-health-bg");
    assert_eq!(p["page"], "views/sprint-health.hbs", "{p:#}");
    assert_eq!(p["found_by"], "ace-route");
}

#[test]
fn a_script_the_source_tree_skipped_is_named_with_the_reason() {
    let dir = static_app(
        r#"{"key": "com.example.skip", "baseUrl": "https://skip.example.com",
            "modules": {"jiraBackgroundScripts": [{"key": "bg", "url": "/bg.html", "location": {"type": "issue_view"}}]}}"#,
        &[
            ("bg.html", "<html><body>\n<script src=\"/js/latin.js\"></script>\n<script src=\"/js/gone.js\"></script>\n</body></html>\n".as_bytes()),
            ("js/latin.js", b"var caf\xe9 = 1;\n"),
        ],
    );
    let app = dir.path();
    let review = json(&app.join("atlassian-connect.json"), &[]);
    let messages = messages_of(port(&review, "bg"), "warnings");
    assert!(
        messages.iter().any(|m| m.contains("\"/js/latin.js\" was not read: public/js/latin.js is in the source tree but skipped (not UTF-8)")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("\"/js/gone.js\" is not in the source tree")),
        "{messages:#?}"
    );
}

#[test]
fn scripts_and_stylesheets_a_page_loads_from_bower_components_are_carried() {
    // A static app whose page loads its front-end packages from the Bower folder it commits.
    let dir = bg_app(
        "/index.html",
        &[
            (
                "index.html",
                "<html><head><link rel=\"stylesheet\" href=\"bower_components/kit/kit.css\"></head><body>\n<script src=\"bower_components/kit/kit.js\"></script>\n<script src=\"bower_components/missing/missing.js\"></script>\n<script src=\"app.js\"></script>\n</body></html>\n",
            ),
            ("bower_components/kit/kit.js", "window.kit = { ready: function (f) { f(); } };\n"),
            ("bower_components/kit/kit.css", "p { color: red; }\n"),
            ("app.js", "kit.ready(function () { AP.resize(); });\n"),
        ],
    );
    let review = json(&dir.path().join("atlassian-connect.json"), &[]);
    let p = port(&review, "bg");
    assert_eq!(
        p["scripts"],
        serde_json::json!(["page/bower_components/kit/kit.js", "page/app.js"]),
        "{p:#}"
    );
    let messages = messages_of(p, "warnings");
    assert!(
        messages.iter().any(|m| m.contains("\"bower_components/missing/missing.js\" is not in the source tree: bower_components/ is a dependency folder that is not installed here")),
        "{messages:#?}"
    );
    assert!(
        !messages
            .iter()
            .any(|m| m.contains("kit.css") || m.contains("kit.js")),
        "{messages:#?}"
    );
}

#[test]
fn inline_handlers_are_carried_into_a_script_the_written_index_html_loads() {
    let dir = static_app(
        r#"{"key": "com.example.handlers", "baseUrl": "https://h.example.com",
            "modules": {"jiraBackgroundScripts": [{"key": "bg", "url": "/bg.html", "location": {"type": "issue_view"}}]}}"#,
        &[
            ("bg.html", b"<html><body class=\"aui\" onload=\"start()\">\n<p>x</p><!-- the end, never closed\n<script src=\"/js/late.js\"></script>\n".as_slice()),
            ("js/late.js", b"late();\n"),
        ],
    );
    let app = dir.path();
    let out = app.join("forge");
    let mut cmd = c2f_in(root());
    cmd.arg("migrate")
        .arg(app.join("atlassian-connect.json"))
        .arg("--out")
        .arg(&out);
    cmd.args(["--yes", "--format", "json"]);
    let o = cmd.output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let review: Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = port(&review, "bg");
    assert_eq!(p["scripts"], serde_json::json!(["page/bg.handlers.js"]));
    let messages = messages_of(p, "warnings");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("this comment is never closed")),
        "{messages:#?}"
    );
    let res = std::fs::read_dir(out.join("static"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let index = std::fs::read_to_string(res.join("index.html")).unwrap();
    assert_eq!(
        connect2forge::port::page::html::script_loads(&index),
        ["./main.js", "./page/bg.handlers.js"],
        "{index}"
    );
    assert!(
        index.contains("<body class=\"aui\">") && index.contains("late.js\"></script>\n-->"),
        "{index}"
    );
    let handlers = std::fs::read_to_string(res.join("page/bg.handlers.js")).unwrap();
    assert!(handlers.contains("start()"), "{handlers}");
}

#[test]
fn ap_calls_in_inline_handlers_are_reported_at_their_place() {
    let dir = static_app(
        r#"{"key": "com.example.onclick", "baseUrl": "https://o.example.com",
            "modules": {"jiraBackgroundScripts": [{"key": "bg", "url": "/bg.html", "location": {"type": "issue_view"}}]}}"#,
        &[(
            "bg.html",
            b"<html><body>\n<button onclick=\"AP.navigator.reload()\">R</button>\n<a onclick=\"go(); return false\">x</a>\n</body></html>\n".as_slice(),
        )],
    );
    let review = json(&dir.path().join("atlassian-connect.json"), &[]);
    let p = port(&review, "bg");
    let calls = p["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    assert_eq!(
        (&calls[0]["file"], &calls[0]["line"], &calls[0]["column"]),
        (
            &Value::from("public/bg.html"),
            &Value::from(2),
            &Value::from(18)
        ),
        "{calls:#?}"
    );
    // The handler with a top-level `return` is carried, and not reported as a broken script.
    let warnings = p["warnings"].to_string();
    assert!(!warnings.contains("parse"), "{warnings}");
}

/// A Connect app in a temporary folder with one background script `bg` served at `url`, and
/// the given files (`(path, content)`).
fn bg_app(url: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let descriptor = serde_json::json!({
        "key": "com.example.bg",
        "name": "Bg",
        "baseUrl": "https://bg.example.com",
        "authentication": { "type": "jwt" },
        "scopes": ["READ"],
        "modules": { "jiraBackgroundScripts": [
            { "key": "bg", "url": url, "location": { "type": "issue_view" } }
        ] }
    });
    std::fs::write(
        dir.path().join("atlassian-connect.json"),
        descriptor.to_string(),
    )
    .unwrap();
    for (path, content) in files {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, content).unwrap();
    }
    dir
}

/// The page `bg_app`'s module was given (`found_by`, `page`).
fn bg_page(app: &tempfile::TempDir, extra: &[&str]) -> (String, String) {
    let review = json(&app.path().join("atlassian-connect.json"), extra);
    let p = port(&review, "bg");
    (
        p["found_by"].as_str().unwrap_or("").to_string(),
        p["page"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn a_named_page_is_honoured_in_any_folder_or_refused_with_exit_2_and_the_reason() {
    let app = bg_app(
        "/bg",
        &[
            (
                "dist/index.html",
                "<p>built <script src='app.js'></script></p>",
            ),
            ("node_modules/ui/page.php", "<p>php</p>"),
            ("views/.keep", ""),
        ],
    );
    let page = |file: &str| bg_page(&app, &["--page", &format!("bg={file}")]);
    assert_eq!(
        page("dist/index.html"),
        ("option".into(), "dist/index.html".into())
    );
    assert_eq!(
        page("node_modules/ui/page.php"),
        ("option".into(), "node_modules/ui/page.php".into())
    );
    let refused = |file: &str| {
        let out = tempfile::tempdir().unwrap();
        let o = c2f_in(root())
            .arg("migrate")
            .arg(app.path().join("atlassian-connect.json"))
            .arg("--out")
            .arg(out.path())
            .args(["--dry-run", "--page", &format!("bg={file}")])
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, err) = refused("views");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("is a folder, not a page file"), "{err}");
    std::fs::write(app.path().join("big.html"), vec![b'a'; 5 << 20]).unwrap();
    let (code, err) = refused("big.html");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("larger than 4 MiB"), "{err}");
}

#[test]
fn a_route_rendering_several_views_names_the_page_and_the_others_with_a_coded_warning() {
    let app = bg_app(
        "/bg/panel",
        &[
            (
                "lib/routes/panel.js",
                "const router = require('express').Router();\nrouter.get('/panel', (req, res) => {\n  if (!req.context.license) return res.render('unlicensed');\n  res.render('panel');\n});\nmodule.exports = router;\n",
            ),
            ("lib/app.js", "app.use('/bg', auth, require('./routes/panel'));\n"),
            ("views/panel.hbs", "<p>panel</p>"),
            ("views/unlicensed.hbs", "<p>buy</p>"),
        ],
    );
    let review = json(&app.path().join("atlassian-connect.json"), &[]);
    let p = port(&review, "bg");
    assert_eq!(p["found_by"], "ace-route");
    assert_eq!(p["page"], "views/panel.hbs");
    assert_eq!(p["route"], "lib/routes/panel.js:2");
    assert_eq!(p["candidates"], serde_json::json!(["views/unlicensed.hbs"]));
    let w = p["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["message"].as_str().unwrap().contains("several pages"))
        .expect("a warning names the choice");
    assert_eq!(w["code"], "C2F060");
}

#[test]
fn a_page_the_source_walk_skipped_is_named_with_the_reason() {
    let app = bg_app("/bg.html", &[]);
    std::fs::write(app.path().join("bg.html"), vec![b'a'; 5 << 20]).unwrap();
    let review = json(&app.path().join("atlassian-connect.json"), &[]);
    let p = port(&review, "bg");
    assert_eq!(p["found_by"], "not-found");
    let first = p["candidates"][0].as_str().unwrap();
    assert!(
        first.contains("bg.html")
            && first.contains("skipped by the source walk: larger than 4 MiB"),
        "{first}"
    );
}

#[test]
fn a_deeply_nested_script_never_aborts_the_run_on_a_page_that_moves_or_stays_on_connect() {
    // 10,000 nested brackets (20 KB): the parser recursed past the main thread's stack, exit 134.
    let deep = format!(
        "var x = {}1{};\nAP.resize();\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    // Deeper than the analysis follows: a located warning, and the run goes on.
    let deeper = format!("\nvar y = {}1;\n", "(".repeat(30_000));
    let page = |js: &str| format!("<html><body><script src=\"/js/{js}\"></script></body></html>\n");
    let dir = static_app(
        r#"{"key": "com.example.deep", "baseUrl": "https://deep.example.com", "scopes": ["READ"],
            "modules": {
              "jiraBackgroundScripts": [{"key": "bg", "url": "/bg.html", "location": {"type": "issue_view"}}],
              "webPanels": [{"key": "panel", "name": {"value": "P"}, "url": "/panel.html",
                             "location": "atl.jira.view.issue.right.context"}]}}"#,
        &[
            ("bg.html", page("deep.js").as_bytes()),
            ("panel.html", page("deeper.js").as_bytes()),
            ("js/deep.js", deep.as_bytes()),
            ("js/deeper.js", deeper.as_bytes()),
        ],
    );
    let input = dir.path().join("atlassian-connect.json");
    for keep in [&["--keep-connect", "panel"][..], &[][..]] {
        let review = json(&input, keep);
        let calls = &port(&review, "bg")["calls"];
        assert_eq!(calls[0]["api"], "resize", "{calls:#}");
        assert_eq!(calls[0]["line"], 2);
        let warned = review["warnings"].as_array().unwrap().iter().any(|w| {
            w["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("public/js/deeper.js"))
                && w["position"]["line"] == 2
                && w["code"] == "C2F080"
                && w["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("nested more than 20000 levels deep"))
        });
        // The panel that stays on Connect is read for its events: its warning is not the port's.
        if keep.is_empty() {
            assert!(warned, "{:#}", review["warnings"]);
        }
    }
}

#[test]
fn templates_and_data_the_page_fetches_at_run_time_are_carried_and_are_no_backend_calls() {
    // An AngularJS-style page: its routes' templates and a JSON file are fetched by URL.
    let dir = bg_app(
        "/index.html",
        &[
            ("index.html", "<html><body><div ng-view></div>\n<script src=\"js/app.js\"></script>\n</body></html>\n"),
            (
                "js/app.js",
                concat!(
                    "var routes = { home: { templateUrl: 'partials/home.html' } };\n",
                    "$.getJSON('data/items.json', function (items) { AP.resize(); });\n",
                    "fetch('api/items');\n",
                    "$('#view').load(`lists/${name}.html`);\n",
                    "var next = 'partials/other.html';\n",
                ),
            ),
            ("partials/home.html", "<h1>Home</h1>\n"),
            ("lists/list.html", "<ul></ul>\n"),
            ("partials/other.html", "<p>a page code names, never fetched</p>\n"),
            ("data/items.json", "[1, 2]\n"),
        ],
    );
    let review = json(&dir.path().join("atlassian-connect.json"), &[]);
    let p = port(&review, "bg");
    assert_eq!(
        p["assets"],
        serde_json::json!([
            "page/partials/home.html",
            "page/data/items.json",
            "page/lists/list.html"
        ]),
        "{p:#}"
    );
    // The JSON is read from the resource; only the API call is the backend's.
    let endpoints = strings_of(p, "endpoints", "path");
    assert_eq!(endpoints, ["api/items"], "{p:#}");
    let dropped = messages_of(p, "dropped");
    assert!(
        dropped.iter().any(|m| m.contains("GET data/items.json reads data/items.json, a file of the app's static folder: carried with the resource (page/data/items.json)")),
        "{dropped:#?}"
    );
}

#[test]
fn requests_are_reported_by_target_in_the_json_and_the_text_review() {
    let dir = static_app(
        r#"{"key": "com.example.targets", "baseUrl": "https://t.example.com", "scopes": ["READ"],
            "modules": {
              "jiraBackgroundScripts": [{"key": "bg", "url": "/bg.html", "location": {"type": "issue_view"}}]}}"#,
        &[(
            "bg.html",
            concat!(
                "<html><body><script>\n",
                "fetch('https://api.example.org/v1/status');\n",
                "$.getJSON('/api/settings');\n",
                "AP.request('/rest/api/content/42');\n",
                "</script></body></html>\n"
            )
            .as_bytes(),
        )],
    );
    let input = dir.path().join("atlassian-connect.json");
    let review = json(&input, &[]);
    let p = port(&review, "bg");
    assert_eq!(p["external"][0]["host"], "api.example.org");
    assert_eq!(p["external"][0]["line"], 2);
    assert_eq!(p["endpoints"][0]["path"], "/api/settings");
    assert_eq!(p["requests"][0]["product"], "confluence");
    assert_eq!(p["scopes"][0]["scope"], "read:confluence-content.all");
    let out = tempfile::tempdir().unwrap();
    let o = c2f_in(root())
        .arg("migrate")
        .arg(&input)
        .arg("--out")
        .arg(out.path())
        .args(["--dry-run", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("third-party request GET https://api.example.org/v1/status"),
        "{text}"
    );
}

#[test]
fn the_third_party_hosts_a_page_calls_become_permissions_external_fetch_client() {
    let dir = static_app(
        r#"{"key": "com.example.calls", "baseUrl": "https://calls.example.com", "scopes": ["READ"],
            "modules": {"jiraBackgroundScripts": [{"key": "bg", "url": "/bg.html", "location": {"type": "issue_view"}}]}}"#,
        &[(
            "bg.html",
            concat!(
                "<html><body><script>\n",
                "fetch('https://api.example.org/v1/status');\n",
                "$.getJSON('//stats.example.net/day?x=1');\n",
                "fetch('https://api.example.org/v1/other');\n",
                "$.get('/api/settings');\n",
                "</script></body></html>\n"
            )
            .as_bytes(),
        )],
    );
    let app = dir.path();
    let out = app.join("forge");
    let run = || {
        c2f_in(root())
            .arg("migrate")
            .arg(app.join("atlassian-connect.json"))
            .args(["--yes", "--color", "never", "--out"])
            .arg(&out)
            .assert()
            .code(0);
        std::fs::read_to_string(out.join("manifest.yml")).unwrap()
    };
    let manifest = run();
    let v: serde_json::Value = serde_yaml::from_str(&manifest).unwrap();
    // Each host once, in order of first call; the app's own backend is not a third party.
    assert_eq!(
        v["permissions"]["external"],
        serde_json::json!({"fetch": {"client": [
            {"address": "https://api.example.org"},
            {"address": "https://stats.example.net"}
        ]}}),
        "{manifest}"
    );
    // A re-run that cannot find the page any more keeps what the carried code still calls.
    std::fs::remove_file(app.join("public/bg.html")).unwrap();
    let again = run();
    let w: serde_json::Value = serde_yaml::from_str(&again).unwrap();
    assert_eq!(
        w["permissions"]["external"], v["permissions"]["external"],
        "{again}"
    );
}

#[test]
fn a_cdn_jquery_older_than_npms_first_browser_build_is_carried_as_that_build_with_a_note() {
    // npm's jquery 1.5.1-1.8.3 are node-jquery (a Node.js wrapper whose install fails on current
    // Node.js) and 1.9.1 has no entry point: the scaffold would never build.
    let dir = static_app(
        r#"{"key": "com.example.old", "baseUrl": "https://old.example.com", "scopes": ["READ"],
            "modules": {"jiraBackgroundScripts": [{"key": "bg", "url": "/bg.html", "location": {"type": "issue_view"}}]}}"#,
        &[(
            "bg.html",
            b"<html><body><script src=\"https://code.jquery.com/jquery-1.8.3.min.js\"></script><script src=\"/js/a.js\"></script></body></html>\n",
        ), ("js/a.js", b"$(function () { AP.resize(); });\n")],
    );
    let input = dir.path().join("atlassian-connect.json");
    let review = json(&input, &[]);
    let out = tempfile::tempdir().unwrap();
    c2f_in(root())
        .arg("migrate")
        .arg(&input)
        .arg("--out")
        .arg(out.path())
        .arg("--yes")
        .assert()
        .code(0);
    let pkg: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("static/bg/package.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(pkg["dependencies"]["jquery"], "1.11.0");
    let noted = review["warnings"].as_array().unwrap().iter().any(|w| {
        w["code"] == "C2F073"
            && w["message"].as_str().is_some_and(|m| {
                m.contains("jquery@1.8.3 from the CDN is carried as jquery@1.11.0")
            })
    });
    assert!(noted, "{:#}", review["warnings"]);
}

/// Issue 20 §4: a page that is a front-end project's shell (an ACE route sending the Create React
/// App build's `index.html`) has its project's sources analysed: every AP call reached from the
/// entry through local imports is reported at its own place, a file nothing imports is not, and
/// the review says where the project is and how to build it (never a silent "found").
#[test]
fn a_front_end_shell_has_its_projects_sources_analysed_and_the_build_named() {
    let review = json(&apps().join("react-shell/atlassian-connect.json"), &[]);
    let p = port(&review, "sprint-watch");
    assert_eq!(p["found_by"], "front-end");
    assert_eq!(p["page"], "client/public/index.html");
    let calls = call_sites(p);
    let want = [
        ("events.on", "client/src/index.tsx", 10, 1),
        ("request", "client/src/api.ts", 4, 26),
        ("navigator.go", "client/src/api.ts", 9, 3),
    ];
    assert_eq!(
        calls,
        want.map(|(a, f, l, c)| (a.to_string(), f.to_string(), l, c)),
        "{p:#}"
    );
    assert_eq!(
        p["requests"][0]["path"],
        "/rest/agile/1.0/board/1/sprint?state=active"
    );
    assert_eq!(p["requests"][0]["file"], "client/src/api.ts");
    let w = p["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "C2F101")
        .unwrap_or_else(|| panic!("no C2F101 warning: {p:#}"));
    let message = w["message"].as_str().unwrap();
    assert!(
        w["file"]
            .as_str()
            .unwrap()
            .ends_with("client/public/index.html"),
        "{w}"
    );
    assert!(
        message.contains("front-end project in client/ (react-scripts), carried whole into the resource's project/client/"),
        "{message}"
    );
    assert!(
        message.contains("runs the project's own `npm install && npm run build` there, takes the page it writes for the module's URL (`index.html`, or a page of that name) from its build/ (or wherever it writes it)"),
        "{message}"
    );
    assert!(
        message.contains("client/src/index.tsx (Create React App's entry)"),
        "{message}"
    );
    // The project's .env is never carried, and said so.
    let env = p["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "C2F102")
        .unwrap_or_else(|| panic!("no C2F102 warning: {p:#}"));
    assert!(
        env["message"].as_str().unwrap().starts_with(
            "client/.env of the front-end project may hold secrets and is not carried"
        ),
        "{env}"
    );
    assert!(!p["warnings"].to_string().contains("C2F074"), "{p:#}");
}

/// Issue 20 §4: a Vite project's shell, sent by a route through a variable holding its build
/// folder, is carried whole (and so is the project of its second page, another input of the
/// same multi-page build): every file of the project (its images as bytes), not node_modules,
/// its build output or .env files, under the resource's project/ at the paths it has in the app;
/// the resource's build runs the project's own build and takes the page from dist/. The
/// resource has no index.html of its own (the project's build writes it) and the shell's module
/// script is no classic script to warn about. (tests/browser.rs runs the build in Chromium.)
#[test]
fn a_vite_shell_carries_its_project_whole_with_its_images() {
    let app = apps().join("vite-notes");
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&app.join("atlassian-connect.json"), out.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("[C2F101]"), "{stderr}");
    assert!(!stderr.contains("[C2F073]"), "{stderr}");
    assert!(!stderr.contains("not carried"), "{stderr}");
    let res = out.path().join("static/release-notes");
    let mut files: Vec<String> = Vec::new();
    let mut stack = vec![res.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e
                    .path()
                    .strip_prefix(&res)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if !rel.starts_with("src/connect-compat") {
                    files.push(rel);
                }
            }
        }
    }
    files.sort();
    assert_eq!(
        files,
        [
            ".gitignore",
            "package.json",
            "project/client/admin/settings.html",
            "project/client/index.html",
            "project/client/package.json",
            "project/client/public/favicon.png",
            "project/client/public/logo.png",
            "project/client/src/badge.svg",
            "project/client/src/main.js",
            "project/client/src/notes.css",
            "project/client/src/project.js",
            "project/client/src/settings.js",
            "project/client/vite.config.js",
            "scripts/build.mjs",
            "scripts/project.mjs",
            "src/main.js",
        ]
    );
    for f in ["public/logo.png", "public/favicon.png", "src/main.js"] {
        assert_eq!(
            std::fs::read(res.join("project/client").join(f)).unwrap(),
            std::fs::read(app.join("client").join(f)).unwrap(),
            "{f}"
        );
    }
    let build = std::fs::read_to_string(res.join("scripts/build.mjs")).unwrap();
    assert!(
        build.contains("const PROJECT = \"project/client/\";"),
        "{build}"
    );
    assert!(build.contains("const OUTPUTS = [\"dist\"];"), "{build}");
    assert!(build.contains("const PAGES = [\"index.html\"];"), "{build}");
    // The admin page is the same build's other input: its resource takes that page.
    let settings =
        std::fs::read_to_string(out.path().join("static/release-settings/scripts/build.mjs"))
            .unwrap();
    assert!(
        settings.contains("const PAGES = [\"admin/settings.html\"];"),
        "{settings}"
    );
    // A second run finds everything as it wrote it, the images too.
    let again = c2f_in(root())
        .arg("migrate")
        .arg(app.join("atlassian-connect.json"))
        .arg("--out")
        .arg(out.path())
        .args(["--dry-run", "--format", "json"])
        .output()
        .unwrap();
    let review: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(review["summary"]["created"], 0, "{:#}", review["summary"]);
    assert_eq!(review["summary"]["changed"], 0, "{:#}", review["summary"]);
}

/// Issue 20 §4: a carried page that loads a script its project's build writes (an esbuild
/// `--outfile` under the static folder, not in the repository) loads it where it did, in order,
/// from the resource; the project is carried whole and the resource's build runs its build and
/// copies the script there; the images its code names at run time are carried too. Nothing is
/// said to be missing.
#[test]
fn a_bundle_the_page_loads_is_built_from_its_project_carried_whole() {
    let app = apps().join("bundle-report");
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&app.join("atlassian-connect.json"), out.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("not carried"), "{stderr}");
    assert!(
        stderr.contains(
            "copies the report.js it writes (with the files beside it) to page/js/bundle/report.js"
        ),
        "{stderr}"
    );
    let res = out.path().join("static/workload-report");
    let index = std::fs::read_to_string(res.join("index.html")).unwrap();
    let main = index.find("<script src=\"./main.js\">").unwrap();
    let bundle = index
        .find("<script src=\"./page/js/bundle/report.js\">")
        .unwrap_or_else(|| panic!("{index}"));
    let own = index.find("<script src=\"./page/js/start.js\">").unwrap();
    assert!(main < bundle && bundle < own, "{index}");
    for f in ["package.json", "src/format.js", "public/js/start.js"] {
        assert_eq!(
            std::fs::read(res.join("project").join(f)).unwrap(),
            std::fs::read(app.join(f)).unwrap(),
            "{f}"
        );
    }
    // The status marks the bundle picks at run time (a template literal's ends) are carried
    // under page/, and the project's copy points its literal there, as the markup's URLs are.
    let report = std::fs::read_to_string(res.join("project/src/report.js")).unwrap();
    let source = std::fs::read_to_string(app.join("src/report.js")).unwrap();
    assert_eq!(
        report,
        source.replace("`/img/status-${", "`./page/img/status-${")
    );
    assert_ne!(report, source);
    for mark in ["status-busy.svg", "status-idle.svg"] {
        assert_eq!(
            std::fs::read(res.join("page/img").join(mark)).unwrap(),
            std::fs::read(app.join("public/img").join(mark)).unwrap(),
            "{mark}"
        );
    }
    let build = std::fs::read_to_string(res.join("scripts/build.mjs")).unwrap();
    assert!(build.contains("const PROJECT = \"project/\";"), "{build}");
    assert!(
        build.contains("\"to\":\"page/js/bundle/report.js\""),
        "{build}"
    );
    assert!(
        build.contains("buildProject(project, [\"run\",\"build\"]);"),
        "{build}"
    );
    assert!(res.join("scripts/project.mjs").is_file());
}

/// Issue 20 §4: `<script type="module">` runs as a module: a module file and an inline module
/// are loaded as modules, the files they import (beside them, from the site's root) are carried
/// under page/ at their URL paths for the resource's build to bundle, and their AP calls are
/// reported (tests/browser.rs runs the build in Chromium).
#[test]
fn module_scripts_are_carried_as_modules_with_their_imports() {
    let review = json(&apps().join("module-viewer/atlassian-connect.json"), &[]);
    let p = port(&review, "module-viewer");
    assert_eq!(p["page"], "www/viewer.html");
    let warnings = p["warnings"].to_string();
    assert!(!warnings.contains("classic script"), "{warnings}");
    assert!(!warnings.contains("not carried"), "{warnings}");
    let calls: Vec<(String, String)> = call_sites(p)
        .into_iter()
        .map(|(api, file, _, _)| (api, file))
        .collect();
    for want in [
        ("request", "www/js/viewer/issue.js"),
        ("flag.create", "www/js/viewer/main.js"),
    ] {
        assert!(
            calls.contains(&(want.0.to_string(), want.1.to_string())),
            "{calls:?}"
        );
    }
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(
        &apps().join("module-viewer/atlassian-connect.json"),
        out.path(),
    );
    assert_eq!(code, Some(0), "{stderr}");
    let res = out.path().join("static/module-viewer");
    let index = std::fs::read_to_string(res.join("index.html")).unwrap();
    let main = index.find("<script src=\"./main.js\">").unwrap();
    let module = index
        .find("<script type=\"module\" src=\"./page/js/viewer/main.js\">")
        .unwrap_or_else(|| panic!("{index}"));
    let inline = index
        .find("<script type=\"module\" src=\"./page/viewer.inline-1.js\">")
        .unwrap_or_else(|| panic!("{index}"));
    assert!(main < module && module < inline, "{index}");
    for f in ["js/viewer/issue.js", "js/shared/labels.js"] {
        assert_eq!(
            std::fs::read(res.join("page").join(f)).unwrap(),
            std::fs::read(apps().join("module-viewer/www").join(f)).unwrap(),
            "{f}"
        );
    }
    let build = std::fs::read_to_string(res.join("scripts/build.mjs")).unwrap();
    assert!(
        build.contains(r#"const MODULES = [{"file":"page/js/viewer/main.js","out":"page/js/viewer/main.js","base":null},{"file":"page/viewer.inline-1.js","out":"page/viewer.inline-1.js","base":""}];"#),
        "{build}"
    );
}

/// A Vite-served page's module script is TypeScript importing files without their extension
/// (`import bus from './bus'`): the bundler's resolution finds `bus.ts` and `util/index.ts`,
/// which are carried under their own names and followed (they were "not in the source tree",
/// and the resource's build failed on them).
#[test]
fn a_typescript_module_scripts_extensionless_imports_are_carried() {
    let dir = bg_html_app(&[
        (
            "bg.html",
            b"<script type=\"module\" src=\"/src/main.ts\"></script>".as_slice(),
        ),
        (
            "src/main.ts",
            b"import bus from './bus';\nimport { size } from './util';\nbus(size as number);\n"
                .as_slice(),
        ),
        (
            "src/bus.ts",
            b"export default (n: number) => AP.resize(String(n));\n".as_slice(),
        ),
        (
            "src/util/index.ts",
            b"export const size: number = 3;\n".as_slice(),
        ),
    ]);
    let review = json(&dir.path().join("atlassian-connect.json"), &[]);
    let p = port(&review, "bg");
    assert!(
        !messages_of(p, "warnings")
            .iter()
            .any(|w| w.contains("is not in the source tree")),
        "{p:#}"
    );
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&dir.path().join("atlassian-connect.json"), out.path());
    assert_eq!(code, Some(0), "{stderr}");
    let res = out.path().join("static/bg");
    for f in [
        "page/src/main.ts",
        "page/src/bus.ts",
        "page/src/util/index.ts",
    ] {
        assert!(res.join(f).is_file(), "{f}");
    }
    if npm_build(&res).is_none() {
        return;
    }
    // esbuild bundles the entry into a .js file (Forge's CDN serves a .ts file with another
    // type, which a browser refuses for a module script), and index.html loads that.
    let html = std::fs::read_to_string(res.join("index.html")).unwrap();
    assert!(
        html.contains(r#"<script type="module" src="./page/src/main.js"></script>"#),
        "{html}"
    );
    let built = std::fs::read_to_string(res.join("build/page/src/main.js")).unwrap();
    assert!(
        built.contains("resize") && !built.contains("import"),
        "{built}"
    );
}

/// A module script esbuild cannot bundle (an import of a file the tree lacks) does not stop the
/// resource's build: it is left as carried, with a warning naming it and esbuild's first error,
/// and the page's other module is bundled (the build failed on the first before).
#[test]
fn a_module_that_cannot_be_bundled_leaves_the_rest_of_the_build() {
    let dir = bg_html_app(&[
        (
            "bg.html",
            b"<script type=\"module\" src=\"/js/a.js\"></script><script type=\"module\" src=\"/js/b.js\"></script>".as_slice(),
        ),
        ("js/a.js", b"import './gone.js';\nAP.resize();\n".as_slice()),
        ("js/b.js", b"import { n } from './c.js';\nAP.resize(String(n));\n".as_slice()),
        ("js/c.js", b"export const n = 7;\n".as_slice()),
    ]);
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&dir.path().join("atlassian-connect.json"), out.path());
    assert_eq!(code, Some(0), "{stderr}");
    let res = out.path().join("static/bg");
    let Some(said) = npm_build(&res) else {
        return;
    };
    assert!(
        said.contains("connect2forge: page/js/a.js is not bundled, left as carried")
            && said.contains("gone.js"),
        "{said}"
    );
    let a = std::fs::read_to_string(res.join("build/page/js/a.js")).unwrap();
    assert!(a.contains("import './gone.js'"), "{a}");
    let b = std::fs::read_to_string(res.join("build/page/js/b.js")).unwrap();
    assert!(!b.contains("import") && b.contains("resize"), "{b}");
}

/// A module import the resource cannot bundle is named at its place: a missing file, a
/// package, another host (whose host the manifest then lists).
#[test]
fn a_module_import_that_cannot_be_bundled_is_named_at_its_place() {
    let dir = bg_html_app(&[
        (
            "bg.html",
            b"<script type=\"module\" src=\"/js/a.js\"></script>".as_slice(),
        ),
        (
            "js/a.js",
            b"import './gone.js';\nimport { h } from 'preact';\nimport x from 'https://esm.example.com/x.js';\nAP.resize();\n".as_slice(),
        ),
    ]);
    let review = json(&dir.path().join("atlassian-connect.json"), &[]);
    let p = port(&review, "bg");
    let said: Vec<(String, u64, u64, String)> = p["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "C2F103")
        .map(|w| {
            (
                w["file"].as_str().unwrap().to_string(),
                w["position"]["line"].as_u64().unwrap(),
                w["position"]["column"].as_u64().unwrap(),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(said.len(), 3, "{said:#?}");
    assert!(
        said[0].0.ends_with("public/js/a.js") && said[0].1 == 1 && said[0].2 == 8,
        "{said:#?}"
    );
    assert!(
        said[0].3.contains("'./gone.js' is not in the source tree"),
        "{said:#?}"
    );
    assert!(
        said[1].1 == 2 && said[1].3.contains("'preact' names a package"),
        "{said:#?}"
    );
    assert!(
        said[2].1 == 3 && said[2].3.contains("permissions.external.scripts"),
        "{said:#?}"
    );
    assert!(
        review.to_string().contains("https://esm.example.com"),
        "the host is among the manifest's external scripts"
    );
}

/// A component a view engine renders (`res.render('pilot')` of `views/pilot.jsx`) is the page's
/// code: its AP calls and those of what it imports are reported, also when the component has an
/// inline handler attribute of the same file (regression: the handler's file name hid the file).
#[test]
fn a_jsx_view_is_analysed_as_a_component_with_its_imports() {
    let app = bg_app(
        "/pilot",
        &[
            ("package.json", "{\"main\": \"app.js\", \"dependencies\": {\"express\": \"4\"}}"),
            (
                "app.js",
                "const express = require('express');\nconst app = express();\napp.get('/pilot', (req, res) => res.render('pilot'));\n",
            ),
            (
                "views/pilot.jsx",
                "import { ask } from './ask';\nexport default function Pilot() {\n  AP.context.getToken((t) => ask(t));\n  return <input onchange=\"go()\" />;\n}\n",
            ),
            ("views/ask.js", "export const ask = (t) => AP.request({ url: '/rest/api/3/myself' });\n"),
        ],
    );
    let review = json(&app.path().join("atlassian-connect.json"), &[]);
    let p = port(&review, "bg");
    assert_eq!(p["page"], "views/pilot.jsx", "{p:#}");
    let calls: Vec<String> = call_sites(p)
        .into_iter()
        .map(|(api, file, line, column)| format!("{api} {file}:{line}:{column}"))
        .collect();
    assert_eq!(
        calls,
        [
            "context.getToken views/pilot.jsx:3:3",
            "request views/ask.js:1:27"
        ],
        "{p:#}"
    );
}

#[test]
fn a_page_with_nothing_to_carry_under_page_builds_without_copying_page() {
    // A front-end shell (markup and all.js only): a port with no page/ folder. Its build must
    // not copy page/, which does not exist; a page with a script copies it.
    let dir = static_app(
        r#"{"key": "com.example.shell", "baseUrl": "https://shell.example.com", "scopes": ["READ"],
            "modules": {"jiraBackgroundScripts": [
              {"key": "shell", "url": "/shell.html", "location": {"type": "issue_view"}},
              {"key": "full", "url": "/full.html", "location": {"type": "issue_view"}}]}}"#,
        &[
            ("shell.html", b"<html><head><script src=\"https://connect-cdn.atl-paas.net/all.js\"></script></head><body><div id=\"root\"></div></body></html>\n"),
            ("full.html", b"<html><body><script src=\"/js/full.js\"></script></body></html>\n"),
            ("js/full.js", b"AP.events.emit('x');\n"),
        ],
    );
    let out = tempfile::tempdir().unwrap();
    c2f_in(root())
        .arg("migrate")
        .arg(dir.path().join("atlassian-connect.json"))
        .arg("--out")
        .arg(out.path())
        .arg("--yes")
        .assert()
        .code(0);
    let build = |res: &str| {
        let res = std::fs::read_dir(out.path().join("static"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(res))
            .unwrap_or_else(|| panic!("no resource {res}"));
        assert_eq!(
            res.join("page").exists(),
            res.ends_with("full"),
            "{}",
            res.display()
        );
        std::fs::read_to_string(res.join("scripts/build.mjs")).unwrap()
    };
    let shell = build("shell");
    assert!(!shell.contains("'page'"), "{shell}");
    assert!(!shell.contains("cp,"), "{shell}");
    let full = build("full");
    assert!(full.contains("await cp(path.join(root, 'page')"), "{full}");
}

#[test]
fn originals_writes_each_carried_page_as_its_server_sends_it_and_where_its_files_come_from() {
    let out = tempfile::tempdir().unwrap();
    let originals = tempfile::tempdir().unwrap();
    c2f_in(root())
        .arg("migrate")
        .arg(ace_app().join("atlassian-connect.json"))
        .arg("--out")
        .arg(out.path())
        .arg("--dry-run")
        .arg("--originals")
        .arg(originals.path())
        .assert()
        .code(0);
    assert!(
        !out.path().join("manifest.yml").exists(),
        "a dry run writes no app"
    );
    let dir = originals.path().join("issue-watcher");
    let html = std::fs::read_to_string(dir.join("original.html")).unwrap();
    // The view rendered into its layout: the layout's all.js and the view's scripts, in order.
    let all_js = html.find("connect-cdn.atl-paas.net/all.js").unwrap();
    let view = html.find("src=\"/js/issue-watcher.js\"").unwrap();
    assert!(all_js < view, "{html}");
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("original.json")).unwrap()).unwrap();
    assert_eq!(meta["page"], "views/issue-watcher.hbs");
    assert_eq!(meta["connectUrl"], "/bg/issue-watcher?issueKey={issue.key}");
    assert_eq!(meta["servedAt"], "/bg/issue-watcher");
    assert_eq!(meta["staticRoots"], serde_json::json!(["public/"]));
    let kinds: Vec<&str> = meta["scripts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["all-js", "inline", "local", "local"]);
    assert_eq!(meta["scripts"][3]["src"], "/js/issue-watcher.js");
    assert_eq!(
        meta["scripts"][3]["resolved"]["path"],
        "public/js/issue-watcher.js"
    );
    let root_dir = PathBuf::from(meta["sourceRoot"].as_str().unwrap());
    assert!(root_dir.join("public/js/issue-watcher.js").is_file());
}

/// `tests/fixtures/apps/gallery`: a page with `<img>` and `srcset`, a favicon, a stylesheet whose
/// `url(...)`s name a font and two backgrounds (one relative to it, one from the root), an inline
/// style's background, an image missing from the tree and one from another host.
#[test]
fn the_images_fonts_and_icons_a_page_shows_are_carried_and_their_urls_pointed_at_the_copies() {
    let app = apps().join("gallery");
    let review = json(&app.join("atlassian-connect.json"), &[]);
    let p = port(&review, "release-gallery");
    assert_eq!(
        p["assets"],
        serde_json::json!([
            "page/fonts/brand.woff2",
            "page/img/paper.png",
            "page/img/logo.svg",
            "page/img/favicon.png",
            "page/img/poster.png",
            "page/img/poster@2x.png",
            "page/img/tile.svg"
        ])
    );
    let warnings = p["warnings"].as_array().unwrap();
    let at = |code: &str| {
        warnings
            .iter()
            .find(|w| w["code"] == code)
            .map(|w| {
                (
                    w["file"].as_str().unwrap().to_string(),
                    w["position"]["line"].as_u64().unwrap(),
                    w["position"]["column"].as_u64().unwrap(),
                    w["message"].as_str().unwrap().to_string(),
                )
            })
            .unwrap_or_else(|| panic!("no {code}: {warnings:#?}"))
    };
    let (file, line, column, message) = at("C2F107");
    assert!(
        file.ends_with("tests/fixtures/apps/gallery/www/gallery.html"),
        "{file}"
    );
    assert_eq!((line, column), (14, 23));
    assert!(
        message.contains("\"/img/missing.png\" is not in the source tree"),
        "{message}"
    );
    let (_, line, _, message) = at("C2F108");
    assert_eq!(line, 15);
    assert!(
        message.contains("permissions.external.images lists https://images.example.com"),
        "{message}"
    );
    assert_eq!(
        warnings.iter().filter(|w| w["code"] == "C2F107").count(),
        1,
        "{warnings:#?}"
    );

    let out = tempfile::tempdir().unwrap();
    let forge = out.path().join("forge");
    let run = |extra: &str| {
        c2f_in(root())
            .arg("migrate")
            .arg(app.join("atlassian-connect.json"))
            .arg("--out")
            .arg(&forge)
            .arg(extra)
            .output()
            .unwrap()
    };
    assert_eq!(run("--yes").status.code(), Some(0));
    let res = forge.join("static/release-gallery");
    // The bytes are the source's, exactly.
    for (carried, source) in [
        ("page/img/poster.png", "www/img/poster.png"),
        ("page/img/poster@2x.png", "www/img/poster@2x.png"),
        ("page/img/favicon.png", "www/img/favicon.png"),
        ("page/fonts/brand.woff2", "www/fonts/brand.woff2"),
        ("page/img/tile.svg", "www/img/tile.svg"),
    ] {
        assert_eq!(
            std::fs::read(res.join(carried)).unwrap(),
            std::fs::read(app.join(source)).unwrap(),
            "{carried}"
        );
    }
    assert!(!res.join("page/img/missing.png").exists());
    let index = std::fs::read_to_string(res.join("index.html")).unwrap();
    for want in [
        "<link rel=\"icon\" type=\"image/png\" href=\"./page/img/favicon.png\">",
        "<img id=\"poster\" src=\"./page/img/poster.png\" srcset=\"./page/img/poster.png 1x, ./page/img/poster@2x.png 2x\" alt=\"Poster\">",
        "style=\"background-image: url(&quot;./page/img/tile.svg&quot;); width: 8px; height: 8px\"",
        // Not carried: left as written (and named above); another host's: kept.
        "<img id=\"gone\" src=\"/img/missing.png\" alt=\"Missing\">",
        "<img id=\"remote\" src=\"https://images.example.com/banner.png\" alt=\"Banner\">",
    ] {
        assert!(index.contains(want), "{want}\n{index}");
    }
    // The stylesheet's root URL now names the copy from where the stylesheet is; the relative
    // ones already did and are kept as written.
    let css = std::fs::read_to_string(res.join("page/css/gallery.css")).unwrap();
    assert!(css.contains("url(\"../img/paper.png\")"), "{css}");
    assert!(css.contains("url(\"../fonts/brand.woff2\")"), "{css}");
    assert!(css.contains("url(../img/logo.svg)"), "{css}");
    assert!(!css.contains("/img/paper.png)"), "{css}");
    let manifest = std::fs::read_to_string(forge.join("manifest.yml")).unwrap();
    let v: serde_json::Value = serde_yaml::from_str(&manifest).unwrap();
    assert_eq!(
        v["permissions"]["external"],
        serde_json::json!({"images": [{"address": "https://images.example.com"}]}),
        "{manifest}"
    );
    // The text review names the copies in one line, not as diffs.
    let fresh = out.path().join("fresh");
    let text = c2f_in(root())
        .arg("migrate")
        .arg(app.join("atlassian-connect.json"))
        .arg("--out")
        .arg(&fresh)
        .arg("--dry-run")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("7 image(s), font(s) and media file(s) copied from the app"),
        "{text}"
    );
    // A second run changes nothing.
    let check = run("--check");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn an_adopted_manifest_gets_permissions_external_images_for_a_remote_image_in_place() {
    let (_dir, manifest, _) = forge_adopt_with(|m| m.to_string());
    let view = manifest.with_file_name("views/sprint-health.hbs");
    let page = std::fs::read_to_string(&view).unwrap();
    std::fs::write(
        &view,
        format!("<img src=\"https://img.example.com/team/avatar.png\" alt=\"\">\n{page}"),
    )
    .unwrap();
    let (after, v) = adopt_in_place(&manifest);
    assert_eq!(
        v["permissions"]["external"]["images"],
        serde_json::json!([{"address": "https://img.example.com"}]),
        "{after}"
    );
    c2f_in(root())
        .arg("migrate")
        .arg(&manifest)
        .arg("--check")
        .assert()
        .code(0);
}

/// A static app (`com.example.KEY`) whose one general page, `KEY-page` at `/page.html`, loads
/// `/js/out/entry.js`, a script its project's build writes; `project` is the project's files
/// (path, text), beside the page.
fn bundle_app(name: &str, key: &str, project: &[(&str, &str)]) -> tempfile::TempDir {
    let descriptor = serde_json::json!({
        "key": format!("com.example.{key}"), "name": name,
        "baseUrl": format!("https://{key}.example.com"),
        "authentication": {"type": "none"}, "scopes": ["READ"],
        "modules": {"generalPages": [{"key": format!("{key}-page"), "name": {"value": name},
            "url": "/page.html", "location": "system.top.navigation.bar"}]}
    });
    let app = static_app(
        &descriptor.to_string(),
        &[(
            "page.html",
            b"<!DOCTYPE html><html><head><script src=\"https://connect-cdn.atl-paas.net/all.js\"></script></head><body><p id=\"n\"></p><script src=\"/js/out/entry.js\"></script></body></html>",
        )],
    );
    for (path, text) in project {
        let file = app.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    app
}

/// Runs `npm ARGS` in `dir`; what it printed. It must succeed.
fn npm_in(dir: &Path, args: &[&str]) -> String {
    let o = std::process::Command::new("npm")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "npm {args:?}: {text}");
    text
}

/// `npm install && npm run build` in `dir` (each must succeed): the build's output, or `None`
/// when npm does not run here (outside CI).
fn npm_build(dir: &Path) -> Option<String> {
    if !npm_available() {
        return None;
    }
    npm_in(
        dir,
        &["install", "--no-audit", "--no-fund", "--loglevel=error"],
    );
    Some(npm_in(dir, &["run", "build"]))
}

/// Whether `npm` runs here; under `CI` it must.
fn npm_available() -> bool {
    let ok = std::process::Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok || std::env::var_os("CI").is_none(),
        "npm is needed under CI"
    );
    if !ok {
        eprintln!("npm not found: the carried project's build is not run");
    }
    ok
}

/// Issue 20 §4: the page a shell's build writes is told from the project's own files by what the
/// build changed, not by a time window: webpack-pages' template (public/index.html, in one of
/// webpack's output folders) written just before the build, as the migration writes it when the
/// build follows at once, is not the page; the page its build writes for the module's URL
/// (build/client/sprint-report.html) is. Runs the real npm install and webpack build.
#[test]
fn a_shells_source_written_just_before_the_build_is_not_taken_for_its_built_page() {
    if !npm_available() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(
        &apps().join("webpack-pages/atlassian-connect.json"),
        out.path(),
    );
    assert_eq!(code, Some(0), "{stderr}");
    let res = out.path().join("static/sprint-report");
    let run = |args: &[&str]| npm_in(&res, args);
    run(&["install", "--no-audit", "--no-fund", "--loglevel=error"]);
    // The template rewritten now: in the second before the build begins.
    let template = res.join("project/public/index.html");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, &text).unwrap();
    run(&["run", "build"]);
    let index = std::fs::read_to_string(res.join("build/index.html")).unwrap();
    assert!(
        index.contains("src=\"./js/sprint-report."),
        "build/index.html is not the built page: {index}"
    );
}

/// Issue 20 §5: a carried project that compiles its Sass with node-sass (deprecated: no release
/// of an old range has a build for today's Node, and its install compiles for minutes and fails)
/// still builds: the resource's build installs Dart Sass under node-sass's name in the carried
/// copy (sass-loader and a script calling node-sass's API take it as they took node-sass), says
/// so, and drops node-sass from the copy's lockfile. Runs the real `npm install && npm run build`.
#[test]
fn a_carried_projects_node_sass_is_built_with_dart_sass() {
    if !npm_available() {
        return;
    }
    let app = bundle_app(
        "Sass",
        "sass",
        &[
            ("src/entry.js", "import css from './style.js';\nAP.resize();\ndocument.getElementById('n').textContent = css;\n"),
            // The build compiles its style sheet through node-sass's own API, then bundles.
            ("scss.js", "const sass = require('node-sass');\nconst css = sass.renderSync({ data: '$c: #0052cc; p { b { color: $c; } }' }).css.toString();\nrequire('fs').writeFileSync('src/style.js', `export default ${JSON.stringify(css)};\\n`);\nconsole.log(sass.info.split('\\n')[0]);\n"),
            ("package.json", r#"{"name": "sass", "version": "1.0.0", "private": true,
            "scripts": {"build": "node scss.js && esbuild src/entry.js --bundle --outfile=public/js/out/entry.js"},
            "devDependencies": {"esbuild": "0.24.0", "node-sass": "^4.14.1"}}"#),
            ("package-lock.json", r#"{"name": "sass", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
            "packages": {
              "": {"name": "sass", "version": "1.0.0", "devDependencies": {"esbuild": "0.24.0", "node-sass": "^4.14.1"}},
              "node_modules/node-sass": {"version": "4.14.1", "resolved": "https://registry.npmjs.org/node-sass/-/node-sass-4.14.1.tgz", "integrity": "sha512-sjCuOlvGyCJS40R8BscF5vhVlQjNN069NtQ1gSxyK1u9iqvn6tf7O1R4GNowVZfiZUCRt5MmMs1xd+4V/7Yr0g==", "dev": true, "hasInstallScript": true}
            }}"#),
        ],
    );
    let root_dir = app.path();
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&root_dir.join("atlassian-connect.json"), out.path());
    assert_eq!(code, Some(0), "{stderr}");
    let res = out.path().join("static/sass-page");
    let npm = |args: &[&str]| npm_in(&res, args);
    npm(&["install", "--no-audit", "--no-fund", "--loglevel=error"]);
    let built = npm(&["run", "build"]);
    assert!(
        built.contains("node-sass ^4.14.1 has no build for Node")
            && built.contains("installing Dart Sass (npm:sass@1.32.13) under its name"),
        "{built}"
    );
    let bundle = std::fs::read_to_string(res.join("build/page/js/out/entry.js")).unwrap();
    assert!(bundle.contains("AP.resize"), "{bundle}");
    assert!(
        bundle.contains("p b {") && bundle.contains("color: #0052cc"),
        "{bundle}"
    );
    // The carried copy names Dart Sass; the app's own package.json and lockfile are untouched.
    let pkg = std::fs::read_to_string(res.join("project/package.json")).unwrap();
    assert!(pkg.contains("\"node-sass\": \"npm:sass@1.32.13\""), "{pkg}");
    let lock = std::fs::read_to_string(res.join("project/package-lock.json")).unwrap();
    assert!(!lock.contains("node-sass-4.14.1.tgz"), "{lock}");
    assert!(std::fs::read_to_string(root_dir.join("package.json"))
        .unwrap()
        .contains("\"node-sass\": \"^4.14.1\""));
}

/// Issue 20 §4: the bundle a page loads is built by the bundler whose configuration writes it
/// (as a Maven build's frontend plugin runs webpack), not by a `build` script that runs another
/// builder (a Create React App's leftover `react-scripts build`) nor by a script that watches.
/// The review says which command builds it; runs the real `npm install && npm run build` with
/// webpack, whose configuration names the bundle the page loads.
#[test]
fn a_bundle_is_built_by_the_bundler_whose_configuration_writes_it() {
    let app = bundle_app(
        "Packed",
        "packed",
        &[
            ("src/entry.js", "AP.resize();\ndocument.getElementById('n').textContent = 'packed';\n"),
            ("webpack.config.js", "module.exports = { mode: 'production', entry: './src/entry.js', output: { path: __dirname, filename: './public/js/out/entry.js' } };\n"),
            ("package.json", r#"{"name": "packed", "version": "1.0.0", "private": true,
            "scripts": {"watch": "webpack --watch", "start": "react-scripts start", "build": "react-scripts build"},
            "devDependencies": {"webpack": "5.95.0", "webpack-cli": "5.1.4"}}"#),
        ],
    );
    let root_dir = app.path();
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&root_dir.join("atlassian-connect.json"), out.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("runs the project's own `npm install` and `npm exec -- webpack` there"),
        "{stderr}"
    );
    let res = out.path().join("static/packed-page");
    let build = std::fs::read_to_string(res.join("scripts/build.mjs")).unwrap();
    assert!(
        build.contains("buildProject(project, [\"exec\",\"--\",\"webpack\"]);"),
        "{build}"
    );
    if npm_build(&res).is_none() {
        return;
    }
    let bundle = std::fs::read_to_string(res.join("build/page/js/out/entry.js")).unwrap();
    assert!(bundle.contains("AP.resize()"), "{bundle}");
    assert!(bundle.contains("\"packed\""), "{bundle}");
}

/// Issue 20 §5: a carried project whose lockfile pins a version the registry no longer has
/// (an old app's `yarn.lock` or `package-lock.json`) still builds: the resource's build resolves
/// that package again from its range in the carried copy's lockfile, says so, and leaves the
/// rest locked. Runs the resource's real `npm install && npm run build` (the npm registry).
#[test]
fn a_carried_projects_lockfile_pinning_an_unpublished_version_is_resolved_again() {
    if !npm_available() {
        return;
    }
    let app = bundle_app(
        "Lock",
        "lock",
        &[
            ("src/entry.js", "import isNumber from 'is-number';\nAP.resize();\ndocument.getElementById('n').textContent = String(isNumber(7));\n"),
            ("package.json", r#"{"name": "lock", "version": "1.0.0", "private": true,
            "scripts": {"build": "esbuild src/entry.js --bundle --outfile=public/js/out/entry.js"},
            "devDependencies": {"esbuild": "0.24.0", "is-number": "^7.0.0"}}"#),
            // is-number 7.0.99 was never published: its tarball is a 404, as an unpublished one's is.
            ("package-lock.json", r#"{"name": "lock", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
            "packages": {
              "": {"name": "lock", "version": "1.0.0", "devDependencies": {"esbuild": "0.24.0", "is-number": "^7.0.0"}},
              "node_modules/is-number": {"version": "7.0.99", "resolved": "https://registry.npmjs.org/is-number/-/is-number-7.0.99.tgz", "integrity": "sha512-AAAA", "dev": true}
            }}"#),
        ],
    );
    let root_dir = app.path();
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&root_dir.join("atlassian-connect.json"), out.path());
    assert_eq!(code, Some(0), "{stderr}");
    let res = out.path().join("static/lock-page");
    assert!(res.join("scripts/project.mjs").is_file());
    let npm = |args: &[&str]| npm_in(&res, args);
    npm(&["install", "--no-audit", "--no-fund", "--loglevel=error"]);
    let built = npm(&["run", "build"]);
    assert!(
        built.contains("pins a version of is-number the registry no longer has: resolving is-number again from its range"),
        "{built}"
    );
    let bundle = std::fs::read_to_string(res.join("build/page/js/out/entry.js")).unwrap();
    assert!(bundle.contains("AP.resize"), "{bundle}");
    // The carried copy's lockfile now holds a published version; the app's own is untouched.
    let lock = std::fs::read_to_string(res.join("project/package-lock.json")).unwrap();
    assert!(!lock.contains("7.0.99"), "{lock}");
    assert!(std::fs::read_to_string(root_dir.join("package-lock.json"))
        .unwrap()
        .contains("7.0.99"));
}

/// A page that names its own files by the app's absolute address (the descriptor's `baseUrl`,
/// or the address its `ap-local-base-url` meta gives) loads them from the app's server: they
/// are carried from the tree like a relative URL's, not kept as another host's. An address
/// below it that the tree has no file for stays external, as before.
#[test]
fn files_named_by_the_apps_own_address_are_carried() {
    let page = r#"<!DOCTYPE html>
<html><head>
<meta name="ap-local-base-url" content="https://files.example.org/panel-app">
<link rel="stylesheet" href="https://files.example.org/panel-app/css/panel.css">
<script src="https://bg.example.com/js/panel.js"></script>
<script src="https://bg.example.com/js/absent.js"></script>
</head><body><p id="out"></p></body></html>
"#;
    let app = bg_app(
        "/panel.html",
        &[
            ("panel.html", page),
            (
                "js/panel.js",
                "AP.getLocation(function (l) { document.title = l; });\n",
            ),
            ("css/panel.css", "p { color: red; }\n"),
        ],
    );
    let input = app.path().join("atlassian-connect.json");
    let review = json(&input, &[]);
    let p = port(&review, "bg");
    assert_eq!(p["page"], "panel.html", "{p:#}");
    assert_eq!(
        p["scripts"],
        serde_json::json!(["page/js/panel.js"]),
        "{p:#}"
    );
    assert_eq!(strings_of(p, "calls", "api"), ["getLocation"], "{p:#}");
    let out = tempfile::tempdir().unwrap();
    let (manifest, _) = written_manifest(&input, out.path());
    let html = std::fs::read_to_string(out.path().join("static/bg/index.html")).unwrap();
    assert!(html.contains(r#"href="./page/css/panel.css""#), "{html}");
    assert!(
        out.path().join("static/bg/page/css/panel.css").is_file(),
        "{html}"
    );
    // Not in the tree: still the app server's address, listed.
    assert!(
        manifest.contains("https://bg.example.com/js/absent.js"),
        "{manifest}"
    );
    assert!(!manifest.contains("panel.js"), "{manifest}");
    assert!(!manifest.contains("panel.css"), "{manifest}");
}

/// ACE's React template: a route renders a `.jsx` view, which the server renders into its
/// React layout and the browser mounts from a bundle of the component. The page is the
/// component, not HTML: it was split as HTML before (its source text became index.html's
/// body and `onChange={…}` an "inline handler"). Now it is carried with its local imports under
/// page/, mounted by a module the tool writes, its packages at the app's versions; the review
/// says what is not carried (the layout, the props). Runs the resource's real
/// `npm install && npm run build`: the bundle holds React and the component.
#[test]
fn a_react_view_component_is_mounted_not_split_as_html() {
    let panel = r#"import React, { useState } from 'react';
import { label } from './lib/label.helpers';

export default function Panel() {
  const [n, setN] = useState(0);
  AP.events.on('panel-refresh', () => setN(n + 1));
  return (
    <div>
      <button onClick={() => setN(n + 1)}>{label('Panel ready')}</button>
      <span id="count">{n}</span>
    </div>
  );
}
"#;
    let files = [
        (
            "routes/index.js",
            "export default function routes(app, addon) {\n  app.get('/panel', addon.authenticate(), (req, res) => {\n    res.render('panel.jsx', { title: 'Panel', issueKey: req.query.issueKey, user: req.context.userAccountId, browserOnly: true });\n  });\n}\n",
        ),
        ("views/panel.jsx", panel),
        // A dotted name the bundler completes with `.js` (`./Form.styles`): a script, not an
        // asset missing from the tree.
        (
            "views/lib/label.helpers.js",
            "export function label(s) { return '[' + s + ']'; }\n",
        ),
        (
            "views/react-layout.hbs",
            "<!doctype html><html><body><section id=\"content\">{{{body}}}</section><script src=\"{{rootComponentSource}}\"></script></body></html>\n",
        ),
        (
            "package.json",
            r#"{"name": "panel-app", "private": true,
            "scripts": {"build-jsx-browser": "parcel build --global __root_component --out-dir views views/*.jsx"},
            "dependencies": {"atlassian-connect-express": "^7.11.0", "react": "^16.14.0", "react-dom": "^16.14.0", "parcel-bundler": "^1.12.4"}}"#,
        ),
    ];
    let app = bg_app("/panel", &files);
    let input = app.path().join("atlassian-connect.json");
    let review = json(&input, &[]);
    let p = port(&review, "bg");
    assert_eq!(p["page"], "views/panel.jsx", "{p:#}");
    assert_eq!(
        p["scripts"],
        serde_json::json!(["page/panel.mount.js"]),
        "{p:#}"
    );
    let calls: Vec<(&str, u64)> = p["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["api"].as_str().unwrap(), c["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(calls, [("events.on", 6)], "{p:#}");
    let warnings = messages_of(p, "warnings");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("the page is a React component its server rendered")),
        "{warnings:#?}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("inline handler")
            || w.contains("the project is not carried")
            || w.contains("not in the source tree")),
        "{warnings:#?}"
    );
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&input, out.path());
    assert_eq!(code, Some(0), "{stderr}");
    let res = out.path().join("static/bg");
    let html = std::fs::read_to_string(res.join("index.html")).unwrap();
    assert!(!html.contains("useState"), "{html}");
    assert!(html.contains(r#"<section id="content""#), "{html}");
    assert!(
        html.contains(r#"<script type="module" src="./page/panel.mount.js"></script>"#),
        "{html}"
    );
    assert_eq!(
        std::fs::read_to_string(res.join("page/views/panel.jsx")).unwrap(),
        panel
    );
    assert!(res.join("page/views/lib/label.helpers.js").is_file());
    // The route's static props are passed: a literal as it is, a query parameter from the page's
    // URL; the one the server computes is named in the warning.
    let mount = std::fs::read_to_string(res.join("page/panel.mount.js")).unwrap();
    assert!(
        mount.contains(r#"const props = { "title": "Panel", "issueKey": query.get("issueKey"), "browserOnly": true };"#),
        "{mount}"
    );
    assert!(
        warnings.iter().any(|w| w
            .contains("those it computes on the server are not (user: req.context.userAccountId)")),
        "{warnings:#?}"
    );
    let pkg: Value =
        serde_json::from_str(&std::fs::read_to_string(res.join("package.json")).unwrap()).unwrap();
    assert_eq!(pkg["dependencies"]["react"], "^16.14.0", "{pkg:#}");
    assert_eq!(pkg["dependencies"]["react-dom"], "^16.14.0", "{pkg:#}");
    assert!(pkg["dependencies"]
        .get("atlassian-connect-express")
        .is_none());
    if npm_build(&res).is_none() {
        return;
    }
    let bundle = std::fs::read_to_string(res.join("build/page/panel.mount.js")).unwrap();
    assert!(
        bundle.contains("Panel ready") && bundle.contains("panel-refresh"),
        "{bundle}"
    );
    // React itself is bundled, not left to an import map.
    assert!(!bundle.contains("from\"react\"") && !bundle.contains("from 'react'"));
    assert!(bundle.contains("createElement"));
}

/// A page shown through another module's router (two general pages fold into one Forge page
/// with a sidebar): its `<script type="module">` is bundled with what it imports by the
/// router's build too. The router's build copied page/ only, so the module's imports (and a
/// mounted component's packages) did not resolve in the browser. Runs the real npm build.
#[test]
fn a_routed_pages_module_scripts_are_bundled_by_the_routers_build() {
    if !npm_available() {
        return;
    }
    let descriptor = serde_json::json!({
        "key": "com.example.routed", "name": "Routed",
        "baseUrl": "https://routed.example.com",
        "authentication": {"type": "none"}, "scopes": ["READ"],
        "modules": {"generalPages": [
            {"key": "one", "name": {"value": "One"}, "url": "/one.html", "location": "system.top.navigation.bar"},
            {"key": "two", "name": {"value": "Two"}, "url": "/two.html", "location": "system.top.navigation.bar"}
        ]}
    });
    let app = static_app(
        &descriptor.to_string(),
        &[
            ("one.html", b"<!DOCTYPE html><html><body><p id=\"n\"></p><script type=\"module\" src=\"/js/one.js\"></script></body></html>"),
            ("two.html", b"<!DOCTYPE html><html><body><p>two</p></body></html>"),
            ("js/one.js", b"import { n } from './n.js';\ndocument.getElementById('n').textContent = 'routed-' + n;\n"),
            ("js/n.js", b"export const n = 'forty-two';\n"),
        ],
    );
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&app.path().join("atlassian-connect.json"), out.path());
    assert_eq!(code, Some(0), "{stderr}");
    let res = std::fs::read_dir(out.path().join("static"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.join("pages/one").is_dir())
        .expect("a router resource with pages/one");
    npm_build(&res);
    let bundle = std::fs::read_to_string(res.join("build/pages/one/page/js/one.js")).unwrap();
    assert!(
        bundle.contains("forty-two") && bundle.contains("routed-"),
        "{bundle}"
    );
    assert!(!bundle.contains("./n.js"), "{bundle}");
}

/// A page loading a bundle a route sends under another URL (`<script src="/js">`, served by
/// `app.use('/js', (req, res) => res.sendFile(path.join(__dirname, '../dist/app.bundle.js')))`,
/// a React-Jira-shaped server): the bundle is traced to the webpack entry that builds it, so the
/// entry's AP calls are reported, and the resource loads the built file under its own name.
#[test]
fn a_bundle_a_route_sends_under_another_url_leads_to_its_project() {
    let app = bg_app(
        "/panel.html",
        &[
            ("public/panel.html", "<!DOCTYPE html><html><body><div id=\"app\"></div><script src=\"/js\"></script></body></html>\n"),
            ("server/index.js", "const express = require('express');\nconst path = require('path');\nconst app = express();\napp.use(express.static(path.join(__dirname, '..', 'public')));\napp.use('/js', (req, res) => res.sendFile(path.join(__dirname, '../dist/app.bundle.js')));\napp.listen(3000);\n"),
            ("webpack.config.js", "const path = require('path');\nmodule.exports = {\n  entry: { app: './src/client/index.js' },\n  output: { path: path.resolve(__dirname, 'dist'), filename: '[name].bundle.js' },\n};\n"),
            ("src/client/index.js", "AP.resize();\nAP.events.on('refresh', function () { document.title = 'r'; });\n"),
            ("package.json", r#"{"name": "routed-bundle", "private": true, "scripts": {"build": "webpack"}, "devDependencies": {"webpack": "^5.0.0", "webpack-cli": "^5.0.0"}}"#),
        ],
    );
    let review = json(&app.path().join("atlassian-connect.json"), &[]);
    let p = port(&review, "bg");
    assert_eq!(p["page"], "public/panel.html", "{p:#}");
    let calls: Vec<(&str, &str)> = p["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["api"].as_str().unwrap(), c["file"].as_str().unwrap()))
        .collect();
    assert_eq!(
        calls,
        [
            ("resize", "src/client/index.js"),
            ("events.on", "src/client/index.js")
        ],
        "{p:#}"
    );
    let warnings = messages_of(p, "warnings");
    assert!(
        warnings.iter().any(|w| w
            .contains("the page loads /js, which a route sends from app.bundle.js")
            && w.contains("page/js/app.bundle.js")),
        "{warnings:#?}"
    );
}

/// A carried project whose build script runs `npm install` itself (`"prebuild": "npm install"`)
/// and whose dependencies conflict on a peer (react 17 beside react-dom 18, as an app written
/// for npm 6, which did not enforce peers): the nested install gets legacy-peer-deps too, so
/// the build runs; it failed with ERESOLVE (jira_deps-shaped). Runs the real npm.
#[test]
fn a_projects_own_npm_install_does_not_enforce_peer_dependencies() {
    if !npm_available() {
        return;
    }
    let app = bundle_app(
        "Peers",
        "peers",
        &[
            (
                "src/entry.js",
                "AP.resize();\ndocument.getElementById('n').textContent = 'peers';\n",
            ),
            (
                "package.json",
                r#"{"name": "peers", "version": "1.0.0", "private": true,
            "scripts": {"prebuild": "npm install", "build": "esbuild src/entry.js --bundle --outfile=public/js/out/entry.js"},
            "devDependencies": {"esbuild": "0.24.0", "react": "17.0.2", "react-dom": "18.2.0"}}"#,
            ),
        ],
    );
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&app.path().join("atlassian-connect.json"), out.path());
    assert_eq!(code, Some(0), "{stderr}");
    let res = out.path().join("static/peers-page");
    npm_build(&res);
    let bundle = std::fs::read_to_string(res.join("build/page/js/out/entry.js")).unwrap();
    assert!(bundle.contains("peers"), "{bundle}");
}

/// Moves `bg_app`'s descriptor into the app's `public/` folder, where the app serves it; its path.
fn served_from_public(app: &tempfile::TempDir) -> PathBuf {
    let served = app.path().join("public/atlassian-connect.json");
    std::fs::rename(app.path().join("atlassian-connect.json"), &served).unwrap();
    served
}

/// A descriptor the app serves from its `public/` folder (the ACE and front-end habit): run as a
/// vendor would, `migrate public/atlassian-connect.json` with no `--source`, the app's routes and
/// views beside `public/` are read. Before, only `public/` was the tree: "no page found".
#[test]
fn a_descriptor_served_from_public_reads_the_project_around_it() {
    let app = bg_app(
        "/bg",
        &[
            ("package.json", r#"{"name": "served"}"#),
            (
                "app.js",
                "app.get('/bg', function (req, res) { res.render('bg'); });",
            ),
            (
                "views/bg.hbs",
                "<html><body><script src=\"/js/bg.js\"></script></body></html>",
            ),
            ("public/js/bg.js", "AP.events.on('x', function () {});"),
        ],
    );
    let review = json(&served_from_public(&app), &[]);
    let p = port(&review, "bg");
    assert_eq!(p["found_by"], "ace-route", "{p}");
    assert_eq!(p["page"], "views/bg.hbs");
    assert_eq!(p["scripts"], serde_json::json!(["page/js/bg.js"]));
    assert_eq!(strings_of(p, "calls", "file"), ["public/js/bg.js"]);
}

/// A Symfony app as its developers lay it out (our own fixture of the pattern): the descriptor in
/// `public/`, a controller method under `@Route` rendering a Twig view that extends the base
/// layout, which loads its script with `{{ asset('js/x.js') }}`. Found (`php-route`), rendered
/// into its layout, and both the layout's script and the view's inline code are carried.
#[test]
fn a_symfony_controller_renders_a_twig_page_into_its_layout() {
    let app = bg_app(
        "/wfm/summary",
        &[
            ("composer.json", r#"{"require": {"symfony/framework-bundle": "^4.3"}}"#),
            (
                "src/Controller/SummaryController.php",
                "<?php\nnamespace App\\Controller;\n\n/**\n * @Route(\"/wfm\")\n */\nclass SummaryController extends AbstractController\n{\n    /**\n     * @Route(\"/summary\")\n     */\n    public function summary() {\n        return $this->render('summary/show.html.twig', ['at' => 1]);\n    }\n}\n",
            ),
            (
                "templates/base.html.twig",
                "<!DOCTYPE html><html><head><title>{% block title %}x{% endblock %}</title></head><body>{% block body %}{% endblock %}<script src=\"{{ asset('js/base.js') }}\"></script>{% block javascripts %}{% endblock %}</body></html>",
            ),
            (
                "templates/summary/show.html.twig",
                "{% extends 'base.html.twig' %}\n{% block body %}<div id=\"who\"></div>{% endblock %}\n{% block javascripts %}<script>AP.user.getCurrentUser(function (u) { document.getElementById('who').textContent = u.atlassianAccountId; });</script>{% endblock %}\n",
            ),
            ("public/js/base.js", "window.base = 1;"),
        ],
    );
    let review = json(&served_from_public(&app), &[]);
    let p = port(&review, "bg");
    assert_eq!(p["found_by"], "php-route", "{p}");
    assert_eq!(p["page"], "templates/summary/show.html.twig");
    assert_eq!(p["route"], "src/Controller/SummaryController.php:10");
    assert_eq!(p["scripts"][0], "page/js/base.js", "{p}");
    assert_eq!(p["scripts"].as_array().map(Vec::len), Some(2), "{p}");
    assert_eq!(strings_of(p, "calls", "api"), ["user.getCurrentUser"]);
    assert!(messages_of(p, "warnings").is_empty(), "{p}");
}

/// A front-end project whose build leaves an unset variable in a URL of the page it writes
/// (Create React App keeps `%REACT_APP_HOST%` as written when the variable is not set): the
/// resource's build makes the page's other URLs relative and drops all.js, as for any built
/// page. It stopped on the `%` before ("URI malformed"; held-out set 6's
/// create-react-static-atlassian-connect-addon). Runs the real npm build; the project's own
/// build is a small script of ours, so nothing is installed.
#[test]
fn a_built_page_with_an_unset_variable_in_a_url_still_builds() {
    let make = r#"const fs = require('fs');
fs.mkdirSync('build/static/js', { recursive: true });
fs.writeFileSync('build/static/js/main.js', 'AP.resize();\n');
fs.writeFileSync('build/index.html', '<!doctype html><html><head></head><body><div id="root"></div><script src="%REACT_APP_HOST%/atlassian-connect/all.js"></script><script src="/static/js/main.js"></script></body></html>');
"#;
    let dir = bg_html_app(&[]);
    for (path, text) in [
        (
            "package.json",
            r#"{"name": "shell", "private": true, "keywords": ["react-scripts"], "scripts": {"build": "node make.js"}}"#,
        ),
        ("make.js", make),
        (
            "public/index.html",
            "<!doctype html><html><body><div id=\"root\"></div><script src=\"%REACT_APP_HOST%/atlassian-connect/all.js\"></script></body></html>",
        ),
        ("src/index.js", "AP.resize();\n"),
    ] {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let descriptor = dir.path().join("atlassian-connect.json");
    let text = std::fs::read_to_string(&descriptor)
        .unwrap()
        .replace("/bg.html", "/index.html");
    std::fs::write(&descriptor, text).unwrap();
    let review = json(&descriptor, &[]);
    assert_eq!(
        port(&review, "bg")["page"],
        "public/index.html",
        "{review:#}"
    );
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = migrate_yes(&descriptor, out.path());
    assert_eq!(code, Some(0), "{stderr}");
    let res = out.path().join("static/bg");
    if npm_build(&res).is_none() {
        return;
    }
    let html = std::fs::read_to_string(res.join("build/index.html")).unwrap();
    assert!(html.contains(r#"src="./static/js/main.js""#), "{html}");
    assert!(!html.contains("all.js"), "{html}");
}

/// A Laravel app (our own fixture of the pattern): `Route::get` in routes/web.php returns a
/// Blade view that extends the app's layout; the layout loads the script with
/// `{{ asset('js/app.js') }}` and the view pushes its own onto the layout's stack. Found
/// (`php-route`), rendered into the layout, both scripts carried and their calls reported.
#[test]
fn a_laravel_route_renders_a_blade_view_into_its_layout() {
    let app = bg_app(
        "/connect/panel?issueKey={issue.key}",
        &[
            ("composer.json", r#"{"require": {"laravel/framework": "^10.0"}}"#),
            (
                "routes/web.php",
                "<?php\nuse Illuminate\\Support\\Facades\\Route;\n\nRoute::get('/connect/panel', function () {\n    return view('connect.panel');\n});\n",
            ),
            (
                "resources/views/layouts/app.blade.php",
                "<!DOCTYPE html><html><head><title>@yield('title')</title></head><body>@yield('content')<script src=\"{{ asset('js/app.js') }}\"></script>@stack('scripts')</body></html>",
            ),
            (
                "resources/views/connect/panel.blade.php",
                "@extends('layouts.app')\n@section('content')<div id=\"panel\">{{ $issueKey ?? '' }}</div>@endsection\n@push('scripts')<script src=\"{{ asset('js/panel.js') }}\"></script>@endpush\n",
            ),
            ("public/js/app.js", "window.app = 1;"),
            ("public/js/panel.js", "AP.resize();\n"),
        ],
    );
    let review = json(&served_from_public(&app), &[]);
    let p = port(&review, "bg");
    assert_eq!(p["found_by"], "php-route", "{p}");
    assert_eq!(p["page"], "resources/views/connect/panel.blade.php");
    assert_eq!(
        p["scripts"],
        serde_json::json!(["page/js/app.js", "page/js/panel.js"]),
        "{p}"
    );
    assert_eq!(strings_of(p, "calls", "api"), ["resize"]);
    assert!(
        !messages_of(p, "warnings")
            .iter()
            .any(|w| w.contains("not in the source tree")),
        "{p}"
    );
}
