//! Every real descriptor in `../shared/corpus/connect/` either migrates into a Forge app that
//! Atlassian's own validator accepts (`forge-validate --connect-schema`), or is refused with exit 2
//! and the specific reason listed below — never a panic. Our own background-script fixtures and
//! the bundled example are migrated, their Custom UI scaffolds built with npm, and validated in
//! the same validator call (it takes ~11 s for the first app, milliseconds for each further one).
//!
//! Needs Node.js 20+ and npm (the validator and the scaffold build install from the npm registry
//! on first use, then run offline).

mod common;
use common::{root, shared};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Descriptors that must be refused, with the reason the message must give.
const REFUSED: &[(&str, &str, &str)] = &[
    // (file, substring of the error, why that is right)
    ("Akshatakhare__connect-static-demo__atlassian-connect-v2.json", "\"jira:issuePanel\" is not a jira Connect module type", "a Forge module name inside a Connect descriptor; Connect rejects it"),
    ("FociSolutions__yesandbox__atlassian-connect.json", "Text cannot contain more than one JSON value", "stray text after the JSON object; JSON.parse fails too"),
    ("Ganso619__status-colors__atlassian-connect.json", "\"webResource\" is not a Connect module type", "webResource is a Server/DC plugin module, not Connect"),
    ("KumarVariable__bb-descriptor__atlassian-connect.json", "Bitbucket Cloud Connect app", "Bitbucket has no Forge adoption path"),
    ("MilaSinica__connect-confluence__atlassian-connect.json", "\"profilePages\" (a tab of a user's Confluence profile) cannot move to Forge", "Forge's connectModules cannot carry profilePages"),
    ("mattermost__mattermost-plugin-jira__server_templates_atlassian-connect-jwt.json", "template directive {{define \"config\"}}", "a Go template, not JSON, until rendered"),
    ("mattermost__mattermost-plugin-jira__server_templates_atlassian-connect.json", "template directive {{define \"config\"}}", "a Go template, not JSON, until rendered"),
    ("minhiriathaen__oqcp-bitbucket__backend_atlassian-connect.json", "Bitbucket Cloud Connect app", "Bitbucket has no Forge adoption path"),
    ("noamt__bitbucket-asciidoctor-addon__atlassian-connect.json", "Bitbucket Cloud Connect app", "Bitbucket has no Forge adoption path"),
    ("pawelniewie__feedback-for-servicedesk__app_views_descriptor_show.json.erb", "baseUrl \"<%= base_url %>\" is not an absolute http(s) URL", "an ERB template, to be rendered first"),
    ("pyl494__aipoc__atlassian-connect.json", "\"jiraProfileTabPanels\" (a tab of a user's Jira profile) cannot move to Forge", "Forge's connectModules cannot carry jiraProfileTabPanels"),
    ("tripattern__jira-demo__atlassian-connect.json", "\"jiraProfileTabPanels\" (a tab of a user's Jira profile) cannot move to Forge", "Forge's connectModules cannot carry jiraProfileTabPanels"),
    ("softstuff__my-things__public_atlassian-connect.json", "pass --product jira or --product confluence", "only shared modules and no product hint; the corpus lists it as 'other'"),
    ("MertcanKarabas__Jira-Essential-JQL-Functions__atlassian-connect.json", "pass --product jira or --product confluence", "an empty modules object says nothing of the product"),
    // Refused even with --product (it is ambiguous first):
    ("Tronikelis__jira-connect-starter-2024__backend_atlassian-connect.json", "baseUrl \"this value is changed according to env variables\" is not an absolute http(s) URL", "a prose stand-in for the baseUrl"),
];

/// Ambiguous descriptors: refused without --product, migrated with the corpus's product.
const NEEDS_PRODUCT: &str = "pass --product jira or --product confluence";

struct Run {
    code: i32,
    stderr: String,
}

