//! Dashboard items (`jiraDashboardItems`): a gadget on a Jira dashboard. It becomes
//! `jira:dashboardGadget` with `connectKeys` naming the Connect item, so the gadgets users
//! already placed on their dashboards keep working: `name` → `title`, `description`,
//! `thumbnailUrl` → `thumbnail` (on the app's server), `refreshable`. A `configurable` item
//! showed its edit form in the same page (`AP.jira.DashboardItem`, `{dashboardItem.viewType}`):
//! the page is carried a second time as the gadget's `edit` resource, whose compatibility layer
//! tells the page it is in edit mode.

use serde_json::{json, Map, Value};

use super::page;
use super::{AppFacts, ExtraPage, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// The Jira dashboard gadget.
pub const DASHBOARD_GADGET: &str = "jira:dashboardGadget";

/// Forge's limit on a gadget's `description`.
const MAX_DESCRIPTION: usize = 1000;

/// The dashboard-item kind.
pub struct DashboardItems;

impl Kind for DashboardItems {
    fn id(&self) -> &'static str {
        "dashboard-item"
    }

    fn plural(&self) -> &'static str {
        "dashboard items"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["jiraDashboardItems"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[DASHBOARD_GADGET]
    }

    fn entry_shape(&self) -> &'static str {
        "a dashboard item is a mapping (key, name, description, url, thumbnailUrl)"
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
        let description = page::i18n_text(entry.get("description")).map_or_else(
            || p.title.clone(),
            |d| d.chars().take(MAX_DESCRIPTION).collect(),
        );
        let thumbnail = entry
            .get("thumbnailUrl")
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .map(|t| page::on_app_server(app.base_url, t))
            .or_else(|| p.forge_icon(app.base_url))
            .filter(|t| t.chars().count() <= 255)
            .unwrap_or_else(|| super::web_panel::DEFAULT_PANEL_ICON.to_string());
        let mut e = Map::new();
        e.insert("description".into(), json!(description));
        e.insert("thumbnail".into(), json!(thumbnail));
        if let Some(r) = entry.get("refreshable").and_then(Value::as_bool) {
            e.insert("refreshable".into(), json!(r));
        }
        e.insert("connectKeys".into(), json!([p.key]));
        let mut m = p.module(self, connect_type, DASHBOARD_GADGET, true, e);
        if entry.get("configurable").and_then(Value::as_bool) == Some(true) {
            m.extra_pages.push(ExtraPage {
                key: format!("{}-edit", m.key),
                entry: "edit",
                property: "edit",
                page_url: p.url.clone(),
                resource: None,
            });
        }
        Some(m)
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[
            "key",
            "resource",
            "title",
            "description",
            "thumbnail",
            "refreshable",
            "connectKeys",
            "edit",
            "displayConditions",
            "resolver",
            "render",
        ]
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, module: &ForgeModule) -> String {
        match module.extra_pages.is_empty() {
            true => "dashboard gadget".into(),
            false => "dashboard gadget, with its edit page".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Resource;

    #[test]
    fn a_configurable_item_becomes_a_gadget_with_an_edit_resource() {
        let app = AppFacts {
            product: Product::Jira,
            base_url: "https://a.example",
            modules: None,
            page_urls: None,
        };
        let mut f = Findings::default();
        let v = json!({"key": "burn", "name": {"value": "Burndown"},
            "description": {"value": "Shows the burndown"}, "url": "/gadget?d={dashboardItem.id}",
            "thumbnailUrl": "/thumb.png", "configurable": true, "refreshable": false});
        let mut m = DashboardItems
            .check("jiraDashboardItems", "$.d[0]", &v, &app, &mut f)
            .unwrap();
        assert_eq!(m.extra_pages.len(), 1);
        assert_eq!(m.extra_pages[0].page_url, "/gadget?d={dashboardItem.id}");
        m.resource = Some(Resource::new("burn".into()));
        m.extra_pages[0].resource = Some(Resource::new("burn-edit".into()));
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "burn", "resource": "burn", "title": "Burndown",
                "description": "Shows the burndown", "thumbnail": "https://a.example/thumb.png",
                "refreshable": false, "connectKeys": ["burn"], "edit": {"resource": "burn-edit"}})
        );
        let v = json!({"key": "plain", "name": {"value": "P"}, "url": "/p"});
        let m = DashboardItems
            .check("jiraDashboardItems", "$.d[1]", &v, &app, &mut f)
            .unwrap();
        assert!(m.extra_pages.is_empty());
        assert_eq!(m.entry.get("description"), Some(&json!("P")));
    }
}
