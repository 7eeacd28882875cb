//! Confluence macros (`dynamicContentMacros`, `staticContentMacros`): a Forge `macro` with the
//! same key, so the macros already saved in pages call the Forge module (Forge hands it the
//! Connect parameters as `context.extension.config`). The macro's page becomes its Custom UI
//! resource; a custom `editor` becomes the macro's custom config (`config: {resource}`, a second
//! resource), where the compatibility layer turns `AP.confluence.saveMacro` +
//! `closeMacroEditor` into `view.submit({ config })` and `getMacroData` into the config.
//!
//! What the manifest cannot say is reported: Connect's generated parameter form (a Custom UI macro
//! has none without a custom editor), a static macro's server-side rendering (Forge shows the page
//! in an iframe), `renderModes` / `imagePlaceholder` (Forge exports with an `adfExport`
//! function), a plain-text body (Forge bodies are rich text), `autoconvert`, and `conditions`
//! (a macro takes no display conditions).

use serde_json::{json, Map, Value};

use super::page::{self, url_problem, UrlProblem};
use super::{AppFacts, ExtraPage, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path::{self as json, shown};
use crate::product::Product;

/// The Forge macro module type.
pub const MACRO: &str = "macro";
/// Forge's limit on a macro `description`.
const MAX_DESCRIPTION: usize = 10_000;
/// Forge's limit on a config `title`.
const MAX_TITLE: usize = 255;

/// The macro kind.
pub struct ContentMacros;

/// Forge's `category` for the first Connect category that has one.
fn category(categories: Option<&Value>) -> Option<&'static str> {
    categories?.as_array()?.iter().find_map(|c| {
        Some(match c.as_str()? {
            "formatting" => "text-formatting",
            "media" => "media",
            "visuals" | "reporting" => "data-and-charts",
            "external-content" => "embed",
            "navigation" | "confluence-content" => "structure",
            _ => return None,
        })
    })
}

/// `name.value`-style text (`{"value": "..."}`), when not blank.
fn text(v: Option<&Value>) -> Option<&str> {
    v?.get("value")?.as_str().filter(|s| !s.trim().is_empty())
}

/// Forge's `layout` for Connect's `outputType` and `bodyType`.
fn layout(output: Option<&str>, body: Option<&str>) -> &'static str {
    let bodied = matches!(body, Some("rich-text" | "plain-text"));
    match (output == Some("inline"), bodied) {
        (false, false) => "block",
        (true, false) => "inline",
        (false, true) => "bodied",
        (true, true) => "inline-bodied",
    }
}

/// The custom editor's `config` properties besides its resource: `title`, `viewportSize`.
fn editor_config(editor: &Map<String, Value>) -> Map<String, Value> {
    let mut c = Map::new();
    let title = text(editor.get("editTitle")).or_else(|| text(editor.get("insertTitle")));
    if let Some(t) = title {
        c.insert(
            "title".into(),
            json!(t.chars().take(MAX_TITLE).collect::<String>()),
        );
    }
    let dim = |k: &str| {
        editor
            .get(k)
            .and_then(|v| match v {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Value::Number(n) => Some(format!("{n}px")),
                _ => None,
            })
            .filter(|s| s.len() <= 255)
    };
    if let Some(width) = dim("width") {
        let mut size = Map::new();
        size.insert("width".into(), json!(width));
        if let Some(h) = dim("height") {
            size.insert("height".into(), json!(h));
        }
        c.insert("viewportSize".into(), Value::Object(size));
    }
    c
}

