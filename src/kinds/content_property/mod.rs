//! Content property indexing (`confluenceContentProperties`): `confluence:contentProperty`, which
//! makes values of a content property searchable with CQL. Connect lists several property keys
//! per module (`keyConfigurations`), Forge one (`propertyKey`) per module: a Connect module with
//! one key configuration becomes one Forge module with the same key; one with several stays on
//! Connect, with a warning (Forge would need one module per property key, under new keys).
//! Each extraction becomes a value: `objectName` → `path`, `type`, `alias` → `searchAlias`,
//! `uiSupport` with `name` and `tooltip` as plain text. No page, so no resource.

use serde_json::{json, Map, Value};

use super::{is_module_key, AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path as json;
use crate::product::Product;

/// The Forge content property module type.
pub const CONTENT_PROPERTY: &str = "confluence:contentProperty";

/// The content-property kind.
pub struct ContentProperties;

/// A Connect `{value, i18n}` text as Forge's plain string, when it has a value.
fn text(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(json!(s)),
        o => o
            .get("value")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(|s| json!(s)),
    }
}

/// One Connect extraction as a Forge value, or why it cannot be one.
fn value(x: &Value) -> Result<Value, String> {
    let path = x
        .get("objectName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or("an extraction has no objectName")?;
    let kind = x.get("type").and_then(Value::as_str).unwrap_or("");
    if !["number", "string", "text", "user", "date"].contains(&kind) {
        return Err(format!(
            "extraction type \"{kind}\" is not one Forge indexes (number, string, text, user, date)"
        ));
    }
    let mut v = Map::new();
    v.insert("path".into(), json!(path));
    v.insert("type".into(), json!(kind));
    if let Some(a) = x.get("alias").and_then(Value::as_str) {
        let ok = !a.is_empty()
            && a.len() <= 255
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !ok {
            return Err(format!(
                "alias \"{a}\" is not a Forge searchAlias (letters, digits, '.', '_', '-')"
            ));
        }
        v.insert("searchAlias".into(), json!(a));
    }
    if let Some(ui) = x.get("uiSupport").and_then(Value::as_object) {
        let mut u = Map::new();
        if let Some(op) = ui.get("defaultOperator").and_then(Value::as_str) {
            u.insert("defaultOperator".into(), json!(op));
        }
        let value_type = ui.get("valueType").and_then(Value::as_str).unwrap_or("");
        let types = [
            "space",
            "label",
            "user",
            "contentId",
            "contentType",
            "date",
            "string",
            "number",
        ];
        let name = text(ui.get("name"));
        match (types.contains(&value_type), name) {
            (true, Some(name)) => {
                u.insert("valueType".into(), json!(value_type));
                u.insert("name".into(), name);
            }
            _ => {
                return Err(
                    "its uiSupport needs a name and a valueType Forge knows (space, label, user, contentId, contentType, date, string, number)".into(),
                )
            }
        }
        if let Some(t) = text(ui.get("tooltip")) {
            u.insert("tooltip".into(), t);
        }
        v.insert("uiSupport".into(), Value::Object(u));
    }
    Ok(Value::Object(v))
}

impl Kind for ContentProperties {
    fn id(&self) -> &'static str {
        "content-property"
    }

    fn plural(&self) -> &'static str {
        "content property indexes"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["confluenceContentProperties"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[CONTENT_PROPERTY]
    }

    fn entry_shape(&self) -> &'static str {
        "a content property index is a mapping (key, name, keyConfigurations)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        _app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let o = entry.as_object()?;
        let key = o
            .get("key")
            .and_then(Value::as_str)
            .filter(|k| is_module_key(k))?;
        let configs_path = json::child(path, "keyConfigurations");
        let configs = o
            .get("keyConfigurations")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let [config] = configs else {
            f.warn(
                &configs_path,
                Some(key),
                format!("{} key configurations: Forge's confluence:contentProperty indexes one property key per module, so this module stays on Connect (split it into one module per property key to move it)", configs.len()),
            );
            return None;
        };
        let config_path = json::index(&configs_path, 0);
        let property_key = config
            .get("propertyKey")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty() && k.len() <= 100);
        let Some(property_key) = property_key else {
            f.warn(
                &json::child(&config_path, "propertyKey"),
                Some(key),
                "the key configuration has no propertyKey of 1 to 100 characters: the module stays on Connect",
            );
            return None;
        };
        let mut values = Vec::new();
        let extractions = config
            .get("extractions")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (i, x) in extractions.iter().enumerate() {
            match value(x) {
                Ok(v) => values.push(v),
                Err(why) => {
                    let at = json::index(&json::child(&config_path, "extractions"), i);
                    f.warn(
                        &at,
                        Some(key),
                        format!("{why}: the module stays on Connect"),
                    );
                    return None;
                }
            }
        }
        let mut e = Map::new();
        e.insert("propertyKey".into(), json!(property_key));
        e.insert("values".into(), Value::Array(values));
        let mut details = Map::new();
        details.insert("property_key".into(), json!(property_key));
        Some(ForgeModule {
            kind: self.id(),
            connect_type,
            forge_type: CONTENT_PROPERTY,
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
        &["key", "propertyKey", "values"]
    }

    fn label(&self, module: &ForgeModule) -> String {
        let k = module.detail("property_key").unwrap_or("");
        format!("content property index ({k})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> (Option<ForgeModule>, Findings) {
        crate::kinds::check_bare(
            &ContentProperties,
            "confluenceContentProperties",
            "$.c[0]",
            Product::Confluence,
            "",
            &v,
        )
    }

    #[test]
    fn one_key_configuration_becomes_one_indexed_property() {
        let (m, f) = check(json!({"key": "subject", "name": {"value": "Subject"},
            "keyConfigurations": [{"propertyKey": "subject-prop", "extractions": [
                {"objectName": "name.value", "type": "string", "alias": "subjectName",
                 "uiSupport": {"defaultOperator": "=", "name": {"value": "Subject", "i18n": "s.n"},
                               "tooltip": {"value": "The subject"}, "valueType": "string"}}]}]}));
        assert!(f.0.is_empty(), "{:?}", f.0);
        let m = m.expect("migrates");
        assert!(m.page_url.is_none());
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "subject", "propertyKey": "subject-prop", "values": [
                {"path": "name.value", "type": "string", "searchAlias": "subjectName",
                 "uiSupport": {"defaultOperator": "=", "valueType": "string", "name": "Subject",
                               "tooltip": "The subject"}}]})
        );
    }

    #[test]
    fn several_key_configurations_stay_on_connect() {
        let (m, f) = check(json!({"key": "k", "keyConfigurations": [
            {"propertyKey": "a", "extractions": []}, {"propertyKey": "b", "extractions": []}]}));
        assert!(m.is_none());
        assert!(f.0[0].message.contains("stays on Connect"), "{:?}", f.0);
        let (m, f) = check(
            json!({"key": "k", "keyConfigurations": [{"propertyKey": "a",
            "extractions": [{"objectName": "x", "type": "boolean"}]}]}),
        );
        assert!(m.is_none());
        assert!(f.0[0].message.contains("boolean"), "{:?}", f.0);
    }
}
