//! Regression tests for bugs found by fuzzing (`fuzz/`, see docs/fuzzing.md). One test per bug;
//! each loads the input that triggered it from `tests/fixtures/regression/` and checks that the
//! whole in-memory pipeline gives a clean result — never a panic, and never a template error from
//! the built-in templates (that is the renderer rejecting its own output). The last test replays
//! the fuzzers' minimized corpora (`fuzz/corpus/<target>/`) the same way.

use std::collections::BTreeMap;

use connect2forge::descriptor::product::Product;
use connect2forge::descriptor::ReadOptions;
use connect2forge::migration::{render_descriptor, Rendered};
use connect2forge::output::PlannedFile;
use connect2forge::review::emit;
use connect2forge::scaffold::Templates;
use connect2forge::source::SourceText;
use connect2forge::Error;

fn fixture(name: &str) -> SourceText {
    let path = format!(
        "{}/tests/fixtures/regression/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    SourceText::new(name, std::fs::read_to_string(path).unwrap())
}

/// The options of the `pipeline_jira` fuzz target: `--product jira --var localBaseUrl=https://x`.
fn jira() -> ReadOptions {
    ReadOptions {
        product: Some(Product::Jira),
        vars: BTreeMap::from([("localBaseUrl".to_string(), "https://x".to_string())]),
        keep_connect: Vec::new(),
    }
}

/// The rendered files of a fixture, or the input error; fails on any other error.
fn migrate(name: &str, options: &ReadOptions) -> Result<Vec<PlannedFile>, Vec<String>> {
    let templates = Templates::load(None).unwrap();
    match render_descriptor(&fixture(name), options, &templates, None) {
        Ok(rendered) => {
            let files = rendered.files.clone();
            review(rendered);
            Ok(files)
        }
        Err(Error::Input(diags)) => Err(diags.iter().map(|d| d.to_line()).collect()),
        Err(e) => panic!("{name}: expected success or an input error, got: {e}"),
    }
}

/// The review text and JSON of a migration (as `migrate --dry-run` on an empty `--out` shows
/// them), through the same emitters as the CLI.
fn review(rendered: Rendered) -> String {
    let review = rendered.review_for_new_folder("fuzz.json", std::path::Path::new("out"));
    format!("{}{}", emit::text(&review, false), emit::json(&review))
}

/// A Spring placeholder with an empty default (`${a:}`) became a variable with `default: ""`,
/// but the manifest template tested the default with `{{#if default}}`, which is false for an
/// empty string: the variable was rendered without its default, and the self-check refused the
/// built-in template's output ("does not carry the migrated value at $.environment.variables[0]").
#[test]
fn empty_placeholder_default_is_rendered() {
    // The general page stays on Connect, where its name (and the placeholder in it) is carried.
    let options = ReadOptions {
        keep_connect: vec!["generalPages".into()],
        ..ReadOptions::default()
    };
    let files = migrate("empty-placeholder-default.json", &options).unwrap();
    let manifest = &files
        .iter()
        .find(|f| f.path == "manifest.yml")
        .unwrap()
        .content;
    let v: serde_yaml::Value = serde_yaml::from_str(manifest).unwrap();
    let vars = &v["environment"]["variables"];
    assert_eq!(vars[0]["key"].as_str(), Some("A"), "{manifest}");
    assert_eq!(vars[0]["default"].as_str(), Some(""), "{manifest}");
}

/// A configurable dashboard item has a second resource (its `edit` page), but the manifest
/// template listed only each module's main resource: the self-check refused the built-in
/// template's output ("does not carry the migrated value at $.resources"), found on the corpus.
#[test]
fn an_extra_pages_resource_is_listed_in_the_manifest() {
    let files = migrate("gadget-edit-resource.json", &jira()).unwrap();
    let manifest = &files
        .iter()
        .find(|f| f.path == "manifest.yml")
        .unwrap()
        .content;
    let v: serde_json::Value = serde_yaml::from_str(manifest).unwrap();
    let gadget = &v["modules"]["jira:dashboardGadget"][0];
    assert_eq!(
        gadget["edit"]["resource"], "release-gadget-edit",
        "{manifest}"
    );
    let keys: Vec<&str> = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["key"].as_str())
        .collect();
    assert_eq!(
        keys,
        ["release-gadget", "release-gadget-edit"],
        "{manifest}"
    );
}

