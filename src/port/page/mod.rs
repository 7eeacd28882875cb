//! A found page split into what Forge needs: its stylesheets, its body HTML without scripts, its
//! scripts in document order, its inline event handlers and its `<html>`/`<body>` attributes,
//! each with the place it came from.
//!
//! The page is first rendered as its server would, as far as that is static (its layout,
//! partials, includes and fragments put in; [`super::render`], one file per template engine),
//! then read with a WHATWG HTML5 tokenizer ([`html`]), so it is split where a browser would
//! split it: comments, `<template>` content, `<textarea>`/`<xmp>`/`<noscript>` text and
//! `nomodule` scripts never become carried code. Positions still point into the original
//! template files. URLs are resolved as the server would serve them (`resolve`): from its
//! static folders, never above them, `<base href>` honoured, `%20` decoded; known secret files
//! are never carried. Never fails and never panics: what cannot be understood is a warning.

pub(crate) mod css;
pub mod expr;
pub mod html;
mod libs;
mod resolve;
pub(crate) use libs::{cdn_library, npm_release, KNOWN_LIBRARIES};
pub(crate) use resolve::join_url;
pub(crate) use resolve::{percent_decode, Resolution, Resolver};
pub(crate) use split::{encode_path, missing_asset, other_scheme};

/// A URL with the template syntax around it taken off (`{{localBaseUrl}}/x`, `@{/x}`): the
/// local path (`Ok`), the absolute URL on another host (`Err`), or `None` when only a template
/// expression is left.
pub(crate) fn strip_url_template(url: &str) -> Option<Result<String, String>> {
    match libs::strip_template(url) {
        libs::Url::Local(l) => Some(Ok(l)),
        libs::Url::Absolute(a) => Some(Err(a)),
        libs::Url::Template(_) => None,
    }
}
mod split;

use super::discover::Found;
use super::render;
use super::tree::SourceTree;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::Position;

/// A place in an original source file (relative path, 1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    /// Path relative to the source root.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Location {
    /// A warning at this place.
    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            file: self.file.clone(),
            position: Some(Position {
                line: self.line,
                column: self.column,
            }),
            path: None,
            module: None,
            message: message.into(),
        }
    }
}

/// A local file a script or stylesheet URL resolved to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Resolved {
    /// The file in the source tree (`public/js/sla.js`).
    pub path: String,
    /// Its path below the static root it is served from (`js/sla.js`): where it goes under `page/`.
    pub static_path: String,
    /// The URL path it is served at (`/js/sla.js`, not decoded): what the URLs in a stylesheet
    /// resolve against.
    #[serde(skip)]
    pub url_path: String,
}

/// One `<script>` of the page, in document order. `at` is where the `<script` tag starts, except
/// for [`Script::Inline`], where it is where the script's text starts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Script {
    /// An inline block: its text, exactly as in the file.
    Inline {
        /// The script's text.
        text: String,
        /// The tag's `id` and `data-*` attributes, in order: the page's code may read them
        /// (`getElementById('connect-loader').getAttribute('data-options')`), so the tag that
        /// loads the carried file keeps them.
        kept: Vec<(String, String)>,
        /// Where the text starts.
        at: Location,
    },
    /// A local file (`<script src="/js/sla.js">`).
    Local {
        /// The `src` as written.
        src: String,
        /// The file it names, `None` when it is not in the source tree or is refused.
        resolved: Option<Resolved>,
        /// Why it is never carried (a secret file's name, a path the server refuses).
        refused: Option<String>,
        /// Its inline `onload`/`onerror` handlers' id ([`Handler::target`]), if any.
        handlers: Option<u32>,
        /// The tag's place.
        at: Location,
    },
    /// Atlassian's `all.js`: dropped, the compatibility layer replaces it.
    AllJs {
        /// The `src` as written.
        src: String,
        /// The tag's place.
        at: Location,
    },
    /// A well-known library from a public CDN, with its version: becomes an npm dependency.
    Cdn {
        /// The npm package (`jquery`).
        package: String,
        /// The exact version from the URL.
        version: String,
        /// The globals the library defines (`$`, `jQuery`).
        globals: Vec<String>,
        /// The URL as written.
        src: String,
        /// The tag's place.
        at: Location,
    },
    /// Any other absolute URL: kept, and needs `permissions.external.scripts`.
    External {
        /// The URL (`//host/x.js` made `https:`).
        url: String,
        /// Attributes kept on the tag (`integrity`, `crossorigin`, `referrerpolicy`), in order.
        kept: Vec<(String, String)>,
        /// Its inline `onload`/`onerror` handlers' id ([`Handler::target`]), if any.
        handlers: Option<u32>,
        /// The tag's place.
        at: Location,
    },
}

