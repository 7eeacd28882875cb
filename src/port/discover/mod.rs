//! Which file of the app's source tree serves a module's `url`.
//!
//! A registry of rules, one file per way a server serves a page (`RULES`): Express/ACE routes
//! (`express`), Spring MVC controllers (`spring`), Flask (`flask`), Django URL confs (`django`),
//! Go `net/http`, gorilla and chi handlers (`go`), Rails routes (`rails`), file-system routing of
//! front-end frameworks (`fs_routes`: Next.js, Nuxt, Gatsby, SvelteKit) and static files
//! (`statics`). Supporting one more framework is one more file and one line in `RULES`. Each
//! rule scans the app's code by pattern (it is matched, never evaluated) and reads only the files
//! it needs from the tree.
//!
//! Every rule that matches contributes its file; one file is a [`PageLookup::Found`], several are
//! [`PageLookup::Ambiguous`] (the user says which with `--page KEY=FILE`), none is
//! [`PageLookup::NotFound`] with the likeliest candidates. The result always says which rule
//! found the page and where it matched; a handler that renders several views gives the page and
//! lists the others ([`Found::others`]).
//!
//! The patterns use ASCII classes (`[[:word:]]`, `[[:space:]]`, `(?-u:\b)`): the source they read
//! is code, and Unicode `\w`/`\s` compile into automata large enough to slow a whole small run
//! (docs/performance.md).

mod django;
mod express;
mod flask;
mod fs_routes;
mod go;
mod rails;
mod spring;
#[path = "static.rs"]
mod statics;

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
    /// A Django URL pattern whose view renders a template.
    DjangoView,
    /// A Go handler executing a template or serving a file.
    GoHandler,
    /// A Rails route whose controller action renders a view.
    RailsRoute,
    /// A front-end framework's file-system route (Next.js, Nuxt, Gatsby, SvelteKit).
    FileRoute,
    /// A route serving a built `index.html`: the front-end project whose build makes it.
    FrontEnd,
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
            FoundBy::DjangoView => "django-view",
            FoundBy::GoHandler => "go-handler",
            FoundBy::RailsRoute => "rails-route",
            FoundBy::FileRoute => "file-route",
            FoundBy::FrontEnd => "front-end",
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
    /// Django: each app's `templates/`, static files in each app's `static/`.
    Django,
    /// Go: `html/template` files, static files where a file server points.
    Go,
    /// Rails: `app/views/`, static files in `public/`.
    Rails,
    /// A front-end project (a build makes the page): its `public/` folder and its root.
    FrontEnd,
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
    /// Other views the same handler renders (an error path, a login page): candidates the
    /// user may name with `--page` instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<String>,
    /// Static folders the rule saw the server mount (relative, ending in `/`), tried before the
    /// framework's own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roots: Vec<String>,
}

impl Found {
    /// A page found by `found_by`, with no route, other views or static folders yet.
    pub fn new(file: impl Into<String>, found_by: FoundBy) -> Found {
        Found {
            file: file.into(),
            found_by,
            route_file: None,
            route_line: None,
            others: Vec::new(),
            roots: Vec::new(),
        }
    }

    /// This page found where `route_file:route_line` matched.
    fn at(mut self, route_file: &str, route_line: usize) -> Found {
        self.route_file = Some(route_file.to_string());
        self.route_line = Some(route_line);
        self
    }

