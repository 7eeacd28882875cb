//! Workflow post functions (`jiraWorkflowPostFunctions`): Jira POSTed to the app's `triggered`
//! URL after each transition the function was added to. It becomes `jira:workflowPostFunction`
//! with the same key, whose `endpoint` is that route on the app's remote (Forge Remote: the
//! request carries a Forge Invocation Token and Forge's post function event, not Connect's JWT
//! and payload). Atlassian runs the Forge module for the workflows that already hold the
//! Connect function, with the configuration they saved ("Jira workflow modules" in Atlassian's
//! Connect-to-Forge guide), so the key is kept.
//!
//! `name` and `description` (Forge requires one: the name when Connect had none) are carried;
//! the `create`, `edit` and `view` pages, which configured the function through
//! `AP.jira.WorkflowConfiguration`, become the module's `create`, `edit` and `view` resources
//! (the compatibility layer gives their configuration to Forge with `workflowRules.onConfigure`).
//! Forge's post function needs the `read:jira-work` and `manage:jira-configuration` scopes.

use serde_json::{json, Map, Value};

use super::page::{self, url_problem};
use super::webhook::remote::{self, RouteProblem, ROUTE_DETAIL};
use super::{AppFacts, ExtraPage, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path::{self as json, shown};
use crate::product::Product;

/// The kind's stable name.
pub const ID: &str = "workflow-post-function";
/// The Forge module type.
pub const POST_FUNCTION: &str = "jira:workflowPostFunction";
/// Forge's limit on a post function's `description`.
const MAX_DESCRIPTION: usize = 1000;
/// The configuration pages, in the order Connect lists them, each a Forge property of the same name.
const PAGES: &[&str] = &["create", "edit", "view"];
/// The scopes Forge's post function needs (its manifest reference; Forge's linter does not ask
/// for them, Atlassian's issue ECO-68).
const SCOPES: &[&str] = &["read:jira-work", "manage:jira-configuration"];

/// The workflow-post-function kind.
pub struct WorkflowPostFunctions;

impl Kind for WorkflowPostFunctions {
    fn id(&self) -> &'static str {
        ID
    }

    fn plural(&self) -> &'static str {
        "workflow post functions"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["jiraWorkflowPostFunctions"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[POST_FUNCTION]
    }

    fn entry_shape(&self) -> &'static str {
        "a workflow post function is a mapping (key, name, triggered, create, edit, view)"
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
        if !super::is_module_key(key) {
            return None; // the descriptor reader reports it
        }
        let triggered_path = json::child(&json::child(path, "triggered"), "url");
        let triggered = entry
            .get("triggered")
            .and_then(|t| t.get("url"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let route = match remote::route(triggered, app.base_url) {
            Ok(r) => r,
            Err(problem) => {
                let why = match problem {
                    RouteProblem::OtherHost => "is on another host than the app's baseUrl, and a Forge endpoint calls the app's remote only",
                    RouteProblem::NotAPath => "is not a path on the app's server",
                };
                f.warn(
                    &triggered_path,
                    Some(key),
                    format!("workflow post function's triggered url \"{}\" {why}: the post function stays on Connect", shown(triggered)),
                );
                return None;
            }
        };
        // Each configuration page is carried as it would be for a page module: one Forge cannot
        // take (another site) keeps the whole function on Connect, as its configuration would
        // be lost.
        let mut pages = Vec::new();
        for property in PAGES {
            let Some(u) = entry
                .get(*property)
                .and_then(|p| p.get("url"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let at = json::child(&json::child(path, property), "url");
            if url_problem(u).is_some() {
                f.warn(
                    &at,
                    Some(key),
                    format!("workflow post function's {property} page \"{}\" is not a page of the app Forge could carry (relative to its baseUrl): the post function stays on Connect", shown(u)),
                );
                return None;
            }
            let mut copy = entry.clone();
            if let Some(o) = copy.as_object_mut() {
                o.insert("url".into(), json!(u));
            }
            let from = f.0.len();
            page::read(self, path, &copy, app.product, f)?;
            // Findings about the URL point at where it really is.
            for x in &mut f.0[from..] {
                if x.path == json::child(path, "url") {
                    x.path.clone_from(&at);
                }
            }
            pages.push((*property, u.to_string()));
        }
        let name = page::i18n_text(entry.get("name")).unwrap_or(key);
        let description = page::i18n_text(entry.get("description")).unwrap_or(name);
        let mut e = Map::new();
        e.insert(
            "name".into(),
            json!(name.chars().take(255).collect::<String>()),
        );
        e.insert(
            "description".into(),
            json!(description
                .chars()
                .take(MAX_DESCRIPTION)
                .collect::<String>()),
        );
        f.warn(
            &triggered_path,
            Some(key),
            format!("workflow post function becomes {POST_FUNCTION} calling the route {} on the app's remote: the request carries a Forge Invocation Token and Forge's post function event (issue, transition, configuration), not Connect's JWT and payload; update the backend (docs/forge-backend.md)", route.path),
        );
        let mut details = Map::new();
        details.insert(ROUTE_DETAIL.into(), json!(route.path));
        details.insert("scopes".into(), json!(SCOPES));
        Some(ForgeModule {
            kind: ID,
            connect_type,
            forge_type: POST_FUNCTION,
            key: key.to_string(),
            entry: e,
            page_url: None,
            resource: None,
            extra_pages: pages
                .into_iter()
                .map(|(property, url)| ExtraPage {
                    key: format!("{key}-{property}"),
                    entry: property,
                    property,
                    page_url: url,
                    resource: None,
                })
                .collect(),
            details,
            path: path.to_string(),
        })
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[
            "key",
            "name",
            "description",
            "function",
            "endpoint",
            "resolver",
            "view",
            "edit",
            "create",
            "projectTypes",
        ]
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, module: &ForgeModule) -> String {
        let pages: Vec<&str> = module.extra_pages.iter().map(|p| p.property).collect();
        match pages.is_empty() {
            true => "workflow post function".into(),
            false => format!(
                "workflow post function, with its {} page{}",
                pages.join(", "),
                if pages.len() > 1 { "s" } else { "" }
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> (Option<ForgeModule>, Findings) {
        super::super::check_bare(
            &WorkflowPostFunctions,
            "jiraWorkflowPostFunctions",
            "$.modules.jiraWorkflowPostFunctions[0]",
            Product::Jira,
            "https://a.example",
            &v,
        )
    }

    #[test]
    fn a_post_function_calls_its_route_and_carries_its_configuration_pages() {
        let (m, f) = check(json!({"key": "wf-pf", "name": {"value": "Copy summary"},
            "description": {"value": "Copies the summary"},
            "triggered": {"url": "/triggered"}, "create": {"url": "/create"},
            "edit": {"url": "/edit?id={postFunction.id}"}, "view": {"url": "/view"}}));
        let m = m.expect("migrates");
        assert_eq!(m.forge_type, POST_FUNCTION);
        assert_eq!(m.details[ROUTE_DETAIL], json!("/triggered"));
        assert_eq!(m.details["scopes"], json!(SCOPES));
        assert!(m.page_url.is_none());
        let pages: Vec<(&str, &str)> = m
            .extra_pages
            .iter()
            .map(|p| (p.property, p.page_url.as_str()))
            .collect();
        assert_eq!(
            pages,
            vec![
                ("create", "/create"),
                ("edit", "/edit?id={postFunction.id}"),
                ("view", "/view")
            ]
        );
        assert_eq!(m.extra_pages[1].key, "wf-pf-edit");
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "wf-pf", "name": "Copy summary", "description": "Copies the summary"})
        );
        // {postFunction.id} has no Forge value: reported at the edit page's URL.
        let param =
            f.0.iter()
                .find(|x| x.message.contains("{postFunction.id}"))
                .expect("reported");
        assert_eq!(
            param.path,
            "$.modules.jiraWorkflowPostFunctions[0].edit.url"
        );
        assert!(f
            .0
            .iter()
            .any(|x| x.message.contains("Forge Invocation Token")));
        assert_eq!(
            m.label(),
            "workflow post function, with its create, edit, view pages"
        );
    }

    #[test]
    fn the_description_defaults_to_the_name() {
        let (m, _) = check(json!({"key": "k", "name": {"value": "N"}, "triggered": {"url": "/t"}}));
        let m = m.unwrap();
        assert_eq!(m.entry["description"], json!("N"));
        assert!(m.extra_pages.is_empty());
        assert_eq!(m.label(), "workflow post function");
    }

    #[test]
    fn another_host_or_a_foreign_page_keeps_it_on_connect() {
        for (v, at) in [
            (
                json!({"key": "k", "name": {"value": "N"}, "triggered": {"url": "https://other.example/t"}}),
                "$.modules.jiraWorkflowPostFunctions[0].triggered.url",
            ),
            (
                json!({"key": "k", "name": {"value": "N"}, "triggered": {"url": "/t"}, "view": {"url": "https://other.example/v"}}),
                "$.modules.jiraWorkflowPostFunctions[0].view.url",
            ),
        ] {
            let (m, f) = check(v);
            assert!(m.is_none());
            assert_eq!(f.0[0].path, at);
            assert!(f.0[0].message.contains("stays on Connect"), "{:?}", f.0);
        }
    }
}
