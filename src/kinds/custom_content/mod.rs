//! Custom content types (`customContent`): `confluence:customContent` with
//! `migratedFromConnect: true`, so the content the Connect app created (type
//! `ac:<app key>:<module key>`) stays readable and new content keeps that type.
//!
//! A Connect type has no page of its own: `uiSupport.contentViewComponent.moduleKey` names the
//! app's general page (or dialog) that shows a piece of it. The Forge module needs a resource, so
//! once every module is placed ([`Kind::settle`]) it takes that page's URL and gets a resource
//! carrying the same page; when that page is not a Forge module, the type stays on Connect.
//! Container and child types: `space`, `page`, `blogpost`, `attachment`, `comment` as Forge
//! allows them where it allows them, `ac:<app>:<key>` as `this:<key>` when that type migrates too
//! and names this one back (Forge's validator requires both ends); others are left out with a
//! warning. `listViewComponent` has no Forge counterpart: Confluence lists the content itself.

use serde_json::{json, Map, Value};

use super::page::url_problem;
use super::{is_module_key, AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path as json;
use crate::product::Product;

/// The Forge custom content module type.
pub const CUSTOM_CONTENT: &str = "confluence:customContent";

/// The custom-content kind.
pub struct CustomContent;

/// Forge's name for a Connect container (`containers`) or child type, if it has one.
fn forge_type_name(t: &str, containers: bool) -> Option<String> {
    let plain: &[&str] = if containers {
        &["space", "page", "blogpost"]
    } else {
        &["attachment", "comment"]
    };
    if plain.contains(&t) {
        return Some(t.to_string());
    }
    let key = t.strip_prefix("ac:")?.rsplit_once(':')?.1;
    let ok = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    ok.then(|| format!("this:{key}"))
}

/// The mapped list of `apiSupport.<prop>`, warning for each type left out.
fn types(
    o: &Map<String, Value>,
    prop: &str,
    path: &str,
    key: &str,
    f: &mut Findings,
) -> Vec<String> {
    let containers = prop == "supportedContainerTypes";
    let list = o
        .get(prop)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    for t in list.iter().filter_map(Value::as_str) {
        match forge_type_name(t, containers) {
            Some(x) if !out.contains(&x) => out.push(x),
            Some(_) => {}
            None => f.warn(
                &json::child(path, prop),
                Some(key),
                format!("{prop} \"{t}\" has no Forge counterpart (Forge takes {}, and this app's own types as this:<key>): it is left out", if containers { "space, page, blogpost" } else { "attachment, comment" }),
            ),
        }
    }
    out
}

impl Kind for CustomContent {
    fn id(&self) -> &'static str {
        "custom-content"
    }

    fn plural(&self) -> &'static str {
        "custom content types"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["customContent"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[CUSTOM_CONTENT]
    }

    fn entry_shape(&self) -> &'static str {
        "a custom content type is a mapping (key, name, uiSupport, apiSupport)"
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
        let key = o
            .get("key")
            .and_then(Value::as_str)
            .filter(|k| is_module_key(k))?;
        let ui = o.get("uiSupport").and_then(Value::as_object);
        let view = ui
            .and_then(|u| u.get("contentViewComponent"))
            .and_then(|v| v.get("moduleKey"))
            .and_then(Value::as_str);
        let Some(view) = view else {
            f.warn(
                &json::child(path, "uiSupport"),
                Some(key),
                "the custom content type names no contentViewComponent moduleKey: Forge's confluence:customContent needs the page that shows it, so the type stays on Connect",
            );
            return None;
        };
        let empty = Map::new();
        let api = o
            .get("apiSupport")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let api_path = json::child(path, "apiSupport");
        let containers = types(api, "supportedContainerTypes", &api_path, key, f);
        let children = types(api, "supportedChildTypes", &api_path, key, f);
        let title = super::page::i18n_text(o.get("name")).unwrap_or(key);
        let mut e = Map::new();
        e.insert(
            "title".into(),
            json!(title.chars().take(255).collect::<String>()),
        );
        let icon = ui
            .and_then(|u| u.get("icons"))
            .and_then(|i| i.get("item"))
            .and_then(|i| i.get("url"))
            .and_then(Value::as_str)
            .filter(|u| !u.trim().is_empty() && url_problem(u).is_none());
        if let Some(i) = icon {
            let base = app.base_url.trim_end_matches('/');
            e.insert(
                "icon".into(),
                json!(format!("{base}/{}", i.trim_start_matches('/'))),
            );
        }
        if let Some(b @ ("raw" | "storage")) = api.get("bodyType").and_then(Value::as_str) {
            e.insert("bodyType".into(), json!(b));
        }
        e.insert("supportedContainerTypes".into(), json!(containers));
        if !children.is_empty() {
            e.insert("supportedChildTypes".into(), json!(children));
        }
        if let Some(p) = api
            .get("supportedSpacePermissions")
            .and_then(Value::as_array)
        {
            let p: Vec<&str> = p
                .iter()
                .filter_map(Value::as_str)
                .filter(|p| ["read", "create", "delete"].contains(p))
                .collect();
            if !p.is_empty() {
                e.insert("supportedSpacePermissions".into(), json!(p));
            }
        }
        if let Some(i) = api
            .get("indexing")
            .and_then(|i| i.get("enabled"))
            .and_then(Value::as_bool)
        {
            e.insert("indexing".into(), json!(i));
        }
        if let Some(p) = api.get("preventDuplicateTitle").and_then(Value::as_bool) {
            e.insert("preventDuplicateTitle".into(), json!(p));
        }
        e.insert("migratedFromConnect".into(), json!(true));
        if ui.is_some_and(|u| u.contains_key("listViewComponent")) {
            f.warn(
                &json::child(&json::child(path, "uiSupport"), "listViewComponent"),
                Some(key),
                "listViewComponent is not carried: Forge's custom content has no list view of its own (Confluence lists the content in the space); the page stays a module of its own",
            );
        }
        let mut details = Map::new();
        details.insert("title".into(), json!(title));
        details.insert("view_module".into(), json!(view));
        Some(ForgeModule {
            kind: self.id(),
            connect_type,
            forge_type: CUSTOM_CONTENT,
            key: key.to_string(),
            entry: e,
            page_url: None,
            resource: None,
            extra_pages: Vec::new(),
            details,
            path: path.to_string(),
        })
    }

    fn settle(&self, modules: &mut [Option<ForgeModule>], f: &mut Findings) {
        // The page that shows the type: its URL, so the type gets a resource carrying it.
        let urls: Vec<(String, Option<String>)> = modules
            .iter()
            .flatten()
            .map(|m| (m.key.clone(), m.page_url.clone()))
            .collect();
        for slot in modules.iter_mut() {
            let Some(m) = slot.as_mut().filter(|m| m.kind == self.id()) else {
                continue;
            };
            let view = m
                .details
                .get("view_module")
                .and_then(Value::as_str)
                .unwrap_or("");
            match urls
                .iter()
                .find(|(k, _)| k == view)
                .and_then(|(_, u)| u.clone())
            {
                Some(url) => m.page_url = Some(url),
                None => {
                    f.warn(
                        &m.path,
                        Some(&m.key),
                        format!("its contentViewComponent \"{view}\" is not a Forge module of this app with a page, so the custom content type has no page to show and stays on Connect"),
                    );
                    *slot = None;
                }
            }
        }
        // this:<key> must name a migrated type that names this one back; containers must remain.
        let pairs: Vec<(String, Vec<String>, Vec<String>)> = modules
            .iter()
            .flatten()
            .filter(|m| m.kind == self.id())
            .map(|m| {
                let list = |p: &str| -> Vec<String> {
                    m.entry
                        .get(p)
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                (
                    m.key.clone(),
                    list("supportedContainerTypes"),
                    list("supportedChildTypes"),
                )
            })
            .collect();
        let names_back = |other: &str, prop_of_other: usize, me: &str| {
            pairs.iter().any(|(k, c, ch)| {
                k == other && [c, ch][prop_of_other].contains(&format!("this:{me}"))
            })
        };
        for slot in modules.iter_mut() {
            let Some(m) = slot.as_mut().filter(|m| m.kind == self.id()) else {
                continue;
            };
            let key = m.key.clone();
            for (prop, other_prop) in [("supportedContainerTypes", 1), ("supportedChildTypes", 0)] {
                let Some(Value::Array(list)) = m.entry.get(prop).cloned() else {
                    continue;
                };
                let kept: Vec<Value> = list
                    .into_iter()
                    .filter(|v| {
                        let Some(other) = v.as_str().and_then(|s| s.strip_prefix("this:")) else {
                            return true;
                        };
                        let ok = names_back(other, other_prop, &key);
                        if !ok {
                            f.warn(
                                &json::child(&m.path, "apiSupport"),
                                Some(&key),
                                format!("{prop} \"this:{other}\" is left out: Forge needs that custom content type in this app, naming this one back"),
                            );
                        }
                        ok
                    })
                    .collect();
                if kept.is_empty() {
                    m.entry.remove(prop);
                } else {
                    m.entry.insert(prop.into(), Value::Array(kept));
                }
            }
            if !m.entry.contains_key("supportedContainerTypes") {
                f.warn(
                    &m.path,
                    Some(&key),
                    "the custom content type has no container type Forge takes, which it requires: the type stays on Connect",
                );
                *slot = None;
            }
        }
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[
            "key",
            "resource",
            "title",
            "description",
            "icon",
            "bodyType",
            "supportedContainerTypes",
            "supportedChildTypes",
            "supportedSpacePermissions",
            "indexing",
            "preventDuplicateTitle",
            "resolver",
            "resolvedResourceEntry",
            "render",
            "renderRuntimeType",
            "migratedFromConnect",
            "unlicensedAccess",
        ]
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, module: &ForgeModule) -> String {
        let view = module.detail("view_module").unwrap_or("?");
        format!("custom content type, shown by the page of {view}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> (Option<ForgeModule>, Findings) {
        crate::kinds::check_bare(
            &CustomContent,
            "customContent",
            "$.c[0]",
            Product::Confluence,
            "https://app.example",
            &v,
        )
    }

    fn viewer(key: &str, url: &str) -> ForgeModule {
        ForgeModule {
            kind: "general-page",
            connect_type: "generalPages",
            forge_type: "confluence:fullPage",
            key: key.into(),
            entry: Map::new(),
            page_url: Some(url.into()),
            resource: None,
            extra_pages: Vec::new(),
            details: Map::new(),
            path: "$.g".into(),
        }
    }

    #[test]
    fn a_type_takes_its_viewers_page_and_keeps_its_connect_type() {
        let (m, f) = check(json!({"key": "customer", "name": {"value": "Customer"},
            "uiSupport": {"contentViewComponent": {"moduleKey": "viewer"},
                          "icons": {"item": {"url": "/c.png"}}},
            "apiSupport": {"bodyType": "storage", "supportedContainerTypes": ["space", "comment"],
                           "supportedChildTypes": ["ac:my-app:note", "attachment"],
                           "indexing": {"enabled": true}}}));
        assert_eq!(f.0.len(), 1, "comment is no container on Forge: {:?}", f.0);
        let (note, _) = check(json!({"key": "note", "name": {"value": "Note"},
            "uiSupport": {"contentViewComponent": {"moduleKey": "viewer"}},
            "apiSupport": {"supportedContainerTypes": ["ac:my-app:customer"]}}));
        let mut all = vec![m, note, Some(viewer("viewer", "/view?c={content.id}"))];
        let mut f = Findings::default();
        CustomContent.settle(&mut all, &mut f);
        assert!(f.0.is_empty(), "{:?}", f.0);
        let m = all[0].as_ref().unwrap();
        assert_eq!(m.page_url.as_deref(), Some("/view?c={content.id}"));
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "customer", "title": "Customer", "icon": "https://app.example/c.png",
                   "bodyType": "storage", "supportedContainerTypes": ["space"],
                   "supportedChildTypes": ["this:note", "attachment"], "indexing": true,
                   "migratedFromConnect": true})
        );
        assert_eq!(
            all[1]
                .as_ref()
                .unwrap()
                .entry
                .get("supportedContainerTypes"),
            Some(&json!(["this:customer"]))
        );
    }

    #[test]
    fn a_type_without_its_viewer_or_a_container_stays_on_connect() {
        let (m, _) = check(
            json!({"key": "x", "uiSupport": {"contentViewComponent": {"moduleKey": "gone"}},
            "apiSupport": {"supportedContainerTypes": ["space"]}}),
        );
        let mut all = vec![m];
        let mut f = Findings::default();
        CustomContent.settle(&mut all, &mut f);
        assert!(all[0].is_none());
        assert!(f.0[0].message.contains("stays on Connect"), "{:?}", f.0);
        // A one-sided reference is left out, and with it the only container.
        let (m, _) = check(
            json!({"key": "y", "uiSupport": {"contentViewComponent": {"moduleKey": "v"}},
            "apiSupport": {"supportedContainerTypes": ["ac:app:other"]}}),
        );
        let mut all = vec![m, Some(viewer("v", "/v"))];
        let mut f = Findings::default();
        CustomContent.settle(&mut all, &mut f);
        assert!(all[0].is_none());
        assert!(
            f.0.iter()
                .any(|x| x.message.contains("naming this one back")),
            "{:?}",
            f.0
        );
    }
}
