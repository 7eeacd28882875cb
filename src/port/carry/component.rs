//! A React component a view engine renders as the page (issue 20 §4): an Express route's
//! `res.render('hello.jsx')` under ACE's React template (its `.jsx` views are rendered on the
//! server into `react-layout.hbs` and mounted in the browser from a bundle of the component),
//! or any `.jsx`/`.tsx` view. There is no HTML page to split: the page's code is the component
//! and the local files it imports.
//!
//! The resource gets an `index.html` of its own (the mount element, `main.js`, one module
//! script), the component and its local imports carried under `page/` at their paths in the
//! source tree, and a module `page/<stem>.mount.js` the tool writes that renders the
//! component's default export into the mount element with `react-dom` (`createRoot` from
//! React 18, `ReactDOM.render` before). The resource's build bundles that module with esbuild
//! (`templates/scaffold/scripts/build.mjs.hbs`): its npm packages are bundled, at the versions
//! the app's `package.json` gives, and JSX is read in `.js` files too.
//!
//! The props the route renders it with (`res.render('hello.jsx', { title: 'x', issueId:
//! req.query.issueId })`) are passed where they are static: a literal as it is, a query parameter
//! read from `location.search` (which the compatibility layer rebuilds from the Forge context
//! before the page's scripts run). Said at the component (a located warning): that it is mounted
//! in the browser, which props are passed and which are not (a value computed on the server), and
//! that the layout's server-side markup is not carried. A component view that
//! is not React (a `.vue` or `.svelte` page) is not mounted: its warning says so.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::modules::ModuleEntry;
use super::{escape, file, module_tag, page_stem, Carried};
use crate::port::analysis;
use crate::port::discover::{balanced, folder_of, join_normalized, split_args, Found, FoundBy};
use crate::port::frontend::graph::{file_of, is_source};
use crate::port::frontend::FrontEnd;
use crate::port::page::Location;
use crate::port::tree::SourceTree;
use crate::scaffold::json_literal;

/// The element the component is mounted into: ACE's React layout's.
const MOUNT_ID: &str = "content";

