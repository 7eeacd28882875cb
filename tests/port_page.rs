//! The port stage's page side on small Connect apps of each framework
//! (`tests/fixtures/port/discover/`): which file serves a background script's URL, how its
//! page splits into scripts and stylesheets, and what is carried into the Forge resource.

use std::path::{Path, PathBuf};

use connect2forge::diagnostics::Diagnostic;
use connect2forge::port::carry::carry;
use connect2forge::port::discover::{find_page, page_from_option, Found, FoundBy, PageLookup};
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
    let c = carry(&page, &tree);
    let at =
        |a: &connect2forge::port::page::Location| format!("{}:{}:{}", a.file, a.line, a.column);
    Summary {
        layout: page.layout.clone(),
        scripts: page
            .scripts
            .iter()
            .map(|s| match s {
                Script::Inline { text, at: a } => {
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
        let found = Found {
            file: "views/page.hbs".into(),
            found_by: if ace { FoundBy::AceRoute } else { FoundBy::StaticFile },
            route_file: None,
            route_line: None,
        };
        let page = split_page(&tree, &found, "/bg/page?x={y}");
        let c = carry(&page, &tree);
        for w in c.warnings.iter().chain(&c.notes) {
            let p = w.position.expect("every warning has a position");
            let text = tree.get(&w.file).expect("warnings name a file of the tree");
            prop_assert!(p.line >= 1 && p.line <= text.split('\n').count(), "{}", w.to_line());
            prop_assert!(p.column >= 1);
        }
        for s in &page.scripts {
            prop_assert!(tree.contains(&s.at().file));
        }
        prop_assert!(c.index_html.contains("<script src=\"./main.js\"></script>"));
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
