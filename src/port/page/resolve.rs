//! A page's script and stylesheet URLs resolved as the app's server would serve them.
//!
//! A URL is first made an absolute URL path the way a browser does (against `<base href>` when
//! the page has one, else against the URL the page is served at), with `.` and `..` removed and
//! never climbing above `/` (a URL cannot). The server then decodes it (`%20` is a space) and
//! serves it from one of its static folders ([`Found::static_roots`](super::super::discover::Found::static_roots)):
//! so a file is carried only when it lies inside one of them. What a static file server refuses
//! is refused here too: a decoded path that still climbs (`%2e%2e`, `%2F`), a NUL, a hidden file
//! or folder (`express.static` ignores dotfiles). Known secret files (`credentials.json`,
//! `config.json`, `.env*`, `settings.py`, private keys, …) are never carried, whatever serves
//! them: the caller warns.

use super::super::tree::SourceTree;
use super::Resolved;

/// What a local URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolution {
    /// A file the server serves.
    Found(Resolved),
    /// No static folder has it; the URL path the server would look up.
    Missing(String),
    /// Never carried, and why.
    Refused(String),
    /// `<base href>` points at another host: the URL is that host's (absolute).
    External(String),
}

/// Resolves a page's URLs; see the module doc.
pub(crate) struct Resolver<'t> {
    pub tree: &'t SourceTree,
    /// Static folders (relative, ending in `/`, or empty for the tree's root), tried in order.
    pub roots: Vec<String>,
    /// The URL path the page is served at (`/bg/sla`).
    pub page_url: String,
    /// The page's `<base href>`, once seen.
    pub base: Option<String>,
    /// The app's own addresses (the descriptor's `baseUrl`, a page's `ap-local-base-url` meta):
    /// an absolute URL below one of them names a file of the app's server.
    pub own: Vec<String>,
}

