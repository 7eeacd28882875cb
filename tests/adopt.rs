//! Adopting Connect-on-Forge manifests in place (`connect2forge migrate manifest.yml`).
//!
//! The byte-for-byte checks migrate background scripts alone (every other kind is kept on Connect
//! with `--keep-connect`), so the expected result can be computed here independently of the tool;
//! `other_kinds_move_entry_by_entry` checks the other kinds. For every fixture under
//! `tests/fixtures/adopt/` that carries background scripts: every line
//! outside the migrated block is byte-identical afterwards (and in the same order), the result
//! parses to exactly the intended value (computed here independently of the tool), a second run
//! is a no-op (`--check` exits 0), and Atlassian's validator finds no error the original did not
//! already have. Manifests that cannot be edited safely are refused with exit 2 and left as they
//! were.

mod common;
use common::{c2f_in as c2f, root, shared};

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use serde_json::{json, Value};
use tempfile::TempDir;

const SCRIPTS: &str = "jira:jiraBackgroundScripts";

/// `--keep-connect` for every Connect module type a kind other than background scripts migrates.
fn keep_other_kinds() -> Vec<String> {
    connect2forge::kinds::REGISTRY
        .iter()
        .filter(|k| !k.own_checks())
        .flat_map(|k| k.connect_types().iter())
        .flat_map(|t| ["--keep-connect".to_string(), t.to_string()])
        .collect()
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/fixtures/adopt").join(name)).unwrap()
}

/// A temp app folder holding `fixture` as its manifest.yml.
fn app(fixture: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    std::fs::create_dir(&app).unwrap();
    std::fs::write(app.join("manifest.yml"), fixture_text(fixture)).unwrap();
    (dir, app)
}

fn parse(text: &str) -> Value {
    let mut v: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    v.apply_merge().unwrap();
    serde_json::to_value(v).unwrap()
}

/// The lines of the `jira:jiraBackgroundScripts` block (its key line and everything indented
/// deeper below it), plus lines the migration may legitimately touch: the `connectModules:` and
/// `authentication:` lines when they go, and one-line flow collections it appends to.
fn migratable_lines(old: &str, connect_modules_removed: bool) -> Vec<bool> {
    let lines: Vec<&str> = old.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut out = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.contains("jiraBackgroundScripts") {
            out[i] = true;
            let base = indent(l);
            let mut j = i + 1;
            while j < lines.len()
                && (lines[j].trim().is_empty() || indent(lines[j]) > base)
                && !l.trim_end().ends_with(']')
            {
                out[j] = true;
                j += 1;
            }
            // Trailing blank lines belong to what follows.
            let mut k = j;
            while k > i + 1 && lines[k - 1].trim().is_empty() {
                out[k - 1] = false;
                k -= 1;
            }
            i = j;
            continue;
        }
        let t = l.trim_start();
        if (connect_modules_removed
            && (t.starts_with("connectModules:") || t.starts_with("authentication:")))
            || t.starts_with("modules: {")
            || t.starts_with("resources: [")
        {
            out[i] = true;
        }
        i += 1;
    }
    if connect_modules_removed {
        // The whole connectModules block goes.
        if let Some(start) = lines.iter().position(|l| l.starts_with("connectModules:")) {
            let mut j = start + 1;
            while j < lines.len() && (lines[j].trim().is_empty() || indent(lines[j]) > 0) {
                out[j] = true;
                j += 1;
            }
        }
    }
    out
}

/// Every line outside the migrated block survives, byte for byte and in order.
fn assert_only_migrated_lines_changed(name: &str, old: &str, new: &str, removed_cm: bool) {
    let allowed = migratable_lines(old, removed_cm);
    let mut new_lines = new.lines();
    for (i, line) in old.lines().enumerate() {
        if allowed[i] {
            continue;
        }
        assert!(
            new_lines.any(|n| n == line),
            "{name}: line {} ({line:?}) is outside the migrated block but did not survive unchanged\n--- new:\n{new}",
            i + 1
        );
    }
    // And the diff touches only those lines: every deleted line was migratable.
    let diff = similar::TextDiff::from_lines(old, new);
    for op in diff.ops() {
        if let similar::DiffOp::Delete {
            old_index, old_len, ..
        }
        | similar::DiffOp::Replace {
            old_index, old_len, ..
        } = *op
        {
            for (i, ok) in allowed.iter().enumerate().skip(old_index).take(old_len) {
                assert!(
                    *ok,
                    "{name}: the diff deletes line {} ({:?}) outside the migrated block",
                    i + 1,
                    old.lines().nth(i)
                );
            }
        }
    }
}

