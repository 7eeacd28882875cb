//! Tests of the analysis.

use super::*;

fn one(text: &str) -> Analysis {
    analyze(&[ScriptInput::file("a.js", text)], &["READ"])
}

fn apis_of(a: &Analysis) -> Vec<(String, u32, u32)> {
    a.calls
        .iter()
        .map(|c| (c.api.clone(), c.line, c.column))
        .collect()
}

#[test]
fn global_ap_and_its_aliases() {
    let a = one(concat!(
        "var ap = AP;\n",
        "ap.resize();\n",
        "window.AP.flag.create({});\n",
        "const { events, request: r } = AP;\n",
        "events.on('x', f); r('/rest/api/3/myself');\n",
        "var ev = self.AP.events; ev.emit('y');\n",
        "globalThis.AP['navigator'].go('issue', {});\n",
    ));
    assert_eq!(
        apis_of(&a),
        vec![
            ("resize".into(), 2, 1),
            ("flag.create".into(), 3, 1),
            ("events.on".into(), 5, 1),
            ("request".into(), 5, 20),
            ("events.emit".into(), 6, 26),
            ("navigator.go".into(), 7, 1),
        ]
    );
    assert_eq!(a.listens[0].name, "x");
    assert_eq!(a.emits[0].name, "y");
}

#[test]
fn a_wrapper_called_with_ap_makes_its_parameter_ap() {
    let a = one(
        "(function ($, AP) {\n  AP.host.getSelectedText(function () {});\n})(jQuery, window.AP);\n\
         (function (ap) { ap.flag.create({}); }).call(this, AP);\n\
         ((events) => events.on('x', f))(AP.events);\n\
         (function (AP) { AP.resize(); })(somethingElse);\n",
    );
    assert_eq!(
        apis_of(&a),
        [
            ("host.getSelectedText".to_string(), 2, 3),
            ("flag.create".to_string(), 4, 18),
            ("events.on".to_string(), 5, 14),
        ]
    );
}

#[test]
fn a_local_or_parameter_named_ap_is_not_reported() {
    let a = one(concat!(
        "function f(AP) { AP.request('/x'); }\n",
        "(function () { var AP = makeFake(); AP.events.emit('e'); })();\n",
        "let window = {}; window.AP.resize();\n",
    ));
    assert!(a.calls.is_empty(), "{:?}", a.calls);
}

#[test]
fn require_parameters_are_the_modules() {
    let a = one(concat!(
        "AP.require(['request', 'events'], function (request, events) {\n",
        "  request({url: '/rest/api/3/issue/' + key, type: 'put'});\n",
        "  events.onPublic('ISSUE_CHANGED', f);\n",
        "});\n",
        "AP.require('flag', (flag) => flag.create({}));\n",
    ));
    let names: Vec<_> = a.calls.iter().map(|c| c.api.as_str()).collect();
    assert_eq!(
        names,
        [
            "require",
            "request",
            "events.onPublic",
            "require",
            "flag.create"
        ]
    );
    assert_eq!(a.requests[0].method.as_deref(), Some("PUT"));
    assert_eq!(a.requests[0].path.as_deref(), Some("/rest/api/3/issue/"));
    assert!(!a.requests[0].exact);
    assert_eq!(a.scopes[0].scope, "write:jira-work");
    assert!(!a.scopes[0].covered_by_connect);
}

#[test]
fn aliases_cross_classic_scripts_in_document_order() {
    let a = analyze(
        &[
            ScriptInput::file("one.js", "var ap = window.AP; implicit = AP.events;"),
            ScriptInput::file("two.js", "ap.resize(); implicit.emit('z');"),
        ],
        &[],
    );
    assert_eq!(
        apis_of(&a),
        vec![("resize".into(), 1, 1), ("events.emit".into(), 1, 14)]
    );
    assert_eq!(a.calls[1].file, "two.js");
}

