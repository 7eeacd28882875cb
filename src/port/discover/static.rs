//! Static files: the URL path names an HTML file under a folder the server serves as it is —
//! the source root, `public/`, `static/`, `www/`, Spring's `static/` and `src/main/webapp/`,
//! the folders Express mounts with `express.static` (under their prefix:
//! `app.use('/assets', express.static('static'))` serves `/assets/x.html` from `static/x.html`)
//! and a Firebase hosting `public` folder; last, the folder of a Connect descriptor of the tree
//! (Connect fetches it from the base URL, so a static site serves its folder there).
//! `/bg/overdue` also finds `bg/overdue.html` and `bg/overdue/index.html`. Not for URLs with
//! placeholders.
//!
//! A single-page app (a front-end project built by react-scripts, Vite, Vue CLI, webpack (its
//! dev server, or html-webpack-plugin) or Parcel, with its `public/index.html`, `index.html` or
//! `src/index.html`) serves every path nothing else serves
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

static FLASK_APP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:Flask|Blueprint)[[:space:]]*\(([^)]*)\)")
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static KWARG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(static_url_path|static_folder)[[:space:]]*=[[:space:]]*['"]([^'"]*)['"]"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static SPRING_HANDLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"addResourceHandler[[:space:]]*\([[:space:]]*"([^"]*)"[^;]*?addResourceLocations[[:space:]]*\([[:space:]]*"([^"]*)""#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static HOSTING_PUBLIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""public"[[:space:]]*:[[:space:]]*"([^"]+)""#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// What a `package.json` depends on when it builds a single-page app (webpack writing its
/// page from a template with html-webpack-plugin is one too).
const SPA_BUILDERS: &[&str] = &[
    "\"react-scripts\"",
    "\"vite\"",
    "\"@vue/cli-service\"",
    "\"webpack-dev-server\"",
    "\"html-webpack-plugin\"",
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
    // A path naming a file is that file; `index.html` is the shell itself.
    if cx
        .url
        .last()
        .is_some_and(|l| l.contains('.') && !l.contains('{') && l != "index.html")
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
        // Create React App and Vue CLI's, Vite's, and Parcel's or an html-webpack-plugin
        // template's (`src/index.html`).
        let shell = [
            format!("{project}public/index.html"),
            format!("{project}index.html"),
            format!("{project}src/index.html"),
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

/// The files a folder's URL serves, in a web server's order (`DirectoryIndex`, `welcome-file`).
const DIRECTORY_INDEX: &[&str] = &["index.html", "index.htm", "index.php", "index.jsp"];

/// Flask's static folder under its URL path: `Flask(__name__, static_url_path='/assets',
/// static_folder='web')` serves `/assets/x` from `web/x` beside the app's file.
fn flask_static(tree: &super::SourceTree) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, text) in tree.files_where(|p| p.ends_with(".py")) {
        for c in FLASK_APP.captures_iter(text) {
            let args = c.get(1).map_or("", |m| m.as_str());
            let (mut url, mut folder) = (None, None);
            for k in KWARG.captures_iter(args) {
                let value = k.get(2).map_or("", |m| m.as_str()).to_string();
                match k.get(1).map(|m| m.as_str()) {
                    Some("static_url_path") => url = Some(value),
                    _ => folder = Some(value),
                }
            }
            if url.is_none() && folder.is_none() {
                continue;
            }
            let folder = folder.unwrap_or_else(|| "static".into());
            let url =
                url.unwrap_or_else(|| format!("/{}", folder.rsplit('/').next().unwrap_or("")));
            if let Some(f) = super::join_normalized(super::folder_of(path), &folder) {
                out.push((url, format!("{f}/")));
            }
        }
    }
    out
}

