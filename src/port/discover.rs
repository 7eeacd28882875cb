//! Which file of the app's source tree serves a background script's `url`.
//!
//! One rule per framework Connect apps are built with, each a scan of the app's code by pattern
//! (it is matched, never evaluated): atlassian-connect-express routes, Spring MVC controllers,
//! Flask routes, and static files. Every rule that matches contributes its file; one file is a
//! [`PageLookup::Found`], several are [`PageLookup::Ambiguous`] (the user says which with
//! `--page KEY=FILE`), none is [`PageLookup::NotFound`] with the likeliest candidates. The
//! result always says which rule found the page and where it matched.
//!
//! The patterns use ASCII classes (`[[:word:]]`, `[[:space:]]`, `(?-u:\b)`): the source they read
//! is code, and Unicode `\w`/`\s` compile into automata large enough to slow a whole small run
//! (docs/performance.md).

use std::sync::LazyLock;

use regex::Regex;

use super::tree::SourceTree;

/// How a page was found (`found_by` in the review and JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FoundBy {
    /// Named by the user with `--page KEY=FILE`.
    Option,
    /// An atlassian-connect-express (Express) route rendering a view.
    AceRoute,
    /// A Spring MVC controller method returning a view name.
    SpringController,
    /// The URL path names an HTML file under a static root.
    StaticFile,
    /// A Flask route calling `render_template`.
    FlaskRoute,
}

impl FoundBy {
    /// The name used in the review and JSON (`ace-route`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            FoundBy::Option => "option",
            FoundBy::AceRoute => "ace-route",
            FoundBy::SpringController => "spring-controller",
            FoundBy::StaticFile => "static-file",
            FoundBy::FlaskRoute => "flask-route",
        }
    }
}

/// The kind of app a page belongs to; decides the layout rule and the static roots its
/// scripts are resolved against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    /// atlassian-connect-express: `views/*.hbs` in `views/layout.hbs`, static files in `public/`.
    Ace,
    /// Spring Boot: `src/main/resources/templates/`, static files in `src/main/resources/static/`.
    Spring,
    /// Flask: `templates/`, static files in `static/`.
    Flask,
    /// Plain files served as they are.
    Static,
}

/// A page found for a module URL.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Found {
    /// The page's file, relative to the source root.
    pub file: String,
    /// Which rule found it.
    pub found_by: FoundBy,
    /// The file where the rule matched (the route or controller), when it is not the page.
    pub route_file: Option<String>,
    /// 1-based line of the match in `route_file`.
    pub route_line: Option<usize>,
}

impl Found {
    /// The framework the page belongs to: from the rule, or for `--page` from where the file is.
    pub fn framework(&self, tree: &SourceTree) -> Framework {
        match self.found_by {
            FoundBy::AceRoute => Framework::Ace,
            FoundBy::SpringController => Framework::Spring,
            FoundBy::FlaskRoute => Framework::Flask,
            FoundBy::StaticFile => Framework::Static,
            FoundBy::Option => {
                let f = self.file.as_str();
                if f.contains("src/main/") {
                    Framework::Spring
                } else if (f.starts_with("views/") || f.contains("/views/"))
                    && (f.ends_with(".hbs") || f.ends_with(".handlebars"))
                {
                    Framework::Ace
                } else if (f.starts_with("templates/") || f.contains("/templates/"))
                    && tree.paths().any(|p| p.ends_with(".py"))
                {
                    Framework::Flask
                } else {
                    Framework::Static
                }
            }
        }
    }

    /// The folders (relative, ending in `/`, or empty for the root) a page's `/x.js` script
    /// URLs are served from, in the order they are tried.
    pub fn static_roots(&self, tree: &SourceTree) -> Vec<String> {
        match self.framework(tree) {
            Framework::Ace => vec!["public/".into()],
            Framework::Spring => {
                let module = self
                    .file
                    .find("src/main/")
                    .and_then(|i| self.file.get(..i))
                    .unwrap_or("");
                vec![
                    format!("{module}src/main/resources/static/"),
                    format!("{module}src/main/resources/public/"),
                    format!("{module}src/main/webapp/"),
                ]
            }
            // Flask serves `/static/x` from `static/x`.
            Framework::Flask => vec!["static/".into()],
            Framework::Static => {
                let mut roots: Vec<String> = STATIC_ROOTS.iter().map(|s| s.to_string()).collect();
                // The page's own static root first: `/js/x.js` from `www/page.html` is `www/js/x.js`.
                if let Some(own) = STATIC_ROOTS
                    .iter()
                    .filter(|r| !r.is_empty())
                    .find(|r| self.file.starts_with(*r))
                {
                    roots.retain(|r| r != own);
                    roots.insert(0, own.to_string());
                }
                roots
            }
        }
    }
}