impl Resolver<'_> {
    /// Takes a `<base href>` into account for the URLs resolved after it.
    pub fn set_base(&mut self, href: &str) {
        if self.base.is_some() {
            return; // the first <base href> is the document's
        }
        let href = href.trim_matches(super::html::is_html_space);
        if is_absolute(href) {
            self.base = Some(absolute(href));
        } else {
            let path = href.split(['?', '#']).next().unwrap_or("");
            self.base = Some(join_url(&self.page_url, path));
        }
    }

    /// The URL path an absolute URL names on the app's own server
    /// (`https://app.example.com/js/a.js` under `https://app.example.com` is `/js/a.js`), if it
    /// is below one of [`Resolver::own`]'s addresses: scheme and host case aside, on a segment
    /// boundary.
    pub fn own_path(&self, url: &str) -> Option<String> {
        let url = without_scheme(url)?;
        self.own.iter().find_map(|base| {
            let base = without_scheme(base)?;
            let base = base.trim_end_matches('/');
            let (host, _) = base.split_once('/').unwrap_or((base, ""));
            let head = url.get(..base.len())?;
            let rest = url.get(base.len()..)?;
            let same = head.get(..host.len())?.eq_ignore_ascii_case(host)
                && head.get(host.len()..)? == base.get(host.len()..)?;
            if !same || !(rest.is_empty() || rest.starts_with(['/', '?', '#'])) {
                return None;
            }
            let path = rest.split(['?', '#']).next().unwrap_or("");
            Some(if path.is_empty() {
                "/".to_string()
            } else {
                path.to_string()
            })
        })
    }

    /// Resolves a local URL (template prefixes already stripped) to a source file.
    pub fn resolve(&self, url: &str) -> Resolution {
        self.resolve_in(url, false)
    }

    /// Resolves a local URL to a binary asset (an image, font, media file), or to a file of
    /// the tree of any kind the server would serve (an `.svg` or a `.css` is text).
    pub fn resolve_asset(&self, url: &str) -> Resolution {
        self.resolve_in(url, true)
    }

    fn exists(&self, path: &str, asset: bool) -> bool {
        if asset {
            self.tree.lists_asset(path) || self.tree.contains(path)
        } else {
            self.tree.contains(path)
        }
    }

    /// The URL path `url` names and that path decoded (`/img/a b.png`), or why a static file
    /// server refuses it (or, under an absolute `<base href>`, the other host's URL).
    fn local_path(&self, url: &str) -> Result<(String, String), Resolution> {
        let url = url.trim_matches(super::html::is_html_space);
        let path_part = url.split(['?', '#']).next().unwrap_or("");
        let url_path = match &self.base {
            Some(base) if is_absolute(base) && !path_part.starts_with('/') => {
                return Err(Resolution::External(join_absolute(base, url)));
            }
            Some(base) if !path_part.starts_with('/') => join_url(base, path_part),
            _ => join_url(&self.page_url, path_part),
        };
        let decoded = match percent_decode(&url_path) {
            Some(d) => d,
            None => {
                return Err(Resolution::Refused(format!(
                    "its path {url_path} does not decode to UTF-8 text, which a static file server refuses"
                )))
            }
        };
        let rel = decoded.trim_start_matches('/');
        if decoded.contains('\0') || rel.split('/').any(|s| s == ".." || s == ".") {
            return Err(Resolution::Refused(format!(
                "its decoded path {} climbs out of the folder it names, which a static file server refuses",
                shown(&decoded)
            )));
        }
        if let Some(name) = secret_name(rel) {
            return Err(Resolution::Refused(format!(
                "{name} is a known secret file's name: it is never carried (move the page's code out of it if it really is code)"
            )));
        }
        if rel.split('/').any(|s| s.starts_with('.')) {
            return Err(Resolution::Refused(format!(
                "{} is a hidden file: static file servers do not serve it",
                shown(rel)
            )));
        }
        Ok((url_path, decoded))
    }

    /// The assets a URL built at run time may name: those the first static folder holding any
    /// serves whose path starts with the path `head` names and ends with `tail`
    /// (`` `icons/macro${kind}-01.svg` ``: `icons/macro…-01.svg`), in path order, with the path
    /// `head` names below the static folder (`icons/macro`). A hidden or secret file, or one
    /// whose varying part climbs (`..`), is never among them.
    pub fn assets_between(&self, head: &str, tail: &str) -> (String, Vec<Resolved>) {
        let Ok((_, decoded)) = self.local_path(head) else {
            return (String::new(), Vec::new());
        };
        let rel = decoded.trim_start_matches('/');
        for root in &self.roots {
            let prefix = format!("{root}{rel}");
            let mut hits: Vec<&str> = self
                .tree
                .asset_paths()
                .chain(self.tree.paths())
                .filter(|p| {
                    p.len() >= prefix.len() + tail.len()
                        && p.starts_with(&prefix)
                        && p.ends_with(tail)
                        && !p[root.len()..]
                            .split('/')
                            .any(|s| s == ".." || s.starts_with('.'))
                        && secret_name(&p[root.len()..]).is_none()
                })
                .collect();
            if hits.is_empty() {
                continue;
            }
            hits.sort_unstable();
            hits.dedup();
            let found = hits
                .into_iter()
                .map(|p| Resolved {
                    path: p.to_string(),
                    static_path: p[root.len()..].to_string(),
                    url_path: format!("/{}", &p[root.len()..]),
                })
                .collect();
            return (rel.to_string(), found);
        }
        (rel.to_string(), Vec::new())
    }

    /// A file `url` names that the source walk did not list because it is inside a folder the
    /// walk never enters (a library's committed `dist/`: `/lib/vis/dist/vis.min.js`), found on
    /// disk under `disk_root` in one of the static folders: its path (relative to the source
    /// root) and its path below the static folder. Hidden, secret and climbing paths never.
    pub fn on_disk(&self, disk_root: &std::path::Path, url: &str) -> Option<Resolved> {
        let (url_path, decoded) = self.local_path(url).ok()?;
        let rel = decoded.trim_start_matches('/');
        self.roots.iter().find_map(|root| {
            let path = format!("{root}{rel}");
            let skipped = path
                .split('/')
                .rev()
                .skip(1)
                .any(|seg| crate::port::tree::SKIPPED_DIRS.contains(&seg));
            let full = disk_root.join(&path);
            (skipped && !path.split('/').any(|s| s == "node_modules") && full.is_file()).then(
                || Resolved {
                    path,
                    static_path: rel.to_string(),
                    url_path: url_path.clone(),
                },
            )
        })
    }

    fn resolve_in(&self, url: &str, asset: bool) -> Resolution {
        let (url_path, decoded) = match self.local_path(url) {
            Ok(found) => found,
            Err(r) => return r,
        };
        let rel = decoded.trim_start_matches('/');
        for root in &self.roots {
            let path = format!("{root}{rel}");
            if self.exists(&path, asset) {
                return Resolution::Found(Resolved {
                    path,
                    static_path: rel.to_string(),
                    url_path,
                });
            }
        }
        // `/static/js/x.js` (Flask, Django) or `/www/js/x.js`: the URL names the folder itself.
        for root in self.roots.iter().filter(|r| !r.is_empty()) {
            if let Some(below) = rel.strip_prefix(root.as_str()) {
                if self.exists(rel, asset) {
                    return Resolution::Found(Resolved {
                        path: rel.to_string(),
                        static_path: below.to_string(),
                        url_path,
                    });
                }
            }
        }
        // Django serves `/static/x` from every app's `static/` folder.
        if let Some(below) = rel.strip_prefix("static/") {
            let suffix = format!("/static/{below}");
            let mut hits: Vec<&str> = self.tree.paths().filter(|p| p.ends_with(&suffix)).collect();
            if asset {
                hits.extend(self.tree.asset_paths().filter(|p| p.ends_with(&suffix)));
            }
            hits.sort_unstable();
            if let Some(p) = hits.first() {
                return Resolution::Found(Resolved {
                    path: (*p).to_string(),
                    static_path: below.to_string(),
                    url_path,
                });
            }
        }
        // A server that ignores case (Windows, macOS) serves `suggestions.css` from
        // `Suggestions.css`: the one file whose path differs from the URL's only in case.
        for root in &self.roots {
            let want_len = root.len() + rel.len();
            let same = |p: &&str| {
                p.len() == want_len
                    && p.get(..root.len())
                        .is_some_and(|r| r.eq_ignore_ascii_case(root))
                    && p.get(root.len()..)
                        .is_some_and(|r| r.eq_ignore_ascii_case(rel))
                    && p.get(root.len()..)
                        .is_some_and(|r| secret_name(r).is_none())
            };
            let mut hits: Vec<&str> = self.tree.paths().filter(same).collect();
            if asset {
                hits.extend(self.tree.asset_paths().filter(same));
            }
            hits.sort_unstable();
            hits.dedup();
            if let [p] = hits.as_slice() {
                if !self.exists(p, asset) {
                    continue;
                }
                return Resolution::Found(Resolved {
                    path: (*p).to_string(),
                    static_path: p.get(root.len()..).unwrap_or(p).to_string(),
                    url_path,
                });
            }
        }
        // A route sending one file at this URL (`app.use('/css', (req, res) =>
        // res.sendFile(path.join(__dirname, 'styles/app.css')))`): that file, carried under the
        // URL's path and the file's own name, so its type is still told by its extension.
        if let Some(file) = crate::port::discover::served_file(self.tree, &decoded)
            .filter(|f| self.exists(f, asset) && secret_name(f).is_none())
        {
            let name = file.rsplit('/').next().unwrap_or(&file);
            let static_path = if rel
                .rsplit('/')
                .next()
                .is_some_and(|last| last.contains('.'))
            {
                rel.to_string()
            } else {
                format!("{}/{name}", rel.trim_end_matches('/'))
            };
            return Resolution::Found(Resolved {
                path: file,
                static_path,
                url_path,
            });
        }
        Resolution::Missing(decoded)
    }
}

