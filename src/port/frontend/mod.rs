//! Bundled front ends: a page whose code is a front-end project (webpack, Vite, Create React App,
//! Vue CLI, Parcel, Next.js, Nuxt), not a build output that is not in the repository. For such a
//! page this finds the project (the folder of the `package.json` whose build makes the page), its
//! entries, and every local source file they import ([`graph`]), so the analysis reports their
//! `AP` calls at their own file:line:column, as it does for a carried script's.
//!
//! Three ways a page leads to a project:
//! - its shell ([`for_shell`]): the HTML template a route serves from `build/` or `dist/`, or a
//!   single-page app's `index.html`;
//! - a file-system route's page file ([`for_route_file`]: `app/x/page.tsx`, `pages/x.vue`), the
//!   entry itself, with the layouts above it;
//! - a script the page loads that a bundler writes ([`for_bundle`]: `/js/editor.js`, built from
//!   the webpack `entry` named `editor`).
//!
//! Pure over the tree: no file-system access, nothing run.

pub mod amd;
pub mod graph;
pub mod page;

use std::sync::LazyLock;

use regex::Regex;

use super::discover::{balanced, folder_of, join_normalized, split_args};
use super::tree::SourceTree;
pub use graph::Graph;
use graph::{is_source, Resolver};

/// A front-end project and the sources a page runs from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontEnd {
    /// The project folder (where its `package.json` is), relative, ending in `/`, or empty for
    /// the source root.
    pub project: String,
    /// The entries, each with how it was found (`src/index.tsx` — "Create React App's entry").
    pub entries: Vec<(String, &'static str)>,
    /// The bundler or framework its `package.json` builds with, when known (`react-scripts`).
    pub builder: Option<&'static str>,
    /// The sources reached from the entries.
    pub graph: Graph,
}

impl FrontEnd {
    /// The project folder as said to a user (`client/`, or `the source root`).
    pub fn folder(&self) -> &str {
        if self.project.is_empty() {
            "./"
        } else {
            &self.project
        }
    }
}

/// Bundlers and frameworks, as a `package.json` names them, in the order they are told.
const BUILDERS: &[&str] = &[
    "next",
    "nuxt",
    "react-scripts",
    "vite",
    "@vue/cli-service",
    "parcel",
    "parcel-bundler",
    "webpack",
    "esbuild",
    "gatsby",
    "@sveltejs/kit",
];

/// The folder of the nearest `package.json` at or above `file`'s folder.
pub fn project_of(tree: &SourceTree, file: &str) -> Option<String> {
    let mut folder = folder_of(file).to_string();
    loop {
        if tree.lists(&format!("{folder}package.json")) {
            return Some(folder);
        }
        if folder.is_empty() {
            return None;
        }
        let trimmed = folder.trim_end_matches('/');
        folder = match trimmed.rfind('/') {
            Some(i) => trimmed[..=i].to_string(),
            None => String::new(),
        };
    }
}

/// The builder `project`'s `package.json` names.
fn builder(tree: &SourceTree, project: &str) -> Option<&'static str> {
    let text = tree.get(&format!("{project}package.json"))?;
    BUILDERS
        .iter()
        .find(|b| text.contains(&format!("\"{b}\"")))
        .copied()
}

static MODULE_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<script\b[^>]*\btype\s*=\s*["']?module["']?[^>]*>"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static SRC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)\bsrc\s*=\s*["']([^"']+)["']"#).unwrap_or_else(|e| unreachable!("{e}"))
});

