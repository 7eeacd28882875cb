//! Web sections (`webSections`): a heading Connect added to a menu, holding the app's web items.
//! Forge has no section module: each item takes the section's location
//! ([`web_item::location`]) and becomes what an item there becomes.
//! A section all of whose modules leave Connect (its web items, and any module whose `location`
//! names it, such as a project settings tab) or that holds none leaves with them, with no module
//! of its own; one that still holds a module on Connect stays there with it.

use serde_json::{json, Map, Value};

use super::dialog::RESOURCE_ONLY;
use super::web_item::{self, Target};
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path as json;
use crate::product::Product;

/// The web-section kind.
pub struct WebSections;

impl Kind for WebSections {
    fn id(&self) -> &'static str {
        "web-section"
    }

    fn plural(&self) -> &'static str {
        "web sections"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["webSections"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira, Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[]
    }

    fn entry_shape(&self) -> &'static str {
        "a web section is a mapping (key, name, location)"
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
        if !super::is_module_key(key) || app.modules.is_none() {
            return None;
        }
        // Every module placed in the section (web items, and any module whose location names
        // it), and those of them that stay on Connect.
        let mut staying: Vec<&str> = Vec::new();
        for (t, entries) in app.modules.into_iter().flatten() {
            if t == "webSections" {
                continue;
            }
            let entries = match entries {
                Value::Array(a) => a.iter().collect(),
                v => vec![v],
            };
            for e in entries {
                if !web_item::placement(e, app).0.iter().any(|s| s == key) {
                    continue;
                }
                let leaves = match (
                    t.as_str(),
                    super::by_connect_type(t),
                    super::connect_type_name(t),
                ) {
                    ("webItems", _, _) => !matches!(web_item::target(e, app), Target::Stays(_)),
                    (_, Some(kind), Some(name)) => kind
                        .check(name, "$", e, app, &mut Findings::default())
                        .is_some(),
                    _ => false,
                };
                if !leaves {
                    staying.push(e.get("key").and_then(Value::as_str).unwrap_or("?"));
                }
            }
        }
        if !staying.is_empty() {
            f.warn(
                &json::child(path, "location"),
                Some(key),
                format!(
                    "web section holds modules that stay on Connect ({}): the section stays on Connect with them",
                    staying.join(", ")
                ),
            );
            return None;
        }
        let location = entry.get("location").and_then(Value::as_str).unwrap_or("");
        let mut details = Map::new();
        details.insert("location".into(), json!(location));
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

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[]
    }

    fn label(&self, module: &ForgeModule) -> String {
        let loc = module.detail("location").unwrap_or("");
        format!("web section at {loc}: no Forge module, its items took its place")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(modules: Value, i: usize) -> (Option<ForgeModule>, Findings) {
        let modules = modules.as_object().cloned().unwrap();
        let app = AppFacts {
            product: Product::Jira,
            base_url: "https://a.example",
            modules: Some(&modules),
        };
        let mut f = Findings::default();
        let s = &modules["webSections"][i];
        (WebSections.check("webSections", "$.s", s, &app, &mut f), f)
    }

    #[test]
    fn a_section_whose_items_all_leave_connect_leaves_with_them() {
        let modules = json!({
            "webSections": [{"key": "ops", "location": "operations-top-level", "name": {"value": "Ops"}},
                {"key": "nav", "location": "system.top.navigation.bar", "name": {"value": "Nav"}}],
            "webItems": [{"key": "a", "location": "ops", "url": "/a", "name": {"value": "A"}},
                {"key": "b", "location": "system.top.navigation.bar/nav", "url": "https://x.example", "name": {"value": "B"}}]
        });
        let (m, f) = check(modules.clone(), 0);
        let m = m.unwrap();
        assert_eq!(m.forge_type, RESOURCE_ONLY);
        assert!(m.page_url.is_none() && f.0.is_empty());
        let (m, f) = check(modules, 1);
        assert!(m.is_none());
        assert!(f.0[0].message.contains("(b)"), "{:?}", f.0);
        assert!(f.0[0].message.contains("stays on Connect"));
    }

    #[test]
    fn any_module_placed_in_the_section_counts() {
        let modules = json!({
            "webSections": [{"key": "proj", "location": "atl.jira.proj.config", "name": {"value": "P"}}],
            "jiraProjectAdminTabPanels": [{"key": "tab", "location": "proj", "url": "/tab", "name": {"value": "T"}}]
        });
        let (m, f) = check(modules, 0);
        assert!(m.is_some() && f.0.is_empty(), "{:?}", f.0);
        let modules = json!({
            "webSections": [{"key": "proj", "location": "atl.jira.proj.config", "name": {"value": "P"}}],
            "webPanels": [{"key": "panel", "location": "proj", "url": "/p", "name": {"value": "P"}}]
        });
        let (m, f) = check(modules, 0);
        assert!(m.is_none());
        assert!(f.0[0].message.contains("(panel)"), "{:?}", f.0);
    }
}