impl Resolved {
    /// The warning for a file found with its name's case ignored ([`Resolved::case_differs`]).
    pub fn case_note(&self, url: &str) -> Option<String> {
        self.case_differs().then(|| {
            format!(
                "\"{}\" is {} in the source tree, whose name differs in case: the app's server ignores case (as Windows' and macOS' file systems do) and Forge's does not; it is carried under the file's own name",
                shown(url),
                self.path
            )
        })
    }

    /// Whether the file's name differs in case from the URL that named it (found as a server
    /// that ignores case finds it): the decoded URL path ends with its path below the static
    /// folder only when case is ignored.
    pub fn case_differs(&self) -> bool {
        let decoded = percent_decode(&self.url_path).unwrap_or_default();
        !decoded.ends_with(&self.static_path)
            && decoded
                .to_ascii_lowercase()
                .ends_with(&self.static_path.to_ascii_lowercase())
    }
}

/// `http://`, `https://` or `//host`.
pub(crate) fn is_absolute(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    url.starts_with("//") || lower.starts_with("http://") || lower.starts_with("https://")
}

/// `host/x` of `http://host/x`, `https://host/x` or `//host/x`; `None` for a URL of no host.
fn without_scheme(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if let Some(r) = url.strip_prefix("//") {
        r
    } else if lower.starts_with("http://") {
        url.get(7..)?
    } else if lower.starts_with("https://") {
        url.get(8..)?
    } else {
        return None;
    };
    (!rest.is_empty() && !rest.starts_with('/')).then_some(rest)
}

