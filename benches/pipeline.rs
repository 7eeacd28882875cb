//! Benchmarks of the in-memory pipeline (`render_descriptor`: read → map → render) and of the plan
//! (compare with disk, diff). Whole-process timings are in `scripts/bench.sh`; targets and
//! measured numbers in `docs/performance.md`.
//!
//! Run: `cargo bench --bench pipeline` (add a filter, e.g. `-- synthetic`, to run a subset).
//! The corpus is read from `$C2F_CORPUS` (default `/work/shared/corpus/connect`); without it the
//! corpus bench is skipped.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use serde_json::{json, Map, Value};

use connect2forge::descriptor::ReadOptions;
use connect2forge::review::diff::FileDiff;
use connect2forge::review::plan::Plan;
use connect2forge::scaffold::Templates;
use connect2forge::source::SourceText;

const EXAMPLE: &str = include_str!("../examples/atlassian-connect.json");

/// A descriptor with 5 background scripts and `n` other modules, spread round-robin over six
/// common Connect module types (webhooks without keys, so generated keys are exercised too).
/// `scripts/bench.sh` generates the same shape for the whole-process timings.
pub fn synthetic(n: usize) -> String {
    let mut modules = Map::new();
    let scripts: Vec<Value> = (0..5)
        .map(|i| {
            let location = if i % 2 == 0 {
                json!({"type": "issue_view", "shouldReloadOnRefresh": true})
            } else {
                json!({"type": "dashboard"})
            };
            json!({"key": format!("bg-script-{i}"), "url": format!("/background/{i}"), "location": location})
        })
        .collect();
    modules.insert("jiraBackgroundScripts".into(), Value::Array(scripts));
    let kinds = [
        "generalPages",
        "webPanels",
        "webItems",
        "jiraIssueGlances",
        "webhooks",
        "jiraIssueTabPanels",
    ];
    for i in 0..n {
        let kind = kinds[i % kinds.len()];
        let m = match kind {
            "generalPages" => json!({
                "key": format!("page-{i}"), "name": {"value": format!("Page {i}")},
                "url": format!("/page/{i}?project={{project.key}}"),
                "location": "system.top.navigation.bar"}),
            "webPanels" => json!({
                "key": format!("panel-{i}"), "name": {"value": format!("Panel {i}")},
                "url": format!("/panel/{i}?issue={{issue.key}}"),
                "location": "atl.jira.view.issue.right.context", "weight": i}),
            "webItems" => json!({
                "key": format!("item-{i}"), "name": {"value": format!("Item {i}")},
                "location": "system.top.navigation.bar", "url": format!("/item/{i}"),
                "context": "addon"}),
            "jiraIssueGlances" => json!({
                "key": format!("glance-{i}"), "name": {"value": format!("Glance {i}")},
                "content": {"type": "label", "label": {"value": format!("G{i}")}},
                "icon": {"width": 24, "height": 24, "url": format!("/images/{i}.svg")},
                "target": {"type": "web_panel", "url": format!("/glance/{i}?issueKey={{issue.key}}")}}),
            "webhooks" => json!({"event": "jira:issue_updated", "url": format!("/webhooks/{i}")}),
            _ => json!({
                "key": format!("tab-{i}"), "name": {"value": format!("Tab {i}")},
                "url": format!("/tab/{i}"), "weight": 100}),
        };
        modules
            .entry(kind)
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .expect("an array")
            .push(m);
    }
    let d = json!({
        "key": "com.example.synthetic",
        "name": "Synthetic",
        "description": "generated for benchmarks",
        "vendor": {"name": "Example", "url": "https://example.com"},
        "baseUrl": "https://example.com",
        "authentication": {"type": "jwt"},
        "lifecycle": {"installed": "/installed"},
        "scopes": ["READ", "WRITE"],
        "modules": modules,
    });
    serde_json::to_string_pretty(&d).expect("serializable")
}

fn source(name: &str, text: &str) -> SourceText {
    SourceText::new(name, text.to_string())
}

fn migrate(src: &SourceText, templates: &Templates) -> usize {
    let files =
        connect2forge::migration::render_descriptor(src, &ReadOptions::default(), templates, None)
            .expect("the descriptor migrates")
            .files;
    files.len()
}

