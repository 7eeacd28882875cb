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
fn is_server_file(path: &str) -> bool {
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

/// `name → module` bindings of a file's `require`s and `import`s.
fn bindings(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for c in REQUIRE.captures_iter(text) {
        let (names, module) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(n), Some(m), _, _) | (_, _, Some(n), Some(m)) => (n.as_str(), m.as_str()),
            _ => continue,
        };
        for name in names
            .split([',', '{', '}'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            // `a as b`, `a: b`, `* as x`: the local name is the last word.
            let local = name.rsplit([' ', ':']).next().unwrap_or(name).trim();
            if !local.is_empty() && local != "*" {
                out.insert(local.to_string(), module.to_string());
            }
        }
    }
    out
}

/// The tree file a relative module specifier names from `from`.
fn resolve_module(tree: &SourceTree, from: &str, module: &str) -> Option<String> {
    if !module.starts_with('.') {
        return None;
    }
    let base = join_normalized(folder_of(from), module)?;
    let mut tried = vec![base.clone()];
    for ext in ["js", "ts", "mjs", "cjs", "jsx", "tsx"] {
        tried.push(format!("{base}.{ext}"));
    }
    for ext in ["js", "ts"] {
        tried.push(format!("{base}/index.{ext}"));
    }
    // A TypeScript import of `./x.js` names `./x.ts`.
    if let Some(stem) = base.strip_suffix(".js") {
        tried.push(format!("{stem}.ts"));
    }
    tried.into_iter().find(|t| tree.lists(t) && is_script(t))
}

/// One `app.use(...)`: what is mounted where.
#[derive(Debug, Clone)]
struct Mount {
    /// The file that mounts.
    from: String,
    /// The prefix (`/bg`, or empty).
    prefix: String,
    /// The router file mounted, when the argument is a router.
    router: Option<String>,
    /// The folder served, when the argument is `express.static(...)`.
    folder: Option<String>,
}

/// Every `X.use([prefix,] ...)` of the server files.
fn mounts(tree: &SourceTree, files: &[(&str, &str)]) -> Vec<Mount> {
    let mut out = Vec::new();
    for (path, text) in files {
        let binds = bindings(text);
        for m in USE.find_iter(text) {
            let Some((args, _)) = balanced(text, m.end() - 1, MAX_ARGS) else {
                continue;
            };
            let args = split_args(args);
            let (prefix, rest) = match args.first().and_then(|a| literal(a)) {
                Some(p) if p.starts_with('/') => (p, args.get(1..).unwrap_or(&[])),
                _ => (String::new(), args.as_slice()),
            };
            for arg in rest {
                if arg.contains("static(") {
                    if let Some(folder) = static_folder(path, arg) {
                        out.push(Mount {
                            from: path.to_string(),
                            prefix: prefix.clone(),
                            router: None,
                            folder: Some(folder),
                        });
                    }
                    continue;
                }
                if let Some(router) = router_file(tree, path, &binds, arg) {
                    out.push(Mount {
                        from: path.to_string(),
                        prefix: prefix.clone(),
                        router: Some(router),
                        folder: None,
                    });
                }
            }
        }
    }
    out
}

/// The router file an argument of `use` names: `require('./r')`, a bound name (`router`,
/// `routes.studio`, a factory call `makeRouter(addon)`).
fn router_file(
    tree: &SourceTree,
    from: &str,
    binds: &BTreeMap<String, String>,
    arg: &str,
) -> Option<String> {
    let arg = arg.trim();
    if let Some(rest) = arg.strip_prefix("require") {
        let module = QUOTED.captures(rest).and_then(|q| first_group(&q, 1..=3))?;
        return resolve_module(tree, from, module);
    }
    let c = IDENT.captures(arg)?;
    let name = c.get(1)?.as_str();
    let module = binds.get(name)?;
    resolve_module(tree, from, module)
}

/// The folder `express.static('dir')` or `express.static(path.join(__dirname, 'dir'))` serves,
/// relative to the root, ending in `/`.
fn static_folder(from: &str, arg: &str) -> Option<String> {
    let at = arg.find("static(")?;
    let inner = arg.get(at + 6..)?;
    let parts: Vec<&str> = QUOTED
        .captures_iter(inner)
        .filter_map(|q| first_group(&q, 1..=3))
        .collect();
    if parts.is_empty() {
        return None;
    }
    let joined = parts.join("/");
    // `path.join(__dirname, ...)` is relative to the file; a bare string to the working
    // folder, which is the project root.
    let base = if inner.contains("__dirname") {
        folder_of(from)
    } else {
        ""
    };
    let folder = join_normalized(base, &joined)?;
    Some(if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    })
}

