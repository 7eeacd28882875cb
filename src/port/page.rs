//! A found page split into what Forge needs: its stylesheets, its body HTML without scripts, and
//! its scripts in document order, each with the place it came from.
//!
//! An atlassian-connect-express view is first wrapped in its layout (`{{!< layout}}`, or the
//! default `views/layout.hbs` when it has `{{{body}}}`), as express-hbs does; positions still
//! point into the original files. The HTML is read by a small scanner written for this job
//! rather than an HTML5 parser crate: what matters here is exact byte offsets into template
//! files that are not valid HTML (`{{#if}}`, `th:*`, `<%= %>` around and inside tags), which a
//! conforming parser would normalise away. It follows the browser where it matters: a script's
//! text ends at the first `</script` whatever JS string it is in; comments hide scripts. It never
//! panics and is linear in the input.
//!
//! The patterns use ASCII classes (`[[:word:]]`, `[[:space:]]`, `(?-u:\b)`): the source they read
//! is code, and Unicode `\w`/`\s` compile into automata large enough to slow a whole small run
//! (docs/performance.md).

use std::sync::LazyLock;

use regex::Regex;

use super::discover::{join_normalized, Found, Framework};
use super::tree::SourceTree;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{Position, SourceText};

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
        /// Where the text starts.
        at: Location,
    },
    /// A local file (`<script src="/js/sla.js">`).
    Local {
        /// The `src` as written.
        src: String,
        /// The file it names, `None` when it is not in the source tree.
        resolved: Option<Resolved>,
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
        /// The file it names, `None` when it is not in the source tree.
        resolved: Option<Resolved>,
        /// The tag's place.
        at: Location,
    },
    /// A stylesheet from another host: kept, and needs `permissions.external.styles`.
    External {
        /// The URL.
        url: String,
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

/// A page split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Page {
    /// The page's file (the view, for atlassian-connect-express).
    pub file: String,
    /// The layout it was wrapped in, if any.
    pub layout: Option<String>,
    /// Stylesheets, in document order.
    pub stylesheets: Vec<Stylesheet>,
    /// The body's HTML without scripts and stylesheets (the user's own HTML, kept as it is).
    pub body_html: String,
    /// Scripts, in document order.
    pub scripts: Vec<Script>,
    /// What could not be carried as it is, each with its place.
    pub warnings: Vec<Diagnostic>,
}

/// The page `found` as served for the module URL `url` (used to resolve relative script URLs;
/// may be empty), split into its parts. Never fails: what cannot be understood is a warning.
pub fn split_page(tree: &SourceTree, found: &Found, url: &str) -> Page {
    let framework = found.framework(tree);
    let text = tree.get(&found.file).unwrap_or("");
    let mut warnings = Vec::new();
    // Only a Handlebars view has a layout (an ACE route may also send a plain HTML file).
    let view = found.file.ends_with(".hbs") || found.file.ends_with(".handlebars");
    let (doc, layout) = if framework == Framework::Ace && view {
        compose_ace(tree, &found.file, text, &mut warnings)
    } else {
        let mut doc = Doc::default();
        doc.push(&found.file, text, 0, text);
        (doc, None)
    };
    let resolver = Resolver {
        tree,
        roots: found.static_roots(tree),
        url_folder: url_folder(url),
        page_folder: found
            .file
            .rfind('/')
            .and_then(|i| found.file.get(..=i))
            .unwrap_or("")
            .to_string(),
    };
    let mut page = Page {
        file: found.file.clone(),
        layout,
        stylesheets: Vec::new(),
        body_html: String::new(),
        scripts: Vec::new(),
        warnings,
    };
    Scanner {
        doc: &doc,
        resolver: &resolver,
        page: &mut page,
        body_templates: Vec::new(),
        block_depth: 0,
        inline_handler: None,
    }
    .run();
    page
}

// ---- the composed document ------------------------------------------------------------------

/// The page's text as served (a view inside its layout), remembering which file and offset each
/// part came from.
#[derive(Default)]
struct Doc {
    text: String,
    /// (start in `text`, file index, start in the file)
    segments: Vec<(usize, usize, usize)>,
    files: Vec<SourceText>,
    /// Per file, the last offset asked for and its position: the scanner asks in increasing
    /// order, so a column is counted from the previous one, not from the line start (a page of
    /// one huge line would otherwise cost quadratic time).
    last: std::cell::RefCell<Vec<Option<(usize, Position)>>>,
}

impl Doc {
    /// Appends `part`, which starts at `orig_start` of `source` (the whole text of `file`).
    fn push(&mut self, file: &str, source: &str, orig_start: usize, part: &str) {
        let idx = match self.files.iter().position(|f| f.name == file) {
            Some(i) => i,
            None => {
                self.files.push(SourceText::new(file, source.to_string()));
                self.files.len() - 1
            }
        };
        self.segments.push((self.text.len(), idx, orig_start));
        self.text.push_str(part);
    }

