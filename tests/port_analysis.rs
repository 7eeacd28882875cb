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
    assert!(a.calls.iter().all(|c| c.file == "rest.js"));
    assert_eq!(a.calls.len(), 7);
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
