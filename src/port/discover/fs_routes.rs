//! File-system routing of front-end frameworks: the URL path is a file's place under the
//! framework's routes folder. Next.js (`app/<path>/page.tsx`, route groups `(x)`, dynamic
//! `[id]` and catch-all `[...slug]` segments; `pages/<path>.tsx`), Nuxt (`pages/<path>.vue`
//! under its `srcDir`), Gatsby (`src/pages/<path>.js`) and SvelteKit
//! (`src/routes/<path>/+page.svelte`). The project is the folder holding the framework's
//! config file (`next.config.js`, `nuxt.config.ts`, `gatsby-config.js`, `svelte.config.js`).

use std::sync::LazyLock;

use regex::Regex;

use super::{folder_of, Cx, Found, FoundBy, Hits, Rule, SourceTree};

/// The rule's entry in the registry.
pub(super) const RULE: Rule = Rule {
    name: "fs-routes",
    find,
};

static SRC_DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)srcDir[[:space:]]*:[[:space:]]*['"]([^'"]+)['"]"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// A framework: its config file's name stem, and the route folders and page files under the
/// project it reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Next,
    Nuxt,
    Gatsby,
    SvelteKit,
}

const SCRIPT_EXTS: &[&str] = &["tsx", "jsx", "ts", "js", "mdx"];

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    let tree = cx.tree;
    let projects: Vec<(Kind, String)> = tree
        .paths()
        .filter_map(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            let stem = name.split('.').next().unwrap_or("");
            let kind = match stem {
                "next" if name.starts_with("next.config.") => Kind::Next,
                "nuxt" if name.starts_with("nuxt.config.") => Kind::Nuxt,
                "gatsby-config" => Kind::Gatsby,
                "svelte" if name.starts_with("svelte.config.") => Kind::SvelteKit,
                _ => return None,
            };
            (!p.contains("node_modules/")).then(|| (kind, folder_of(p).to_string()))
        })
        .collect();
    for (kind, project) in projects {
        for (file, route) in pages(tree, kind, &project) {
            if cx.url.matches(&route) {
                let mut found = Found::new(file, FoundBy::FileRoute);
                found.roots = vec![format!("{project}public/"), format!("{project}static/")];
                hits.found.push(found);
            }
        }
    }
}

/// Every page file of a project with its route pattern (`/confluence/macro/[id]`).
fn pages(tree: &SourceTree, kind: Kind, project: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let roots: Vec<String> = match kind {
        Kind::Next => vec![
            format!("{project}app/"),
            format!("{project}src/app/"),
            format!("{project}pages/"),
            format!("{project}src/pages/"),
        ],
        Kind::Nuxt => {
            let config = ["ts", "js", "mjs"]
                .iter()
                .find_map(|e| tree.get(&format!("{project}nuxt.config.{e}")));
            let src = config
                .and_then(|t| SRC_DIR.captures(t))
                .and_then(|c| c.get(1))
                .map(|m| format!("{}/", m.as_str().trim_matches('/').trim_start_matches("./")))
                .unwrap_or_default();
            vec![format!("{project}{src}pages/")]
        }
        Kind::Gatsby => vec![format!("{project}src/pages/")],
        Kind::SvelteKit => vec![format!("{project}src/routes/")],
    };
    for root in roots {
        let app_router = root.ends_with("app/");
        for p in tree.paths().filter(|p| p.starts_with(root.as_str())) {
            let below = p.get(root.len()..).unwrap_or("");
            let (dir, name) = match below.rsplit_once('/') {
                Some((d, n)) => (d, n),
                None => ("", below),
            };
            let Some((stem, ext)) = name.rsplit_once('.') else {
                continue;
            };
            let route_dir: &str;
            let leaf: Option<&str>;
            match kind {
                Kind::Next if app_router => {
                    if stem != "page" || !SCRIPT_EXTS.contains(&ext) {
                        continue;
                    }
                    route_dir = dir;
                    leaf = None;
                }
                Kind::Next | Kind::Gatsby => {
                    if !SCRIPT_EXTS.contains(&ext)
                        || stem.starts_with('_')
                        || dir.split('/').next() == Some("api")
                    {
                        continue;
                    }
                    route_dir = dir;
                    leaf = Some(stem);
                }
                Kind::Nuxt => {
                    if ext != "vue" {
                        continue;
                    }
                    route_dir = dir;
                    leaf = Some(stem);
                }
                Kind::SvelteKit => {
                    if stem != "+page" || ext != "svelte" {
                        continue;
                    }
                    route_dir = dir;
                    leaf = None;
                }
            }
            let mut segs: Vec<String> = route_dir
                .split('/')
                .filter(|s| !s.is_empty())
                // Route groups `(x)` and private folders `_x` are not URL segments.
                .filter(|s| !(s.starts_with('(') && s.ends_with(')')))
                .map(segment)
                .collect();
            if app_router && route_dir.split('/').any(|s| s.starts_with('_')) {
                continue;
            }
            if let Some(l) = leaf.filter(|l| *l != "index") {
                segs.push(segment(l));
            }
            out.push((p.to_string(), format!("/{}", segs.join("/"))));
        }
    }
    out
}

/// A file-system segment as a route segment: `[id]` and `_id` (Nuxt 2) match any segment,
/// `[...slug]` any rest.
fn segment(s: &str) -> String {
    if s.starts_with("[...") || s.starts_with("[[...") {
        "**".into()
    } else if s.starts_with('[') || (s.starts_with('_') && s.len() > 1) {
        ":param".into()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{find_page, PageLookup};
    use super::*;

    fn page(tree: &SourceTree, url: &str) -> String {
        match find_page(tree, url) {
            PageLookup::Found(f) => {
                assert_eq!(f.found_by, FoundBy::FileRoute);
                f.file
            }
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn next_app_and_pages_routers_nuxt_and_sveltekit() {
        let tree = SourceTree::from_files([
            ("web/next.config.js", "module.exports = {}"),
            ("web/app/layout.tsx", "x"),
            ("web/app/(shell)/confluence/macro/[processId]/page.tsx", "x"),
            ("web/app/confluence/config/page.tsx", "x"),
            ("web/pages/legacy.tsx", "x"),
            ("web/pages/_app.tsx", "x"),
            (
                "nuxt/nuxt.config.ts",
                "export default defineNuxtConfig({ srcDir: 'src/' })",
            ),
            ("nuxt/src/pages/index.vue", "x"),
            ("nuxt/src/pages/log-hours.vue", "x"),
            ("kit/svelte.config.js", "x"),
            ("kit/src/routes/panel/+page.svelte", "x"),
        ]);
        assert_eq!(
            page(&tree, "/confluence/macro/{macro.id}"),
            "web/app/(shell)/confluence/macro/[processId]/page.tsx"
        );
        assert_eq!(
            page(&tree, "/confluence/config"),
            "web/app/confluence/config/page.tsx"
        );
        assert_eq!(page(&tree, "/legacy"), "web/pages/legacy.tsx");
        assert_eq!(
            page(&tree, "/log-hours?x=1"),
            "nuxt/src/pages/log-hours.vue"
        );
        assert_eq!(page(&tree, "/panel"), "kit/src/routes/panel/+page.svelte");
    }
}
