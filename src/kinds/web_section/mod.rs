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
        let mut members: Vec<&str> = Vec::new();
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
                let k = e.get("key").and_then(Value::as_str).unwrap_or("?");
                if leaves {
                    members.push(k);
                } else {
                    staying.push(k);
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
        details.insert("members".into(), json!(members));
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

    /// A section whose module Forge's per-app limits kept on Connect after all (a second admin
    /// page) stays on Connect with it.
    fn settle(&self, modules: &mut [Option<ForgeModule>], f: &mut Findings) {
        let placed: Vec<String> = modules.iter().flatten().map(|m| m.key.clone()).collect();
        for slot in modules.iter_mut() {
            let Some(m) = slot.as_ref().filter(|m| m.kind == self.id()) else {
                continue;
            };
            let left: Vec<&str> = m
                .details
                .get("members")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|k| !placed.iter().any(|p| p == k))
                .collect();
            if !left.is_empty() {
                f.warn(
                    &json::child(&m.path, "location"),
                    Some(&m.key),
                    format!(
                        "web section holds modules that stay on Connect ({}): the section stays on Connect with them",
                        left.join(", ")
                    ),
                );
                *slot = None;
            }
        }
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
            page_urls: None,
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
                {"key": "b", "location": "system.top.navigation.bar/nav", "url": "javascript:void(0)", "name": {"value": "B"}}]
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
    fn a_section_stays_with_a_module_forge_had_no_room_for() {
        let modules = json!({
            "webSections": [{"key": "adm", "location": "admin_plugins_menu", "name": {"value": "A"}}],
            "webItems": [{"key": "own", "location": "admin_plugins_menu/adm", "url": "/own", "name": {"value": "O"}}]
        });
        let (s, f) = check(modules, 0);
        let s = s.unwrap();
        assert!(f.0.is_empty(), "{:?}", f.0);
        assert_eq!(s.details.get("members"), Some(&json!(["own"])));
        // Its item was placed: the section leaves.
        let item = ForgeModule {
            key: "own".into(),
            ..s.clone()
        };
        let mut placed = vec![Some(s.clone()), Some(item)];
        let mut f = Findings::default();
        WebSections.settle(&mut placed, &mut f);
        assert!(placed[0].is_some() && f.0.is_empty());
        // Forge's limits kept its item on Connect (None in its place): the section stays too.
        let mut placed = vec![Some(s), None];
        WebSections.settle(&mut placed, &mut f);
        assert!(placed[0].is_none());
        assert!(f.0[0].message.contains("(own)"), "{:?}", f.0);
        assert_eq!(f.0[0].path, "$.s.location");
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
