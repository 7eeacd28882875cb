//! Administration pages (`adminPages`, `configurePage`, `postInstallPage`): `jira:adminPage` /
//! `confluence:globalSettings`. The configure page is the one with `useAsConfig`, the page shown
//! after installing the one with `useAsGetStarted`; Forge takes one of each and one plain admin
//! page in Jira. Further plain ones become subpages of the first ([`super::subpages`]), in Jira's
//! administration still (never a page anyone could open: that would drop the
//! administrators-only rule Connect applied).

use serde_json::{json, Map, Value};

use super::page;
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// The Jira administration page.
pub const JIRA_ADMIN_PAGE: &str = "jira:adminPage";
/// The Confluence administration page.
pub const CONFLUENCE_SETTINGS: &str = "confluence:globalSettings";

/// The admin-page kind.
pub struct AdminPages;

impl Kind for AdminPages {
    fn id(&self) -> &'static str {
        "admin-page"
    }

    fn plural(&self) -> &'static str {
        "admin pages"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["adminPages", "configurePage", "postInstallPage"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira, Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[JIRA_ADMIN_PAGE, CONFLUENCE_SETTINGS]
    }

    fn entry_shape(&self) -> &'static str {
        "an admin page is a mapping (key, name, url)"
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
        let mut e = Map::new();
        let forge_type = match app.product {
            Product::Jira => {
                if let Some(i) = p.forge_icon(app.base_url) {
                    e.insert("icon".into(), json!(i));
                }
                JIRA_ADMIN_PAGE
            }
            Product::Confluence => CONFLUENCE_SETTINGS,
        };
        match connect_type {
            "configurePage" => {
                e.insert("useAsConfig".into(), json!(true));
            }
            "postInstallPage" => {
                e.insert("useAsGetStarted".into(), json!(true));
            }
            _ => {}
        }
        let mut m = p.module(self, connect_type, forge_type, true, e);
        let role = match connect_type {
            "configurePage" => "configure page",
            "postInstallPage" => "get-started page",
            _ => "admin page",
        };
        m.details.insert("role".into(), json!(role));
        Some(m)
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[
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
            "useAsConfig",
            "useAsGetStarted",
            "keyboardShortcut",
        ]
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, module: &ForgeModule) -> String {
        module.detail("role").unwrap_or("admin page").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configure_and_post_install_pages_carry_their_flag() {
        let app = AppFacts {
            product: Product::Jira,
            base_url: "https://a.example",
            modules: None,
            page_urls: None,
        };
        let v = json!({"key": "cfg", "name": {"value": "Configure"}, "url": "/configure"});
        for (t, flag) in [
            ("configurePage", Some("useAsConfig")),
            ("postInstallPage", Some("useAsGetStarted")),
            ("adminPages", None),
        ] {
            let mut f = Findings::default();
            let m = AdminPages.check(t, "$.m", &v, &app, &mut f).unwrap();
            assert_eq!(m.forge_type, JIRA_ADMIN_PAGE);
            for x in ["useAsConfig", "useAsGetStarted"] {
                assert_eq!(m.entry.get(x).is_some(), flag == Some(x), "{t} {x}");
            }
        }
        let conf = AppFacts {
            product: Product::Confluence,
            base_url: "",
            modules: None,
            page_urls: None,
        };
        let mut f = Findings::default();
        let m = AdminPages
            .check("configurePage", "$.m", &v, &conf, &mut f)
            .unwrap();
        assert_eq!(m.forge_type, CONFLUENCE_SETTINGS);
        assert!(m.entry.get("icon").is_none());
    }
}
