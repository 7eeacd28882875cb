//! Modules a page loads through RequireJS: the `data-main` of its `require.js` script and the ids
//! its scripts ask for (`require(['js/x.js'])`, `define(['./data'], …)`), then theirs, resolved
//! as RequireJS does — `paths` of a `require.config(...)`/`requirejs.config(...)`, else
//! `baseUrl` (the config's, else the `data-main` script's folder, else the page's folder) plus the
//! id and `.js`; an id ending in `.js`, starting with `/` or holding a `:` is a URL as it is — and
//! each URL looked up as the page's own script URLs are (its static folders). The files are
//! analysed for Connect calls; they are not carried (the loader fetches them at run time from
//! URLs the Forge resource does not have), which the review says (`C2F077`).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::LazyLock;

use regex::Regex;

use crate::port::analysis;
use crate::port::discover::{balanced, split_args, Found};
use crate::port::page::{self, Page, Script};
use crate::port::tree::SourceTree;

/// The modules a page loads through RequireJS, in the order reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    /// The `data-main` entries as written (`/js/main`).
    pub main: Vec<String>,
    /// Every module file reached.
    pub files: Vec<String>,
    /// The URL each of `files` is loaded from, as RequireJS computes it (`/js/plugin/graph.js`).
    pub urls: Vec<String>,
    /// The `src` of the `<script>` that loads RequireJS with the `data-main`, as written
    /// (`lib/requirejs/require.js`).
    pub loader: Option<String>,
    /// Ids that name no file of the tree (a CDN library mapped in `paths` is not one).
    pub missing: Vec<String>,
    /// Modules loaded from another host (`paths` mapping `jquery` to a CDN), as RequireJS
    /// computes their URL (`//ajax.googleapis.com/…/jquery.min.js`).
    pub remote: Vec<String>,
}

/// The most modules one page loads here: far above what pages use.
const MAX_MODULES: usize = 2_000;