    /// The position of `offset` in file `idx`, counted on from the last one asked when possible.
    fn position(&self, idx: usize, src: &SourceText, offset: usize) -> Position {
        let offset = offset.min(src.text.len());
        let mut last = self.last.borrow_mut();
        if last.len() < self.files.len() {
            last.resize(self.files.len(), None);
        }
        let cached = last.get(idx).copied().flatten();
        let p = match cached {
            Some((at, p)) if at <= offset => match src.text.get(at..offset) {
                Some(between) if !between.contains('\n') => Position {
                    line: p.line,
                    column: p.column + between.chars().count(),
                },
                _ => src.position(offset),
            },
            _ => src.position(offset),
        };
        if let Some(slot) = last.get_mut(idx) {
            *slot = Some((offset, p));
        }
        p
    }

    fn location(&self, offset: usize) -> Location {
        // The last segment starting at or before `offset` (an empty segment yields to the next).
        let i = self
            .segments
            .partition_point(|s| s.0 <= offset)
            .saturating_sub(1);
        match (
            self.segments.get(i),
            self.segments.get(i).and_then(|s| self.files.get(s.1)),
        ) {
            (Some(&(start, s_idx, orig)), Some(src)) => {
                let p = self.position(s_idx, src, orig + offset.saturating_sub(start));
                Location {
                    file: src.name.clone(),
                    line: p.line,
                    column: p.column,
                }
            }
            _ => Location {
                file: String::new(),
                line: 1,
                column: 1,
            },
        }
    }
}

static LAYOUT_DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{!<[[:space:]]*([[:word:]./-]+)[[:space:]]*\}\}")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// The view wrapped in its layout, as express-hbs renders it.
fn compose_ace(
    tree: &SourceTree,
    file: &str,
    view: &str,
    warnings: &mut Vec<Diagnostic>,
) -> (Doc, Option<String>) {
    let mut doc = Doc::default();
    let directive = LAYOUT_DIRECTIVE.captures(view);
    let (layout_name, directive_span) = match &directive {
        Some(c) => (
            c.get(1)
                .map(|m| m.as_str().trim_end_matches(".hbs").to_string()),
            c.get(0).map(|m| (m.start(), m.end())),
        ),
        None => (None, None),
    };
    let layout_path = match &layout_name {
        Some(name) => Some(format!("views/{name}.hbs")),
        None => Some("views/layout.hbs".to_string())
            .filter(|p| tree.get(p).is_some_and(|t| t.contains("{{{body}}}"))),
    };
    let layout_text = layout_path.as_deref().and_then(|p| tree.get(p));
    let push_view = |doc: &mut Doc| match directive_span {
        Some((s, e)) => {
            doc.push(file, view, 0, view.get(..s).unwrap_or(""));
            doc.push(file, view, e, view.get(e..).unwrap_or(""));
        }
        None => doc.push(file, view, 0, view),
    };
    let used = match (layout_path, layout_text) {
        (Some(lp), Some(lt)) => match lt.find("{{{body}}}") {
            Some(b) => {
                doc.push(&lp, lt, 0, lt.get(..b).unwrap_or(""));
                push_view(&mut doc);
                let after = b + "{{{body}}}".len();
                doc.push(&lp, lt, after, lt.get(after..).unwrap_or(""));
                Some(lp)
            }
            None => {
                warnings.push(
                    Location {
                        file: lp.clone(),
                        line: 1,
                        column: 1,
                    }
                    .warning(format!(
                        "layout {lp} has no {{{{{{body}}}}}}: the view is carried without it"
                    )),
                );
                push_view(&mut doc);
                None
            }
        },
        (Some(lp), None) => {
            let at = directive_span.map_or(0, |(s, _)| s);
            let src = SourceText::new(file, view.to_string());
            let p = src.position(at);
            warnings.push(
                Location { file: file.to_string(), line: p.line, column: p.column }
                    .warning(format!("the view names layout {lp}, which is not in the source tree: the view is carried without it")),
            );
            push_view(&mut doc);
            None
        }
        _ => {
            push_view(&mut doc);
            None
        }
    };
    (doc, used)
}

// ---- resolving URLs -------------------------------------------------------------------------

struct Resolver<'t> {
    tree: &'t SourceTree,
    roots: Vec<String>,
    url_folder: String,
    page_folder: String,
}

/// The folder of a module URL's path (`/bg/sla?x` → `bg/`).
fn url_folder(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let path = path.strip_prefix("{{localBaseUrl}}").unwrap_or(path);
    match path.rfind('/') {
        Some(i) => path
            .get(..=i)
            .unwrap_or("")
            .trim_start_matches('/')
            .to_string(),
        None => String::new(),
    }
}

