//! Web items (`webItems`): a link or button Connect added to a product menu. Forge has no plain
//! link module, so what an item becomes depends on where it is and what it opens:
//!
//! - in a menu Forge has an action module for — the issue view's operations (`operations-*`,
//!   `jira.issue.tools`, `view.issue.opsbar`, `opsbar-*`) → `jira:issueAction`, the board's and
//!   the backlog's tools → `jira:boardAction` / `jira:backlogAction`, the issue navigator's →
//!   `jira:issueNavigatorAction`, Confluence's page actions (`system.content.action`) →
//!   `confluence:contentAction` — the item becomes that module, showing the page it opened in
//!   the modal Forge opens for it: its own URL, or the page of the dialog it opened
//!   (`target.type` `dialogmodule` / `options.key`). The page runs as in a dialog
//!   (`AP.dialog.close` closes the modal);
//! - a link to one of the app's own pages (its URL, `context: page` with the page's key, or
//!   `/plugins/servlet/ac/<app>/<page key>`) folds into that page, which Forge puts in the
//!   product's navigation itself: no module is made for it, and a warning says so;
//! - a link to a URL of the app's own that no page module shows (`context: addon`, a relative
//!   URL), in a menu where a general page becomes a Forge page — Jira's administration menu, the
//!   top navigation, the personal settings menu, the project sidebar; Confluence's header —
//!   becomes that page module (`jira:adminPage`, `jira:globalPage`, `jira:personalSettingsPage`,
//!   `jira:projectPage`, `confluence:globalPage`) showing that URL's page: the same menu entry,
//!   now shown inside the product instead of on the app's server (a warning says so). When Forge
//!   allows no further module of that type it stays on Connect;
//! - anything else (a link to another site or to a product page, a menu Forge has no module
//!   for) stays on Connect, with a warning naming the location.
//!
//! An item placed in one of the app's web sections (`location` is the section's key, or ends
//! in `/<section key>`) takes the section's location ([`location`]).

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::dialog::RESOURCE_ONLY;
use super::general_page::{
    GeneralPages, CONFLUENCE_GLOBAL_PAGE, JIRA_ADMIN_PAGE, JIRA_FULL_PAGE, JIRA_GLOBAL_PAGE,
    JIRA_PERSONAL_PAGE, JIRA_PROJECT_PAGE,
};
use super::page::{self, route, url_problem};
use super::{context, AppFacts, ForgeModule, Kind, PageUrls};
use crate::diagnostics::Findings;
use crate::json_path as json;
use crate::product::Product;

/// An action in the issue view's operations menu.
pub const ISSUE_ACTION: &str = "jira:issueAction";
/// An action in a board's menu.
pub const BOARD_ACTION: &str = "jira:boardAction";
/// An action in the backlog's menu.
pub const BACKLOG_ACTION: &str = "jira:backlogAction";
/// An action in the issue navigator's menu.
pub const NAVIGATOR_ACTION: &str = "jira:issueNavigatorAction";
/// An action in a Confluence page's "..." menu.
pub const CONTENT_ACTION: &str = "confluence:contentAction";

/// The Connect module types whose entries are pages of the app a link can fold into.
const PAGE_TYPES: &[&str] = &[
    "generalPages",
    "adminPages",
    "configurePage",
    "postInstallPage",
    "jiraProjectPages",
    "jiraProjectAdminTabPanels",
];

/// The web-item kind.
pub struct WebItems;

/// What a web item becomes on Forge.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A Forge action module showing the page at `url` (relative to the app's baseUrl) in its
    /// modal.
    Action {
        /// The Forge module type.
        forge_type: &'static str,
        /// The page's URL.
        url: String,
        /// The dialog whose page it shows, when the item opened one.
        dialog: Option<String>,
    },
    /// The Forge page module `forge_type` showing the app's own page at `url`, which no page
    /// module of the app shows: what a general page in the item's menu becomes.
    Page {
        /// The Forge module type.
        forge_type: &'static str,
        /// The page's URL, relative to the app's baseUrl.
        url: String,
    },
    /// The Forge module `forge_type` (an action, or the menu's page module) whose resource only
    /// takes the user to `url`: another site, or a product page (`/browse/…`), where the item
    /// linked.
    Link {
        /// The Forge module type.
        forge_type: &'static str,
        /// Where it goes: an absolute URL, or a path on the product's site.
        url: String,
    },
    /// Nothing: the item links to the app's page module `page` (of Connect type `page_type`),
    /// which Forge shows in the product's navigation.
    Folds {
        /// The page module's key.
        page: String,
        /// Its Connect module type.
        page_type: String,
    },
    /// Stays on Connect, for this reason (said after "the web item stays on Connect").
    Stays(String),
}

/// The location of a web item as the product sees it: an item in one of the app's web sections
/// (its `location` is the section's key, or `<menu>/<section key>`) takes the section's own
/// location, through at most a few nested sections.
pub fn location(item: &Value, app: &AppFacts) -> String {
    placement(item, app).1
}