/// A Connect module carrying an object key longer than 1024 characters (here in a `name`) was
/// written as an implicit YAML key, which YAML limits to 1024 characters: the manifest did not
/// parse ("could not find expected ':'") and the built-in template was blamed.
#[test]
fn long_object_key_renders_parseable_yaml() {
    // The general page stays on Connect, where its name is carried as it is.
    let options = ReadOptions {
        keep_connect: vec!["generalPages".into()],
        ..jira()
    };
    let files = migrate("long-yaml-key.json", &options).unwrap();
    let manifest = &files
        .iter()
        .find(|f| f.path == "manifest.yml")
        .unwrap()
        .content;
    let v: serde_json::Value = serde_yaml::from_str(manifest).unwrap();
    let name = &v["connectModules"]["jira:generalPages"][0]["name"];
    assert_eq!(name["v".repeat(1100).as_str()], "long key", "{manifest}");
}

/// A `key` property inside `lifecycle` (or `translations`, `cloudAppMigration`) replaced the key
/// generated for its connectModules entry: with a control character it failed the module-key
/// pattern, and equal to a module's key it was a duplicate; either way the self-check refused
/// the built-in template's output. Such a `key` is now dropped, with a warning.
#[test]
fn own_key_of_lifecycle_and_translations_is_dropped() {
    let templates = Templates::load(None).unwrap();
    let Rendered {
        files, diagnostics, ..
    } = render_descriptor(&fixture("lifecycle-key.json"), &jira(), &templates, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let manifest = &files[0].content;
    let v: serde_json::Value = serde_yaml::from_str(manifest).unwrap();
    let cm = &v["connectModules"];
    assert_eq!(
        cm["jira:lifecycle"][0]["key"], "lifecycle-events",
        "{manifest}"
    );
    assert_eq!(
        cm["jira:lifecycle"][0]["installed"], "/installed",
        "{manifest}"
    );
    assert_eq!(
        cm["jira:translations"][0]["key"], "connect-translations",
        "{manifest}"
    );
    assert_eq!(cm["jira:webItems"][0]["key"], "webItem-1", "{manifest}");
    let dropped: Vec<_> = diagnostics
        .as_slice()
        .iter()
        .filter_map(|w| w.path.as_deref())
        .filter(|p| p.ends_with(".key"))
        .collect();
    assert_eq!(dropped, ["$.lifecycle.key", "$.translations.key"]);
}

/// Every input of the checked-in fuzz corpora, with the options of its target: an input error or
/// success, never a panic or a template error. Bytes are decoded as the fuzz targets do (lossily).
#[test]
fn fuzz_corpus_migrates_or_fails_cleanly() {
    let templates = Templates::load(None).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut seen = 0;
    for (target, options) in [
        ("pipeline", ReadOptions::default()),
        ("pipeline_jira", jira()),
    ] {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in dir {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
                continue; // refused as UTF-16 before parsing, as the CLI does
            }
            let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
            let src = SourceText::new("fuzz.json", String::from_utf8_lossy(bytes).into_owned());
            match render_descriptor(&src, &options, &templates, None) {
                Ok(rendered) => {
                    review(rendered);
                }
                Err(Error::Input(diags)) => {
                    for d in &diags {
                        d.to_line();
                    }
                }
                Err(e) => panic!("{}: {e}", path.display()),
            }
            seen += 1;
        }
    }
    assert!(seen > 0, "no corpus under {}", root.display());
}

// --- Defects found by adversarial use (issue 11): one test per defect, run on the binary. ---

#[path = "common/mod.rs"]
mod common;
use common::{migrate_out, stderr};

use std::path::Path;
use std::process::{Command as StdCommand, Output, Stdio};

/// The bundled example descriptor.
fn example() -> std::path::PathBuf {
    common::root().join("examples/atlassian-connect.json")
}

/// Runs the binary with `args` in the crate root (CI set, no colour), killing it after 60 s.
fn run(args: &[&std::ffi::OsStr]) -> Output {
    common::run_timed(args)
}

fn out_text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

// Issue 11.1 (a FIFO or a device in `--out`) and 11.11 (signals during a write) are in
// tests/fs_faults.rs, with the other file-system faults.