/// What the manifest must mean after migration, computed from the original value and the
/// resource keys the tool reported.
fn intended(old: &Value, modules: &[Value]) -> Value {
    let mut v = old.clone();
    let o = v.as_object_mut().unwrap();
    let cm = o
        .get_mut("connectModules")
        .unwrap()
        .as_object_mut()
        .unwrap();
    cm.shift_remove(SCRIPTS);
    if cm.is_empty() {
        o.shift_remove("connectModules");
        if let Some(c) = o
            .get_mut("app")
            .and_then(|a| a.get_mut("connect"))
            .and_then(Value::as_object_mut)
        {
            c.shift_remove("authentication");
        }
    }
    for m in modules {
        let mut e = json!({"key": m["forge_key"], "resource": m["resource_key"]});
        if m["should_reload_on_refresh"].is_boolean() {
            e["shouldReloadOnRefresh"] = m["should_reload_on_refresh"].clone();
        }
        let mods = o.entry("modules").or_insert_with(|| json!({}));
        let t = m["forge_type"].as_str().unwrap();
        mods.as_object_mut()
            .unwrap()
            .entry(t)
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .unwrap()
            .push(e);
        o.entry("resources")
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .unwrap()
            .push(json!({"key": m["resource_key"], "path": m["resource_path"]}));
    }
    v
}

/// Fixtures with background scripts, and the (key, location) each script has.
const WITH_SCRIPTS: &[(&str, &[(&str, &str)])] = &[
    (
        "mermaid-jira-scripts.yml",
        &[
            ("mermaid-issue-refresher", "issue_view"),
            ("mermaid-dashboard-listener", "dashboard"),
        ],
    ),
    (
        "ep-tool-scripts.yml",
        &[("ep-tool-issue-background", "issue_view")],
    ),
    (
        "connect-on-forge-sample-scripts.yml",
        &[("jb-issue-bg", "issue_view"), ("jb-dashboard-bg", "dashboard")],
    ),
    (
        "commented.yml",
        &[
            ("acme-issue-sync", "issue_view"),
            (
                "acme-dashboard-background-script-that-keeps-the-gadgets-in-sync-with-the-issue-store-and-more-xyz",
                "dashboard",
            ),
        ],
    ),
    (
        "only-scripts.yml",
        &[("bg-issue", "issue_view"), ("bg-dashboard", "dashboard")],
    ),
];

