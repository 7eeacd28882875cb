//! The JSON contract: `migrate --format json` and `status --json` match the JSON Schemas in
//! `docs/schema/` for every test fixture and every corpus descriptor and manifest in
//! `../shared/corpus`, so that a change to either shape is a deliberate change to its schema.
//!
//! Reviews are taken in every state a file can be in (created, changed, unchanged, kept, conflict): each
//! descriptor is written with `--yes` (which prints the review first) and checked again; the
//! written app is the input of `status`. A run refused with exit 2 must print no JSON at all.

mod common;
use common::{c2f_in, root};

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use jsonschema::Validator;
use serde_json::{json, Value};

const NEEDS_PRODUCT: &str = "pass --product jira or --product confluence";

fn schema(name: &str) -> Validator {
    let path = root().join("docs/schema").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{name}"
    );
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("{name} is not a valid JSON Schema: {e}");
    }
    jsonschema::draft202012::new(&schema).unwrap()
}

/// Every file under `dir` whose name ends with one of `exts`, sorted.
fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, exts, out);
            } else if exts.iter().any(|e| path.to_string_lossy().ends_with(e)) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, exts, &mut out);
    out.sort();
    out
}

fn corpus(kind: &str) -> Vec<PathBuf> {
    let dir = root().join("../shared/corpus").join(kind);
    let found = files(&dir, &[""]);
    assert!(!found.is_empty(), "{} is empty", dir.display());
    found
}

/// Checks one document; returns the problems found, each naming the run.
fn check(validator: &Validator, what: &str, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{what}: {e} at {}", e.instance_path()))
        .collect()
}

/// The outcome of one run: Some(document) on success, None on a refusal (exit 2, no stdout),
/// with its stderr.
fn run_json(args: &[OsString]) -> Result<(Option<Value>, String), String> {
    let out = c2f_in(root()).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    match out.status.code() {
        Some(0 | 1) => serde_json::from_str(&stdout)
            .map(|doc| (Some(doc), stderr))
            .map_err(|e| format!("{args:?}: stdout is not JSON ({e}): {stdout}")),
        Some(2) if stdout.is_empty() => Ok((None, stderr)),
        code => Err(format!(
            "{args:?}: exit {code:?}\nstdout: {stdout}\nstderr: {stderr}"
        )),
    }
}

