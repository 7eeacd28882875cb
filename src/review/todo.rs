//! The to-do list: every item a migration leaves for a person, in the order to do them, built
//! from the one [`Review`]: what the app needs first (`forge register`, variables), then per
//! module what its carried page needs (unsupported and differing calls, backend calls that need
//! Forge Remote, events that no longer reach a Connect module, scopes admins must approve,
//! review warnings), then building every resource, testing and deploying.
//!
//! Each item has a stable `id` per kind of item (the JSON's `todo[].id`, so a script can track
//! them across runs), the place it concerns (a path from where the tool ran, for the text; the
//! JSON keeps the source-relative path beside it), and the Atlassian page that explains the
//! Forge side. Commands in it work from where the tool ran.

use serde::Serialize;

use super::Review;
use crate::kinds::ForgeModule;
use crate::port::apis::Support;

/// One thing to do by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TodoItem {
    /// The kind of item, stable across versions (`unsupported-call`, `backend-call`, ...).
    pub id: &'static str,
    /// What to do, in one sentence (paths from where the tool ran).
    pub text: String,
    /// The place it concerns (`public/js/x.js:12:5`, from where the tool ran), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The Atlassian page that explains the Forge side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<&'static str>,
}

/// The to-do items of one module (its key) and of the app around it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Todo {
    /// What the app needs before anything else (`forge register`, variables).
    pub before: Vec<TodoItem>,
    /// Per module with a page, in module order: its key and items.
    pub modules: Vec<(String, Vec<TodoItem>)>,
    /// What the app needs last (build, test, deploy).
    pub after: Vec<TodoItem>,
    /// How many AP calls of the carried pages are `supported`, `differs`, `unsupported`.
    pub calls: [usize; 3],
}

/// Links to the Forge side of each kind of item.
mod link {
    pub const REGISTER: &str =
        "https://developer.atlassian.com/platform/forge/cli-reference/register/";
    pub const VARIABLES: &str =
        "https://developer.atlassian.com/platform/forge/cli-reference/variables/";
    pub const BRIDGE: &str =
        "https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/";
    pub const INVOKE_REMOTE: &str =
        "https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/invokeRemote/";
    pub const CONNECT_REMOTE: &str =
        "https://developer.atlassian.com/platform/adopting-forge-from-connect/using-connect-from-forge-remote/";
    pub const EVENTS: &str =
        "https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/events/";
    pub const SCOPES: &str =
        "https://developer.atlassian.com/platform/forge/manifest-reference/permissions/";
    pub const DEPLOY: &str = "https://developer.atlassian.com/platform/forge/cli-reference/deploy/";
    pub const TUNNEL: &str = "https://developer.atlassian.com/platform/forge/cli-reference/tunnel/";
}

