//! The port stage's page side on small Connect apps of each framework
//! (`tests/fixtures/port/discover/`): which file serves a background script's URL, how its
//! page splits into scripts and stylesheets, and what is carried into the Forge resource.

use std::path::{Path, PathBuf};

use connect2forge::diagnostics::Diagnostic;
use connect2forge::port::carry::{carry, Carried};
use connect2forge::port::discover::{find_page, page_from_option, Found, FoundBy, PageLookup};
use connect2forge::port::page::html::script_loads;
use connect2forge::port::page::{split_page, Script};
use connect2forge::port::tree::{default_source_root, SourceTree};
use proptest::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/port/discover")
        .join(name)
}

fn tree(name: &str) -> SourceTree {
    SourceTree::load(&fixture(name)).unwrap()
}

fn found(lookup: PageLookup) -> Found {
    match lookup {
        PageLookup::Found(f) => f,
        other => panic!("expected a page, got {other:?}"),
    }
}

#[derive(serde::Serialize)]
struct Summary {
    found: Found,
    layout: Option<String>,
    scripts: Vec<String>,
    stylesheets: Vec<String>,
    carried: Vec<String>,
    npm_dependencies: Vec<String>,
    globals: Vec<String>,
    external_scripts: Vec<String>,
    notes: Vec<String>,
    warnings: Vec<String>,
    index_html: String,
}

fn lines(ds: &[Diagnostic]) -> Vec<String> {
    ds.iter().map(Diagnostic::to_line).collect()
}

/// Discovery, splitting and carrying of one module URL, in a reviewable form.
fn summary(app: &str, url: &str) -> Summary {
    let tree = tree(app);
    let found = found(find_page(&tree, url));
    let page = split_page(&tree, &found, url);
    let c = carry(&page, &tree, &[]);
    let at =
        |a: &connect2forge::port::page::Location| format!("{}:{}:{}", a.file, a.line, a.column);
    Summary {
        layout: page.layout.clone(),
        scripts: page
            .scripts
            .iter()
            .map(|s| match s {
                Script::Inline { text, at: a, .. } => {
                    format!("inline {} ({} lines)", at(a), text.lines().count())
                }
                Script::Local {
                    src,
                    resolved,
                    at: a,
                    ..
                } => format!(
                    "local {src} -> {} ({})",
                    resolved.as_ref().map_or("MISSING".to_string(), |r| format!(
                        "{} as {}",
                        r.path, r.static_path
                    )),
                    at(a)
                ),
                Script::AllJs { src, at: a } => format!("all.js {src} ({})", at(a)),
                Script::Cdn {
                    package,
                    version,
                    globals,
                    at: a,
                    ..
                } => {
                    format!(
                        "cdn {package}@{version} as {} ({})",
                        globals.join(" "),
                        at(a)
                    )
                }
                Script::External { url, at: a, .. } => format!("external {url} ({})", at(a)),
            })
            .collect(),
        stylesheets: page
            .stylesheets
            .iter()
            .map(|s| serde_json::to_string(s).unwrap())
            .collect(),
        carried: c
            .stylesheets
            .iter()
            .chain(&c.scripts)
            .map(|f| {
                format!(
                    "{} <- {} ({} lines)",
                    f.path,
                    f.origin.as_deref().unwrap_or("extracted"),
                    f.lines
                )
            })
            .collect(),
        npm_dependencies: c
            .npm_dependencies
            .iter()
            .map(|(k, v)| format!("{k}@{v}"))
            .collect(),
        globals: c.globals.iter().map(|(g, p)| format!("{g}={p}")).collect(),
        external_scripts: c.external_scripts.clone(),
        notes: lines(&c.notes),
        warnings: lines(&c.warnings),
        index_html: c.index_html.clone(),
        found,
    }
}

#[test]
fn ace_view_in_its_layout() {
    insta::assert_yaml_snapshot!(
        "ace_sla_watcher",
        summary("ace", "/bg/sla-watcher?issueKey={issue.key}")
    );
}

#[test]
fn ace_view_in_the_default_layout_with_cdn_jquery() {
    insta::assert_yaml_snapshot!(
        "ace_dashboard_refresh",
        summary("ace", "/bg/dashboard-refresh")
    );
}