/// The keys of the app's web sections an item is in (innermost first) and its location.
pub fn placement(item: &Value, app: &AppFacts) -> (Vec<String>, String) {
    let mut loc = item
        .get("location")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string();
    let mut sections = Vec::new();
    for _ in 0..4 {
        let section = app.entries("webSections").into_iter().find_map(|s| {
            let k = s.get("key").and_then(Value::as_str)?;
            let inside = !k.is_empty() && (loc == k || loc.ends_with(&format!("/{k}")));
            (inside && !sections.iter().any(|x| x == k)).then_some((k, s))
        });
        let Some((k, s)) = section else { break };
        sections.push(k.to_string());
        match s.get("location").and_then(Value::as_str) {
            Some(l) => loc = l.trim().to_string(),
            None => break,
        }
    }
    (sections, loc)
}

/// The Forge action module for items at `location`, if Forge has one there.
fn action_type(product: Product, location: &str) -> Option<&'static str> {
    let l = location;
    match product {
        Product::Jira => {
            if l.starts_with("operations-")
                || l.starts_with("opsbar-")
                || l == "jira.issue.tools"
                || l == "view.issue.opsbar"
            {
                Some(ISSUE_ACTION)
            } else if l == "jira.agile.board.tools" || l == "jira.software.board.tools" {
                Some(BOARD_ACTION)
            } else if l == "jira.agile.backlog.tools" || l == "jira.software.backlog.tools" {
                Some(BACKLOG_ACTION)
            } else if l == "jira.navigator.pluggable.items" {
                Some(NAVIGATOR_ACTION)
            } else {
                None
            }
        }
        Product::Confluence => (l == "system.content.action"
            || l.starts_with("system.content.action/"))
        .then_some(CONTENT_ACTION),
    }
}

/// The Forge page module a link to the app's own URL becomes at `location`: where a general
/// page there becomes one (the administration menu, the top navigation, the personal settings
/// menu, the project sidebar; Confluence's header), if it is such a menu.
fn page_type(product: Product, location: &str) -> Option<&'static str> {
    let l = location;
    match product {
        Product::Jira if l.starts_with("admin_plugins_menu") || l == "system.admin" => {
            Some(JIRA_ADMIN_PAGE)
        }
        Product::Jira if l == "system.top.navigation.bar" => Some(JIRA_GLOBAL_PAGE),
        Product::Jira if l.starts_with("system.user.options") => Some(JIRA_PERSONAL_PAGE),
        Product::Jira if l.starts_with("jira.project.sidebar") => Some(JIRA_PROJECT_PAGE),
        Product::Confluence if l == "system.header/left" => Some(CONFLUENCE_GLOBAL_PAGE),
        _ => None,
    }
}

/// Whether a web item's Forge module is a page (not an action in a modal).
fn is_page(forge_type: &str) -> bool {
    [
        JIRA_ADMIN_PAGE,
        JIRA_GLOBAL_PAGE,
        JIRA_FULL_PAGE,
        JIRA_PERSONAL_PAGE,
        JIRA_PROJECT_PAGE,
        CONFLUENCE_GLOBAL_PAGE,
    ]
    .contains(&forge_type)
}

/// The app's entry of one of `types` with key `key`, with its type.
fn module_with_key<'a>(
    app: &AppFacts<'a>,
    types: &[&str],
    key: &str,
) -> Option<(&'a Value, String)> {
    types.iter().find_map(|t| {
        app.entries(t)
            .into_iter()
            .find(|e| e.get("key").and_then(Value::as_str) == Some(key))
            .map(|e| (e, (*t).to_string()))
    })
}

/// The app's page modules (general, admin, configure, post-install and project pages, in that
/// order) by the path of their URL, as a web item's link is looked up: per type, the first entry
/// with that path; of those, the first type's whose entry has a key (project admin tab panels
/// last). Built once for the app, so that each web item finds its page without scanning every
/// module.
pub fn page_urls(modules: &Map<String, Value>) -> PageUrls {
    let app = AppFacts {
        product: Product::Jira,
        base_url: "",
        modules: Some(modules),
        page_urls: None,
    };
    let mut found: HashMap<String, (String, String)> = HashMap::new();
    for t in PAGE_TYPES {
        let mut seen: HashSet<&str> = HashSet::new();
        for e in app.entries(t) {
            let Some(path) = e
                .get("url")
                .and_then(Value::as_str)
                .map(url_path)
                .filter(|p| !p.is_empty())
            else {
                continue;
            };
            if !seen.insert(path) {
                continue;
            }
            if let Some(key) = e.get("key").and_then(Value::as_str) {
                found
                    .entry(path.to_string())
                    .or_insert_with(|| (key.to_string(), (*t).to_string()));
            }
        }
    }
    PageUrls(found)
}

/// The path of a URL without query or fragment, for comparing a link with a page's URL.
fn url_path(u: &str) -> &str {
    u.split(['?', '#'])
        .next()
        .unwrap_or(u)
        .trim_end_matches('/')
}

