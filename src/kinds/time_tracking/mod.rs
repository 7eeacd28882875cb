//! Jira time tracking providers (`jiraTimeTrackingProviders`): an app that replaces Jira's own
//! time tracking (Jira hides its "Log work" button, time tracking panel and work log tab when an
//! admin selects the provider). Forge's `jira:timeTrackingProvider` (in `@forge/manifest`
//! 13.7.0's schema: `key`, `name`, `adminPage`) is the same module with no page of its own:
//! `name` → `name` (a string), `adminPageKey` → `adminPage` when it names one of the app's
//! admin pages that becomes a `jira:adminPage` of the same key ([`Kind::settle`]); else it is
//! left out, with a warning. Forge's module has no `migratedFromConnect`, so the review asks to
//! check that Jira's time tracking setting still names the provider after the upgrade.

use serde_json::{json, Map, Value};

use super::general_page::JIRA_ADMIN_PAGE;
use super::{is_module_key, AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path as json;
use crate::product::Product;

/// The Jira time tracking provider module.
pub const TIME_TRACKING_PROVIDER: &str = "jira:timeTrackingProvider";

/// Forge's limit on the provider's name.
const MAX_NAME: usize = 255;

/// The time-tracking-provider kind.
pub struct TimeTrackingProviders;

impl Kind for TimeTrackingProviders {
    fn id(&self) -> &'static str {
        "time-tracking-provider"
    }

    fn plural(&self) -> &'static str {
        "time tracking providers"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["jiraTimeTrackingProviders"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[TIME_TRACKING_PROVIDER]
    }

    fn entry_shape(&self) -> &'static str {
        "a time tracking provider is a mapping (key, name)"
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
        if !is_module_key(key) {
            return None; // the descriptor reader reports it
        }
        // The descriptor reader reports a missing name (Connect requires it).
        let name = entry.get("name")?;
        let name: String = name
            .get("value")
            .unwrap_or(name)
            .as_str()
            .filter(|s| !s.trim().is_empty())?
            .chars()
            .take(MAX_NAME)
            .collect();
        let mut e = Map::new();
        e.insert("name".into(), json!(name));
        let mut details = Map::new();
        details.insert("title".into(), json!(name));
        if let Some(admin) = entry.get("adminPageKey").and_then(Value::as_str) {
            let declared = app
                .entries("adminPages")
                .iter()
                .any(|p| p.get("key").and_then(Value::as_str) == Some(admin));
            if declared {
                e.insert("adminPage".into(), json!(admin));
            } else {
                f.warn(
                    &json::child(path, "adminPageKey"),
                    Some(key),
                    format!("time tracking provider's adminPageKey \"{}\" names none of the app's adminPages: left out of the Forge provider (its adminPage names a jira:adminPage)", json::shown(admin)),
                );
            }
        }
        f.warn(
            path,
            Some(key),
            "time tracking provider becomes jira:timeTrackingProvider, which has no migratedFromConnect: after the upgrade, check in Jira's time tracking settings that this provider is still the one selected",
        );
        Some(ForgeModule {
            kind: self.id(),
            connect_type,
            forge_type: TIME_TRACKING_PROVIDER,
            key: key.to_string(),
            entry: e,
            page_url: None,
            resource: None,
            extra_pages: Vec::new(),
            details,
            path: path.to_string(),
        })
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &["key", "name", "adminPage"]
    }

    fn label(&self, _module: &ForgeModule) -> String {
        "time tracking provider".into()
    }

    /// The provider's `adminPage` names a `jira:adminPage` of the app: one its admin page
    /// became, else it is left out (the admin page stayed on Connect).
    fn settle(&self, modules: &mut [Option<ForgeModule>], f: &mut Findings) {
        let admin_pages: Vec<String> = modules
            .iter()
            .flatten()
            .filter(|m| m.forge_type == JIRA_ADMIN_PAGE)
            .map(|m| m.key.clone())
            .collect();
        for m in modules.iter_mut().flatten() {
            if m.kind != self.id() {
                continue;
            }
            let Some(page) = m.entry.get("adminPage").and_then(Value::as_str) else {
                continue;
            };
            if !admin_pages.iter().any(|k| k == page) {
                let msg = format!("time tracking provider's adminPageKey \"{}\" names an admin page that stays on Connect: left out of the Forge provider (its adminPage names a jira:adminPage)", json::shown(page));
                f.warn(&json::child(&m.path, "adminPageKey"), Some(&m.key), msg);
                m.entry.remove("adminPage");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(modules: Value) -> (Option<ForgeModule>, Findings) {
        let modules = modules.as_object().cloned().unwrap();
        let app = AppFacts {
            product: Product::Jira,
            base_url: "https://a.example",
            modules: Some(&modules),
            page_urls: None,
        };
        let mut f = Findings::default();
        let e = &modules["jiraTimeTrackingProviders"][0];
        let m = TimeTrackingProviders.check("jiraTimeTrackingProviders", "$.t[0]", e, &app, &mut f);
        (m, f)
    }

    #[test]
    fn a_provider_becomes_the_forge_provider_with_its_admin_page() {
        let (m, f) = check(json!({
            "adminPages": [{"key": "tt-admin", "url": "/admin", "name": {"value": "A"}}],
            "jiraTimeTrackingProviders": [{"key": "tt", "name": {"value": "My tracking"}, "adminPageKey": "tt-admin"}]
        }));
        let m = m.unwrap();
        assert_eq!(m.forge_type, TIME_TRACKING_PROVIDER);
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "tt", "name": "My tracking", "adminPage": "tt-admin"})
        );
        assert_eq!(f.0.len(), 1);
        assert!(
            f.0[0].message.contains("no migratedFromConnect"),
            "{:?}",
            f.0
        );
        // Its admin page became a jira:adminPage: the reference stays.
        let page = ForgeModule {
            kind: "admin-page",
            forge_type: JIRA_ADMIN_PAGE,
            key: "tt-admin".into(),
            ..m.clone()
        };
        let mut placed = vec![Some(m.clone()), Some(page)];
        let mut f = Findings::default();
        TimeTrackingProviders.settle(&mut placed, &mut f);
        assert!(f.0.is_empty());
        assert_eq!(
            placed[0].as_ref().unwrap().entry.get("adminPage"),
            Some(&json!("tt-admin"))
        );
        // It stayed on Connect: the reference goes, with a warning at adminPageKey.
        let mut placed = vec![Some(m), None];
        TimeTrackingProviders.settle(&mut placed, &mut f);
        assert!(placed[0].as_ref().unwrap().entry.get("adminPage").is_none());
        assert_eq!(f.0[0].path, "$.t[0].adminPageKey");
    }

    #[test]
    fn an_admin_page_key_naming_no_admin_page_is_left_out() {
        let (m, f) = check(json!({
            "jiraTimeTrackingProviders": [{"key": "tt", "name": {"value": "T"}, "adminPageKey": "nope"}]
        }));
        assert_eq!(
            m.unwrap().manifest_entry(),
            json!({"key": "tt", "name": "T"})
        );
        assert_eq!(f.0[0].path, "$.t[0].adminPageKey");
        assert!(f.0[0].message.contains("\"nope\""));
    }
}
