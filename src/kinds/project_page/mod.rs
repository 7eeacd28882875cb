//! Jira project pages (`jiraProjectPages`) and project settings tabs
//! (`jiraProjectAdminTabPanels`): `jira:projectPage` and `jira:projectSettingsPage`. Forge takes
//! one of each per app; further ones become subpages of the first ([`super::subpages`]).

use serde_json::{json, Map, Value};

use super::page;
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// The Jira project page.
pub const PROJECT_PAGE: &str = "jira:projectPage";
/// The Jira project settings page.
pub const PROJECT_SETTINGS_PAGE: &str = "jira:projectSettingsPage";

/// The project-page kind.
pub struct ProjectPages;

impl Kind for ProjectPages {
    fn id(&self) -> &'static str {
        "project-page"
    }

    fn plural(&self) -> &'static str {
        "project pages"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["jiraProjectPages", "jiraProjectAdminTabPanels"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[PROJECT_PAGE, PROJECT_SETTINGS_PAGE]
    }

    fn entry_shape(&self) -> &'static str {
        "a project page is a mapping (key, name, url)"
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
        if let Some(i) = p.forge_icon(app.base_url) {
            e.insert("icon".into(), json!(i));
        }
        let t = match connect_type {
            "jiraProjectAdminTabPanels" => PROJECT_SETTINGS_PAGE,
            _ => PROJECT_PAGE,
        };
        Some(p.module(self, connect_type, t, true, e))
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
        ]
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, module: &ForgeModule) -> String {
        match module.forge_type {
            PROJECT_SETTINGS_PAGE => "project settings tab".into(),
            _ => "project page".into(),
        }
    }
}