#[test]
fn spring_controller_with_class_prefix() {
    insta::assert_yaml_snapshot!(
        "spring_due_date",
        summary("spring", "/connect/bg/due-date?issueKey={issue.key}")
    );
}

#[test]
fn static_site_page() {
    insta::assert_yaml_snapshot!(
        "static_label_helper",
        summary("static", "/label-helper.html")
    );
}

#[test]
fn flask_route() {
    insta::assert_yaml_snapshot!("flask_comment_watch", summary("flask", "/bg/comment-watch"));
}

#[test]
fn ambiguous_routes_list_both_views() {
    insta::assert_yaml_snapshot!("ambiguous", find_page(&tree("ambiguous"), "/bg/watch"));
}

#[test]
fn missing_view_lists_the_route_and_likely_pages() {
    insta::assert_yaml_snapshot!("missing", find_page(&tree("missing"), "/bg/sla"));
}

#[test]
fn page_option_picks_one_of_the_ambiguous_pages() {
    let tree = tree("ambiguous");
    let f = found(page_from_option(&tree, "views/watch-v2.hbs"));
    assert_eq!(
        (f.file.as_str(), f.found_by),
        ("views/watch-v2.hbs", FoundBy::Option)
    );
    assert!(matches!(
        page_from_option(&tree, "views/nope.hbs"),
        PageLookup::NotFound { .. }
    ));
}

#[test]
fn every_route_style_of_the_ace_fixture_resolves() {
    let tree = tree("ace");
    for (url, view, line) in [
        ("/bg/sla-watcher", "views/sla-watcher.hbs", 8),
        ("/bg/dashboard-refresh", "views/dashboard-refresh.hbs", 15),
        ("/panel/sla?issueKey=X-1", "views/sla-panel.hbs", 18),
    ] {
        let f = found(find_page(&tree, url));
        assert_eq!(
            (f.file.as_str(), f.route_file.as_deref(), f.route_line),
            (view, Some("routes/index.js"), Some(line)),
            "{url}"
        );
    }
    // A POST route is not a page.
    assert!(matches!(
        find_page(&tree, "/api/sla"),
        PageLookup::NotFound { .. }
    ));
}

#[test]
fn maven_descriptor_source_root_is_the_project() {
    let spring = fixture("spring");
    assert_eq!(
        default_source_root(&spring.join("src/main/resources/atlassian-connect.json")),
        spring
    );
    assert_eq!(
        default_source_root(&fixture("ace").join("atlassian-connect.json")),
        fixture("ace")
    );
}

#[test]
fn carrying_is_deterministic() {
    let a = serde_json::to_string(&summary("ace", "/bg/sla-watcher")).unwrap();
    let b = serde_json::to_string(&summary("ace", "/bg/sla-watcher")).unwrap();
    assert_eq!(a, b);
}

