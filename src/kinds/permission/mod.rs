//! Jira project and global permissions (`jiraProjectPermissions`, `jiraGlobalPermissions`):
//! `jira:projectPermission` and `jira:globalPermission` with `migratedFromConnect: true`, which
//! keeps the Connect permission's key, so the grants admins already made still apply.
//! `name` and `description` become strings, a project permission's `category` is carried where
//! Forge has it, a global permission's `anonymousAllowed` (Forge requires it; Connect's default
//! is false) and `defaultGrants`.

use serde_json::{json, Map, Value};

use super::{is_module_key, AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// A Jira project permission.
pub const PROJECT_PERMISSION: &str = "jira:projectPermission";
/// A Jira global permission.
pub const GLOBAL_PERMISSION: &str = "jira:globalPermission";

/// Forge's project permission categories.
const CATEGORIES: &[&str] = &[
    "attachments",
    "comments",
    "issues",
    "other",
    "projects",
    "time_tracking",
    "voters_and_watchers",
];

/// Forge's default grants of a global permission.
const GRANTS: &[&str] = &["none", "all", "jira-administrators"];

/// The permission kind.
pub struct Permissions;

/// `name.value` / `description.value` (or a plain string), at most 255 characters.
fn text(v: Option<&Value>) -> Option<String> {
    let v = v?;
    v.get("value")
        .unwrap_or(v)
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.chars().take(255).collect())
}

impl Kind for Permissions {
    fn id(&self) -> &'static str {
        "permission"
    }

    fn plural(&self) -> &'static str {
        "permissions"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["jiraProjectPermissions", "jiraGlobalPermissions"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[PROJECT_PERMISSION, GLOBAL_PERMISSION]
    }

    fn entry_shape(&self) -> &'static str {
        "a permission is a mapping (key, name, description)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        _app: &AppFacts,
        _f: &mut Findings,
    ) -> Option<ForgeModule> {
        let key = entry.get("key").and_then(Value::as_str)?;
        if !is_module_key(key) {
            return None;
        }
        // The descriptor reader reports a missing name or description (Connect requires both).
        let name = text(entry.get("name"))?;
        let description = text(entry.get("description")).unwrap_or_else(|| name.clone());
        let mut e = Map::new();
        e.insert("name".into(), json!(name));
        e.insert("description".into(), json!(description));
        let forge_type = match connect_type {
            "jiraGlobalPermissions" => {
                let anonymous = entry
                    .get("anonymousAllowed")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                e.insert("anonymousAllowed".into(), json!(anonymous));
                let grants: Vec<String> = entry
                    .get("defaultGrants")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_ascii_lowercase)
                    .filter(|g| GRANTS.contains(&g.as_str()))
                    .collect();
                if !grants.is_empty() {
                    e.insert("defaultGrants".into(), json!(grants));
                }
                GLOBAL_PERMISSION
            }
            _ => {
                if let Some(c) = entry
                    .get("category")
                    .and_then(Value::as_str)
                    .map(str::to_ascii_lowercase)
                    .filter(|c| CATEGORIES.contains(&c.as_str()))
                {
                    e.insert("category".into(), json!(c));
                }
                PROJECT_PERMISSION
            }
        };
        e.insert("migratedFromConnect".into(), json!(true));
        let mut details = Map::new();
        details.insert("title".into(), json!(name));
        Some(ForgeModule {
            kind: self.id(),
            connect_type,
            forge_type,
            key: key.to_string(),
            entry: e,
            page_url: None,
            resource: None,
            extra_pages: Vec::new(),
            details,
            path: path.to_string(),
        })
    }

    fn forge_properties(&self, forge_type: &str) -> &'static [&'static str] {
        match forge_type {
            GLOBAL_PERMISSION => &[
                "key",
                "name",
                "description",
                "anonymousAllowed",
                "defaultGrants",
                "migratedFromConnect",
            ],
            _ => &[
                "key",
                "name",
                "description",
                "category",
                "migratedFromConnect",
            ],
        }
    }

    fn label(&self, module: &ForgeModule) -> String {
        match module.forge_type {
            GLOBAL_PERMISSION => "global permission".into(),
            _ => "project permission".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_keep_their_connect_key() {
        let app = AppFacts {
            product: Product::Jira,
            base_url: "",
            modules: None,
            page_urls: None,
        };
        let mut f = Findings::default();
        let v = json!({"key": "approve", "name": {"value": "Approve"},
            "description": {"value": "Can approve"}, "category": "ISSUES"});
        let m = Permissions
            .check("jiraProjectPermissions", "$.p[0]", &v, &app, &mut f)
            .unwrap();
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "approve", "name": "Approve", "description": "Can approve",
                "category": "issues", "migratedFromConnect": true})
        );
        let v = json!({"key": "g", "name": {"value": "G"}, "description": {"value": "D"},
            "defaultGrants": ["jira-administrators"]});
        let m = Permissions
            .check("jiraGlobalPermissions", "$.p[0]", &v, &app, &mut f)
            .unwrap();
        assert_eq!(m.forge_type, GLOBAL_PERMISSION);
        assert_eq!(m.entry.get("anonymousAllowed"), Some(&json!(false)));
        assert_eq!(
            m.entry.get("defaultGrants"),
            Some(&json!(["jira-administrators"]))
        );
    }
}