/// `//host/x` made `https://host/x`.
fn absolute(url: &str) -> String {
    match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    }
}

/// A relative URL against an absolute base (`https://cdn/x/` + `a.js`).
fn join_absolute(base: &str, rel: &str) -> String {
    let base = absolute(base);
    let (scheme_host, path) = match base.find("://").map(|i| i + 3) {
        Some(s) => match base.get(s..).and_then(|r| r.find('/')) {
            Some(p) => base.split_at(s + p),
            None => (base.as_str(), "/"),
        },
        None => (base.as_str(), "/"),
    };
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let (rel_path, rest) = match rel.find(['?', '#']) {
        Some(i) => rel.split_at(i),
        None => (rel, ""),
    };
    format!("{scheme_host}{}{rest}", join_url(path, rel_path))
}

/// `rel` against the URL path `base` (`/bg/page` + `js/a.js` = `/bg/js/a.js`), dot segments
/// removed (`%2e` counts as a dot, as in a browser), never above `/`.
pub(crate) fn join_url(base: &str, rel: &str) -> String {
    let base_path = base.split(['?', '#']).next().unwrap_or("");
    let mut segs: Vec<&str> = Vec::new();
    if !rel.starts_with('/') {
        let folder = match base_path.rfind('/') {
            Some(i) => base_path.get(..i).unwrap_or(""),
            None => "",
        };
        segs.extend(folder.split('/').filter(|s| !s.is_empty()));
    }
    let parts: Vec<&str> = rel.split('/').collect();
    let last = parts.len().saturating_sub(1);
    let mut trailing = false;
    for (i, seg) in parts.iter().enumerate() {
        let lower = seg.to_ascii_lowercase();
        match lower.as_str() {
            "" => trailing = i == last,
            "." | "%2e" => trailing = i == last,
            ".." | ".%2e" | "%2e." | "%2e%2e" => {
                segs.pop();
                trailing = i == last;
            }
            _ => {
                segs.push(seg);
                trailing = false;
            }
        }
    }
    let mut out = format!("/{}", segs.join("/"));
    if trailing && !segs.is_empty() {
        out.push('/');
    }
    out
}

