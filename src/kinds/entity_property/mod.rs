//! Jira entity properties (`jiraEntityProperties`): which values of an issue's (project's,
//! user's) property Jira indexes for JQL. Forge's `jira:entityProperty` indexes one property per
//! module: an entry with one `keyConfigurations` item becomes one, its `extractions`
//! (`objectName`, `type`, `alias`) its `values` (`path`, `type`, `searchAlias`). The properties
//! are stored on the entities, not in the app, so nothing already indexed is lost. An entry
//! indexing several properties stays on Connect (Forge would need one module per property, each
//! with a key of its own).

use serde_json::{json, Map, Value};

use super::{is_module_key, AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path as json;
use crate::product::Product;

/// The Jira entity property module.
pub const ENTITY_PROPERTY: &str = "jira:entityProperty";

/// Forge's extraction types.
const TYPES: &[&str] = &["number", "string", "text", "user", "date"];

/// The entity-property kind.
pub struct EntityProperties;

impl Kind for EntityProperties {
    fn id(&self) -> &'static str {
        "entity-property"
    }

    fn plural(&self) -> &'static str {
        "entity properties"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["jiraEntityProperties"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[ENTITY_PROPERTY]
    }

    fn entry_shape(&self) -> &'static str {
        "an entity property is a mapping (key, name, keyConfigurations)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        _app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let key = entry.get("key").and_then(Value::as_str)?;
        if !is_module_key(key) {
            return None;
        }
        let stays = |f: &mut Findings, at: &str, why: String| {
            f.warn(
                at,
                Some(key),
                format!("entity property {why}: it stays on Connect"),
            );
        };
        let configs = entry
            .get("keyConfigurations")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let kc_path = json::child(path, "keyConfigurations");
        let [config] = configs else {
            stays(
                f,
                &kc_path,
                format!(
                    "indexes {} properties, and a Forge jira:entityProperty indexes one",
                    configs.len()
                ),
            );
            return None;
        };
        let kc_path = json::index(&kc_path, 0);
        let Some(property) = config
            .get("propertyKey")
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty() && p.len() <= 255)
        else {
            stays(f, &kc_path, "has no propertyKey Forge can take".into());
            return None;
        };
        let mut values = Vec::new();
        let extractions = config
            .get("extractions")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (i, x) in extractions.iter().enumerate() {
            let at = json::index(&json::child(&kc_path, "extractions"), i);
            let path_ = x.get("objectName").and_then(Value::as_str);
            let ty = x
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase)
                .filter(|t| TYPES.contains(&t.as_str()));
            let (Some(p), Some(t)) = (path_, ty) else {
                stays(
                    f,
                    &at,
                    format!(
                        "extraction has no objectName or a type other than {}",
                        TYPES.join(", ")
                    ),
                );
                return None;
            };
            let mut v = Map::new();
            v.insert("path".into(), json!(p));
            v.insert("type".into(), json!(t));
            if let Some(a) = x.get("alias").and_then(Value::as_str) {
                v.insert("searchAlias".into(), json!(a));
            }
            values.push(Value::Object(v));
        }
        let mut e = Map::new();
        e.insert("propertyKey".into(), json!(property));
        let entity = entry
            .get("entityType")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        match entity.as_deref() {
            None | Some("issue") => {}
            Some(t @ ("project" | "user")) => {
                e.insert("entityType".into(), json!(t));
            }
            Some(other) => {
                stays(f, &json::child(path, "entityType"), format!("is of entity type \"{other}\", which Forge does not index (issue, project, user)"));
                return None;
            }
        }
        e.insert("values".into(), Value::Array(values));
        let mut details = Map::new();
        details.insert("property".into(), json!(property));
        Some(ForgeModule {
            kind: self.id(),
            connect_type,
            forge_type: ENTITY_PROPERTY,
            key: key.to_string(),
            entry: e,
            page_url: None,
            resource: None,
            extra_pages: Vec::new(),
            details,
            path: path.to_string(),
        })
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &["key", "propertyKey", "entityType", "values"]
    }

    fn label(&self, module: &ForgeModule) -> String {
        let p = module.detail("property").unwrap_or("");
        format!("entity property {p}, indexed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> (Option<ForgeModule>, Findings) {
        crate::kinds::check_bare(
            &EntityProperties,
            "jiraEntityProperties",
            "$.e[0]",
            Product::Jira,
            "",
            &v,
        )
    }

    #[test]
    fn one_indexed_property_becomes_a_forge_entity_property() {
        let (m, f) = check(
            json!({"key": "idx", "name": {"value": "I"}, "entityType": "issue",
            "keyConfigurations": [{"propertyKey": "stats", "extractions": [
                {"objectName": "count", "type": "NUMBER", "alias": "statsCount"},
                {"objectName": "owner", "type": "user"}]}]}),
        );
        assert!(f.0.is_empty(), "{:?}", f.0);
        assert_eq!(
            m.unwrap().manifest_entry(),
            json!({"key": "idx", "propertyKey": "stats", "values": [
                {"path": "count", "type": "number", "searchAlias": "statsCount"},
                {"path": "owner", "type": "user"}]})
        );
    }

    #[test]
    fn several_properties_stay_on_connect() {
        let kc = json!({"propertyKey": "a", "extractions": []});
        let (m, f) =
            check(json!({"key": "idx", "name": {"value": "I"}, "keyConfigurations": [kc, kc]}));
        assert!(m.is_none());
        assert_eq!(f.0[0].path, "$.e[0].keyConfigurations");
        assert!(f.0[0].message.contains("stays on Connect"));
    }
}