impl Todo {
    /// Every item, in order.
    pub fn items(&self) -> impl Iterator<Item = &TodoItem> {
        self.before
            .iter()
            .chain(self.modules.iter().flat_map(|(_, items)| items))
            .chain(&self.after)
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.items().count()
    }

    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The to-do list of a review.
pub fn todo(review: &Review) -> Todo {
    let app = &review.app;
    let out = review.plan.out_dir.display().to_string();
    let mut t = Todo::default();
    if app.app_id_is_placeholder {
        t.before.push(TodoItem {
            id: "forge-register",
            text: format!("run `forge register` in {out} to replace the placeholder app.id"),
            place: None,
            link: Some(link::REGISTER),
        });
    }
    for v in &app.variables {
        let default = v
            .default
            .as_ref()
            .map(|d| format!(" (optional: it defaults to {d:?})"))
            .unwrap_or_default();
        t.before.push(TodoItem {
            id: "set-variable",
            text: format!(
                "set {} for `forge deploy` (`forge variables set {} VALUE`): it was the placeholder {}{default}",
                v.name, v.name, v.placeholder
            ),
            place: None,
            link: Some(link::VARIABLES),
        });
    }
    // A warning several pages share (a layout or script they all load) is listed once, with
    // the first of them.
    let mut seen: Vec<(Option<String>, String)> = Vec::new();
    for m in &app.modules {
        for page in m.pages() {
            let mut items = page_items(review, m, page.key);
            items.retain(|i| {
                let id = (i.place.clone(), i.text.clone());
                let shared = i.id == "port-warning" || i.id == "backend-fit";
                if shared && seen.contains(&id) {
                    return false;
                }
                seen.push(id);
                true
            });
            if !items.is_empty() {
                t.modules.push((page.key.to_string(), items));
            }
        }
    }
    for p in &review.ports {
        for c in &p.analysis.calls {
            t.calls[match c.support {
                Support::Supported => 0,
                Support::Differs => 1,
                Support::Unsupported => 2,
            }] += 1;
        }
    }
    // One build per resource: a page folded into another module is built with that module's.
    let own = app.modules.iter().filter(|m| m.subpage_of().is_none());
    for page in own.flat_map(ForgeModule::pages) {
        let dir = review.plan.out_dir.join(&page.resource.scaffold_dir);
        t.after.push(TodoItem {
            id: "build-resource",
            text: format!(
                "build {}: `cd {} && npm install && npm run build`",
                page.key,
                dir.display()
            ),
            place: None,
            link: Some(link::BRIDGE),
        });
    }
    if review.ports.iter().any(|p| p.carried.is_some()) {
        t.after.push(TodoItem {
            id: "test-on-forge",
            text: format!("deploy to a development site and try each carried page with `forge tunnel` in {out}: the browser console names every AP call that differs or has no Forge equivalent"),
            place: None,
            link: Some(link::TUNNEL),
        });
    }
    // Every route the Forge app now calls on the backend (triggers, lifecycle), with the modules
    // calling it (grouped once: an app may have thousands of webhooks, each on its own route).
    let mut callers_of: std::collections::HashMap<&str, Vec<&str>> =
        std::collections::HashMap::new();
    for m in &app.modules {
        if let Some(endpoint) = m.entry.get("endpoint").and_then(serde_json::Value::as_str) {
            callers_of.entry(endpoint).or_default().push(m.key.as_str());
        }
    }
    for e in app
        .modules
        .iter()
        .filter(|m| m.forge_type == crate::kinds::webhook::remote::ENDPOINT)
    {
        let route = e
            .details
            .get(crate::kinds::webhook::remote::ROUTE_DETAIL)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        let callers: Vec<&str> = callers_of
            .get(e.key.as_str())
            .map_or(&[][..], Vec::as_slice)
            .to_vec();
        let ace = review
            .source_root
            .as_deref()
            .is_some_and(crate::port::tree::is_ace_app);
        let how = if ace {
            "addon.authenticateForge() and addon.associateConnect() in place of addon.authenticate() (atlassian-connect-express 11.5+)"
        } else {
            "verify it against Forge's JWKS, iss forge/invocation-token, aud the app.id"
        };
        t.after.push(TodoItem {
            id: "backend-route",
            text: format!(
                "backend route {route} (called by {}) must accept a Forge Invocation Token instead of a Connect JWT: {how}; see {}",
                callers.join(", "),
                review.plan.out_dir.join("docs/forge-backend.md").display()
            ),
            place: None,
            link: Some(link::CONNECT_REMOTE),
        });
    }
    if !app.modules.is_empty() {
        t.after.push(TodoItem {
            id: "forge-deploy",
            text: format!("`forge deploy` in {out}, then `forge install --upgrade` on the sites that have the Connect app"),
            place: None,
            link: Some(link::DEPLOY),
        });
    }
    t
}

/// What one page needs by hand.
fn page_items(review: &Review, m: &ForgeModule, key: &str) -> Vec<TodoItem> {
    let mut items = Vec::new();
    let Some(p) = review.ports.iter().find(|p| p.key == key) else {
        return items;
    };
    let at = |file: &str, line: u32, column: u32| review.place(file, line, column);
    if p.carried.is_none() && !review.retained(key) {
        items.push(TodoItem {
            id: "port-page",
            text: format!(
                "no page was carried for {key}: port its old page into {}/src/main.js by hand, or run again with --page {key}=FILE naming it",
                m.pages()
                    .iter()
                    .find(|x| x.key == key)
                    .map_or(String::new(), |x| review
                        .plan
                        .out_dir
                        .join(x.dir())
                        .display()
                        .to_string())
            ),
            place: None,
            link: Some(link::BRIDGE),
        });
    }
    for c in p
        .analysis
        .calls
        .iter()
        .filter(|c| c.support != Support::Supported)
    {
        let (id, level) = match c.support {
            Support::Unsupported => ("unsupported-call", "has no Forge equivalent"),
            _ => ("differs-call", "works differently on Forge"),
        };
        let note = if c.note.is_empty() {
            String::new()
        } else {
            format!(": {}", c.note)
        };
        items.push(TodoItem {
            id,
            text: format!("AP.{} {level}{note}", c.api),
            place: Some(at(&c.file, c.line, c.column)),
            link: Some(link::BRIDGE),
        });
    }
    for e in &p.analysis.endpoints {
        let call = [e.method.as_deref(), e.path.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let call = if call.is_empty() {
            "a call to the app's backend".to_string()
        } else {
            call
        };
        items.push(TodoItem {
            id: "backend-call",
            text: format!("{call} ({}) sent a Connect JWT: call it with invokeRemote (or requestRemote) to the Connect remote, and make that route accept Forge Invocation Tokens", e.via),
            place: Some(at(&e.place.file, e.place.line, e.place.column)),
            link: Some(link::INVOKE_REMOTE),
        });
    }
    for l in &p.connect_listeners {
        items.push(TodoItem {
            id: "connect-event",
            text: format!("event {} no longer reaches the Connect module {}, which listens to it: move that module to Forge too, or share the data another way", l.event, l.module),
            place: Some(at(&l.place.file, l.place.line, l.place.column)),
            link: Some(link::EVENTS),
        });
    }
    for s in p.analysis.scopes.iter().filter(|s| !s.covered_by_connect) {
        items.push(TodoItem {
            id: "admin-approval",
            text: format!("scope {} is new to the app (its REST calls need it): admins must approve the update", s.scope),
            place: s.needed_by.first().map(|w| at(&w.file, w.line, w.column)),
            link: Some(link::SCOPES),
        });
    }
    for w in &p.warnings {
        if p.connect_listeners
            .iter()
            .any(|l| w.message.contains(&l.event))
        {
            continue; // said above, as an event item
        }
        let place = w
            .position
            .map(|pos| format!("{}:{}:{}", w.file, pos.line, pos.column));
        items.push(TodoItem {
            id: "port-warning",
            text: w.message.clone(),
            place: place.or_else(|| Some(w.file.clone())),
            link: None,
        });
    }
    if items.iter().any(|i| i.id == "backend-call") {
        items.push(TodoItem {
            id: "backend-fit",
            text: "the backend routes these pages call must accept Forge Invocation Tokens (atlassian-connect-express 11.5+: addon.authenticateForge())".into(),
            place: None,
            link: Some(link::CONNECT_REMOTE),
        });
    }
    items
}