impl Resolver<'_> {
    /// The local file a (template-stripped) URL names.
    fn resolve(&self, url: &str) -> Option<Resolved> {
        let url = url.split(['?', '#']).next().unwrap_or("");
        let mut tries: Vec<String> = Vec::new();
        if let Some(abs) = url.strip_prefix('/') {
            tries.extend(join_normalized("", abs));
        } else {
            tries.extend(join_normalized(&self.url_folder, url));
            tries.extend(join_normalized("", url));
        }
        for rel in &tries {
            for root in &self.roots {
                let path = format!("{root}{rel}");
                if self.tree.contains(&path) {
                    return Some(Resolved {
                        path,
                        static_path: rel.clone(),
                    });
                }
            }
        }
        // `/static/js/x.js` (Flask) or `/www/js/x.js`: the URL already names a static root.
        if let Some(abs) = url.strip_prefix('/').and_then(|u| join_normalized("", u)) {
            for root in self.roots.iter().filter(|r| !r.is_empty()) {
                if let Some(below) = abs.strip_prefix(root.as_str()) {
                    if self.tree.contains(&abs) {
                        return Some(Resolved {
                            path: abs.clone(),
                            static_path: below.to_string(),
                        });
                    }
                }
            }
        }
        // Relative to the page file itself (a static page beside its scripts).
        let path = join_normalized(&self.page_folder, url.trim_start_matches('/'))?;
        if self.tree.contains(&path) {
            let static_path = self
                .roots
                .iter()
                .filter(|r| !r.is_empty())
                .find_map(|r| path.strip_prefix(r.as_str()))
                .unwrap_or(&path)
                .to_string();
            return Some(Resolved { path, static_path });
        }
        None
    }
}

/// What a `src`/`href` is once template prefixes are stripped.
enum Url {
    /// Nothing left to resolve (the whole value is a template expression).
    Template(String),
    /// `http(s)://...`.
    Absolute(String),
    /// A path on the app's own server.
    Local(String),
}