/// Result of looking a page up.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum PageLookup {
    /// Exactly one file serves the URL.
    Found(Found),
    /// No rule matched; the likeliest page files, for the `--page` hint.
    NotFound {
        /// Page-like files (and routes whose view is missing), most likely first.
        candidates: Vec<String>,
    },
    /// Several files match; the user picks one with `--page`.
    Ambiguous {
        /// Each matching file with where it matched (`views/a.hbs (ace-route, routes/index.js:3)`).
        candidates: Vec<String>,
    },
}

/// Folders a static site serves files from, tried in this order.
const STATIC_ROOTS: &[&str] = &[
    "",
    "public/",
    "static/",
    "www/",
    "src/main/resources/static/",
];

/// How many candidates a [`PageLookup::NotFound`] lists.
const MAX_CANDIDATES: usize = 10;

/// The page a module URL names, by every rule (see the module doc).
pub fn find_page(tree: &SourceTree, url: &str) -> PageLookup {
    let path = UrlPath::parse(url);
    let mut hits: Vec<Found> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    ace_routes(tree, &path, &mut hits, &mut missing);
    spring_controllers(tree, &path, &mut hits, &mut missing);
    flask_routes(tree, &path, &mut hits, &mut missing);
    static_files(tree, &path, &mut hits);
    // One file found twice (two routes, or a route and the file itself) is still one page.
    hits.sort_by(|a, b| a.file.cmp(&b.file).then(a.found_by.cmp(&b.found_by)));
    hits.dedup_by(|a, b| a.file == b.file);
    match hits.len() {
        0 => {
            let mut candidates = missing;
            candidates.extend(page_like(tree, path.last()));
            candidates.truncate(MAX_CANDIDATES);
            PageLookup::NotFound { candidates }
        }
        1 => match hits.pop() {
            Some(found) => PageLookup::Found(found),
            None => PageLookup::NotFound {
                candidates: Vec::new(),
            },
        },
        _ => PageLookup::Ambiguous {
            candidates: hits.iter().map(describe).collect(),
        },
    }
}

/// The page named with `--page KEY=FILE` (relative to the source root). A file not in the tree
/// is [`PageLookup::NotFound`], with page files of a similar name as candidates.
pub fn page_from_option(tree: &SourceTree, file: &str) -> PageLookup {
    let file = file
        .replace('\\', "/")
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/");
    if tree.contains(&file) {
        return PageLookup::Found(Found {
            file,
            found_by: FoundBy::Option,
            route_file: None,
            route_line: None,
        });
    }
    let stem = file
        .rsplit('/')
        .next()
        .and_then(|n| n.split('.').next())
        .unwrap_or("");
    let mut candidates = page_like(tree, Some(stem));
    candidates.truncate(MAX_CANDIDATES);
    PageLookup::NotFound { candidates }
}

fn describe(f: &Found) -> String {
    match (&f.route_file, f.route_line) {
        (Some(r), Some(l)) => format!("{} ({}, {r}:{l})", f.file, f.found_by.as_str()),
        _ => format!("{} ({})", f.file, f.found_by.as_str()),
    }
}

/// A module URL's path: segments without the query, fragment or base URL; a segment holding a
/// placeholder (`{issue.key}`, `${x}`, `{{x}}`) matches any route segment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UrlPath {
    segments: Vec<String>,
}

impl UrlPath {
    fn parse(url: &str) -> UrlPath {
        let mut s = url.trim();
        // The path ends at the query or fragment; a `?` inside a placeholder does not occur.
        if let Some(i) = s.find(['?', '#']) {
            s = s.get(..i).unwrap_or("");
        }
        // `{{localBaseUrl}}/x` or `https://host/x`: the path only.
        if let Some(rest) = s.strip_prefix("{{localBaseUrl}}") {
            s = rest;
        } else if let Some(i) = s.find("://") {
            let after = s.get(i + 3..).unwrap_or("");
            s = after.find('/').and_then(|j| after.get(j..)).unwrap_or("");
        }
        UrlPath {
            segments: s
                .split('/')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    fn last(&self) -> Option<&str> {
        self.segments.last().map(String::as_str)
    }

    fn has_placeholder(&self) -> bool {
        self.segments.iter().any(|s| is_placeholder(s))
    }

    /// Whether a route pattern (`/bg/:key`, `/bg/{key}`, `/bg/<int:key>`) matches.
    fn matches(&self, pattern: &str) -> bool {
        let pat: Vec<&str> = pattern.split('/').filter(|x| !x.is_empty()).collect();
        if pat.last() == Some(&"**") {
            let fixed = pat.len() - 1;
            return self.segments.len() >= fixed
                && pat
                    .iter()
                    .zip(&self.segments)
                    .take(fixed)
                    .all(|(p, s)| segment_matches(p, s));
        }
        pat.len() == self.segments.len()
            && pat
                .iter()
                .zip(&self.segments)
                .all(|(p, s)| segment_matches(p, s))
    }
}

fn is_placeholder(s: &str) -> bool {
    s.contains('{') || s.contains('$') || s.contains('}')
}

fn segment_matches(pattern: &str, segment: &str) -> bool {
    let wild = pattern.starts_with(':')
        || pattern == "*"
        || (pattern.starts_with('{') && pattern.ends_with('}'))
        || (pattern.starts_with('<') && pattern.ends_with('>'));
    wild || is_placeholder(segment) || pattern == segment
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    memchr::memchr_iter(b'\n', text.as_bytes().get(..end).unwrap_or(&[])).count() + 1
}

/// The first of the capture groups 1..=n that matched.
fn first_group<'t>(
    c: &regex::Captures<'t>,
    groups: std::ops::RangeInclusive<usize>,
) -> Option<&'t str> {
    groups.filter_map(|i| c.get(i)).map(|m| m.as_str()).next()
}

