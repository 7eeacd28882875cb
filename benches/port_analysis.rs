//! A one-shot measurement of the port stage's static analysis
//! (`connect2forge::port::analysis::analyze`) on real scripts, to compare with `node --check` on
//! the same files (figures in `docs/performance.md`).
//!
//! Run: `cargo bench --bench port_analysis -- FILE...` (each file is one script of the page, in
//! order). Without files it analyses a generated 1 MB script, so `cargo bench` stays quick.

use std::time::Instant;

use connect2forge::port::analysis::{analyze, ScriptInput};

fn main() {
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
    let start = Instant::now();
    let a = analyze(&scripts, &["READ"]);
    let took = start.elapsed();
    println!(
        "port analysis: {} script(s), {:.1} MB in {:.1} ms ({} calls, {} warnings)",
        scripts.len(),
        bytes as f64 / 1e6,
        took.as_secs_f64() * 1e3,
        a.calls.len(),
        a.warnings.len()
    );
}
