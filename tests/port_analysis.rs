//! The port stage's static analysis on fixture pages (`tests/fixtures/port/analysis/`): JSON
//! snapshots of what it reports, and a property test over hostile input.

use connect2forge::port::analysis::{analyze, Analysis, ScriptInput};
use proptest::prelude::*;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/port/analysis");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()
}

fn json(a: &Analysis) -> String {
    serde_json::to_string_pretty(a).unwrap()
}

fn analyze_file(name: &str) -> Analysis {
    let text = fixture(name);
    analyze(&[ScriptInput::file(name, &text)], &["READ", "WRITE"])
}

/// The inline `<script>` of a template and where its text starts (1-based line, column in
/// characters), as the page splitter gives it.
fn inline_script(template: &str) -> (&str, u32, u32) {
    let open = "<script>";
    let start = template.find(open).unwrap() + open.len();
    let end = start + template[start..].find("</script>").unwrap();
    let before = &template[..start];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() as u32 + 1;
    (&template[start..end], line, column)
}

#[test]
fn aliases() {
    let a = analyze_file("aliases.js");
    let apis: Vec<_> = a.calls.iter().map(|c| c.api.as_str()).collect();
    assert_eq!(
        apis,
        [
            "resize",
            "flag.create",
            "events.on",
            "context.getContext",
            "request",
            "navigator.go",
            "user.getCurrentUser"
        ]
    );
    insta::assert_snapshot!("aliases", json(&a));
}

#[test]
fn locals_and_parameters_named_ap_are_not_reported() {
    let a = analyze_file("shadowed.js");
    assert_eq!(a.calls.len(), 1, "{:#?}", a.calls);
    assert_eq!(
        (a.calls[0].api.as_str(), a.calls[0].line),
        ("hideFooter", 12)
    );
    assert!(a.emits.is_empty() && a.requests.is_empty());
}

#[test]
fn require_parameters() {
    let a = analyze_file("require.js");
    insta::assert_snapshot!("require", json(&a));
}

#[test]
fn an_inline_script_keeps_the_template_positions() {
    let helpers = "var ap = AP;\n";
    let template = fixture("sla.hbs");
    let (text, line, column) = inline_script(&template);
    assert_eq!((line, column), (4, 11));
    let a = analyze(
        &[
            ScriptInput::file("public/js/helpers.js", helpers),
            ScriptInput {
                file: "views/sla.hbs",
                text,
                line,
                column,
            },
        ],
        &["READ"],
    );
    // Lines 6 and 7 of the template, at the columns an editor shows.
    let at: Vec<_> = a
        .calls
        .iter()
        .map(|c| (c.api.as_str(), c.line, c.column))
        .collect();
    assert_eq!(at, [("request", 6, 5), ("events.emit", 7, 3)]);
    insta::assert_snapshot!("template", json(&a));
}

#[test]
fn a_file_that_does_not_parse() {
    let broken = fixture("broken.js");
    let rest = fixture("rest.js");
    let a = analyze(
        &[
            ScriptInput::file("broken.js", &broken),
            ScriptInput::file("rest.js", &rest),
        ],
        &[],
    );
    let w = &a.warnings[0];
    assert_eq!(w.file, "broken.js");
    let p = w.position.unwrap();
    // `( {` opens a destructuring parameter, so the error is at the `.` of line 3.
    assert_eq!((p.line, p.column), (3, 5), "{}", w.to_line());
    // The broken file's two calls are found by their text, at their places; rest.js's 7 parsed.
    let broken_calls: Vec<(&str, u32, u32)> = a
        .calls
        .iter()
        .filter(|c| c.file == "broken.js")
        .map(|c| (c.api.as_str(), c.line, c.column))
        .collect();
    assert_eq!(broken_calls, [("resize", 1, 1), ("request", 3, 3)]);
    assert!(
        w.message
            .contains("its 2 Connect call(s) are found by their text"),
        "{}",
        w.message
    );
    assert_eq!(a.calls.iter().filter(|c| c.file == "rest.js").count(), 7);
}

#[test]
fn rest_paths_and_scopes() {
    let a = analyze_file("rest.js");
    insta::assert_snapshot!("rest", json(&a));
}

#[test]
fn backend_calls() {
    let a = analyze_file("backend.js");
    insta::assert_snapshot!("backend", json(&a));
}