/// The app's page module a link opens, if that page becomes a Forge module: `context: page`
/// names its key; a product URL `/plugins/servlet/ac/<app>/<key>` its key; an app URL its URL.
fn linked_page(item: &Value, url: &str, app: &AppFacts) -> Option<(String, String)> {
    let (key, t) = linked_entry(item, url, app)?;
    let entry = module_with_key(app, &[t.as_str()], &key)?.0;
    let kind = super::by_connect_type(&t)?;
    let name = super::connect_type_name(&t)?;
    kind.check(name, "$", entry, app, &mut Findings::default())?;
    Some((key, t))
}

/// The app's page entry a link names (its key and Connect type), whether or not it migrates.
fn linked_entry(item: &Value, url: &str, app: &AppFacts) -> Option<(String, String)> {
    let context = item
        .get("context")
        .and_then(Value::as_str)
        .unwrap_or("addon")
        .to_ascii_lowercase();
    let key_of = |(e, t): (&Value, String)| Some((e.get("key")?.as_str()?.to_string(), t));
    let by_url = || {
        if let Some(index) = app.page_urls {
            let path = url_path(url);
            return index.0.get(path).filter(|_| !path.is_empty()).cloned();
        }
        PAGE_TYPES.iter().find_map(|t| {
            app.entries(t)
                .into_iter()
                .find(|e| {
                    e.get("url")
                        .and_then(Value::as_str)
                        .is_some_and(|u| !url_path(u).is_empty() && url_path(u) == url_path(url))
                })
                .and_then(|e| Some((e.get("key")?.as_str()?.to_string(), (*t).to_string())))
        })
    };
    // A page target may name the page module itself (`target.options.key`).
    let named = item
        .get("target")
        .and_then(|t| t.get("options"))
        .and_then(|o| o.get("key"))
        .and_then(Value::as_str);
    if let Some(found) = named.and_then(|k| module_with_key(app, PAGE_TYPES, k)) {
        return key_of(found);
    }
    match context.as_str() {
        // The page's key, written as a path by some apps (`/my-page`), or its URL.
        "page" => module_with_key(app, PAGE_TYPES, url.trim().trim_start_matches('/'))
            .and_then(key_of)
            .or_else(by_url),
        "product" => {
            let rest = url_path(url).strip_prefix("/plugins/servlet/ac/")?;
            let key = rest.rsplit('/').next()?;
            module_with_key(app, PAGE_TYPES, key).and_then(key_of)
        }
        _ => by_url(),
    }
}

/// Where a link that is not to one of the app's own URLs takes the user, as `router.navigate`
/// takes it: an absolute http(s) URL (another site, or the app's server named in full), or, for
/// `context: product`, a path on the product's site (Confluence's under `/wiki`). `None` for the
/// app's own relative URLs, a page key (`context: page`), placeholders and other schemes
/// (`javascript:`).
fn link_target(url: &str, context: &str, product: Product) -> Option<String> {
    let u = url.trim();
    if u.is_empty() || u.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        let host = lower.split_once("://").map_or("", |(_, r)| r);
        return (context != "page" && !host.is_empty() && !host.starts_with('/'))
            .then(|| u.to_string());
    }
    let path =
        context == "product" && u.starts_with('/') && url_problem(u).is_none() && !u.contains("${");
    match product {
        _ if !path => None,
        Product::Confluence if u != "/wiki" && !u.starts_with("/wiki/") => {
            Some(format!("/wiki{u}"))
        }
        _ => Some(u.to_string()),
    }
}

/// The Connect context variables (`{issue.key}`) anywhere in a link, each once, in order.
fn link_variables(url: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find(['{', '}']) else {
            break;
        };
        if rest[close..].starts_with('}') {
            let name = rest[..close].trim().to_string();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
            rest = &rest[close + 1..];
        } else {
            rest = &rest[close..];
        }
    }
    out
}

