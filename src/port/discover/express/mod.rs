//! Express and atlassian-connect-express: routes in any server file, `X.get('/x', ...)`,
//! `X.all(...)` and `X.route('/x').get(...)`, on routers exported (by name or default,
//! `require` or `import`) and mounted with a prefix (`app.use('/p', auth, router)`), possibly
//! from another file and through several levels; paths built in a loop (`` `/${page}` ``,
//! `'/' + page`); handlers written inline, defined elsewhere (`controller.show`) or made by a
//! factory (`page('sla')`). The handler's `res.render(view)` names a view under the views
//! folders (`app.set('views', ...)`, `views/`); `res.sendFile`/`readFile` names a plain HTML
//! file, and one under `build/` or `dist/` leads to the front-end project that builds it.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::{
    balanced, first_group, folder_of, join_normalized, line_of, pick_view, split_args, Cx, Found,
    FoundBy, Hits, Rule, SourceTree, UrlPath,
};

mod handlers;
mod mounts;
mod pages;
#[cfg(test)]
mod tests;

use handlers::{handler_text, loop_values};
use mounts::{bindings, literal, mounts, prefixes_of, resolve_module, static_folder};
use pages::pages_of;
pub(super) use pages::served_file;
pub(super) use pages::{built_page, view_files};

/// The rule's entry in the registry.
pub(super) const RULE: Rule = Rule {
    name: "express",
    find,
};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}"))
}

static ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    // `app.get('/x'`, `router.all(`, `router.route('/x')`: the receiver, the verb, then `(`.
    re(r"(?-u:\b)([A-Za-z_$][[:word:]$]*)[[:space:]]*\.[[:space:]]*(get|all|route)[[:space:]]*\(")
});
static CHAIN_GET: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[[:space:]]*\.[[:space:]]*(?:get|all)[[:space:]]*\("));
static QUOTED: LazyLock<Regex> = LazyLock::new(|| re(r#"'([^'\n]*)'|"([^"\n]*)"|`([^`\n]*)`"#));
static RENDER: LazyLock<Regex> = LazyLock::new(|| re(r"\.[[:space:]]*render[[:space:]]*\("));
/// A response body written by the handler's own code (`res.send(`, `res.end(`, `res.write(`).
static WRITES_BODY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?-u:\b)(?:res|response|reply)[[:space:]]*\.[[:space:]]*(?:send|end|write)[[:space:]]*\(")
});
static SEND_FILE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?-u:\b)(?:sendFile|readFileSync|readFile|createReadStream)[[:space:]]*\(")
});
static REQUIRE: LazyLock<Regex> = LazyLock::new(|| {
    // `const x = require('m')`, `const { a, b: c } = require('m')`, `import x from 'm'`,
    // `import { a as b } from 'm'`, `import * as x from 'm'`, `import x, { a } from 'm'`.
    re(
        r#"(?:(?-u:\b)(?:const|let|var)[[:space:]]+(\{[^}]*\}|[A-Za-z_$][[:word:]$]*)[[:space:]]*=[[:space:]]*require[[:space:]]*\([[:space:]]*['"`]([^'"`]+)['"`]|(?-u:\b)import[[:space:]]+([^'";]*?)[[:space:]]+from[[:space:]]+['"]([^'"]+)['"])"#,
    )
});
static USE: LazyLock<Regex> = LazyLock::new(|| re(r"\.[[:space:]]*use[[:space:]]*\("));
static VIEWS_SET: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\.set[[:space:]]*\([[:space:]]*['"]views['"][[:space:]]*,([^;\n]*)"#));
static IDENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^([A-Za-z_$][[:word:]$]*)(?:[[:space:]]*\.[[:space:]]*([A-Za-z_$][[:word:]$]*))?")
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
    "api",
    "map",
    "params",
    "query",
    "headers",
    "searchParams",
    "cache",
    "config",
    "store",
    "localStorage",
    "sessionStorage",
    "this",
];

/// Folders of front-end code, never server routes.
const CLIENT_FOLDERS: &[&str] = &[
    "public",
    "static",
    "assets",
    "www",
    "client",
    "frontend",
    "components",
    "__tests__",
    "test",
    "tests",
    "spec",
    "e2e",
    "cypress",
    "vendor",
];

/// Longest argument list or handler read.
const MAX_ARGS: usize = 64 * 1024;

fn is_script(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"]
        .iter()
        .any(|e| lower.ends_with(e))
        && !lower.ends_with(".d.ts")
        && !lower.ends_with(".min.js")
}

/// A server file that may hold routes: a script outside the front-end folders (JSX and TSX
/// are components, not servers).
pub(super) fn is_server_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    is_script(path)
        && !lower.ends_with(".jsx")
        && !lower.ends_with(".tsx")
        && !path
            .split('/')
            .rev()
            .skip(1)
            .any(|seg| CLIENT_FOLDERS.contains(&seg))
        && !path.contains(".test.")
        && !path.contains(".spec.")
}