/// Pieces hostile pages are built from: template syntax, tag fragments, quotes, non-ASCII.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>".to_string()),
        Just("</script>".to_string()),
        Just("<script src=\"/js/a.js\">".to_string()),
        Just("<script src='".to_string()),
        Just("<SCRIPT type=module>".to_string()),
        Just("<style>".to_string()),
        Just("</style >".to_string()),
        Just("<link rel=stylesheet href=".to_string()),
        Just("<head>".to_string()),
        Just("</head>".to_string()),
        Just("<body onload=\"x()\">".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{{#if a}}".to_string()),
        Just("{{/if}}".to_string()),
        Just("{{!--".to_string()),
        Just("{{!< layout}}".to_string()),
        Just("{{{body}}}".to_string()),
        Just("{{localBaseUrl}}".to_string()),
        Just("<%= x %>".to_string()),
        Just("[[${x}]]".to_string()),
        Just("th:src=\"@{/js/a.js}\"".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just(">".to_string()),
        Just("<".to_string()),
        Just("\n".to_string()),
        Just("é\u{2028}😀".to_string()),
        "[ -~]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn hostile_pages_never_panic_and_every_warning_has_a_place(
        view in prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat()),
        layout in prop::collection::vec(piece(), 0..20).prop_map(|v| v.concat()),
        ace in any::<bool>(),
    ) {
        let tree = SourceTree::from_files([
            ("views/page.hbs", view.as_str()),
            ("views/layout.hbs", layout.as_str()),
            ("public/js/a.js", "a()"),
        ]);
        let found = Found::new("views/page.hbs", if ace { FoundBy::AceRoute } else { FoundBy::StaticFile });
        let page = split_page(&tree, &found, "/bg/page?x={y}");
        let c = carry(&page, &tree, &[]);
        for w in c.warnings.iter().chain(&c.notes) {
            let p = w.position.expect("every warning has a position");
            let text = tree.get(&w.file).expect("warnings name a file of the tree");
            prop_assert!(p.line >= 1 && p.line <= text.split('\n').count(), "{}", w.to_line());
            prop_assert!(p.column >= 1);
        }
        for s in &page.scripts {
            prop_assert!(tree.contains(&s.at().file));
        }
        // Read back as a browser reads it, index.html loads main.js and every carried script.
        let loads = script_loads(&c.index_html);
        prop_assert_eq!(loads.first().map(String::as_str), Some("./main.js"), "{}", c.index_html);
        for f in &c.scripts {
            let path = format!("./{}", f.path);
            prop_assert!(loads.contains(&path), "{} not loaded by {}", path, c.index_html);
        }
        prop_assert!(!c.warnings.iter().any(|w| w.message.contains("read back")), "{}", c.index_html);
        // Nothing of the page is carried twice: no more scripts than `<script` tags, no more
        // body than the page and its layout (plus the handler markers and what closes the end).
        // A layout may put the view in more than once (`{{{body}}}` twice): so does express-hbs.
        let copies = 1 + layout.matches("{{{body}}}").count();
        let tags = (view.repeat(copies) + &layout).to_ascii_lowercase().matches("<script").count();
        prop_assert!(c.scripts.len() <= tags + 1, "{} scripts from {} tags", c.scripts.len(), tags);
        prop_assert!(page.body_html.len() <= view.len() * copies + layout.len() + 40 * page.handlers.len() + 64);
    }

    #[test]
    fn hostile_route_files_never_panic(
        js in prop::collection::vec(route_piece(), 0..40).prop_map(|v| v.concat()),
        java in prop::collection::vec(route_piece(), 0..40).prop_map(|v| v.concat()),
        url in "(/[a-z{}:$.?=]{0,6}){0,3}",
    ) {
        let tree = SourceTree::from_files([
            ("routes/index.js", js.as_str()),
            ("src/main/java/C.java", java.as_str()),
            ("app.py", js.as_str()),
            ("views/a.hbs", "a"),
            ("src/main/resources/templates/a.html", "a"),
            ("templates/a.html", "a"),
        ]);
        match find_page(&tree, &url) {
            PageLookup::Found(f) => prop_assert!(tree.contains(&f.file)),
            PageLookup::Ambiguous { candidates } => prop_assert!(candidates.len() >= 2),
            PageLookup::NotFound { candidates } => prop_assert!(candidates.len() <= 10),
        }
    }
}

/// Pieces hostile route and controller files are built from.
fn route_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("app.get('/a', ".to_string()),
        Just("router.get([\"/a\", `/b`], ".to_string()),
        Just("res.render('a')".to_string()),
        Just("res.sendFile('../public/a.html')".to_string()),
        Just("app.use('/a', require('./routes/index'))".to_string()),
        Just("@RequestMapping(".to_string()),
        Just("@GetMapping(value = {\"/a\"".to_string()),
        Just("class C {".to_string()),
        Just("return \"a\";".to_string()),
        Just("@app.route('/a')".to_string()),
        Just("render_template('a.html')".to_string()),
        Just(")".to_string()),
        Just("\"".to_string()),
        Just("\n".to_string()),
        Just("é".to_string()),
        "[ -~]{0,10}",
    ]
}

// ---- issue 19: pages read as a browser reads them ----------------------------------------

fn carry_of(files: &[(&str, &str)], page: &str, by: FoundBy, url: &str) -> Carried {
    let tree = SourceTree::from_files(files.iter().copied());
    let found = Found::new(page, by);
    carry(&split_page(&tree, &found, url), &tree, &[])
}