static URL_FOR_STATIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\{\{[[:space:]]*url_for\([[:space:]]*['"]static['"][[:space:]]*,[[:space:]]*filename[[:space:]]*=[[:space:]]*['"]([^'"]+)['"][[:space:]]*\)[[:space:]]*\}\}$"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Strips what a template prefixes a URL with: `{{localBaseUrl}}`, `<%= ctx %>`, `${ctx}`,
/// Thymeleaf's `@{/x}`, Flask's `{{ url_for('static', filename='x') }}`.
fn strip_template(value: &str) -> Url {
    let mut v = value.trim();
    if let Some(c) = URL_FOR_STATIC.captures(v) {
        return Url::Local(format!("/static/{}", c.get(1).map_or("", |m| m.as_str())));
    }
    if let Some(inner) = v.strip_prefix("@{").and_then(|s| s.strip_suffix('}')) {
        // `@{/js/x.js(v=${version})}`: the parameters are not part of the path.
        v = inner.split('(').next().unwrap_or(inner);
    }
    loop {
        let end = if v.starts_with("{{") {
            v.find("}}").map(|i| i + 2)
        } else if v.starts_with("<%") {
            v.find("%>").map(|i| i + 2)
        } else if v.starts_with("${") || v.starts_with("#{") {
            v.find('}').map(|i| i + 1)
        } else {
            break;
        };
        match end {
            Some(e) => v = v.get(e..).unwrap_or(""),
            None => return Url::Template(value.to_string()),
        }
    }
    if v.is_empty() || v.contains("{{") || v.contains("<%") || v.contains("${") {
        return Url::Template(value.to_string());
    }
    if let Some(rest) = v.strip_prefix("//") {
        return Url::Absolute(format!("https://{rest}"));
    }
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Url::Absolute(v.to_string());
    }
    Url::Local(v.to_string())
}

/// Whether a script URL is Atlassian's `all.js` (or a local copy of it).
fn is_all_js(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or("");
    lower.contains("connect-cdn.atl-paas.net")
        || lower.contains("hostscripturl")
        || lower.contains("atlassianconnectalljsurl")
        || lower.contains("/atlassian-connect/all")
        || matches!(name, "all.js" | "all-debug.js" | "all.min.js")
}

/// Libraries carried as npm dependencies: package and the globals the page uses.
const KNOWN_LIBRARIES: &[(&str, &[&str])] = &[
    ("jquery", &["$", "jQuery"]),
    ("lodash", &["_"]),
    ("underscore", &["_"]),
    ("moment", &["moment"]),
];

static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[[:digit:]]+\.[[:digit:]]+\.[[:digit:]]+(?:-[0-9A-Za-z.-]+)?$")
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static JQUERY_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^/jquery-([[:digit:]]+\.[[:digit:]]+\.[[:digit:]]+)(?:\.slim)?(?:\.min)?\.js$")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// A well-known library on a public CDN: `(package, version)`. `Err(package)` when it is one
/// but the URL has no exact version.
fn cdn_library(url: &str) -> Option<Result<(&'static str, String), &'static str>> {
    let rest = url.split_once("://")?.1;
    let (host, path) = rest.split_at(rest.find('/')?);
    let path = path.split(['?', '#']).next().unwrap_or("");
    let host = host.to_ascii_lowercase();
    let known = |name: &str| -> Option<&'static str> {
        let name = name.trim_end_matches(".js");
        KNOWN_LIBRARIES.iter().map(|(p, _)| *p).find(|p| *p == name)
    };
    let (package, version): (&'static str, &str) = match host.as_str() {
        "code.jquery.com" => ("jquery", JQUERY_FILE.captures(path)?.get(1)?.as_str()),
        "cdnjs.cloudflare.com" | "ajax.googleapis.com" => {
            let mut parts = path.strip_prefix("/ajax/libs/")?.split('/');
            (known(parts.next()?)?, parts.next()?)
        }
        "cdn.jsdelivr.net" | "unpkg.com" => {
            let spec = path
                .strip_prefix("/npm/")
                .unwrap_or(path.trim_start_matches('/'));
            let spec = spec.split('/').next()?;
            match spec.split_once('@') {
                Some((name, v)) => (known(name)?, v),
                None => return Some(Err(known(spec)?)),
            }
        }
        _ => return None,
    };
    if VERSION.is_match(version) {
        Some(Ok((package, version.to_string())))
    } else {
        Some(Err(package))
    }
}

// ---- the scanner ----------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Before `<head>`/`<body>`: content counts as body (a view fragment has neither).
    Start,
    Head,
    Body,
}

struct Scanner<'a, 't> {
    doc: &'a Doc,
    resolver: &'a Resolver<'t>,
    page: &'a mut Page,
    /// Offsets of template expressions left in the body HTML.
    body_templates: Vec<usize>,
    /// `{{#block}}` nesting at the current point.
    block_depth: usize,
    /// The first inline event handler attribute (`onclick=`) in the body.
    inline_handler: Option<(usize, String)>,
}

/// A start tag: its name (lower case), attributes, and where it ends.
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    end: usize,
}

/// Elements that may stay in `<head>`; any other start tag ends it, as in a browser.
const HEAD_ELEMENTS: &[&str] = &[
    "title", "meta", "link", "script", "style", "base", "noscript", "template",
];

/// Most template-expression warnings per script; the rest are counted in one more.
const MAX_EXPRESSION_WARNINGS: usize = 10;

impl Scanner<'_, '_> {
    fn text(&self) -> &str {
        &self.doc.text
    }

    fn run(&mut self) {
        let len = self.text().len();
        let mut mode = Mode::Start;
        let mut i = 0;
        while i < len {
            let bytes = self.doc.text.as_bytes();
            let Some(next) =
                memchr::memchr2(b'<', b'{', bytes.get(i..).unwrap_or(&[])).map(|n| n + i)
            else {
                self.keep(mode, i, len);
                break;
            };
            self.keep(mode, i, next);
            i = next;
            if bytes.get(i) == Some(&b'{') {
                i = self.template(mode, i);
                continue;
            }
            let rest = bytes.get(i..).unwrap_or(&[]);
            if rest.starts_with(b"<!--") {
                let end = find(bytes, i + 4, b"-->").map_or(len, |e| e + 3);
                self.keep(mode, i, end);
                i = end;
            } else if rest.starts_with(b"<%") {
                let end = find(bytes, i + 2, b"%>").map_or(len, |e| e + 2);
                if mode != Mode::Head {
                    self.body_templates.push(i);
                }
                self.keep(mode, i, end);
                i = end;
            } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
                // A doctype or processing instruction: Forge's index.html has its own.
                i = memchr::memchr(b'>', rest).map_or(len, |e| i + e + 1);
            } else if rest.starts_with(b"</") {
                let name_end = name_end(bytes, i + 2);
                let name = self
                    .text()
                    .get(i + 2..name_end)
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let end =
                    memchr::memchr(b'>', bytes.get(i..).unwrap_or(&[])).map_or(len, |e| i + e + 1);
                match name.as_str() {
                    "head" => mode = Mode::Body,
                    // A stray `</script>` (after a script ended inside a JS string) is
                    // ignored by a browser, as are these.
                    "body" | "html" | "script" | "style" => {}
                    _ => self.keep(mode, i, end),
                }
                i = end;
            } else if rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
                let Some(tag) = self.start_tag(i) else {
                    // Unclosed tag to the end: text, as a browser drops it.
                    self.keep(mode, i, len);
                    break;
                };
                i = self.element(&mut mode, i, tag);
            } else {
                self.keep(mode, i, i + 1);
                i += 1;
            }
        }
        self.finish();
    }

    /// Keeps `start..end` of the document in the body HTML (when not in `<head>`).
    fn keep(&mut self, mode: Mode, start: usize, end: usize) {
        if mode != Mode::Head && end > start {
            if let Some(s) = self.doc.text.get(start..end) {
                self.page.body_html.push_str(s);
            }
        }
    }

    /// A `{` in text: a template expression or comment, or a plain brace.
    fn template(&mut self, mode: Mode, i: usize) -> usize {
        let bytes = self.doc.text.as_bytes();
        let len = bytes.len();
        let rest = bytes.get(i..).unwrap_or(&[]);
        if !rest.starts_with(b"{{") {
            self.keep(mode, i, i + 1);
            return i + 1;
        }
        if rest.starts_with(b"{{!--") {
            // A Handlebars comment: not part of the page.
            return find(bytes, i + 5, b"--}}").map_or(len, |e| e + 4);
        }
        if rest.starts_with(b"{{!") {
            return find(bytes, i + 3, b"}}").map_or(len, |e| e + 2);
        }
        let end = find(bytes, i + 2, b"}}").map_or(len, |e| e + 2);
        let inner = self
            .text()
            .get(i + 2..end.saturating_sub(2).max(i + 2))
            .unwrap_or("")
            .trim_start_matches('{');
        if inner.starts_with('#') {
            self.block_depth += 1;
        } else if inner.starts_with('/') {
            self.block_depth = self.block_depth.saturating_sub(1);
        }
        if mode != Mode::Head {
            self.body_templates.push(i);
        }
        self.keep(mode, i, end);
        end
    }

    /// Parses the start tag at `i`; `None` when it never closes.
    fn start_tag(&self, i: usize) -> Option<Tag> {
        let bytes = self.doc.text.as_bytes();
        let ne = name_end(bytes, i + 1);
        let name = self.text().get(i + 1..ne)?.to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut j = ne;
        loop {
            while bytes
                .get(j)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
            {
                j += 1;
            }
            match bytes.get(j)? {
                b'>' => {
                    return Some(Tag {
                        name,
                        attrs,
                        end: j + 1,
                    })
                }
                b'{' if bytes.get(j + 1) == Some(&b'{') => {
                    // `{{#if x}}checked{{/if}}` between attributes.
                    j = find(bytes, j + 2, b"}}")? + 2;
                    continue;
                }
                b'<' if bytes.get(j + 1) == Some(&b'%') => {
                    j = find(bytes, j + 2, b"%>")? + 2;
                    continue;
                }
                _ => {}
            }
            let an_start = j;
            while bytes.get(j).is_some_and(|b| {
                !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/' | b'"' | b'\'')
            }) {
                j += 1;
            }
            if j == an_start {
                // A stray quote: skip it.
                j += 1;
                continue;
            }
            let an = self.text().get(an_start..j)?.to_ascii_lowercase();
            while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            let mut value = String::new();
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                match bytes.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = memchr::memchr(q, bytes.get(j + 1..)?)? + j + 1;
                        value = self.text().get(j + 1..close)?.to_string();
                        j = close + 1;
                    }
                    _ => {
                        let vs = j;
                        while let Some(&b) = bytes.get(j) {
                            if b.is_ascii_whitespace() || b == b'>' {
                                break;
                            }
                            // An unquoted `{{x}}` or `<%= x %>` value holds its own end.
                            if b == b'{' && bytes.get(j + 1) == Some(&b'{') {
                                j = find(bytes, j + 2, b"}}")? + 2;
                            } else if b == b'<' && bytes.get(j + 1) == Some(&b'%') {
                                j = find(bytes, j + 2, b"%>")? + 2;
                            } else {
                                j += 1;
                            }
                        }
                        value = self.text().get(vs..j)?.to_string();
                    }
                }
            }
            attrs.push((an, value));
        }
    }

    /// Handles the element whose start tag is at `i`; returns where scanning goes on.
    fn element(&mut self, mode: &mut Mode, i: usize, tag: Tag) -> usize {
        let attr = |n: &str| {
            tag.attrs
                .iter()
                .find(|(a, _)| a == n)
                .map(|(_, v)| v.as_str())
        };
        match tag.name.as_str() {
            "html" => return tag.end,
            "head" => {
                *mode = Mode::Head;
                return tag.end;
            }
            "body" => {
                *mode = Mode::Body;
                return tag.end;
            }
            _ => {}
        }
        if *mode == Mode::Head && !HEAD_ELEMENTS.contains(&tag.name.as_str()) {
            *mode = Mode::Body;
        }
        match tag.name.as_str() {
            "script" => {
                let (content_end, end) =
                    raw_text_end(self.doc.text.as_bytes(), tag.end, b"</script");
                let ty = attr("type").unwrap_or("").trim().to_ascii_lowercase();
                let js = matches!(
                    ty.as_str(),
                    "" | "text/javascript"
                        | "application/javascript"
                        | "module"
                        | "text/ecmascript"
                        | "application/ecmascript"
                );
                if !js {
                    // A template block (`text/x-handlebars-template`) or data: HTML, kept.
                    self.keep(*mode, i, end);
                    return end;
                }
                let at = self.doc.location(i);
                if self.block_depth > 0 {
                    self.page.warnings.push(at.warning(
                        "this script is inside a template block ({{#if}}/{{#each}}): it is carried unconditionally, once",
                    ));
                }
                if ty == "module" {
                    self.page.warnings.push(at.warning(
                        "a module script is carried as a classic script; its imports of local files are not followed",
                    ));
                }
                let src = attr("th:src").or(attr("data-th-src")).or(attr("src"));
                match src {
                    Some(src) => {
                        if let Some(options) = attr("data-options").filter(|_| is_all_js(src)) {
                            self.page.warnings.push(at.warning(format!(
                                "all.js options \"{}\" have no effect on Forge (a background script has no frame to size)",
                                shorten(options)
                            )));
                        }
                        self.script_src(src, at)
                    }
                    None => {
                        let text = self
                            .text()
                            .get(tag.end..content_end)
                            .unwrap_or("")
                            .to_string();
                        let text_at = self.doc.location(tag.end);
                        self.expressions_in_script(
                            tag.end,
                            &text,
                            tag.attrs.iter().any(|(a, _)| a == "th:inline"),
                        );
                        if !text.trim().is_empty() {
                            self.page.scripts.push(Script::Inline { text, at: text_at });
                        }
                    }
                }
                end
            }
            "style" => {
                let (content_end, end) =
                    raw_text_end(self.doc.text.as_bytes(), tag.end, b"</style");
                let text = self
                    .text()
                    .get(tag.end..content_end)
                    .unwrap_or("")
                    .to_string();
                if !text.trim().is_empty() {
                    let at = self.doc.location(tag.end);
                    self.page.stylesheets.push(Stylesheet::Inline { text, at });
                }
                end
            }
            "link"
                if attr("rel").is_some_and(|r| {
                    r.to_ascii_lowercase()
                        .split_whitespace()
                        .any(|w| w == "stylesheet")
                }) =>
            {
                let at = self.doc.location(i);
                let href = attr("th:href")
                    .or(attr("data-th-href"))
                    .or(attr("href"))
                    .unwrap_or("");
                match strip_template(href) {
                    Url::Absolute(url) => self.page.stylesheets.push(Stylesheet::External { url, at }),
                    Url::Local(local) => {
                        let resolved = self.resolver.resolve(&local);
                        self.page.stylesheets.push(Stylesheet::Local { href: href.to_string(), resolved, at });
                    }
                    Url::Template(_) => self.page.warnings.push(at.warning(format!(
                        "stylesheet href \"{}\" is a template expression the tool cannot evaluate: not carried",
                        shorten(href)
                    ))),
                }
                tag.end
            }
            _ => {
                if *mode != Mode::Head && self.inline_handler.is_none() {
                    if let Some((a, _)) = tag
                        .attrs
                        .iter()
                        .find(|(a, _)| a.len() > 2 && a.starts_with("on"))
                    {
                        self.inline_handler = Some((i, a.clone()));
                    }
                }
                if *mode != Mode::Head {
                    // `<div data-issue="{{key}}">`, `th:text="${x}"`: template syntax in a tag.
                    let raw = self.text().get(i..tag.end).unwrap_or("");
                    let first = ["{{", "<%", "${", " th:", " data-th-"]
                        .iter()
                        .filter_map(|m| raw.get(1..).and_then(|r| r.find(m)).map(|k| k + 1))
                        .min();
                    if let Some(k) = first {
                        self.body_templates
                            .push(i + k + usize::from(raw.get(k..k + 1) == Some(" ")));
                    }
                }
                self.keep(*mode, i, tag.end);
                tag.end
            }
        }
    }

    fn script_src(&mut self, src: &str, at: Location) {
        if is_all_js(src) {
            self.page.scripts.push(Script::AllJs {
                src: src.to_string(),
                at,
            });
            return;
        }
        match strip_template(src) {
            Url::Template(t) => self.page.warnings.push(at.warning(format!(
                "script src \"{}\" is a template expression the tool cannot evaluate: not carried",
                shorten(&t)
            ))),
            Url::Absolute(url) => match cdn_library(&url) {
                Some(Ok((package, version))) => {
                    let globals = KNOWN_LIBRARIES
                        .iter()
                        .find(|(p, _)| *p == package)
                        .map(|(_, g)| g.iter().map(|s| s.to_string()).collect())
                        .unwrap_or_default();
                    self.page.scripts.push(Script::Cdn {
                        package: package.to_string(),
                        version,
                        globals,
                        src: src.to_string(),
                        at,
                    });
                }
                Some(Err(package)) => {
                    self.page.warnings.push(at.warning(format!(
                        "{package} is loaded from a CDN without an exact version: it stays an external script; put the version in the URL (or add {package} to package.json) to have it bundled"
                    )));
                    self.page.scripts.push(Script::External { url, at });
                }
                None => self.page.scripts.push(Script::External { url, at }),
            },
            Url::Local(local) => {
                if is_all_js(&local) {
                    self.page.scripts.push(Script::AllJs {
                        src: src.to_string(),
                        at,
                    });
                    return;
                }
                let resolved = self.resolver.resolve(&local);
                self.page.scripts.push(Script::Local {
                    src: src.to_string(),
                    resolved,
                    at,
                });
            }
        }
    }

    /// Warns about each template expression inside an inline script's text (at `start`).
    fn expressions_in_script(&mut self, start: usize, text: &str, thymeleaf_inline: bool) {
        let mut found = 0usize;
        let mut last = None;
        for (offset, expr) in template_expressions(text, thymeleaf_inline) {
            found += 1;
            let at = self.doc.location(start + offset);
            if found <= MAX_EXPRESSION_WARNINGS {
                self.page.warnings.push(at.warning(expression_advice(expr)));
            } else {
                last = Some(at);
            }
        }
        if let Some(at) = last {
            self.page.warnings.push(at.warning(format!(
                "{} more template expressions in this script (the last here) that the tool cannot evaluate",
                found - MAX_EXPRESSION_WARNINGS
            )));
        }
    }

    fn finish(&mut self) {
        self.page.body_html = tidy_blank_lines(&self.page.body_html);
        if let Some(&first) = self.body_templates.first() {
            let at = self.doc.location(first);
            self.page.warnings.push(at.warning(format!(
                "the page's HTML holds {} template expression(s) (the first here); Forge serves index.html as it is, so they are not evaluated and show as written",
                self.body_templates.len()
            )));
        }
        if let Some((i, name)) = self.inline_handler.take() {
            let at = self.doc.location(i);
            self.page.warnings.push(at.warning(format!(
                "inline event handler attribute {name}=: Forge's content security policy blocks it; attach the handler from a script"
            )));
        }
    }
}

