//! Webhooks (`webhooks`): Connect posts a product event to a URL of the app. Each becomes a
//! Forge `trigger` on the mapped product event whose `endpoint` is that URL's path on the app's
//! remote (Forge Remote), and the app gets the scopes the event needs. The event table is pinned
//! ([`events`]); the `endpoint` modules are made once per route by [`remote::attach_endpoints`].
//!
//! What Forge cannot take is said at the entry's place, never dropped silently: an event Forge
//! does not send stays on Connect; an event only Connect has (`connect_addon_enabled`, `login`)
//! is not carried; a JQL `filter`, `excludeBody` and `propertyKeys` have no Forge equivalent (a
//! Forge trigger filter is a Jira expression), so the trigger is carried without them.
//!
//! Adopting a Connect-on-Forge manifest in place moves `connectModules` webhooks the same way
//! ([`Kind::check_all`]); the adoption names the endpoints' remote (the one `app.connect.remote`
//! names).

pub mod events;
pub mod remote;

use serde_json::{json, Map, Value};

use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path::{self as json, kind, shown};
use crate::product::Product;
use events::Fate;

/// The kind's id.
pub const ID: &str = "webhook";
/// The Connect module type.
pub const CONNECT_TYPE: &str = "webhooks";
/// The Forge module type a webhook becomes.
pub const TRIGGER: &str = "trigger";

/// Properties Forge's schema defines on `trigger` and `endpoint` modules.
const TRIGGER_PROPS: &[&str] = &["key", "events", "function", "endpoint", "filter", "payload"];
const ENDPOINT_PROPS: &[&str] = &["key", "remote", "service", "route", "auth"];

/// The webhook kind.
pub struct Webhooks;

impl Kind for Webhooks {
    fn id(&self) -> &'static str {
        ID
    }

    fn plural(&self) -> &'static str {
        "webhooks"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &[CONNECT_TYPE]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira, Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[TRIGGER, remote::ENDPOINT]
    }

    fn entry_shape(&self) -> &'static str {
        "a webhook is a mapping (event, url)"
    }

    fn check(
        &self,
        _connect_type: &'static str,
        _path: &str,
        _entry: &Value,
        _app: &AppFacts,
        _findings: &mut Findings,
    ) -> Option<ForgeModule> {
        None
    }

    fn check_all(
        &self,
        _connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        findings: &mut Findings,
    ) -> Option<Vec<ForgeModule>> {
        check_entry(path, entry, app, findings)
    }

    fn forge_properties(&self, forge_type: &str) -> &'static [&'static str] {
        match forge_type {
            TRIGGER => TRIGGER_PROPS,
            _ => ENDPOINT_PROPS,
        }
    }

    fn check_forge(&self, forge_type: &str, path: &str, entry: &Value, f: &mut Findings) {
        if forge_type != TRIGGER {
            return;
        }
        let key = entry.get("key").and_then(Value::as_str);
        let list = entry.get("events").and_then(Value::as_array);
        for (i, e) in list.into_iter().flatten().enumerate() {
            let name = e
                .as_str()
                .or_else(|| e.get("eventType").and_then(Value::as_str));
            if let Some(n) = name.filter(|n| !events::is_forge_event(n)) {
                f.warn(&json::index(&json::child(path, "events"), i), key, format!("trigger event \"{}\" is not a product event @forge/manifest 13.7.0 knows (Atlassian's validator does not check event names): check its spelling", shown(n)));
            }
        }
    }

    fn label(&self, module: &ForgeModule) -> String {
        match module.forge_type {
            TRIGGER => {
                let event = module.details.get("event").and_then(Value::as_str);
                let forge = module.details.get("forge_event").and_then(Value::as_str);
                format!("{} → {}", event.unwrap_or(""), forge.unwrap_or(""))
            }
            _ => module
                .details
                .get(remote::ROUTE_DETAIL)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        }
    }
}

/// A key made from the event (`webhook-jira-issue-created`).
fn generated_key(event: &str) -> String {
    let mut s: String = format!("webhook-{event}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    s.trim_matches('-').chars().take(80).collect()
}

/// The closest Connect event of the product, for a misspelt one.
fn closest(product: &str, event: &str) -> Option<&'static str> {
    let dist = |a: &str, b: &str| strsim_levenshtein(a, b);
    events::connect_events(product)
        .into_iter()
        .map(|c| (dist(c, event), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 5))
        .min()
        .map(|(_, c)| c)
}