/// Hostile scripts: random characters of JavaScript's alphabet (unbalanced braces, strings,
/// template syntax, `</script>`), random bytes, huge minified lines.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(
            prop_oneof![
                Just("AP".to_string()),
                Just(".request(".to_string()),
                Just("{".to_string()),
                Just("}".to_string()),
                Just("(".to_string()),
                Just(")".to_string()),
                Just("'".to_string()),
                Just("`${".to_string()),
                Just("{{token}}".to_string()),
                Just("</script>".to_string()),
                Just("\n".to_string()),
                Just("var ap = AP;".to_string()),
                Just("AP.events.emit('e');".to_string()),
                Just("function w(p, m) { AP.request({ url: p, type: m }); }".to_string()),
                Just("var C = { s: function (u) { AP.request(u); } };".to_string()),
                Just("w('/rest/api/3/issue/' + k, 'PUT');".to_string()),
                Just("C.s(S.a);".to_string()),
                Just("var S = { a: '/rest/api/3/myself', e: 'x' };".to_string()),
                Just("(function (AP) { AP.flag.create({}); })(window.AP);".to_string()),
                "[a-z=+;,/ é\u{2028}]{0,8}",
            ],
            0..60
        )
        .prop_map(|parts| parts.concat()),
        proptest::collection::vec(any::<u8>(), 0..400)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        (1usize..2000).prop_map(|n| "AP.resize();{(".repeat(n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_panic_and_every_finding_has_a_place(
        text in hostile(),
        line in 1u32..50,
        column in 1u32..50,
    ) {
        let a = analyze(&[ScriptInput { file: "p.hbs", text: &text, line, column }], &["READ"]);
        let lines = text.split('\n').count() as u32;
        // The same text as a second classic script: what the first defined (aliases, settings,
        // wrappers) reaches it, and still nothing panics.
        let twice = analyze(&[ScriptInput::file("a.js", &text), ScriptInput::file("b.js", &text)], &[]);
        prop_assert!(twice.warnings.iter().all(|w| w.position.is_some()));
        for w in &a.warnings {
            let p = w.position.expect("every warning has a position");
            prop_assert!(p.line as u32 >= line && (p.line as u32) < line + lines);
        }
        for c in &a.calls {
            prop_assert!(c.line >= line && c.line < line + lines && c.column >= 1);
            prop_assert!(c.line > line || c.column >= column);
        }
    }
}

/// Not a test: the share of AP call sites a plain search finds in real apps' code files that the
/// analysis reports when given each file (`C2F_REALWORLD=/work/realworld cargo test --test
/// port_analysis realworld_sites -- --ignored --nocapture`). Their code is read in place, never
/// copied.
#[test]
#[ignore]
fn realworld_sites() {
    let Ok(root) = std::env::var("C2F_REALWORLD") else {
        return;
    };
    let site = regex_lite_sites;
    let (mut all_found, mut all_reported) = (0, 0);
    for app in std::fs::read_dir(&root).unwrap().flatten() {
        let (mut found, mut reported) = (0, 0);
        let mut stack = vec![app.path()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                let name = e.file_name().to_string_lossy().to_string();
                if p.is_dir() {
                    let skip = [
                        "node_modules",
                        ".git",
                        "dist",
                        "build",
                        "target",
                        "vendor",
                        "bower_components",
                        ".next",
                        ".nuxt",
                        "coverage",
                        "out",
                    ];
                    if !skip.contains(&name.as_str()) && !name.starts_with('.') {
                        stack.push(p);
                    }
                    continue;
                }
                let lower = name.to_ascii_lowercase();
                let code = [
                    ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".vue", ".svelte",
                ]
                .iter()
                .any(|x| lower.ends_with(x));
                let library = lower.ends_with(".min.js")
                    || lower == "all.js"
                    || lower.contains("jquery")
                    || lower.contains("require");
                if !code || library || e.metadata().map_or(true, |m| m.len() > 4 << 20) {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&p) else {
                    continue;
                };
                let n = site(&text);
                if n == 0 {
                    continue;
                }
                let a = analyze(&[ScriptInput::file(&name, &text)], &[]);
                found += n;
                reported += a.calls.len().min(n);
            }
        }
        println!(
            "{:40} {reported:4} / {found:4}",
            app.file_name().to_string_lossy()
        );
        all_found += found;
        all_reported += reported;
    }
    println!("all {all_reported} / {all_found}");
}

/// `(?<![\w$.])(?:window\.)?AP\.[A-Za-z_$]` as scripts/realworld.mjs counts, without a regex crate.
fn regex_lite_sites(text: &str) -> usize {
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$';
    let mut n = 0;
    let mut i = 0;
    while let Some(at) = text[i..].find("AP.").map(|x| x + i) {
        i = at + 3;
        let before = at.checked_sub(1).map(|j| b[j]);
        let ok_before = match before {
            None => true,
            Some(b'.') => text[..at].ends_with("window."),
            Some(c) => !ident(c),
        };
        let after = b.get(at + 3).copied();
        if ok_before && after.is_some_and(|c| c.is_ascii_alphabetic() || c == b'_' || c == b'$') {
            n += 1;
        }
    }
    n
}