impl Script {
    /// Where the script is in the page.
    pub fn at(&self) -> &Location {
        match self {
            Script::Inline { at, .. }
            | Script::Local { at, .. }
            | Script::AllJs { at, .. }
            | Script::Cdn { at, .. }
            | Script::External { at, .. } => at,
        }
    }
}

/// One stylesheet of the page, in document order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Stylesheet {
    /// `<link rel="stylesheet" href="/css/x.css">` to a local file.
    Local {
        /// The `href` as written.
        href: String,
        /// The file it names, `None` when it is not in the source tree or is refused.
        resolved: Option<Resolved>,
        /// Why it is never carried (a secret file's name, a path the server refuses).
        refused: Option<String>,
        /// The tag's place.
        at: Location,
    },
    /// A stylesheet from another host: kept, and needs `permissions.external.styles`.
    External {
        /// The URL.
        url: String,
        /// Attributes kept on the tag (`integrity`, `crossorigin`, `referrerpolicy`, `media`).
        kept: Vec<(String, String)>,
        /// The tag's place.
        at: Location,
    },
    /// A `<style>` element: its text (carried as a file, as Forge's CSP forbids inline styles).
    Inline {
        /// The style sheet's text.
        text: String,
        /// Where the text starts.
        at: Location,
    },
}

/// A local asset (an image, icon, font or media file) the page's markup names: `<img src>`,
/// `srcset`, `<link rel="icon">`, `<input type="image">`, `<video poster>`, a `style`
/// attribute's `url(...)`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Asset {
    /// The URL as written.
    pub url: String,
    /// The file it names; `None` when it is not carried (then `why` says why).
    pub resolved: Option<Resolved>,
    /// Why it is not carried (not in the source tree, a build output, refused).
    pub why: Option<String>,
    /// The attribute value's place.
    pub at: Location,
}

/// Where an inline event handler listens.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HandlerTarget {
    /// The window: `<body onload>`, `onresize`, `onhashchange`, … (the body's attributes that
    /// stand for the window's events).
    Window,
    /// `document.body` (its other handlers).
    Body,
    /// `document.documentElement`.
    Html,
    /// The element (or carried `<script>`) marked `data-connect2forge-on="N"`.
    Element(u32),
    /// Run once, right after `main.js`: `onload` of all.js or of a CDN library, which
    /// `main.js` replaces.
    AfterMain,
}

/// An inline event handler attribute (`onclick="go()"`): Forge's content security policy
/// blocks them, so they are carried into a script that attaches them, in document order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Handler {
    /// Where it listens.
    pub target: HandlerTarget,
    /// The event (`click`).
    pub event: String,
    /// Its code, as the browser reads the attribute (character references decoded).
    pub code: String,
    /// Where the code starts (the attribute's value).
    pub at: Location,
}

/// A page split into its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Page {
    /// The page's file (the view, for atlassian-connect-express).
    pub file: String,
    /// The template engine that rendered it (`express-hbs`, `jinja`, `static`, …).
    pub engine: String,
    /// The layout it was wrapped in, if any.
    pub layout: Option<String>,
    /// Stylesheets, in document order.
    pub stylesheets: Vec<Stylesheet>,
    /// The body's HTML without scripts and stylesheets (the user's own HTML, kept as it is, but
    /// for inline event handlers, which become `data-connect2forge-on="N"`).
    pub body_html: String,
    /// The attributes of `<html>` (`lang`, `class`, …), handlers taken out.
    pub html_attrs: Vec<(String, String)>,
    /// The attributes of `<body>` (`class`, `data-*`, …), handlers taken out.
    pub body_attrs: Vec<(String, String)>,
    /// Scripts, in document order.
    pub scripts: Vec<Script>,
    /// Inline event handlers, in document order.
    pub handlers: Vec<Handler>,
    /// The indices in `scripts` of `<script type="module">` scripts (carried as modules, their
    /// local import graph bundled by the resource's build).
    pub module_scripts: Vec<usize>,
    /// What was left out on purpose (`nomodule` scripts, scripts inside `<template>`), each
    /// with its place.
    pub dropped: Vec<Diagnostic>,
    /// Local assets the markup names, in document order; the markup's URLs of those found
    /// already point at `./page/<static path>`.
    pub assets: Vec<Asset>,
    /// Images the markup loads from another host (`http(s)://`), each with its place.
    pub external_images: Vec<(String, Location)>,
    /// The `<link rel="icon">` tags of `<head>` as `index.html` writes them (escaped, with the
    /// carried or absolute URL).
    pub head_links: Vec<String>,
    /// What could not be carried as it is, each with its place.
    pub warnings: Vec<Diagnostic>,
    /// The page as its server sends it, as far as that is static (the rendered template): what
    /// `migrate --originals` writes, for the real-app browser measure.
    #[serde(skip)]
    pub rendered: String,
    /// The URL path the page is served at, which its relative URLs resolve against.
    #[serde(skip)]
    pub url: String,
    /// The static folders its server serves local URLs from (relative, ending in `/`, or empty
    /// for the tree's root), in the order they are tried.
    #[serde(skip)]
    pub roots: Vec<String>,
    /// The page's `<base href>` as resolved (an absolute URL path, or a URL on another host).
    #[serde(skip)]
    pub base: Option<String>,
}