impl Kind for ContentMacros {
    fn id(&self) -> &'static str {
        "macro"
    }

    fn plural(&self) -> &'static str {
        "macros"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["dynamicContentMacros", "staticContentMacros"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[MACRO]
    }

    fn entry_shape(&self) -> &'static str {
        "a macro is a mapping (key, name, url)"
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
        let key = o.get("key").and_then(Value::as_str);
        // A macro takes no display conditions: say so once, rather than per condition.
        let mut without_conditions = o.clone();
        if without_conditions.remove("conditions").is_some() {
            f.warn(
                &json::child(path, "conditions"),
                key,
                "Forge macros take no conditions: the macro shows wherever it is inserted; check what the conditions checked in its page",
            );
        }
        let without_conditions = Value::Object(without_conditions);
        // The macro's own parameters (`{title}`, no dot) fill its URL: the compatibility layer
        // reads them from the macro's config, so only dotted context parameters are reported.
        let mut read = Findings::default();
        let p = page::read(self, path, &without_conditions, app.product, &mut read);
        f.0.extend(read.0.into_iter().filter(|x| {
            x.message
                .strip_prefix("context parameter {")
                .and_then(|rest| rest.split_once('}'))
                .is_none_or(|(name, _)| name.contains('.'))
        }));
        let p = p?;
        let module = Some(p.key.as_str());
        let mut e = Map::new();
        if let Some(d) = text(o.get("description")) {
            e.insert(
                "description".into(),
                json!(d.chars().take(MAX_DESCRIPTION).collect::<String>()),
            );
        }
        if let Some(c) = category(o.get("categories")) {
            e.insert("category".into(), json!(c));
        }
        let output = o.get("outputType").and_then(Value::as_str);
        let body = o.get("bodyType").and_then(Value::as_str);
        e.insert("layout".into(), json!(layout(output, body)));
        if body == Some("plain-text") {
            f.warn(
                &json::child(path, "bodyType"),
                module,
                "a plain-text body becomes a rich-text body on Forge (layout bodied): the page gets it as Atlassian Document Format (context.extension.macro.body), not as text",
            );
        }
        if let Some(h) = o.get("hidden").and_then(Value::as_bool) {
            e.insert("hidden".into(), json!(h));
        }
        let mut extra_pages = Vec::new();
        let editor = o.get("editor").and_then(Value::as_object);
        if let Some(ed) = editor {
            let ed_path = json::child(path, "editor");
            match ed.get("url").and_then(Value::as_str) {
                Some(u) if !u.trim().is_empty() && url_problem(u).is_none() => {
                    // ForgeModule::manifest_entry adds the resource after these.
                    e.insert("config".into(), Value::Object(editor_config(ed)));
                    extra_pages.push(ExtraPage {
                        key: format!("{}-editor", p.key),
                        entry: "config",
                        property: "config",
                        page_url: u.to_string(),
                        resource: None,
                    });
                }
                Some(u) => {
                    let why = match url_problem(u) {
                        Some(UrlProblem::Parent) => "has a \"..\" segment",
                        Some(UrlProblem::Control) => "contains control characters",
                        _ => "is not relative to the app's baseUrl",
                    };
                    f.warn(
                        &json::child(&ed_path, "url"),
                        module,
                        format!("editor url \"{}\" {why}: the macro migrates without its custom editor; its macro parameters can only be set again once you give it a config resource", shown(u)),
                    );
                }
                None => f.warn(
                    &ed_path,
                    module,
                    "the custom editor has no url: the macro migrates without it",
                ),
            }
        }
        let params: Vec<&str> = o
            .get("parameters")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.get("identifier").and_then(Value::as_str))
                    .collect()
            })
            .unwrap_or_default();
        if !params.is_empty() && extra_pages.is_empty() {
            f.warn(
                &json::child(path, "parameters"),
                module,
                format!(
                    "macro parameters ({}) have no form on Forge: Connect's macro browser built one from them, a Custom UI macro is configured only by a custom config resource; the values saved in pages still arrive in context.extension.config (the carried page's URL keeps them)",
                    params.join(", ")
                ),
            );
        }
        if connect_type == "staticContentMacros" {
            f.warn(
                path,
                module,
                "a static content macro's server answered with storage-format XHTML that Confluence rendered into the page itself (no iframe; exported and searched with the page); on Forge the macro is a Custom UI frame showing the carried page, so that server response must become HTML the page renders, and export needs an adfExport function",
            );
        }
        for (prop, what, forge) in [
            (
                "renderModes",
                "renderModes (a static rendering for PDF, Word or email export)",
                "export through an adfExport function",
            ),
            (
                "imagePlaceholder",
                "imagePlaceholder (the editor's preview image)",
                "show their own page in the editor",
            ),
            (
                "autoconvert",
                "autoconvert (pasting a matching link inserts the macro)",
                "convert links with autoConvert matchers (a pattern syntax of their own)",
            ),
        ] {
            if o.get(prop).is_some() {
                f.warn(
                    &json::child(path, prop),
                    module,
                    format!(
                        "{what} is not carried: Forge macros {forge}; write it for the Forge macro"
                    ),
                );
            }
        }
        let mut m = p.module(self, connect_type, MACRO, true, e);
        m.entry.remove("displayConditions");
        m.extra_pages = extra_pages;
        m.details.insert(
            "rendering".into(),
            json!(if connect_type == "staticContentMacros" {
                "static"
            } else {
                "dynamic"
            }),
        );
        if !params.is_empty() {
            m.details.insert("parameters".into(), json!(params));
        }
        Some(m)
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[
            "key",
            "resource",
            "title",
            "description",
            "category",
            "config",
            "layout",
            "hidden",
            "resolver",
            "render",
            "renderRuntimeType",
            "resolvedResourceEntry",
            "autoConvert",
            "adfExport",
            "static",
            "refDataSchema",
            "migratedFrom",
            "emitsReadyEvent",
            "data",
        ]
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, module: &ForgeModule) -> String {
        let rendering = module.detail("rendering").unwrap_or("dynamic");
        let editor = if module.extra_pages.is_empty() {
            ""
        } else {
            ", custom editor as its config"
        };
        format!("{rendering} content macro{editor}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Resource;

    fn check(t: &'static str, v: Value) -> (Option<ForgeModule>, Findings) {
        crate::kinds::check_bare(
            &ContentMacros,
            t,
            "$.m[0]",
            Product::Confluence,
            "https://app.example",
            &v,
        )
    }

    #[test]
    fn a_macro_with_an_editor_gets_a_config_resource() {
        let (m, f) = check(
            "dynamicContentMacros",
            json!({"key": "chart", "name": {"value": "Chart"}, "url": "/chart?t={title}&p={page.id}",
                   "description": {"value": "Draws a chart"}, "categories": ["visuals"],
                   "outputType": "inline", "bodyType": "none",
                   "parameters": [{"identifier": "title", "name": {"value": "Title"}, "type": "string"}],
                   "editor": {"url": "/chart-editor", "editTitle": {"value": "Edit chart"},
                              "width": "600px", "height": "400px"}}),
        );
        assert!(f.0.is_empty(), "{:?}", f.0);
        let mut m = m.expect("migrates");
        assert_eq!(m.forge_type, MACRO);
        m.resource = Some(Resource::new("chart".into()));
        m.extra_pages[0].resource = Some(Resource::new("chart-editor".into()));
        assert_eq!(
            m.manifest_entry(),
            json!({"key": "chart", "resource": "chart", "title": "Chart",
                   "description": "Draws a chart", "category": "data-and-charts", "layout": "inline",
                   "config": {"title": "Edit chart", "viewportSize": {"width": "600px", "height": "400px"},
                              "resource": "chart-editor"}})
        );
        let pages = m.pages();
        assert_eq!(
            pages
                .iter()
                .map(|p| (p.key, p.url, p.entry))
                .collect::<Vec<_>>(),
            [
                ("chart", "/chart?t={title}&p={page.id}", "main"),
                ("chart-editor", "/chart-editor", "config")
            ]
        );
    }

    #[test]
    fn what_forge_cannot_say_is_reported() {
        let (m, f) = check(
            "staticContentMacros",
            json!({"key": "toc", "name": {"value": "TOC"}, "url": "/toc?b={macro.body}",
                   "bodyType": "plain-text", "outputType": "block",
                   "parameters": [{"identifier": "depth", "type": "int"}],
                   "conditions": [{"condition": "user_is_logged_in"}],
                   "renderModes": {"pdf": {"url": "/pdf"}}}),
        );
        let m = m.expect("migrates");
        assert_eq!(m.entry.get("layout"), Some(&json!("bodied")));
        assert!(m.entry.get("displayConditions").is_none());
        assert!(m.extra_pages.is_empty());
        let messages: Vec<&str> = f.0.iter().map(|x| x.message.as_str()).collect();
        for want in [
            "take no conditions",
            "context parameter {macro.body}",
            "plain-text body",
            "macro parameters (depth)",
            "static content macro",
            "renderModes",
        ] {
            assert!(
                messages.iter().any(|m| m.contains(want)),
                "{want}: {messages:?}"
            );
        }
    }

    #[test]
    fn an_editor_off_the_app_is_left_out() {
        let (m, f) = check(
            "dynamicContentMacros",
            json!({"key": "x", "name": {"value": "X"}, "url": "/x",
                   "editor": {"url": "https://other.example/ed"}}),
        );
        let m = m.expect("migrates");
        assert!(m.extra_pages.is_empty());
        assert!(m.entry.get("config").is_none());
        assert!(
            f.0[0].message.contains("without its custom editor"),
            "{:?}",
            f.0
        );
    }
}
