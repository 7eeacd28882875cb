//! Static files: the URL path names an HTML file under a folder the server serves as it is —
//! the source root, `public/`, `static/`, `www/`, Spring's `static/` and `src/main/webapp/`,
//! the folders Express mounts with `express.static` (under their prefix:
//! `app.use('/assets', express.static('static'))` serves `/assets/x.html` from `static/x.html`)
//! and a Firebase hosting `public` folder. `/bg/overdue` also finds `bg/overdue.html` and
//! `bg/overdue/index.html`. Not for URLs with placeholders.
//!
//! A single-page app (a front-end project built by react-scripts, Vite, Vue CLI, webpack or
//! Parcel, with its `public/index.html` or `index.html`) serves every path nothing else serves
//! from its one HTML shell, routing on the client: when no rule found a page or named a missing
//! one, that shell is the page.

use std::sync::LazyLock;

use regex::Regex;

use super::{express, Cx, Found, FoundBy, Hits, Rule, STATIC_ROOTS};

/// The rule's entry in the registry.
pub(super) const RULE: Rule = Rule {
    name: "static",
    find,
};

static HOSTING_PUBLIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""public"[[:space:]]*:[[:space:]]*"([^"]+)""#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// What a `package.json` depends on when it builds a single-page app.
const SPA_BUILDERS: &[&str] = &[
    "\"react-scripts\"",
    "\"vite\"",
    "\"@vue/cli-service\"",
    "\"webpack-dev-server\"",
    "\"parcel\"",
    "\"parcel-bundler\"",
];

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    files(cx, hits);
    if hits.found.is_empty() && hits.missing.is_empty() {
        single_page_app(cx, hits);
    }
}

/// The one HTML shell of the tree's single-page app, for a path that is not a file, when the
/// app has no server of its own (a server answers the paths it routes, and only those).
fn single_page_app(cx: &Cx<'_>, hits: &mut Hits) {
    let tree = cx.tree;
    if cx
        .url
        .last()
        .is_some_and(|l| l.contains('.') && !l.contains('{'))
    {
        return;
    }
    let server_code = tree.paths().any(|p| {
        [".py", ".go", ".rb", ".java", ".kt", ".php"]
            .iter()
            .any(|e| p.ends_with(e))
    });
    if server_code || express::has_routes(tree) {
        return;
    }
    let mut shells: Vec<Found> = Vec::new();
    for (path, text) in tree.files_where(|p| p == "package.json" || p.ends_with("/package.json")) {
        if !SPA_BUILDERS.iter().any(|b| text.contains(b)) {
            continue;
        }
        let project = super::folder_of(path);
        let shell = [
            format!("{project}public/index.html"),
            format!("{project}index.html"),
        ]
        .into_iter()
        .find(|f| tree.contains(f));
        if let Some(file) = shell {
            let mut found = Found::new(file, FoundBy::FrontEnd);
            found.roots = vec![format!("{project}public/"), project.to_string()];
            shells.push(found);
        }
    }
    if shells.len() == 1 {
        hits.found.append(&mut shells);
    }
}

/// Endings of files a server sends (or runs) as a page when a URL names them.
const PAGE_FILES: &[&str] = &[".html", ".htm", ".jsp", ".php"];

fn files(cx: &Cx<'_>, hits: &mut Hits) {
    let before = hits.found.len();
    served_files(cx, hits);
    // `/page.jsp` of a webapp whose root is not one of the usual folders (`src/`, `web/`): the
    // one file of the tree at that path below some folder, which is then the web root.
    let rel = cx.url.joined();
    let lower = rel.to_ascii_lowercase();
    if hits.found.len() > before
        || cx.url.has_placeholder()
        || !(lower.ends_with(".jsp") || lower.ends_with(".php"))
    {
        return;
    }
    let suffix = format!("/{rel}");
    let mut at = cx
        .tree
        .paths()
        .filter(|p| p.ends_with(&suffix) && !p.starts_with("node_modules/"));
    if let (Some(one), None) = (at.next(), at.next()) {
        let root = one.get(..one.len() - rel.len()).unwrap_or("").to_string();
        let mut found = Found::new(one, FoundBy::StaticFile);
        found.roots = vec![root];
        hits.found.push(found);
    }
}

fn served_files(cx: &Cx<'_>, hits: &mut Hits) {
    let (tree, url) = (cx.tree, cx.url);
    if url.has_placeholder() {
        return;
    }
    // `(URL prefix, folder)`: the usual folders at `/`, then what the app mounts.
    let mut served: Vec<(String, String)> = STATIC_ROOTS
        .iter()
        .map(|r| (String::new(), r.to_string()))
        .collect();
    served.extend(express::static_mounts(tree));
    for (path, text) in tree.files_where(|p| p == "firebase.json" || p.ends_with("/firebase.json"))
    {
        let base = super::folder_of(path);
        for c in HOSTING_PUBLIC.captures_iter(text) {
            if let Some(folder) = c.get(1) {
                let folder = format!("{base}{}/", folder.as_str().trim_matches('/'));
                served.push((String::new(), folder));
            }
        }
    }
    let rel = url.joined();
    let mut seen: Vec<String> = Vec::new();
    for (prefix, root) in served {
        let prefix = prefix.trim_matches('/');
        let below = if prefix.is_empty() {
            rel.as_str()
        } else if rel == prefix {
            ""
        } else {
            match rel.strip_prefix(&format!("{prefix}/")) {
                Some(b) => b,
                None => continue,
            }
        };
        let base = format!("{root}{below}");
        let tried = if below.is_empty() {
            vec![format!("{root}index.html")]
        } else {
            vec![
                base.clone(),
                format!("{base}.html"),
                format!("{base}/index.html"),
            ]
        };
        for t in tried {
            let lower = t.to_ascii_lowercase();
            let html = PAGE_FILES.iter().any(|e| lower.ends_with(e));
            if html && tree.lists(&t) && !tree.contains(&t) {
                // Found by name but not readable: said, with the reason.
                hits.absent(tree, std::slice::from_ref(&t), "served as a static file");
                continue;
            }
            if html && !seen.contains(&t) && tree.contains(&t) {
                seen.push(t.clone());
                let mut found = Found::new(t, FoundBy::StaticFile);
                if !root.is_empty() {
                    found.roots = vec![root.clone()];
                }
                hits.found.push(found);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{find_page, PageLookup, SourceTree};

    #[test]
    fn a_folder_express_mounts_under_a_prefix() {
        let tree = SourceTree::from_files([
            (
                "server.js",
                "app.use('/assets', express.static(path.join(__dirname, 'web')));\n",
            ),
            ("web/panel.html", "x"),
        ]);
        match find_page(&tree, "/assets/panel.html") {
            PageLookup::Found(f) => {
                assert_eq!(f.file, "web/panel.html");
                assert_eq!(f.roots, ["web/"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            find_page(&tree, "/panel.html"),
            PageLookup::NotFound { .. }
        ));
    }

    #[test]
    fn a_single_page_app_serves_every_other_path_from_its_shell() {
        let tree = SourceTree::from_files([
            (
                "package.json",
                r#"{ "devDependencies": { "react-scripts": "5" } }"#,
            ),
            ("public/index.html", "<div id=root></div>"),
            ("src/index.tsx", "x"),
        ]);
        let served = SourceTree::from_files([
            ("package.json", r#"{ "devDependencies": { "react-scripts": "5" } }"#),
            ("public/index.html", "<div id=root></div>"),
            (
                "server/index.js",
                "app.get('/admin', (req, res) => res.sendFile(path.join(__dirname, '../public/index.html')));",
            ),
        ]);
        // A server answers its own routes only.
        assert!(matches!(
            find_page(&served, "/board"),
            PageLookup::NotFound { .. }
        ));
        match find_page(&tree, "/board?projectId=${project.id}") {
            PageLookup::Found(f) => assert_eq!(
                (f.file.as_str(), f.found_by),
                ("public/index.html", super::super::FoundBy::FrontEnd)
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            find_page(&tree, "/logo.png"),
            PageLookup::NotFound { .. }
        ));
    }

    #[test]
    fn a_page_file_named_by_the_url_below_an_unusual_web_root() {
        let tree = SourceTree::from_files([("src/macro.jsp", "x"), ("src/other.jsp", "x")]);
        match find_page(&tree, "/macro.jsp?pageId={page.id}") {
            PageLookup::Found(f) => {
                assert_eq!(f.file, "src/macro.jsp");
                assert_eq!(f.roots, ["src/"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_firebase_hosting_folder() {
        let tree = SourceTree::from_files([
            ("firebase.json", r#"{ "hosting": { "public": "site" } }"#),
            ("site/macro.html", "x"),
        ]);
        match find_page(&tree, "/macro") {
            PageLookup::Found(f) => assert_eq!(f.file, "site/macro.html"),
            other => panic!("{other:?}"),
        }
    }
}
