//! NestJS (on its Express adapter, as atlassian-connect-express runs there): a controller's
//! `@Controller('prefix')` (or `@Controller({ path: 'prefix' })`) plus a method's `@Get('path')`
//! or `@All(...)`, under the app's `setGlobalPrefix('p')`; the method's `@Render('view')`
//! decorator, or a `res.render('view')` in its body, names a view under the views folders
//! (`setBaseViewsDir(...)` naming one the tree has, every `views/` folder). Decorators are
//! matched as groups: `@Render` may come before or after `@Get`.

use std::sync::LazyLock;

use regex::Regex;

use super::express::{is_server_file, view_files, view_roots};
use super::{
    balanced, first_group, folder_of, join_normalized, line_of, pick_view, split_args, Cx, Found,
    FoundBy, Hits, Rule,
};

/// The rule's entry in the registry.
pub(super) const RULE: Rule = Rule { name: "nest", find };

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}"))
}

/// A decorator with arguments: `@Name(`.
static DECORATOR: LazyLock<Regex> =
    LazyLock::new(|| re(r"@[[:space:]]*([A-Za-z_$][[:word:]$]*)[[:space:]]*\("));
static QUOTED: LazyLock<Regex> = LazyLock::new(|| re(r#"'([^'\n]*)'|"([^"\n]*)"|`([^`\n]*)`"#));
static RENDER_CALL: LazyLock<Regex> = LazyLock::new(|| re(r"\.[[:space:]]*render[[:space:]]*\("));
static BASE_VIEWS: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u:\b)setBaseViewsDir[[:space:]]*\("));
static GLOBAL_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?-u:\b)setGlobalPrefix[[:space:]]*\([[:space:]]*(?:'([^'\n]*)'|"([^"\n]*)"|`([^`$\n]*)`)"#,
    )
});

/// Decorators that start a method or a class: the end of the method before them.
const ENDS_METHOD: &[&str] = &[
    "Controller",
    "Get",
    "Post",
    "Put",
    "Patch",
    "Delete",
    "Options",
    "Head",
    "All",
    "Render",
];

/// Longest decorator argument list or method read.
const MAX_ARGS: usize = 64 * 1024;

/// One decorator: its name, where it starts and ends, and its argument text.
struct Decorator<'t> {
    name: &'t str,
    start: usize,
    end: usize,
    args: &'t str,
}

/// The decorators of `text` in order.
fn decorators(text: &str) -> Vec<Decorator<'_>> {
    DECORATOR
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let (args, end) = balanced(text, whole.end() - 1, MAX_ARGS)?;
            Some(Decorator {
                name: c.get(1)?.as_str(),
                start: whole.start(),
                end,
                args,
            })
        })
        .collect()
}

/// The string literals of a decorator's arguments (`'x'`, `['a', 'b']`, `{ path: 'x' }`), or
/// one empty path when it has none (`@Get()`).
fn paths(args: &str) -> Vec<String> {
    let found: Vec<String> = QUOTED
        .captures_iter(args)
        .filter_map(|q| first_group(&q, 1..=3))
        .filter(|p| !p.contains("${"))
        .map(str::to_string)
        .collect();
    if found.is_empty() {
        vec![String::new()]
    } else {
        found
    }
}

