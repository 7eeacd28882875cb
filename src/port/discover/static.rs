//! Static files: the URL path names an HTML file under a folder the server serves as it is —
//! the source root, `public/`, `static/`, `www/`, Spring's `static/` and `src/main/webapp/`,
//! the folders Express mounts with `express.static` (under their prefix:
//! `app.use('/assets', express.static('static'))` serves `/assets/x.html` from `static/x.html`)
//! and a Firebase hosting `public` folder. `/bg/overdue` also finds `bg/overdue.html` and
//! `bg/overdue/index.html`. Not for URLs with placeholders.

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

fn find(cx: &Cx<'_>, hits: &mut Hits) {
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
            let html = lower.ends_with(".html") || lower.ends_with(".htm");
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
