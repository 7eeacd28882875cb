//! Content byline items (`contentBylineItems`): `confluence:contentBylineItem`, the entry under a
//! page's title that opens the app's page. `name` → `title`, `tooltip`, `icon` and
//! `contentPropertyKey` (the item's title, tooltip and icon read from a content property) keep
//! their meaning; Connect's `target` decides the frame: an inline dialog becomes Forge's popup,
//! a dialog its modal (with the dialog's size when it gave one). An item whose `context` is
//! `product` linked to a product URL rather than an app page: it stays on Connect.

use serde_json::{json, Map, Value};

use super::page;
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path as json;
use crate::product::Product;

/// The Forge byline item module type.
pub const BYLINE_ITEM: &str = "confluence:contentBylineItem";

/// The byline-item kind.
pub struct BylineItems;

/// Forge's `viewportSize` for a Connect dialog's `options` (`size`, or `width` and `height`).
fn viewport(options: Option<&Map<String, Value>>) -> Option<Value> {
    let o = options?;
    if let Some(size) = o.get("size").and_then(Value::as_str) {
        let forge = match size {
            "small" | "medium" | "large" | "fullscreen" => size,
            "x-large" | "maximum" => "fullscreen",
            _ => return None,
        };
        return Some(json!(forge));
    }
    let dim = |k: &str| match o.get(k)? {
        Value::String(s) if !s.trim().is_empty() && s.len() <= 255 => Some(s.trim().to_string()),
        Value::Number(n) => Some(format!("{n}px")),
        _ => None,
    };
    let width = dim("width")?;
    let mut size = Map::new();
    size.insert("width".into(), json!(width));
    if let Some(h) = dim("height") {
        size.insert("height".into(), json!(h));
    }
    Some(Value::Object(size))
}

impl Kind for BylineItems {
    fn id(&self) -> &'static str {
        "byline-item"
    }

    fn plural(&self) -> &'static str {
        "byline items"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["contentBylineItems"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[BYLINE_ITEM]
    }

    fn entry_shape(&self) -> &'static str {
        "a byline item is a mapping (key, name, url)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let o = entry.as_object()?;
        if o.get("context").and_then(Value::as_str) == Some("product") {
            f.warn(
                &json::child(path, "context"),
                o.get("key").and_then(Value::as_str),
                "a byline item with context \"product\" opens a Confluence URL, not a page of this app: Forge has no module for that, so the byline item stays on Connect",
            );
            return None;
        }
        let p = page::read(self, path, entry, app.product, f)?;
        let mut e = Map::new();
        if let Some(t) = page::i18n_text(o.get("tooltip")) {
            e.insert(
                "tooltip".into(),
                json!(t.chars().take(255).collect::<String>()),
            );
        }
        if let Some(i) = p.forge_icon(app.base_url) {
            e.insert("icon".into(), json!(i));
        }
        if let Some(k) = o
            .get("contentPropertyKey")
            .and_then(Value::as_str)
            .filter(|k| !k.trim().is_empty())
        {
            e.insert("contentPropertyKey".into(), json!(k));
        }
        let target = o.get("target").and_then(Value::as_object);
        let target_type = target
            .and_then(|t| t.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("inlinedialog");
        let options = target
            .and_then(|t| t.get("options"))
            .and_then(Value::as_object);
        let container = match target_type.to_ascii_lowercase().as_str() {
            "dialog" | "dialogmodule" => "modal",
            "page" => {
                f.warn(
                    &json::child(path, "target"),
                    Some(&p.key),
                    "a byline item that opened its page as a whole page opens it in a modal on Forge (a byline item shows a popup or a modal)",
                );
                "modal"
            }
            _ => "popup",
        };
        e.insert("viewportContainer".into(), json!(container));
        if let Some(v) = viewport(options) {
            e.insert("viewportSize".into(), v);
        }
        let mut m = p.module(self, connect_type, BYLINE_ITEM, true, e);
        m.details.insert("opens".into(), json!(container));
        Some(m)
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[
            "key",
            "resource",
            "title",
            "tooltip",
            "icon",
            "description",
            "resolver",
            "dynamicProperties",
            "contentPropertyKey",
            "resolvedResourceEntry",
            "viewportSize",
            "viewportContainer",
            "displayConditions",
            "keyboardShortcut",
            "unlicensedAccess",
            "render",
            "renderRuntimeType",
        ]
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, module: &ForgeModule) -> String {
        let opens = module.detail("opens").unwrap_or("popup");
        format!("byline item, opens a {opens}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> (Option<ForgeModule>, Findings) {
        crate::kinds::check_bare(
            &BylineItems,
            "contentBylineItems",
            "$.b[0]",
            Product::Confluence,
            "https://app.example",
            &v,
        )
    }

    #[test]
    fn an_inline_dialog_item_becomes_a_popup_byline_item() {
        let (m, f) = check(json!({
            "key": "approvals", "name": {"value": "Approvals"}, "url": "/approvals?c={content.id}",
            "context": "addon", "target": {"type": "inlinedialog"}, "tooltip": {"value": "See approvals"},
            "icon": {"url": "/a.svg"}, "contentPropertyKey": "approvals-ui",
            "conditions": [{"condition": "user_is_logged_in"}]}));
        assert!(f.0.is_empty(), "{:?}", f.0);
        assert_eq!(
            m.expect("migrates").manifest_entry(),
            json!({"key": "approvals", "title": "Approvals", "tooltip": "See approvals",
                   "icon": "https://app.example/a.svg", "contentPropertyKey": "approvals-ui",
                   "viewportContainer": "popup", "displayConditions": {"isLoggedIn": true}})
        );
    }

    #[test]
    fn a_dialog_item_is_a_modal_and_a_product_link_stays_on_connect() {
        let (m, _) = check(json!({
            "key": "d", "name": {"value": "D"}, "url": "/d",
            "target": {"type": "dialog", "options": {"width": "500px", "height": 300}}}));
        let m = m.unwrap();
        assert_eq!(m.entry.get("viewportContainer"), Some(&json!("modal")));
        assert_eq!(
            m.entry.get("viewportSize"),
            Some(&json!({"width": "500px", "height": "300px"}))
        );
        let (m, f) = check(
            json!({"key": "p", "name": {"value": "P"}, "url": "/wiki/x", "context": "product"}),
        );
        assert!(m.is_none());
        assert!(f.0[0].message.contains("stays on Connect"), "{:?}", f.0);
    }
}