/// `migrate INPUT --out OUT --format json MODE...`, with `--product jira` when the descriptor
/// does not tell (the product does not change the shape).
fn migrate(input: &Path, out: &Path, mode: &[&str]) -> Result<Option<Value>, String> {
    let mut args: Vec<OsString> = vec![
        "migrate".into(),
        input.into(),
        "--out".into(),
        out.into(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(mode.iter().map(OsString::from));
    let (doc, stderr) = run_json(&args)?;
    if doc.is_none() && stderr.contains(NEEDS_PRODUCT) {
        args.extend(["--product".into(), "jira".into()]);
        return Ok(run_json(&args)?.0);
    }
    Ok(doc)
}

fn status(path: &Path) -> Result<Option<Value>, String> {
    Ok(run_json(&["status".into(), path.into(), "--json".into()])?.0)
}

#[derive(Default)]
struct Seen {
    migrate: usize,
    status: usize,
    file_statuses: std::collections::BTreeSet<String>,
    problems: Vec<String>,
}

impl Seen {
    fn migrate(&mut self, v: &Validator, what: &str, doc: Result<Option<Value>, String>) {
        match doc {
            Ok(Some(doc)) => {
                self.migrate += 1;
                for f in doc["files"].as_array().into_iter().flatten() {
                    if let Some(s) = f["status"].as_str() {
                        self.file_statuses.insert(s.to_string());
                    }
                }
                self.problems.extend(check(v, what, &doc));
            }
            Ok(None) => {}
            Err(e) => self.problems.push(e),
        }
    }

    fn status(&mut self, v: &Validator, what: &str, doc: Result<Option<Value>, String>) {
        match doc {
            Ok(Some(doc)) => {
                self.status += 1;
                self.problems.extend(check(v, what, &doc));
            }
            Ok(None) => {}
            Err(e) => self.problems.push(e),
        }
    }
}

#[test]
fn every_fixture_and_corpus_output_matches_the_schemas() {
    let migrate_schema = schema("migrate.schema.json");
    let status_schema = schema("status.schema.json");
    let tmp = tempfile::tempdir().unwrap();
    let mut seen = Seen::default();

    let mut descriptors = files(&root().join("tests/fixtures"), &[".json"]);
    descriptors.push(root().join("examples/atlassian-connect.json"));
    // The ACE app with carried pages: the JSON's `port` objects in full.
    descriptors.push(root().join("examples/ace-app/atlassian-connect.json"));
    descriptors.extend(corpus("connect"));
    for (i, input) in descriptors.iter().enumerate() {
        let what = input.display().to_string();
        let out = tmp.path().join(format!("app-{i}"));
        // `--yes` prints the same review a dry run does, then writes.
        seen.migrate(&migrate_schema, &what, migrate(input, &out, &["--yes"]));
        if out.join("manifest.yml").is_file() {
            seen.migrate(&migrate_schema, &what, migrate(input, &out, &["--check"]));
            seen.status(&status_schema, &what, status(&out));
        }
    }

    let mut manifests = files(&root().join("tests/fixtures/adopt"), &[".yml", ".yaml"]);
    manifests.extend(corpus("forge"));
    for (i, input) in manifests.iter().enumerate() {
        let what = input.display().to_string();
        seen.status(&status_schema, &what, status(input));
        let out = tmp.path().join(format!("adopted-{i}"));
        seen.migrate(&migrate_schema, &what, migrate(input, &out, &["--dry-run"]));
    }

    // A user's edits: a changed manifest and a kept scaffold file.
    let example = root().join("examples/atlassian-connect.json");
    let out = tmp.path().join("edited");
    seen.migrate(
        &migrate_schema,
        "example",
        migrate(&example, &out, &["--yes"]),
    );
    let scaffold = files(&out.join("static"), &["index.html"]);
    std::fs::write(&scaffold[0], "<!-- mine -->\n").unwrap();
    let manifest = std::fs::read_to_string(out.join("manifest.yml")).unwrap();
    std::fs::write(
        out.join("manifest.yml"),
        manifest.replace("jira:", "jira: "),
    )
    .unwrap();
    let _ = std::fs::remove_file(out.join(".connect2forge/record.json"));
    seen.migrate(
        &migrate_schema,
        "edited example",
        migrate(&example, &out, &["--dry-run"]),
    );

    // A conflict the migration marked and the user has not resolved.
    let out = tmp.path().join("conflicted");
    let _ = migrate(&example, &out, &["--yes"]);
    let manifest = std::fs::read_to_string(out.join("manifest.yml")).unwrap();
    std::fs::write(
        out.join("manifest.yml"),
        manifest.replace("${LOCAL_BASE_URL}", "https://mine.example.com"),
    )
    .unwrap();
    let var = ["--var", "localBaseUrl=https://x.example.com"];
    let _ = migrate(&example, &out, &[&["--yes"][..], &var].concat());
    seen.migrate(
        &migrate_schema,
        "conflicted example",
        migrate(&example, &out, &[&["--dry-run"][..], &var].concat()),
    );

    assert!(seen.problems.is_empty(), "{}", seen.problems.join("\n"));
    assert!(
        seen.migrate > 200,
        "only {} migrate documents",
        seen.migrate
    );
    assert!(seen.status > 100, "only {} status documents", seen.status);
    assert_eq!(
        seen.file_statuses
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["change", "conflict", "create", "kept", "unchanged"],
        "every file status is exercised"
    );
}

/// The schemas are strict: a document with a key added, a key missing, a value of another type
/// or another enum value does not pass.
#[test]
fn schemas_reject_a_changed_shape() {
    let example = root().join("examples/atlassian-connect.json");
    let tmp = tempfile::tempdir().unwrap();
    let review = migrate(&example, &tmp.path().join("o"), &["--dry-run"])
        .unwrap()
        .unwrap();
    let report = status(&root().join("tests/fixtures/adopt/status-problems.yml"))
        .unwrap()
        .unwrap();
    let cases: [(&str, Validator, Value, &[&str]); 2] = [
        (
            "migrate",
            schema("migrate.schema.json"),
            review,
            &[
                "/version",
                "/files/0/status",
                "/modules/0/forge_type",
                "/summary/created",
                "/warnings/0/position",
            ],
        ),
        (
            "status",
            schema("status.schema.json"),
            report,
            &[
                "/version",
                "/items/0/kind",
                "/summary/errors",
                "/problems/0/severity",
                "/fully_forge",
            ],
        ),
    ];
    for (name, validator, doc, pointers) in cases {
        assert!(validator.is_valid(&doc), "{name}: the real output fails");
        let mut added = doc.clone();
        added["new_field"] = json!(1);
        assert!(!validator.is_valid(&added), "{name}: an added key passes");
        for pointer in pointers {
            let mut changed = doc.clone();
            *changed
                .pointer_mut(pointer)
                .unwrap_or_else(|| panic!("{name}{pointer}")) = json!({ "other": "shape" });
            assert!(
                !validator.is_valid(&changed),
                "{name}: {pointer} changed passes"
            );
        }
        let mut missing = doc.clone();
        missing.as_object_mut().unwrap().remove("version");
        assert!(!validator.is_valid(&missing), "{name}: no version passes");
    }
}
