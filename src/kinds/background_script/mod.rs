//! Background scripts (`jiraBackgroundScripts`): an invisible page that Jira loads beside the
//! issue view or a dashboard. Each becomes `jira:issueViewBackgroundScript` or
//! `jira:dashboardBackgroundScript` with a Custom UI resource that carries its page.
//!
//! Connect's rules are checked here (the descriptor reader and the manifest adoption both call
//! [`BackgroundScripts`] through the registry): key pattern and length, a URL relative to the
//! app's baseUrl, the location's spellings, `shouldReloadOnRefresh` on issue view only.

use serde_json::{json, Map, Value};

use super::page::{url_problem, UrlProblem};
use super::{AppFacts, ForgeModule, Kind, MAX_KEY_LEN};
use crate::diagnostics::Findings;
use crate::json_path::{self as json, kind, shown};
use crate::product::Product;

/// The Forge module an `issue_view` background script becomes.
pub const ISSUE_VIEW_SCRIPT: &str = "jira:issueViewBackgroundScript";
/// The Forge module a `dashboard` background script becomes.
pub const DASHBOARD_SCRIPT: &str = "jira:dashboardBackgroundScript";
/// The Connect module type.
pub const CONNECT_TYPE: &str = "jiraBackgroundScripts";

/// Properties Forge's schema defines on background-script modules (the dashboard's are the
/// first six: it has no `shouldReloadOnRefresh`).
const ISSUE_VIEW_PROPS: &[&str] = &[
    "key",
    "resource",
    "resolver",
    "render",
    "renderRuntimeType",
    "displayConditions",
    "shouldReloadOnRefresh",
];

/// Where a background script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// The Jira issue view.
    IssueView,
    /// Jira dashboards.
    Dashboard,
}

impl Location {
    /// Connect's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::IssueView => "issue_view",
            Location::Dashboard => "dashboard",
        }
    }
}

/// The background-script kind.
pub struct BackgroundScripts;

impl Kind for BackgroundScripts {
    fn id(&self) -> &'static str {
        "background-script"
    }

    fn plural(&self) -> &'static str {
        "background scripts"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &[CONNECT_TYPE]
    }

    fn own_checks(&self) -> bool {
        true
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[ISSUE_VIEW_SCRIPT, DASHBOARD_SCRIPT]
    }

    fn entry_shape(&self) -> &'static str {
        "a background script is a mapping (key, url, location)"
    }

    fn check(
        &self,
        _connect_type: &'static str,
        path: &str,
        entry: &Value,
        _app: &AppFacts,
        findings: &mut Findings,
    ) -> Option<ForgeModule> {
        check_entry(path, entry, findings)
    }

    fn forge_properties(&self, forge_type: &str) -> &'static [&'static str] {
        match forge_type {
            ISSUE_VIEW_SCRIPT => ISSUE_VIEW_PROPS,
            _ => &ISSUE_VIEW_PROPS[..6],
        }
    }

    fn check_forge(&self, forge_type: &str, path: &str, entry: &Value, f: &mut Findings) {
        if forge_type == DASHBOARD_SCRIPT && entry.get("shouldReloadOnRefresh").is_some() {
            let key = entry.get("key").and_then(Value::as_str);
            f.error(&json::child(path, "shouldReloadOnRefresh"), key, "shouldReloadOnRefresh applies to jira:issueViewBackgroundScript only; Atlassian's validator does not report it, the deploy does");
        }
    }

    fn scaffold_data(&self, module: &ForgeModule) -> Map<String, Value> {
        let location = module.details.get("location").and_then(Value::as_str);
        let reload = module
            .entry
            .get("shouldReloadOnRefresh")
            .and_then(Value::as_bool);
        let mut data = Map::new();
        data.insert("location".into(), json!(location));
        data.insert(
            "is_issue_view".into(),
            json!(location == Some("issue_view")),
        );
        data.insert(
            "should_reload_on_refresh".into(),
            json!(reload.unwrap_or(false)),
        );
        data
    }

    fn label(&self, module: &ForgeModule) -> String {
        module.detail("location").unwrap_or("").to_string()
    }
}