/// The project a front-end shell (`ui/public/index.html`, a Vite `index.html`) belongs to, with
/// its entries and sources.
pub fn for_shell(tree: &SourceTree, shell: &str) -> Option<FrontEnd> {
    let project = project_of(tree, shell)?;
    let mut entries: Vec<(String, &'static str)> = Vec::new();
    // Vite: the shell's `<script type="module" src="/src/main.ts">`, from the project's root.
    if let Some(text) = tree.get(shell) {
        for tag in MODULE_SCRIPT.find_iter(text) {
            let Some(src) = SRC.captures(tag.as_str()).and_then(|c| c.get(1)) else {
                continue;
            };
            let src = src.as_str();
            let file = match src.strip_prefix('/') {
                Some(rooted) => join_normalized(&project, rooted),
                None => join_normalized(folder_of(shell), src),
            };
            if let Some(f) = file.filter(|f| tree.lists(f)) {
                entries.push((f, "the shell's module script"));
            }
        }
    }
    // A shell naming its own entries (Vite) runs those; the project's conventional entries are
    // another page's in a multi-page app.
    if entries.is_empty() {
        entries.extend(project_entries(tree, &project));
    }
    Some(finish(tree, project, entries))
}

/// The project of a file-system route's page file (`app/x/page.tsx`, `pages/x.vue`): the page
/// is its entry, with the layouts and app shells of the folders above it (Next.js
/// `layout.tsx` and `_app.tsx`, Nuxt `app.vue` and `layouts/`, SvelteKit `+layout.svelte`).
pub fn for_route_file(tree: &SourceTree, page: &str) -> Option<FrontEnd> {
    let project = project_of(tree, page)?;
    let mut entries = vec![(page.to_string(), "the route's page file")];
    let mut folder = folder_of(page).to_string();
    while folder.len() >= project.len() {
        for name in [
            "layout.tsx",
            "layout.jsx",
            "layout.js",
            "layout.ts",
            "+layout.svelte",
            "_app.tsx",
            "_app.jsx",
            "_app.js",
            "app.vue",
        ] {
            let f = format!("{folder}{name}");
            if tree.lists(&f) {
                entries.push((f, "a layout above the page"));
            }
        }
        if folder.is_empty() {
            break;
        }
        let trimmed = folder.trim_end_matches('/');
        folder = match trimmed.rfind('/') {
            Some(i) => trimmed[..=i].to_string(),
            None => String::new(),
        };
    }
    Some(finish(tree, project, entries))
}

/// The project whose bundler writes the script `url_path` a page loads (`/js/react/Editor.js`,
/// not in the tree): the webpack `entry` whose output file has that name (`output.filename`,
/// `[name]` replaced; or the entry of that name), or the entry of an `esbuild`/`browserify`
/// command of a `package.json` script whose `--outfile`/`-o` has that name.
pub fn for_bundle(tree: &SourceTree, url_path: &str) -> Option<FrontEnd> {
    let name = url_path.rsplit('/').next()?.trim_end_matches('}');
    let stem = name.split('.').next()?;
    if stem.is_empty() {
        return None;
    }
    for (config, text) in webpack_configs(tree, "") {
        let project = config_project(config);
        let filename = FILENAME
            .captures(text)
            .and_then(|c| c.get(1))
            .map_or("[name].js", |m| m.as_str());
        let filename = filename.rsplit('/').next().unwrap_or(filename);
        let entries = webpack_entries(tree, config, text, &project);
        let hits: Vec<String> = entries
            .iter()
            .filter(|(entry_name, _)| {
                let entry_name = entry_name.as_deref().unwrap_or("main");
                filename.replace("[name]", entry_name) == name || entry_name == stem
            })
            .map(|(_, f)| f.clone())
            .collect();
        if !hits.is_empty() {
            let entries = hits
                .into_iter()
                .map(|f| (f, "the webpack entry the script is built from"))
                .collect();
            return Some(finish(tree, project, entries));
        }
    }
    for (pkg, text) in tree.files_where(|p| p == "package.json" || p.ends_with("/package.json")) {
        let project = folder_of(pkg).to_string();
        for c in BUNDLE_SCRIPT.captures_iter(text) {
            let (Some(entry), Some(out)) = (c.get(1), c.get(2)) else {
                continue;
            };
            if out.as_str().rsplit('/').next() != Some(name) {
                continue;
            }
            let Some(file) =
                join_normalized(&project, entry.as_str()).and_then(|f| graph::file_of(tree, &f))
            else {
                continue;
            };
            return Some(finish(
                tree,
                project,
                vec![(file, "the entry of the package.json script that bundles it")],
            ));
        }
    }
    None
}

static FILENAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)filename[[:space:]]*:[[:space:]]*['"`]([^'"`]+)['"`]"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static BUNDLE_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:esbuild|browserify)[[:space:]]+([^[:space:]"'&|;-][^[:space:]"'&|;]*)[^"&|;]*?(?:--outfile[= ]|-o[[:space:]]+)([^[:space:]"'&|;]+)"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// The conventional entries of a project: `package.json` `source` (Parcel) and `main` (when it
/// is a front-end file), Create React App's `src/index.*`, Vue CLI's `src/main.*`, and its
/// webpack configs' `entry`.
fn project_entries(tree: &SourceTree, project: &str) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    if let Some(pkg) = tree
        .get(&format!("{project}package.json"))
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
    {
        for (field, how) in [
            ("source", "package.json's source"),
            ("main", "package.json's main"),
        ] {
            let Some(f) = pkg
                .get(field)
                .and_then(|v| v.as_str())
                .and_then(|v| join_normalized(project, v))
            else {
                continue;
            };
            // A server's `main` (an Express app beside its front end) is not the page's code.
            let server = tree.get(&f).is_some_and(loads_server_module);
            if is_source(&f) && tree.lists(&f) && !server {
                out.push((f, how));
            }
        }
    }
    for (stem, how) in [
        ("src/index", "Create React App's entry"),
        ("src/main", "the Vue CLI and Vite entry"),
    ] {
        for ext in ["tsx", "ts", "jsx", "js"] {
            let f = format!("{project}{stem}.{ext}");
            if tree.lists(&f) {
                out.push((f, how));
                break;
            }
        }
    }
    for (config, text) in webpack_configs(tree, project) {
        for (_, file) in webpack_entries(tree, config, text, project) {
            out.push((file, "a webpack entry"));
        }
    }
    out
}

/// Modules only a server loads: a file that imports one is server code, not a page's.
const SERVER_MODULES: &[&str] = &[
    "express",
    "atlassian-connect-express",
    "koa",
    "fastify",
    "@hapi/hapi",
    "fs",
    "node:fs",
    "child_process",
    "node:child_process",
];

/// Whether the JavaScript `text` loads a module only a server loads (`require('express')`,
/// `import fs from 'fs'`).
fn loads_server_module(text: &str) -> bool {
    SERVER_MODULES.iter().any(|m| {
        ["require('", "require(\"", "from '", "from \""]
            .iter()
            .any(|open| {
                let close = if open.ends_with('\'') { "'" } else { "\"" };
                text.contains(&format!("{open}{m}{close}"))
            })
    })
}

/// The entries made into a [`FrontEnd`]: deduplicated; none found, the project's `src/` files.
fn finish(tree: &SourceTree, project: String, entries: Vec<(String, &'static str)>) -> FrontEnd {
    let mut unique: Vec<(String, &'static str)> = Vec::new();
    for e in entries {
        if !unique.iter().any(|(f, _)| *f == e.0) {
            unique.push(e);
        }
    }
    if unique.is_empty() {
        let src = format!("{project}src/");
        // A project that is the whole app keeps its server in src/ too (src/server/, a file
        // that loads Express or the file system): that is not the page's code.
        let server = |p: &str| {
            p.strip_prefix(src.as_str())
                .unwrap_or(p)
                .split('/')
                .any(|seg| seg == "server" || seg == "backend")
                || tree.get(p).is_some_and(loads_server_module)
        };
        unique = tree
            .paths()
            .filter(|p| p.starts_with(&src) && is_source(p) && !server(p))
            .map(|p| {
                (
                    p.to_string(),
                    "a file of the project's src/ (no entry found)",
                )
            })
            .collect();
    }
    let resolver = Resolver::of(tree, &project);
    let files: Vec<String> = unique.iter().map(|(f, _)| f.clone()).collect();
    let graph = graph::follow(tree, &resolver, &files);
    FrontEnd {
        builder: builder(tree, &project),
        project,
        entries: unique,
        graph,
    }
}

/// The webpack configs under `project` (`webpack.config.js`, `webpack.common.js`,
/// `config/webpack.prod.js`, `webpack/base.ts`), with their text.
fn webpack_configs<'t>(
    tree: &'t SourceTree,
    project: &'t str,
) -> impl Iterator<Item = (&'t str, &'t str)> + 't {
    tree.files_where(move |p| {
        let name = p.rsplit('/').next().unwrap_or(p);
        p.starts_with(project)
            && (name.contains("webpack") || p.contains("/webpack/") || p.starts_with("webpack/"))
            && is_source(p)
    })
}

/// The project a webpack config builds: its folder, or the one above a `config/` or `webpack/`
/// folder.
fn config_project(config: &str) -> String {
    let folder = folder_of(config);
    folder
        .strip_suffix("config/")
        .or_else(|| folder.strip_suffix("webpack/"))
        .unwrap_or(folder)
        .to_string()
}

static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)entry[[:space:]]*:[[:space:]]*"#).unwrap_or_else(|e| unreachable!("{e}"))
});
static CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)context[[:space:]]*:[[:space:]]*([^\n]+)"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?s)^(?:['"]([^'"]+)['"]|([A-Za-z_$][A-Za-z0-9_$-]*))[[:space:]]*:[[:space:]]*(.*)$"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});
static LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"['"`]([^'"`]+)['"`]"#).unwrap_or_else(|e| unreachable!("{e}")));

/// A webpack config's `entry` files, each with its name when the entry is an object
/// (`entry: { editor: './src/editor.js' }`), resolved from the project and from the config's
/// folder (`path.resolve(__dirname, 'src', 'x.js')` joins its literals).
fn webpack_entries(
    tree: &SourceTree,
    config: &str,
    text: &str,
    project: &str,
) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    // Entries are relative to the config's `context` (`__dirname + '/src/main/javascript'`),
    // else to the project (webpack's working folder), else to the config's folder.
    let context = CONTEXT.captures(text).and_then(|c| {
        let value = c.get(1)?.as_str();
        let value = split_args(value).into_iter().next().unwrap_or(value);
        let literals: Vec<&str> = LITERAL
            .captures_iter(value)
            .filter_map(|c| c.get(1).map(|m| m.as_str().trim_matches('/')))
            .collect();
        let joined = join_normalized(folder_of(config), &literals.join("/"))?;
        Some(if joined.is_empty() {
            joined
        } else {
            format!("{joined}/")
        })
    });
    let mut bases: Vec<&str> = Vec::new();
    if let Some(c) = &context {
        bases.push(c);
    }
    bases.push(project);
    bases.push(folder_of(config));
    let resolve = |value: &str| -> Vec<String> {
        let literals: Vec<&str> = LITERAL
            .captures_iter(value)
            .filter_map(|c| c.get(1).map(|m| m.as_str()))
            .collect();
        let paths: Vec<String> = if value.trim_start().starts_with('[') {
            literals.iter().map(|s| s.to_string()).collect()
        } else if literals.is_empty() {
            Vec::new()
        } else {
            // `path.resolve(__dirname, 'src', 'x.js')`: its literals are one path.
            vec![literals.join("/")]
        };
        paths
            .iter()
            .filter_map(|p| {
                bases
                    .iter()
                    .find_map(|base| graph::file_of(tree, &join_normalized(base, p)?))
            })
            .collect()
    };
    for m in ENTRY.find_iter(text) {
        let rest = &text[m.end()..];
        match rest.chars().next() {
            Some('{') => {
                let Some((inner, _)) = balanced(text, m.end(), 64 * 1024) else {
                    continue;
                };
                for c in split_args(inner).iter().filter_map(|p| NAMED.captures(p)) {
                    let name = c
                        .get(1)
                        .or_else(|| c.get(2))
                        .map(|n| n.as_str().to_string());
                    let value = c.get(3).map_or("", |v| v.as_str());
                    // `import: './x'` inside a descriptor object belongs to the entry above.
                    if matches!(name.as_deref(), Some("import" | "dependOn" | "filename")) {
                        continue;
                    }
                    for f in resolve(value) {
                        out.push((name.clone(), f));
                    }
                }
            }
            Some('[') => {
                if let Some((inner, _)) = balanced(text, m.end(), 64 * 1024) {
                    for f in resolve(&format!("[{inner}]")) {
                        out.push((None, f));
                    }
                }
            }
            _ => {
                let value = split_args(rest).into_iter().next().unwrap_or("");
                let value = value.split('\n').next().unwrap_or(value);
                for f in resolve(value) {
                    out.push((None, f));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