/// Removing scripts leaves lines holding only spaces: runs of them become one empty line, and
/// none is kept at the start or end. Other lines are kept exactly.
fn tidy_blank_lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut blank_run = false;
    for line in html.split_inclusive('\n') {
        if line.trim().is_empty() {
            blank_run = !out.is_empty();
            continue;
        }
        if blank_run {
            out.push('\n');
            blank_run = false;
        }
        out.push_str(line);
    }
    out
}

/// The template expressions in a script's text: `{{...}}`, `<%...%>`, and for Thymeleaf inline
/// scripts `[[...]]` / `[(...)]`. Offsets are relative to the text.
fn template_expressions(text: &str, thymeleaf: bool) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let opens: &[(&[u8], &[u8])] = if thymeleaf {
        &[
            (b"{{", b"}}"),
            (b"<%", b"%>"),
            (b"[[", b"]]"),
            (b"[(", b")]"),
        ]
    } else {
        &[(b"{{", b"}}"), (b"<%", b"%>")]
    };
    while i < bytes.len() {
        let hit = opens
            .iter()
            .find(|(o, _)| bytes.get(i..).is_some_and(|r| r.starts_with(o)));
        match hit {
            Some((o, c)) => {
                // A `[[` in plain JS is an array of arrays; in a th:inline script it is Thymeleaf's
                // only when an expression (`${`, `*{`, `#{`) opens it. Decided before searching
                // for the end, so a run of `[[` stays linear.
                let after = bytes.get(i + o.len()..).unwrap_or(&[]);
                let after = after
                    .get(after.iter().take_while(|b| **b == b' ').count()..)
                    .unwrap_or(&[]);
                let real = !o.starts_with(b"[")
                    || [&b"${"[..], b"*{", b"#{"]
                        .iter()
                        .any(|e| after.starts_with(e));
                if real {
                    let end = find(bytes, i + o.len(), c).map_or(bytes.len(), |e| e + c.len());
                    out.push((i, text.get(i..end).unwrap_or("")));
                    i = end;
                } else {
                    i += 1;
                }
            }
            None => i += 1,
        }
    }
    out
}