/// The server files that mention routing, with their text.
fn server_files(tree: &SourceTree) -> Vec<(&str, &str)> {
    server_files_where(tree, |_| true)
}

/// Where a server's routes usually are: an entry file (`app`, `index`, `server`, `main`,
/// `routes`), a routes, server or controllers folder, or a file at most one folder deep. Read
/// first, so that a large tree (a monorepo, vendored code) is read in full only when these do
/// not serve the URL.
fn likely_route_file(path: &str) -> bool {
    let stem = path
        .rsplit('/')
        .next()
        .and_then(|n| n.split('.').next())
        .unwrap_or("");
    matches!(
        stem,
        "app" | "index" | "server" | "main" | "routes" | "router"
    ) || path.matches('/').count() <= 1
        || path.split('/').rev().skip(1).any(|seg| {
            matches!(
                seg,
                "routes" | "router" | "routers" | "server" | "controllers" | "handlers" | "api"
            )
        })
}

fn server_files_where<'t>(
    tree: &'t SourceTree,
    keep: impl Fn(&str) -> bool + 't,
) -> Vec<(&'t str, &'t str)> {
    tree.files_where(move |p| is_server_file(p) && keep(p))
        .filter(|(_, t)| {
            t.contains(".get(")
                || t.contains(".all(")
                || t.contains(".route(")
                || t.contains(".use(")
                || t.contains(".get (")
                || t.contains("sendFile")
        })
        .collect()
}

/// Folders views are looked up in: those `app.set('views', ...)` names, then every folder
/// called `views`, then `views/`.
pub(super) fn view_roots(tree: &SourceTree, files: &[(&str, &str)]) -> Vec<String> {
    let mut roots = Vec::new();
    for (path, text) in files {
        for c in VIEWS_SET.captures_iter(text) {
            let Some(arg) = c.get(1) else { continue };
            if let Some(f) = static_folder(path, &format!("static({}", arg.as_str())) {
                if !roots.contains(&f) {
                    roots.push(f);
                }
            }
        }
    }
    let mut named: Vec<String> = tree
        .paths()
        .filter_map(|p| {
            let i = p.find("views/")?;
            (i == 0 || p.as_bytes().get(i - 1) == Some(&b'/')).then(|| p.get(..i + 6))?
        })
        .filter(|p| !p.starts_with("node_modules/") && !p.contains("/public/"))
        .map(str::to_string)
        .collect();
    named.sort();
    named.dedup();
    for n in named {
        if !roots.contains(&n) {
            roots.push(n);
        }
    }
    if !roots.iter().any(|r| r == "views/") {
        roots.push("views/".into());
    }
    roots
}

/// A route registration: where it is, its paths, and its handler's text.
struct Route<'t> {
    start: usize,
    paths: Vec<String>,
    handler: &'t str,
    /// The last argument of the call that takes the handler (the handler itself, when it is
    /// not written inline).
    last_arg: Option<String>,
}

/// A path argument: a literal, a template (`` `/${page}` ``), or a concatenation
/// (`'/' + page` → `/${page}`).
fn path_arg(arg: &str) -> Vec<String> {
    let arg = arg.trim();
    if arg.starts_with('[') {
        return QUOTED
            .captures_iter(arg)
            .filter_map(|q| first_group(&q, 1..=3))
            .filter(|p| p.starts_with('/'))
            .map(str::to_string)
            .collect();
    }
    let parts: Vec<&str> = arg.split('+').map(str::trim).collect();
    let mut out = String::new();
    for part in &parts {
        if let Some(l) = literal(part) {
            out.push_str(&l);
        } else if let Some(c) = IDENT
            .captures(part)
            .filter(|c| c.get(0).is_some_and(|m| m.len() == part.len()))
        {
            let name = c.get(2).or(c.get(1)).map_or("", |m| m.as_str());
            out.push_str(&format!("${{{name}}}"));
        } else {
            return Vec::new();
        }
    }
    if out.starts_with('/') {
        vec![out]
    } else {
        Vec::new()
    }
}