/// Spring's resource handlers: `addResourceHandler("/assets/**").addResourceLocations(
/// "classpath:/web/")` serves `/assets/x` from `src/main/resources/web/x`.
fn spring_resources(tree: &super::SourceTree) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, text) in tree.files_where(|p| p.ends_with(".java") || p.ends_with(".kt")) {
        if !text.contains("addResourceHandler") {
            continue;
        }
        let module = path
            .find("src/main/")
            .and_then(|i| path.get(..i))
            .unwrap_or("");
        for c in SPRING_HANDLER.captures_iter(text) {
            let url = c.get(1).map_or("", |m| m.as_str());
            let location = c.get(2).map_or("", |m| m.as_str());
            let url = url
                .trim_end_matches("/**")
                .trim_end_matches("/*")
                .to_string();
            let folder = if let Some(rest) = location.strip_prefix("classpath:") {
                format!("{module}src/main/resources/{}", rest.trim_matches('/'))
            } else if let Some(rest) = location.strip_prefix("file:") {
                rest.trim_start_matches("./")
                    .trim_end_matches('/')
                    .to_string()
            } else {
                format!("{module}src/main/webapp/{}", location.trim_matches('/'))
            };
            let folder = format!("{}/", folder.trim_end_matches('/'));
            out.push((url, folder));
        }
    }
    out
}

fn files(cx: &Cx<'_>, hits: &mut Hits) {
    let before = hits.found.len();
    served_files(cx, hits, served_folders(cx.tree));
    // A static site whose descriptor is one of its files (`src/atlassian-connect.json` copied
    // into the deployed folder with `src/index.html`): the descriptor's folder is served at the
    // base URL, since Connect fetches the descriptor from there. Tried last, when no served
    // folder has the page.
    if hits.found.len() == before {
        let folders: Vec<(String, String)> = descriptor_folders(cx.tree)
            .into_iter()
            .filter(|f| !STATIC_ROOTS.contains(&f.as_str()))
            .map(|f| (String::new(), f))
            .collect();
        served_files(cx, hits, folders);
    }
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

/// The folders of the tree's Connect descriptors (`atlassian-connect.json`,
/// `atlassian-connect-staging.json`), each ending in `/` (empty for the root).
fn descriptor_folders(tree: &super::SourceTree) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for path in tree.paths() {
        let name = path.rsplit('/').next().unwrap_or(path);
        if name.starts_with("atlassian-connect") && name.ends_with(".json") {
            let folder = super::folder_of(path).to_string();
            if !out.contains(&folder) {
                out.push(folder);
            }
        }
    }
    out
}

/// `(URL prefix, folder)` of every folder the app serves as it is: the usual folders at `/`,
/// then what the app mounts.
fn served_folders(tree: &super::SourceTree) -> Vec<(String, String)> {
    let mut served: Vec<(String, String)> = STATIC_ROOTS
        .iter()
        .map(|r| (String::new(), r.to_string()))
        .collect();
    served.extend(express::static_mounts(tree));
    served.extend(flask_static(tree));
    served.extend(spring_resources(tree));
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
    served
}

fn served_files(cx: &Cx<'_>, hits: &mut Hits, served: Vec<(String, String)>) {
    let url = cx.url;
    let tree = cx.tree;
    if url.has_placeholder() {
        return;
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
        // A folder's URL is its index file, as a web server's directory index has it
        // (`index.html`, then `index.htm`, a PHP or JSP server's `index.php`, `index.jsp`).
        let index = |folder: &str| -> Vec<String> {
            DIRECTORY_INDEX
                .iter()
                .map(|i| format!("{folder}{i}"))
                .collect()
        };
        let tried = if below.is_empty() {
            index(&root)
        } else {
            let mut t = vec![base.clone(), format!("{base}.html")];
            t.extend(index(&format!("{base}/")));
            t
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
    fn flask_static_url_path_and_spring_resource_handlers() {
        let tree = SourceTree::from_files([
            (
                "app/main.py",
                "app = Flask(__name__, static_url_path='/assets', static_folder='web')\n",
            ),
            ("app/web/panel.html", "x"),
            (
                "src/main/java/c/WebConfig.java",
                "public void addResourceHandlers(ResourceHandlerRegistry registry) {\n    registry.addResourceHandler(\"/ui/**\").addResourceLocations(\"classpath:/frontend/\");\n}\n",
            ),
            ("src/main/resources/frontend/glance.html", "x"),
        ]);
        let page = |u: &str| match find_page(&tree, u) {
            PageLookup::Found(f) => f.file,
            other => panic!("{u}: {other:?}"),
        };
        assert_eq!(page("/assets/panel.html"), "app/web/panel.html");
        assert_eq!(
            page("/ui/glance"),
            "src/main/resources/frontend/glance.html"
        );
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
