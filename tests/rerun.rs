//! Re-runs on a Forge app folder already written: what the tool remembers between runs
//! (`.connect2forge/`) and how it treats the files on disk (issue 18 §4, issue 19 items 10–14).
//!
//! Each test writes an app, changes something (the Connect app's source, a template, the
//! vendor's copy, the page's whereabouts) and runs again: a change reaches every generated file
//! the vendor never touched, is merged into the ones they edited, and `--check` reports it.

mod common;
use common::{migrate_out, stderr};

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
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

/// A copy of the bundled atlassian-connect-express example in `tmp`, written once with `--yes`
/// into its `forge-app/`: (the descriptor, the output folder).
fn written_ace_app(tmp: &Path) -> (PathBuf, PathBuf) {
    let app = tmp.join("ace-app");
    copy_dir(&common::root().join("examples/ace-app"), &app);
    let descriptor = app.join("atlassian-connect.json");
    let out = app.join("forge-app");
    let o = migrate_out(&descriptor, &out, &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (descriptor, out)
}

fn ok(o: &Output) {
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stderr(o), stdout(o));
}

/// Issue 19 item 11 / issue 18 §4: a source script changed after the first run never reached
/// its carried copy, which the vendor had not touched ("kept … it exists and is yours"), and
/// `--check` said up to date. It is now a change, and the write brings it.
#[test]
fn a_changed_source_script_reaches_its_untouched_carried_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let (descriptor, out) = written_ace_app(tmp.path());
    let source = descriptor
        .parent()
        .unwrap()
        .join("public/js/issue-watcher.js");
    let changed = format!("{}// fixed in the Connect app\n", read(&source));
    std::fs::write(&source, &changed).unwrap();

    let o = migrate_out(&descriptor, &out, &["--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("+++ b/static/issue-watcher/page/js/issue-watcher.js\n"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("+// fixed in the Connect app"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("kept static/"), "{}", stdout(&o));

    ok(&migrate_out(&descriptor, &out, &["--yes"]));
    assert_eq!(
        read(&out.join("static/issue-watcher/page/js/issue-watcher.js")),
        changed
    );
    ok(&migrate_out(&descriptor, &out, &["--check"]));
}

/// Issue 19 item 11: a script the page started to load was created, but `index.html` (kept as
/// "yours") did not load it. `index.html` now takes the new generation, merged into the
/// vendor's edits to it.
#[test]
fn a_script_added_to_the_page_is_loaded_by_an_edited_index_html() {
    let tmp = tempfile::tempdir().unwrap();
    let (descriptor, out) = written_ace_app(tmp.path());
    let index = out.join("static/issue-watcher/index.html");
    let mine = read(&index).replace("<body>\n", "<body>\n    <!-- vendor's note -->\n");
    std::fs::write(&index, &mine).unwrap();
    let project = descriptor.parent().unwrap();
    std::fs::write(project.join("public/js/extra.js"), "window.extra = 1;\n").unwrap();
    let view = project.join("views/issue-watcher.hbs");
    std::fs::write(
        &view,
        format!("{}<script src=\"/js/extra.js\"></script>\n", read(&view)),
    )
    .unwrap();

    let o = migrate_out(&descriptor, &out, &["--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("+    <script src=\"./page/js/extra.js\"></script>"),
        "{}",
        stdout(&o)
    );
    let o = migrate_out(&descriptor, &out, &["--yes"]);
    ok(&o);
    assert!(
        stderr(&o).contains("your edits to index.html are kept"),
        "{}",
        stderr(&o)
    );
    let merged = read(&index);
    assert!(merged.contains("<!-- vendor's note -->"), "{merged}");
    assert!(
        merged.contains("<script src=\"./page/js/extra.js\"></script>"),
        "{merged}"
    );
    assert_eq!(
        read(&out.join("static/issue-watcher/page/js/extra.js")),
        "window.extra = 1;\n"
    );
    ok(&migrate_out(&descriptor, &out, &["--check"]));
}

/// Issue 18 §4: a new template version reaches the scaffold files the vendor never touched,
/// and is merged into those they edited.
#[test]
fn a_new_template_version_reaches_untouched_scaffold_files_and_merges_into_edited_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let (descriptor, out) = written_ace_app(tmp.path());
    let edited = out.join("static/issue-watcher/scripts/build.mjs");
    let mine = format!("// vendor's build tweak\n{}", read(&edited));
    std::fs::write(&edited, &mine).unwrap();
    let untouched = out.join("static/team-dashboard-refresh/scripts/build.mjs");
    // The next version of the template: one line added at the end.
    let templates = tmp.path().join("templates");
    let o = common::run_timed(&["templates".as_ref(), templates.as_os_str()]);
    ok(&o);
    let hbs = templates.join("scaffold/scripts/build.mjs.hbs");
    std::fs::write(&hbs, format!("{}// template v2\n", read(&hbs))).unwrap();
    let with_templates = ["--templates", templates.to_str().unwrap()];

    let o = migrate_out(
        &descriptor,
        &out,
        &[&["--check"][..], &with_templates].concat(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("0 created, 3 changed"),
        "{}",
        stdout(&o)
    );
    ok(&migrate_out(
        &descriptor,
        &out,
        &[&["--yes"][..], &with_templates].concat(),
    ));
    assert!(read(&untouched).ends_with("// template v2\n"));
    let merged = read(&edited);
    assert!(merged.starts_with("// vendor's build tweak\n"), "{merged}");
    assert!(merged.ends_with("// template v2\n"), "{merged}");
}

/// A carried script changed on both sides at the same lines: both sides between markers that
/// name the file, the vendor's copy kept, and the file pending (`--check` exits 1, "in
/// conflict") until the markers are gone.
#[test]
fn both_sides_changing_a_carried_script_conflict_until_resolved() {
    let tmp = tempfile::tempdir().unwrap();
    let (descriptor, out) = written_ace_app(tmp.path());
    let rel = "static/issue-watcher/page/js/jira-client.js";
    let carried = out.join(rel);
    let source = descriptor
        .parent()
        .unwrap()
        .join("public/js/jira-client.js");
    let first = read(&source).lines().next().unwrap().to_string();
    let mine = read(&carried).replacen(&first, "// the vendor's first line", 1);
    std::fs::write(&carried, &mine).unwrap();
    std::fs::write(
        &source,
        read(&source).replacen(&first, "// the Connect app's first line", 1),
    )
    .unwrap();

    let o = migrate_out(&descriptor, &out, &["--yes"]);
    ok(&o);
    assert!(stderr(&o).contains("cannot be merged"), "{}", stderr(&o));
    let text = read(&carried);
    assert!(
        text.starts_with(&format!(
            "<<<<<<< yours ({rel})\n// the vendor's first line\n=======\n// the Connect app's first line\n>>>>>>> connect2forge\n"
        )),
        "{text}"
    );
    assert_eq!(read(&out.join(format!(".connect2forge/{rel}.orig"))), mine);

    let o = migrate_out(&descriptor, &out, &["--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 in conflict"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("still holds 1 conflict(s) that connect2forge marked, from line 1"),
        "{}",
        stderr(&o)
    );
    // A write leaves it alone.
    ok(&migrate_out(&descriptor, &out, &["--yes"]));
    assert_eq!(read(&carried), text);

    // Resolved (the vendor keeps both lines): up to date, and kept as the vendor's.
    let resolved = text
        .lines()
        .filter(|l| {
            !l.starts_with("<<<<<<<") && !l.starts_with("=======") && !l.starts_with(">>>>>>>")
        })
        .map(|l| format!("{l}\n"))
        .collect::<String>();
    std::fs::write(&carried, &resolved).unwrap();
    let o = migrate_out(&descriptor, &out, &["--check"]);
    ok(&o);
    assert!(
        stdout(&o).contains(&format!("kept {rel} (your edits")),
        "{}",
        stdout(&o)
    );
}

/// The manifest's `permissions.scopes`.
fn scopes(manifest: &str) -> Vec<String> {
    let v: serde_json::Value = serde_yaml::from_str(manifest).unwrap();
    v["permissions"]["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// Issue 19 item 10: a re-run that could not find the page (moved, deleted, or the descriptor
/// read from stdin) silently dropped scopes such as write:jira-work that the carried code still
/// needs, and showed the skeleton replacing nothing. The carried code's scopes now stay, read
/// from the record (or from the scripts on disk without one), and the review says which; they go
/// once that code is gone.
#[test]
fn scopes_the_carried_code_needs_stay_while_the_page_cannot_be_found() {
    let tmp = tempfile::tempdir().unwrap();
    let (descriptor, out) = written_ace_app(tmp.path());
    let manifest = out.join("manifest.yml");
    let before = read(&manifest);
    assert!(scopes(&before).contains(&"write:jira-work".to_string()));
    let index = read(&out.join("static/issue-watcher/index.html"));

    // Read from stdin: no source tree.
    let o = common::c2f_in(common::root())
        .args(["migrate", "-", "--out"])
        .arg(&out)
        .arg("--check")
        .write_stdin(std::fs::read(&descriptor).unwrap())
        .output()
        .unwrap();
    ok(&o);
    assert!(
        stderr(&o).contains("the scopes it needs (read:jira-work, write:jira-work) stay in manifest.yml (read from the record, .connect2forge/record.json)"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("0 created, 0 changed"),
        "{}",
        stdout(&o)
    );

    // The page moved out of the source tree.
    let view = descriptor.parent().unwrap().join("views/issue-watcher.hbs");
    let moved = tmp.path().join("issue-watcher.hbs");
    std::fs::rename(&view, &moved).unwrap();
    let o = migrate_out(&descriptor, &out, &["--yes"]);
    ok(&o);
    assert!(
        stderr(&o).contains("its page was not found"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("the code an earlier run carried stays"),
        "{}",
        stdout(&o)
    );
    assert_eq!(read(&manifest), before);
    assert_eq!(read(&out.join("static/issue-watcher/index.html")), index);

    // Without a record: read from the carried scripts on disk.
    std::fs::remove_dir_all(out.join(".connect2forge")).unwrap();
    let o = migrate_out(&descriptor, &out, &["--check"]);
    assert!(
        stderr(&o).contains("read from the scripts on disk"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("write:jira-work"), "{}", stderr(&o));
    assert!(
        !stdout(&o).contains("-    - write:jira-work"),
        "{}",
        stdout(&o)
    );
    ok(&migrate_out(&descriptor, &out, &["--yes"]));

    // Once the carried code is gone, so is the scope only it needed. (With the lifecycle kept on
    // Connect, the descriptor's WRITE stays write:connect-jira; with nothing left on Connect it
    // would become write:jira-work itself: docs/mapping.md, Scopes.)
    std::fs::remove_dir_all(out.join("static/issue-watcher/page")).unwrap();
    let o = migrate_out(&descriptor, &out, &["--yes", "--keep-connect", "lifecycle"]);
    ok(&o);
    assert!(
        !scopes(&read(&manifest)).contains(&"write:jira-work".to_string()),
        "{}",
        read(&manifest)
    );
    std::fs::rename(&moved, &view).unwrap();
}

/// Issue 18 §4: after a Connect-on-Forge manifest was migrated in place, later runs said no
/// background script was found and checked nothing. They now check the modules it migrated
/// (through the record): a changed page shows, and a scope its new code needs is added in
/// place.
#[test]
fn an_adopted_manifest_keeps_its_migrated_modules_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("forge-adopt");
    copy_dir(
        &common::root().join("tests/fixtures/apps/forge-adopt"),
        &app,
    );
    let manifest = app.join("manifest.yml");
    std::fs::write(
        &manifest,
        read(&manifest).replace("    - write:jira-work\n", ""),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args: Vec<&OsStr> = vec!["migrate".as_ref(), manifest.as_os_str()];
        args.extend(extra.iter().map(OsStr::new));
        common::run_timed(&args)
    };
    ok(&run(&["--yes"]));
    let o = run(&["--check"]);
    ok(&o);
    assert!(
        stdout(&o).contains("sprint-health-bg (issue_view) → jira:issueViewBackgroundScript"),
        "{}",
        stdout(&o)
    );
    assert!(
        !stdout(&o).contains("No background script"),
        "{}",
        stdout(&o)
    );

    // The page's script now writes to the issue: it needs write:jira-work.
    let script = app.join("public/js/sprint-health.js");
    std::fs::write(
        &script,
        format!(
            "{}AP.request({{ url: '/rest/api/3/issue/SH-1', type: 'PUT', data: '{{}}' }});\n",
            read(&script)
        ),
    )
    .unwrap();
    let o = run(&["--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("+++ b/static/sprint-health-bg/page/js/sprint-health.js"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("+    - write:jira-work"),
        "{}",
        stdout(&o)
    );
    ok(&run(&["--yes"]));
    assert!(read(&manifest).contains("    - write:jira-work\n"));
    ok(&run(&["--check"]));

    // A descriptor run into the adopted folder adopts it again: the vendor's manifest is never
    // replaced by a generated one.
    let descriptor = tmp.path().join("atlassian-connect.json");
    std::fs::copy(
        common::root().join("tests/fixtures/minimal.json"),
        &descriptor,
    )
    .unwrap();
    let before = read(&manifest);
    let o = migrate_out(&descriptor, &app, &["--yes"]);
    ok(&o);
    assert!(
        stderr(&o).contains("was migrated in place by an earlier run"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(&manifest), before);
}

/// Issue 18 §4: a manifest with conflict markers the tool wrote says so: `--check` exits 1 with
/// the reason, `status` names each conflict's line, and a write leaves it alone.
#[test]
fn a_manifest_with_unresolved_markers_is_pending_and_status_names_them() {
    let tmp = tempfile::tempdir().unwrap();
    let example = common::root().join("examples/atlassian-connect.json");
    let out = tmp.path().join("app");
    ok(&migrate_out(&example, &out, &["--yes"]));
    let manifest = out.join("manifest.yml");
    std::fs::write(
        &manifest,
        read(&manifest).replace(
            "    baseUrl: ${LOCAL_BASE_URL}\n",
            "    baseUrl: https://mine.example.com\n",
        ),
    )
    .unwrap();
    let var = ["--var", "localBaseUrl=https://x.example.com"];
    ok(&migrate_out(
        &example,
        &out,
        &[&["--yes"][..], &var].concat(),
    ));
    let marked = read(&manifest);
    let line = marked
        .lines()
        .position(|l| l == "<<<<<<< yours (manifest.yml)")
        .unwrap()
        + 1;

    let o = migrate_out(&example, &out, &[&["--check"][..], &var].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains(&format!(
            "manifest.yml:{line}:1: warning: manifest.yml still holds 1 conflict(s) that connect2forge marked"
        )),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("1 in conflict"), "{}", stdout(&o));
    ok(&migrate_out(
        &example,
        &out,
        &[&["--yes"][..], &var].concat(),
    ));
    assert_eq!(read(&manifest), marked);

    let o = common::run_timed(&["status".as_ref(), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains(&format!(
            "manifest.yml:{line}:1: error: an unresolved conflict that connect2forge marked"
        )),
        "{}",
        stderr(&o)
    );
}

/// Issue 19 item 12: carried paths that collide as file and folder wrote 8 files, then failed
/// (exit 2), and every re-run failed the same way. Item 14: names a Windows checkout cannot
/// hold. Both are refused before anything is written, naming the path(s) and why.
#[test]
fn colliding_or_unportable_planned_paths_are_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("static-app");
    copy_dir(&common::root().join("tests/fixtures/apps/static"), &app);
    let page = app.join("www/bg/overdue.html");
    let original = read(&page);
    let descriptor = app.join("atlassian-connect.json");
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            // The page's inline script is carried as page/overdue.inline-1.js: a script under a
            // folder of that name collides with it.
            "overdue.inline-1.js/x.js",
            "../overdue.inline-1.js/x.js",
            &["overdue.inline-1.js/x.js: it needs", "to be a folder"],
        ),
        (
            "js/aux.js",
            "../js/aux.js",
            &["aux.js", "device name on Windows"],
        ),
        (
            "js/Overdue.js",
            "../js/Overdue.js",
            &["differs from", "only by case"],
        ),
    ];
    for (file, src, says) in cases {
        let target = app.join("www").join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, "window.more = 1;\n").unwrap();
        std::fs::write(
            &page,
            original.replace(
                "</body>",
                &format!("  <script src=\"{src}\"></script>\n</body>"),
            ),
        )
        .unwrap();
        let out = tmp.path().join("out");
        for mode in ["--dry-run", "--yes"] {
            let o = migrate_out(&descriptor, &out, &[mode]);
            assert_eq!(o.status.code(), Some(2), "{file} {mode}: {}", stderr(&o));
            for s in says {
                assert!(stderr(&o).contains(s), "{file} {mode}: {}", stderr(&o));
            }
            assert!(!out.exists(), "{file} {mode}: something was written");
        }
        std::fs::remove_file(&target).unwrap();
    }

    // A module key Windows cannot hold as a folder name.
    let minimal = read(&common::root().join("tests/fixtures/minimal.json"));
    let descriptor = tmp.path().join("con.json");
    std::fs::write(
        &descriptor,
        minimal.replace("\"key\": \"watcher\"", "\"key\": \"con\""),
    )
    .unwrap();
    let out = tmp.path().join("out2");
    let o = migrate_out(&descriptor, &out, &["--yes"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the folder static/con/"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

/// A folder written before the record existed (`.connect2forge/manifest.base.yml` only): the
/// vendor's manifest edits are merged against that base, and the record replaces it.
#[test]
fn a_folder_from_before_the_record_merges_against_its_manifest_base() {
    let tmp = tempfile::tempdir().unwrap();
    let example = common::root().join("examples/atlassian-connect.json");
    let out = tmp.path().join("app");
    ok(&migrate_out(&example, &out, &["--yes"]));
    let manifest = out.join("manifest.yml");
    let generated = read(&manifest);
    // As the earlier version left it.
    std::fs::remove_dir_all(out.join(".connect2forge")).unwrap();
    std::fs::create_dir(out.join(".connect2forge")).unwrap();
    std::fs::write(out.join(".connect2forge/manifest.base.yml"), &generated).unwrap();
    std::fs::write(&manifest, format!("# mine\n{generated}")).unwrap();

    let o = migrate_out(
        &example,
        &out,
        &["--yes", "--var", "localBaseUrl=https://x.example.com"],
    );
    ok(&o);
    assert!(
        stderr(&o).contains("your edits to manifest.yml are kept"),
        "{}",
        stderr(&o)
    );
    let merged = read(&manifest);
    assert!(merged.starts_with("# mine\n"), "{merged}");
    assert!(merged.contains("https://x.example.com"), "{merged}");
    assert!(out.join(".connect2forge/record.json").is_file());
    assert!(!out.join(".connect2forge/manifest.base.yml").exists());
}