fn folder_of(path: &str) -> &str {
    path.rfind('/').and_then(|i| path.get(..=i)).unwrap_or("")
}

/// `a/b/` + `../c/./d` → `a/c/d`; `None` when it climbs out of the root.
pub(crate) fn join_normalized(base: &str, rel: &str) -> Option<String> {
    let mut out: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    Some(out.join("/"))
}

// ---- atlassian-connect-express --------------------------------------------------------------

static EXPRESS_ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    // `app.get('/x'`, any quoting, or an array of paths `router.get(['/a', '/b']`.
    Regex::new(r#"(?-u:\b)([A-Za-z_$][[:word:]$]*)[[:space:]]*\.[[:space:]]*(?:get|all)[[:space:]]*\([[:space:]]*(?:'([^'\n]*)'|"([^"\n]*)"|`([^`\n$]*)`|\[([^\]\n]*)\])"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"'([^'\n]*)'|"([^"\n]*)"|`([^`\n$]*)`"#).unwrap_or_else(|e| unreachable!("{e}"))
});
static EXPRESS_RENDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\.[[:space:]]*render[[:space:]]*\([[:space:]]*(?:'([^'\n]+)'|"([^"\n]+)"|`([^`\n$]+)`)"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});
static REQUIRE_BINDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:(?-u:\b)(?:const|let|var)[[:space:]]+([A-Za-z_$][[:word:]$]*)[[:space:]]*=[[:space:]]*require[[:space:]]*\([[:space:]]*['"`]([^'"`]+)['"`][[:space:]]*\)|(?-u:\b)import[[:space:]]+([A-Za-z_$][[:word:]$]*)[[:space:]]+from[[:space:]]+['"]([^'"]+)['"])"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static EXPRESS_MOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\.[[:space:]]*use[[:space:]]*\([[:space:]]*['"`](/[^'"`]*)['"`][[:space:]]*,[[:space:]]*(?:require[[:space:]]*\([[:space:]]*['"`]([^'"`]+)['"`][[:space:]]*\)|([A-Za-z_$][[:word:]$]*)[[:space:]]*[,)])"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Receivers of `.get('/x')` that are HTTP clients or requests, not an app or router.
const NOT_ROUTERS: &[&str] = &[
    "req",
    "request",
    "res",
    "response",
    "axios",
    "http",
    "https",
    "fetch",
    "$",
    "jQuery",
    "AP",
    "client",
    "superagent",
    "got",
    "httpClient",
];

fn is_route_file(path: &str) -> bool {
    let js = [".js", ".mjs", ".cjs", ".ts"]
        .iter()
        .any(|e| path.ends_with(e));
    js && (matches!(
        path,
        "app.js" | "index.js" | "server.js" | "app.ts" | "index.ts" | "server.ts"
    ) || path.starts_with("routes/")
        || path.contains("/routes/")
        || path.starts_with("src/app.")
        || path.starts_with("src/index.")
        || path.starts_with("src/server."))
        && !path.starts_with("public/")
        && !path.contains("/public/")
}

/// Mount prefixes of router files: `app.use('/bg', require('./routes/bg'))` → `routes/bg.js` → `/bg`.
fn express_mounts(tree: &SourceTree) -> Vec<(String, String)> {
    let mut mounts = Vec::new();
    for (path, text) in tree.files_where(is_route_file) {
        let bindings: Vec<(String, String)> = REQUIRE_BINDING
            .captures_iter(text)
            .filter_map(|c| {
                Some((
                    first_group(&c, 1..=1)
                        .or(first_group(&c, 3..=3))?
                        .to_string(),
                    first_group(&c, 2..=2)
                        .or(first_group(&c, 4..=4))?
                        .to_string(),
                ))
            })
            .collect();
        for c in EXPRESS_MOUNT.captures_iter(text) {
            let Some(prefix) = first_group(&c, 1..=1) else {
                continue;
            };
            let module = match (c.get(2), c.get(3)) {
                (Some(m), _) => Some(m.as_str().to_string()),
                (None, Some(ident)) => bindings
                    .iter()
                    .find(|(n, _)| n == ident.as_str())
                    .map(|(_, m)| m.clone()),
                _ => None,
            };
            let Some(module) = module.filter(|m| m.starts_with('.')) else {
                continue;
            };
            let Some(base) = join_normalized(folder_of(path), &module) else {
                continue;
            };
            for candidate in [
                base.clone(),
                format!("{base}.js"),
                format!("{base}.ts"),
                format!("{base}/index.js"),
            ] {
                if tree.contains(&candidate) {
                    mounts.push((candidate, prefix.to_string()));
                }
            }
        }
    }
    mounts
}

fn ace_routes(tree: &SourceTree, url: &UrlPath, hits: &mut Vec<Found>, missing: &mut Vec<String>) {
    let mounts = express_mounts(tree);
    for (path, text) in tree.files_where(is_route_file) {
        let prefixes: Vec<&str> = mounts
            .iter()
            .filter(|(f, _)| f == path)
            .map(|(_, p)| p.as_str())
            .collect();
        let routes: Vec<_> = EXPRESS_ROUTE
            .captures_iter(text)
            .filter(|c| c.get(1).is_some_and(|r| !NOT_ROUTERS.contains(&r.as_str())))
            .filter_map(|c| {
                let paths: Vec<&str> = match (first_group(&c, 2..=4), c.get(5)) {
                    (Some(p), _) => vec![p],
                    (None, Some(list)) => QUOTED
                        .captures_iter(list.as_str())
                        .filter_map(|q| first_group(&q, 1..=3))
                        .collect(),
                    _ => Vec::new(),
                };
                let paths: Vec<&str> = paths.into_iter().filter(|p| p.starts_with('/')).collect();
                Some((c.get(0)?, paths)).filter(|(_, p)| !p.is_empty())
            })
            .collect();
        for (i, (m, paths)) in routes.iter().enumerate() {
            let matched = paths.iter().any(|route| {
                if prefixes.is_empty() {
                    url.matches(route)
                } else {
                    prefixes
                        .iter()
                        .any(|p| url.matches(&format!("{p}/{route}")))
                }
            });
            if !matched {
                continue;
            }
            // The handler is the text up to the next route.
            let end = routes.get(i + 1).map_or(text.len(), |(n, _)| n.start());
            let handler = text.get(m.end()..end).unwrap_or("");
            let line = line_of(text, m.start());
            let Some(view) = EXPRESS_RENDER
                .captures(handler)
                .and_then(|c| first_group(&c, 1..=3))
            else {
                // `res.sendFile(path.join(__dirname, '../public', 'bg.html'))`: a plain page.
                if let Some(file) = send_file(tree, folder_of(path), handler) {
                    hits.push(Found {
                        file,
                        found_by: FoundBy::AceRoute,
                        route_file: Some(path.to_string()),
                        route_line: Some(line),
                    });
                }
                continue;
            };
            let view = view.trim_start_matches('/');
            let tried: Vec<String> = if view.contains('.') {
                vec![format!("views/{view}")]
            } else {
                [".hbs", ".handlebars", ".html", ".ejs"]
                    .iter()
                    .map(|e| format!("views/{view}{e}"))
                    .collect()
            };
            match tried.iter().find(|t| tree.contains(t)) {
                Some(file) => hits.push(Found {
                    file: file.clone(),
                    found_by: FoundBy::AceRoute,
                    route_file: Some(path.to_string()),
                    route_line: Some(line),
                }),
                None => missing.push(format!(
                    "{} (rendered by {path}:{line}, not in the source tree)",
                    tried.first().map_or("", String::as_str)
                )),
            }
        }
    }
}

static SEND_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\.[[:space:]]*sendFile[[:space:]]*\(([^;\n]*)")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// The HTML file a handler's `res.sendFile(...)` names: its string literals joined as a path
/// (`path.join(__dirname, '..', 'public', 'bg.html')`), relative to the route file's folder, or
/// else the one tree file ending with it.
fn send_file(tree: &SourceTree, folder: &str, handler: &str) -> Option<String> {
    let args = SEND_FILE.captures(handler)?.get(1)?.as_str();
    let joined = QUOTED
        .captures_iter(args)
        .filter_map(|q| first_group(&q, 1..=3))
        .collect::<Vec<_>>()
        .join("/");
    if !(joined.ends_with(".html") || joined.ends_with(".htm")) {
        return None;
    }
    if let Some(p) = join_normalized(folder, &joined).filter(|p| tree.contains(p)) {
        return Some(p);
    }
    let tail: String = joined
        .split('/')
        .filter(|s| !matches!(*s, "" | "." | ".."))
        .collect::<Vec<_>>()
        .join("/");
    let mut ends = tree
        .paths()
        .filter(|p| *p == tail || p.ends_with(&format!("/{tail}")));
    match (ends.next(), ends.next()) {
        (Some(one), None) => Some(one.to_string()),
        _ => None,
    }
}

// ---- Spring MVC ----------------------------------------------------------------------------

static JAVA_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:class|object)[[:space:]]+[A-Za-z_$][[:word:]$]*")
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static SPRING_MAPPING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"@(GetMapping|RequestMapping|PostMapping|PutMapping|DeleteMapping|PatchMapping)(?-u:\b)",
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});
static STRING_LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""((?:[^"\\\n]|\\.)*)""#).unwrap_or_else(|e| unreachable!("{e}"))
});
static PATH_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:value|path)[[:space:]]*=").unwrap_or_else(|e| unreachable!("{e}"))
});
static OTHER_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[A-Za-z]+[[:space:]]*=").unwrap_or_else(|e| unreachable!("{e}"))
});
static SPRING_VIEW: LazyLock<Regex> = LazyLock::new(|| {
    // `return "view"`, `new ModelAndView("view")`, `setViewName("view")`, Kotlin's `): String = "view"`.
    Regex::new(r#"(?:(?-u:\b)return[[:space:]]+"([^"\n]+)"|(?-u:\b)ModelAndView[[:space:]]*\([[:space:]]*"([^"\n]+)"|(?-u:\b)setViewName[[:space:]]*\([[:space:]]*"([^"\n]+)"|\)[[:space:]]*:[[:space:]]*String[[:space:]]*=[[:space:]]*"([^"\n]+)")"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Longest annotation argument list read.
const MAX_ANNOTATION_ARGS: usize = 4096;

/// The text between the `(` at `open` and its `)`, skipping string literals; `None` if unclosed.
fn parenthesized(text: &str, open: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(open) != Some(&b'(') {
        return None;
    }
    let (mut depth, mut i, mut in_str) = (0usize, open, false);
    // Annotation arguments are short; an unclosed `(` must not make each scan run to the end.
    let limit = open.saturating_add(MAX_ANNOTATION_ARGS);
    while let Some(&b) = bytes.get(i).filter(|_| i < limit) {
        if in_str {
            match b {
                b'\\' => i += 1,
                b'"' => in_str = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_str = true,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((text.get(open + 1..i)?, i + 1));
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// The paths an annotation's arguments give: `("/x")`, `(value = "/x")`, `(path = {"/a", "/b"})`,
/// `(method = GET)` (no path: the prefix itself).
fn mapping_paths(args: &str) -> Vec<String> {
    let literals = |s: &str| -> Vec<String> {
        STRING_LITERAL
            .captures_iter(s)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().to_string())
            .collect()
    };
    let region = if let Some(m) = PATH_KEY.find(args) {
        let after = args.get(m.end()..).unwrap_or("");
        // Up to the next `key =`.
        let end = OTHER_KEY.find(after).map_or(after.len(), |k| k.start());
        after.get(..end).unwrap_or("")
    } else {
        let end = OTHER_KEY.find(args).map_or(args.len(), |k| k.start());
        args.get(..end).unwrap_or("")
    };
    let found = literals(region);
    if found.is_empty() {
        vec![String::new()]
    } else {
        found
    }
}

fn spring_controllers(
    tree: &SourceTree,
    url: &UrlPath,
    hits: &mut Vec<Found>,
    missing: &mut Vec<String>,
) {
    for (path, text) in tree.files_where(|p| p.ends_with(".java") || p.ends_with(".kt")) {
        if !text.contains("Mapping") || text.contains("@RestController") {
            continue;
        }
        let class_at = JAVA_CLASS.find(text).map_or(0, |m| m.start());
        struct Mapping<'t> {
            kind: &'t str,
            start: usize,
            end: usize,
            args: &'t str,
        }
        let mappings: Vec<Mapping> = SPRING_MAPPING
            .captures_iter(text)
            .filter_map(|c| {
                let whole = c.get(0)?;
                let after = whole.end() + text.get(whole.end()..)?.len()
                    - text.get(whole.end()..)?.trim_start().len();
                let (args, end) = parenthesized(text, after).unwrap_or(("", whole.end()));
                Some(Mapping {
                    kind: c.get(1)?.as_str(),
                    start: whole.start(),
                    end,
                    args,
                })
            })
            .collect();
        let prefixes: Vec<String> = mappings
            .iter()
            .filter(|m| m.start < class_at && m.kind == "RequestMapping")
            .flat_map(|m| mapping_paths(m.args))
            .collect();
        let prefixes = if prefixes.is_empty() {
            vec![String::new()]
        } else {
            prefixes
        };
        let methods: Vec<&Mapping> = mappings.iter().filter(|m| m.start >= class_at).collect();
        for (i, m) in methods.iter().enumerate() {
            let get = m.kind == "GetMapping"
                || (m.kind == "RequestMapping"
                    && (!m.args.contains("method") || m.args.contains("GET")));
            if !get {
                continue;
            }
            let matched = prefixes.iter().any(|p| {
                mapping_paths(m.args)
                    .iter()
                    .any(|s| url.matches(&format!("{p}/{s}")))
            });
            if !matched {
                continue;
            }
            let end = methods.get(i + 1).map_or(text.len(), |n| n.start);
            let body = text.get(m.end..end).unwrap_or("");
            if body.contains("@ResponseBody") {
                continue;
            }
            let Some(view) = SPRING_VIEW
                .captures(body)
                .and_then(|c| first_group(&c, 1..=4))
            else {
                continue;
            };
            if view.starts_with("redirect:") {
                continue;
            }
            let view = view.trim_start_matches("forward:").trim_start_matches('/');
            let module = path
                .find("src/main/")
                .and_then(|i| path.get(..i))
                .unwrap_or("");
            let tried: Vec<String> = [
                format!("{module}src/main/resources/templates/{view}.html"),
                format!("{module}src/main/resources/templates/{view}.mustache"),
                format!("{module}src/main/resources/templates/{view}.hbs"),
                format!("{module}src/main/webapp/WEB-INF/jsp/{view}.jsp"),
                format!("{module}src/main/webapp/WEB-INF/views/{view}.jsp"),
                format!("{module}src/main/resources/templates/{view}"),
            ]
            .into();
            let line = line_of(text, m.start);
            match tried.iter().find(|t| tree.contains(t)) {
                Some(file) => hits.push(Found {
                    file: file.clone(),
                    found_by: FoundBy::SpringController,
                    route_file: Some(path.to_string()),
                    route_line: Some(line),
                }),
                None => missing.push(format!(
                    "{} (returned by {path}:{line}, not in the source tree)",
                    tried.first().map_or("", String::as_str)
                )),
            }
        }
    }
}

// ---- Flask ---------------------------------------------------------------------------------

static FLASK_ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"@[[:space:]]*[A-Za-z_][[:word:]]*[[:space:]]*\.[[:space:]]*(?:route|get)[[:space:]]*\([[:space:]]*(?:'([^'\n]*)'|"([^"\n]*)")"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static FLASK_RENDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)render_template[[:space:]]*\([[:space:]]*(?:'([^'\n]+)'|"([^"\n]+)")"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

fn flask_routes(
    tree: &SourceTree,
    url: &UrlPath,
    hits: &mut Vec<Found>,
    missing: &mut Vec<String>,
) {
    for (path, text) in tree.files_where(|p| p.ends_with(".py")) {
        let routes: Vec<_> = FLASK_ROUTE
            .captures_iter(text)
            .filter_map(|c| Some((c.get(0)?, first_group(&c, 1..=2)?)))
            .collect();
        for (i, (m, route)) in routes.iter().enumerate() {
            if !url.matches(route) {
                continue;
            }
            let end = routes.get(i + 1).map_or(text.len(), |(n, _)| n.start());
            let Some(name) = text
                .get(m.end()..end)
                .and_then(|body| FLASK_RENDER.captures(body))
                .and_then(|c| first_group(&c, 1..=2))
            else {
                continue;
            };
            let tried = [
                format!("{}templates/{name}", folder_of(path)),
                format!("templates/{name}"),
            ];
            let line = line_of(text, m.start());
            match tried.iter().find(|t| tree.contains(t)) {
                Some(file) => hits.push(Found {
                    file: file.clone(),
                    found_by: FoundBy::FlaskRoute,
                    route_file: Some(path.to_string()),
                    route_line: Some(line),
                }),
                None => missing.push(format!(
                    "{} (rendered by {path}:{line}, not in the source tree)",
                    tried.first().map_or("", String::as_str)
                )),
            }
        }
    }
}

// ---- static files --------------------------------------------------------------------------

fn static_files(tree: &SourceTree, url: &UrlPath, hits: &mut Vec<Found>) {
    if url.has_placeholder() {
        return;
    }
    let rel = url.segments.join("/");
    for root in STATIC_ROOTS {
        let base = format!("{root}{rel}");
        let tried = if rel.is_empty() {
            vec![format!("{root}index.html")]
        } else {
            vec![
                base.clone(),
                format!("{base}.html"),
                format!("{base}/index.html"),
            ]
        };
        for t in tried {
            let html = t.ends_with(".html") || t.ends_with(".htm");
            if html && tree.contains(&t) {
                hits.push(Found {
                    file: t,
                    found_by: FoundBy::StaticFile,
                    route_file: None,
                    route_line: None,
                });
                break;
            }
        }
    }
}

/// Page-like files, those whose name holds `hint` first.
fn page_like(tree: &SourceTree, hint: Option<&str>) -> Vec<String> {
    const PAGE_KINDS: &[&str] = &[
        ".hbs",
        ".handlebars",
        ".html",
        ".htm",
        ".mustache",
        ".jsp",
        ".ejs",
    ];
    let mut pages: Vec<(bool, &str)> = tree
        .paths()
        .filter(|p| PAGE_KINDS.iter().any(|k| p.ends_with(k)))
        .filter(|p| {
            !p.rsplit('/')
                .next()
                .is_some_and(|n| n.starts_with("layout."))
        })
        .map(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            let near =
                hint.is_some_and(|h| !h.is_empty() && !is_placeholder(h) && name.contains(h));
            (!near, p)
        })
        .collect();
    pages.sort();
    pages.into_iter().map(|(_, p)| p.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(l: PageLookup) -> Found {
        match l {
            PageLookup::Found(f) => f,
            other => panic!("expected Found, got {other:?}"),
        }
    }

    #[test]
    fn url_paths_ignore_query_fragment_and_base() {
        assert_eq!(
            UrlPath::parse("/bg/sla?issueKey={issue.key}").segments,
            ["bg", "sla"]
        );
        assert_eq!(UrlPath::parse("{{localBaseUrl}}/bg#x").segments, ["bg"]);
        assert_eq!(
            UrlPath::parse("https://app.example.com/a/b").segments,
            ["a", "b"]
        );
        assert!(UrlPath::parse("/bg/{project.key}").matches("/bg/anything"));
        assert!(UrlPath::parse("/bg/PRJ").matches("/bg/:key"));
        assert!(UrlPath::parse("/bg/PRJ").matches("/bg/{key}"));
        assert!(UrlPath::parse("/bg/7").matches("/bg/<int:id>"));
        assert!(!UrlPath::parse("/bg/sla").matches("/bg"));
        assert!(!UrlPath::parse("/bg").matches("/bg/sla"));
    }

    #[test]
    fn ace_route_styles() {
        let routes = r#"
export default function routes(app, addon) {
    app.get("/other", addon.authenticate(), function (req, res) { res.render("other"); });
    app.get(`/bg/sla`, addon.checkValidToken(), (req, res) =>
        res.render(`sla-watcher`, { title: 'x' }));
}
"#;
        let tree = SourceTree::from_files([
            ("routes/index.js", routes),
            ("views/sla-watcher.hbs", "<p/>"),
            ("views/other.hbs", "<p/>"),
        ]);
        let f = found(find_page(&tree, "/bg/sla?issueKey={issue.key}"));
        assert_eq!(f.file, "views/sla-watcher.hbs");
        assert_eq!(f.found_by, FoundBy::AceRoute);
        assert_eq!(
            (f.route_file.as_deref(), f.route_line),
            (Some("routes/index.js"), Some(4))
        );
        assert_eq!(found(find_page(&tree, "/other")).file, "views/other.hbs");
    }

    #[test]
    fn express_send_file() {
        let tree = SourceTree::from_files([
            ("src/routes/bg.js", "app.get('/bg', addon.authenticate(), (req, res) => {\n  res.sendFile(path.join(__dirname, '..', '..', 'public', 'bg.html'));\n});"),
            ("public/bg.html", "x"),
        ]);
        let f = found(find_page(&tree, "/bg"));
        assert_eq!(
            (f.file.as_str(), f.found_by, f.route_line),
            ("public/bg.html", FoundBy::AceRoute, Some(1))
        );
    }

    #[test]
    fn express_path_arrays() {
        let tree = SourceTree::from_files([
            (
                "routes/index.js",
                "router.get(['/bg/a', \"/bg/b\"], (req, res) => res.render('ab'));",
            ),
            ("views/ab.hbs", "x"),
        ]);
        assert_eq!(found(find_page(&tree, "/bg/b")).file, "views/ab.hbs");
        assert!(matches!(
            find_page(&tree, "/bg/c"),
            PageLookup::NotFound { .. }
        ));
    }

    #[test]
    fn express_router_mount_prefix() {
        let tree = SourceTree::from_files([
            (
                "app.js",
                "const bg = require('./routes/bg');\napp.use('/bg', bg);\n",
            ),
            (
                "routes/bg.js",
                "router.get('/sla', (req, res) => res.render('sla'));\nmodule.exports = router;",
            ),
            ("views/sla.hbs", "x"),
        ]);
        assert_eq!(found(find_page(&tree, "/bg/sla")).file, "views/sla.hbs");
        assert!(matches!(
            find_page(&tree, "/sla"),
            PageLookup::NotFound { .. }
        ));
    }

    #[test]
    fn client_calls_are_not_routes() {
        let tree = SourceTree::from_files([
            ("routes/index.js", "axios.get('/bg', x => res.render('a'));"),
            ("views/a.hbs", "x"),
        ]);
        assert!(matches!(
            find_page(&tree, "/bg"),
            PageLookup::NotFound { .. }
        ));
    }

    #[test]
    fn spring_prefix_and_method_paths() {
        let java = r#"
package com.example;
@Controller
@RequestMapping(value = "/connect")
public class PagesController {
    @PostMapping("/bg")
    public String post() { return "nope"; }
    @RequestMapping(path = {"/bg", "/background"}, method = RequestMethod.GET)
    public String bg(Model model) { return "background"; }
    @GetMapping
    public ModelAndView root() { return new ModelAndView("root"); }
}
"#;
        let tree = SourceTree::from_files([
            ("src/main/java/com/example/PagesController.java", java),
            ("src/main/resources/templates/background.html", "x"),
            ("src/main/resources/templates/root.mustache", "x"),
        ]);
        let f = found(find_page(&tree, "/connect/background"));
        assert_eq!(f.file, "src/main/resources/templates/background.html");
        assert_eq!(f.route_line, Some(8));
        assert_eq!(
            found(find_page(&tree, "/connect/bg")).file,
            "src/main/resources/templates/background.html"
        );
        assert_eq!(
            found(find_page(&tree, "/connect")).file,
            "src/main/resources/templates/root.mustache"
        );
        assert_eq!(
            mapping_paths(r#"value = "/a", produces = "text/html""#),
            ["/a"]
        );
        assert_eq!(mapping_paths(r#"method = RequestMethod.GET"#), [""]);
        let kt = "@Controller\n@RequestMapping(\"/k\")\nclass Pages {\n    @GetMapping(\"/bg\")\n    fun bg(model: Model): String = \"kbg\"\n}\n";
        let tree = SourceTree::from_files([
            ("src/main/kotlin/Pages.kt", kt),
            ("src/main/resources/templates/kbg.html", "x"),
        ]);
        assert_eq!(
            found(find_page(&tree, "/k/bg")).file,
            "src/main/resources/templates/kbg.html"
        );
    }

    #[test]
    fn flask_and_static() {
        let tree = SourceTree::from_files([
            (
                "app.py",
                "@app.route('/bg')\ndef bg():\n    return render_template('bg.html')\n",
            ),
            ("templates/bg.html", "x"),
            ("www/watch.html", "x"),
        ]);
        let f = found(find_page(&tree, "/bg"));
        assert_eq!(
            (f.file.as_str(), f.found_by, f.route_line),
            ("templates/bg.html", FoundBy::FlaskRoute, Some(1))
        );
        let f = found(find_page(&tree, "/watch"));
        assert_eq!(
            (f.file.as_str(), f.found_by),
            ("www/watch.html", FoundBy::StaticFile)
        );
        assert_eq!(
            found(find_page(&tree, "/www/watch.html")).file,
            "www/watch.html"
        );
    }

    #[test]
    fn ambiguous_and_not_found_list_candidates() {
        let tree = SourceTree::from_files([
            ("bg.html", "x"),
            ("public/bg.html", "x"),
            ("views/sla.hbs", "x"),
            (
                "routes/index.js",
                "app.get('/gone', (q, r) => r.render('gone'))",
            ),
        ]);
        match find_page(&tree, "/bg") {
            PageLookup::Ambiguous { candidates } => {
                assert_eq!(
                    candidates,
                    ["bg.html (static-file)", "public/bg.html (static-file)"]
                )
            }
            other => panic!("{other:?}"),
        }
        match find_page(&tree, "/gone") {
            PageLookup::NotFound { candidates } => {
                assert_eq!(
                    candidates[0],
                    "views/gone.hbs (rendered by routes/index.js:1, not in the source tree)"
                );
                assert!(candidates.contains(&"views/sla.hbs".to_string()));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn page_option() {
        let tree = SourceTree::from_files([("views/sla.hbs", "x"), ("views/other.hbs", "x")]);
        let f = found(page_from_option(&tree, "./views/sla.hbs"));
        assert_eq!(
            (f.file.as_str(), f.found_by),
            ("views/sla.hbs", FoundBy::Option)
        );
        assert_eq!(f.framework(&tree), Framework::Ace);
        match page_from_option(&tree, "views/sla.html") {
            PageLookup::NotFound { candidates } => {
                assert_eq!(candidates, ["views/sla.hbs", "views/other.hbs"])
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn join_normalized_refuses_escapes() {
        assert_eq!(
            join_normalized("routes/", "./bg").as_deref(),
            Some("routes/bg")
        );
        assert_eq!(join_normalized("a/b/", "../c").as_deref(), Some("a/c"));
        assert_eq!(join_normalized("", "../x"), None);
    }
}