#[test]
fn settings_objects_name_events_and_urls_across_classic_scripts() {
    let a = analyze(
        &[
            ScriptInput::file(
                "settings.js",
                "var SETTINGS = { panelEvent: 'watcher.status', 'base': '/rest/api/3/issue/', n: 1 };",
            ),
            ScriptInput::file(
                "main.js",
                "var local = { put: '/rest/api/3/issue/K-1' };\n\
                 AP.events.emit(SETTINGS.panelEvent, {});\n\
                 AP.request({ url: SETTINGS.base + key });\n\
                 AP.request({ url: local.put, type: 'PUT' });\n\
                 AP.events.emit(SETTINGS.n);\n",
            ),
        ],
        &[],
    );
    let emits: Vec<&str> = a.emits.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(emits, ["watcher.status"]);
    let paths: Vec<(Option<&str>, Option<&str>)> = a
        .requests
        .iter()
        .map(|r| (r.method.as_deref(), r.path.as_deref()))
        .collect();
    assert_eq!(
        paths,
        [
            (Some("GET"), Some("/rest/api/3/issue/")),
            (Some("PUT"), Some("/rest/api/3/issue/K-1"))
        ]
    );
    // A property that is not a string stays unknown: a warning, no event.
    assert!(a
        .warnings
        .iter()
        .any(|w| w.position.map(|p| p.line) == Some(5)));
}

#[test]
fn requests_through_a_wrapper_take_the_callers_paths() {
    let a = analyze(
        &[
            ScriptInput::file(
                "client.js",
                "var Client = {\n  send: function (method, path, data) { AP.request({ url: path, type: method, data: data }); },\n  get: function (path) { AP.require('request', function (r) { r({ url: path }); }); }\n};\n\
                 function del(path) { AP.request(path, { type: 'DELETE' }); }\n",
            ),
            ScriptInput::file(
                "page.js",
                "Client.send('PUT', '/rest/api/3/issue/' + key, {});\n\
                 Client.get('/rest/api/3/myself');\n\
                 Client.send(verb, '/rest/api/3/issue/K');\n\
                 Client.get(somewhere);\n\
                 Client.get('/api/own-backend');\n",
            ),
            ScriptInput::file("late.js", "del('/rest/api/3/issue/K-1');\n"),
        ],
        &[],
    );
    let got: Vec<(Option<&str>, Option<&str>, &str, u32)> = a
        .requests
        .iter()
        .map(|r| {
            (
                r.method.as_deref(),
                r.path.as_deref(),
                r.place.file.as_str(),
                r.place.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some("PUT"), Some("/rest/api/3/issue/"), "page.js", 1),
            (Some("GET"), Some("/rest/api/3/myself"), "page.js", 2),
            (None, Some("/rest/api/3/issue/K"), "page.js", 3),
            (Some("DELETE"), Some("/rest/api/3/issue/K-1"), "late.js", 1),
        ]
    );
    let scopes: Vec<&str> = a.scopes.iter().map(|s| s.scope.as_str()).collect();
    assert_eq!(
        scopes,
        ["write:jira-work", "read:jira-user", "read:jira-work"]
    );
    // The wrappers' own calls are not unknown URLs; the callers that are say so, where they are.
    let lines: Vec<(&str, Option<usize>)> = a
        .warnings
        .iter()
        .map(|w| (w.file.as_str(), w.position.map(|p| p.line)))
        .collect();
    assert_eq!(
        lines,
        [("page.js", Some(3)), ("page.js", Some(4))],
        "{:#?}",
        a.warnings
    );
    assert!(a
        .calls
        .iter()
        .any(|c| c.note.contains("a parameter of Client.send")));
    let backend: Vec<(&str, Option<&str>, u32)> = a
        .endpoints
        .iter()
        .map(|e| (e.via.as_str(), e.path.as_deref(), e.place.line))
        .collect();
    assert_eq!(
        backend,
        [("Client.get (AP.request)", Some("/api/own-backend"), 5)]
    );
}

#[test]
fn positions_are_in_the_original_file() {
    let s = ScriptInput {
        file: "views/sla.hbs",
        text: "  AP.resize();\n\tAP.hideFooter();",
        line: 10,
        column: 9,
    };
    let a = analyze(&[s], &[]);
    assert_eq!(
        apis_of(&a),
        vec![("resize".into(), 10, 11), ("hideFooter".into(), 11, 2)]
    );
    // Columns count characters, not bytes.
    let a = one("var é = 'ü'; AP.resize();");
    assert_eq!(a.calls[0].column, 14);
}

#[test]
fn a_broken_script_warns_and_the_next_one_is_analysed() {
    let a = analyze(
        &[
            ScriptInput {
                file: "views/p.hbs",
                text: "AP.resize();\nfunction (",
                line: 3,
                column: 5,
            },
            ScriptInput::file("b.js", "AP.resize();"),
        ],
        &[],
    );
    // The broken script's call is found by its text, at its place in the view.
    let places: Vec<(&str, u32, u32, bool)> = a
        .calls
        .iter()
        .map(|c| {
            (
                c.file.as_str(),
                c.line,
                c.column,
                c.note.starts_with("found by its text"),
            )
        })
        .collect();
    assert_eq!(places, [("views/p.hbs", 3, 5, true), ("b.js", 1, 1, false)]);
    let w = &a.warnings[0];
    assert_eq!(w.file, "views/p.hbs");
    assert_eq!(w.position.map(|p| p.line), Some(4));
    assert!(w.message.contains("does not parse"), "{}", w.message);
}