/// Migrates one fixture in place and checks everything but the validator. Returns the app folder.
fn migrate_and_check(name: &str, scripts: &[(&str, &str)]) -> (TempDir, PathBuf) {
    let (tmp, app) = app(name);
    let old = fixture_text(name);
    let old_value = parse(&old);

    // The plan, as JSON; a dry run writes nothing.
    let out = c2f(&app)
        .args(["migrate", "manifest.yml", "--dry-run", "--format", "json"])
        .args(keep_other_kinds())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let review: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        std::fs::read_to_string(app.join("manifest.yml")).unwrap(),
        old
    );
    assert!(!app.join("static").exists(), "{name}: dry run wrote files");
    let modules = review["modules"].as_array().unwrap().clone();
    let got: Vec<(&str, &str)> = modules
        .iter()
        .map(|m| {
            (
                m["connect_key"].as_str().unwrap(),
                m["location"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, scripts, "{name}");
    for m in &modules {
        let rk = m["resource_key"].as_str().unwrap();
        assert!(rk.len() <= 23, "{name}: resource key {rk}");
        assert_eq!(m["forge_key"], m["connect_key"]);
    }
    let manifest = review["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "manifest.yml")
        .unwrap();
    assert_eq!(manifest["ownership"], "managed");
    assert!(review["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] != "manifest.yml" && f["ownership"] != "state")
        .all(|f| f["ownership"] == "scaffold" && f["status"] == "create"));

    // The real run.
    c2f(&app)
        .args(["migrate", "manifest.yml", "--yes"])
        .args(keep_other_kinds())
        .assert()
        .code(0);
    let new = std::fs::read_to_string(app.join("manifest.yml")).unwrap();
    let want = intended(&old_value, &modules);
    let removed_cm = want.get("connectModules").is_none();
    assert_only_migrated_lines_changed(name, &old, &new, removed_cm);
    assert_eq!(parse(&new), want, "{name}: the result means something else");
    assert!(!new.contains(SCRIPTS), "{name}");
    for m in &modules {
        let dir = app.join(
            m["resource_path"]
                .as_str()
                .unwrap()
                .trim_end_matches("/build"),
        );
        assert!(
            dir.join("package.json").is_file(),
            "{name}: no scaffold in {dir:?}"
        );
    }

    // A second run changes nothing.
    c2f(&app)
        .args(["migrate", "manifest.yml", "--check"])
        .args(keep_other_kinds())
        .assert()
        .code(0);
    (tmp, app)
}

#[test]
fn every_fixture_migrates_in_place_touching_only_the_migrated_lines() {
    for (name, scripts) in WITH_SCRIPTS {
        migrate_and_check(name, scripts);
    }
}

#[test]
fn results_pass_atlassians_validator_once_scaffolds_are_built() {
    let validator = shared("tools/forge-validate/validate");
    let mut keep = Vec::new();
    let mut dirs = Vec::new();
    for (name, scripts) in WITH_SCRIPTS {
        let (tmp, migrated) = migrate_and_check(name, scripts);
        // The original too, to tell the migration's errors from the fixture's own.
        let (tmp2, original) = app(name);
        // No npm here: stand in for `npm run build` with a stub build/index.html in every
        // resource folder the manifests name (Forge needs a folder with index.html).
        for dir in [&migrated, &original] {
            let v = parse(&std::fs::read_to_string(dir.join("manifest.yml")).unwrap());
            for r in v["resources"].as_array().into_iter().flatten() {
                let path = dir.join(r["path"].as_str().unwrap());
                std::fs::create_dir_all(&path).unwrap();
                std::fs::write(
                    path.join("index.html"),
                    "<!DOCTYPE html><title>stub</title>\n",
                )
                .unwrap();
            }
        }
        dirs.push((name, migrated, original));
        keep.push(tmp);
        keep.push(tmp2);
    }
    let mut cmd = Process::new(&validator);
    cmd.arg("--json").arg("--connect-schema");
    for (_, m, o) in &dirs {
        cmd.arg(m).arg(o);
    }
    let out = cmd.output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "the validator did not run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = |dir: &Path| -> Vec<String> {
        let apps = report["apps"]
            .as_array()
            .expect("apps[] in the validator's JSON");
        let a = apps
            .iter()
            .find(|a| {
                a["dir"].as_str().is_some_and(|d| Path::new(d) == dir)
                    || a["app"].as_str().is_some_and(|d| Path::new(d) == dir)
            })
            .unwrap_or_else(|| panic!("no result for {dir:?} in {report:#}"));
        a["problems"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["level"] == "error")
            .map(|p| p["message"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    for (name, migrated, original) in &dirs {
        let before = errors(original);
        let after = errors(migrated);
        let new: Vec<&String> = after.iter().filter(|e| !before.contains(e)).collect();
        assert!(
            new.is_empty(),
            "{name}: the migration introduced validator errors {new:?}"
        );
    }
    // The hand-written fixtures are valid apps: no error at all afterwards.
    for (name, migrated, _) in &dirs {
        if [
            "commented.yml",
            "only-scripts.yml",
            "mermaid-jira-scripts.yml",
        ]
        .contains(name)
        {
            assert_eq!(errors(migrated), Vec::<String>::new(), "{name}");
        }
    }
}

#[test]
fn manifests_without_migratable_modules_are_left_as_they_are() {
    let (_tmp, dir) = app("corpus-fully-forge.yml");
    for mode in ["--check", "--yes"] {
        c2f(&dir)
            .args(["migrate", "manifest.yml", mode])
            .assert()
            .code(0);
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("manifest.yml")).unwrap(),
        fixture_text("corpus-fully-forge.yml")
    );
    // Every kind kept on Connect on purpose: nothing moves either.
    let (_tmp2, dir) = app("corpus-ep-tool.yml");
    c2f(&dir)
        .args(["migrate", "manifest.yml", "--yes"])
        .args(keep_other_kinds())
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(dir.join("manifest.yml")).unwrap(),
        fixture_text("corpus-ep-tool.yml")
    );
}

/// The other kinds move entry by entry: what a kind does not take (a web panel at a location Forge
/// has no module for, a second global page, a module kept on purpose) stays under connectModules
/// with every other entry of its type, the result validates, and a second run changes nothing.
#[test]
fn other_kinds_move_entry_by_entry() {
    for name in [
        "corpus-mermaid-jira.yml",
        "corpus-ep-tool.yml",
        "corpus-connect-on-forge-sample.yml",
        "corpus-onlyoffice.yml",
    ] {
        let (_tmp, app) = app(name);
        let old = parse(&fixture_text(name));
        let out = c2f(&app)
            .args(["migrate", "manifest.yml", "--yes", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let review: Value = serde_json::from_slice(&out.stdout).unwrap();
        let new = parse(&std::fs::read_to_string(app.join("manifest.yml")).unwrap());
        let moved: Vec<&str> = review["modules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["connect_key"].as_str().unwrap())
            .collect();
        assert!(!moved.is_empty(), "{name}: nothing moved");
        // The lifecycle becomes modules of keys of their own (lifecycle-installed, ...).
        let lifecycle_moved = review["modules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "lifecycle");
        // Every old connectModules entry is either moved (and gone) or still there as it was.
        for (t, entries) in old["connectModules"].as_object().unwrap() {
            for e in entries.as_array().unwrap() {
                let key = e["key"].as_str().unwrap();
                let left = new["connectModules"][t]
                    .as_array()
                    .is_some_and(|a| a.contains(e));
                let gone = moved.contains(&key) || (t.ends_with(":lifecycle") && lifecycle_moved);
                assert_ne!(gone, left, "{name}: {t} {key}");
            }
        }
        // Each moved module is a Forge module (or, for a dialog, a resource) with its resource;
        // a module without a page (an entity property) has none, and a web item folded into a
        // page or a web section whose items took its place is neither.
        for m in review["modules"].as_array().unwrap() {
            let key = &m["connect_key"];
            if let Some(t) = m["forge_type"].as_str() {
                let list = new["modules"][t].as_array().unwrap();
                assert!(
                    list.iter().any(|e| &e["key"] == key),
                    "{name}: {key} under {t}"
                );
            }
            let rk = &m["resource_key"];
            if rk.is_null() {
                let pageless = [
                    "entity-property",
                    "permission",
                    "web-item",
                    "web-section",
                    "lifecycle",
                    "webhook",
                ];
                assert!(
                    pageless.contains(&m["kind"].as_str().unwrap()),
                    "{name}: {key} has no resource"
                );
                continue;
            }
            assert!(
                new["resources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| &r["key"] == rk),
                "{name}: resource {rk}"
            );
        }
        c2f(&app)
            .args(["migrate", "manifest.yml", "--check"])
            .assert()
            .code(0);
    }
}

#[test]
fn a_hand_added_comment_and_module_survive_a_second_migration() {
    let (_tmp, app) = migrate_and_check("mermaid-jira-scripts.yml", WITH_SCRIPTS[0].1);
    let path = app.join("manifest.yml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text = text.replacen(
        "connectModules:\n",
        "connectModules:\n  # added by hand\n  jira:jiraBackgroundScripts:\n    - key: late-script\n      url: /late\n      location: {type: issue_view}\n",
        1,
    );
    text.push_str("# a note at the end\n");
    std::fs::write(&path, &text).unwrap();
    c2f(&app)
        .args(["migrate", "manifest.yml", "--yes"])
        .args(keep_other_kinds())
        .assert()
        .code(0);
    let new = std::fs::read_to_string(&path).unwrap();
    assert!(new.contains("  # added by hand\n"), "{new}");
    assert!(new.contains("# a note at the end\n"), "{new}");
    let v = parse(&new);
    let issue = v["modules"]["jira:issueViewBackgroundScript"]
        .as_array()
        .unwrap();
    assert_eq!(issue.len(), 2);
    assert_eq!(issue[1]["key"], "late-script");
    assert!(v["connectModules"].get(SCRIPTS).is_none());
    c2f(&app)
        .args(["migrate", "manifest.yml", "--check"])
        .args(keep_other_kinds())
        .assert()
        .code(0);
}

#[test]
fn a_manifest_in_out_with_scripts_is_adopted_instead_of_regenerated() {
    let (_tmp, app) = app("commented.yml");
    let descriptor = root().join("tests/fixtures/minimal.json");
    let out = c2f(&app)
        .args(["migrate"])
        .arg(&descriptor)
        .args(["--out", ".", "--yes"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("adopting it in place"));
    let new = std::fs::read_to_string(app.join("manifest.yml")).unwrap();
    assert!(
        new.starts_with("# Forge manifest of the ACME Jira app."),
        "{new}"
    );
    assert!(parse(&new)["modules"]["jira:issueViewBackgroundScript"].is_array());
}

#[test]
fn yaml_content_with_app_is_recognised_without_the_extension() {
    let (_tmp, app) = app("only-scripts.yml");
    std::fs::rename(app.join("manifest.yml"), app.join("forge-manifest.txt")).unwrap();
    c2f(&app)
        .args(["migrate", "forge-manifest.txt", "--dry-run"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("+++ b/manifest.yml"));
}

/// Refusals: exit 2, every problem with line:column, nothing written.
fn refused(name: &str) -> String {
    let (_tmp, app) = app(name);
    let out = c2f(&app)
        .args(["migrate", "manifest.yml", "--yes"])
        .args(keep_other_kinds())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{name}");
    assert_eq!(
        std::fs::read_to_string(app.join("manifest.yml")).unwrap(),
        fixture_text(name),
        "{name}: the manifest was touched"
    );
    assert!(!app.join("static").exists(), "{name}: files were written");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn invalid_scripts_are_all_listed_with_line_and_column() {
    let err = refused("invalid-scripts.yml");
    for needle in [
        "manifest.yml:11:12: error:",
        "\"has space\"",
        "manifest.yml:15:7: error:",
        "no \"key\"",
        "manifest.yml:15:12: error:",
        "must be relative",
        "manifest.yml:17:15: error:",
        "issue-view",
        "manifest.yml:18:7: error: module 'no-location'",
        "manifest.yml:20:7: error:",
        "6 problem(s) found; nothing was written",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
}

#[test]
fn unsafe_manifests_are_refused() {
    let err = refused("duplicate-keys.yml");
    assert!(
        err.contains("manifest.yml:10:1: error: $.app: duplicate key"),
        "{err}"
    );
    let err = refused("bad-shape.yml");
    assert!(
        err.contains("manifest.yml:7:3:")
            && err.contains("jira:jiraBackgroundScripts is an object"),
        "{err}"
    );
    assert!(
        err.contains("manifest.yml:11:3:") && err.contains("jira:webItems is an object"),
        "{err}"
    );
    let err = refused("not-yaml.yml");
    assert!(
        err.contains("manifest.yml:3:10: error: the manifest is not valid YAML"),
        "{err}"
    );
    let err = refused("anchor-in-script.yml");
    assert!(
        err.contains("cannot be edited safely") && err.contains("anchor"),
        "{err}"
    );
}

#[test]
fn descriptor_only_flags_are_refused_for_a_manifest() {
    for flags in [&["--var", "a=b"][..], &["--product", "jira"][..]] {
        let (_tmp, app) = app("only-scripts.yml");
        c2f(&app)
            .args(["migrate", "manifest.yml", "--yes"])
            .args(flags)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "apply to Connect descriptors; manifest.yml is a Forge manifest",
            ));
        assert_eq!(
            std::fs::read_to_string(app.join("manifest.yml")).unwrap(),
            fixture_text("only-scripts.yml")
        );
    }
}

/// The trigger-like modules of a manifest (`trigger`, `preUninstall`): each key with its events
/// and the remote and route of the endpoint it names.
fn backend_calls(v: &Value) -> Vec<(String, Value, String, String)> {
    let endpoints = v["modules"]["endpoint"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    ["trigger", "preUninstall"]
        .iter()
        .flat_map(|t| v["modules"][t].as_array().cloned().unwrap_or_default())
        .map(|m| {
            let e = endpoints
                .iter()
                .find(|e| e["key"] == m["endpoint"])
                .unwrap_or_else(|| panic!("{} names no endpoint", m["key"]));
            (
                m["key"].as_str().unwrap().to_string(),
                m["events"].clone(),
                e["remote"].as_str().unwrap().to_string(),
                e["route"]["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A Connect-on-Forge manifest's lifecycle and webhooks leave Connect as a descriptor's do: each
/// webhook becomes a trigger and the lifecycle (no other Connect module staying) a trigger and a
/// preUninstall, with one endpoint per route on the remote app.connect.remote names; the emptied
/// connectModules takes app.connect.authentication and the Connect scopes with it, every other
/// line stays, what is not carried is said at its line, the result validates, and a second run
/// changes nothing.
#[test]
fn lifecycle_and_webhooks_become_triggers_on_the_connect_remote() {
    let name = "backend-hooks.yml";
    let (_tmp, app) = app(name);
    let old_text = fixture_text(name);
    let old = parse(&old_text);
    let out = c2f(&app)
        .args(["migrate", "manifest.yml", "--yes", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let review: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = std::fs::read_to_string(app.join("manifest.yml")).unwrap();
    let new = parse(&text);

    assert!(new.get("connectModules").is_none(), "{text}");
    assert_eq!(
        new["app"]["connect"],
        json!({"key": "acme-hooks", "remote": "backend"})
    );
    assert_eq!(new["remotes"], old["remotes"]);
    let s = |x: &str| x.to_string();
    assert_eq!(
        backend_calls(&new),
        [
            (
                s("issue-created-hook"),
                json!(["avi:jira:created:issue"]),
                s("backend"),
                s("/hooks/issue")
            ),
            (
                s("webhook-comment-created"),
                json!(["avi:jira:commented:issue"]),
                s("backend"),
                s("/hooks/comment")
            ),
            (
                s("lifecycle-installed"),
                json!(["avi:forge:installed:app"]),
                s("backend"),
                s("/lifecycle/installed")
            ),
            (
                s("lifecycle-uninstalled"),
                Value::Null,
                s("backend"),
                s("/lifecycle/uninstalled")
            ),
        ]
    );
    // The backend read the REST API with Connect scopes: its endpoints get the app's token.
    for e in new["modules"]["endpoint"].as_array().unwrap() {
        assert_eq!(e["auth"], json!({"appSystemToken": {"enabled": true}}));
    }
    assert_eq!(
        new["permissions"]["scopes"],
        json!(["storage:app", "read:jira-work", "read:jira-user"])
    );
    assert_eq!(new["modules"]["jira:globalPage"][0]["key"], "acme-overview");

    // Every line outside connectModules, authentication and the Connect scopes is kept as it was.
    let mut in_cm = false;
    let mut new_lines = text.lines();
    for line in old_text.lines() {
        in_cm = match (in_cm, line.starts_with(' ')) {
            (_, false) => line.starts_with("connectModules:"),
            (was, true) => was,
        };
        let goes = line.contains("authentication:") || line.contains(":connect-jira");
        if goes {
            assert!(!text.contains(line), "{line:?} in\n{text}");
        } else if !in_cm {
            assert!(new_lines.any(|l| l == line), "{line:?} in\n{text}");
        }
    }

    // What is not carried is said at its line.
    let warned: Vec<(u64, &str)> = review["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["position"]["line"].as_u64().unwrap(),
                w["code"].as_str().unwrap(),
            )
        })
        .collect();
    for expected in [
        (26, "C2F092"),
        (18, "C2F095"),
        (35, "C2F096"),
        (36, "C2F096"),
        (7, "C2F008"),
    ] {
        assert!(warned.contains(&expected), "{expected:?} in {warned:?}");
    }

    // The backend's to-do list names every route, and stays what it was on a second run.
    let doc = std::fs::read_to_string(app.join("docs/forge-backend.md")).unwrap();
    for route in [
        "/hooks/issue",
        "/hooks/comment",
        "/lifecycle/installed",
        "/lifecycle/uninstalled",
    ] {
        assert!(doc.contains(&format!("| `{route}` |")), "{route} in\n{doc}");
    }
    assert!(doc.contains("remote `backend`"), "{doc}");
    c2f(&app)
        .args(["migrate", "manifest.yml", "--check"])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(app.join("docs/forge-backend.md")).unwrap(),
        doc
    );

    // Atlassian's validator, with the page's build stood in for.
    std::fs::create_dir_all(app.join("static/acme-overview/build")).unwrap();
    std::fs::write(
        app.join("static/acme-overview/build/index.html"),
        "<!DOCTYPE html><title>stub</title>\n",
    )
    .unwrap();
    let out = Process::new(shared("tools/forge-validate/validate"))
        .arg("--connect-schema")
        .arg(&app)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// While another Connect module stays, the lifecycle stays on Connect (its installed callback
/// gives the backend the shared secret that signs the modules' JWTs), and so do
/// app.connect.authentication and the Connect scopes; the webhooks still move.
#[test]
fn the_lifecycle_stays_while_a_connect_module_does() {
    let (_tmp, app) = app("backend-hooks.yml");
    c2f(&app)
        .args([
            "migrate",
            "manifest.yml",
            "--yes",
            "--keep-connect",
            "generalPages",
        ])
        .assert()
        .code(0);
    let new = parse(&std::fs::read_to_string(app.join("manifest.yml")).unwrap());
    let left: Vec<&String> = new["connectModules"].as_object().unwrap().keys().collect();
    assert_eq!(left, ["jira:lifecycle", "jira:generalPages"]);
    assert_eq!(new["app"]["connect"]["authentication"], "jwt");
    let keys: Vec<String> = backend_calls(&new).into_iter().map(|c| c.0).collect();
    assert_eq!(keys, ["issue-created-hook", "webhook-comment-created"]);
    assert_eq!(
        new["permissions"]["scopes"],
        json!([
            "read:connect-jira",
            "act-as-user:connect-jira",
            "storage:app",
            "read:jira-work"
        ])
    );
}

/// Without a declared remote for app.connect.remote to name, a trigger's endpoint would call
/// nothing: the webhooks and so the lifecycle stay on Connect, each webhook said at its line.
#[test]
fn without_a_connect_remote_the_backend_wiring_stays_on_connect() {
    let (_tmp, app) = app("backend-hooks.yml");
    let text =
        fixture_text("backend-hooks.yml").replace("    remote: backend ", "    # remote: backend ");
    std::fs::write(app.join("manifest.yml"), &text).unwrap();
    let out = c2f(&app)
        .args(["migrate", "manifest.yml", "--yes", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let review: Value = serde_json::from_slice(&out.stdout).unwrap();
    let new = parse(&std::fs::read_to_string(app.join("manifest.yml")).unwrap());
    let left: Vec<&String> = new["connectModules"].as_object().unwrap().keys().collect();
    assert_eq!(left, ["jira:lifecycle", "jira:webhooks"]);
    assert_eq!(
        new["connectModules"]["jira:webhooks"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(new["modules"].get("trigger").is_none());
    let lines: Vec<u64> = review["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "C2F098")
        .map(|w| w["position"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [20, 23, 25]);
    assert!(!app.join("docs/forge-backend.md").exists());
}

/// Keys the migration makes (a keyless webhook's from its event, an endpoint's from its route)
/// never take one the manifest has: they get `-2`, `-3`, …, and the triggers name the renamed
/// endpoint.
#[test]
fn made_keys_never_take_one_the_manifest_has() {
    let (_tmp, app) = app("backend-hooks.yml");
    let text = "app:
  id: \"ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000\"
  connect:
    key: kl
    remote: connect
  runtime:
    name: nodejs22.x
remotes:
  - key: connect
    baseUrl: https://kl.example.com
modules:
  trigger:
    - key: webhook-jira-issue-created
      events: [avi:jira:updated:issue]
      endpoint: remote-a
  endpoint:
    - key: remote-a
      remote: connect
      route:
        path: /mine
connectModules:
  jira:webhooks:
    - event: jira:issue_created
      url: /a
    - event: jira:issue_created
      url: /b
";
    std::fs::write(app.join("manifest.yml"), text).unwrap();
    c2f(&app)
        .args(["migrate", "manifest.yml", "--yes"])
        .assert()
        .code(0);
    let new = parse(&std::fs::read_to_string(app.join("manifest.yml")).unwrap());
    let calls: Vec<(String, String)> = backend_calls(&new)
        .into_iter()
        .map(|(k, _, _, route)| (k, route))
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        calls,
        [
            (s("webhook-jira-issue-created"), s("/mine")),
            (s("webhook-jira-issue-created-2"), s("/a")),
            (s("webhook-jira-issue-created-3"), s("/b")),
        ]
    );
    let endpoints: Vec<&str> = new["modules"]["endpoint"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(endpoints, ["remote-a", "remote-a-2", "remote-b"]);
}