fn migrate(input: &Path, out: &Path, extra: &[&str]) -> Run {
    let o = Command::new(env!("CARGO_BIN_EXE_connect2forge"))
        .arg("migrate")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--yes", "--color", "never"])
        .args(extra)
        .env("CI", "true")
        .output()
        .expect("run connect2forge");
    Run {
        code: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn products() -> BTreeMap<String, String> {
    let tsv = std::fs::read_to_string(shared("corpus/SOURCES.tsv")).unwrap();
    tsv.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let file = cols.first()?.strip_prefix("connect/")?;
            Some((file.to_string(), cols.get(5)?.to_string()))
        })
        .collect()
}

/// Builds each scaffold folder of `app` with the cached npm dependencies ([`npm_cache`]):
/// exactly `npm install && npm run build`, minus the per-folder 118 MB install.
fn build_scaffolds(app: &Path) {
    for dir in scaffolds(app) {
        let cache = npm_cache(&dir);
        let link = dir.join("node_modules");
        if !link.exists() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(cache.join("node_modules"), &link).unwrap();
        }
        let s = Command::new("npm")
            .args(["run", "build", "--silent"])
            .current_dir(&dir)
            .status()
            .expect("npm run build");
        assert!(s.success(), "npm run build failed in {}", dir.display());
        assert!(dir.join("build/index.html").is_file());
        // The validator lints only src/ and UI Kit folders; drop the link so the app folder is
        // exactly what a user would deploy.
        std::fs::remove_file(&link).unwrap();
    }
}

/// The Custom UI scaffold folders of `app` (`static/*`), sorted.
fn scaffolds(app: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(app.join("static")) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    dirs.sort();
    dirs
}

/// Builds the scaffolds of many apps with each folder's own `scripts/build.mjs`, all in one
/// Node.js process (tests/build-scaffolds.mjs): hundreds of `npm run build` processes would
/// take minutes for the same output.
fn build_all_scaffolds(apps: &[PathBuf]) {
    let dirs: Vec<PathBuf> = apps.iter().flat_map(|a| scaffolds(a)).collect();
    let Some(first) = dirs.first() else {
        return;
    };
    let cache = npm_cache(first);
    let mut list = String::new();
    for dir in &dirs {
        let link = dir.join("node_modules");
        if !link.exists() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(cache.join("node_modules"), &link).unwrap();
        }
        list.push_str(&dir.to_string_lossy());
        list.push('\n');
    }
    let mut child = Command::new("node")
        .arg(root().join("tests/build-scaffolds.mjs"))
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("node is needed to build the Custom UI scaffolds");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(list.as_bytes())
            .unwrap();
    }
    assert!(child.wait().unwrap().success(), "a scaffold build failed");
    for dir in &dirs {
        assert!(
            dir.join("build/index.html").is_file(),
            "no build/index.html in {}",
            dir.display()
        );
        std::fs::remove_file(dir.join("node_modules")).unwrap();
    }
}

/// Installs the scaffold's npm dependencies once, cached under target/ and keyed by the
/// scaffold's package.json (every scaffold has the same dependencies).
fn npm_cache(dir: &Path) -> PathBuf {
    let cache = root().join("target/scaffold-npm");
    let pkg = std::fs::read_to_string(dir.join("package.json")).unwrap();
    let mut pkg: serde_json::Value = serde_json::from_str(&pkg).unwrap();
    pkg["name"] = "scaffold-cache".into();
    let pkg = serde_json::to_string_pretty(&pkg).unwrap();
    if std::fs::read_to_string(cache.join("package.json"))
        .ok()
        .as_deref()
        != Some(&pkg)
        || !cache.join("node_modules/esbuild").exists()
    {
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(cache.join("package.json"), &pkg).unwrap();
        let s = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&cache)
            .status()
            .expect("npm is needed to build the Custom UI scaffolds");
        assert!(s.success(), "npm install failed in {}", cache.display());
    }
    cache
}