    /// The framework the page belongs to: from the rule, or for `--page` from where the file is.
    pub fn framework(&self, tree: &SourceTree) -> Framework {
        match self.found_by {
            FoundBy::AceRoute => Framework::Ace,
            FoundBy::SpringController => Framework::Spring,
            FoundBy::FlaskRoute => Framework::Flask,
            FoundBy::DjangoView => Framework::Django,
            FoundBy::GoHandler => Framework::Go,
            FoundBy::RailsRoute => Framework::Rails,
            FoundBy::FileRoute | FoundBy::FrontEnd => Framework::FrontEnd,
            FoundBy::StaticFile => Framework::Static,
            FoundBy::Option => {
                let f = self.file.as_str();
                if f.contains("src/main/") {
                    Framework::Spring
                } else if (f.starts_with("views/") || f.contains("/views/"))
                    && (f.ends_with(".hbs") || f.ends_with(".handlebars"))
                {
                    Framework::Ace
                } else if f.starts_with("app/views/") {
                    Framework::Rails
                } else if (f.starts_with("templates/") || f.contains("/templates/"))
                    && tree.paths().any(|p| p.ends_with(".py"))
                {
                    if tree.paths().any(|p| p.ends_with("urls.py")) {
                        Framework::Django
                    } else {
                        Framework::Flask
                    }
                } else {
                    Framework::Static
                }
            }
        }
    }

    /// The folders (relative, ending in `/`, or empty for the root) a page's `/x.js` script
    /// URLs are served from, in the order they are tried.
    pub fn static_roots(&self, tree: &SourceTree) -> Vec<String> {
        let mut roots = self.roots.clone();
        let own: Vec<String> = match self.framework(tree) {
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
            // Flask and Django serve `/static/x` from `static/x` (Django: from each app's).
            Framework::Flask | Framework::Django => vec!["static/".into()],
            Framework::Rails => vec!["public/".into()],
            Framework::FrontEnd => {
                let project = front_end_project(&self.file);
                vec![
                    format!("{project}public/"),
                    format!("{project}static/"),
                    project.to_string(),
                ]
            }
            Framework::Go | Framework::Static => {
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
        };
        for r in own {
            if !roots.contains(&r) {
                roots.push(r);
            }
        }
        roots
    }
}

/// The front-end project folder a page belongs to: the folder above its `public/`, `src/`,
/// `app/`, `pages/` or `static/` (ending in `/`, or empty for the root).
fn front_end_project(file: &str) -> &str {
    for marker in ["public/", "src/", "app/", "pages/", "static/"] {
        if file.starts_with(marker) {
            return "";
        }
        if let Some(i) = file.find(&format!("/{marker}")) {
            return file.get(..=i).unwrap_or("");
        }
    }
    folder_of(file)
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
    "src/main/webapp/",
];

/// How many candidates a [`PageLookup::NotFound`] lists.
const MAX_CANDIDATES: usize = 10;

/// What the rules found for one URL.
#[derive(Debug, Default)]
struct Hits {
    /// Pages found.
    found: Vec<Found>,
    /// Pages a rule named that are not in the tree, said with where and why.
    missing: Vec<String>,
}

impl Hits {
    /// A rule named `tried` (the first of the files it looked for) at `by`, and none is read:
    /// said with the reason the tree gives (skipped, and why) or as absent.
    fn absent(&mut self, tree: &SourceTree, tried: &[String], by: &str) {
        let Some(first) = tried.first() else {
            return;
        };
        let why = tried
            .iter()
            .find_map(|t| tree.skip_reason(t).map(|r| (t, r)))
            .or_else(|| {
                // A folder the walk never enters (`dist/`, `node_modules/`).
                tried.iter().find_map(|t| {
                    let dir = t
                        .split('/')
                        .rev()
                        .skip(1)
                        .find(|seg| super::tree::SKIPPED_DIRS.contains(seg))?;
                    Some((
                        t,
                        format!("{dir}/ is a folder the source walk does not enter; name the file with --page KEY=FILE"),
                    ))
                })
            });
        self.missing.push(match why {
            Some((t, reason)) => format!("{t} ({by}, skipped by the source walk: {reason})"),
            None => format!("{first} ({by}, not in the source tree)"),
        });
    }
}

/// What a rule sees: the tree and the URL.
struct Cx<'t> {
    tree: &'t SourceTree,
    url: &'t UrlPath,
    /// The module URL as written (a Django `{% url 'name' %}` is a name, not a path).
    raw: &'t str,
}