static DATA_MAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<script\b[^>]*\bdata-main\s*=\s*["']([^"']+)["']"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
/// A `<script>` start tag, and its `src`.
static SCRIPT_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<script\b[^>]*>").unwrap_or_else(|e| unreachable!("{e}")));
static SRC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)\ssrc\s*=\s*["']([^"']+)["']"#).unwrap_or_else(|e| unreachable!("{e}"))
});
/// A call of the global `require([...])`/`requirejs([...])`: not `AP.require([...])` (Connect's
/// own module list) nor another object's method.
static GLOBAL_REQUIRE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^.[:word:]$])(?:require|requirejs)[[:space:]]*\([[:space:]]*\[")
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static CONFIG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)(?:require|requirejs)[[:space:]]*\.[[:space:]]*config[[:space:]]*\("#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?s)^(?:['"]([^'"]+)['"]|([A-Za-z_$][A-Za-z0-9_$-]*))[[:space:]]*:[[:space:]]*['"]([^'"]*)['"]"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// RequireJS's configuration, as far as the page's scripts set it.
#[derive(Debug, Default)]
struct Config {
    base_url: Option<String>,
    paths: HashMap<String, String>,
}

impl Config {
    /// Reads every `require.config({...})` of `text` into this configuration.
    fn read(&mut self, text: &str) {
        for m in CONFIG.find_iter(text) {
            let Some(open) = text[m.end()..].find('{').map(|i| i + m.end()) else {
                continue;
            };
            let Some((inner, _)) = balanced(text, open, 256 * 1024) else {
                continue;
            };
            for part in split_args(inner) {
                let Some(c) = PAIR.captures(part) else {
                    if let Some(paths) = part.strip_prefix("paths").map(str::trim_start) {
                        if let Some(rest) = paths.strip_prefix(':').map(str::trim_start) {
                            if let Some((obj, _)) = balanced(rest, 0, 256 * 1024) {
                                for p in split_args(obj).iter().filter_map(|p| PAIR.captures(p)) {
                                    let key = p.get(1).or_else(|| p.get(2));
                                    if let (Some(k), Some(v)) = (key, p.get(3)) {
                                        self.paths
                                            .insert(k.as_str().to_string(), v.as_str().to_string());
                                    }
                                }
                            }
                        }
                    }
                    continue;
                };
                let key = c.get(1).or_else(|| c.get(2)).map(|k| k.as_str());
                if key == Some("baseUrl") {
                    self.base_url = c.get(3).map(|v| v.as_str().to_string());
                }
            }
        }
    }

    /// The URL of module `id`, asked for by the module at URL `from` (for `./x`).
    fn url_of(&self, id: &str, from: Option<&str>, main_base: &str) -> String {
        if id.starts_with("./") || id.starts_with("../") {
            return match from {
                Some(f) => with_js(&page::join_url(f, id)),
                None => with_js(id),
            };
        }
        // `paths` maps the id, or its first segments (`lib/x` under `lib`).
        let mut mapped = None;
        let mut prefix = id;
        loop {
            if let Some(p) = self.paths.get(prefix) {
                mapped = Some(format!("{p}{}", &id[prefix.len()..]));
                break;
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => break,
            }
        }
        let id = mapped.as_deref().unwrap_or(id);
        if id.ends_with(".js") || id.starts_with('/') || id.contains(':') {
            return with_js(id);
        }
        let base = self.base_url.as_deref().unwrap_or(main_base);
        let base = if base.is_empty() || base.ends_with('/') {
            base.to_string()
        } else {
            format!("{base}/")
        };
        with_js(&format!("{base}{id}"))
    }
}

/// The URL with `.js` when it has no extension of its own, as RequireJS adds it.
fn with_js(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    if path.to_ascii_lowercase().ends_with(".js") {
        url.to_string()
    } else {
        format!("{path}.js")
    }
}

/// The modules the page `found` (split into `split`, served at `url`) loads through RequireJS;
/// `None` when it uses no AMD loader.
pub fn loaded(tree: &SourceTree, found: &Found, url: &str, split: &Page) -> Option<Loaded> {
    let mut texts: Vec<&str> = Vec::new();
    texts.extend(tree.get(&found.file));
    if let Some(layout) = &split.layout {
        texts.extend(tree.get(layout));
    }
    let main: Vec<String> = texts
        .iter()
        .flat_map(|t| DATA_MAIN.captures_iter(t))
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
        .collect();
    let loader = texts
        .iter()
        .flat_map(|t| SCRIPT_TAG.find_iter(t))
        .map(|m| m.as_str())
        .filter(|tag| DATA_MAIN.is_match(tag))
        .find_map(|tag| SRC.captures(tag)?.get(1).map(|m| m.as_str().to_string()));
    let mut config = Config::default();
    // The page's own scripts: their `require([...])` calls and configuration.
    let mut scripts: Vec<(Option<String>, &str)> = Vec::new();
    for s in &split.scripts {
        match s {
            Script::Inline { text, .. } => scripts.push((None, text)),
            Script::Local {
                resolved: Some(r), ..
            } => {
                if let Some(t) = tree.get(&r.path) {
                    scripts.push((Some(r.path.clone()), t));
                }
            }
            _ => {}
        }
    }
    let uses_amd = !main.is_empty() || scripts.iter().any(|(_, t)| GLOBAL_REQUIRE.is_match(t));
    if !uses_amd {
        return None;
    }
    for (_, t) in &scripts {
        config.read(t);
    }
    // RequireJS's baseUrl is the data-main script's folder, else the page's.
    let main_base = main
        .first()
        .and_then(|m| m.rfind('/').map(|i| m[..=i].to_string()))
        .unwrap_or_default();
    // Each item is a URL (`data-main`) or an id with the URL of the module asking for it
    // (`None` for the page's own scripts), resolved when taken: a module read before it may
    // configure `paths`.
    enum Item {
        Url(String),
        Id(String, Option<String>),
    }
    let mut queue: VecDeque<Item> = VecDeque::new();
    for m in &main {
        queue.push_back(Item::Url(with_js(m)));
    }
    for (file, t) in &scripts {
        for id in analysis::amd_dependencies(file.as_deref().unwrap_or("inline.js"), t) {
            queue.push_back(Item::Id(id, None));
        }
    }
    // `AP.require(['request'], …)` is Connect's own module list, not RequireJS: a page whose only
    // `require([` is that loads nothing through an AMD loader.
    if queue.is_empty() {
        return None;
    }
    let mut out = Loaded {
        main,
        loader,
        ..Loaded::default()
    };
    let mut seen: HashSet<String> = HashSet::new();
    while let Some(item) = queue.pop_front() {
        if out.files.len() >= MAX_MODULES {
            break;
        }
        let module_url = match item {
            Item::Url(u) => u,
            Item::Id(id, from) => config.url_of(&id, from.as_deref(), &main_base),
        };
        if !seen.insert(module_url.clone()) {
            continue;
        }
        if module_url.contains("://") || module_url.starts_with("//") {
            out.remote.push(module_url);
            continue;
        }
        let Some(file) = page::resolve_url(tree, found, url, &module_url) else {
            out.missing.push(module_url);
            continue;
        };
        let Some(text) = tree.get(&file) else {
            continue;
        };
        config.read(text);
        out.files.push(file.clone());
        out.urls.push(module_url.clone());
        for id in analysis::amd_dependencies(&file, text) {
            queue.push_back(Item::Id(id, Some(module_url.clone())));
        }
    }
    Some(out)
}

/// What the review says of the modules a page loads through RequireJS (`C2F077`), at the page;
/// `carried`: whether they were carried with its require.js; `from_disk`: the modules carried
/// as they are from a folder the source walk does not enter (not analysed).
pub fn warnings(
    loaded: &Loaded,
    page_file: &str,
    carried: bool,
    from_disk: &[String],
) -> Vec<crate::diagnostics::Diagnostic> {
    let at = page::Location {
        file: page_file.to_string(),
        line: 1,
        column: 1,
    };
    let main = if loaded.main.is_empty() {
        String::new()
    } else {
        format!(" (data-main {})", loaded.main.join(", "))
    };
    let mut message = if carried {
        format!(
            "the page loads {} module(s) through RequireJS{main}: their Connect calls are analysed, and they are carried under page/ at their URL paths, with a script before require.js that points each URL the loader asks for there",
            loaded.files.len()
        )
    } else {
        format!(
            "the page loads {} module(s) through RequireJS{main}: their Connect calls are analysed, but they are not carried, since the loader fetches them at run time from URLs the Forge resource does not have; copy them under page/ keeping their paths, or bundle them into one script the index.html loads",
            loaded.files.len()
        )
    };
    if !from_disk.is_empty() {
        message.push_str(&format!(
            "; carried as they are but not analysed, from a folder the source walk does not enter (a library's build): {}",
            from_disk.join(", ")
        ));
    }
    let missing: Vec<&String> = loaded
        .missing
        .iter()
        .filter(|m| !from_disk.contains(m))
        .collect();
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(5).map(|m| m.as_str()).collect();
        let more = missing.len().saturating_sub(shown.len());
        message.push_str(&format!(
            "; RequireJS modules not in the source tree, not analysed: {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    vec![at.warning(message)]
}
