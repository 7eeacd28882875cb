//! The local import graph of a front-end project: from its entries, every source file reached
//! through relative imports (`./api`, `../nav/index`), the `@/` and `~/` aliases of Vue CLI,
//! Vite and Nuxt (the project's `src/`), and bare imports below a `tsconfig.json`/`jsconfig.json`
//! `baseUrl`. A specifier is resolved as bundlers do: the file itself, then with each extension
//! of [`SCRIPT_EXTENSIONS`], then the folder's `index` file. Packages (`react`) and assets
//! (`./app.css`) are not followed.
//!
//! Only the tree's files are read, so its limits hold (`node_modules/`, build output and what
//! `.gitignore` ignores are never reached); a walk past [`MAX_FILES`] files stops and says so.

use std::collections::{HashSet, VecDeque};

use crate::port::analysis;
use crate::port::discover::{folder_of, join_normalized};
use crate::port::tree::SourceTree;

/// What a bundler resolves an extensionless import to, in this order.
pub const SCRIPT_EXTENSIONS: &[&str] = &[
    "tsx", "ts", "jsx", "js", "mjs", "cjs", "mts", "cts", "vue", "svelte",
];

/// The most files one graph holds: far above a front end's own sources.
pub const MAX_FILES: usize = 5_000;

/// Whether `path` is a source file the analysis reads (by extension, any case).
pub fn is_source(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower
        .rsplit_once('.')
        .is_some_and(|(_, e)| SCRIPT_EXTENSIONS.contains(&e))
        && !lower.ends_with(".d.ts")
}

/// The graph reached from some entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    /// Every file reached, entries first, in the order reached.
    pub files: Vec<String>,
    /// Local imports that name no file of the tree: (importing file, specifier).
    pub unresolved: Vec<(String, String)>,
    /// Whether the walk stopped at [`MAX_FILES`].
    pub limited: bool,
}

/// What an import names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Import {
    /// A source file of the tree.
    File(String),
    /// A package or an asset: not followed.
    Outside,
    /// A local import that names no file of the tree.
    Missing,
}

/// How a project's bare imports and aliases resolve.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    /// The project folder (relative, ending in `/`, or empty).
    pub project: String,
    /// The folder bare imports start from (a `baseUrl`), relative to the source root.
    pub base_url: Option<String>,
}

impl Resolver {
    /// The resolver of the project in `project`, reading its `tsconfig.json` or
    /// `jsconfig.json` for a `baseUrl`.
    pub fn of(tree: &SourceTree, project: &str) -> Resolver {
        let base_url = ["tsconfig.json", "jsconfig.json"].iter().find_map(|c| {
            let text = tree.get(&format!("{project}{c}"))?;
            let at = text.find("\"baseUrl\"")?;
            let rest = text.get(at + "\"baseUrl\"".len()..)?.trim_start();
            let rest = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
            let value = rest.split('"').next()?;
            join_normalized(project, value).map(|b| if b.is_empty() { b } else { format!("{b}/") })
        });
        Resolver {
            project: project.to_string(),
            base_url,
        }
    }

