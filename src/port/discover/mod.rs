//! Which file of the app's source tree serves a module's `url`.
//!
//! A registry of rules, one file per way a server serves a page (`RULES`): Express/ACE routes
//! (`express`), NestJS controllers (`nest`), Spring MVC controllers (`spring`), Flask (`flask`), Django URL confs (`django`),
//! Go `net/http`, gorilla and chi handlers (`go`), Rails routes (`rails`), Symfony and Laravel
//! routes (`php`), file-system routing of
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
mod nest;
mod php;
mod rails;
mod spring;
#[path = "static.rs"]
mod statics;

mod scan;
mod url;

use super::tree::SourceTree;
pub(crate) use scan::{balanced, folder_of, join_normalized, split_args};
use scan::{first_group, line_of};
use url::{is_placeholder, UrlPath};

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
    /// A NestJS controller method rendering a view (`@Render('view')`).
    NestController,
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
    /// A Symfony or Laravel route whose controller renders a view.
    PhpRoute,
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
            FoundBy::NestController => "nest-controller",
            FoundBy::StaticFile => "static-file",
            FoundBy::FlaskRoute => "flask-route",
            FoundBy::DjangoView => "django-view",
            FoundBy::GoHandler => "go-handler",
            FoundBy::RailsRoute => "rails-route",
            FoundBy::PhpRoute => "php-route",
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
    /// Symfony (`templates/`) and Laravel (`resources/views/`): static files in `public/`.
    Php,
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
    pub(crate) fn at(mut self, route_file: &str, route_line: usize) -> Found {
        self.route_file = Some(route_file.to_string());
        self.route_line = Some(route_line);
        self
    }

    /// The framework the page belongs to: from the rule, or for `--page` from where the file is.
    pub fn framework(&self, tree: &SourceTree) -> Framework {
        match self.found_by {
            FoundBy::AceRoute | FoundBy::NestController => Framework::Ace,
            FoundBy::SpringController => Framework::Spring,
            FoundBy::FlaskRoute => Framework::Flask,
            FoundBy::DjangoView => Framework::Django,
            FoundBy::GoHandler => Framework::Go,
            FoundBy::RailsRoute => Framework::Rails,
            FoundBy::PhpRoute => Framework::Php,
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
            Framework::Php => {
                let project = ["templates/", "resources/views/", "app/Resources/views/"]
                    .iter()
                    .find_map(|m| self.file.find(m).and_then(|i| self.file.get(..i)))
                    .unwrap_or("");
                vec![format!("{project}public/")]
            }
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
    /// A route for the URL at `at` (`file:line`) answers with a body its own code builds
    /// (`res.end(template(...))`, a `@ResponseBody` string of HTML): there is no page file,
    /// said as a candidate so the review names the route rather than "no page found" alone.
    fn built_in_code(&mut self, at: &str, how: &str) {
        self.missing.push(format!(
            "{at} (the route answers with HTML its own code builds, {how}: there is no page file to carry; put the markup in an .html file and pass --page KEY=FILE)"
        ));
    }

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
    nest::RULE,
    spring::RULE,
    flask::RULE,
    django::RULE,
    go::RULE,
    rails::RULE,
    php::RULE,
    fs_routes::RULE,
    statics::RULE,
];

/// A module URL's path segments, without its query, fragment, base URL and empty segments
/// (`/admin/settings?x=1` → `admin`, `settings`).
pub fn url_segments(url: &str) -> Vec<String> {
    UrlPath::parse(url).segments
}

/// The file an Express route sends for the literal URL path `url_path` (`/js` →
/// `dist/app.bundle.js`), relative to the tree's root; it may be a build output not in the tree.
pub fn served_file(tree: &SourceTree, url_path: &str) -> Option<String> {
    express::served_file(tree, url_path)
}

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
            // A license gate's view (`license-page`, `unlicensed`, `no-licence`): the page is
            // the other branch's.
            "licen",
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
mod tests;