/// The string a literal argument holds (`'x'`, `"x"`, a template without `${}`).
fn literal(arg: &str) -> Option<String> {
    let arg = arg.trim();
    let c = QUOTED.captures(arg)?;
    (c.get(0)?.len() == arg.len()).then(|| first_group(&c, 1..=3).map(str::to_string))?
}

/// The prefixes a file's routes are served under: `""` when nothing mounts it, else every
/// chain of mounts leading to it.
fn prefixes_of(file: &str, mounts: &[Mount], depth: usize) -> Vec<String> {
    let incoming: Vec<&Mount> = mounts
        .iter()
        .filter(|m| m.router.as_deref() == Some(file) && m.from != file)
        .collect();
    if incoming.is_empty() || depth > 8 {
        return vec![String::new()];
    }
    let mut out = Vec::new();
    for m in incoming {
        for p in prefixes_of(&m.from, mounts, depth + 1) {
            let joined = format!("{}/{}", p.trim_end_matches('/'), m.prefix.trim_matches('/'));
            let joined = joined.trim_end_matches('/').to_string();
            if !out.contains(&joined) {
                out.push(joined);
            }
        }
    }
    out
}

/// Folders views are looked up in: those `app.set('views', ...)` names, then every folder
/// called `views`, then `views/`.
fn view_roots(tree: &SourceTree, files: &[(&str, &str)]) -> Vec<String> {
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

/// The values a loop variable takes when the loop (before `at`) runs over a list of string
/// literals: `for (const page of ['a', 'b'])`, `pages.forEach((page) => ...)` with
/// `const pages = ['a', 'b']` here or exported by an imported module. `None` when the list is
/// not literal (a folder listing, a computed array).
fn loop_values(
    tree: &SourceTree,
    path: &str,
    text: &str,
    binds: &BTreeMap<String, String>,
    var: &str,
    at: usize,
) -> Option<Vec<String>> {
    let before = text.get(..at)?;
    let v = regex::escape(var);
    let header = Regex::new(&format!(
        r"(?:([A-Za-z_$][[:word:]$.]*)[[:space:]]*\.[[:space:]]*forEach[[:space:]]*\([[:space:]]*(?:async[[:space:]]*)?\(?[[:space:]]*{v}(?-u:\b)|for[[:space:]]*\([[:space:]]*(?:const|let|var)[[:space:]]+{v}[[:space:]]+of[[:space:]]+([A-Za-z_$][[:word:]$.]*|\[[^\]]*\]))"
    ))
    .ok()?;
    let c = header.captures_iter(before).last()?;
    let iterable = c.get(1).or(c.get(2))?.as_str();
    let list = |body: &str| -> Option<Vec<String>> {
        let values: Vec<String> = split_args(body)
            .iter()
            .map(|a| literal(a))
            .collect::<Option<Vec<String>>>()?;
        (!values.is_empty()).then_some(values)
    };
    if let Some(body) = iterable.strip_prefix('[') {
        return list(body.strip_suffix(']')?);
    }
    let name = iterable.rsplit('.').next()?;
    let def = Regex::new(&format!(
        r"(?-u:\b){}[[:space:]]*[:=][[:space:]]*\[",
        regex::escape(name)
    ))
    .ok()?;
    let mut sources: Vec<&str> = vec![text];
    let root = iterable.split('.').next().unwrap_or(iterable);
    if let Some(f) = binds.get(root).and_then(|m| resolve_module(tree, path, m)) {
        sources.extend(tree.get(&f));
    }
    for src in sources {
        if let Some(m) = def.find(src) {
            let (body, _) = balanced(src, m.end() - 1, MAX_ARGS)?;
            return list(body);
        }
    }
    None
}

/// The handler's text: the route's own, plus the body of a handler it names that is defined
/// in this file or in a module it imports (`controller.show`, `showPage`, `page('sla')`).
fn handler_text(
    tree: &SourceTree,
    path: &str,
    text: &str,
    binds: &BTreeMap<String, String>,
    route: &Route<'_>,
) -> String {
    let own = route.handler;
    if RENDER.is_match(own) || SEND_FILE.is_match(own) {
        return own.to_string();
    }
    // The route call's last argument names the handler.
    let Some(last) = route.last_arg.as_deref() else {
        return own.to_string();
    };
    let Some(c) = IDENT.captures(last.trim()) else {
        return own.to_string();
    };
    let (object, member) = match (c.get(1), c.get(2)) {
        (Some(o), Some(m)) => (Some(o.as_str()), m.as_str()),
        (Some(n), None) => (None, n.as_str()),
        _ => return own.to_string(),
    };
    // A factory call's literal argument (`page('sla')`) stands for its parameter.
    let factory_arg = last
        .find('(')
        .and_then(|i| last.get(i..))
        .and_then(|a| QUOTED.captures(a))
        .and_then(|q| first_group(&q, 1..=3))
        .map(str::to_string);
    let mut sources: Vec<(String, &str)> = Vec::new();
    let module_of = |name: &str| binds.get(name).and_then(|m| resolve_module(tree, path, m));
    match object {
        Some(o) => {
            if let Some(f) = module_of(o) {
                if let Some(t) = tree.get(&f) {
                    sources.push((f, t));
                }
            }
        }
        None => {
            sources.push((path.to_string(), text));
            if let Some(f) = module_of(member) {
                if let Some(t) = tree.get(&f) {
                    sources.push((f, t));
                }
            }
        }
    }
    for (_, src) in sources {
        if let Some(body) = definition(src, member) {
            let mut body = body.to_string();
            if let Some(arg) = &factory_arg {
                // `res.render(name)` in the factory: the literal the route passed.
                body.push_str(&format!("\n;res.render('{}');", arg.replace('\'', "")));
            }
            return format!("{own}\n{body}");
        }
    }
    own.to_string()
}

/// The text of the definition of `name` in `text`: a function, a method, an arrow function or
/// an exported property, up to the end of its body.
fn definition<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    let n = regex::escape(name);
    let def = Regex::new(&format!(
        r"(?m)(?-u:\b)(?:function[[:space:]]*\*?[[:space:]]*{n}[[:space:]]*\(|(?:const|let|var)[[:space:]]+{n}[[:space:]]*=|exports[[:space:]]*\.[[:space:]]*{n}[[:space:]]*=|(?:^|[[:space:],{{]){n}[[:space:]]*:|^[[:space:]]*(?:async[[:space:]]+|static[[:space:]]+)*{n}[[:space:]]*\([^)]*\)[[:space:]]*\{{)"
    ))
    .ok()?;
    let m = def.find(text)?;
    let from = m.start();
    let rest = text.get(from..)?;
    // The body: the first `{` after the match to its `}`; or the expression to the end of the
    // statement (an arrow function without braces).
    let open = rest.find('{');
    let semi = rest.find(";\n").unwrap_or(rest.len());
    match open {
        Some(o)
            if o < semi
                || rest.get(..o).is_some_and(|h| {
                    h.contains("=>") || h.contains("function") || h.contains(')')
                }) =>
        {
            let (body, end) = balanced(rest, o, MAX_ARGS)?;
            let _ = body;
            rest.get(..end)
        }
        _ => rest.get(..semi),
    }
}