/// The source file the page `found`, served at the module URL `url`, names with the script URL
/// `target`, resolved as its `<script src>` URLs are (against the page's URL and the framework's
/// static folders); `None` when no static folder has it or it is refused.
pub fn resolve_url(tree: &SourceTree, found: &Found, url: &str, target: &str) -> Option<String> {
    let framework = found.framework(tree);
    let roots = found.static_roots(tree);
    let resolver = resolve::Resolver {
        tree,
        page_url: page_url(&found.file, url, &roots, framework),
        roots,
        base: None,
        own: Vec::new(),
    };
    match resolver.resolve(target) {
        resolve::Resolution::Found(r) => Some(r.path),
        _ => None,
    }
}

/// The page `found` as served for the module URL `url` (used to resolve relative script URLs;
/// may be empty), split into its parts. Never fails: what cannot be understood is a warning.
pub fn split_page(tree: &SourceTree, found: &Found, url: &str) -> Page {
    split_page_of(tree, found, url, None)
}

/// [`split_page`] for an app whose own address is `base_url` (the descriptor's `baseUrl`): a
/// script or stylesheet the page names by an absolute URL below it (or below the page's
/// `ap-local-base-url` meta) is the app's file, carried from the tree when the tree has it.
pub fn split_page_of(tree: &SourceTree, found: &Found, url: &str, base_url: Option<&str>) -> Page {
    let framework = found.framework(tree);
    let rendered = render::render(tree, &found.file, framework);
    let roots = found.static_roots(tree);
    let served_at = page_url(&found.file, url, &roots, framework);
    let resolver = resolve::Resolver {
        tree,
        page_url: served_at.clone(),
        roots: roots.clone(),
        base: None,
        own: base_url.into_iter().map(str::to_string).collect(),
    };
    let mut page = split::split(&rendered, resolver, &found.file);
    page.url = served_at;
    page.roots = roots;
    page.rendered = rendered.text;
    page
}

/// The page of a component view (a `.jsx` view a server renders): there is no HTML to split,
/// so it is empty but for its file, URL and static folders; the carry writes its `index.html`
/// ([`crate::port::carry::component`]).
pub fn component_page(tree: &SourceTree, found: &Found, url: &str) -> Page {
    let framework = found.framework(tree);
    let roots = found.static_roots(tree);
    Page {
        file: found.file.clone(),
        engine: "component".to_string(),
        url: page_url(&found.file, url, &roots, framework),
        roots,
        ..Page::default()
    }
}

