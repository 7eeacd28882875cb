//! Web panels (`webPanels`), by where they are shown: the issue view's right-hand context
//! (`atl.jira.view.issue.right.context`) becomes `jira:issueContext`, its left-hand content
//! (`atl.jira.view.issue.left.context`) `jira:issuePanel` (which needs an icon: the Connect one,
//! else Forge's issue-panel icon). Other locations have no Forge module: the panel stays on
//! Connect, with a warning naming the location.

use serde_json::{json, Map, Value};

use super::page;
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path as json;
use crate::product::Product;

/// The issue view's context panel.
pub const ISSUE_CONTEXT: &str = "jira:issueContext";
/// The issue view's content panel.
pub const ISSUE_PANEL: &str = "jira:issuePanel";
/// The icon Forge's own issue-panel template uses, for a panel that had none.
pub const DEFAULT_PANEL_ICON: &str =
    "https://developer.atlassian.com/platform/forge/images/issue-panel-icon.svg";

/// The web-panel kind.
pub struct WebPanels;

impl Kind for WebPanels {
    fn id(&self) -> &'static str {
        "web-panel"
    }

    fn plural(&self) -> &'static str {
        "web panels"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["webPanels"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira, Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[ISSUE_CONTEXT, ISSUE_PANEL]
    }

    fn entry_shape(&self) -> &'static str {
        "a web panel is a mapping (key, name, url, location)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let location = entry.get("location").and_then(Value::as_str).unwrap_or("");
        let forge_type = match (app.product, location) {
            (Product::Jira, "atl.jira.view.issue.right.context") => ISSUE_CONTEXT,
            (Product::Jira, "atl.jira.view.issue.left.context") => ISSUE_PANEL,
            _ => {
                let key = entry.get("key").and_then(Value::as_str);
                f.warn(
                    &json::child(path, "location"),
                    key,
                    format!("Forge has no module for a web panel at \"{location}\" (issue view panels only: atl.jira.view.issue.right.context, atl.jira.view.issue.left.context): the panel stays on Connect"),
                );
                return None;
            }
        };
        let p = page::read(self, path, entry, app.product, f)?;
        let icon = p.forge_icon(app.base_url);
        let mut e = Map::new();
        match forge_type {
            ISSUE_CONTEXT => {
                e.insert("label".into(), json!(p.title));
                if let Some(i) = icon {
                    e.insert("icon".into(), json!(i));
                }
            }
            _ => {
                e.insert(
                    "icon".into(),
                    json!(icon.unwrap_or_else(|| DEFAULT_PANEL_ICON.to_string())),
                );
            }
        }
        Some(p.module(self, connect_type, forge_type, true, e))
    }

    fn forge_properties(&self, forge_type: &str) -> &'static [&'static str] {
        match forge_type {
            ISSUE_CONTEXT => &[
                "key",
                "resource",
                "title",
                "label",
                "icon",
                "status",
                "displayConditions",
                "resolver",
                "render",
            ],
            _ => &[
                "key",
                "resource",
                "title",
                "icon",
                "allowMultiple",
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

    fn label(&self, module: &ForgeModule) -> String {
        let location = module.detail("location").unwrap_or("");
        format!("web panel, {location}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> (Option<ForgeModule>, Findings) {
        crate::kinds::check_bare(
            &WebPanels,
            "webPanels",
            "$.w[0]",
            Product::Jira,
            "https://a.example",
            &v,
        )
    }

    #[test]
    fn issue_view_panels_become_their_forge_modules() {
        let (m, _) = check(
            json!({"key": "ctx", "name": {"value": "SLA"}, "url": "/sla?i={issue.key}",
            "location": "atl.jira.view.issue.right.context"}),
        );
        assert_eq!(
            m.unwrap().manifest_entry(),
            json!({"key": "ctx", "title": "SLA", "label": "SLA"})
        );
        let (m, _) = check(
            json!({"key": "left", "name": {"value": "Notes"}, "url": "/n",
            "location": "atl.jira.view.issue.left.context"}),
        );
        let m = m.unwrap();
        assert_eq!(m.forge_type, ISSUE_PANEL);
        assert_eq!(m.entry.get("icon"), Some(&json!(DEFAULT_PANEL_ICON)));
    }

    #[test]
    fn other_locations_stay_on_connect_with_the_reason() {
        let (m, f) = check(json!({"key": "b", "name": {"value": "B"}, "url": "/b",
            "location": "jira.agile.board.configuration"}));
        assert!(m.is_none());
        assert_eq!(f.0[0].path, "$.w[0].location");
        assert!(f.0[0].message.contains("jira.agile.board.configuration"));
    }
}
