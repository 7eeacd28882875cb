//! The page a handler shows: the view it renders (the page among several, the others as
//! candidates), or the HTML file it sends, and for a built file the front-end project's
//! template.

use super::*;

/// The pages a handler shows: its `res.render(...)` views (the page, with the others as
/// candidates), or the HTML file it sends.
#[allow(clippy::too_many_arguments)]
pub(super) fn pages_of(
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
        let sent = send_file(tree, path, handler, bound);
        if sent.is_none() {
            if let Some(w) = WRITES_BODY.find(handler) {
                if let Some(file) = literal_page(tree, path, handler, w.end() - 1) {
                    return vec![Found::new(file, FoundBy::AceRoute)];
                }
                let at = by.trim_start_matches("rendered by ");
                hits.built_in_code(
                    at,
                    &format!("{}…)", w.as_str().replace(char::is_whitespace, "")),
                );
            }
        }
        return sent.into_iter().collect();
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
pub(super) fn view_name(arg: &str, bound: &[(String, String)]) -> Option<String> {
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
pub(super) fn substitute(template: &str, bound: &[(String, String)]) -> Option<String> {
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
pub(in crate::port::discover) fn view_files(views: &[String], view: &str) -> Vec<String> {
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
pub(super) fn send_file(
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
pub(in crate::port::discover) fn built_page(tree: &SourceTree, built: &str) -> Option<Found> {
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
pub(super) fn html_plugin_template(tree: &SourceTree) -> Option<Found> {
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

/// The script holding the page a handler writes with `res.send(…)` (the `(` at `open`) as a
/// template literal ([`js_literal`](crate::port::render::js_literal)): the literal itself
/// (`` res.send(`<!DOCTYPE html>…`) ``, in the route's file), or what a function it calls returns
/// (`res.end(template(body))`: `template` defined in the route's file or imported from a
/// relative module). `None` when that holds no document literal.
fn literal_page(tree: &SourceTree, path: &str, handler: &str, open: usize) -> Option<String> {
    use crate::port::render::js_literal::page_literal;
    let (args, _) = balanced(handler, open, MAX_ARGS)?;
    let first = split_args(args).first().map(|a| a.trim())?;
    let has_page = |file: &str| tree.get(file).and_then(page_literal).is_some();
    if first.starts_with('`') {
        return has_page(path).then(|| path.to_string());
    }
    let name = IDENT
        .captures(first)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())?;
    let text = tree.get(path)?;
    if handlers::definition(text, name).is_some() && has_page(path) {
        return Some(path.to_string());
    }
    let module = mounts::bindings(text).get(name).cloned()?;
    let file = mounts::resolve_module(tree, path, &module)?;
    has_page(&file).then_some(file)
}

/// A route serving one file at a literal URL (`app.use('/js', (req, res) =>
/// res.sendFile(path.join(__dirname, '../../dist/app.bundle.js')))`): the path, relative to
/// the tree's root, of the file it sends for `url_path` (which may be a build output, not in
/// the tree), or `None`.
pub(in crate::port::discover) fn served_file(tree: &SourceTree, url_path: &str) -> Option<String> {
    static ONE_FILE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"\.[[:space:]]*(?:use|get)[[:space:]]*\([[:space:]]*['"`](/[^'"`$]*)['"`][[:space:]]*,"#,
        )
    });
    for (path, text) in server_files(tree) {
        if !text.contains("sendFile") {
            continue;
        }
        for c in ONE_FILE.captures_iter(text) {
            let (Some(whole), Some(url)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if url.as_str().trim_end_matches('/') != url_path.trim_end_matches('/') {
                continue;
            }
            let open = whole.as_str().find('(').map(|i| whole.start() + i)?;
            let (args, _) = balanced(text, open, MAX_ARGS)?;
            let Some(m) = SEND_FILE.find(args) else {
                continue;
            };
            let (send_args, _) = balanced(args, m.end() - 1, MAX_ARGS)?;
            let parts: Vec<&str> = QUOTED
                .captures_iter(send_args)
                .filter_map(|q| first_group(&q, 1..=3))
                .collect();
            let base = if send_args.contains("__dirname") {
                folder_of(path)
            } else {
                ""
            };
            if let Some(file) = join_normalized(base, &parts.join("/")) {
                return Some(file);
            }
        }
    }
    None
}