/// A Flow file (oxc refuses `// @flow`, and `(*)` is no TypeScript) does not parse: its
/// Connect calls are still reported, found by their text — not those in comments or strings —
/// each with its API's support and a note that its arguments were not read; a second page
/// loading it gets the same calls from the cache.
#[test]
fn calls_of_a_script_that_does_not_parse_are_found_by_their_text() {
    let flow = concat!(
        "// @flow\n",
        "type Props = { onSubmit: (*) => boolean };\n",
        "const Form = ({ onSubmit }: Props) => {\n",
        "  // AP.dialog.close();\n",
        "  const label = 'AP.events.on(';\n",
        "  AP.request({ url: '/rest/api/3/myself' });\n",
        "  window.AP.flag.create({ title: `AP.x(` });\n",
        "  AP .navigator. go('issue');\n",
        "  return null;\n",
        "};\n",
    );
    for _ in 0..2 {
        let a = analyze(&[ScriptInput::file("flow-form.jsx", flow)], &["READ"]);
        assert_eq!(
            apis_of(&a),
            vec![
                ("request".into(), 6, 3),
                ("flag.create".into(), 7, 10),
                ("navigator.go".into(), 8, 3)
            ]
        );
        assert!(a
            .calls
            .iter()
            .all(|c| c.note.starts_with("found by its text")));
        assert_eq!(a.calls[0].support, apis::lookup("request").support);
        assert_eq!(a.warnings.len(), 1, "{:?}", a.warnings);
        assert!(
            a.warnings[0]
                .message
                .contains("its 3 Connect call(s) are found by their text"),
            "{}",
            a.warnings[0].message
        );
    }
}

#[test]
fn html_comment_wrappers_and_crlf_lines() {
    // Old inline scripts hide themselves from pre-JavaScript browsers; Windows line ends.
    let a = one("<!--\r\nAP.resize();\r\n  AP.hideFooter();\r\n// -->\r\n");
    assert_eq!(
        apis_of(&a),
        vec![("resize".into(), 2, 1), ("hideFooter".into(), 3, 3)]
    );
}

#[test]
fn scripts_that_cannot_reach_connect_are_told_apart() {
    let none = HashMap::new();
    assert!(!may_use_connect("var MAP = WRAP_AP; APx(); _AP.y", &none));
    assert!(may_use_connect("x=AP.resize()", &none));
    assert!(may_use_connect("\u{a0}AP", &none));
    assert!(may_use_connect("h.Authorization = 'JwT ' + t", &none));
    let globals = HashMap::from([("ap".to_string(), String::new())]);
    assert!(may_use_connect("ap.resize()", &globals));
    assert!(!may_use_connect("map.resize()", &globals));
    // A skipped script still reports that it does not parse.
    let a = one("var x = (;");
    assert_eq!(a.warnings.len(), 1);
}

#[test]
fn a_module_parses_as_a_module() {
    let a = one("import x from './x.js';\nAP.resize(x);");
    assert_eq!(apis_of(&a), vec![("resize".into(), 2, 1)]);
    assert!(a.warnings.is_empty());
}

#[test]
fn rest_paths_from_literals_concatenation_templates_and_constants() {
    let a = one(concat!(
        "const base = '/rest/api/3/';\n",
        "AP.request(base + 'myself');\n",
        "AP.request(`/rest/api/3/issue/${key}/properties/x`, {type: 'PUT'});\n",
        "AP.request({url: '/rest/api/2/search?jql=' + jql, success: f});\n",
        "AP.request(someUrl);\n",
        "let mutable = '/rest/api/3/myself'; mutable = other; AP.request(mutable);\n",
    ));
    let r: Vec<_> = a
        .requests
        .iter()
        .map(|r| (r.method.as_deref(), r.path.as_deref(), r.exact))
        .collect();
    assert_eq!(
        r,
        vec![
            (Some("GET"), Some("/rest/api/3/myself"), true),
            (Some("PUT"), Some("/rest/api/3/issue/"), false),
            (Some("GET"), Some("/rest/api/2/search?jql="), false),
            (Some("GET"), None, false),
            (Some("GET"), None, false),
        ]
    );
    let scopes: Vec<_> = a
        .scopes
        .iter()
        .map(|s| (s.scope.as_str(), s.covered_by_connect))
        .collect();
    assert_eq!(
        scopes,
        vec![
            ("read:jira-user", true),
            ("write:jira-work", false),
            ("read:jira-work", true)
        ]
    );
    let unresolved: Vec<_> = a
        .warnings
        .iter()
        .filter(|w| w.message.contains("not statically known"))
        .map(|w| w.position.map(|p| p.line))
        .collect();
    assert_eq!(unresolved, vec![Some(5), Some(6)]);
    assert_eq!(a.calls[3].support, Support::Differs);
}

