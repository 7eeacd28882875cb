//! A one-shot measurement of the port stage's static analysis
//! (`connect2forge::port::analysis::analyze`) on real scripts, to compare with `node --check` on
//! the same files (figures in `docs/performance.md`).
//!
//! Run: `cargo bench --bench port_analysis -- FILE...` (each file is one script of the page, in
//! order; `--analysis-only` leaves out the oxc floors, for peak memory). Without files it analyses a generated 1 MB script, so `cargo bench` stays quick.

use std::time::Instant;

use connect2forge::port::analysis::{analyze, ScriptInput};

fn main() {
    // `--analysis-only`: skip the oxc floors, so the process's peak RSS is the analysis's.
    let analysis_only = std::env::args().any(|a| a == "--analysis-only");
    let files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let texts: Vec<(String, String)> = if files.is_empty() {
        let unit = "AP.request({url: '/rest/api/3/issue/' + k, type: 'PUT'}); var x = [1, 2, 3].map(function (n) { return n * 2; });\n";
        vec![(
            "synthetic.js".to_string(),
            unit.repeat((1 << 20) / unit.len()),
        )]
    } else {
        files
            .iter()
            .map(|f| match std::fs::read_to_string(f) {
                Ok(t) => (f.clone(), t),
                Err(e) => {
                    eprintln!("{f}: {e}");
                    std::process::exit(3);
                }
            })
            .collect()
    };
    let scripts: Vec<ScriptInput<'_>> =
        texts.iter().map(|(f, t)| ScriptInput::file(f, t)).collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    // The floor: oxc's parser alone, then with the scope analysis, one arena per script. Each
    // figure is the best of five runs (the machine is shared).
    let best = |f: &dyn Fn()| {
        (0..5)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let floors = !analysis_only;
    let parse = best(&|| {
        if !floors {
            return;
        }
        for (_, t) in &texts {
            let allocator = oxc_allocator::Allocator::default();
            let ret =
                oxc_parser::Parser::new(&allocator, t, oxc_span::SourceType::script()).parse();
            std::hint::black_box(&ret.program);
        }
    });
    let semantic = best(&|| {
        if !floors {
            return;
        }
        for (_, t) in &texts {
            let allocator = oxc_allocator::Allocator::default();
            let ret =
                oxc_parser::Parser::new(&allocator, t, oxc_span::SourceType::script()).parse();
            let sem = oxc_semantic::SemanticBuilder::new().build(&ret.program);
            std::hint::black_box(sem.semantic.scoping().symbols_len());
        }
    });
    let took = best(&|| {
        std::hint::black_box(analyze(&scripts, &["READ"]));
    });
    let a = analyze(&scripts, &["READ"]);
    println!(
        "oxc parse: {:.1} ms; parse + semantic: {:.1} ms",
        parse.as_secs_f64() * 1e3,
        semantic.as_secs_f64() * 1e3
    );
    println!(
        "port analysis: {} script(s), {:.1} MB in {:.1} ms ({} calls, {} warnings)",
        scripts.len(),
        bytes as f64 / 1e6,
        took.as_secs_f64() * 1e3,
        a.calls.len(),
        a.warnings.len()
    );
}
