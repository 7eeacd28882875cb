//! Regression tests for bugs found by fuzzing (`fuzz/`, see docs/fuzzing.md). One test per bug;
//! each loads the input that triggered it from `tests/fixtures/regression/` and checks that the
//! whole in-memory pipeline gives a clean result — never a panic, and never a template error from
//! the built-in templates (that is the renderer rejecting its own output).

use std::collections::BTreeMap;

use connect2forge::descriptor::ReadOptions;
use connect2forge::product::Product;
use connect2forge::render::Templates;
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
fn migrate(
    name: &str,
    options: &ReadOptions,
) -> Result<Vec<connect2forge::plan::PlannedFile>, Vec<String>> {
    let templates = Templates::load(None).unwrap();
    match connect2forge::migrate_text(&fixture(name), options, &templates, None) {
        Ok((_, _, files)) => Ok(files),
        Err(Error::Input(diags)) => Err(diags.iter().map(|d| d.to_line()).collect()),
        Err(e) => panic!("{name}: expected success or an input error, got: {e}"),
    }
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
