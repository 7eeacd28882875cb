//! Module scripts (`<script type="module">`, issue 20 §4): carried as modules, with their local
//! import graph. Each file a module imports (`import x from './form.js'`, `'/js/constants.js'`,
//! `export * from`, `import('./lazy.js')`) is looked up as the browser would fetch it — relative
//! to the importing file's URL, or from the site's root — in the page's static folders, and
//! carried under `page/` at its URL path; the resource's build then bundles each module entry
//! with esbuild (`templates/scaffold/scripts/build.mjs.hbs`), so root-relative imports, which
//! would ask Forge's CDN root, resolve inside the resource. An import from another host stays a
//! run-time import and its host goes to `permissions.external.scripts`; a package name (an
//! import map's) stays as it is; a file that is not in the tree is a located warning.

use std::collections::BTreeSet;

use super::{file, Carried};
use crate::port::analysis;
use crate::port::discover::{folder_of, join_normalized};
use crate::port::frontend::graph::file_of;
use crate::port::page::{Location, Page, Resolved};
use crate::port::tree::SourceTree;

/// A module script the resource's build bundles.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ModuleEntry {
    /// Its carried path (`page/js/editor.js`, `page/viewer.inline-1.js`).
    pub file: String,
    /// The path its bundle is written to and `index.html` loads: [`built_path`] of `file`.
    pub out: String,
    /// For an inline module, the folder (below `page/`) of the page's URL, which its relative
    /// imports resolve against (`""` for a page at the site's root); `None` for a file, whose
    /// imports resolve against its own folder.
    pub base: Option<String>,
    /// For a component the tool mounts ([`super::component`]): the JSX runtime esbuild uses
    /// (`automatic` from React 17, `transform` before), its npm packages bundled, not left to
    /// an import map; `None` for a page's own module script.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jsx: Option<&'static str>,
}

/// Where a module's bundle is written: its own path, but a TypeScript or JSX entry's (which a
/// dev server compiled on the fly: `/src/main.ts`) ends in `.js`, so Forge's CDN serves it with
/// a JavaScript type (a module script of another type is refused by the browser).
pub fn built_path(file: &str) -> String {
    let lower = file.to_ascii_lowercase();
    [".ts", ".tsx", ".mts", ".cts", ".jsx"]
        .iter()
        .find(|e| lower.ends_with(*e))
        .map_or_else(
            || file.to_string(),
            |e| format!("{}.js", file.get(..file.len() - e.len()).unwrap_or(file)),
        )
}

/// The folder of a page URL's path, relative to the site's root (`/bg/page?x=1` → `bg/`).
pub fn url_folder(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.trim_start_matches('/');
    match path.rfind('/') {
        Some(i) => path[..=i].to_string(),
        None => String::new(),
    }
}

/// The files already carried for the page's modules, by URL path.
#[derive(Debug, Default)]
pub struct Graph {
    seen: BTreeSet<String>,
}