fn strsim_levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Checks one webhook: `Some(modules)` when it is migrated (an empty list when it is not carried
/// at all), `None` when it stays on Connect.
fn check_entry(
    path: &str,
    e: &Value,
    app: &AppFacts,
    f: &mut Findings,
) -> Option<Vec<ForgeModule>> {
    let Value::Object(o) = e else { return None };
    let own_key = o.get("key").and_then(Value::as_str);
    let product = app.product.as_str();
    let event_path = json::child(path, "event");
    let event = match o.get("event") {
        Some(Value::String(s)) => s.as_str(),
        // The descriptor reader reports a missing event (Connect requires it).
        Some(v) => {
            f.warn(
                &event_path,
                own_key,
                format!(
                    "webhook event must be a string, not {}; the webhook stays on Connect",
                    kind(v)
                ),
            );
            return None;
        }
        None => return None,
    };
    let (forge, scopes) = match events::lookup(product, event).map(|r| (r.fate, r.source)) {
        Some((Fate::Mapped { forge, scopes }, _)) => (forge, scopes),
        Some((Fate::ConnectOnly, why)) => {
            f.warn(&event_path, own_key, format!("webhook event \"{event}\" is Connect-only and is not carried to Forge ({why}); the backend route no longer receives it"));
            return Some(Vec::new());
        }
        Some((Fate::NoForgeEvent, _)) => {
            f.warn(&event_path, own_key, format!("webhook event \"{event}\" has no Forge product event (not in @forge/manifest 13.7.0's list); the webhook stays on Connect: poll the REST API or drop it to leave Connect"));
            return None;
        }
        None => {
            // An event only the other product sends never reached this app on Connect either:
            // a webhook that never fires is not carried.
            let other = match app.product {
                Product::Jira => Product::Confluence,
                Product::Confluence => Product::Jira,
            };
            if events::lookup(other.as_str(), event).is_some() {
                f.warn(&event_path, own_key, format!("webhook event \"{}\" is a {} event, which a {} app never receives: not carried (it never fired on Connect either); if the app is for {}, run again with --product {}", shown(event), other.name(), app.product.name(), other.name(), other.as_str()));
                return Some(Vec::new());
            }
            let hint = closest(product, event)
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            f.warn(&event_path, own_key, format!("webhook event \"{}\" is not a {} Connect webhook event{hint}; the webhook stays on Connect", shown(event), app.product.name()));
            return None;
        }
    };
    let url_path = json::child(path, "url");
    let url = o.get("url").and_then(Value::as_str)?;
    let route = match remote::route(url, app.base_url) {
        Ok(r) => r,
        Err(remote::RouteProblem::OtherHost) => {
            f.warn(&url_path, own_key, format!("webhook url \"{}\" is absolute to another host than the app's baseUrl: a Forge endpoint calls the app's remote only; the webhook stays on Connect (declare another remote by hand to move it)", shown(url)));
            return None;
        }
        Err(remote::RouteProblem::NotAPath) => {
            f.warn(&url_path, own_key, format!("webhook url \"{}\" is not a path on the app's remote; the webhook stays on Connect", shown(url)));
            return None;
        }
    };
    if route.dropped_variables {
        f.warn(&url_path, own_key, format!("webhook url \"{}\" has Connect variables in its query, which a Forge trigger does not fill: the route is {} and the backend reads the values from the event payload", shown(url), route.path));
    }
    for (prop, value) in o {
        let p = json::child(path, prop);
        match (prop.as_str(), value) {
            ("key" | "event" | "url", _) => {}
            ("filter", Value::String(s)) if s.trim().is_empty() => {}
            ("filter", v) => f.warn(&p, own_key, format!("webhook filter {} is JQL, and a Forge trigger filter is a Jira expression: not carried, so the backend now receives every {forge} event; filter there, or write filter.expression by hand", shown(&v.to_string()))),
            ("excludeBody", Value::Bool(false)) => {}
            ("excludeBody", _) => f.warn(&p, own_key, "webhook excludeBody is not carried: a Forge trigger always sends the event payload".to_string()),
            ("propertyKeys", Value::Array(a)) if a.is_empty() => {}
            ("propertyKeys", _) => f.warn(&p, own_key, "webhook propertyKeys are not carried: a Forge event carries no entity properties; read them through the REST API with the app's token".to_string()),
            (other, _) => f.warn(&p, own_key, format!("webhook property \"{other}\" has no Forge trigger equivalent and is not carried")),
        }
    }
    let key = own_key.map_or_else(|| generated_key(event), str::to_string);
    let mut entry = Map::new();
    entry.insert("events".into(), json!([forge]));
    let mut details = Map::new();
    details.insert("event".into(), json!(event));
    details.insert("forge_event".into(), json!(forge));
    details.insert(remote::ROUTE_DETAIL.into(), json!(route.path));
    details.insert("connect_url".into(), json!(url));
    let scopes: Vec<&str> = scopes.split(',').filter(|s| *s != "-").collect();
    details.insert("scopes".into(), json!(scopes));
    Some(vec![ForgeModule {
        kind: ID,
        connect_type: CONNECT_TYPE,
        forge_type: TRIGGER,
        key,
        entry,
        page_url: None,
        resource: None,
        extra_pages: Vec::new(),
        details,
        path: path.to_string(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(product: Product, v: Value) -> (Option<Vec<ForgeModule>>, Findings) {
        let mut f = Findings::default();
        let app = AppFacts {
            product,
            base_url: "https://app.example.com",
            modules: None,
            page_urls: None,
        };
        let m = Webhooks.check_all(CONNECT_TYPE, "$.modules.webhooks[0]", &v, &app, &mut f);
        (m, f)
    }

    #[test]
    fn a_webhook_becomes_a_trigger_on_its_route_with_the_event_scopes() {
        let (m, f) = check(
            Product::Jira,
            json!({"event": "jira:issue_created", "url": "/hooks/created"}),
        );
        assert!(f.0.is_empty(), "{:?}", f.0);
        let m = m.expect("migrated");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].forge_type, TRIGGER);
        assert_eq!(m[0].key, "webhook-jira-issue-created");
        assert_eq!(m[0].entry["events"], json!(["avi:jira:created:issue"]));
        assert_eq!(m[0].details[remote::ROUTE_DETAIL], "/hooks/created");
        assert_eq!(m[0].details["scopes"], json!(["read:jira-work"]));
    }

    #[test]
    fn confluence_comments_and_jira_comments_are_different_events() {
        let (m, _) = check(
            Product::Confluence,
            json!({"key": "c", "event": "comment_created", "url": "/c"}),
        );
        assert_eq!(
            m.unwrap()[0].entry["events"],
            json!(["avi:confluence:created:comment"])
        );
    }

    #[test]
    fn connect_only_unknown_and_foreign_webhooks_are_said_at_their_place() {
        let (m, f) = check(
            Product::Jira,
            json!({"event": "connect_addon_enabled", "url": "/e"}),
        );
        assert_eq!(m, Some(Vec::new()));
        assert_eq!(f.0[0].path, "$.modules.webhooks[0].event");
        assert!(f.0[0].message.contains("Connect-only"));

        let (m, f) = check(
            Product::Jira,
            json!({"event": "jira:issue_craeted", "url": "/e"}),
        );
        assert!(m.is_none());
        assert!(
            f.0[0]
                .message
                .contains("did you mean \"jira:issue_created\""),
            "{}",
            f.0[0].message
        );

        // A Jira event in a Confluence app never fired: not carried.
        let (m, f) = check(
            Product::Confluence,
            json!({"event": "jira:issue_updated", "url": "/e"}),
        );
        assert_eq!(m, Some(Vec::new()));
        assert_eq!(f.0[0].path, "$.modules.webhooks[0].event");
        assert!(
            f.0[0]
                .message
                .contains("is a Jira event, which a Confluence app never receives"),
            "{}",
            f.0[0].message
        );

        let (m, f) = check(
            Product::Jira,
            json!({"event": "jira:issue_created", "url": "https://elsewhere.example.com/e"}),
        );
        assert!(m.is_none());
        assert_eq!(f.0[0].path, "$.modules.webhooks[0].url");
    }

    #[test]
    fn a_manifest_trigger_on_an_event_forge_does_not_know_is_said() {
        let mut f = Findings::default();
        let t = json!({"key": "t", "endpoint": "e", "events": ["avi:jira:created:issue", "avi:jira:created:isue"]});
        Webhooks.check_forge(TRIGGER, "$.modules.trigger[0]", &t, &mut f);
        assert_eq!(f.0.len(), 1);
        assert_eq!(f.0[0].path, "$.modules.trigger[0].events[1]");
        // A manifest's connectModules webhooks move in place too.
        assert!(Webhooks.adopts_in_place());
    }

    #[test]
    fn a_jql_filter_is_not_carried_with_a_warning() {
        let (m, f) = check(
            Product::Jira,
            json!({"event": "jira:issue_updated", "url": "/u", "filter": "project = ABC", "excludeBody": true, "propertyKeys": ["p"]}),
        );
        let m = m.unwrap();
        assert!(m[0].entry.get("filter").is_none());
        let paths: Vec<&str> = f.0.iter().map(|x| x.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "$.modules.webhooks[0].filter",
                "$.modules.webhooks[0].excludeBody",
                "$.modules.webhooks[0].propertyKeys"
            ]
        );
    }
}
