//! Issue glances and issue contexts (`jiraIssueGlances`, `jiraIssueContexts`): the panel opened
//! from the issue view's right-hand context area. Both become `jira:issueContext` (Forge's
//! `jira:issueGlance` is deprecated in favour of it): `name` → `title`, the glance's
//! `content.label` → `label`, `icon`, and a lozenge `status` as Forge's. The page is the entry's
//! `target.url`.

use serde_json::{json, Map, Value};

use super::page;
use super::web_panel::ISSUE_CONTEXT;
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// The issue-glance kind.
pub struct IssueGlances;

/// Forge's lozenge appearances (`status.value.type`).
const LOZENGE_TYPES: &[&str] = &[
    "default",
    "inprogress",
    "moved",
    "new",
    "removed",
    "success",
];

/// Forge's `status` of a Connect glance `status` (`{type: lozenge, value: {label: {value}, type}}`),
/// when it has a label.
fn status(s: &Value) -> Option<Value> {
    let v = s.get("value")?;
    let label = v
        .get("label")
        .and_then(|l| l.get("value").or(Some(l)))
        .and_then(Value::as_str)
        .filter(|l| !l.trim().is_empty())?;
    let mut value = Map::new();
    value.insert("label".into(), json!(label));
    if let Some(t) = v
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| LOZENGE_TYPES.contains(t))
    {
        value.insert("type".into(), json!(t));
    }
    Some(json!({"type": "lozenge", "value": value}))
}

impl Kind for IssueGlances {
    fn id(&self) -> &'static str {
        "issue-glance"
    }

    fn plural(&self) -> &'static str {
        "issue glances"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["jiraIssueGlances", "jiraIssueContexts"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[ISSUE_CONTEXT]
    }

    fn entry_shape(&self) -> &'static str {
        "an issue glance is a mapping (key, name, icon, content, target)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let label = entry
            .get("content")
            .and_then(|c| page::i18n_text(c.get("label")))
            .map(|l| l.chars().take(255).collect::<String>());
        let status = entry.get("status").and_then(status);
        page::read_nested(self, path, entry, &["target", "url"], app.product, f, |p| {
            let mut e = Map::new();
            e.insert(
                "label".into(),
                json!(label.clone().unwrap_or_else(|| p.title.clone())),
            );
            if let Some(i) = p.forge_icon(app.base_url) {
                e.insert("icon".into(), json!(i));
            }
            if let Some(s) = status.clone() {
                e.insert("status".into(), s);
            }
            p.module(self, connect_type, ISSUE_CONTEXT, true, e)
        })
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[
            "key",
            "resource",
            "title",
            "label",
            "icon",
            "status",
            "displayConditions",
            "resolver",
            "render",
        ]
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, module: &ForgeModule) -> String {
        match module.connect_type {
            "jiraIssueContexts" => "issue context panel".into(),
            _ => "issue glance, as an issue context panel".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(t: &'static str, v: Value) -> (Option<ForgeModule>, Findings) {
        crate::kinds::check_bare(
            &IssueGlances,
            t,
            "$.g[0]",
            Product::Jira,
            "https://a.example",
            &v,
        )
    }

    #[test]
    fn a_glance_becomes_an_issue_context_with_its_label_icon_and_status() {
        let (m, f) = check(
            "jiraIssueGlances",
            json!({"key": "g", "name": {"value": "Risk"}, "icon": {"url": "/i.svg"},
                "content": {"type": "label", "label": {"value": "3 risks"}},
                "status": {"type": "lozenge", "value": {"label": {"value": "high"}, "type": "removed"}},
                "target": {"type": "web_panel", "url": "/glance?issue={issue.key}"}}),
        );
        assert!(f.0.is_empty(), "{:?}", f.0);
        let m = m.unwrap();
        assert_eq!(m.forge_type, ISSUE_CONTEXT);
        assert_eq!(m.page_url.as_deref(), Some("/glance?issue={issue.key}"));
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "g", "title": "Risk", "label": "3 risks",
                "icon": "https://a.example/i.svg",
                "status": {"type": "lozenge", "value": {"label": "high", "type": "removed"}}})
        );
    }

    #[test]
    fn an_issue_context_without_a_label_is_labelled_by_its_name() {
        let (m, _) = check(
            "jiraIssueContexts",
            json!({"key": "c", "name": {"value": "Tests"}, "icon": {"url": "https://x/i.png"},
                "content": {"type": "label"}, "target": {"url": "/ctx"}}),
        );
        let m = m.unwrap();
        assert_eq!(m.entry.get("label"), Some(&json!("Tests")));
        assert_eq!(m.label(), "issue context panel");
    }

    #[test]
    fn a_glance_without_a_page_or_with_a_foreign_one_stays_on_connect() {
        let (m, f) = check(
            "jiraIssueGlances",
            json!({"key": "g", "name": {"value": "G"}, "target": {"type": "web_panel"}}),
        );
        assert!(m.is_none());
        assert_eq!(f.0[0].path, "$.g[0].target.url");
        assert!(f.0[0].message.contains("stays on Connect"));
        let (m, f) = check(
            "jiraIssueGlances",
            json!({"key": "g", "name": {"value": "G"}, "target": {"url": "https://other.example/g"}}),
        );
        assert!(m.is_none());
        assert_eq!(f.0[0].path, "$.g[0].target.url", "{:?}", f.0);
    }
}
