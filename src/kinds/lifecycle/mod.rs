//! The Connect `lifecycle` object (a top-level descriptor field, not a module list): its
//! `installed` callback becomes a `trigger` on `avi:forge:installed:app` and its `uninstalled`
//! callback a `preUninstall` module, both with an endpoint on the app's remote at the old path
//! ([`super::webhook::remote`]); `enabled` and `disabled` have no Forge event and are said so at
//! their place.
//!
//! The mapping calls [`migrate`] only when no Connect module remains: while one does, the Connect
//! backend still needs `installed` for the shared secret that signs its JWTs, so the lifecycle
//! stays a `connectModules` entry. The kind is in the registry for the modules it writes (their
//! labels and Forge properties); no Connect module type is routed to it.

use serde_json::{json, Map, Value};

use super::webhook::remote;
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path::{self as json, kind, shown};
use crate::product::Product;

/// The kind's id.
pub const ID: &str = "lifecycle";
/// The Forge module an `uninstalled` callback becomes.
pub const PRE_UNINSTALL: &str = "preUninstall";
/// The Forge event an `installed` callback receives.
pub const INSTALLED_EVENT: &str = "avi:forge:installed:app";
/// The Forge event of a major version upgrade, offered in the backend's to-do list.
pub const UPGRADED_EVENT: &str = "avi:forge:upgraded:app";
/// The Connect type name its modules carry (`connect_type`).
const CONNECT_TYPE: &str = "lifecycle";

/// The lifecycle kind.
pub struct Lifecycle;

impl Kind for Lifecycle {
    fn id(&self) -> &'static str {
        ID
    }

    fn plural(&self) -> &'static str {
        "lifecycle callbacks"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &[]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira, Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[super::webhook::TRIGGER, PRE_UNINSTALL]
    }

    fn entry_shape(&self) -> &'static str {
        "lifecycle is a mapping (installed, uninstalled, enabled, disabled)"
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

    fn forge_properties(&self, forge_type: &str) -> &'static [&'static str] {
        match forge_type {
            PRE_UNINSTALL => &["key", "function", "endpoint"],
            _ => super::webhook::Webhooks.forge_properties(forge_type),
        }
    }

    fn label(&self, module: &ForgeModule) -> String {
        let callback = module.details.get("callback").and_then(Value::as_str);
        let route = module
            .details
            .get(remote::ROUTE_DETAIL)
            .and_then(Value::as_str);
        format!("{} {}", callback.unwrap_or(""), route.unwrap_or(""))
    }
}

/// The Forge modules of a descriptor's `lifecycle` (at `$.lifecycle`): `None`, with a warning,
/// when a callback cannot be carried (it then stays on Connect whole).
pub fn migrate(
    lifecycle: &Map<String, Value>,
    base_url: &str,
    f: &mut Findings,
) -> Option<Vec<ForgeModule>> {
    let mut out = Vec::new();
    let mut ok = true;
    for (field, value) in lifecycle {
        let path = json::child("$.lifecycle", field);
        let (forge_type, key) = match field.as_str() {
            "installed" => (super::webhook::TRIGGER, "lifecycle-installed"),
            "uninstalled" => (PRE_UNINSTALL, "lifecycle-uninstalled"),
            "enabled" | "disabled" => {
                f.warn(&path, None, format!("lifecycle \"{field}\" has no Forge event (a Forge app is installed or not): not carried, so the backend route is no longer called; keep its state in the installed and uninstall callbacks"));
                continue;
            }
            // The mapping drops `key` and `unlicensedAccess` with their own warnings.
            "key" | "unlicensedAccess" => continue,
            other => {
                f.warn(&path, None, format!("lifecycle property \"{other}\" is not a Connect lifecycle callback and is not carried"));
                continue;
            }
        };
        let Value::String(url) = value else {
            f.warn(&path, None, format!("lifecycle \"{field}\" must be a URL string, not {}; the lifecycle stays on Connect", kind(value)));
            ok = false;
            continue;
        };
        let route = match remote::route(url, base_url) {
            Ok(r) => r,
            Err(_) => {
                f.warn(&path, None, format!("lifecycle \"{field}\" url \"{}\" is not a path on the app's baseUrl (absolute to another host?): a Forge endpoint calls the app's remote only; the lifecycle stays on Connect", shown(url)));
                ok = false;
                continue;
            }
        };
        let mut entry = Map::new();
        if forge_type == super::webhook::TRIGGER {
            entry.insert("events".into(), json!([INSTALLED_EVENT]));
        }
        let mut details = Map::new();
        details.insert("callback".into(), json!(field));
        details.insert(remote::ROUTE_DETAIL.into(), json!(route.path));
        details.insert("connect_url".into(), json!(url));
        out.push(ForgeModule {
            kind: ID,
            connect_type: CONNECT_TYPE,
            forge_type,
            key: key.to_string(),
            entry,
            page_url: None,
            resource: None,
            extra_pages: Vec::new(),
            details,
            path: path.clone(),
        });
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(v: Value) -> (Option<Vec<ForgeModule>>, Findings) {
        let mut f = Findings::default();
        let Value::Object(o) = v else { panic!() };
        (migrate(&o, "https://app.example.com", &mut f), f)
    }

    #[test]
    fn installed_and_uninstalled_become_forge_lifecycle_modules() {
        let (m, f) = run(
            json!({"installed": "/installed", "uninstalled": "/uninstalled", "enabled": "/enabled"}),
        );
        let m = m.expect("migrated");
        let shape: Vec<_> = m
            .iter()
            .map(|m| (m.forge_type, m.key.as_str(), m.manifest_entry()))
            .collect();
        assert_eq!(
            shape,
            [
                (
                    "trigger",
                    "lifecycle-installed",
                    json!({"key": "lifecycle-installed", "events": ["avi:forge:installed:app"]})
                ),
                (
                    "preUninstall",
                    "lifecycle-uninstalled",
                    json!({"key": "lifecycle-uninstalled"})
                )
            ]
        );
        assert_eq!(f.0.len(), 1);
        assert_eq!(f.0[0].path, "$.lifecycle.enabled");
    }

    #[test]
    fn a_callback_on_another_host_keeps_the_lifecycle_on_connect() {
        let (m, f) = run(json!({"installed": "https://other.example.com/i"}));
        assert!(m.is_none());
        assert_eq!(f.0[0].path, "$.lifecycle.installed");
    }
}