/// One way a server serves a page.
struct Rule {
    /// Short name, for docs and tests.
    #[allow(dead_code)]
    name: &'static str,
    /// Adds what it finds for the URL.
    find: fn(&Cx<'_>, &mut Hits),
}

/// Every rule, in the order they run (all run; the order only decides how candidates read).
static RULES: &[Rule] = &[
    express::RULE,
    spring::RULE,
    flask::RULE,
    django::RULE,
    go::RULE,
    rails::RULE,
    fs_routes::RULE,
    statics::RULE,
];

/// The page a module URL names, by every rule (see the module doc).
pub fn find_page(tree: &SourceTree, url: &str) -> PageLookup {
    let path = UrlPath::parse(url);
    let cx = Cx {
        tree,
        url: &path,
        raw: url,
    };
    let mut hits = Hits::default();
    for rule in RULES {
        (rule.find)(&cx, &mut hits);
    }
    let Hits {
        found: mut hits,
        missing,
    } = hits;
    // One file found twice (two routes, or a route and the file itself) is still one page.
    hits.sort_by(|a, b| a.file.cmp(&b.file).then(a.found_by.cmp(&b.found_by)));
    hits.dedup_by(|a, b| a.file == b.file);
    // A route's page wins over the same URL read as a static file path or a front-end
    // project's shell the route does not name.
    if hits.len() > 1 && hits.iter().any(|h| h.route_file.is_some()) {
        hits.retain(|h| h.route_file.is_some());
    }
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
        return PageLookup::Found(Found::new(file, FoundBy::Option));
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

    /// The path as `a/b` (no leading `/`).
    fn joined(&self) -> String {
        self.segments.join("/")
    }

    fn has_placeholder(&self) -> bool {
        self.segments.iter().any(|s| is_placeholder(s))
    }

    /// Whether a route pattern (`/bg/:key`, `/bg/{key}`, `/bg/<int:key>`, `/${page}`) matches.
    fn matches(&self, pattern: &str) -> bool {
        self.bind(pattern).is_some()
    }

    /// Whether a pattern matches this path or a path below it (`PathPrefix`, a mount).
    fn matches_prefix(&self, pattern: &str) -> bool {
        let pat: Vec<&str> = pattern.split('/').filter(|x| !x.is_empty()).collect();
        self.segments.len() >= pat.len()
            && pat
                .iter()
                .zip(&self.segments)
                .all(|(p, s)| segment_bind(p, s).is_some())
    }

    /// The values a pattern's `${name}` and `:name` segments take when it matches this path.
    fn bind(&self, pattern: &str) -> Option<Vec<(String, String)>> {
        let pat: Vec<&str> = pattern.split('/').filter(|x| !x.is_empty()).collect();
        let mut bound = Vec::new();
        if matches!(pat.last(), Some(&"**") | Some(&"*")) && pat.len() <= self.segments.len() {
            let fixed = pat.len() - 1;
            for (p, s) in pat.iter().zip(&self.segments).take(fixed) {
                bound.extend(segment_bind(p, s)?);
            }
            return Some(bound);
        }
        if pat.len() != self.segments.len() {
            return None;
        }
        for (p, s) in pat.iter().zip(&self.segments) {
            bound.extend(segment_bind(p, s)?);
        }
        Some(bound)
    }
}

fn is_placeholder(s: &str) -> bool {
    s.contains('{') || s.contains('$') || s.contains('}')
}

/// Whether a route segment matches a URL segment, and what it binds: `:page` and `${page}` bind
/// `page`; `x-${id}.html` binds `id` to what lies between.
fn segment_bind(pattern: &str, segment: &str) -> Option<Option<(String, String)>> {
    if let Some(name) = pattern.strip_prefix(':') {
        let name = name.trim_end_matches('?');
        return Some(Some((name.to_string(), segment.to_string())));
    }
    if let Some(open) = pattern.find("${") {
        let close = pattern.get(open..)?.find('}')? + open;
        let (before, name, after) = (
            pattern.get(..open)?,
            pattern.get(open + 2..close)?,
            pattern.get(close + 1..)?,
        );
        if is_placeholder(segment) {
            return Some(None);
        }
        let value = segment.strip_prefix(before)?.strip_suffix(after)?;
        return Some(Some((name.trim().to_string(), value.to_string())));
    }
    let wild = pattern == "*"
        || (pattern.starts_with('{') && pattern.ends_with('}'))
        || (pattern.starts_with('<') && pattern.ends_with('>'))
        || (pattern.starts_with('[') && pattern.ends_with(']'));
    (wild || is_placeholder(segment) || pattern == segment).then_some(None)
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

/// The text between the bracket at `open` (`(`, `[` or `{`) and its match, skipping string
/// literals (`'`, `"`, `` ` ``), and the offset after it; `None` if unclosed within `limit`
/// bytes.
fn balanced(text: &str, open: usize, limit: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let (o, c) = match bytes.get(open)? {
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        b'{' => (b'{', b'}'),
        _ => return None,
    };
    let (mut depth, mut i, mut quote) = (0usize, open, None::<u8>);
    let end = open.saturating_add(limit).min(bytes.len());
    while i < end {
        let b = bytes.get(i).copied()?;
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => {
                if matches!(b, b'\'' | b'"' | b'`') {
                    quote = Some(b);
                } else if b == o {
                    depth += 1;
                } else if b == c {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some((text.get(open + 1..i)?, i + 1));
                    }
                }
            }
        }
        i += 1;
    }
    None
}