/// The folders `setBaseViewsDir(...)` names that the tree has: `join(__dirname, '..', 'views')`
/// from the file's folder, a bare string from the root, an absolute path (the author's own
/// machine's) by its longest tail that is a folder of the tree.
fn base_views(cx: &Cx<'_>, files: &[(&str, &str)]) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        for m in BASE_VIEWS.find_iter(text) {
            let Some((args, _)) = balanced(text, m.end() - 1, MAX_ARGS) else {
                continue;
            };
            let parts: Vec<&str> = QUOTED
                .captures_iter(args)
                .filter_map(|q| first_group(&q, 1..=3))
                .collect();
            let joined = parts.join("/");
            let folder = if joined.starts_with('/') || joined.get(1..2) == Some(":") {
                let segments: Vec<&str> = joined
                    .split(['/', '\\'])
                    .filter(|s| !s.is_empty())
                    .collect();
                (0..segments.len()).find_map(|k| {
                    let tail = format!("{}/", segments.get(k..)?.join("/"));
                    cx.tree
                        .paths()
                        .any(|p| p.starts_with(&tail))
                        .then_some(tail)
                })
            } else if !joined.is_empty() {
                let base = if args.contains("__dirname") {
                    folder_of(path)
                } else {
                    ""
                };
                join_normalized(base, &joined).map(|f| format!("{f}/"))
            } else {
                None
            };
            if let Some(f) = folder.filter(|f| f != "/" && !out.contains(f)) {
                out.push(f);
            }
        }
    }
    out
}

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    let tree = cx.tree;
    let files: Vec<(&str, &str)> = tree
        .files_where(is_server_file)
        .filter(|(_, t)| {
            t.contains("@Controller")
                || t.contains("setGlobalPrefix")
                || t.contains("setBaseViewsDir")
        })
        .collect();
    if !files.iter().any(|(_, t)| t.contains("@Controller")) {
        return;
    }
    let global: Vec<String> = files
        .iter()
        .flat_map(|(_, t)| GLOBAL_PREFIX.captures_iter(t))
        .filter_map(|c| first_group(&c, 1..=3).map(str::to_string))
        .collect();
    let global = if global.is_empty() {
        vec![String::new()]
    } else {
        global
    };
    let mut views = base_views(cx, &files);
    for v in view_roots(tree, &[]) {
        if !views.contains(&v) {
            views.push(v);
        }
    }
    for (path, text) in files.iter().filter(|(_, t)| t.contains("@Controller")) {
        let all = decorators(text);
        // Group decorators written one after another (only spaces between): a method's set.
        let mut groups: Vec<Vec<&Decorator>> = Vec::new();
        for d in &all {
            let joined = groups.last().and_then(|g| g.last()).is_some_and(|prev| {
                text.get(prev.end..d.start)
                    .is_some_and(|gap| gap.trim().is_empty())
            });
            match groups.last_mut() {
                Some(g) if joined => g.push(d),
                _ => groups.push(vec![d]),
            }
        }
        let mut prefixes = vec![String::new()];
        for (i, group) in groups.iter().enumerate() {
            if let Some(c) = group.iter().find(|d| d.name == "Controller") {
                prefixes = paths(c.args);
                continue;
            }
            let routes: Vec<&&Decorator> = group
                .iter()
                .filter(|d| d.name == "Get" || d.name == "All")
                .collect();
            let Some(first) = routes.first() else {
                continue;
            };
            let matched = routes.iter().any(|r| {
                paths(r.args).iter().any(|p| {
                    prefixes.iter().any(|c| {
                        global
                            .iter()
                            .any(|g| cx.url.matches(&format!("/{g}/{c}/{p}")))
                    })
                })
            });
            if !matched {
                continue;
            }
            // The method: from the group's end to the next method's or class's decorators
            // (parameter decorators, `@Req()`, are inside it).
            let group_end = group.last().map_or(first.end, |d| d.end);
            let method_end = groups
                .get(i + 1..)
                .unwrap_or(&[])
                .iter()
                .find(|g| g.iter().any(|d| ENDS_METHOD.contains(&d.name)))
                .and_then(|g| g.first())
                .map_or(text.len(), |d| d.start);
            let body = text.get(group_end..method_end).unwrap_or("");
            let mut names: Vec<String> = group
                .iter()
                .filter(|d| d.name == "Render")
                .filter_map(|d| QUOTED.captures(d.args))
                .filter_map(|q| first_group(&q, 1..=3).map(str::to_string))
                .collect();
            for m in RENDER_CALL.find_iter(body) {
                let Some((args, _)) = balanced(body, m.end() - 1, MAX_ARGS) else {
                    continue;
                };
                let first = split_args(args).first().map(|a| a.trim().to_string());
                if let Some(name) = first
                    .as_deref()
                    .and_then(|a| QUOTED.captures(a))
                    .and_then(|q| first_group(&q, 1..=3).map(str::to_string))
                {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
            let line = line_of(text, first.start);
            let by = format!("rendered by {path}:{line}");
            let mut files: Vec<(String, String)> = Vec::new();
            for name in &names {
                let tried = view_files(&views, name);
                match tried.iter().find(|t| tree.contains(t)) {
                    Some(f) => files.push((name.clone(), f.clone())),
                    None => hits.absent(tree, &tried, &by),
                }
            }
            let shown: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
            let pick = pick_view(&shown, cx.url);
            if pick >= files.len() {
                continue;
            }
            let (_, page) = files.remove(pick);
            let mut found = Found::new(page, FoundBy::NestController).at(path, line);
            found.others = files.into_iter().map(|(_, f)| f).collect();
            hits.found.push(found);
        }
    }
}
