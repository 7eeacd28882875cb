//! Forge Remote endpoints: how a Connect callback URL (a webhook's `url`, a lifecycle path)
//! becomes a route on the app's remote, and the one `endpoint` module per route that every
//! trigger naming it shares.
//!
//! A kind that calls the backend puts the route in its module's `details.remote_route`;
//! [`attach_endpoints`] then gives the app one `endpoint` module per distinct route (its key made
//! from the path, unique in the app) and writes that key into each module's `endpoint`.

use serde_json::{json, Map, Value};

use crate::kinds::ForgeModule;
use crate::mapping::CONNECT_REMOTE;

/// The Forge module type of a remote endpoint.
pub const ENDPOINT: &str = "endpoint";

/// The detail naming a module's route on the remote.
pub const ROUTE_DETAIL: &str = "remote_route";

/// Why a callback URL has no route on the app's remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteProblem {
    /// An absolute URL on another host than the app's baseUrl.
    OtherHost,
    /// Empty, or not a path.
    NotAPath,
}

/// A route on the app's remote and whether Connect variables (`{issue.key}`, `${issue.id}`) were
/// cut from its query (Forge sends the event in the body instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `/webhook/issue-created`.
    pub path: String,
    /// Whether a query with variables was dropped.
    pub dropped_variables: bool,
}

/// The route a Connect callback `url` becomes: a path relative to the baseUrl as it is; an
/// absolute URL under `base_url` as its path below it.
pub fn route(url: &str, base_url: &str) -> Result<Route, RouteProblem> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let absolute = lower.starts_with("http://") || lower.starts_with("https://");
    let path = if absolute {
        let base = base_url.trim_end_matches('/');
        match url.strip_prefix(base) {
            Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with(['/', '?'])) => {
                rest.to_string()
            }
            _ => return Err(RouteProblem::OtherHost),
        }
    } else if url.starts_with("//") || url.is_empty() || url.chars().any(char::is_control) {
        return Err(if url.starts_with("//") {
            RouteProblem::OtherHost
        } else {
            RouteProblem::NotAPath
        });
    } else {
        url.to_string()
    };
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    let (bare, query) = match path.split_once('?') {
        Some((b, q)) => (b.to_string(), Some(q)),
        None => (path.clone(), None),
    };
    let variables = query.is_some_and(has_connect_variable);
    Ok(Route {
        path: if variables { bare } else { path },
        dropped_variables: variables,
    })
}

/// Whether `s` has a Connect context variable (`{issue.key}`, `${issue.id}`: dotted or lower
/// case), as opposed to a Forge variable the descriptor's placeholders became (`${BASE_PATH}`).
fn has_connect_variable(s: &str) -> bool {
    s.split('{').skip(1).any(|rest| {
        let name = rest.split('}').next().unwrap_or("");
        name.is_empty() || name.contains('.') || name.chars().any(|c| c.is_ascii_lowercase())
    })
}

/// The endpoint key a route gets: `remote-` and the path's letters and digits.
fn key_base(route: &str) -> String {
    let mut s: String = route
        .split('?')
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s: String = s.trim_matches('-').chars().take(60).collect();
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        "remote-root".into()
    } else {
        format!("remote-{s}")
    }
}

/// Gives every module with a [`ROUTE_DETAIL`] its endpoint: one `endpoint` module per distinct
/// route (on the Connect remote, with the app's system token when `app_token`), appended after the
/// modules, keys unique among all module keys; each module's `endpoint` names it.
pub fn attach_endpoints(modules: &mut Vec<ForgeModule>, app_token: bool) {
    let mut taken: std::collections::HashSet<String> =
        modules.iter().map(|m| m.key.clone()).collect();
    let mut routes: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut added: Vec<ForgeModule> = Vec::new();
    for m in modules.iter_mut() {
        let Some(route) = m
            .details
            .get(ROUTE_DETAIL)
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            continue;
        };
        let key = match routes.get(&route) {
            Some(k) => k.clone(),
            None => {
                let base = key_base(&route);
                let mut key = base.clone();
                let mut n = 2;
                while !taken.insert(key.clone()) {
                    key = format!("{base}-{n}");
                    n += 1;
                }
                routes.insert(route.clone(), key.clone());
                added.push(endpoint_module(&key, &route, app_token, m));
                key
            }
        };
        m.entry.insert("endpoint".into(), Value::String(key));
    }
    modules.extend(added);
}

fn endpoint_module(key: &str, route: &str, app_token: bool, first: &ForgeModule) -> ForgeModule {
    let mut entry = Map::new();
    entry.insert("remote".into(), json!(CONNECT_REMOTE));
    entry.insert("route".into(), json!({"path": route}));
    if app_token {
        entry.insert("auth".into(), json!({"appSystemToken": {"enabled": true}}));
    }
    let mut details = Map::new();
    details.insert(ROUTE_DETAIL.into(), json!(route));
    ForgeModule {
        kind: super::ID,
        connect_type: first.connect_type,
        forge_type: ENDPOINT,
        key: key.to_string(),
        entry,
        page_url: None,
        resource: None,
        extra_pages: Vec::new(),
        details,
        path: first.path.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_paths_on_the_app_remote() {
        let b = "https://app.example.com/base";
        let r = |u| route(u, b);
        assert_eq!(r("/hook").map(|r| r.path), Ok("/hook".into()));
        assert_eq!(r("hook").map(|r| r.path), Ok("/hook".into()));
        assert_eq!(
            r("https://app.example.com/base/hook?x=1").map(|r| r.path),
            Ok("/hook?x=1".into())
        );
        assert_eq!(
            r("https://other.example.com/hook"),
            Err(RouteProblem::OtherHost)
        );
        assert_eq!(
            r("https://app.example.com/basement"),
            Err(RouteProblem::OtherHost)
        );
        assert_eq!(r("//cdn.example.com/x"), Err(RouteProblem::OtherHost));
        assert_eq!(r("/i?v=${V}").map(|r| r.path), Ok("/i?v=${V}".into()));
        let v = r("/issue?key={issue.key}").unwrap();
        assert_eq!((v.path.as_str(), v.dropped_variables), ("/issue", true));
    }

    #[test]
    fn key_bases_are_module_keys() {
        assert_eq!(
            key_base("/webhook/issue-created"),
            "remote-webhook-issue-created"
        );
        assert_eq!(key_base("/"), "remote-root");
        assert!(crate::kinds::is_module_key(&key_base(&"/a".repeat(200))));
    }
}