/// The corpus descriptors that migrate (refusals are skipped: they are not the fast path).
fn corpus(templates: &Templates) -> Vec<SourceText> {
    let dir = std::env::var_os("C2F_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/corpus/connect"));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).ok()?).ok()?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
            let src = SourceText::new(p.display().to_string(), text);
            connect2forge::migration::render_descriptor(
                &src,
                &ReadOptions::default(),
                templates,
                None,
            )
            .is_ok()
            .then_some(src)
        })
        .collect()
}

/// Writes the planned files of `src` into `dir`, so a re-run finds everything up to date.
fn write_out(src: &SourceText, templates: &Templates, dir: &Path) {
    let files =
        connect2forge::migration::render_descriptor(src, &ReadOptions::default(), templates, None)
            .unwrap()
            .files;
    let plan = Plan::compare(dir, files).unwrap();
    connect2forge::review::plan::write(&plan).unwrap();
}

fn benches(c: &mut Criterion) {
    let templates = Templates::load(None).expect("built-in templates");

    c.bench_function(
        "templates/load (compile all templates, once per run)",
        |b| b.iter(|| Templates::load(black_box(None)).unwrap()),
    );

    let example = source("examples/atlassian-connect.json", EXAMPLE);
    c.bench_function("render_descriptor/example", |b| {
        b.iter(|| migrate(black_box(&example), &templates))
    });

    let corpus = corpus(&templates);
    if corpus.is_empty() {
        eprintln!("corpus not found or empty: skipping render_descriptor/corpus (set C2F_CORPUS)");
    } else {
        let bytes: usize = corpus.iter().map(|s| s.text.len()).sum();
        let mut g = c.benchmark_group("render_descriptor/corpus");
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function(format!("all {} that migrate", corpus.len()), |b| {
            b.iter(|| corpus.iter().map(|s| migrate(s, &templates)).sum::<usize>())
        });
        g.finish();
    }

    let mut g = c.benchmark_group("render_descriptor/synthetic");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for n in [2_000, 20_000] {
        let src = source(&format!("synthetic-{n}.json"), &synthetic(n));
        g.throughput(Throughput::Bytes(src.text.len() as u64));
        g.bench_function(format!("5 scripts + {n} modules"), |b| {
            b.iter(|| migrate(black_box(&src), &templates))
        });
    }
    g.finish();

    // The no-change re-run: the whole in-memory pipeline plus comparing with an up-to-date
    // output folder (reads every planned file back).
    let mut g = c.benchmark_group("rerun_up_to_date");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for (name, text) in [
        ("example".to_string(), EXAMPLE.to_string()),
        ("synthetic 2000".to_string(), synthetic(2_000)),
        ("synthetic 20000".to_string(), synthetic(20_000)),
    ] {
        let src = source(&name, &text);
        let dir = tempfile::tempdir().unwrap();
        write_out(&src, &templates, dir.path());
        g.bench_function(format!("{name}: render_descriptor + Plan::compare"), |b| {
            b.iter(|| {
                let files = connect2forge::migration::render_descriptor(
                    &src,
                    &ReadOptions::default(),
                    &templates,
                    None,
                )
                .unwrap()
                .files;
                let plan = Plan::compare(dir.path(), files).unwrap();
                assert!(!plan.has_changes());
                plan
            })
        });
        let files = connect2forge::migration::render_descriptor(
            &src,
            &ReadOptions::default(),
            &templates,
            None,
        )
        .unwrap()
        .files;
        g.bench_function(format!("{name}: Plan::compare only"), |b| {
            b.iter_batched(
                || files.clone(),
                |files| Plan::compare(dir.path(), files).unwrap(),
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();

    // "The diff of an unchanged file costs no more than comparing it": FileDiff::new on equal
    // texts against a plain string comparison of the same (separately allocated) texts.
    let src = source("synthetic-20000.json", &synthetic(20_000));
    let files = connect2forge::migration::render_descriptor(
        &src,
        &ReadOptions::default(),
        &templates,
        None,
    )
    .unwrap()
    .files;
    let manifest = files[0].content.clone();
    let on_disk = manifest.clone();
    let mut g = c.benchmark_group("unchanged_manifest_20000");
    g.throughput(Throughput::Bytes(manifest.len() as u64));
    g.bench_function("string equality", |b| {
        b.iter(|| black_box(&on_disk) == black_box(&manifest))
    });
    g.bench_function("FileDiff::new", |b| {
        b.iter(|| {
            FileDiff::new(
                "manifest.yml",
                Some(black_box(&on_disk)),
                black_box(&manifest),
            )
        })
    });
    g.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
