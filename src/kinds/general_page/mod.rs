//! General pages (`generalPages`): a full page in the product's navigation.
//!
//! Jira: the first one in the Apps menu or the top navigation becomes `jira:globalPage` (Forge
//! allows one); a page in the administration menu becomes `jira:adminPage`, one in the personal
//! settings menu `jira:personalSettingsPage`, one in the project sidebar `jira:projectPage`. A
//! further page for which the module above is already taken becomes a subpage of it
//! ([`super::subpages`]: listed in its sidebar, carried in its resource). A page with no menu
//! entry (`location` `none`, `hidden`, empty), and a further page whose module takes no subpages,
//! becomes `jira:fullPage`: its own resource at its own route (`routePrefix`, made from the key),
//! reached by URL or `router.navigate`. Confluence: `confluence:globalPage`, each with its own `route`; a page with no menu
//! entry `confluence:fullPage` (its own `routePrefix`, no menu entry, as on Connect).

use serde_json::{json, Map, Value};

use super::page::{self, route};
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// The Jira global page.
pub const JIRA_GLOBAL_PAGE: &str = "jira:globalPage";
/// A Jira page at its own route, without a menu entry.
pub const JIRA_FULL_PAGE: &str = "jira:fullPage";
/// A Jira page in the administration menu.
pub const JIRA_ADMIN_PAGE: &str = "jira:adminPage";
/// A Jira page in the personal settings menu.
pub const JIRA_PERSONAL_PAGE: &str = "jira:personalSettingsPage";
/// A Jira page in the project sidebar.
pub const JIRA_PROJECT_PAGE: &str = "jira:projectPage";
/// A Confluence page at its own route, in the Apps menu.
pub const CONFLUENCE_GLOBAL_PAGE: &str = "confluence:globalPage";
/// A Confluence page at its own route, without a menu entry.
pub const CONFLUENCE_FULL_PAGE: &str = "confluence:fullPage";

/// The general-page kind.
pub struct GeneralPages;

/// Where a Connect general page was shown.
fn placement(location: Option<&str>) -> &'static str {
    let l = location.unwrap_or("system.top.navigation.bar").trim();
    if l.is_empty() || l == "none" || l == "hidden" {
        JIRA_FULL_PAGE
    } else if l.starts_with("admin_plugins_menu") || l == "system.admin" {
        JIRA_ADMIN_PAGE
    } else if l.starts_with("system.user.options") {
        JIRA_PERSONAL_PAGE
    } else if l.starts_with("jira.project.sidebar") {
        JIRA_PROJECT_PAGE
    } else {
        JIRA_GLOBAL_PAGE
    }
}

/// A `jira:fullPage` of a module that was to be another page type: `title` and `routePrefix`
/// (it takes no display conditions and only an svg icon from a resource).
pub fn full_page(mut m: ForgeModule, why: &str) -> ForgeModule {
    let title = m
        .entry
        .get("title")
        .cloned()
        .unwrap_or_else(|| json!(m.key));
    let mut entry = Map::new();
    entry.insert("title".into(), title);
    entry.insert("routePrefix".into(), json!(route(&m.key)));
    m.forge_type = JIRA_FULL_PAGE;
    m.entry = entry;
    m.details.insert("overflow".into(), json!(why));
    m
}