/// The warning for one template expression inside a script.
fn expression_advice(expr: &str) -> String {
    let inner = expr
        .trim_start_matches(['{', '<', '%', '=', '[', '('])
        .trim_end_matches(['}', '%', '>', ']', ')'])
        .trim();
    let shown = shorten(expr);
    if inner.contains("localBaseUrl") {
        format!(
            "template expression {shown} inside a script cannot be evaluated on Forge: use a relative path for the app's static files, and call the app's backend through the `connect` remote (invokeRemote/requestRemote from @forge/bridge)"
        )
    } else if inner == "token" || inner.ends_with(".token") || inner == "jwt" {
        format!(
            "template expression {shown} inside a script: there is no Connect JWT on Forge; call the backend with invokeRemote/requestRemote to the `connect` remote, and make the backend accept a Forge Invocation Token"
        )
    } else {
        format!(
            "template expression {shown} inside a script cannot be evaluated by the tool: replace it with a value from AP.context.getContext() or from the backend"
        )
    }
}

/// At most 60 characters of a value for a message, on one line.
fn shorten(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line
    }
}

fn name_end(bytes: &[u8], from: usize) -> usize {
    let mut j = from;
    while bytes
        .get(j)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_' | b'.'))
    {
        j += 1;
    }
    j
}