/// The pages a handler shows: its `res.render(...)` views (the page, with the others as
/// candidates), or the HTML file it sends.
#[allow(clippy::too_many_arguments)]
fn pages_of(
    tree: &SourceTree,
    path: &str,
    handler: &str,
    bound: &[(String, String)],
    views: &[String],
    url: &UrlPath,
    hits: &mut Hits,
    by: &str,
) -> Vec<Found> {
    let mut names: Vec<String> = Vec::new();
    for m in RENDER.find_iter(handler) {
        let Some((args, _)) = balanced(handler, m.end() - 1, MAX_ARGS) else {
            continue;
        };
        let Some(first) = split_args(args).first().map(|a| a.to_string()) else {
            continue;
        };
        if let Some(name) = view_name(&first, bound) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    if names.is_empty() {
        return send_file(tree, path, handler, bound).into_iter().collect();
    }
    // Each view as a file, in render order.
    let mut files: Vec<(String, String)> = Vec::new();
    for name in &names {
        let tried = view_files(views, name);
        match tried.iter().find(|t| tree.contains(t)) {
            Some(f) => files.push((name.clone(), f.clone())),
            None => hits.absent(tree, &tried, by),
        }
    }
    if files.is_empty() {
        return Vec::new();
    }
    let shown: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let pick = pick_view(&shown, url);
    let mut found = Found::new(
        files.get(pick).map_or(String::new(), |(_, f)| f.clone()),
        FoundBy::AceRoute,
    );
    found.others = files
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != pick)
        .map(|(_, (_, f))| f.clone())
        .collect();
    vec![found]
}