/// Whether a page file is a component a view engine renders (`.jsx`, `.tsx`, `.vue`,
/// `.svelte`), not an HTML template.
pub fn is_component(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jsx", ".tsx", ".vue", ".svelte"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The package a bare import names (`@atlaskit/button/new` → `@atlaskit/button`), or `None`
/// for a local or absolute one.
fn package_of(spec: &str) -> Option<String> {
    if spec.is_empty()
        || spec.starts_with(['.', '/'])
        || spec.contains(':')
        || spec.starts_with("~/")
        || spec.starts_with("@/")
    {
        return None;
    }
    let mut parts = spec.split('/');
    let first = parts.next()?;
    if first.starts_with('@') {
        Some(format!("{first}/{}", parts.next()?))
    } else {
        Some(first.to_string())
    }
}

/// The dependency ranges the `package.json` in `folder` (relative, ending in `/` or empty)
/// lists, `dependencies` over `devDependencies`.
fn declared(tree: &SourceTree, folder: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(v) = tree
        .get(&format!("{folder}package.json"))
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
    else {
        return out;
    };
    for section in ["devDependencies", "dependencies"] {
        if let Some(deps) = v.get(section).and_then(Value::as_object) {
            for (name, range) in deps {
                if let Some(r) = range.as_str() {
                    out.insert(name.clone(), r.to_string());
                }
            }
        }
    }
    out
}

/// Lockfiles are read from disk (the source walk skips them): at most this many bytes each.
const MAX_LOCKFILE: u64 = 32 * 1024 * 1024;

/// A lockfile's text under `root`, if it is there, readable and not too big.
fn read_lockfile(root: Option<&Path>, rel: &str) -> Option<String> {
    let path = root?.join(rel);
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_LOCKFILE {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// The versions the app's lockfiles (`npm`: `package-lock.json`'s text, `yarn`: `yarn.lock`'s)
/// installed at the top of `node_modules/` (`package-lock.json`'s `packages`, or its version 1 `dependencies`; `yarn.lock`'s entries):
/// a package the component imports that `package.json` does not list (a dependency of a
/// dependency) is taken at the version the app ran with.
fn locked(npm: Option<&str>, yarn: Option<&str>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(v) = npm.and_then(|t| serde_json::from_str::<Value>(t).ok()) {
        if let Some(packages) = v.get("packages").and_then(Value::as_object) {
            for (path, entry) in packages {
                let Some(name) = path.strip_prefix("node_modules/") else {
                    continue;
                };
                if name.contains("/node_modules/") {
                    continue;
                }
                if let Some(version) = entry.get("version").and_then(Value::as_str) {
                    out.insert(name.to_string(), version.to_string());
                }
            }
        } else if let Some(deps) = v.get("dependencies").and_then(Value::as_object) {
            for (name, entry) in deps {
                if let Some(version) = entry.get("version").and_then(Value::as_str) {
                    out.insert(name.clone(), version.to_string());
                }
            }
        }
    }
    if let Some(text) = yarn {
        let mut names: Vec<String> = Vec::new();
        for line in text.lines() {
            if !line.starts_with(' ') && line.ends_with(':') && !line.starts_with('#') {
                // `"@scope/a@^1.0.0", "@scope/a@^1.2.0":` → the package each specifier names.
                names = line
                    .trim_end_matches(':')
                    .split(',')
                    .filter_map(|spec| {
                        let spec = spec.trim().trim_matches('"');
                        let at = spec.get(1..)?.find('@')? + 1;
                        Some(spec.get(..at)?.to_string())
                    })
                    .collect();
            } else if let Some(version) = line.trim().strip_prefix("version ") {
                for n in names.drain(..) {
                    out.entry(n)
                        .or_insert_with(|| version.trim_matches('"').to_string());
                }
            }
        }
    }
    out
}

/// The major version a range starts from (`^16.13.1` → 16), if it names one.
fn major(range: &str) -> Option<u32> {
    let digits: String = range
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Carries the component page `found` into `c` (see the module doc); `front` is the front-end
/// project the component belongs to, whose import graph from it lists its local files.
/// Whether the component was mounted (React), so its project needs no word of its own. A
/// file-system route's page (Next.js, Nuxt: `found_by` `file-route`) is not mounted: it runs on
/// its framework's runtime, and the project's own warning says how to carry a static export of
/// it; its `index.html` is the empty shell.
/// `root` is the source tree's folder on disk, where the app's lockfile is read from.
pub fn mount(
    tree: &SourceTree,
    found: &Found,
    front: Option<&FrontEnd>,
    root: Option<&Path>,
    c: &mut Carried,
) -> bool {
    let file_path = found.file.as_str();
    if found.found_by == FoundBy::FileRoute {
        c.index_html = shell(&[]);
        return false;
    }
    let at = Location {
        file: file_path.to_string(),
        line: 1,
        column: 1,
    };
    let files: Vec<String> = match front {
        Some(fe) if fe.graph.files.iter().any(|f| f == file_path) => fe.graph.files.clone(),
        _ => vec![file_path.to_string()],
    };
    // Each file's imports, read once: its packages, then what it imports that is no script.
    let imports: Vec<(&String, &str, Vec<String>)> = files
        .iter()
        .filter_map(|f| {
            let text = tree.get(f)?;
            Some((
                f,
                text,
                analysis::on_big_stack(|| analysis::imports(f, text)),
            ))
        })
        .collect();
    let mut packages: Vec<String> = Vec::new();
    for (_, _, specs) in &imports {
        for p in specs.iter().filter_map(|s| package_of(s)) {
            if !packages.contains(&p) {
                packages.push(p);
            }
        }
    }
    let react = packages.iter().any(|p| p == "react")
        || file_path.to_ascii_lowercase().ends_with(".jsx")
        || file_path.to_ascii_lowercase().ends_with(".tsx");
    let stem = page_stem(file_path);
    if !react {
        c.index_html = shell(&[]);
        c.warnings.push(at.warning(format!(
            "the page is a component ({}) a view engine renders, not an HTML page: only React components are mounted by the tool; the resource's index.html is an empty shell: mount it with its framework in src/main.js",
            file_path.rsplit('.').next().unwrap_or("")
        )));
        return false;
    }
    let folder = front.map_or("", |fe| fe.project.as_str());
    let ranges = declared(tree, folder);
    let installed = locked(
        read_lockfile(root, &format!("{folder}package-lock.json")).as_deref(),
        read_lockfile(root, &format!("{folder}yarn.lock")).as_deref(),
    );
    for needed in ["react", "react-dom"] {
        if !packages.iter().any(|p| p == needed) {
            packages.push(needed.to_string());
        }
    }
    let react_range = ranges.get("react").cloned();
    for p in &packages {
        let range = ranges
            .get(p)
            .or(installed.get(p))
            .or(if p == "react-dom" {
                react_range.as_ref()
            } else {
                None
            })
            .cloned();
        match range {
            Some(r) => {
                c.npm_dependencies.insert(p.clone(), r);
            }
            None => c.warnings.push(at.warning(format!(
                "the component imports the package {p}, which neither {folder}package.json nor its lockfile lists: add it to the resource's package.json, or its build leaves the component unbundled (it is not mounted)"
            ))),
        }
    }
    let mut asset_bytes = 0u64;
    for (f, text, specs) in imports.iter().filter(|(f, _, _)| is_source(f)) {
        let carried = format!("page/{f}");
        if !c.imported.iter().any(|i| i.path == carried) {
            c.imported
                .push(file(&carried, text.to_string(), Some(f.to_string())));
        }
        // What it imports that is no script (an image, a stylesheet): carried beside it for the
        // bundle, which puts it in (a stylesheet) or beside itself (an image, a font).
        for spec in specs
            .iter()
            .filter(|s| s.starts_with("./") || s.starts_with("../"))
        {
            let clean = spec.split(['?', '#']).next().unwrap_or(spec);
            let Some(target) = join_normalized(folder_of(f), clean) else {
                continue;
            };
            // A script the bundler finds by adding an extension (`./Form.styles` is
            // Form.styles.js) is one of the component's files, not an asset.
            if is_source(&target) || files.contains(&target) || file_of(tree, &target).is_some() {
                continue;
            }
            let path = format!("page/{target}");
            if c.assets.iter().any(|a| a.path == path) {
                continue;
            }
            if !(tree.lists_asset(&target) || tree.contains(&target)) {
                // An extensionless import the graph did not resolve: its own warning names it.
                if target.rsplit('/').next().is_some_and(|n| n.contains('.')) {
                    c.warnings.push(at.warning(format!(
                        "the component's file {f} imports '{spec}', which is not in the source tree: the resource's build leaves the component unbundled (it is not mounted) until it is copied to {path}"
                    )));
                }
                continue;
            }
            match tree.bytes(&target) {
                Ok(bytes) if asset_bytes + bytes.len() as u64 <= super::assets::MAX_PAGE_ASSET_BYTES => {
                    asset_bytes += bytes.len() as u64;
                    c.assets.push(super::assets::CarriedAsset {
                        path,
                        origin: target,
                        size: bytes.len(),
                        bytes,
                    });
                }
                Ok(_) => c.warnings.push(at.warning(format!(
                    "the component's file {f} imports '{spec}', which would take the page's assets past {} MiB, the most the tool carries per page: copy it to {path} by hand",
                    super::assets::MAX_PAGE_ASSET_BYTES >> 20
                ))),
                Err(why) => c.warnings.push(at.warning(format!(
                    "the component's file {f} imports '{spec}', which was not read ({why}): copy it to {path} by hand"
                ))),
            }
        }
    }
    let modern = react_range
        .as_deref()
        .and_then(major)
        .is_some_and(|m| m >= 18);
    let props = route_props(tree, found);
    let import = json_literal(&Value::String(format!("./{file_path}")));
    let id = json_literal(&Value::String(MOUNT_ID.to_string()));
    let (dom_import, render) = if modern {
        (
            "import { createRoot } from 'react-dom/client';",
            format!("createRoot(document.getElementById({id})).render(React.createElement(Root, props));"),
        )
    } else {
        (
            "import ReactDOM from 'react-dom';",
            format!(
                "ReactDOM.render(React.createElement(Root, props), document.getElementById({id}));"
            ),
        )
    };
    let mount_js = format!(
        "// Written by connect2forge: mounts the page's React component, which the Connect app's\n\
         // server rendered with its view engine, into index.html's #{MOUNT_ID}, once main.js (the\n\
         // compatibility layer) has run, with the props its route passed that are static: a\n\
         // literal, or a query parameter (location.search, rebuilt from the Forge context).\n\
         import React from 'react';\n\
         {dom_import}\n\
         import * as view from {import};\n\
         \n\
         const query = new URLSearchParams(window.location.search);\n\
         const props = {};\n\
         const Root = view.default || view;\n\
         {render}\n",
        props_literal(&props.passed)
    );
    let entry = format!("page/{stem}.mount.js");
    c.scripts.push(file(&entry, mount_js, None));
    c.modules.push(ModuleEntry {
        file: entry.clone(),
        out: entry.clone(),
        base: None,
        jsx: Some(if modern { "automatic" } else { "transform" }),
    });
    c.index_html = shell(&[module_tag(&format!("./{entry}"))]);
    c.warnings.push(at.warning(format!(
        "the page is a React component its server rendered with a view engine: it is carried with its {} local file(s) and mounted in the browser by {entry} (react-dom{}), so the markup the server rendered around it (a layout's) is not carried; {}: check them",
        files.len(),
        react_range.map(|r| format!(" {r}")).unwrap_or_default(),
        props.summary()
    )));
    true
}

/// A prop the mount passes: a literal, or a query parameter of the page's URL.
#[derive(Debug, PartialEq)]
enum Prop {
    Literal(Value),
    Query(String),
}

/// The props a route renders a component with (`res.render('x.jsx', { … })`).
#[derive(Debug, Default, PartialEq)]
struct RouteProps {
    /// Whether the route's render call was read.
    read: bool,
    /// The props passed, in order.
    passed: Vec<(String, Prop)>,
    /// The props not passed (computed on the server), as written (`user: req.user`).
    not_passed: Vec<String>,
}

impl RouteProps {
    /// What the warning says of them.
    fn summary(&self) -> String {
        let names = |v: Vec<&str>| v.join(", ");
        match (self.read, self.passed.is_empty(), self.not_passed.is_empty()) {
            (false, ..) => "the props its route passes, if any, were not read, and are not passed".into(),
            (true, true, true) => "its route passes no props".into(),
            (true, false, true) => format!(
                "the props its route passes are passed ({})",
                names(self.passed.iter().map(|(k, _)| k.as_str()).collect())
            ),
            (true, true, false) => format!(
                "the props its route computes on the server are not passed ({})",
                names(self.not_passed.iter().map(String::as_str).collect())
            ),
            (true, false, false) => format!(
                "of the props its route passes, the static ones are passed ({}) and those it computes on the server are not ({})",
                names(self.passed.iter().map(|(k, _)| k.as_str()).collect()),
                names(self.not_passed.iter().map(String::as_str).collect())
            ),
        }
    }
}

/// How many render calls after the route's line are looked at for the component's.
const MAX_RENDER_CALLS: usize = 8;

/// Longest `res.render(...)` argument list read.
const MAX_RENDER_ARGS: usize = 16 * 1024;

/// The props of the render call that renders the component at the route that found it: of the
/// first [`MAX_RENDER_CALLS`] `.render(` calls from the route's line, the one whose first
/// argument names the component's file; its second argument, an object literal, read.
fn route_props(tree: &SourceTree, found: &Found) -> RouteProps {
    let mut out = RouteProps::default();
    let (Some(file), Some(line)) = (&found.route_file, found.route_line) else {
        return out;
    };
    let Some(text) = tree.get(file) else {
        return out;
    };
    let code = analysis::blank(text, false);
    // The offset where the route's 1-based line starts.
    let start = match line.checked_sub(2) {
        Some(newlines_before) => code
            .match_indices('\n')
            .nth(newlines_before)
            .map_or(0, |(i, _)| i + 1),
        None => 0,
    };
    // The handler's render call naming the component (an error path may render another view
    // first).
    let stem = found
        .file
        .rsplit('/')
        .next()
        .and_then(|n| n.split('.').next())
        .unwrap_or("");
    let rest = code.get(start..).unwrap_or("");
    let Some(args) = rest
        .match_indices(".render(")
        .take(MAX_RENDER_CALLS)
        .filter_map(|(i, _)| balanced(&code, start + i + ".render".len(), MAX_RENDER_ARGS))
        .map(|(args, _)| split_args(args))
        .find(|args| {
            args.first()
                .is_some_and(|v| !stem.is_empty() && v.contains(stem))
        })
    else {
        return out;
    };
    out.read = true;
    let Some(object) = args.get(1).map(|a| a.trim()) else {
        return out;
    };
    let Some(inner) = object.strip_prefix('{').and_then(|o| o.strip_suffix('}')) else {
        out.not_passed.push(object.to_string());
        return out;
    };
    for entry in split_args(inner)
        .into_iter()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        let parsed = entry.split_once(':').and_then(|(k, v)| {
            let key = k.trim().trim_matches(['\'', '"']);
            let plain = !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'-'));
            plain.then(|| (key.to_string(), prop_value(v.trim())))
        });
        match parsed {
            Some((key, Some(value))) => out.passed.push((key, value)),
            _ => out
                .not_passed
                .push(entry.split_whitespace().collect::<Vec<_>>().join(" ")),
        }
    }
    out
}

/// A prop's value when it is static: a string, number, boolean or null literal, or a query
/// parameter (`req.query.issueId`, `req.query['issueId']`).
fn prop_value(v: &str) -> Option<Prop> {
    if let Some(name) = v
        .strip_prefix("req.query.")
        .filter(|n| n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    {
        return Some(Prop::Query(name.to_string()));
    }
    if let Some(name) = v
        .strip_prefix("req.query[")
        .and_then(|r| r.strip_suffix(']'))
        .map(str::trim)
        .and_then(|q| {
            let quote = q.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
            q.strip_prefix(quote)?.strip_suffix(quote)
        })
        .filter(|n| !n.contains(['\'', '"', '\\']))
    {
        return Some(Prop::Query(name.to_string()));
    }
    // A single-quoted or backtick string without escapes or interpolation is JSON's string.
    for q in ['\'', '`'] {
        if let Some(body) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            if !body.contains([q, '\\', '"']) && !body.contains("${") {
                return Some(Prop::Literal(Value::String(body.to_string())));
            }
        }
    }
    serde_json::from_str::<Value>(v)
        .ok()
        .filter(|j| !j.is_object() && !j.is_array())
        .map(Prop::Literal)
}

/// The props object of the mount module: each key a JSON string, each value a JSON literal or
/// `query.get("name")`.
fn props_literal(props: &[(String, Prop)]) -> String {
    let fields: Vec<String> = props
        .iter()
        .map(|(k, v)| {
            let value = match v {
                Prop::Literal(l) => json_literal(l),
                Prop::Query(name) => {
                    format!("query.get({})", json_literal(&Value::String(name.clone())))
                }
            };
            format!("{}: {value}", json_literal(&Value::String(k.clone())))
        })
        .collect();
    if fields.is_empty() {
        "{}".into()
    } else {
        format!("{{ {} }}", fields.join(", "))
    }
}

/// The resource's `index.html` for a component page: the mount element, `main.js`, then
/// `tail`'s tags.
fn shell(tail: &[String]) -> String {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n  </head>\n  <body>\n",
    );
    html.push_str(&format!(
        "    <section id=\"{}\" role=\"main\" class=\"ac-content\"></section>\n",
        escape(MOUNT_ID)
    ));
    html.push_str("    <script src=\"./main.js\"></script>\n");
    for t in tail {
        html.push_str(t);
        html.push('\n');
    }
    html.push_str("  </body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ACE's React template: the route's props, literal or from the query, are passed; what the
    /// server computes is named; another view rendered first (an error path) is not the one read.
    #[test]
    fn a_routes_static_props_are_passed() {
        let routes = "app.get('/panel', addon.authenticate(), (req, res) => {\n  if (!req.query.ok) return res.render('error', { code: 1 });\n  res.render(\n    'panel.jsx', // the component\n    {\n      title: 'Panel',\n      count: 3, 'dark-mode': false,\n      issueId: req.query['issueId'],\n      projectKey: req.query.projectKey,\n      user: req.context.userAccountId, // computed\n      //, browserOnly: true\n    }\n  );\n});\n";
        let tree = SourceTree::from_files([("routes/index.js", routes), ("views/panel.jsx", "x")]);
        let found = Found::new("views/panel.jsx", FoundBy::AceRoute).at("routes/index.js", 1);
        let props = route_props(&tree, &found);
        assert!(props.read);
        assert_eq!(
            props.passed,
            [
                (
                    "title".to_string(),
                    Prop::Literal(Value::String("Panel".into()))
                ),
                ("count".to_string(), Prop::Literal(Value::from(3))),
                ("dark-mode".to_string(), Prop::Literal(Value::Bool(false))),
                ("issueId".to_string(), Prop::Query("issueId".into())),
                ("projectKey".to_string(), Prop::Query("projectKey".into())),
            ]
        );
        assert_eq!(props.not_passed, ["user: req.context.userAccountId"]);
        assert_eq!(
            props_literal(&props.passed),
            r#"{ "title": "Panel", "count": 3, "dark-mode": false, "issueId": query.get("issueId"), "projectKey": query.get("projectKey") }"#
        );
        assert!(props.summary().contains("static ones are passed (title, count, dark-mode, issueId, projectKey) and those it computes on the server are not (user: req.context.userAccountId)"));
        // A props variable is not read; no route, nothing read.
        let tree = SourceTree::from_files([
            (
                "r.js",
                "app.get('/p', (req, res) => res.render('panel', data));\n",
            ),
            ("views/panel.jsx", "x"),
        ]);
        let props = route_props(
            &tree,
            &Found::new("views/panel.jsx", FoundBy::AceRoute).at("r.js", 1),
        );
        assert_eq!(props.not_passed, ["data"]);
        assert!(!route_props(&tree, &Found::new("views/panel.jsx", FoundBy::AceRoute)).read);
    }

    #[test]
    fn bare_imports_name_their_package() {
        assert_eq!(package_of("react").as_deref(), Some("react"));
        assert_eq!(package_of("react-dom/client").as_deref(), Some("react-dom"));
        assert_eq!(
            package_of("@atlaskit/button/new").as_deref(),
            Some("@atlaskit/button")
        );
        for local in [
            "./a",
            "../b",
            "/c",
            "@/d",
            "~/e",
            "https://x/y.js",
            "node:fs",
        ] {
            assert_eq!(package_of(local), None, "{local}");
        }
        assert_eq!(major("^16.13.1"), Some(16));
        assert_eq!(major(">=18 <19"), Some(18));
        assert_eq!(major("latest"), None);
        assert!(is_component("views/Hello.JSX") && !is_component("views/a.hbs"));
    }

    /// A package the component imports that package.json does not list is taken at the version
    /// the app's lockfile installed (npm's version 1 and 3 formats, Yarn's).
    #[test]
    fn lockfiles_give_the_installed_versions() {
        let npm3 = r#"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/@atlaskit/tokens": {"version": "0.11.4"}, "node_modules/a/node_modules/b": {"version": "9.9.9"}}}"#;
        let l = locked(Some(npm3), None);
        assert_eq!(
            l.get("@atlaskit/tokens").map(String::as_str),
            Some("0.11.4")
        );
        assert!(!l.contains_key("b") && !l.contains_key("a/node_modules/b"));
        let npm1 = r#"{"lockfileVersion": 1, "dependencies": {"uuid": {"version": "8.3.2"}}}"#;
        assert_eq!(
            locked(Some(npm1), None).get("uuid").map(String::as_str),
            Some("8.3.2")
        );
        let yarn = "# yarn lockfile v1\n\n\"@emotion/react@^11.0.0\", \"@emotion/react@^11.4.0\":\n  version \"11.4.1\"\n  resolved \"x\"\n\nreact-is@^16.8.0:\n  version \"16.13.1\"\n";
        let l = locked(None, Some(yarn));
        assert_eq!(l.get("@emotion/react").map(String::as_str), Some("11.4.1"));
        assert_eq!(l.get("react-is").map(String::as_str), Some("16.13.1"));
    }
}