/// `%XX` decoded; `None` when the result is not UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The file name, when `path` names a file that holds secrets by convention.
pub(crate) fn secret_name(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    const NAMES: &[&str] = &[
        "credentials.json",
        "config.json",
        "secrets.json",
        "secret.json",
        "settings.py",
        "local_settings.py",
        "client_secret.json",
        "service-account.json",
        "appsettings.json",
        "application.properties",
        "application.yml",
        "application.yaml",
        "database.yml",
        "master.key",
        "wp-config.php",
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
        "htpasswd",
    ];
    const EXTENSIONS: &[&str] = &[".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"];
    const PREFIXES: &[&str] = &[
        ".env",
        ".npmrc",
        ".pypirc",
        ".netrc",
        ".htpasswd",
        "client_secret",
        "credentials",
        "service-account",
        "secrets.",
    ];
    let hit = NAMES.contains(&lower.as_str())
        || EXTENSIONS.iter().any(|e| lower.ends_with(e))
        || PREFIXES.iter().any(|p| lower.starts_with(p));
    hit.then_some(name)
}

fn shown(s: &str) -> String {
    super::expr::shorten(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver<'t>(tree: &'t SourceTree, roots: &[&str], page_url: &str) -> Resolver<'t> {
        Resolver {
            tree,
            roots: roots.iter().map(|r| r.to_string()).collect(),
            page_url: page_url.into(),
            base: None,
            own: Vec::new(),
        }
    }

    /// A stylesheet (or script) a route sends as one file at its own URL is that file of the
    /// tree, carried under the URL's path with the file's name; it was "not in the source tree".
    #[test]
    fn a_file_one_route_sends_is_found() {
        let server = "const path = require('path');\nconst app = require('express')();\napp.use('/css', (req, res) => res.sendFile(path.join(__dirname, '../styles/app.css')));\napp.get('/js/main.js', (req, res) => res.sendFile(path.join(__dirname, 'client.js')));\n";
        let tree = SourceTree::from_files([
            ("server/index.js", server),
            ("styles/app.css", "p{}"),
            ("server/client.js", "x()"),
        ]);
        let r = resolver(&tree, &["public/"], "/p");
        let Resolution::Found(css) = r.resolve_asset("/css") else {
            panic!("{:?}", r.resolve_asset("/css"));
        };
        assert_eq!(
            (css.path.as_str(), css.static_path.as_str()),
            ("styles/app.css", "css/app.css")
        );
        let Resolution::Found(js) = r.resolve("/js/main.js?v=1") else {
            panic!();
        };
        assert_eq!(
            (js.path.as_str(), js.static_path.as_str()),
            ("server/client.js", "js/main.js")
        );
        assert!(matches!(r.resolve("/other.css"), Resolution::Missing(_)));
    }

    #[test]
    fn absolute_urls_below_the_apps_own_address_are_its_paths() {
        let tree = SourceTree::from_files([("public/js/a.js", "x")]);
        let mut r = resolver(&tree, &["public/"], "/p");
        r.own = vec!["https://App.example.com/addon/".into()];
        assert_eq!(
            r.own_path("https://app.example.com/addon/js/a.js?v=2")
                .as_deref(),
            Some("/js/a.js")
        );
        assert_eq!(
            r.own_path("http://APP.example.com/addon").as_deref(),
            Some("/")
        );
        assert_eq!(
            r.own_path("//app.example.com/addon/js/a.js").as_deref(),
            Some("/js/a.js")
        );
        // Not below it: another path, a longer segment, another host, a path's case.
        assert_eq!(r.own_path("https://app.example.com/other/a.js"), None);
        assert_eq!(r.own_path("https://app.example.com/addons/a.js"), None);
        assert_eq!(
            r.own_path("https://app.example.com.evil.io/addon/a.js"),
            None
        );
        assert_eq!(r.own_path("https://app.example.com/Addon/a.js"), None);
        assert_eq!(r.own_path("/addon/a.js"), None);
    }

    #[test]
    fn urls_resolve_from_the_static_root_never_above_it() {
        let tree = SourceTree::from_files([
            ("public/js/a.js", "a"),
            ("credentials.json", "{}"),
            ("views/x.js", "v"),
            ("public/my file.js", "s"),
        ]);
        let r = resolver(&tree, &["public/"], "/bg/page");
        assert!(
            matches!(r.resolve("../js/a.js"), Resolution::Found(f) if f.path == "public/js/a.js")
        );
        assert!(
            matches!(r.resolve("../../../credentials.json"), Resolution::Refused(m) if m.contains("secret"))
        );
        assert_eq!(
            r.resolve("../views/x.js"),
            Resolution::Missing("/views/x.js".into())
        );
        assert!(
            matches!(r.resolve("/my%20file.js?v=1"), Resolution::Found(f) if f.static_path == "my file.js")
        );
        assert!(matches!(
            r.resolve("/js/%2e%2e/%2e%2e/credentials.json"),
            Resolution::Refused(_)
        ));
        assert!(matches!(
            r.resolve("/js%2f..%2f..%2fx.js"),
            Resolution::Refused(_)
        ));
        assert!(matches!(r.resolve("/.env.js"), Resolution::Refused(_)));
    }

    #[test]
    fn a_name_that_differs_only_in_case_is_found_as_a_server_that_ignores_case_finds_it() {
        let tree = SourceTree::from_files([
            ("views/Page/Page.css", "p{}"),
            ("views/Page/app.js", "a"),
            ("views/Twice/A.js", "1"),
            ("views/Twice/a.JS", "2"),
            ("views/Page/Credentials.json", "{}"),
        ])
        .with_asset("views/Page/Logo.PNG", b"png".to_vec());
        let r = resolver(&tree, &[""], "/views/Page/page.html");
        let Resolution::Found(css) = r.resolve("page.css") else {
            panic!("page.css not found");
        };
        assert_eq!(css.path, "views/Page/Page.css");
        assert_eq!(css.static_path, "views/Page/Page.css");
        assert!(css.case_differs());
        assert!(css
            .case_note("page.css")
            .unwrap()
            .contains("views/Page/Page.css"));
        let Resolution::Found(js) = r.resolve("app.js") else {
            panic!("app.js not found");
        };
        assert!(!js.case_differs() && js.case_note("app.js").is_none());
        assert!(
            matches!(r.resolve_asset("logo.png"), Resolution::Found(l) if l.path == "views/Page/Logo.PNG")
        );
        // Two files that differ only in case: no guess. A secret file stays refused.
        assert!(matches!(
            r.resolve("/views/twice/a.js"),
            Resolution::Missing(_)
        ));
        assert!(!matches!(
            r.resolve("credentials.JSON"),
            Resolution::Found(_)
        ));
    }

    #[test]
    fn base_href_is_honoured() {
        let tree = SourceTree::from_files([("public/app/js/a.js", "a")]);
        let mut r = resolver(&tree, &["public/"], "/bg/page");
        r.set_base("/app/");
        assert!(
            matches!(r.resolve("js/a.js"), Resolution::Found(f) if f.static_path == "app/js/a.js")
        );
        let mut r = resolver(&tree, &["public/"], "/bg/page");
        r.set_base("https://cdn.example.com/lib/");
        assert_eq!(
            r.resolve("x.js?v=1"),
            Resolution::External("https://cdn.example.com/lib/x.js?v=1".into())
        );
    }

    #[test]
    fn join_url_is_a_browsers() {
        assert_eq!(join_url("/a/b", "c"), "/a/c");
        assert_eq!(join_url("/a/b", "../../../c"), "/c");
        assert_eq!(join_url("/a/", "./c/"), "/a/c/");
        assert_eq!(join_url("/a/b", "/x/./y"), "/x/y");
        assert_eq!(join_url("", "x"), "/x");
    }

    #[test]
    fn secrets_by_name() {
        for s in [
            "credentials.json",
            "a/.env.local",
            "CONFIG.JSON",
            "k/server.pem",
            "settings.py",
        ] {
            assert!(secret_name(s).is_some(), "{s}");
        }
        for s in ["app.js", "configure.js", "settings.js"] {
            assert!(secret_name(s).is_none(), "{s}");
        }
    }
}