/// A view argument as a name: a literal, a template or concatenation whose variables the route
/// bound (`` `pages/${page}` `` with `page` = `sla`), or a bound variable itself.
fn view_name(arg: &str, bound: &[(String, String)]) -> Option<String> {
    let arg = arg.trim();
    if let Some(l) = literal(arg) {
        if !l.contains("${") {
            return Some(l);
        }
        return substitute(&l, bound);
    }
    let path = path_arg(&format!("'/' + {arg}"));
    let joined = path.first()?.strip_prefix('/')?.to_string();
    substitute(&joined, bound)
}

/// `${name}` replaced by what the route bound; `None` when a name is unbound.
fn substitute(template: &str, bound: &[(String, String)]) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find("${") {
        out.push_str(rest.get(..open)?);
        let close = rest.get(open..)?.find('}')? + open;
        let name = rest.get(open + 2..close)?.trim();
        let short = name.rsplit('.').next().unwrap_or(name);
        let (_, value) = bound.iter().find(|(n, _)| n == name || n == short)?;
        out.push_str(value);
        rest = rest.get(close + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}

/// Files a view name may be, in every views folder.
fn view_files(views: &[String], view: &str) -> Vec<String> {
    let view = view.trim_start_matches('/');
    let mut out = Vec::new();
    for root in views {
        if view.contains('.') {
            out.push(format!("{root}{view}"));
        } else {
            for e in [
                "hbs",
                "handlebars",
                "html",
                "ejs",
                "pug",
                "jade",
                "njk",
                "mustache",
                "jsx",
                "tsx",
                "vue",
                "twig",
            ] {
                out.push(format!("{root}{view}.{e}"));
            }
        }
    }
    out
}

/// The HTML file a handler's `res.sendFile(...)` (or `fs.readFile`) names: its string literals
/// joined as a path (`path.join(__dirname, '..', 'public', 'bg.html')`), relative to the route
/// file's folder or to the root, or else the one tree file ending with it. One under `build/`
/// or `dist/` (not in the repository) leads to the front-end project's HTML template.
fn send_file(
    tree: &SourceTree,
    path: &str,
    handler: &str,
    bound: &[(String, String)],
) -> Option<Found> {
    let m = SEND_FILE.find(handler)?;
    let (args, _) = balanced(handler, m.end() - 1, MAX_ARGS)?;
    let parts: Vec<String> = QUOTED
        .captures_iter(args)
        .filter_map(|q| first_group(&q, 1..=3))
        .filter_map(|p| substitute(p, bound).or_else(|| Some(p.replace("${", "").replace('}', ""))))
        .collect();
    let joined = parts.join("/");
    let lower = joined.to_ascii_lowercase();
    if !(lower.ends_with(".html") || lower.ends_with(".htm")) {
        return None;
    }
    let base = if args.contains("__dirname") {
        folder_of(path)
    } else {
        ""
    };
    for b in [base, ""] {
        if let Some(p) = join_normalized(b, &joined).filter(|p| tree.contains(p)) {
            return Some(Found::new(p, FoundBy::AceRoute));
        }
    }
    let tail: String = joined
        .split('/')
        .filter(|s| !matches!(*s, "" | "." | ".."))
        .collect::<Vec<_>>()
        .join("/");
    let mut ends = tree
        .paths()
        .filter(|p| *p == tail || p.ends_with(&format!("/{tail}")));
    if let (Some(one), None) = (ends.next(), ends.next()) {
        return Some(Found::new(one, FoundBy::AceRoute));
    }
    let full = join_normalized(base, &joined).unwrap_or(tail);
    built_page(tree, &full)
}

/// A built page (`ui/build/index.html`, `dist/admin.html`) that is not in the tree: the front-end
/// project's HTML template it is built from (`ui/public/index.html`, `ui/index.html`,
/// `ui/src/index.html`; one template serves every entry of a multi-page build).
pub(super) fn built_page(tree: &SourceTree, built: &str) -> Option<Found> {
    let segs: Vec<&str> = built.split('/').collect();
    let Some(at) = segs
        .iter()
        .position(|s| matches!(*s, "build" | "dist" | "out" | ".next" | "www"))
    else {
        // An output folder the bundler's config decides (`${config.output.path}/x.html`):
        // the HTML template of its HtmlWebpackPlugin.
        return html_plugin_template(tree);
    };
    let project = segs.get(..at)?.join("/");
    let project = if project.is_empty() {
        String::new()
    } else {
        format!("{project}/")
    };
    let name = segs.last()?;
    let mut tried = Vec::new();
    for folder in ["public/", "", "src/", "static/"] {
        tried.push(format!("{project}{folder}{name}"));
    }
    for folder in ["public/", "", "src/"] {
        tried.push(format!("{project}{folder}index.html"));
    }
    let file = tried.into_iter().find(|t| tree.contains(t))?;
    let mut found = Found::new(file, FoundBy::FrontEnd);
    found.roots = vec![format!("{project}public/"), project];
    Some(found)
}

static HTML_TEMPLATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?-u:\b)template[[:space:]]*:[[:space:]]*(?:path\.(?:resolve|join)\([^)'"]*)?['"]([^'"]+\.html?)['"]"#,
    )
});