    /// What `spec`, imported from `from`, names.
    pub fn resolve(&self, tree: &SourceTree, from: &str, spec: &str) -> Import {
        let spec = spec.split(['?', '#']).next().unwrap_or(spec);
        let local =
            spec == "." || spec == ".." || spec.starts_with("./") || spec.starts_with("../");
        let bases: Vec<String> = if local {
            join_normalized(folder_of(from), spec).into_iter().collect()
        } else if let Some(rest) = spec.strip_prefix("@/").or_else(|| spec.strip_prefix("~/")) {
            [
                format!("{}src/{rest}", self.project),
                format!("{}{rest}", self.project),
            ]
            .into()
        } else if let Some(base) = &self.base_url {
            vec![format!("{base}{spec}")]
        } else {
            return Import::Outside;
        };
        for base in &bases {
            if let Some(file) = file_of(tree, base) {
                return Import::File(file);
            }
        }
        let asset = spec
            .rsplit('/')
            .next()
            .and_then(|n| n.rsplit_once('.'))
            .is_some_and(|(_, e)| !SCRIPT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if local && !asset && !bases.iter().any(|b| tree.lists(b)) {
            return Import::Missing;
        }
        Import::Outside
    }
}

/// The source file `base` names as a bundler resolves it.
pub(crate) fn file_of(tree: &SourceTree, base: &str) -> Option<String> {
    if is_source(base) && tree.lists(base) {
        return Some(base.to_string());
    }
    for ext in SCRIPT_EXTENSIONS {
        let f = format!("{base}.{ext}");
        if tree.lists(&f) {
            return Some(f);
        }
    }
    let folder = base.trim_end_matches('/');
    for ext in SCRIPT_EXTENSIONS {
        let f = format!("{folder}/index.{ext}");
        if tree.lists(&f) {
            return Some(f);
        }
    }
    None
}

/// Every file reached from `entries` through local imports.
pub fn follow(tree: &SourceTree, resolver: &Resolver, entries: &[String]) -> Graph {
    analysis::on_big_stack(|| walk(tree, resolver, entries))
}

fn walk(tree: &SourceTree, resolver: &Resolver, entries: &[String]) -> Graph {
    let mut graph = Graph::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    for e in entries {
        if seen.insert(e.clone()) {
            queue.push_back(e.clone());
        }
    }
    while let Some(file) = queue.pop_front() {
        if graph.files.len() >= MAX_FILES {
            graph.limited = true;
            break;
        }
        let Some(text) = tree.get(&file) else {
            continue;
        };
        graph.files.push(file.clone());
        for spec in analysis::imports(&file, text) {
            match resolver.resolve(tree, &file, &spec) {
                Import::File(next) => {
                    if seen.insert(next.clone()) {
                        queue.push_back(next);
                    }
                }
                Import::Outside => {}
                Import::Missing => graph.unresolved.push((file.clone(), spec)),
            }
        }
    }
    graph
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> SourceTree {
        SourceTree::from_files(files.iter().map(|(p, t)| (*p, *t)))
    }

    #[test]
    fn relative_imports_extensions_index_files_and_aliases_are_followed() {
        let t = tree(&[
            ("client/src/index.tsx", "import App from './App';\nimport './index.css';\nimport React from 'react';\n"),
            ("client/src/App.tsx", "import { api } from './api';\nimport nav from './nav';\nimport C from '@/components/C.vue';\n"),
            ("client/src/api.ts", "export const api = () => AP.request('/rest/api/3/myself');\n"),
            ("client/src/nav/index.js", "module.exports = require('../missing');\n"),
            ("client/src/components/C.vue", "<script>\nimport x from '../api'\n</script>\n"),
            ("client/src/unused.ts", "AP.resize();\n"),
        ]);
        let g = follow(
            &t,
            &Resolver::of(&t, "client/"),
            &["client/src/index.tsx".into()],
        );
        assert_eq!(
            g.files,
            [
                "client/src/index.tsx",
                "client/src/App.tsx",
                "client/src/api.ts",
                "client/src/nav/index.js",
                "client/src/components/C.vue"
            ]
        );
        assert_eq!(
            g.unresolved,
            [(
                "client/src/nav/index.js".to_string(),
                "../missing".to_string()
            )]
        );
        assert!(!g.limited);
    }

    #[test]
    fn a_base_url_resolves_bare_imports_and_packages_stay_out() {
        let t = tree(&[
            (
                "tsconfig.json",
                "{ \"compilerOptions\": { \"baseUrl\": \"src\" } }",
            ),
            (
                "src/index.ts",
                "import { go } from 'util/nav';\nimport lodash from 'lodash';\n",
            ),
            (
                "src/util/nav.ts",
                "export const go = () => AP.navigator.go('issue', {});\n",
            ),
        ]);
        let g = follow(&t, &Resolver::of(&t, ""), &["src/index.ts".into()]);
        assert_eq!(g.files, ["src/index.ts", "src/util/nav.ts"]);
        assert!(g.unresolved.is_empty());
    }
}
