//! Space tools tabs (`spaceToolsTabs`): `confluence:spaceSettings`, a tab of the app in a space's
//! settings, with its own `route` (made from the key). Connect's `location` (which space tools
//! section held the tab: `contenttools`, `lookandfeel`, `integrations`, ...) has no Forge
//! counterpart: Forge lists every app tab in the space settings' Apps section, so the review
//! shows where it was and the manifest leaves it out.

use serde_json::{json, Map, Value};

use super::page::{self, route};
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// The Forge space settings module type.
pub const SPACE_SETTINGS: &str = "confluence:spaceSettings";

/// The space-settings kind.
pub struct SpaceToolsTabs;

impl Kind for SpaceToolsTabs {
    fn id(&self) -> &'static str {
        "space-settings"
    }

    fn plural(&self) -> &'static str {
        "space tools tabs"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["spaceToolsTabs"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[SPACE_SETTINGS]
    }

    fn entry_shape(&self) -> &'static str {
        "a space tools tab is a mapping (key, name, url, location)"
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
        e.insert("route".into(), json!(route(&p.key)));
        Some(p.module(self, connect_type, SPACE_SETTINGS, true, e))
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[
            "key",
            "resource",
            "title",
            "route",
            "resolver",
            "resolvedResourceEntry",
            "displayConditions",
            "keyboardShortcut",
            "render",
            "renderRuntimeType",
        ]
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, module: &ForgeModule) -> String {
        match module.details.get("location").and_then(Value::as_str) {
            Some(l) => format!("space settings tab (space tools: {l})"),
            None => "space settings tab".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_space_tools_tab_is_a_space_settings_page_with_a_route() {
        let mut f = Findings::default();
        let app = AppFacts {
            product: Product::Confluence,
            base_url: "https://app.example",
            modules: None,
            page_urls: None,
        };
        let v = json!({"key": "Space_Config", "name": {"value": "Config"},
                       "url": "/space-config?space={space.key}", "location": "contenttools"});
        let m = SpaceToolsTabs
            .check("spaceToolsTabs", "$.s[0]", &v, &app, &mut f)
            .expect("migrates");
        assert!(f.0.is_empty(), "{:?}", f.0);
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "Space_Config", "title": "Config", "route": "space-config"})
        );
        assert_eq!(m.label(), "space settings tab (space tools: contenttools)");
    }
}