/// Issue 11.2: with the record of the last generation (`.connect2forge/record.json`) deleted, a re-run replaced a hand-edited
/// `manifest.yml` by the generation, the user's lines showing only as `-` lines in the diff.
/// Now the lines dropped are named on stderr, the change still needs confirmation, and under
/// `--yes` the user's file is kept as `.connect2forge/manifest.yml.orig`.
#[test]
fn deleted_base_record_keeps_a_copy_of_dropped_user_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    assert_eq!(
        migrate_out(&example(), &out, &["--yes"]).status.code(),
        Some(0)
    );
    let manifest = out.join("manifest.yml");
    let edited = format!(
        "{}# my own note\n",
        std::fs::read_to_string(&manifest).unwrap()
    );
    std::fs::write(&manifest, &edited).unwrap();
    std::fs::remove_file(out.join(".connect2forge/record.json")).unwrap();

    let o = migrate_out(&example(), &out, &[]);
    assert_eq!(o.status.code(), Some(1), "asks first: {}", stderr(&o));
    assert!(stderr(&o).contains("`# my own note`"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), edited);

    let o = migrate_out(&example(), &out, &["--yes"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    assert!(
        e.contains("drops 1 line(s)") && e.contains("`# my own note`"),
        "{e}"
    );
    assert!(e.contains(".connect2forge/manifest.yml.orig"), "{e}");
    assert_eq!(
        std::fs::read_to_string(out.join(".connect2forge/manifest.yml.orig")).unwrap(),
        edited
    );
    assert!(!std::fs::read_to_string(&manifest)
        .unwrap()
        .contains("my own note"));
}

/// Issue 11.3: an edit next to a line the new generation changes was dropped with only a
/// warning, and the conflict was labelled the wrong way round (the generation as "ours"). Now
/// both sides are written git-style, the user's as `yours`, and a copy of the file is kept.
#[test]
fn conflicting_edit_keeps_both_sides_labelled_as_git_does() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    assert_eq!(
        migrate_out(&example(), &out, &["--yes"]).status.code(),
        Some(0)
    );
    let manifest = out.join("manifest.yml");
    let generated = std::fs::read_to_string(&manifest).unwrap();
    let line = generated
        .lines()
        .find(|l| l.contains("${LOCAL_BASE_URL}"))
        .unwrap()
        .to_string();
    let mine = line.replace("${LOCAL_BASE_URL}", "https://mine.example.com # by hand");
    let edited = generated.replace(&line, &mine);
    std::fs::write(&manifest, &edited).unwrap();

    let o = migrate_out(
        &example(),
        &out,
        &["--yes", "--var", "localBaseUrl=https://new.example.com"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let theirs = line.replace("${LOCAL_BASE_URL}", "https://new.example.com");
    let written = std::fs::read_to_string(&manifest).unwrap();
    assert!(
        written.contains(&format!(
            "<<<<<<< yours (manifest.yml)\n{mine}\n=======\n{theirs}\n>>>>>>> connect2forge\n"
        )),
        "{written}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join(".connect2forge/manifest.yml.orig")).unwrap(),
        edited
    );
    assert!(stderr(&o).contains("cannot be merged"), "{}", stderr(&o));
}

/// Issue 11.7: `--check` said "up to date" (exit 0) for a `manifest.yml` that no longer parses
/// (`app: [` appended by hand), because the generation had not changed and the user's edits
/// were kept as they were. A managed file that does not parse is a change.
#[test]
fn check_on_a_manifest_that_no_longer_parses_is_a_change() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    assert_eq!(
        migrate_out(&example(), &out, &["--yes"]).status.code(),
        Some(0)
    );
    let manifest = out.join("manifest.yml");
    let broken = format!("{}app: [\n", std::fs::read_to_string(&manifest).unwrap());
    std::fs::write(&manifest, &broken).unwrap();
    let o = migrate_out(&example(), &out, &["--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("does not parse"), "{}", stderr(&o));
    assert!(out_text(&o).contains("-app: ["), "{}", out_text(&o));
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), broken);
}

/// Issue 11.6: a Connect descriptor saved as `.yml` was taken for a Forge manifest by its
/// extension: migrate found "no background script" and `status` said "Fully Forge". The kind
/// is now decided by content, and a note says which it was.
#[test]
fn descriptor_named_yml_is_read_as_a_descriptor() {
    let tmp = tempfile::tempdir().unwrap();
    let yml = tmp.path().join("atlassian-connect.yml");
    std::fs::copy(example(), &yml).unwrap();
    let o = migrate_out(&yml, &tmp.path().join("app"), &["--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("read as a Connect descriptor"),
        "{}",
        stderr(&o)
    );
    assert!(
        out_text(&o).contains("Background scripts → Forge modules"),
        "{}",
        out_text(&o)
    );
    let o = run(&["status".as_ref(), yml.as_os_str()]);
    assert_eq!(o.status.code(), Some(2), "{}", out_text(&o));
    assert!(
        stderr(&o).contains("is a Connect descriptor"),
        "{}",
        stderr(&o)
    );
    assert!(!out_text(&o).contains("Fully Forge"));
}

/// Strings that YAML 1.1 or 1.2 readers resolve to another type when written plain.
const YAML_TRAPS: &[&str] = &[
    "1_000",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5",
    "=",
    "<<",
    "0o17",
    "0x1F",
    "0b101",
    "017",
    ".inf",
    "-.Inf",
    "+.inf",
    ".NaN",
    "~",
    "y",
    "Y",
    "n",
    "N",
    "yes",
    "No",
    "ON",
    "off",
    "True",
    "NULL",
    "null",
    "1:20",
    "-1:20",
    "190:20:30.15",
    "1.2.3",
    "1e3",
    "1E+3",
    "-1.5e-3",
    "+12",
    ".5",
    "1.",
    "0",
    "-0",
    "1_0.5",
    "12:30",
    "",
];

/// Issue 11.9: scalars that YAML 1.1 readers take for other types (`1_000`, `2001-12-14`, `=`,
/// a key `<<`) were written plain while `yes`/`on` were quoted. Every string the `yaml` helper
/// writes must read back as the same string in YAML 1.2 (yaml_serde) and in YAML 1.1 (PyYAML's
/// SafeLoader, when python3 has it): the traps above and every string of up to three
/// characters over an alphabet of YAML-significant ones.
#[test]
fn yaml_helper_quotes_every_scalar_a_yaml_reader_would_retype() {
    use connect2forge::manifest::yaml::yaml_value;
    let alphabet = [
        "0", "1", "9", ".", "_", ":", "-", "+", "e", "x", "o", "b", "y", "n", "~", "=", "<", "T",
        " ",
    ];
    let mut strings: Vec<String> = YAML_TRAPS.iter().map(|s| s.to_string()).collect();
    for a in alphabet {
        strings.push(a.to_string());
        for b in alphabet {
            strings.push(format!("{a}{b}"));
            for c in alphabet {
                strings.push(format!("{a}{b}{c}"));
            }
        }
    }
    // One document: a sequence of single-entry mappings, as a key and as a value.
    let mut doc = String::new();
    for s in &strings {
        let y = yaml_value(&serde_json::json!(s), None).unwrap();
        doc.push_str(&format!("- v: {y}\n  {y}: k\n"));
    }
    let back: serde_json::Value = serde_yaml::from_str(&doc).unwrap();
    for (i, s) in strings.iter().enumerate() {
        assert_eq!(back[i]["v"], serde_json::json!(s), "yaml 1.2 value {s:?}");
        assert_eq!(back[i][s.as_str()], "k", "yaml 1.2 key {s:?}");
    }
    // YAML 1.1: PyYAML resolves implicit types by the 1.1 rules.
    let py = StdCommand::new("python3")
        .args([
            "-c",
            "import sys, json, yaml\n\
             doc = yaml.safe_load(sys.stdin.read())\n\
             bad = []\n\
             for i, (s, e) in enumerate(zip(json.loads(sys.argv[1]), doc)):\n\
             \x20   ks = [k for k in e if k != 'v']\n\
             \x20   if e['v'] != s or ks != [s]: bad.append([s, repr(e['v']), repr(ks)])\n\
             print(json.dumps(bad))",
            &serde_json::to_string(&strings).unwrap(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    // Skipped by hand without python3 and PyYAML; in CI (`.ci/run` installs PyYAML) a failure.
    let skip = |why: &str| {
        assert!(
            std::env::var_os("CI").is_none(),
            "the YAML 1.1 half needs python3 with PyYAML ({why}), and CI is set"
        );
        eprintln!("skipped the YAML 1.1 half: {why}");
    };
    let Ok(mut py) = py else {
        return skip("no python3");
    };
    use std::io::Write as _;
    py.stdin.take().unwrap().write_all(doc.as_bytes()).unwrap();
    let o = py.wait_with_output().unwrap();
    if String::from_utf8_lossy(&o.stderr).contains("No module named 'yaml'") {
        return skip("python3 has no PyYAML");
    }
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bad: Vec<Vec<String>> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        bad.is_empty(),
        "read back as another value by YAML 1.1: {bad:?}"
    );
}

/// Issue 11.12: a newline or U+2028 inside a descriptor value quoted in a message was printed
/// raw, so a value could forge a log line (`...\nerror: ...`). Every message line now shows
/// them, and all other control characters, as escapes.
#[test]
fn newline_in_a_quoted_value_cannot_forge_a_message_line() {
    let tmp = tempfile::tempdir().unwrap();
    let descriptor = tmp.path().join("atlassian-connect.json");
    let name = "x\\nerror: forged line\\u2028also\\r\\u0085";
    std::fs::write(
        &descriptor,
        std::fs::read_to_string(common::root().join("tests/fixtures/minimal.json"))
            .unwrap()
            .replace(
                "\"name\": \"Minimal\",",
                &format!("\"{name}\": 1, \"{name}\": 2, \"name\": \"Minimal\","),
            ),
    )
    .unwrap();
    let o = migrate_out(&descriptor, &tmp.path().join("app"), &["--dry-run"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    assert!(e.contains("duplicate key"), "{e}");
    assert!(
        e.lines().all(|l| !l.starts_with("error: forged")),
        "a forged line: {e}"
    );
    assert!(
        !e.contains(['\u{2028}', '\r', '\u{85}']),
        "raw line separators: {e:?}"
    );
    assert!(e.contains("x\\u{a}error: forged line\\u{2028}also"), "{e}");
}

/// Issue 11.13: some diagnostics had no line:column (more than 50 background scripts; key-less
/// webhooks), and 3,000 key-less webhooks gave 3,000 warning lines. Both now have their place,
/// and repeated warnings are one line with a count.
#[test]
fn keyless_webhooks_are_located_and_grouped() {
    let tmp = tempfile::tempdir().unwrap();
    let minimal =
        std::fs::read_to_string(common::root().join("tests/fixtures/minimal.json")).unwrap();
    let hooks: Vec<String> = (0..3000)
        .map(|i| format!("{{\"event\": \"jira:issue_updated\", \"url\": \"/h/{i}\"}}"))
        .collect();
    let descriptor = tmp.path().join("hooks.json");
    std::fs::write(
        &descriptor,
        minimal.replace(
            "\"modules\": {",
            &format!(
                "\"modules\": {{\n\"webhooks\": [\n{}\n],",
                hooks.join(",\n")
            ),
        ),
    )
    .unwrap();
    // Kept on Connect, where a key-less entry gets a generated key (as triggers they would not).
    let o = migrate_out(
        &descriptor,
        &tmp.path().join("app"),
        &["--dry-run", "--keep-connect", "webhooks"],
    );
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    let lines: Vec<&str> = e
        .lines()
        .filter(|l| l.contains("entry has no key"))
        .collect();
    assert_eq!(lines.len(), 1, "{e}");
    let name = descriptor.display().to_string();
    assert!(
        lines[0].starts_with(&format!("{name}:9:1: warning: $.modules.webhooks[0]")),
        "{}",
        lines[0]
    );
    assert!(
        lines[0]
            .ends_with("(and 2999 more like it, at 10:1, 11:1, 12:1, 13:1, 14:1, ...) [C2F021]"),
        "{}",
        lines[0]
    );

    // 51 background scripts: the refusal points at the list.
    std::fs::write(&descriptor, common::minimal_with_scripts(0..51)).unwrap();
    let o = migrate_out(&descriptor, &tmp.path().join("app"), &["--dry-run"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains(&format!(
            "{name}:8:30: error: $.modules.jiraBackgroundScripts: 52 background scripts"
        )),
        "{e}"
    );
}

/// Issue 11.14: a template override that is a FIFO, a dangling symlink or a folder was
/// silently ignored (the built-in template was used), and invalid UTF-8 in a template exited 3
/// without a position. Each is now refused with its path, exit 2; invalid UTF-8 with its line,
/// column and byte offset.
#[cfg(unix)]
#[test]
fn template_override_that_is_not_a_regular_utf8_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let templates = tmp.path().join("templates");
    let target = templates.join("scaffold/src/main.js.hbs");
    type Make<'a> = &'a dyn Fn(&Path);
    let cases: [(&str, Make); 4] = [
        ("FIFO", &|p| common::mkfifo(p)),
        ("dangling symlink", &|p| {
            std::os::unix::fs::symlink(p.with_extension("gone"), p).unwrap()
        }),
        ("folder", &|p| std::fs::create_dir(p).unwrap()),
        ("invalid UTF-8 at line 2, column 4 (byte 8)", &|p| {
            std::fs::write(p, b"// a\n// \xff\n").unwrap()
        }),
    ];
    for (says, make) in cases {
        let _ = std::fs::remove_dir_all(&templates);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        make(&target);
        let o = migrate_out(
            &example(),
            &tmp.path().join("app"),
            &["--dry-run", "--templates", templates.to_str().unwrap()],
        );
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{says}: {e}");
        assert!(e.contains(says), "{says}: {e}");
        assert!(e.contains(&target.display().to_string()), "{says}: {e}");
        assert!(!tmp.path().join("app").exists());
    }
}

/// A manifest adopted in place whose modules and resources must be appended (it has neither).
const ADOPT_APPENDS: &str = "app:\n  id: \"ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000\"\n  connect:\n    key: acme-bg\n    remote: connect\nremotes:\n  - key: connect\n    baseUrl: https://bg.acme.example.com\nconnectModules:\n  jira:jiraBackgroundScripts:\n    - key: bg-issue\n      url: /bg/issue\n      location:\n        type: issue_view\n  jira:generalPages:\n    - key: page\n      url: /page\n      name:\n        value: Page\n";

/// Issue 11.8: adopting a manifest that ends with `...` was refused as "more than one document"
/// (the tool appended past the end marker); CRLF manifests got LF-only added lines; a UTF-8 BOM
/// was dropped. The file keeps its own line endings and BOM, and additions go before `...`.
#[test]
fn adopt_keeps_crlf_bom_and_a_final_document_end() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("end-marker", format!("{ADOPT_APPENDS}...\n")),
        ("crlf", ADOPT_APPENDS.replace('\n', "\r\n")),
        ("bom", format!("\u{feff}{ADOPT_APPENDS}")),
        (
            "all",
            format!("\u{feff}{ADOPT_APPENDS}...\n# end\n").replace('\n', "\r\n"),
        ),
    ] {
        let dir = tmp.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        let manifest = dir.join("manifest.yml");
        std::fs::write(&manifest, &text).unwrap();
        let o = run(&["migrate".as_ref(), manifest.as_os_str(), "--yes".as_ref()]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let out = std::fs::read_to_string(&manifest).unwrap();
        assert!(
            out.contains("jira:issueViewBackgroundScript"),
            "{name}: {out}"
        );
        let v: serde_json::Value =
            serde_yaml::from_str(out.trim_start_matches('\u{feff}')).unwrap();
        assert_eq!(v["resources"][0]["key"], "bg-issue", "{name}: {out}");
        assert_eq!(
            out.starts_with('\u{feff}'),
            text.starts_with('\u{feff}'),
            "{name}"
        );
        if text.contains("\r\n") {
            assert!(
                !out.replace("\r\n", "").contains('\n'),
                "{name}: LF-only lines: {out:?}"
            );
        }
        if text.contains("...") {
            let tail = out.rsplit_once("...").unwrap().1;
            assert!(
                tail.trim_start().is_empty() || tail.trim_start().starts_with('#'),
                "{name}: {out}"
            );
        }
        // And a re-run finds it up to date.
        let o = run(&["migrate".as_ref(), manifest.as_os_str(), "--check".as_ref()]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", out_text(&o));
    }
}

/// Issue 11.4: renaming a background script's key left the old `static/<old>/` folder, holding
/// the user's ported code, unreferenced on disk, and nothing said so. The review (text and
/// JSON `orphaned`) now names it, with the `mv` that carries it over; it is never deleted.
#[test]
fn renamed_background_script_reports_its_orphaned_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    assert_eq!(
        migrate_out(&example(), &out, &["--yes"]).status.code(),
        Some(0)
    );
    let ported = out.join("static/sla-watcher/src/main.js");
    std::fs::write(&ported, "// my ported code\n").unwrap();
    let renamed = tmp.path().join("renamed.json");
    let text = std::fs::read_to_string(example()).unwrap();
    assert!(text.contains("\"key\": \"sla-watcher\""));
    std::fs::write(
        &renamed,
        text.replace("\"key\": \"sla-watcher\"", "\"key\": \"sla-guard\""),
    )
    .unwrap();

    let o = migrate_out(&renamed, &out, &["--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let review = out_text(&o);
    assert!(review.contains("orphaned static/sla-watcher/"), "{review}");
    assert!(
        review.contains("`mv static/sla-watcher static/sla-guard`"),
        "{review}"
    );

    let o = migrate_out(&renamed, &out, &["--dry-run", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["orphaned"], serde_json::json!(["static/sla-watcher"]));

    assert_eq!(
        migrate_out(&renamed, &out, &["--yes"]).status.code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(&ported).unwrap(),
        "// my ported code\n"
    );
}

/// Issue 11.5: keys that differ only by case (`Watcher`, `watcher`) gave resource folders
/// `static/Watcher` and `static/watcher`, one folder on case-insensitive file systems (macOS,
/// Windows). Resource keys are now unique ignoring case.
#[test]
fn keys_differing_only_by_case_get_distinct_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let minimal =
        std::fs::read_to_string(common::root().join("tests/fixtures/minimal.json")).unwrap();
    let descriptor = tmp.path().join("case.json");
    std::fs::write(
        &descriptor,
        minimal.replace(
            "\"key\": \"watcher\",",
            "\"key\": \"Watcher\", \"url\": \"/bg/W\", \"location\": {\"type\": \"issue_view\"}},\n{\"key\": \"watcher\",",
        ),
    )
    .unwrap();
    let o = migrate_out(
        &descriptor,
        &tmp.path().join("app"),
        &["--dry-run", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let folders: Vec<String> = v["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["resource_path"].as_str().unwrap().to_ascii_lowercase())
        .collect();
    assert_eq!(folders.len(), 2, "{v}");
    assert_ne!(folders[0], folders[1], "{folders:?}");
    // Both are Forge module keys as written.
    assert_eq!(v["modules"][0]["forge_key"], "Watcher");
    assert_eq!(v["modules"][1]["forge_key"], "watcher");
}

/// Issue 11.10: `status` applied YAML merge keys (`<<: *anchor`) while Forge does not: a
/// connectModules entry whose `url` came only from a merge key passed `status` and failed the
/// validator. `status` now reads the manifest as Forge does.
#[test]
fn status_does_not_apply_yaml_merge_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = tmp.path().join("manifest.yml");
    let text = "app:\n  id: ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000001\n  connect:\n    key: acme\n    remote: connect\nremotes:\n  - key: connect\n    baseUrl: https://acme.example.com\ndefaults: &page\n  url: /page\n  name:\n    value: Page\nconnectModules:\n  jira:generalPages:\n    - key: page\n      <<: *page\n";
    std::fs::write(&manifest, text).unwrap();
    let with_url = text.replace(
        "      <<: *page\n",
        "      url: /page\n      name:\n        value: Page\n",
    );
    let plain = tmp.path().join("plain.yml");
    std::fs::write(&plain, &with_url).unwrap();

    let json_of = |p: &Path| {
        let o = run(&["status".as_ref(), p.as_os_str(), "--json".as_ref()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v
    };
    let merged = json_of(&manifest);
    let plain = json_of(&plain);
    let problems = |v: &serde_json::Value| v["problems"].as_array().map_or(0, Vec::len);
    assert!(
        problems(&merged) > problems(&plain),
        "the entry without its own url must be a problem:\n{merged:#}\nvs\n{plain:#}"
    );
    assert!(
        merged["problems"]
            .to_string()
            .contains("$.connectModules.jira:generalPages[0]"),
        "{merged:#}"
    );
}

/// Issue 11.15: a raw control character inside a JSON string (a tab, a line break: strict JSON
/// and `JSON.parse` refuse them) was accepted, although the docs promise JSON plus comments and
/// trailing commas only. It is now an error at the character's line:column, in a value and in
/// a key, and nothing is written. (No descriptor of the corpus has one.)
#[test]
fn raw_control_character_in_a_json_string_is_refused_at_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let minimal =
        std::fs::read_to_string(common::root().join("tests/fixtures/minimal.json")).unwrap();
    for (text, at) in [
        (
            minimal.replace("\"Minimal\"", "\"Min\timal\""),
            "minimal.json:3:15: error: not valid JSON: a raw control character (U+0009)",
        ),
        (
            minimal.replace("\"baseUrl\"", "\"base\nUrl\""),
            "minimal.json:4:8: error: not valid JSON: a raw control character (U+000A)",
        ),
    ] {
        let descriptor = tmp.path().join("minimal.json");
        std::fs::write(&descriptor, text).unwrap();
        let out = tmp.path().join("app");
        for mode in ["--dry-run", "--yes"] {
            let o = migrate_out(&descriptor, &out, &[mode]);
            let e = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{mode}: {e}");
            assert!(e.contains(at), "{mode}: want {at:?} in {e}");
            assert!(!out.exists(), "{mode}: something was written");
        }
    }
}

/// Issue 11.15: `--var localBaseUrl=$'https://x\n...'` was accepted, putting a line break into
/// a JSON string value (and the manifest). It is now a usage error (exit 2) naming the variable
/// and the character, without quoting the value, and nothing is written.
#[test]
fn var_value_with_a_newline_is_a_usage_error_naming_the_variable() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    for value in [
        "https://x.example.com\nerror: forged",
        "https://x\r",
        "a\u{1b}[2Jb",
    ] {
        let var = format!("localBaseUrl={value}");
        let o = migrate_out(&example(), &out, &["--yes", "--var", &var]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{value:?}: {e}");
        assert!(e.contains("--var localBaseUrl: the value holds"), "{e}");
        assert!(e.lines().all(|l| !l.starts_with("error: forged")), "{e}");
        assert!(!e.contains(['\r', '\u{1b}']), "{e:?}");
        assert!(!out.exists(), "{value:?}: something was written");
    }
    // A value without control characters still works.
    let o = migrate_out(
        &example(),
        &out,
        &["--dry-run", "--var", "localBaseUrl=https://x.example.com"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Issue 11.16: `--out afile/sub` (a path under a regular file) exited 3 with the raw OS error
/// ("Not a directory (os error 20)"). It is bad input: exit 2, naming the file in the way.
#[test]
fn out_under_a_regular_file_is_refused_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("afile");
    std::fs::write(&file, "mine").unwrap();
    for mode in ["--dry-run", "--check", "--yes"] {
        let o = migrate_out(&example(), &file.join("sub"), &[mode]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{mode}: {e}");
        assert!(e.contains("a file stands where a folder is needed"), "{e}");
        assert!(e.contains(&file.display().to_string()), "{e}");
        assert!(!e.contains("os error"), "{mode}: a raw OS error: {e}");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

/// Issue 11.16: a run refused by the lock (another run is writing) still said "Every file is
/// either as it was or completely written; run again to finish", which is the line for a write
/// that failed half-way: nothing was written, and running again is not the fix.
#[test]
fn refused_lock_does_not_say_run_again_to_finish() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    std::fs::create_dir(&out).unwrap();
    // This test process is alive: its pid makes the lock current.
    std::fs::write(
        out.join(".connect2forge.lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    let o = migrate_out(&example(), &out, &["--yes"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("another connect2forge run"), "{e}");
    assert!(!e.contains("run again to finish"), "{e}");
    assert!(!e.contains("completely written"), "{e}");
    assert!(!out.join("manifest.yml").exists());
}

/// Issue 11.16: after a disk-full failure part-way through a write, the message named only the
/// file that failed, not the files already written. It now lists them (as an interrupted run
/// does), with the I/O exit code, and says that every file is old or complete.
#[test]
fn disk_full_mid_write_lists_the_files_already_written() {
    use connect2forge::output::Ownership;
    use connect2forge::review::plan::{write_with, Plan};
    use connect2forge::write::write_atomic_via;
    use std::io::Write as _;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("c.txt"), "old c\n").unwrap();
    let planned = ["a.txt", "b/b.txt", "c.txt", "d.txt"]
        .iter()
        .map(|p| PlannedFile::text(*p, format!("new {p}\n"), Ownership::Managed))
        .collect();
    let plan = Plan::compare(&out, planned).unwrap();
    let mut n = 0;
    let err = write_with(&plan, &mut |target, bytes| {
        // (The record's blobs and journal, and the copy of c.txt kept before it is replaced, are
        // written too: in .connect2forge/.)
        if !target.to_string_lossy().contains(".connect2forge") {
            n += 1;
        }
        // The third file fills the disk after two bytes.
        write_atomic_via(target, bytes, &mut |f, b| match n {
            3 => {
                f.write_all(&b[..2])?;
                Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "No space left on device",
                ))
            }
            _ => f.write_all(b),
        })
    })
    .unwrap_err();
    let msg = err.to_string();
    assert_eq!(err.exit_code(), 3, "{msg}");
    assert!(msg.contains("No space left on device"), "{msg}");
    assert!(
        msg.contains(&out.join("c.txt").display().to_string()),
        "{msg}"
    );
    assert!(
        msg.contains(
            "3 file(s) were completely written before it (a.txt, b/b.txt, .connect2forge/c.txt.orig)"
        ),
        "{msg}"
    );
    assert!(msg.contains("run again to finish"), "{msg}");
    assert!(
        matches!(&err, Error::PartlyWritten { written, .. } if written == &["a.txt", "b/b.txt", ".connect2forge/c.txt.orig"])
    );
    assert_eq!(
        std::fs::read_to_string(out.join("c.txt")).unwrap(),
        "old c\n"
    );
    assert!(!out.join("d.txt").exists());
}