/// The routes of one file, each with the text up to the next route as its handler.
fn routes(text: &str) -> Vec<Route<'_>> {
    let mut found: Vec<(usize, usize, Vec<String>, Option<String>)> = Vec::new();
    for c in ROUTE.captures_iter(text) {
        let (Some(whole), Some(recv)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if NOT_ROUTERS.contains(&recv.as_str()) {
            continue;
        }
        let Some((args, after)) = balanced(text, whole.end() - 1, MAX_ARGS) else {
            continue;
        };
        let args = split_args(args);
        let paths = args.first().map(|a| path_arg(a)).unwrap_or_default();
        if paths.is_empty() {
            continue;
        }
        // `.get('/x')` with no handler is a lookup (`app.get('views')`), not a route; a
        // `.route('/x')` takes its handlers from the chain after it.
        let is_route = c.get(2).map(|m| m.as_str()) == Some("route");
        if !is_route && args.len() < 2 {
            continue;
        }
        let last_arg = if is_route {
            // `.route('/x').get(h)`: the chain's `.get(...)`.
            let chain = text.get(after..).unwrap_or("");
            CHAIN_GET.find(chain).and_then(|g| {
                let (a, _) = balanced(chain, g.end() - 1, MAX_ARGS)?;
                split_args(a).last().map(|l| l.to_string())
            })
        } else {
            args.last().map(|l| l.to_string())
        };
        found.push((
            whole.start(),
            if is_route { after } else { whole.end() },
            paths,
            last_arg,
        ));
    }
    found
        .iter()
        .enumerate()
        .map(|(i, (start, body, paths, last_arg))| {
            let end = found.get(i + 1).map_or(text.len(), |n| n.0);
            Route {
                start: *start,
                paths: paths.clone(),
                handler: text.get(*body..end.max(*body)).unwrap_or(""),
                last_arg: last_arg.clone(),
            }
        })
        .collect()
}

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    // The likely route files first; every server file only when they serve nothing.
    let (found, missing) = (hits.found.len(), hits.missing.len());
    find_in(cx, hits, server_files_where(cx.tree, likely_route_file));
    if hits.found.len() > found {
        return;
    }
    hits.missing.truncate(missing);
    find_in(cx, hits, server_files(cx.tree));
}

fn find_in(cx: &Cx<'_>, hits: &mut Hits, files: Vec<(&str, &str)>) {
    let tree = cx.tree;
    if files.is_empty() {
        return;
    }
    let mounts = mounts(tree, &files);
    let views = view_roots(tree, &files);
    let statics: Vec<String> = mounts.iter().filter_map(|m| m.folder.clone()).collect();
    for (path, text) in &files {
        let prefixes = prefixes_of(path, &mounts, 0);
        let binds = bindings(text);
        for route in routes(text) {
            let bound = route.paths.iter().find_map(|p| {
                prefixes
                    .iter()
                    .find_map(|pre| cx.url.bind(&format!("{pre}/{}", p.trim_start_matches('/'))))
            });
            let Some(bound) = bound else {
                continue;
            };
            // A path built in a loop over a list of literals serves those values only.
            let outside = bound.iter().any(|(var, value)| {
                loop_values(tree, path, text, &binds, var, route.start)
                    .is_some_and(|values| !values.contains(value))
            });
            if outside {
                continue;
            }
            let line = line_of(text, route.start);
            let by = format!("rendered by {path}:{line}");
            let handler = handler_text(tree, path, text, &binds, &route);
            let mut found = pages_of(tree, path, &handler, &bound, &views, cx.url, hits, &by);
            for f in &mut found {
                f.route_file = Some(path.to_string());
                f.route_line = Some(line);
                for s in &statics {
                    if !f.roots.contains(s) {
                        f.roots.push(s.clone());
                    }
                }
            }
            hits.found.extend(found);
        }
    }
}

/// Whether the tree has an Express server with routes.
pub(super) fn has_routes(tree: &SourceTree) -> bool {
    server_files(tree)
        .iter()
        .any(|(_, text)| !routes(text).is_empty())
}

/// The folders `express.static` serves, in the order the server mounts them (for the static
/// rule: `(prefix, folder)`).
pub(super) fn static_mounts(tree: &SourceTree) -> Vec<(String, String)> {
    let files = server_files_where(tree, likely_route_file);
    mounts(tree, &files)
        .into_iter()
        .filter_map(|m| {
            let folder = m.folder?;
            let pre = prefixes_of(&m.from, &[], 0)
                .into_iter()
                .next()
                .unwrap_or_default();
            Some((format!("{pre}{}", m.prefix), folder))
        })
        .collect()
}