/// The HTML template a webpack config's `HtmlWebpackPlugin` builds pages from: its literal
/// `template:`, else the conventional `public/index.html` (or `src/index.html`) of the project
/// holding the config.
fn html_plugin_template(tree: &SourceTree) -> Option<Found> {
    let configs: Vec<(&str, &str)> = tree
        .files_where(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            is_script(p) && name.contains("webpack") && !p.contains("node_modules/")
        })
        .filter(|(_, t)| t.contains("HtmlWebpackPlugin"))
        .collect();
    for (path, text) in &configs {
        let folder = folder_of(path);
        let mut tried: Vec<String> = Vec::new();
        for c in HTML_TEMPLATE.captures_iter(text) {
            if let Some(t) = c.get(1) {
                let t = t.as_str();
                tried.extend(join_normalized(folder, t));
                tried.extend(join_normalized("", t));
            }
        }
        // The project: the config's folder, or the one above a `config/` folder.
        let project = folder.strip_suffix("config/").unwrap_or(folder);
        for f in ["public/index.html", "src/index.html", "index.html"] {
            tried.push(format!("{project}{f}"));
        }
        if let Some(file) = tried.into_iter().find(|t| tree.contains(t)) {
            let mut found = Found::new(file, FoundBy::FrontEnd);
            found.roots = vec![format!("{project}public/"), project.to_string()];
            return Some(found);
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::super::{find_page, PageLookup};
    use super::*;

    fn found(l: PageLookup) -> Found {
        match l {
            PageLookup::Found(f) => f,
            other => panic!("expected Found, got {other:?}"),
        }
    }

    #[test]
    fn a_router_exported_by_name_and_mounted_with_middleware_from_another_file() {
        let tree = SourceTree::from_files([
            (
                "app.js",
                "import routes from './routes';\nroutes(app, addon);\n",
            ),
            (
                "routes/index.js",
                "import { studioRouter } from './studio';\nexport default function (app, addon) {\n  app.use('/studio', addon.authenticate(), check, studioRouter);\n}\n",
            ),
            (
                "routes/studio.js",
                "const studioRouter = express.Router();\nstudioRouter.route('/edit').get((req, res) => res.render('studio/edit'));\nexport { studioRouter };\n",
            ),
            ("views/studio/edit.hbs", "x"),
        ]);
        let f = found(find_page(&tree, "/studio/edit?x=1"));
        assert_eq!(f.file, "views/studio/edit.hbs");
        assert_eq!(f.route_file.as_deref(), Some("routes/studio.js"));
        assert!(matches!(
            find_page(&tree, "/edit"),
            PageLookup::NotFound { .. }
        ));
    }

    #[test]
    fn a_handler_defined_in_a_controller_module() {
        let tree = SourceTree::from_files([
            (
                "server/routes.js",
                "import * as pages from './controllers/pages'\nexport default (app) => {\n  app.get('/macro', addon.authenticate(), pages.macro)\n  app.get('/other', (req, res) => res.send('x'))\n}\n",
            ),
            (
                "server/controllers/pages.js",
                "exports.editor = function (req, res) { res.render('editor'); };\nexports.macro = async (req, res) => {\n  res.render('macro', { a: 1 });\n};\n",
            ),
            ("views/macro.hbs", "x"),
            ("views/editor.hbs", "x"),
        ]);
        assert_eq!(found(find_page(&tree, "/macro")).file, "views/macro.hbs");
    }

    #[test]
    fn a_handler_made_by_a_factory_and_one_named_in_the_same_file() {
        let tree = SourceTree::from_files([(
            "index.js",
            "function page(name) {\n  return (req, res) => res.render(name);\n}\nfunction glance(req, res) {\n  res.render('glance');\n}\napp.get('/sla', page('sla'));\napp.get('/glance', glance);\n",
        ),
            ("views/sla.hbs", "x"),
            ("views/glance.hbs", "x"),
        ]);
        assert_eq!(found(find_page(&tree, "/sla")).file, "views/sla.hbs");
        assert_eq!(found(find_page(&tree, "/glance")).file, "views/glance.hbs");
    }

    #[test]
    fn routes_registered_in_a_loop_over_page_names() {
        let tree = SourceTree::from_files([
            (
                "src/server/index.js",
                "const pages = fs.readdirSync(path.join(__dirname, '../../views'));\npages.forEach((page) => {\n  app.get(`/${page}`, addon.authenticate(), (req, res) => res.render(`${page}`));\n});\nfor (const name of ['a', 'b']) {\n  router.get('/x/' + name, (req, res) => { res.render('x-' + name); });\n}\n",
            ),
            ("views/glance.hbs", "x"),
            ("views/x-b.hbs", "x"),
        ]);
        assert_eq!(found(find_page(&tree, "/glance")).file, "views/glance.hbs");
        assert_eq!(found(find_page(&tree, "/x/b")).file, "views/x-b.hbs");
        // A list of literals bounds the loop: `/x/c` is no route.
        assert!(matches!(
            find_page(&tree, "/x/c"),
            PageLookup::NotFound { .. }
        ));
    }

    #[test]
    fn a_handler_rendering_several_views_gives_the_page_and_lists_the_others() {
        let tree = SourceTree::from_files([
            (
                "routes/index.js",
                "app.get('/panel', (req, res) => {\n  if (!req.context) { return res.render('unauthorized'); }\n  if (x) return res.render('setup');\n  res.render('panel');\n});\n",
            ),
            ("views/unauthorized.hbs", "x"),
            ("views/setup.hbs", "x"),
            ("views/panel.hbs", "x"),
        ]);
        let f = found(find_page(&tree, "/panel"));
        assert_eq!(f.file, "views/panel.hbs");
        assert_eq!(f.others, ["views/unauthorized.hbs", "views/setup.hbs"]);
    }

    #[test]
    fn a_built_index_html_leads_to_the_front_end_project() {
        let tree = SourceTree::from_files([
            (
                "server/index.js",
                "app.get('/admin', (req, res) => {\n  res.sendFile(path.join(__dirname, '../web/build', 'index.html'));\n});\n",
            ),
            ("web/public/index.html", "<div id=root></div>"),
            ("web/package.json", "{}"),
        ]);
        let f = found(find_page(&tree, "/admin"));
        assert_eq!(
            (f.file.as_str(), f.found_by),
            ("web/public/index.html", FoundBy::FrontEnd)
        );
        assert_eq!(f.route_file.as_deref(), Some("server/index.js"));
    }

    #[test]
    fn a_page_read_from_the_bundler_output_leads_to_the_html_plugin_template() {
        let tree = SourceTree::from_files([
            ("src/pages.js", "module.exports = { pages: ['admin', 'glance'] };"),
            (
                "src/server/index.js",
                "const { pages } = require('../pages');\nfor (const page of pages) {\n  const html = fs.readFileSync(`${config.output.path}/${page}.html`, 'utf8');\n  app.get(`/${page}`, (req, res) => { res.send(fs.readFileSync(`${config.output.path}/${page}.html`)); });\n}\n",
            ),
            (
                "config/webpack.config.js",
                "module.exports = { plugins: [new HtmlWebpackPlugin({ template: paths.appHtml })] };",
            ),
            ("public/index.html", "<div id=root></div>"),
        ]);
        let f = found(find_page(&tree, "/admin?route=setup"));
        assert_eq!(
            (f.file.as_str(), f.found_by),
            ("public/index.html", FoundBy::FrontEnd)
        );
        // Not one of the pages the loop registers.
        assert!(matches!(
            find_page(&tree, "/other-page"),
            PageLookup::NotFound { .. }
        ));
    }

    #[test]
    fn views_folder_set_by_the_app_and_client_calls_are_not_routes() {
        let tree = SourceTree::from_files([
            (
                "src/app.ts",
                "app.set('views', path.join(__dirname, 'templates'));\napp.get('/bg', (req, res) => res.render('bg'));\n",
            ),
            ("src/templates/bg.ejs", "x"),
            ("public/js/a.js", "app.get('/bg', (req, res) => res.render('nope'));"),
        ]);
        assert_eq!(found(find_page(&tree, "/bg")).file, "src/templates/bg.ejs");
    }
}