#[test]
fn backend_calls_with_a_token_are_endpoints() {
    let a = one(concat!(
        "AP.request('/api/sla');\n",
        "AP.context.getToken(function (token) {\n",
        "  $.ajax({url: '/api/check', type: 'POST', headers: {Authorization: 'JWT ' + token}});\n",
        "});\n",
        "async function g() { const t = await AP.context.getToken(); return fetch(`/api/x/${id}`, {method: 'PUT'}); }\n",
        "function h(t) { $.get('/api/y?jwt=' + t); }\n",
        "function unrelated() { $.get('/api/z'); fetch('/rest/api/3/myself'); }\n",
        "AP.context.getToken().then(save);\n",
    ));
    let e: Vec<_> = a
        .endpoints
        .iter()
        .map(|e| {
            (
                e.via.as_str(),
                e.method.as_deref(),
                e.path.as_deref(),
                e.place.line,
            )
        })
        .collect();
    assert_eq!(
        e,
        vec![
            ("AP.request", Some("GET"), Some("/api/sla"), 1),
            ("$.ajax", Some("POST"), Some("/api/check"), 3),
            ("fetch", Some("PUT"), Some("/api/x/"), 5),
            ("$.get", Some("GET"), Some("/api/y?jwt="), 6),
            // A relative URL from the page is the app's own server, with or without a token:
            // on Forge it would reach Atlassian's CDN instead.
            ("$.get", Some("GET"), Some("/api/z"), 7),
            ("fetch", Some("GET"), Some("/rest/api/3/myself"), 7),
            ("AP.context.getToken", None, None, 8),
        ]
    );
    assert!(a.endpoints.iter().all(|e| e.note.contains("invokeRemote")));
    assert!(a.endpoints[4].note.contains("relative URL"));
    assert_eq!(a.calls[0].support, Support::Unsupported);
    assert!(a.requests.is_empty());
}

#[test]
fn values_and_optional_chains_count() {
    let a = one("promisify(AP.request); AP?.events?.emit?.('e'); AP.resize.call(null);");
    assert_eq!(
        a.calls.iter().map(|c| c.api.as_str()).collect::<Vec<_>>(),
        ["request", "events.emit", "resize"]
    );
    assert_eq!(a.emits[0].name, "e");
}

#[test]
fn unknown_members_are_unsupported() {
    let a = one("AP.host.getSelection(f); AP.inlineDialog.hide();");
    assert!(a.calls.iter().all(|c| c.support == Support::Unsupported));
    assert_eq!(a.calls[0].api, "host.getSelection");
}

#[test]
fn listeners_of_another_page() {
    let (l, w) = event_listeners(&[ScriptInput::file(
        "views/panel.hbs",
        "AP.events.on('sla-breached', f); AP.events.once(name, g);",
    )]);
    assert_eq!(l.len(), 1);
    assert_eq!((l[0].name.as_str(), l[0].place.column), ("sla-breached", 1));
    assert_eq!(w.len(), 1);
}

#[test]
fn an_endpoint_added_later_keeps_the_order() {
    let mut a = one("AP.request('/api/a');\n\n\nAP.request('/api/b');");
    let place = |line| Place {
        file: "a.js".into(),
        line,
        column: 1,
    };
    a.add_endpoint(Endpoint::new("{{token}}", None, None, place(2)));
    let lines: Vec<_> = a.endpoints.iter().map(|e| e.place.line).collect();
    assert_eq!(lines, vec![1, 2, 4]);
}

