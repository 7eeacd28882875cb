//! Issue tab panels (`jiraIssueTabPanels`): a tab of the issue view's activity section. It
//! becomes `jira:issueActivity`, Forge's item of that section: `name` → `title`.

use serde_json::{Map, Value};

use super::page;
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// The issue activity item.
pub const ISSUE_ACTIVITY: &str = "jira:issueActivity";

/// The issue-tab-panel kind.
pub struct IssueTabPanels;

impl Kind for IssueTabPanels {
    fn id(&self) -> &'static str {
        "issue-tab-panel"
    }

    fn plural(&self) -> &'static str {
        "issue tab panels"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["jiraIssueTabPanels"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[ISSUE_ACTIVITY]
    }

    fn entry_shape(&self) -> &'static str {
        "an issue tab panel is a mapping (key, name, url)"
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
        Some(p.module(self, connect_type, ISSUE_ACTIVITY, true, Map::new()))
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[
            "key",
            "resource",
            "title",
            "displayConditions",
            "resolver",
            "render",
            "viewportSize",
        ]
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, _module: &ForgeModule) -> String {
        "issue tab panel, as an issue activity item".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_issue_tab_panel_becomes_an_activity_item() {
        let app = AppFacts {
            product: Product::Jira,
            base_url: "https://a.example",
            modules: None,
            page_urls: None,
        };
        let mut f = Findings::default();
        let v = json!({"key": "history", "name": {"value": "History"}, "url": "/h?i={issue.key}",
            "weight": 10});
        let m = IssueTabPanels
            .check("jiraIssueTabPanels", "$.t[0]", &v, &app, &mut f)
            .unwrap();
        assert_eq!(m.forge_type, ISSUE_ACTIVITY);
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "history", "title": "History"})
        );
    }
}
