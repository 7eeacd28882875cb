//! Issue contents (`jiraIssueContents`): a panel the user adds to the issue view's content area
//! from its "add content" button. It becomes `jira:issuePanel` (which shows the same button):
//! `name` → `title`, `icon` (Forge requires one: the Connect icon, else Forge's issue-panel
//! icon). The page is the entry's `target.url`.

use serde_json::{json, Map, Value};

use super::page;
use super::web_panel::{DEFAULT_PANEL_ICON, ISSUE_PANEL};
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// The issue-content kind.
pub struct IssueContents;

impl Kind for IssueContents {
    fn id(&self) -> &'static str {
        "issue-content"
    }

    fn plural(&self) -> &'static str {
        "issue contents"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["jiraIssueContents"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[ISSUE_PANEL]
    }

    fn entry_shape(&self) -> &'static str {
        "an issue content is a mapping (key, name, icon, tooltip, target)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        page::read_nested(self, path, entry, &["target", "url"], app.product, f, |p| {
            let mut e = Map::new();
            let icon = p
                .forge_icon(app.base_url)
                .unwrap_or_else(|| DEFAULT_PANEL_ICON.to_string());
            e.insert("icon".into(), json!(icon));
            p.module(self, connect_type, ISSUE_PANEL, true, e)
        })
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[
            "key",
            "resource",
            "title",
            "icon",
            "allowMultiple",
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
        "issue content, as an issue panel".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_content_becomes_an_issue_panel_with_an_icon() {
        let app = AppFacts {
            product: Product::Jira,
            base_url: "https://a.example/",
            modules: None,
            page_urls: None,
        };
        let mut f = Findings::default();
        let v = json!({"key": "notes", "name": {"value": "Notes"}, "tooltip": {"value": "t"},
            "icon": {"url": "/n.svg"}, "target": {"type": "web_panel", "url": "/notes?i={issue.id}"}});
        let m = IssueContents
            .check("jiraIssueContents", "$.c[0]", &v, &app, &mut f)
            .unwrap();
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "notes", "title": "Notes", "icon": "https://a.example/n.svg"})
        );
        assert_eq!(m.page_url.as_deref(), Some("/notes?i={issue.id}"));
        let v = json!({"key": "n2", "name": {"value": "N"}, "target": {"url": "/n"}});
        let m = IssueContents
            .check("jiraIssueContents", "$.c[1]", &v, &app, &mut f)
            .unwrap();
        assert_eq!(m.entry.get("icon"), Some(&json!(DEFAULT_PANEL_ICON)));
        assert!(f.0.is_empty(), "{:?}", f.0);
    }
}