fn carried_paths(c: &Carried) -> Vec<String> {
    c.scripts.iter().map(|f| format!("./{}", f.path)).collect()
}

fn messages(c: &Carried) -> String {
    c.warnings
        .iter()
        .chain(&c.notes)
        .map(Diagnostic::to_line)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn html_the_old_scanner_misread_still_loads_main_js_and_every_carried_script() {
    // Each ends the page's HTML with something left open, after its scripts.
    for tail in [
        "<!-- never closed",
        "<textarea>notes",
        "<title>T",
        "<noscript>no",
        "<iframe>x",
        "<div title=\"unclosed quote>",
        "<div",
        "<!-- a --!> after",
        "<!--> after",
        "<p>{{ not a template</p>",
        "<template><p>x",
        "<svg><g>",
        "<plaintext>rest",
    ] {
        let html = format!(
            "<html><body><p>x</p><script src=\"/js/a.js\"></script><script type=\"application/x-javascript\">b()</script>{tail}</body></html>"
        );
        let c = carry_of(
            &[("www/p.html", &html), ("www/js/a.js", "a()")],
            "www/p.html",
            FoundBy::StaticFile,
            "/p.html",
        );
        assert_eq!(
            carried_paths(&c),
            ["./page/js/a.js", "./page/p.inline-1.js"],
            "{tail}"
        );
        assert_eq!(
            script_loads(&c.index_html),
            ["./main.js", "./page/js/a.js", "./page/p.inline-1.js"],
            "{tail}: {}",
            c.index_html
        );
        assert!(
            !messages(&c).contains("read back"),
            "{tail}: {}",
            messages(&c)
        );
    }
}

#[test]
fn bogus_comments_are_read_once() {
    let html =
        "<head><script src=\"/js/a.js\"></script><!><?x>\n</head><body><p>one</p></ br></body>";
    let c = carry_of(
        &[("www/p.html", html), ("www/js/a.js", "a()")],
        "www/p.html",
        FoundBy::StaticFile,
        "/p.html",
    );
    assert_eq!(script_loads(&c.index_html), ["./main.js", "./page/js/a.js"]);
    assert_eq!(
        c.index_html.matches("<p>one</p>").count(),
        1,
        "{}",
        c.index_html
    );
}

#[test]
fn a_page_ending_in_half_a_tag_does_not_swallow_main_js() {
    // Found by the port_page fuzz target: `</` and a carriage return at the end of the page.
    for end in [
        "</\r",
        "</",
        "<!",
        "<?",
        "< ",
        // Also found by the fuzz target: what follows <plaintext> is text, never a new tag;
        // an <svg> whose end tag is swallowed by a `</` before it is still closed.
        "<plaintext>x<script/a\n:go()\"<</a>dv",
        "<svg>x</</svg>",
    ] {
        let html = format!("<p>x</p><script src=\"/js/a.js\"></script>{end}");
        let c = carry_of(
            &[("www/p.html", &html), ("www/js/a.js", "a()")],
            "www/p.html",
            FoundBy::StaticFile,
            "/p.html",
        );
        assert_eq!(
            script_loads(&c.index_html),
            ["./main.js", "./page/js/a.js"],
            "{end:?}: {}",
            c.index_html
        );
    }
}

#[test]
fn a_template_in_the_head_stays_inert_and_whole() {
    // Found by the port_page fuzz target (J): the layout's <head> opened a <template> that was
    // never closed, so to a browser the whole body was inert template content; the carry dropped
    // the <template> with the head but kept what followed, and the view's scripts came alive.
    let unclosed = "<html><head><template><meta x></head><body><p>x</p><script src=\"/js/b.js\"></script></body></html>";
    let c = carry_of(
        &[("www/p.html", unclosed), ("www/js/b.js", "b()")],
        "www/p.html",
        FoundBy::StaticFile,
        "/p.html",
    );
    assert_eq!(
        script_loads(&c.index_html),
        ["./main.js"],
        "{}",
        c.index_html
    );
    assert!(c.index_html.contains("<template>"), "{}", c.index_html);
    assert!(
        c.warnings
            .iter()
            .any(|w| w.message.contains("<template> is never closed")),
        "{:?}",
        c.warnings
    );
    // A closed one (a row the page's script clones) is kept, still inert, and found by id.
    let closed = "<html><head><template id=\"row\"><tr><td><script>x()</script></td></tr></template></head><body><script src=\"/js/a.js\"></script></body></html>";
    let c = carry_of(
        &[
            ("www/p.html", closed),
            ("www/js/a.js", "document.getElementById('row')"),
        ],
        "www/p.html",
        FoundBy::StaticFile,
        "/p.html",
    );
    assert_eq!(
        script_loads(&c.index_html),
        ["./main.js", "./page/js/a.js"],
        "{}",
        c.index_html
    );
    assert!(
        c.index_html
            .contains("<template id=\"row\"><tr><td><script>x()</script></td></tr></template>"),
        "{}",
        c.index_html
    );
}

#[test]
fn a_script_never_closed_inside_a_template_never_swallows_main_js() {
    // Found by the port_page fuzz target (K): a never-closed <script> inside a <template>, whose
    // text holds `<!--` and then `<script ` (script data's double-escaped state): the `</script>`
    // appended to close it did not close it, and main.js became its text.
    let html = "<p>x</p><template><script>t()<!--<script s\"</script></p>";
    let c = carry_of(
        &[("www/p.html", html)],
        "www/p.html",
        FoundBy::StaticFile,
        "/p.html",
    );
    assert_eq!(
        script_loads(&c.index_html),
        ["./main.js"],
        "{}",
        c.index_html
    );
    assert!(
        c.index_html.contains("<p>x</p><template></template>"),
        "{}",
        c.index_html
    );
    assert!(
        c.warnings
            .iter()
            .chain(&c.notes)
            .any(|w| w.message.contains("a <script> that is never closed")),
        "{:?}",
        c.warnings
    );
}

#[test]
fn a_script_tag_inside_a_bogus_comment_stays_a_comment() {
    // Found by the port_page fuzz target (I): `</<script src=…>` is a bogus comment to a browser;
    // after another bogus comment its `</` was lost and the carried page loaded the script
    // before main.js.
    let html = "<p>x</&y\"></<script src=\"/js/b.js\">z</p><script src=\"/js/a.js\"></script>";
    let c = carry_of(
        &[
            ("www/p.html", html),
            ("www/js/a.js", "a()"),
            ("www/js/b.js", "b()"),
        ],
        "www/p.html",
        FoundBy::StaticFile,
        "/p.html",
    );
    assert_eq!(
        script_loads(&c.index_html),
        ["./main.js", "./page/js/a.js"],
        "{}",
        c.index_html
    );
    assert!(
        c.index_html.contains("</<script src=\"/js/b.js\">"),
        "{}",
        c.index_html
    );
}

#[test]
fn a_script_the_browser_never_loads_is_named_not_silently_lost() {
    let c = carry_of(
        &[
            (
                "www/p.html",
                "<p>x</p>\n<!-- open\n<script src=\"/js/a.js\"></script>",
            ),
            ("www/js/a.js", "a()"),
        ],
        "www/p.html",
        FoundBy::StaticFile,
        "/p.html",
    );
    assert!(c.scripts.is_empty());
    let m = messages(&c);
    assert!(
        m.contains("www/p.html:2:1: warning: this comment is never closed"),
        "{m}"
    );
}

#[test]
fn code_a_browser_never_runs_is_never_carried() {
    let html = "<template><script>tpl()</script></template>\
<textarea><script>area()</script></textarea><xmp><script>xmp()</script></xmp>\
<noscript><script>nos()</script></noscript>\
<script nomodule src=\"/legacy.js\"></script><script type=\"text/x-template\">{{x}}</script>\
a<<script>real()</script>script>joined()</script>";
    let c = carry_of(
        &[("p.html", html), ("legacy.js", "legacy()")],
        "p.html",
        FoundBy::StaticFile,
        "/p.html",
    );
    let code: Vec<&str> = c.scripts.iter().map(|f| f.content.trim()).collect();
    assert_eq!(code, ["real()"]);
    assert_eq!(
        script_loads(&c.index_html),
        ["./main.js", "./page/p.inline-1.js"]
    );
    // Taking out the script did not join `a<` and `script>` into a new element.
    assert!(
        c.index_html.contains("a&lt;script>joined()"),
        "{}",
        c.index_html
    );
    let m = messages(&c);
    assert!(
        m.contains("nomodule") && m.contains("inside <template>"),
        "{m}"
    );
}

#[test]
fn urls_resolve_from_the_static_root_and_secrets_are_refused() {
    let files = [
        ("credentials.json", "{\"secret\":1}"),
        ("config.json", "{}"),
        ("views/helper.js", "views()"),
        ("public/js/a.js", "a()"),
        (
            "views/p.hbs",
            "<script src=\"../../credentials.json\"></script><script src=\"../config.json\"></script>\
<script src=\"../views/helper.js\"></script><script src=\"helper.js\"></script><script src=\"../js/a.js\"></script>",
        ),
    ];
    let c = carry_of(&files, "views/p.hbs", FoundBy::AceRoute, "/bg/page");
    let origins: Vec<_> = c
        .scripts
        .iter()
        .map(|f| f.origin.clone().unwrap_or_default())
        .collect();
    assert_eq!(origins, ["public/js/a.js"]);
    let m = messages(&c);
    assert!(
        m.contains("credentials.json is a known secret file's name"),
        "{m}"
    );
    assert!(
        m.contains("config.json is a known secret file's name"),
        "{m}"
    );
    assert!(m.contains("\"helper.js\" is not in the source tree"), "{m}");

    let flask = [
        ("app.py", "app"),
        ("settings.py", "SECRET_KEY = 'x'"),
        ("static/.env.js", "x"),
        (
            "templates/p.html",
            "{% if x %}{% endif %}<script src=\"{{ url_for('static', filename='../settings.py') }}\"></script><script src=\"/static/.env.js\"></script>",
        ),
    ];
    let c = carry_of(&flask, "templates/p.html", FoundBy::FlaskRoute, "/p");
    assert!(c.scripts.is_empty());
    let m = messages(&c);
    assert!(m.contains("settings.py is a known secret"), "{m}");
    assert!(m.contains(".env.js is a known secret"), "{m}");
}

#[test]
fn base_href_and_encoded_urls_resolve_as_a_browser_and_server_do() {
    let html = "<head><base href=\"/app/\"></head><script src=\"js/a.js\"></script>\
<script src=\"/my%20lib.js?v=1&amp;w=2\"></script><link rel=stylesheet href=\"css/a.css?x=1&amp;y=2\">";
    let c = carry_of(
        &[
            ("views/p.hbs", html),
            ("public/app/js/a.js", "a()"),
            ("public/my lib.js", "lib()"),
            ("public/app/css/a.css", "p{}"),
        ],
        "views/p.hbs",
        FoundBy::AceRoute,
        "/bg/p",
    );
    assert_eq!(
        carried_paths(&c),
        ["./page/app/js/a.js", "./page/my lib.js"]
    );
    assert_eq!(
        c.stylesheets[0].origin.as_deref(),
        Some("public/app/css/a.css")
    );
    assert!(!c.index_html.contains("<base"));
    assert!(messages(&c).contains("<base href> is honoured"));
}

#[test]
fn external_scripts_and_styles_keep_integrity_and_crossorigin() {
    let html = "<link rel=stylesheet href=\"https://cdn.example.com/a.css\" integrity=\"sha384-A\" crossorigin=\"anonymous\">\
<script src=\"https://cdn.example.com/a.js\" integrity=\"sha384-B\" crossorigin=\"use-credentials\" referrerpolicy=\"no-referrer\"></script>";
    let c = carry_of(
        &[("p.html", html)],
        "p.html",
        FoundBy::StaticFile,
        "/p.html",
    );
    assert!(c.index_html.contains("<link rel=\"stylesheet\" href=\"https://cdn.example.com/a.css\" integrity=\"sha384-A\" crossorigin=\"anonymous\">"), "{}", c.index_html);
    assert!(c.index_html.contains("<script src=\"https://cdn.example.com/a.js\" integrity=\"sha384-B\" crossorigin=\"use-credentials\" referrerpolicy=\"no-referrer\"></script>"), "{}", c.index_html);
}

#[test]
fn inline_handlers_and_body_attributes_keep_working() {
    let html =
        "<html lang=\"de\"><body class=\"aui-page\" onload=\"init()\" onclick=\"tap(event)\">\
<button id=\"b\" onclick=\"go(); return false\" title=\"t\">Go</button>\
<script src=\"/js/a.js\" onload=\"ready()\"></script></body></html>";
    let c = carry_of(
        &[("www/p.html", html), ("www/js/a.js", "a()")],
        "www/p.html",
        FoundBy::StaticFile,
        "/p.html",
    );
    assert!(c.index_html.contains("<html lang=\"de\">"));
    assert!(c.index_html.contains("<body class=\"aui-page\">"));
    assert!(
        c.index_html
            .contains("<button id=\"b\" data-connect2forge-on=\"1\" title=\"t\">Go</button>"),
        "{}",
        c.index_html
    );
    assert!(!c.index_html.contains("onclick") && !c.index_html.contains("onload"));
    assert_eq!(
        script_loads(&c.index_html),
        ["./main.js", "./page/p.handlers.js", "./page/js/a.js"]
    );
    assert!(c
        .index_html
        .contains("<script src=\"./page/js/a.js\" data-connect2forge-on=\"2\"></script>"));
    let handlers = &c.scripts[0].content;
    let order: Vec<usize> = ["init()", "tap(event)", "go(); return false", "ready()"]
        .iter()
        .map(|code| {
            handlers
                .find(code)
                .unwrap_or_else(|| panic!("{code} in {handlers}"))
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "in the page's order: {handlers}"
    );
    assert!(handlers.contains("[\"window\", \"load\", function (event) {\ninit()"));
    assert!(handlers.contains("[\"body\", \"click\""));
}

#[test]
fn the_layouts_scripts_are_carried_or_named_per_engine() {
    // express-hbs: a comment holding {{{body}}} does not swallow the view; partials and furl.
    let c = carry_of(
        &[
            ("views/layout.hbs", "<html><head>{{!-- {{{body}}} --}}<script src=\"{{hostScriptUrl}}\"></script>{{> scripts}}</head><body>{{{body}}}</body></html>"),
            ("views/scripts.hbs", "<script src=\"{{furl '/js/lib.js'}}\"></script><script src=\"/js/gone.js\"></script>"),
            ("views/v.hbs", "<p>view</p><script src=\"/js/v.js\"></script>"),
            ("public/js/lib.js", "lib()"),
            ("public/js/v.js", "v()"),
        ],
        "views/v.hbs",
        FoundBy::AceRoute,
        "/v",
    );
    assert_eq!(carried_paths(&c), ["./page/js/lib.js", "./page/js/v.js"]);
    assert!(c.index_html.contains("<p>view</p>"));
    let m = messages(&c);
    assert!(
        m.contains(
            "views/scripts.hbs:1:46: warning: script \"/js/gone.js\" is not in the source tree"
        ),
        "{m}"
    );
    assert!(
        m.contains("the page loads 1 script(s) and stylesheet(s) that are not carried"),
        "{m}"
    );

    // Django: extends, blocks, {% static %}.
    let c = carry_of(
        &[
            ("manage.py", ""),
            ("app/templates/base.html", "{% load static %}<html><head><script src=\"{% static 'js/base.js' %}\"></script></head><body>{% block content %}{% endblock %}</body></html>"),
            ("app/templates/p.html", "{% extends 'base.html' %}{% block content %}<script src=\"{% static 'js/p.js' %}\"></script>{% endblock %}"),
            ("app/static/js/base.js", "b()"),
            ("app/static/js/p.js", "p()"),
        ],
        "app/templates/p.html",
        FoundBy::Option,
        "/p",
    );
    assert_eq!(carried_paths(&c), ["./page/js/base.js", "./page/js/p.js"]);
}

/// The `port_page` fuzz target's checks (`fuzz/src/lib.rs`), compiled here too.
#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz_lib;

/// Every input of the checked-in `port_page` fuzz corpus still passes the target's checks:
/// no panic, index.html loads main.js and every carried script, no secret carried.
#[test]
fn port_page_fuzz_corpus_replays() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/port_page");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        fuzz_lib::port_page(&bytes);
        seen += 1;
    }
    assert!(seen >= 6, "{seen} inputs under {}", dir.display());
}
