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
    let files = migrate("empty-placeholder-default.json", &ReadOptions::default()).unwrap();
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

/// A Connect module carrying an object key longer than 1024 characters (here in a `name`) was
/// written as an implicit YAML key, which YAML limits to 1024 characters: the manifest did not
/// parse ("could not find expected ':'") and the built-in template was blamed.
#[test]
fn long_object_key_renders_parseable_yaml() {
    let files = migrate("long-yaml-key.json", &jira()).unwrap();
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