/// Byte offset of `needle` in `hay` from `from`.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = hay.get(from..)?;
    memchr::memmem::find(rest, needle).map(|i| i + from)
}

/// Where a raw-text element's content ends (the first `</script`/`</style`, any case, followed
/// by whitespace, `/` or `>`, as a browser ends it) and where its end tag ends.
fn raw_text_end(bytes: &[u8], from: usize, close: &[u8]) -> (usize, usize) {
    let len = bytes.len();
    let mut j = from;
    while let Some(lt) = bytes
        .get(j..)
        .and_then(|r| memchr::memchr(b'<', r))
        .map(|k| k + j)
    {
        let candidate = bytes.get(lt..lt + close.len());
        let after = bytes.get(lt + close.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(close))
            && after.is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        {
            let end = bytes
                .get(lt..)
                .and_then(|r| memchr::memchr(b'>', r))
                .map_or(len, |e| lt + e + 1);
            return (lt, end);
        }
        j = lt + 1;
    }
    (len, len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::port::discover::FoundBy;

    fn found(file: &str, by: FoundBy) -> Found {
        Found {
            file: file.into(),
            found_by: by,
            route_file: None,
            route_line: None,
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
            Script::Inline { text, at } => {
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
    fn template_expressions_inside_scripts_get_advice() {
        let html = "<script>\nvar base = '{{localBaseUrl}}';\nvar t = \"{{token}}\"; var k = '<%= key %>';\n</script>";
        let tree = SourceTree::from_files([("p.html", html)]);
        let page = split_page(&tree, &found("p.html", FoundBy::StaticFile), "");
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
        let page = split_page(
            &tree,
            &found(
                "src/main/resources/templates/p.html",
                FoundBy::SpringController,
            ),
            "/p",
        );
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
        let tree = SourceTree::from_files([("p.html", html)]);
        let page = split_page(&tree, &found("p.html", FoundBy::StaticFile), "");
        assert!(page.scripts.is_empty());
        assert!(
            matches!(&page.stylesheets[0], Stylesheet::Inline { text, .. } if text == "p{color:red}")
        );
        assert_eq!(
            page.body_html,
            "<!-- <script>no()</script> --><p onclick=\"go()\">x</p>"
        );
        assert!(page.warnings.iter().any(|w| w.message.contains("onclick=")));
    }

    #[test]
    fn one_huge_line_of_scripts_is_split_in_linear_time() {
        // 40,000 scripts with a template expression each, on one 1 MB line: columns are counted
        // on from the previous position (quadratic counting from the line start takes minutes).
        let html = "<script>f('{{x}}')</script>".repeat(40_000);
        let tree = SourceTree::from_files([("p.html", html.as_str())]);
        let page = split_page(&tree, &found("p.html", FoundBy::StaticFile), "");
        assert_eq!(page.scripts.len(), 40_000);
        let last = page.warnings.last().unwrap().position.unwrap();
        assert_eq!((last.line, last.column), (1, 27 * 39_999 + 12));
    }

    #[test]
    fn thymeleaf_inline_expressions_only_in_th_inline_scripts() {
        let text = "var a = [[1], [2]]; var k = /*[[${issueKey}]]*/ 'X'; var m = [( ${x} )];";
        let found: Vec<_> = template_expressions(text, true)
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        assert_eq!(found, ["[[${issueKey}]]", "[( ${x} )]"]);
        assert!(template_expressions(text, false).is_empty());
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
        ] {
            let tree = SourceTree::from_files([("p.html", html)]);
            let _ = split_page(&tree, &found("p.html", FoundBy::StaticFile), "/é?");
        }
    }
}