#[test]
fn deep_nesting_is_analysed_on_a_big_stack_or_refused_with_its_place() {
    let deep = format!(
        "var x = {}1{};\nAP.resize();",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let a = one(&deep);
    assert_eq!(apis_of(&a), vec![("resize".to_string(), 2, 1)]);
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    for deeper in [
        format!("AP.resize();\nvar y = {}1;", "{a:".repeat(25_000)),
        format!("AP.resize();\nvar y = {}1;", "!".repeat(25_000)),
    ] {
        let a = one(&deeper);
        assert!(a.calls.is_empty());
        let w = &a.warnings[0];
        let at = w.position.as_ref().map(|p| (p.line, p.column));
        // The bracket or operator that goes one deeper than the limit: "var y = " is 8 columns.
        let width = if deeper.contains("{a:") { 3 } else { 1 };
        assert_eq!(at, Some((2, 8 + width * 20_000 + 1)), "{w:?}");
        assert_eq!(crate::codes::of(w).id, "C2F080", "{}", w.message);
    }
}

#[test]
fn a_script_the_page_loads_twice_is_reported_once() {
    let s = ScriptInput::file("lib.js", "AP.resize();");
    let a = analyze(&[s, s], &[]);
    assert_eq!(a.calls.len(), 1);
    // The same text inline at two places is two scripts.
    let inline = |line| ScriptInput {
        file: "v.hbs",
        text: "AP.resize();",
        line,
        column: 9,
    };
    assert_eq!(analyze(&[inline(3), inline(7)], &[]).calls.len(), 2);
}

#[test]
fn columns_count_characters_on_a_long_line_without_rescanning_it() {
    // One line: ASCII, then two-, three- and four-byte characters before each call.
    let mut text = String::new();
    let mut want = Vec::new();
    for (i, pad) in ["", "é", "€€", "😀", "aé€😀"]
        .iter()
        .cycle()
        .take(2_000)
        .enumerate()
    {
        text.push_str(&format!("x{i}='{pad}';"));
        want.push(("resize".to_string(), 1, text.chars().count() as u32 + 1));
        text.push_str("AP.resize();");
    }
    let a = one(&text);
    assert_eq!(apis_of(&a), want);
    // A script that starts mid-line in its file keeps its column offset on its first line only.
    let s = ScriptInput {
        file: "v.hbs",
        text: "'é';AP.a();\n'😀';AP.b();",
        line: 4,
        column: 10,
    };
    let a = analyze(&[s], &[]);
    assert_eq!(
        apis_of(&a),
        vec![("a".to_string(), 4, 14), ("b".to_string(), 5, 5)]
    );
}

#[test]
fn code_built_from_strings_is_blocked_by_forges_csp() {
    // No AP in this script: the CSP findings do not depend on it.
    let a = one(concat!(
        "eval('x = 1');\n",
        "var f = new Function('a', 'return a');\n",
        "var g = Function('return 1');\n",
        "setTimeout('refresh()', 10); window.setInterval(\"tick()\" + n, 5);\n",
        "setTimeout(function () {}, 10); setTimeout(refresh, 1);\n",
        "document.write('<script src=\"https://connect-cdn.atl-paas.net/all.js\"></scr' + 'ipt>');\n",
        "document.write('<p>hello</p>'); window.document.writeln('<script src=\"x.js\"></script>');\n",
        "obj.eval('x'); function h(eval2) { return eval2; }\n",
    ));
    let found: Vec<_> = a
        .warnings
        .iter()
        .map(|w| {
            let p = w.position.as_ref().unwrap();
            assert_eq!(crate::codes::of(w).id, "C2F066", "{}", w.message);
            (
                p.line,
                p.column,
                w.message.split(' ').next().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (1, 1, "eval(…)".to_string()),
            (2, 9, "new".to_string()),
            (3, 9, "Function(…)".to_string()),
            (4, 1, "setTimeout".to_string()),
            (4, 30, "setInterval".to_string()),
            (6, 1, "document.write".to_string()),
            (7, 33, "document.write".to_string()),
        ]
    );
    assert!(a.warnings[5].message.contains("all.js"));
}

#[test]
fn code_built_from_strings_in_a_try_is_a_feature_test_that_falls_to_its_catch() {
    // A library checking for a CSP (AngularJS's noUnsafeEval) catches what Forge stops.
    let a = one(concat!(
        "function noUnsafeEval() {\n",
        "  try { new Function(''); return false; } catch (e) { return true; }\n",
        "}\n",
        "try { go(); } finally { eval(code); }\n",
    ));
    let found: Vec<_> = a
        .warnings
        .iter()
        .map(|w| {
            assert_eq!(crate::codes::of(w).id, "C2F066", "{}", w.message);
            let p = w.position.as_ref().unwrap();
            (p.line, w.message.contains("its catch runs instead"))
        })
        .collect();
    // The finally block has no catch: eval there still throws into the page.
    assert_eq!(found, vec![(2, true), (4, false)]);
}

#[test]
fn typescript_jsx_and_component_script_blocks_are_read_by_their_language() {
    let of = |file: &str, text: &str| apis_of(&analyze(&[ScriptInput::file(file, text)], &[]));
    let ts = "import x from './x';\nconst path: string = '/rest/api/3/myself';\nexport function go(n: number): void { AP.request(path); }\n";
    assert_eq!(of("src/api.ts", ts), vec![("request".to_string(), 3, 39)]);
    let tsx = "type P = { k: string };\nexport const B = (p: P) => <button onClick={() => AP.dialog.close()}>{p.k}</button>;\n";
    assert_eq!(
        of("src/B.TSX", tsx),
        vec![("dialog.close".to_string(), 2, 51)]
    );
    let jsx = "export const C = () => <a onClick={() => AP.flag.create({})}>x</a>;\n";
    assert_eq!(
        of("src/C.jsx", jsx),
        vec![("flag.create".to_string(), 1, 42)]
    );
    let vue = concat!(
        "<template>\n  <div @click=\"go\">{{ msg }}</div>\n</template>\n\n",
        "<script lang=\"ts\">\nimport { defineComponent } from 'vue';\n",
        "export default defineComponent({ methods: { go(): void { AP.resize(); } } });\n",
        "</script>\n<style>\n.a { color: red }\n</style>\n",
    );
    assert_eq!(of("src/App.vue", vue), vec![("resize".to_string(), 7, 58)]);
    let svelte = concat!(
        "<script context=\"module\">export const k = 1;</script>\n",
        "<script>\n  const show = () => AP.flag.create({ title: 'x' });\n</script>\n",
        "<button on:click={show}>x</button>\n",
    );
    assert_eq!(
        of("Flag.svelte", svelte),
        vec![("flag.create".to_string(), 3, 22)]
    );
    // TypeScript's ambient declaration names the global AP; a `.js` React component has JSX.
    let declared = "declare var AP: any;\nexport const r = () => AP.resize();\n";
    assert_eq!(of("a.tsx", declared), vec![("resize".to_string(), 2, 24)]);
    let react = "import React from 'react';\nexport default () => <b onClick={() => AP.flag.create({})} />;\n";
    assert_eq!(
        of("Flag.js", react),
        vec![("flag.create".to_string(), 2, 40)]
    );
    // A Flow-typed component (`// @flow`, annotations TypeScript shares) is read as TSX.
    let flow = concat!(
        "// @flow\nimport React from 'react';\nimport type { Node } from 'react';\n",
        "type Props = { title: string, count?: number };\n",
        "export default ({ title }: Props): Node => <b onClick={() => AP.flag.create({ title })} />;\n",
    );
    assert_eq!(
        of("src/Flag.jsx", flow),
        vec![("flag.create".to_string(), 5, 62)]
    );
    assert_eq!(
        of("src/flag.js", flow),
        vec![("flag.create".to_string(), 5, 62)]
    );
    // An external script of a component is not its code; JavaScript still parses as before.
    assert_eq!(of("X.vue", "<script src=\"./x.js\"></script>"), vec![]);
    // A module handing out window.AP, imported as AP: its calls are Connect's, through an
    // alias too; another imported name is not AP.
    let imported = concat!(
        "import AP from '@/model/AP';\n",
        "import { events as bus } from './bus';\n",
        "const dialog = AP.dialog;\n",
        "dialog.create({ key: 'x' });\n",
        "bus.emit('y');\n",
    );
    assert_eq!(
        of("src/viewer.ts", imported),
        vec![("dialog.create".to_string(), 4, 1)]
    );
}

#[test]
fn support_levels_match_what_happens_at_run_time() {
    let a = one(concat!(
        "AP.events.on('ISSUE_GLANCE_OPENED', load);\n",
        "AP.events.on('my-app-event', load);\n",
        "AP.navigator.go('issue', { issueKey: 'A-1' });\n",
        "AP.navigator.go('nowhere-the-layer-knows', {});\n",
        "var text = AP.host.getSelectedText ? AP.host.getSelectedText() : '';\n",
        "if (typeof AP.history.pushState !== 'function') { legacy(); }\n",
        "if (window.AP && window.AP.confluence) { go(); }\n",
    ));
    use Support::*;
    assert_eq!(
        supports_of(&a),
        vec![
            ("events.on", 1, 1, Unsupported),
            ("events.on", 2, 1, Supported),
            ("navigator.go", 3, 1, Supported),
            ("navigator.go", 4, 1, Unsupported),
            (
                "host.getSelectedText",
                5,
                12,
                apis::lookup("host.getSelectedText").support
            ),
            (
                "host.getSelectedText",
                5,
                38,
                apis::lookup("host.getSelectedText").support
            ),
            (
                "history.pushState",
                6,
                12,
                apis::lookup("history.pushState").support
            ),
            ("confluence", 7, 18, Supported),
        ]
    );
    assert!(
        a.calls[0].note.contains("never fires on Forge"),
        "{}",
        a.calls[0].note
    );
    assert!(a.calls[4].note.starts_with("read as a feature test"));
    assert!(!a.calls[5].note.starts_with("read as a feature test"));
}

#[test]
fn each_request_is_classified_by_its_target() {
    let a = one(concat!(
        "AP.request('/rest/api/content/123?expand=body.storage');\n",
        "AP.request({url: '/wiki/rest/api/space/DEV', type: 'PUT'});\n",
        "AP.request('/rest/api/3/issue/A-1');\n",
        "AP.request('/secure/attachment/10000/report.pdf');\n",
        "fetch('https://api.github.com/repos/x/y', {method: 'POST'});\n",
        "axios.get('https://hooks.example.org/ping'); $.getJSON('/api/config');\n",
        "function load(key) { const base = '/rest/api/3/issue/'; const url = base + key + '/comment'; return AP.request({url: url, type: 'POST'}); }\n",
        "fetch('https://acme.atlassian.net/rest/api/3/myself');\n",
    ));
    let reqs: Vec<_> = a
        .requests
        .iter()
        .map(|r| {
            (
                r.product,
                r.path.as_deref().unwrap_or(""),
                r.scopes.join(","),
                r.place.line,
            )
        })
        .collect();
    use scopes::Product::*;
    assert_eq!(
        reqs,
        vec![
            (
                Some(Confluence),
                "/rest/api/content/123?expand=body.storage",
                "read:confluence-content.all".to_string(),
                1
            ),
            (
                Some(Confluence),
                "/wiki/rest/api/space/DEV",
                "write:confluence-space".to_string(),
                2
            ),
            (
                Some(Jira),
                "/rest/api/3/issue/A-1",
                "read:jira-work".to_string(),
                3
            ),
            (
                Some(Jira),
                "/rest/api/3/issue/",
                "write:jira-work".to_string(),
                7
            ),
            (
                Some(Jira),
                "/rest/api/3/myself",
                "read:jira-user".to_string(),
                8
            ),
        ]
    );
    // No Confluence path gets a Jira scope.
    assert!(a
        .scopes
        .iter()
        .all(|s| !s.scope.contains("jira") || !s.needed_by.iter().any(|p| p.line <= 2)));
    let product_page = a.calls.iter().find(|c| c.line == 4).unwrap();
    assert_eq!(product_page.support, Support::Unsupported);
    let ext: Vec<_> = a
        .external
        .iter()
        .map(|e| {
            (
                e.via.as_str(),
                e.method.as_deref(),
                e.host.as_str(),
                e.place.line,
            )
        })
        .collect();
    assert_eq!(
        ext,
        vec![
            ("fetch", Some("POST"), "api.github.com", 5),
            ("axios", Some("GET"), "hooks.example.org", 6),
        ]
    );
    assert!(a
        .external
        .iter()
        .all(|e| !e.note.contains("JWT ") && e.note.contains("permissions.external.fetch.client")));
    let backend: Vec<_> = a
        .endpoints
        .iter()
        .map(|e| (e.via.as_str(), e.path.as_deref()))
        .collect();
    assert_eq!(backend, vec![("$.get", Some("/api/config"))]);
    let codes: Vec<_> = a
        .warnings
        .iter()
        .map(|w| (w.position.as_ref().unwrap().line, crate::codes::of(w).id))
        .collect();
    assert_eq!(codes, vec![(4, "C2F072"), (5, "C2F071"), (6, "C2F071")]);
}

#[test]
fn a_url_built_by_appending_in_the_function_keeps_its_prefix() {
    let a = one(concat!(
        "function search(q, key) {\n",
        "  let url = '/rest/api/3/search';\n",
        "  url += '?jql=' + encodeURIComponent(q);\n",
        "  var path = '/rest/api/3/issue/';\n",
        "  path = path + key;\n",
        "  var method = 'PUT';\n",
        "  AP.request(url);\n",
        "  AP.request({url: path, type: method});\n",
        "}\n",
    ));
    let reqs: Vec<_> = a
        .requests
        .iter()
        .map(|r| {
            (
                r.method.as_deref(),
                r.path.as_deref(),
                r.exact,
                r.scopes.join(","),
            )
        })
        .collect();
    assert_eq!(
        reqs,
        vec![
            (
                Some("GET"),
                Some("/rest/api/3/search"),
                false,
                "read:jira-work".to_string()
            ),
            (
                Some("PUT"),
                Some("/rest/api/3/issue/"),
                false,
                "write:jira-work".to_string()
            ),
        ]
    );
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
}

#[test]
fn a_library_two_pages_load_is_analysed_once_per_run() {
    // A library with no AP in it: a settings object, and a string timer Forge's CSP blocks.
    let lib = ScriptInput::file(
        "public/js/shared-lib-once.js",
        "var SHARED_ONCE = { url: '/rest/api/3/myself' };\nsetTimeout('tick()', 5);\n",
    );
    let page = |own: &'static str| [lib, ScriptInput::file(own, "AP.request(SHARED_ONCE.url);")];
    let first = analyze(&page("a-once.js"), &[]);
    let second = analyze(&page("b-once.js"), &[]);
    assert_eq!(super::cache::script_hits(&lib), 1);
    for a in [&first, &second] {
        assert_eq!(a.warnings.len(), 1, "{:?}", a.warnings);
        assert_eq!(a.requests[0].path.as_deref(), Some("/rest/api/3/myself"));
    }
    // A script that does not parse is refused once, with the same warning each time.
    let broken = ScriptInput::file("broken-once.js", "function (");
    let w1 = analyze(&[broken, ScriptInput::file("c-once.js", "1")], &[]).warnings;
    let w2 = analyze(&[broken, ScriptInput::file("d-once.js", "2")], &[]).warnings;
    assert_eq!((w1.len(), &w1), (1, &w2));
    assert_eq!(super::cache::script_hits(&broken), 1);
}

/// A member of AP the layer does not define, read into a variable and then tested and
/// constructed through it (a Jira Service Management request-properties panel's shape), is
/// reported where it is read and where it is constructed; the host events that panel listens
/// to never fire on Forge. A known namespace read into a variable is no report of its own.
#[test]
fn unknown_members_read_into_variables_and_constructed_are_reported() {
    let a = one(concat!(
        "const sd = AP.jiraServiceDesk;\n",
        "const props = sd ? new sd.RequestProperties() : undefined;\n",
        "AP.events.on('jira-servicedesk-request-properties-serialize', function () {});\n",
        "var ev = AP.events; ev.on('mine', function () {});\n",
    ));
    use Support::*;
    assert_eq!(
        supports_of(&a),
        [
            ("jiraServiceDesk", 1, 12, Unsupported),
            ("jiraServiceDesk.RequestProperties", 2, 24, Unsupported),
            ("events.on", 3, 1, Unsupported),
            ("events.on", 4, 21, Supported),
        ]
    );
    assert!(
        a.calls[0].note.starts_with("read into a variable"),
        "{}",
        a.calls[0].note
    );
    assert!(
        a.calls[2].note.contains("never fires on Forge"),
        "{}",
        a.calls[2].note
    );
}

/// AP kept in a React component's state (`this.setState({ AP })`, a React-Jira-shaped app) and
/// taken back out by destructuring (`const { AP } = this.state`) is Connect's AP; a local of
/// that name from anything else (a parameter, a call's result) still is not.
#[test]
fn ap_destructured_from_an_object_is_connects() {
    let a = one(concat!(
        "class App { fetch() { const { AP, url } = this.state; AP.getLocation(function () {}); } }\n",
        "function g(props) { const { AP: host } = props; host.resize(); }\n",
        "function f(AP) { AP.request('/x'); }\n",
    ));
    assert_eq!(
        apis_of(&a),
        [("getLocation".to_string(), 1, 55)],
        "{:?}",
        a.calls
    );
}

/// Each reported call as `(api, line, column, support)`, in report order.
fn supports_of(a: &Analysis) -> Vec<(&str, u32, u32, Support)> {
    a.calls
        .iter()
        .map(|c| (c.api.as_str(), c.line, c.column, c.support))
        .collect()
}