impl Kind for GeneralPages {
    fn id(&self) -> &'static str {
        "general-page"
    }

    fn plural(&self) -> &'static str {
        "general pages"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["generalPages"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira, Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[
            JIRA_GLOBAL_PAGE,
            JIRA_ADMIN_PAGE,
            JIRA_PERSONAL_PAGE,
            JIRA_PROJECT_PAGE,
            JIRA_FULL_PAGE,
            CONFLUENCE_GLOBAL_PAGE,
            CONFLUENCE_FULL_PAGE,
        ]
    }

    fn entry_shape(&self) -> &'static str {
        "a general page is a mapping (key, name, url)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let p = page::read(self, path, entry, app.product, f)?;
        let icon = p.forge_icon(app.base_url);
        let mut e = Map::new();
        let forge_type = match app.product {
            Product::Confluence if placement(p.location) == JIRA_FULL_PAGE => {
                // No menu entry on Connect: a full page reached by its URL, not the Apps menu.
                // It takes no display conditions and only an svg icon from a resource.
                e.insert("routePrefix".into(), json!(route(&p.key)));
                let mut m = p.module(self, connect_type, CONFLUENCE_FULL_PAGE, true, e);
                m.entry.remove("displayConditions");
                return Some(m);
            }
            Product::Confluence => {
                e.insert("route".into(), json!(route(&p.key)));
                if let Some(i) = icon {
                    e.insert("icon".into(), json!(i));
                }
                CONFLUENCE_GLOBAL_PAGE
            }
            Product::Jira => {
                let t = placement(p.location);
                if t == JIRA_FULL_PAGE {
                    let m = p.module(self, connect_type, t, true, e);
                    return Some(full_page(
                        m,
                        "a page without a menu entry, at its own route",
                    ));
                }
                if let Some(i) = icon {
                    e.insert("icon".into(), json!(i));
                }
                t
            }
        };
        Some(p.module(self, connect_type, forge_type, true, e))
    }

    fn forge_properties(&self, forge_type: &str) -> &'static [&'static str] {
        match forge_type {
            JIRA_FULL_PAGE | CONFLUENCE_FULL_PAGE => &[
                "key",
                "resource",
                "routePrefix",
                "title",
                "icon",
                "resolver",
            ],
            CONFLUENCE_GLOBAL_PAGE => &[
                "key",
                "resource",
                "route",
                "title",
                "icon",
                "displayConditions",
                "resolver",
                "render",
                "keyboardShortcut",
                "unlicensedAccess",
            ],
            _ => &[
                "key",
                "resource",
                "title",
                "icon",
                "displayConditions",
                "resolver",
                "render",
                "layout",
                "pages",
                "sections",
            ],
        }
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, module: &ForgeModule) -> String {
        let location = module.detail("location").unwrap_or("no location");
        format!("general page, {location}")
    }

    fn overflow(&self, m: ForgeModule, _taken: &[&ForgeModule]) -> Option<ForgeModule> {
        match m.forge_type {
            JIRA_GLOBAL_PAGE | JIRA_PERSONAL_PAGE => Some(full_page(
                m,
                "at its own route, not in a menu: link to it from the global page",
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value, product: Product) -> (Option<ForgeModule>, Findings) {
        let mut f = Findings::default();
        let app = AppFacts {
            product,
            base_url: "https://app.example",
            modules: None,
            page_urls: None,
        };
        (
            GeneralPages.check("generalPages", "$.p[0]", &v, &app, &mut f),
            f,
        )
    }

    #[test]
    fn a_jira_page_in_the_top_navigation_is_the_global_page() {
        let (m, f) = check(
            json!({"key": "overview", "name": {"value": "Overview"}, "url": "/o?p={project.key}",
                   "location": "system.top.navigation.bar", "icon": {"url": "/i.svg"},
                   "conditions": [{"condition": "user_is_logged_in"}]}),
            Product::Jira,
        );
        assert!(f.0.is_empty(), "{:?}", f.0);
        let m = m.expect("migrates");
        assert_eq!(m.forge_type, JIRA_GLOBAL_PAGE);
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "overview", "title": "Overview", "icon": "https://app.example/i.svg",
                   "displayConditions": {"isLoggedIn": true}})
        );
    }

    #[test]
    fn placement_follows_the_connect_location() {
        for (loc, t) in [
            ("admin_plugins_menu/section", JIRA_ADMIN_PAGE),
            ("system.user.options/personal", JIRA_PERSONAL_PAGE),
            ("none", JIRA_FULL_PAGE),
            ("system.header/left", JIRA_GLOBAL_PAGE),
        ] {
            let (m, _) = check(
                json!({"key": "p", "name": {"value": "P"}, "url": "/p", "location": loc}),
                Product::Jira,
            );
            assert_eq!(m.expect(loc).forge_type, t, "{loc}");
        }
        let (m, _) = check(
            json!({"key": "Hidden_Page", "name": {"value": "H"}, "url": "/h", "location": "hidden"}),
            Product::Jira,
        );
        assert_eq!(
            m.unwrap().entry.get("routePrefix"),
            Some(&json!("hidden-page"))
        );
    }

    #[test]
    fn confluence_pages_get_routes_and_absolute_urls_stay_on_connect() {
        let (m, _) = check(
            json!({"key": "Space_Tool", "name": {"value": "T"}, "url": "/t"}),
            Product::Confluence,
        );
        let m = m.unwrap();
        assert_eq!(m.forge_type, CONFLUENCE_GLOBAL_PAGE);
        assert_eq!(m.entry.get("route"), Some(&json!("space-tool")));
        let (m, _) = check(
            json!({"key": "viewer", "name": {"value": "V"}, "url": "/v?c={content.id}", "location": "none",
                   "conditions": [{"condition": "user_is_logged_in"}]}),
            Product::Confluence,
        );
        let m = m.unwrap();
        assert_eq!(m.forge_type, CONFLUENCE_FULL_PAGE);
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "viewer", "title": "V", "routePrefix": "viewer"})
        );
        let (m, f) = check(
            json!({"key": "ext", "name": {"value": "E"}, "url": "https://elsewhere.example/x"}),
            Product::Jira,
        );
        assert!(m.is_none());
        assert!(f.0[0].message.contains("stays on Connect"), "{:?}", f.0);
    }
}