/// The URL path the page is served at: a static page at its file's path below its static
/// folder (that is what the server serves), else the module URL's path.
fn page_url(
    file: &str,
    url: &str,
    roots: &[String],
    framework: super::discover::Framework,
) -> String {
    if framework == super::discover::Framework::Static {
        if let Some(below) = roots
            .iter()
            .filter(|r| !r.is_empty())
            .find_map(|r| file.strip_prefix(r.as_str()))
            .or_else(|| roots.iter().any(|r| r.is_empty()).then_some(file))
        {
            return format!("/{below}");
        }
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let path = path.strip_prefix("{{localBaseUrl}}").unwrap_or(path);
    let path = match path.find("://") {
        Some(i) => path
            .get(i + 3..)
            .and_then(|r| r.find('/').map(|j| &r[j..]))
            .unwrap_or("/"),
        None => path,
    };
    resolve::join_url("/", path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::port::discover::FoundBy;

    fn found(file: &str, by: FoundBy) -> Found {
        Found::new(file, by)
    }

    #[test]
    fn connects_inline_loader_of_all_js_is_all_js() {
        // Connect's documented dynamic loader: all.js from the host named by the page's query.
        let loader = "(function() {\n  var getUrlParam = function (param) {\n    var codedParam = (new RegExp(param + '=([^&]*)')).exec(window.location.search)[1];\n    return decodeURIComponent(codedParam);\n  };\n  var baseUrl = getUrlParam('xdm_e') + getUrlParam('cp');\n  var options = document.getElementById('connect-loader').getAttribute('data-options');\n  var script = document.createElement('script');\n  script.src = baseUrl + '/atlassian-connect/all.js';\n  if (options) { script.setAttribute('data-options', options); }\n  document.getElementsByTagName('head')[0].appendChild(script);\n})();\n";
        // The same loader running the page's code once all.js loaded: the page's own script.
        let waits = loader.replace(
            "document.getElementsByTagName",
            "script.onload = start;\n  document.getElementsByTagName",
        );
        // Its debug build, as Atlassian's older examples wrote it.
        let debug = loader.replace("/all.js'", "/all-debug.js'");
        // A loader that also sets globals the page's other scripts read stays the page's own.
        let global = format!(
            "var base;\n{}",
            loader.replace(
                "document.getElementsByTagName",
                "base = baseUrl;\n  document.getElementsByTagName"
            )
        );
        let window_global = loader.replace(
            "document.getElementsByTagName",
            "window.hostBase = baseUrl;\n  document.getElementsByTagName",
        );
        for (text, dropped) in [
            (loader.to_string(), true),
            (debug, true),
            (waits, false),
            (global, false),
            (window_global, false),
        ] {
            let page = format!("<html><head><script id=\"connect-loader\" data-options=\"sizeToParent:true;\">{text}</script></head><body><p>x</p></body></html>");
            let tree = SourceTree::from_files([("www/p.html", page.as_str())]);
            let split = split_page(&tree, &found("www/p.html", FoundBy::StaticFile), "/p.html");
            assert_eq!(split.scripts.len(), 1);
            assert_eq!(
                matches!(&split.scripts[0], Script::AllJs { at, .. } if at.line == 1),
                dropped,
                "{:?}",
                split.scripts
            );
        }
    }

    #[test]
    fn ace_view_in_layout_keeps_original_positions() {
        let layout = "<!DOCTYPE html>\n<html>\n<head>\n  <link rel=\"stylesheet\" href=\"{{localBaseUrl}}/css/app.css\">\n  <script src=\"{{hostScriptUrl}}\"></script>\n</head>\n<body>\n{{{body}}}\n</body>\n</html>\n";
        let view = "{{!< layout}}\n<div id=\"x\">{{title}}</div>\n<script>\n  var a = 1;\n</script>\n<script src=\"/js/sla.js\"></script>\n";
        let tree = SourceTree::from_files([
            ("views/layout.hbs", layout),
            ("views/sla.hbs", view),
            ("public/js/sla.js", "a++"),
            ("public/css/app.css", "p{}"),
        ]);
        let page = split_page(&tree, &found("views/sla.hbs", FoundBy::AceRoute), "/bg/sla");
        assert_eq!(page.layout.as_deref(), Some("views/layout.hbs"));
        assert_eq!(page.scripts.len(), 3);
        assert!(
            matches!(&page.scripts[0], Script::AllJs { at, .. } if at.file == "views/layout.hbs" && at.line == 5 && at.column == 3)
        );
        match &page.scripts[1] {
            Script::Inline { text, at, .. } => {
                assert_eq!(text, "\n  var a = 1;\n");
                assert_eq!(
                    (at.file.as_str(), at.line, at.column),
                    ("views/sla.hbs", 3, 9)
                );
            }
            other => panic!("{other:?}"),
        }
        match &page.scripts[2] {
            Script::Local {
                resolved: Some(r),
                at,
                ..
            } => {
                assert_eq!(
                    (r.path.as_str(), r.static_path.as_str()),
                    ("public/js/sla.js", "js/sla.js")
                );
                assert_eq!(at.line, 6);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&page.stylesheets[0], Stylesheet::Local { resolved: Some(r), .. } if r.path == "public/css/app.css")
        );
        assert_eq!(page.body_html.trim(), "<div id=\"x\">{{title}}</div>");
        // {{title}} is reported, at its place in the view.
        let w = page
            .warnings
            .iter()
            .find(|w| w.message.contains("1 template expression"))
            .unwrap();
        assert_eq!(
            (
                w.file.as_str(),
                w.position.unwrap().line,
                w.position.unwrap().column
            ),
            ("views/sla.hbs", 2, 13)
        );
    }

    #[test]
    fn script_ends_at_close_tag_inside_a_js_string() {
        let tree = SourceTree::from_files([(
            "p.html",
            "<script>var s = '</script>'; x()</script><p>after</p>",
        )]);
        let page = split_page(&tree, &found("p.html", FoundBy::StaticFile), "/p");
        assert!(matches!(&page.scripts[0], Script::Inline { text, .. } if text == "var s = '"));
        assert_eq!(page.body_html, "'; x()<p>after</p>");
    }

    #[test]
    fn a_frame_showing_another_page_of_the_app_is_named() {
        let html = concat!(
            "<body>\n",
            "<iframe src=\"index.html\"></iframe>\n",
            "<iframe src=\"/inner/editor.html?x=1\">fallback</iframe>\n",
            "<iframe src=\"https://other.example.com/x\"></iframe>\n",
            "<iframe src=\"about:blank\"></iframe><iframe></iframe><iframe src=\"#top\"></iframe>\n",
            "</body>",
        );
        let tree = SourceTree::from_files([
            ("views/p.hbs", html),
            ("public/index.html", "<div id=root></div>"),
        ]);
        let page = split_page(&tree, &found("views/p.hbs", FoundBy::AceRoute), "/p");
        let ws: Vec<_> = page
            .warnings
            .iter()
            .map(|w| {
                assert_eq!(crate::codes::of(w).id, "C2F109", "{}", w.message);
                (w.position.unwrap().line, w.message.as_str())
            })
            .collect();
        assert_eq!(ws.len(), 2, "{ws:?}");
        assert_eq!(ws[0].0, 2);
        assert!(ws[0].1.contains("(public/index.html)"), "{}", ws[0].1);
        assert!(ws[0].1.contains("the carried page itself"), "{}", ws[0].1);
        assert_eq!(ws[1].0, 3);
        assert!(ws[1].1.contains("does not hold it"), "{}", ws[1].1);
        // The frames stay in the markup as they were.
        assert!(page
            .body_html
            .contains("<iframe src=\"index.html\"></iframe>"));
    }

    #[test]
    fn template_expressions_inside_scripts_get_advice() {
        let html = "<script>\nvar base = '{{localBaseUrl}}';\nvar t = \"{{token}}\"; var k = '{{key}}';\n</script>";
        let tree = SourceTree::from_files([("views/p.hbs", html)]);
        let page = split_page(&tree, &found("views/p.hbs", FoundBy::AceRoute), "");
        let ws: Vec<_> = page
            .warnings
            .iter()
            .map(|w| {
                (
                    w.position.unwrap().line,
                    w.position.unwrap().column,
                    w.message.as_str(),
                )
            })
            .collect();
        assert_eq!(ws.len(), 3, "{ws:?}");
        assert_eq!((ws[0].0, ws[0].1), (2, 13));
        assert!(ws[0].2.contains("relative path") && ws[0].2.contains("`connect` remote"));
        assert_eq!((ws[1].0, ws[1].1), (3, 10));
        assert!(ws[1].2.contains("no Connect JWT") && ws[1].2.contains("Forge Invocation Token"));
        assert_eq!((ws[2].0, ws[2].1), (3, 31));
        // A static page is served as it is: `{{` in it is text, not a template.
        let tree = SourceTree::from_files([("p.html", html)]);
        let page = split_page(&tree, &found("p.html", FoundBy::StaticFile), "");
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    }

    /// The page `src/main/resources/templates/p.html` of `tree`, found by a Spring controller.
    fn spring_page(tree: &SourceTree) -> Page {
        split_page(
            tree,
            &found(
                "src/main/resources/templates/p.html",
                FoundBy::SpringController,
            ),
            "/p",
        )
    }

    #[test]
    fn forms_that_submit_to_the_apps_server_are_named() {
        let html = r#"<form method="post" th:action="@{/settings}"><input name="a"></form>
<form action="save" method="POST"></form>
<form method="post"></form>
<form id="js-handled"></form>
<form method="post" onsubmit="return send(this)"></form>
<form id="embed" method="post" action="" style="display: none;"></form>
<form action="https://other.example.com/subscribe"></form>
<form action="javascript:void(0)"></form>"#;
        let tree = SourceTree::from_files([("src/main/resources/templates/p.html", html)]);
        let page = spring_page(&tree);
        let forms: Vec<(usize, String)> = page
            .warnings
            .iter()
            .filter(|w| w.message.contains("this form submits to the app's server"))
            .map(|w| {
                let to = w.message.split(['(', ')']).nth(1).unwrap_or("").to_string();
                (w.position.map_or(0, |p| p.line), to)
            })
            .collect();
        assert_eq!(
            forms,
            [
                (1, "POST @{/settings}".to_string()),
                (2, "POST save".to_string()),
                (3, "POST the page's own URL".to_string()),
            ]
        );
    }

    #[test]
    fn src_kinds() {
        let html = r#"<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>
<script src="//cdnjs.cloudflare.com/ajax/libs/lodash.js/4.17.21/lodash.min.js"></script>
<script src="https://cdn.jsdelivr.net/npm/moment@2.30.1/moment.min.js"></script>
<script src="https://unpkg.com/jquery@3/dist/jquery.js"></script>
<script src="https://connect-cdn.atl-paas.net/all.js"></script>
<script src="https://example.com/widget.js"></script>
<script th:src="@{/js/app.js(v=2)}" src="/static-fallback.js"></script>
<script src="<%= request.getContextPath() %>/js/app.js?v=3"></script>
<script type="text/x-handlebars-template" id="t"><p>{{x}}</p></script>"#;
        let tree = SourceTree::from_files([
            ("src/main/resources/templates/p.html", html),
            ("src/main/resources/static/js/app.js", "x"),
        ]);
        let page = spring_page(&tree);
        let kinds: Vec<String> = page
            .scripts
            .iter()
            .map(|s| match s {
                Script::Cdn {
                    package,
                    version,
                    globals,
                    ..
                } => format!("cdn {package}@{version} {}", globals.join(",")),
                Script::External { url, .. } => format!("external {url}"),
                Script::AllJs { .. } => "all.js".into(),
                Script::Local { resolved, .. } => {
                    format!("local {:?}", resolved.as_ref().map(|r| &r.path))
                }
                Script::Inline { .. } => "inline".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "cdn jquery@3.7.1 $,jQuery",
                "cdn lodash@4.17.21 _",
                "cdn moment@2.30.1 moment",
                "external https://unpkg.com/jquery@3/dist/jquery.js",
                "all.js",
                "external https://example.com/widget.js",
                "local Some(\"src/main/resources/static/js/app.js\")",
                "local Some(\"src/main/resources/static/js/app.js\")",
            ]
        );
        assert!(page.warnings.iter().any(
            |w| w.message.contains("without an exact version") && w.position.unwrap().line == 4
        ));
        assert!(page.body_html.contains("text/x-handlebars-template"));
    }

    #[test]
    fn raw_text_with_several_end_tag_lookalikes_stays_whole() {
        // HTML strings in an inline script, and a client-side template with markup: the
        // tokenizer reads their text in several runs; all of it is the script's text, and the
        // template is kept with its end tag (the scripts after it still load).
        let html = "<html><body>\n<script>\nvar a = \"<b>a</b>\" + \"<i>b</i>\";\nAP.events.emit('y');\n</script>\n<script type=\"text/template\" id=\"t\">\n<b>a</b> <b>b</b>\n</script>\n<script src=\"/js/x.js\"></script>\n</body></html>\n";
        let tree = SourceTree::from_files([("www/p.html", html), ("www/js/x.js", "x")]);
        let page = split_page(&tree, &found("www/p.html", FoundBy::StaticFile), "/p.html");
        match &page.scripts[0] {
            Script::Inline { text, .. } => assert_eq!(
                text,
                "\nvar a = \"<b>a</b>\" + \"<i>b</i>\";\nAP.events.emit('y');\n"
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(&page.scripts[1], Script::Local { src, .. } if src == "/js/x.js"));
        assert_eq!(page.scripts.len(), 2, "{:?}", page.scripts);
        assert!(
            page.body_html
                .contains("<script type=\"text/template\" id=\"t\">\n<b>a</b> <b>b</b>\n</script>"),
            "{}",
            page.body_html
        );
        assert!(!page.body_html.contains("<i>"), "{}", page.body_html);
    }

    #[test]
    fn relative_sources_resolve_against_the_url_folder_then_the_page() {
        let tree = SourceTree::from_files([
            (
                "www/bg/page.html",
                "<script src=\"js/a.js\"></script><script src=\"../shared.js\"></script>",
            ),
            ("www/bg/js/a.js", "a"),
            ("www/shared.js", "s"),
        ]);
        let page = split_page(
            &tree,
            &found("www/bg/page.html", FoundBy::StaticFile),
            "/bg/page.html",
        );
        let paths: Vec<_> = page
            .scripts
            .iter()
            .map(|s| match s {
                Script::Local {
                    resolved: Some(r), ..
                } => (r.path.clone(), r.static_path.clone()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            paths,
            [
                ("www/bg/js/a.js".into(), "bg/js/a.js".into()),
                ("www/shared.js".into(), "shared.js".into())
            ]
        );
    }

    #[test]
    fn comments_hide_scripts_and_head_content_is_dropped() {
        let html = "<html><head><title>T</title><style>p{color:red}</style></head><body class=x><!-- <script>no()</script> -->{{!-- <script>no()</script> --}}<p onclick=\"go()\">x</p></body></html>";
        let tree = SourceTree::from_files([("views/p.hbs", html)]);
        let page = split_page(&tree, &found("views/p.hbs", FoundBy::AceRoute), "");
        assert!(page.scripts.is_empty());
        assert!(
            matches!(&page.stylesheets[0], Stylesheet::Inline { text, .. } if text == "p{color:red}")
        );
        assert_eq!(
            page.body_html,
            "<!-- <script>no()</script> --><p data-connect2forge-on=\"1\">x</p>"
        );
        assert_eq!(page.body_attrs, [("class".to_string(), "x".to_string())]);
        assert_eq!(page.handlers.len(), 1);
        assert_eq!(
            (
                page.handlers[0].event.as_str(),
                page.handlers[0].code.as_str()
            ),
            ("click", "go()")
        );
    }

    #[test]
    fn one_huge_line_of_scripts_is_split_in_linear_time() {
        // 40,000 scripts with a template expression each, on one 1 MB line: columns are counted
        // on from the previous position (quadratic counting from the line start takes minutes).
        let html = "<script>f('{{x}}')</script>".repeat(40_000);
        let tree = SourceTree::from_files([("views/p.hbs", html.as_str())]);
        let page = split_page(&tree, &found("views/p.hbs", FoundBy::AceRoute), "");
        assert_eq!(page.scripts.len(), 40_000);
        let last = page.warnings.last().unwrap().position.unwrap();
        assert_eq!((last.line, last.column), (1, 27 * 39_999 + 12));
    }

    #[test]
    fn thymeleaf_inline_expressions_are_named_in_scripts() {
        let t = "src/main/resources/templates/p.html";
        let html = "<script th:inline=\"javascript\">var a = [[1], [2]]; var k = /*[[${issueKey}]]*/ 'X';</script>";
        let tree = SourceTree::from_files([(t, html)]);
        let page = split_page(&tree, &found(t, FoundBy::SpringController), "/p");
        let ws: Vec<_> = page
            .warnings
            .iter()
            .map(|w| (w.position.unwrap().column, w.message.as_str()))
            .collect();
        assert_eq!(ws.len(), 1, "{ws:?}");
        assert_eq!(ws[0].0, 62);
        assert!(ws[0].1.contains("[[${issueKey}]]"));
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        for html in [
            "<",
            "<script",
            "<script>",
            "<scr",
            "<a href='",
            "{{",
            "{{#if}}<script src=x>",
            "</",
            "<!--",
            "<%",
            "<script src=\"{{x}}",
            "é<é>{é}",
            "<img srcset=\"é,, /a.png 1x,é (,\" style=\"background:url('é\">",
            "<img src=\"data:x\" srcset=\",,,\"><link rel=icon href><input type=image src=\"%ff\">",
        ] {
            let tree = SourceTree::from_files([("p.html", html)]);
            let _ = split_page(&tree, &found("p.html", FoundBy::StaticFile), "/é?");
        }
    }
}
