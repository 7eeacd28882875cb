//! Jira module types with no Forge module to become (reports, search request views, project tab
//! panels, some Service Management portal modules) or whose Forge module would lose what the
//! Connect one holds (issue fields, workflow post functions). Their entries stay in
//! `connectModules`, each with a warning that says why and what Forge offers instead — so the
//! review names every module that keeps the app on Connect.

use serde_json::Value;

use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// Connect type → why it stays on Connect.
const WHY: &[(&str, &str)] = &[
    ("jiraReports", "Forge has no reports module; a jira:projectPage or jira:globalPage can show the report"),
    ("jiraSearchRequestViews", "Forge has no issue search export view"),
    ("jiraProjectTabPanels", "Forge has no project tab panel; a jira:projectPage shows a page in the project"),
    ("jiraIssueFields", "a Forge jira:customField keeps its values and view in the Forge app, so the field's stored values and its Connect behaviour would have to be moved by hand"),
    ("serviceDeskPortalProfileActions", "Forge has no portal profile action module"),
    ("serviceDeskOrganizationActions", "Forge has no organization action module"),
    ("serviceDeskQueues", "Forge has no module for a queue definition"),
    ("serviceDeskQueueGroups", "Forge has no module for a queue group"),
    ("serviceDeskReports", "Forge has no Service Management report module"),
    ("serviceDeskReportGroups", "Forge has no Service Management report group module"),
];

/// The kind of module types that stay on Connect.
pub struct NoTarget;

impl Kind for NoTarget {
    fn id(&self) -> &'static str {
        "no-target"
    }

    fn plural(&self) -> &'static str {
        "modules with no Forge target"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &[
            "jiraReports",
            "jiraSearchRequestViews",
            "jiraProjectTabPanels",
            "jiraIssueFields",
            "serviceDeskPortalProfileActions",
            "serviceDeskOrganizationActions",
            "serviceDeskQueues",
            "serviceDeskQueueGroups",
            "serviceDeskReports",
            "serviceDeskReportGroups",
        ]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[]
    }

    fn entry_shape(&self) -> &'static str {
        "a module is a mapping (key, name)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        _app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let key = entry.get("key").and_then(Value::as_str);
        let why = WHY
            .iter()
            .find(|(t, _)| *t == connect_type)
            .map_or("Forge has no module for it", |(_, w)| w);
        f.warn(
            path,
            key,
            format!("{connect_type} have no Forge target ({why}): the module stays on Connect"),
        );
        None
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[]
    }

    fn label(&self, module: &ForgeModule) -> String {
        module.connect_type.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_type_stays_on_connect_with_its_reason() {
        let app = AppFacts {
            product: Product::Jira,
            base_url: "",
            modules: None,
            page_urls: None,
        };
        for t in NoTarget.connect_types() {
            assert!(WHY.iter().any(|(w, _)| w == t), "{t}");
            let mut f = Findings::default();
            let m = NoTarget.check(
                t,
                "$.m",
                &json!({"key": "k", "name": {"value": "R"}}),
                &app,
                &mut f,
            );
            assert!(m.is_none());
            assert_eq!(f.0.len(), 1);
            assert!(
                f.0[0].message.contains("stays on Connect"),
                "{}",
                f.0[0].message
            );
        }
    }
}