/// The Forge module of a checked entry.
fn forge_module(
    key: String,
    url: String,
    location: Location,
    reload: Option<bool>,
    path: &str,
) -> ForgeModule {
    let mut entry = Map::new();
    if let Some(r) = reload {
        entry.insert("shouldReloadOnRefresh".into(), json!(r));
    }
    let mut details = Map::new();
    details.insert("location".into(), json!(location.as_str()));
    details.insert("should_reload_on_refresh".into(), json!(reload));
    ForgeModule {
        kind: "background-script",
        connect_type: CONNECT_TYPE,
        forge_type: match location {
            Location::IssueView => ISSUE_VIEW_SCRIPT,
            Location::Dashboard => DASHBOARD_SCRIPT,
        },
        key,
        entry,
        page_url: Some(url),
        resource: None,
        extra_pages: Vec::new(),
        details,
        path: path.to_string(),
    }
}

/// Checks one `jiraBackgroundScripts` entry by Connect's rules (key pattern and length, relative
/// url, location spellings, `shouldReloadOnRefresh` on issue view only, unknown properties).
/// `path` is the entry's JSON path, used in findings.
fn check_entry(path: &str, e: &Value, f: &mut Findings) -> Option<ForgeModule> {
    let Value::Object(o) = e else { return None };
    let key = match o.get("key") {
        Some(Value::String(k)) => Some(k.clone()),
        Some(v) => {
            f.error(
                &json::child(path, "key"),
                None,
                format!("key must be a string, not {}", kind(v)),
            );
            None
        }
        None => {
            f.error(path, None, "background script has no \"key\" (required)");
            None
        }
    };
    let module = key.as_deref();
    let mut ok = key.is_some();
    if let Some(k) = module {
        if k.is_empty()
            || k.len() > MAX_KEY_LEN
            || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            f.error(
                &json::child(path, "key"),
                None,
                format!("module key \"{}\" must be 1 to {MAX_KEY_LEN} characters of letters, digits and '-'", shown(k)),
            );
            ok = false;
        }
    }
    let url_path = json::child(path, "url");
    let url = match o.get("url") {
        Some(Value::String(u)) if !u.is_empty() => {
            let problem = url_problem(u);
            if problem == Some(UrlProblem::NotRelative) {
                f.error(&url_path, module, format!("url \"{}\" must be relative to the app's baseUrl (Connect's rule for background scripts)", shown(u)));
                ok = false;
            } else if problem == Some(UrlProblem::Parent) {
                f.error(&url_path, module, format!("url \"{}\" has a \"..\" segment, which would leave the app's baseUrl path: write the path without it", shown(u)));
                ok = false;
            } else if problem == Some(UrlProblem::Control) {
                f.error(&url_path, module, "url contains control characters");
                ok = false;
            } else if u.contains('{') {
                f.warn(&url_path, module, format!("url \"{u}\" has context parameters, which background script URLs do not support: read them with view.getContext() in the new script"));
            }
            Some(u.clone())
        }
        Some(Value::String(_)) => {
            f.error(&url_path, module, "url must not be empty");
            None
        }
        Some(v) => {
            f.error(
                &url_path,
                module,
                format!("url must be a string, not {}", kind(v)),
            );
            None
        }
        None => {
            f.error(path, module, "background script has no \"url\" (required)");
            None
        }
    };
    let loc_path = json::child(path, "location");
    let mut reload = None;
    let location = match o.get("location") {
        Some(Value::Object(l)) => {
            let t = match l.get("type") {
                Some(Value::String(t)) => match t.as_str() {
                    "issue_view" | "ISSUE_VIEW" => Some(Location::IssueView),
                    "dashboard" | "DASHBOARD" => Some(Location::Dashboard),
                    _ => {
                        f.error(&json::child(&loc_path, "type"), module, format!("location type \"{t}\" is not one Connect accepts; choose from issue_view, ISSUE_VIEW, dashboard, DASHBOARD"));
                        None
                    }
                },
                Some(v) => {
                    f.error(
                        &json::child(&loc_path, "type"),
                        module,
                        format!("location type must be a string, not {}", kind(v)),
                    );
                    None
                }
                None => {
                    f.error(
                        &loc_path,
                        module,
                        "location has no \"type\" (issue_view or dashboard)",
                    );
                    None
                }
            };
            let r_path = json::child(&loc_path, "shouldReloadOnRefresh");
            match (l.get("shouldReloadOnRefresh"), t) {
                (None, _) => {}
                (Some(Value::Bool(b)), Some(Location::IssueView)) => reload = Some(*b),
                (Some(Value::Bool(_)), Some(Location::Dashboard)) => f.warn(&r_path, module, "shouldReloadOnRefresh applies to issue view scripts only; dropped for this dashboard script"),
                (Some(Value::Bool(_)), None) => {}
                (Some(v), _) => {
                    f.error(&r_path, module, format!("shouldReloadOnRefresh must be true or false, not {}", kind(v)));
                }
            }
            for k in l
                .keys()
                .filter(|k| !matches!(k.as_str(), "type" | "shouldReloadOnRefresh"))
            {
                f.warn(
                    &json::child(&loc_path, k),
                    module,
                    format!("unknown location property \"{k}\" is ignored"),
                );
            }
            t
        }
        Some(Value::String(s)) => {
            f.error(
                &loc_path,
                module,
                format!("location must be an object such as {{\"type\": \"{s}\"}}, not a string"),
            );
            None
        }
        Some(v) => {
            f.error(
                &loc_path,
                module,
                format!(
                    "location must be an object with a \"type\", not {}",
                    kind(v)
                ),
            );
            None
        }
        None => {
            f.error(path, module, "background script has no \"location\" (required: {\"type\": \"issue_view\"} or {\"type\": \"dashboard\"})");
            None
        }
    };
    if o.contains_key("shouldReloadOnRefresh") {
        f.warn(
            &json::child(path, "shouldReloadOnRefresh"),
            module,
            "shouldReloadOnRefresh belongs inside \"location\"; ignored here",
        );
    }
    for k in o.keys().filter(|k| {
        !matches!(
            k.as_str(),
            "key" | "url" | "location" | "shouldReloadOnRefresh"
        )
    }) {
        let msg = if k == "conditions" {
            "background scripts take no conditions in Forge; \"conditions\" is dropped: check them in the script instead".to_string()
        } else {
            format!("unknown property \"{k}\" is not carried to Forge")
        };
        f.warn(&json::child(path, k), module, msg);
    }
    match (key, url, location) {
        (Some(key), Some(url), Some(location)) if ok => {
            Some(forge_module(key, url, location, reload, path))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> (Option<ForgeModule>, Findings) {
        let mut f = Findings::default();
        let app = AppFacts {
            product: Product::Jira,
            base_url: "https://x.example",
            modules: None,
            page_urls: None,
        };
        let m = BackgroundScripts.check(CONNECT_TYPE, "$.m[0]", &v, &app, &mut f);
        (m, f)
    }

    #[test]
    fn an_issue_view_script_becomes_its_forge_module_with_the_reload_flag() {
        let (m, f) = check(json!({"key": "iv", "url": "/iv",
            "location": {"type": "ISSUE_VIEW", "shouldReloadOnRefresh": true}}));
        assert!(f.0.is_empty(), "{:?}", f.0);
        let m = m.expect("valid");
        assert_eq!(m.forge_type, ISSUE_VIEW_SCRIPT);
        assert_eq!(m.page_url.as_deref(), Some("/iv"));
        assert_eq!(m.label(), "issue_view");
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "iv", "shouldReloadOnRefresh": true})
        );
    }

    #[test]
    fn a_dashboard_script_drops_the_reload_flag_with_a_warning() {
        let (m, f) = check(json!({"key": "db", "url": "/db",
            "location": {"type": "dashboard", "shouldReloadOnRefresh": true}}));
        let m = m.expect("valid");
        assert_eq!(m.forge_type, DASHBOARD_SCRIPT);
        assert!(m.entry.is_empty());
        assert_eq!(f.0.len(), 1);
        assert!(f.0[0].message.contains("issue view scripts only"));
    }

    #[test]
    fn an_absolute_url_is_an_error_and_no_module() {
        let (m, f) = check(json!({"key": "x", "url": "https://evil.example/x",
            "location": {"type": "dashboard"}}));
        assert!(m.is_none());
        assert_eq!(f.0[0].path, "$.m[0].url");
    }
}