/// Splits an argument list at its top-level commas.
fn split_args(args: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<u8>, 0usize);
    let bytes = args.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'\'' | b'"' | b'`' => quote = Some(b),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 => {
                    out.push(args.get(start..i).unwrap_or("").trim());
                    start = i + 1;
                }
                _ => {}
            },
        }
        i += 1;
    }
    let last = args.get(start..).unwrap_or("").trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// The view a handler shows among the several it renders: not an error, login or redirect
/// view; then one named like the URL's last segment; then the last (an error path returns
/// early, the page comes after). Returns its index.
fn pick_view(views: &[String], url: &UrlPath) -> usize {
    let lower: Vec<String> = views.iter().map(|v| v.to_ascii_lowercase()).collect();
    let error_like = |v: &str| {
        [
            "error",
            "unauthori",
            "forbidden",
            "404",
            "500",
            "notfound",
            "not-found",
            "not_found",
            "fail",
            "denied",
            "login",
            "unlicensed",
            "nolicense",
            "no-license",
        ]
        .iter()
        .any(|w| v.contains(w))
    };
    let ok: Vec<usize> = (0..views.len())
        .filter(|&i| !lower.get(i).is_some_and(|v| error_like(v)))
        .collect();
    let pool = if ok.is_empty() {
        (0..views.len()).collect()
    } else {
        ok
    };
    if let Some(last) = url.last().filter(|l| !is_placeholder(l)) {
        let last = last.to_ascii_lowercase();
        if let Some(&i) = pool.iter().find(|&&i| {
            lower
                .get(i)
                .is_some_and(|v| v.rsplit('/').next().unwrap_or(v).starts_with(&last))
        }) {
            return i;
        }
    }
    pool.last().copied().unwrap_or(0)
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
        ".pug",
        ".njk",
        ".erb",
        ".slim",
        ".haml",
        ".gohtml",
        ".tmpl",
        ".vue",
        ".svelte",
        ".php",
    ];
    let mut pages: Vec<(bool, &str)> = tree
        .paths()
        .filter(|p| {
            let lower = p.to_ascii_lowercase();
            PAGE_KINDS.iter().any(|k| lower.ends_with(k))
        })
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
    use super::spring::mapping_paths;
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