/// A value for each Forge variable the migrated manifests declare, as a deploy would set it.
fn variable_env(apps: &[PathBuf]) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    for app in apps {
        let text = std::fs::read_to_string(app.join("manifest.yml")).unwrap();
        let v: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        for var in v["environment"]["variables"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let name = var.as_str().or(var["key"].as_str()).unwrap().to_string();
            let value = if name.contains("URL") || name.contains("HOST") {
                "https://app.example.com".to_string()
            } else {
                format!("{}-value", name.to_ascii_lowercase().replace('_', "-"))
            };
            env.insert(name, value);
        }
    }
    env
}

#[test]
fn corpus_and_fixtures_migrate_and_pass_atlassians_validator() {
    // Everything from ../shared first, so that a missing piece is named before minutes of work.
    let validate = shared("tools/forge-validate/validate");
    let corpus = shared("corpus/connect");
    let tmp = tempfile::tempdir().unwrap();
    let products = products();
    let mut apps = Vec::new();
    let mut problems = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() > 100, "corpus looks empty");

    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let out = tmp.path().join("corpus").join(&name);
        let mut run = migrate(file, &out, &[]);
        let expected = REFUSED.iter().find(|(f, _, _)| *f == name);
        let needs_product = run.code == 2
            && run.stderr.contains(NEEDS_PRODUCT)
            && expected.is_none_or(|(_, why, _)| !why.contains(NEEDS_PRODUCT));
        if needs_product {
            assert!(!out.exists());
            run = migrate(file, &out, &["--product", &products[&name]]);
        }
        match (run.code, expected) {
            (0, None) => apps.push(out),
            (2, Some((_, why, _))) if run.stderr.contains(why) => {
                assert!(
                    !out.exists(),
                    "{name}: refused, yet {} was written",
                    out.display()
                );
            }
            (code, exp) => problems.push(format!(
                "{name}: exit {code}, expected {}\n{}",
                exp.map_or("success".to_string(), |(_, why, _)| format!(
                    "refusal containing {why:?}"
                )),
                run.stderr
            )),
        }
    }
    let corpus_apps = apps.len();
    build_all_scaffolds(&apps);

    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/descriptors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    fixtures.push(root().join("examples/atlassian-connect.json"));
    // Fixture apps of our own whose pages are carried (a Confluence macro with a custom editor).
    fixtures.push(root().join("tests/fixtures/apps/confluence-macro/atlassian-connect.json"));
    for f in &fixtures {
        // Named by its folder when the file has Connect's usual name (two of them do).
        let stem = f.file_stem().unwrap();
        let name = match f.parent().and_then(|p| p.file_name()) {
            Some(dir) if stem == "atlassian-connect" => dir,
            _ => stem,
        };
        let out = tmp.path().join("fixtures").join(name);
        let run = migrate(f, &out, &[]);
        assert_eq!(run.code, 0, "{}: {}", f.display(), run.stderr);
        // Idempotent: nothing left to do on a second run.
        let check = migrate(f, &out, &["--check"]);
        assert_eq!(
            check.code,
            0,
            "{} not idempotent: {}",
            f.display(),
            check.stderr
        );
        build_scaffolds(&out);
        apps.push(out);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));

    let output = Command::new("bash")
        .arg(&validate)
        .args(["--connect-schema", "--json"])
        .args(&apps)
        .envs(variable_env(&apps))
        .output()
        .expect("run forge-validate (needs Node.js 20+ and npm)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "forge-validate printed no JSON ({e}); exit {:?}\nstderr:\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let results = report["apps"]
        .as_array()
        .expect("apps[] in the validator's JSON");
    assert_eq!(results.len(), apps.len(), "one result per app");
    let failed: Vec<String> = results
        .iter()
        .filter(|r| r["ok"] != true)
        .map(|r| serde_json::to_string_pretty(r).unwrap())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} apps failed Atlassian's validator:\n{}",
        failed.len(),
        apps.len(),
        failed.join("\n")
    );
    eprintln!(
        "{corpus_apps} corpus apps and {} fixture apps passed forge-validate --connect-schema; {} corpus descriptors refused as expected",
        fixtures.len(),
        files.len() - corpus_apps
    );
}