/// What a web item becomes on Forge (no findings: the section kind asks it too).
pub fn target(item: &Value, app: &AppFacts) -> Target {
    let loc = location(item, app);
    let t = item.get("target");
    let ttype = t
        .and_then(|t| t.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("page")
        .to_ascii_lowercase();
    let dialog_key = t
        .and_then(|t| t.get("options"))
        .and_then(|o| o.get("key"))
        .and_then(Value::as_str)
        .filter(|_| ttype != "page");
    let url = item.get("url").and_then(Value::as_str).unwrap_or("").trim();
    let context = item
        .get("context")
        .and_then(Value::as_str)
        .unwrap_or("addon")
        .to_ascii_lowercase();
    let action = action_type(app.product, &loc);
    if ttype == "page" && dialog_key.is_none() && !url.is_empty() {
        if let Some((page, page_type)) = linked_page(item, url, app) {
            return Target::Folds { page, page_type };
        }
    }
    // A link to a URL of the app's own (not one of its page modules) in a menu where a general
    // page becomes a Forge page: that page.
    let own_link = ttype == "page"
        && dialog_key.is_none()
        && context == "addon"
        && !url.is_empty()
        && url_problem(url).is_none();
    if let (None, Some(forge_type), true) = (action, page_type(app.product, &loc), own_link) {
        return Target::Page {
            forge_type,
            url: url.to_string(),
        };
    }
    // A link to another site or to a product page, in a menu where Forge has an action or a
    // page module: that module, whose resource only takes the user there.
    let link = (ttype == "page" && dialog_key.is_none())
        .then(|| link_target(url, &context, app.product))
        .flatten();
    if let (Some(url), Some(forge_type)) = (link, action.or_else(|| page_type(app.product, &loc))) {
        return Target::Link { forge_type, url };
    }
    let Some(forge_type) = action else {
        let what = match ttype.as_str() {
            "page" => "a link",
            _ => "an item that opens a dialog",
        };
        return Target::Stays(format!(
            "Forge has no module for {what} there (web items become Forge actions only in the issue view's operations, a board's or the backlog's tools, the issue navigator and Confluence's page actions, and a link to one of the app's pages folds into it)"
        ));
    };
    if let Some(k) = dialog_key {
        return match module_with_key(app, &["dialogs"], k)
            .and_then(|(d, _)| d.get("url").and_then(Value::as_str))
        {
            Some(u) if url_problem(u).is_none() => Target::Action {
                forge_type,
                url: u.to_string(),
                dialog: Some(k.to_string()),
            },
            _ => Target::Stays(format!(
                "it opens the dialog \"{k}\", which is not one of this app's dialogs with a page on its own server"
            )),
        };
    }
    if url.is_empty() {
        return Target::Stays("it opens no page (no url and no dialog)".into());
    }
    if context == "page" || context == "product" || url_problem(url).is_some() {
        return Target::Stays(format!(
            "it links to a page that is not the app's own (\"{}\"), and a Forge action shows one of the app's pages",
            json::shown(url)
        ));
    }
    Target::Action {
        forge_type,
        url: url.to_string(),
        dialog: None,
    }
}

impl Kind for WebItems {
    fn id(&self) -> &'static str {
        "web-item"
    }

    fn plural(&self) -> &'static str {
        "web items"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["webItems"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira, Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[
            ISSUE_ACTION,
            BOARD_ACTION,
            BACKLOG_ACTION,
            NAVIGATOR_ACTION,
            CONTENT_ACTION,
            JIRA_ADMIN_PAGE,
            JIRA_GLOBAL_PAGE,
            JIRA_PERSONAL_PAGE,
            JIRA_PROJECT_PAGE,
            JIRA_FULL_PAGE,
            CONFLUENCE_GLOBAL_PAGE,
        ]
    }

    /// A page the menu's module type has no room for is placed as a general page would be (a
    /// further global page becomes a full page); a link that has no room stays on Connect (a
    /// page that only navigates is no use where no menu shows it).
    fn overflow(&self, m: ForgeModule, taken: &[&ForgeModule]) -> Option<ForgeModule> {
        if m.is_link() || !is_page(m.forge_type) {
            return None;
        }
        GeneralPages.overflow(m, taken)
    }

    fn entry_shape(&self) -> &'static str {
        "a web item is a mapping (key, name, location, url)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let key = entry.get("key").and_then(Value::as_str)?;
        if !super::is_module_key(key) {
            return None; // the descriptor reader reports it
        }
        let loc = location(entry, app);
        match target(entry, app) {
            Target::Stays(why) => {
                f.warn(
                    &json::child(path, "location"),
                    Some(key),
                    format!("web item at \"{loc}\": {why}; the web item stays on Connect"),
                );
                None
            }
            Target::Folds { page, page_type } => {
                f.warn(
                    &json::child(path, "url"),
                    Some(key),
                    format!("web item at \"{loc}\" links to the app's page \"{page}\" ({page_type}), which Forge shows in the product's navigation itself: no module is made for the link (folded into that page)"),
                );
                let mut details = Map::new();
                details.insert("location".into(), json!(loc));
                details.insert("folded_into".into(), json!(page));
                Some(ForgeModule {
                    kind: self.id(),
                    connect_type,
                    forge_type: RESOURCE_ONLY,
                    key: key.to_string(),
                    entry: Map::new(),
                    page_url: None,
                    resource: None,
                    extra_pages: Vec::new(),
                    details,
                    path: path.to_string(),
                })
            }
            Target::Page { forge_type, url } => {
                let mut copy = entry.clone();
                if let Some(o) = copy.as_object_mut() {
                    o.insert("url".into(), json!(url));
                }
                let p = page::read(self, path, &copy, app.product, f)?;
                f.warn(
                    &json::child(path, "url"),
                    Some(key),
                    format!("web item at \"{loc}\" links to the app's own URL \"{}\", which none of its page modules shows: it becomes {forge_type} showing that page, inside the product (Connect opened it on the app's server)", json::shown(&url)),
                );
                let mut e = Map::new();
                if forge_type == CONFLUENCE_GLOBAL_PAGE {
                    e.insert("route".into(), json!(route(&p.key)));
                }
                if let Some(i) = p.forge_icon(app.base_url) {
                    e.insert("icon".into(), json!(i));
                }
                let mut m = p.module(self, connect_type, forge_type, true, e);
                m.details.insert("location".into(), json!(loc));
                Some(m)
            }
            Target::Link { forge_type, url } => {
                let p = page::read_link(path, entry, &url, app.product, f)?;
                let url_path = json::child(path, "url");
                let (what, how) = if url.starts_with('/') {
                    ("the product page", "router.navigate, in the same tab")
                } else {
                    (
                        "another site",
                        "router.navigate, which asks the user first and opens it in a new tab",
                    )
                };
                let shown = if is_page(forge_type) {
                    "a page in the product's menu"
                } else {
                    "an action whose modal"
                };
                f.warn(
                    &url_path,
                    Some(key),
                    format!("web item at \"{loc}\" links to {what} \"{}\": it becomes {forge_type}, {shown} only takes the user there ({how}; Forge has no plain link module)", json::shown(&url)),
                );
                let mut variables = Map::new();
                for v in link_variables(&url) {
                    match context::forge_path(&v) {
                        Some(at) => {
                            variables.insert(v, json!(at));
                        }
                        None => f.warn(
                            &url_path,
                            Some(key),
                            format!("context parameter {{{v}}} in the link has no value in Forge's view.getContext(): the link will have it empty; read what it needs another way"),
                        ),
                    }
                }
                let mut e = Map::new();
                if forge_type == CONFLUENCE_GLOBAL_PAGE {
                    e.insert("route".into(), json!(route(&p.key)));
                }
                if forge_type != ISSUE_ACTION && forge_type != CONTENT_ACTION {
                    if let Some(i) = p.forge_icon(app.base_url) {
                        e.insert("icon".into(), json!(i));
                    }
                }
                let mut m = p.module(self, connect_type, forge_type, true, e);
                m.details.insert("location".into(), json!(loc));
                m.details.insert("link".into(), json!(url));
                m.details
                    .insert("link_variables".into(), Value::Object(variables));
                Some(m)
            }
            Target::Action {
                forge_type,
                url,
                dialog,
            } => {
                let mut copy = entry.clone();
                if let Some(o) = copy.as_object_mut() {
                    o.insert("url".into(), json!(url));
                }
                let p = page::read(self, path, &copy, app.product, f)?;
                let mut e = Map::new();
                if forge_type != ISSUE_ACTION && forge_type != CONTENT_ACTION {
                    if let Some(i) = p.forge_icon(app.base_url) {
                        e.insert("icon".into(), json!(i));
                    }
                }
                let mut m = p.module(self, connect_type, forge_type, true, e);
                m.details.insert("location".into(), json!(loc));
                if let Some(d) = dialog {
                    m.details.insert("dialog".into(), json!(d));
                }
                Some(m)
            }
        }
    }

    fn forge_properties(&self, forge_type: &str) -> &'static [&'static str] {
        match forge_type {
            JIRA_ADMIN_PAGE
            | JIRA_GLOBAL_PAGE
            | JIRA_PERSONAL_PAGE
            | JIRA_PROJECT_PAGE
            | JIRA_FULL_PAGE
            | CONFLUENCE_GLOBAL_PAGE => GeneralPages.forge_properties(forge_type),
            ISSUE_ACTION => &[
                "key",
                "resource",
                "title",
                "displayConditions",
                "resolver",
                "render",
                "viewportSize",
            ],
            CONTENT_ACTION => &[
                "key",
                "resource",
                "title",
                "displayConditions",
                "keyboardShortcut",
                "resolver",
                "render",
                "viewportSize",
            ],
            _ => &[
                "key",
                "resource",
                "title",
                "icon",
                "tooltip",
                "actionType",
                "actions",
                "displayConditions",
                "resolver",
                "render",
                "viewportSize",
            ],
        }
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn scaffold_data(&self, module: &ForgeModule) -> Map<String, Value> {
        // Forge opens every action's resource in a modal: AP.dialog.close closes it. A page is
        // a page.
        let mut data = module.details.clone();
        if !is_page(module.forge_type) {
            data.insert("entry".into(), json!("modal"));
        }
        data
    }

    fn label(&self, module: &ForgeModule) -> String {
        let loc = module.detail("location").unwrap_or("");
        if let Some(link) = module.detail("link") {
            return format!("web item at {loc}, a link to {link}");
        }
        if is_page(module.forge_type) {
            return format!("web item at {loc}, a page of its own");
        }
        match module.details.get("folded_into").and_then(Value::as_str) {
            Some(p) => format!("web item at {loc}, folded into the page {p}"),
            None => match module.details.get("dialog").and_then(Value::as_str) {
                Some(d) => format!("web item at {loc}, showing the dialog {d} in a modal"),
                None => format!("web item at {loc}, in a modal"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app_with(modules: &Map<String, Value>) -> AppFacts<'_> {
        AppFacts {
            product: Product::Jira,
            base_url: "https://a.example",
            modules: Some(modules),
            page_urls: None,
        }
    }

    fn modules() -> Map<String, Value> {
        json!({
            "webSections": [{"key": "tools", "location": "operations-top-level", "name": {"value": "T"}},
                {"key": "admin-section", "location": "admin_plugins_menu", "name": {"value": "A"}}],
            "generalPages": [{"key": "main-page", "url": "/main?p={project.key}", "name": {"value": "Main"}}],
            "adminPages": [{"key": "settings", "url": "/settings", "name": {"value": "S"}}],
            "dialogs": [{"key": "export-dialog", "url": "/export?i={issue.key}"}]
        })
        .as_object()
        .cloned()
        .unwrap()
    }

    fn check(v: Value) -> (Option<ForgeModule>, Findings) {
        let m = modules();
        let mut f = Findings::default();
        let out = WebItems.check("webItems", "$.w[0]", &v, &app_with(&m), &mut f);
        (out, f)
    }

    #[test]
    fn the_page_url_index_finds_what_the_scan_finds() {
        // Two types with the same path (the first type's wins), a page without a key (its
        // type is passed over), paths with queries, fragments and trailing slashes.
        let m = json!({
            "generalPages": [{"url": "/a"}, {"key": "g-a", "url": "/a?x=1"},
                {"key": "g-b", "url": "/b/#top"}],
            "adminPages": [{"key": "ad-a", "url": "/a"}, {"key": "ad-c", "url": "/c/"},
                {"key": "ad-c2", "url": "/c"}],
            "jiraProjectPages": [{"key": "p-b", "url": "/b"}, {"key": "p-d", "url": "/d?p={project.key}"}]
        })
        .as_object()
        .cloned()
        .unwrap();
        let index = page_urls(&m);
        let scanned = app_with(&m);
        let indexed = AppFacts {
            page_urls: Some(&index),
            ..scanned
        };
        for url in [
            "/a", "/a/", "/a?y", "/b", "/c", "/c/?q", "/d", "/e", "", "/",
        ] {
            let item = json!({"url": url});
            assert_eq!(
                linked_entry(&item, url, &indexed),
                linked_entry(&item, url, &scanned),
                "{url}"
            );
        }
        assert_eq!(
            linked_entry(&json!({}), "/a", &indexed),
            Some(("ad-a".to_string(), "adminPages".to_string()))
        );
    }

    #[test]
    fn items_in_a_section_take_its_location() {
        let m = modules();
        let app = app_with(&m);
        assert_eq!(
            location(&json!({"location": "tools"}), &app),
            "operations-top-level"
        );
        assert_eq!(
            location(
                &json!({"location": "admin_plugins_menu/admin-section"}),
                &app
            ),
            "admin_plugins_menu"
        );
        assert_eq!(
            location(&json!({"location": "system.top.navigation.bar"}), &app),
            "system.top.navigation.bar"
        );
    }

    #[test]
    fn an_issue_operation_becomes_an_issue_action_opening_its_page_in_a_modal() {
        let (m, f) = check(
            json!({"key": "block", "name": {"value": "Block"}, "location": "tools",
            "url": "/block?issue={issue.key}", "target": {"type": "dialog"}}),
        );
        assert!(f.0.is_empty(), "{:?}", f.0);
        let m = m.unwrap();
        assert_eq!(m.forge_type, ISSUE_ACTION);
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "block", "title": "Block"})
        );
        assert_eq!(m.page_url.as_deref(), Some("/block?issue={issue.key}"));
        assert_eq!(
            WebItems.scaffold_data(&m).get("entry"),
            Some(&json!("modal"))
        );
        assert_eq!(m.label(), "web item at operations-top-level, in a modal");
    }

    #[test]
    fn an_item_opening_a_dialog_module_shows_the_dialogs_page() {
        let (m, _) = check(
            json!({"key": "exp", "name": {"value": "Export"}, "location": "jira.issue.tools",
            "target": {"type": "dialogmodule", "options": {"key": "export-dialog"}}}),
        );
        let m = m.unwrap();
        assert_eq!(m.page_url.as_deref(), Some("/export?i={issue.key}"));
        assert_eq!(m.details.get("dialog"), Some(&json!("export-dialog")));
        let (m, f) = check(
            json!({"key": "exp", "name": {"value": "Export"}, "location": "jira.issue.tools",
            "target": {"type": "dialogmodule", "options": {"key": "nope"}}}),
        );
        assert!(m.is_none());
        assert!(f.0[0].message.contains("\"nope\""), "{:?}", f.0);
    }

    #[test]
    fn board_backlog_and_navigator_items_become_their_actions_with_an_icon() {
        for (loc, t) in [
            ("jira.agile.board.tools", BOARD_ACTION),
            ("jira.software.backlog.tools", BACKLOG_ACTION),
            ("jira.navigator.pluggable.items", NAVIGATOR_ACTION),
        ] {
            let (m, _) = check(json!({"key": "k", "name": {"value": "K"}, "location": loc,
                "url": "/k", "icon": {"url": "/k.svg"}}));
            let m = m.unwrap();
            assert_eq!(m.forge_type, t);
            assert_eq!(m.entry.get("icon"), Some(&json!("https://a.example/k.svg")));
        }
    }

    #[test]
    fn a_link_to_one_of_the_apps_pages_folds_into_it() {
        for item in [
            json!({"key": "l1", "name": {"value": "L"}, "location": "system.top.navigation.bar", "url": "/main"}),
            json!({"key": "l2", "name": {"value": "L"}, "location": "admin-section", "url": "settings", "context": "page"}),
            json!({"key": "l3", "name": {"value": "L"}, "location": "system.top.navigation.bar",
                "url": "/plugins/servlet/ac/my-app/main-page", "context": "product", "target": {"type": "page"}}),
            json!({"key": "l4", "name": {"value": "L"}, "location": "admin-section", "url": "/settings",
                "context": "page", "target": {"type": "page", "options": {"key": "settings"}}}),
        ] {
            let (m, f) = check(item.clone());
            let m = m.unwrap_or_else(|| panic!("{item} {:?}", f.0));
            assert_eq!(m.forge_type, RESOURCE_ONLY);
            assert!(m.page_url.is_none());
            assert!(m.manifest_entry().get("resource").is_none());
            assert!(
                f.0[0].message.contains("folded into that page"),
                "{:?}",
                f.0
            );
        }
    }

    #[test]
    fn a_link_to_an_app_url_no_page_module_shows_becomes_the_menus_page() {
        for (loc, t) in [
            ("admin_plugins_menu/admin-section", JIRA_ADMIN_PAGE),
            ("system.top.navigation.bar", JIRA_GLOBAL_PAGE),
            ("system.user.options/personal", JIRA_PERSONAL_PAGE),
        ] {
            let (m, f) = check(
                json!({"key": "own", "name": {"value": "Own"}, "location": loc,
                "url": "/own?x=1", "context": "addon", "icon": {"url": "/own.svg"}}),
            );
            let m = m.unwrap_or_else(|| panic!("{loc}: {:?}", f.0));
            assert_eq!(m.forge_type, t);
            assert_eq!(m.page_url.as_deref(), Some("/own?x=1"));
            assert_eq!(
                m.manifest_entry(),
                json!({"key": "own", "title": "Own", "icon": "https://a.example/own.svg"})
            );
            assert!(WebItems.scaffold_data(&m).get("entry").is_none());
            assert!(f.0[0]
                .message
                .contains("which none of its page modules shows"));
            assert_eq!(f.0[0].path, "$.w[0].url");
        }
        // A dialog there, or a menu with no Forge module: they stay.
        for item in [
            json!({"key": "x", "name": {"value": "X"}, "location": "admin-section", "url": "/a", "target": {"type": "dialog"}}),
            json!({"key": "x", "name": {"value": "X"}, "location": "atl.footer", "url": "/a"}),
        ] {
            let (m, f) = check(item.clone());
            assert!(m.is_none(), "{item}");
            assert!(f.0[0].message.contains("stays on Connect"), "{:?}", f.0);
        }
    }

    #[test]
    fn a_link_to_a_page_that_stays_on_connect_stays_too() {
        let mut m = modules();
        m.insert(
            "generalPages".into(),
            json!([{"key": "main-page", "url": "https://elsewhere.example/main", "name": {"value": "M"}}]),
        );
        let item = json!({"key": "l", "name": {"value": "L"}, "location": "system.top.navigation.bar",
            "url": "main-page", "context": "page"});
        let mut f = Findings::default();
        assert!(WebItems
            .check("webItems", "$.w[0]", &item, &app_with(&m), &mut f)
            .is_none());
        assert!(f.0[0].message.contains("stays on Connect"), "{:?}", f.0);
    }

    #[test]
    fn links_elsewhere_and_menus_without_a_forge_module_stay_on_connect() {
        for (item, why) in [
            (
                json!({"key": "x", "name": {"value": "X"}, "location": "gadgets.dashboard.menu", "url": "https://other.example"}),
                "web item at \"gadgets.dashboard.menu\": Forge has no module for a link there",
            ),
            (
                json!({"key": "x", "name": {"value": "X"}, "location": "jira.issue.tools", "url": "javascript:alert(1)"}),
                "not the app's own",
            ),
            (
                json!({"key": "x", "name": {"value": "X"}, "location": "jira.issue.tools", "url": "no-such-page", "context": "page"}),
                "not the app's own",
            ),
            (
                json!({"key": "x", "name": {"value": "X"}, "location": "system.user.options/personal", "url": "/me", "target": {"type": "dialog"}}),
                "\"system.user.options/personal\": Forge has no module for an item that opens a dialog there",
            ),
        ] {
            let (m, f) = check(item);
            assert!(m.is_none());
            assert_eq!(f.0[0].path, "$.w[0].location");
            assert!(f.0[0].message.contains(why), "{}", f.0[0].message);
            assert!(f.0[0].message.contains("stays on Connect"));
        }
    }

    #[test]
    fn a_link_elsewhere_becomes_the_menus_module_that_takes_the_user_there() {
        for (item, forge_type, link, variables) in [
            (
                json!({"key": "site", "name": {"value": "Help"}, "location": "jira.agile.board.tools",
                    "url": "https://help.example/board?b={board.id}&u={user.name}", "context": "product",
                    "icon": {"url": "/h.svg"}}),
                BOARD_ACTION,
                "https://help.example/board?b={board.id}&u={user.name}",
                json!({"board.id": "extension.board.id"}),
            ),
            (
                json!({"key": "jql", "name": {"value": "Search"}, "location": "tools",
                    "url": "/issues/?jql=project={project.key}", "context": "product"}),
                ISSUE_ACTION,
                "/issues/?jql=project={project.key}",
                json!({"project.key": "extension.project.key"}),
            ),
            (
                json!({"key": "top", "name": {"value": "Docs"}, "location": "system.top.navigation.bar",
                    "url": "https://docs.example/"}),
                JIRA_GLOBAL_PAGE,
                "https://docs.example/",
                json!({}),
            ),
            (
                json!({"key": "adm", "name": {"value": "Dash"}, "location": "admin-section",
                    "url": "/secure/Dashboard.jspa", "context": "product"}),
                JIRA_ADMIN_PAGE,
                "/secure/Dashboard.jspa",
                json!({}),
            ),
        ] {
            let (m, f) = check(item.clone());
            let m = m.unwrap_or_else(|| panic!("{item}: {:?}", f.0));
            assert_eq!(m.forge_type, forge_type, "{item}");
            assert!(m.is_link());
            assert_eq!(m.detail("link"), Some(link));
            assert_eq!(m.details.get("link_variables"), Some(&variables));
            assert!(
                f.0[0].message.contains("only takes the user there"),
                "{:?}",
                f.0
            );
            assert_eq!(f.0[0].path, "$.w[0].url");
            assert!(m.label().contains(&format!("a link to {link}")));
        }
        // {user.name} has no Forge value: said at the link.
        let (_, f) = check(
            json!({"key": "site", "name": {"value": "Help"}, "location": "jira.agile.board.tools",
            "url": "https://help.example/?u={user.name}"}),
        );
        assert!(f.0[1].message.contains("{user.name}"), "{:?}", f.0);
        // Board actions show the icon; the title is the item's name.
        let (m, _) = check(
            json!({"key": "site", "name": {"value": "Help"}, "location": "jira.agile.board.tools",
            "url": "https://help.example/", "icon": {"url": "/h.svg"}}),
        );
        assert_eq!(
            m.unwrap().manifest_entry(),
            json!({"key": "site", "title": "Help", "icon": "https://a.example/h.svg"})
        );
    }

    #[test]
    fn link_targets_are_absolute_urls_or_product_paths() {
        let j = Product::Jira;
        let c = Product::Confluence;
        assert_eq!(
            link_target("https://x.example/a", "addon", j).as_deref(),
            Some("https://x.example/a")
        );
        assert_eq!(
            link_target("/browse/X-1", "product", j).as_deref(),
            Some("/browse/X-1")
        );
        assert_eq!(
            link_target("/spaces", "product", c).as_deref(),
            Some("/wiki/spaces")
        );
        assert_eq!(
            link_target("/wiki/spaces", "product", c).as_deref(),
            Some("/wiki/spaces")
        );
        for (u, ctx) in [
            ("/own", "addon"),
            ("own-page", "page"),
            ("https://x.example", "page"),
            ("javascript:alert(1)", "addon"),
            ("//evil.example/x", "product"),
            ("/a/../b", "product"),
            ("https://", "addon"),
            ("https:///x", "addon"),
            ("https://x.example/a b", "addon"),
            ("${baseUrl}/x", "product"),
        ] {
            assert_eq!(link_target(u, ctx, j), None, "{u} {ctx}");
        }
        assert_eq!(
            link_variables("/a/{x}/b?c={y}&d={x}&e={ z }"),
            vec!["x", "y", "z"]
        );
        assert_eq!(link_variables("/a/{{x}}/{"), vec!["x"]);
    }

    #[test]
    fn a_page_with_no_room_is_placed_as_a_general_page_and_a_link_stays() {
        let (page, _) = check(json!({"key": "own", "name": {"value": "Own"},
            "location": "system.top.navigation.bar", "url": "/own"}));
        let page = page.unwrap();
        let full = WebItems.overflow(page, &[]).expect("a full page");
        assert_eq!(full.forge_type, JIRA_FULL_PAGE);
        assert_eq!(
            full.manifest_entry(),
            json!({"key": "own", "title": "Own", "routePrefix": "own"})
        );
        assert!(full.label().contains("a page of its own"));
        let (link, _) = check(json!({"key": "docs", "name": {"value": "Docs"},
            "location": "system.top.navigation.bar", "url": "https://docs.example/"}));
        assert!(WebItems.overflow(link.unwrap(), &[]).is_none());
        let (action, _) = check(json!({"key": "k", "name": {"value": "K"},
            "location": "jira.agile.board.tools", "url": "/k"}));
        assert!(WebItems.overflow(action.unwrap(), &[]).is_none());
    }
}