impl Graph {
    /// Records the module entry carried at `path` (its source `file` and `text`, which starts at
    /// `start` (line, column) of that file; `resolved` for a local file, `None` for an inline
    /// block whose page URL folder is `base`) and carries what it imports, transitively.
    #[allow(clippy::too_many_arguments)]
    pub fn entry(
        &mut self,
        c: &mut Carried,
        tree: &SourceTree,
        page: &Page,
        (file_name, text, start): (&str, &str, (usize, usize)),
        resolved: Option<&Resolved>,
        base: &str,
        path: &str,
    ) {
        c.modules.push(ModuleEntry {
            file: path.to_string(),
            out: built_path(path),
            base: resolved.is_none().then(|| base.to_string()),
            jsx: None,
        });
        // The static folder the entry was served from, first; then the page's others.
        let own_root = resolved
            .and_then(|r| r.path.strip_suffix(&r.static_path))
            .map(str::to_string);
        let mut roots: Vec<String> = own_root.into_iter().collect();
        for r in &page.roots {
            if !roots.contains(r) {
                roots.push(r.clone());
            }
        }
        let importer =
            resolved.map_or_else(|| format!("{base}index.html"), |r| r.static_path.clone());
        self.seen.insert(importer.clone());
        let mut queue: Vec<(String, String, String, (usize, usize))> =
            vec![(file_name.to_string(), text.to_string(), importer, start)];
        while let Some((file_name, text, url_path, start)) = queue.pop() {
            let specs = analysis::on_big_stack(|| analysis::imports(&file_name, &text));
            for spec in specs {
                let clean = spec.split(['?', '#']).next().unwrap_or(&spec);
                let at = place(&file_name, &text, &spec, start);
                if clean.starts_with("http://")
                    || clean.starts_with("https://")
                    || clean.starts_with("//")
                {
                    let url = match clean.strip_prefix("//") {
                        Some(rest) => format!("https://{rest}"),
                        None => clean.to_string(),
                    };
                    if let Some(why) = crate::port::external::unlistable(&url) {
                        c.warnings
                            .push(at.warning(super::not_listed("module", &url, why)));
                    } else if !c.external_scripts.contains(&url) {
                        c.external_scripts.push(url.clone());
                        c.warnings.push(at.warning(format!(
                            "module import '{spec}' is from another host: it stays a run-time import, and manifest.yml's permissions.external.scripts lists it"
                        )));
                    }
                    continue;
                }
                let target = if let Some(rooted) = clean.strip_prefix('/') {
                    join_normalized("", rooted)
                } else if clean.starts_with("./") || clean.starts_with("../") {
                    join_normalized(folder_of(&url_path), clean)
                } else {
                    c.warnings.push(at.warning(format!(
                        "module import '{spec}' names a package, not a file: it is kept as it is (the browser resolved it through an import map; the resource's build leaves it to one too)"
                    )));
                    continue;
                };
                let Some(target) = target else {
                    c.warnings.push(at.warning(format!(
                        "module import '{spec}' climbs out of the site: not carried"
                    )));
                    continue;
                };
                // The file itself, else (the module is bundled: `import x from './EventBus'` in
                // a Vite page's `/src/main.ts`) the one the bundler finds by adding an extension
                // or `/index.*`, carried under its own name.
                let found = roots
                    .iter()
                    .map(|r| format!("{r}{target}"))
                    .find_map(|f| tree.get(&f).map(|t| (f, t, target.clone())))
                    .or_else(|| {
                        roots.iter().find_map(|r| {
                            let f = file_of(tree, &format!("{r}{target}"))?;
                            let rel = f.strip_prefix(r.as_str())?.to_string();
                            tree.get(&f).map(|t| (f, t, rel))
                        })
                    });
                if self.seen.contains(&target)
                    || found
                        .as_ref()
                        .is_some_and(|(_, _, t)| self.seen.contains(t))
                {
                    continue;
                }
                let Some((source, text, target)) = found else {
                    c.warnings.push(at.warning(format!(
                        "module import '{spec}' is not in the source tree (looked for /{target} in the page's static folders): not carried, and the resource's build leaves the module unbundled (it fails in the browser) until it is"
                    )));
                    continue;
                };
                self.seen.insert(target.clone());
                let carried = format!("page/{target}");
                if !c.scripts.iter().any(|f| f.path == carried) {
                    c.imported
                        .push(file(&carried, text.to_string(), Some(source.clone())));
                }
                if is_script(&target) {
                    queue.push((source, text.to_string(), target, (1, 1)));
                }
            }
        }
    }
}

/// Whether a file of that name is a script the resource's build bundles (JavaScript, and
/// TypeScript or JSX, which a module a bundler served was written in).
fn is_script(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".js", ".mjs", ".ts", ".mts", ".cts", ".tsx", ".jsx"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Where `spec` is first written, quoted, in `text` of `file`, which starts at `start` (line,
/// column) of the file (the text's start when it is not found).
fn place(file: &str, text: &str, spec: &str, start: (usize, usize)) -> Location {
    let at = ["'", "\"", "`"]
        .iter()
        .filter_map(|q| text.find(&format!("{q}{spec}{q}")))
        .min()
        .unwrap_or(0);
    let before = text.get(..at).unwrap_or("");
    let lines = before.matches('\n').count();
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location {
        file: file.to_string(),
        line: start.0 + lines,
        column: if lines == 0 {
            start.1 + column - 1
        } else {
            column
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typescript_and_jsx_entries_are_built_to_js() {
        assert_eq!(built_path("page/src/main.ts"), "page/src/main.js");
        assert_eq!(built_path("page/src/App.TSX"), "page/src/App.js");
        assert_eq!(built_path("page/js/a.js"), "page/js/a.js");
        assert_eq!(built_path("page/x.mjs"), "page/x.mjs");
    }

    #[test]
    fn a_page_urls_folder() {
        assert_eq!(url_folder("/bg/page?x=1"), "bg/");
        assert_eq!(url_folder("/viewer"), "");
        assert_eq!(url_folder("/a/b/"), "a/b/");
    }
}
