//! Manifest validation: the checks of a Forge manifest that Atlassian's offline validator does
//! not make — the contents of `connectModules` entries (required fields, key pattern,
//! background-script rules), unknown properties on Forge background-script modules, module keys
//! shared between `modules` and `connectModules` — run by `status` and on every manifest the tool
//! renders, and the render check: a rendered manifest parses (with `serde_yaml`, the reference
//! reader) and carries every value the migration meant it to.

use std::collections::HashMap;

use serde_json::Value;

use crate::descriptor::json;
use crate::descriptor::product::{required_fields, Product};
use crate::descriptor::{is_module_key, Findings};
use crate::diagnostics::Severity;
use crate::kinds;

/// Checks a parsed manifest; findings carry JSON paths (`$.connectModules["jira:webItems"][0]`).
pub fn check(manifest: &Value) -> Findings {
    let mut f = Findings::default();
    // Where each module key was first seen, kept as parts: a path string is only made for a
    // finding (formatting and storing one per module was most of this walk on large manifests).
    let mut keys: HashMap<&str, Place> = HashMap::new();
    if let Some(modules) = manifest.get("modules").and_then(Value::as_object) {
        for (t, entries) in modules {
            let tp = json::child("$.modules", t);
            for (i, e) in entries.as_array().into_iter().flatten().enumerate() {
                let key = e.get("key").and_then(Value::as_str);
                if let Some(k) = key {
                    key_seen(&mut keys, &mut f, k, ("$.modules", t, i));
                }
                let allowed = kinds::forge_properties(t);
                if allowed.is_empty() {
                    continue;
                }
                let p = json::index(&tp, i);
                let before = f.0.len();
                for kind in kinds::REGISTRY
                    .iter()
                    .filter(|k| k.forge_types().contains(&t.as_str()))
                {
                    kind.check_forge(t, &p, e, &mut f);
                }
                let reported: Vec<String> = f.0[before..].iter().map(|x| x.path.clone()).collect();
                for prop in e.as_object().into_iter().flat_map(|o| o.keys()) {
                    if reported.contains(&json::child(&p, prop)) {
                        continue;
                    }
                    if !allowed.contains(&prop.as_str()) {
                        f.error(&json::child(&p, prop), key, format!("\"{prop}\" is not a property of {t} (allowed: {}); Atlassian's validator does not report it, the deploy does", allowed.join(", ")));
                    }
                }
            }
        }
    }
    if let Some(cm) = manifest.get("connectModules").and_then(Value::as_object) {
        for (name, entries) in cm {
            let tp = json::child("$.connectModules", name);
            let Some((product, module_type)) = name.split_once(':') else {
                f.error(
                    &tp,
                    None,
                    format!("\"{name}\" is not of the form <product>:<moduleType>"),
                );
                continue;
            };
            let known = match product {
                "jira" => Product::Jira.accepts(module_type),
                "confluence" => Product::Confluence.accepts(module_type),
                _ => false,
            };
            if !known {
                f.error(
                    &tp,
                    None,
                    format!("\"{name}\" is not a Connect module type Forge accepts"),
                );
            }
            let Some(entries) = entries.as_array() else {
                f.error(
                    &tp,
                    None,
                    "a connectModules entry must be a list of modules",
                );
                continue;
            };
            let required = required_fields(module_type);
            for (i, e) in entries.iter().enumerate() {
                let p = || json::index(&tp, i);
                let key = e.get("key").and_then(Value::as_str);
                match key {
                    Some(k) if is_module_key(k) => {
                        key_seen(&mut keys, &mut f, k, ("$.connectModules", name, i))
                    }
                    Some(k) => f.error(
                        &json::child(&p(), "key"),
                        Some(k),
                        "module key must match ^[a-zA-Z0-9_-]+$",
                    ),
                    None => f.error(&p(), None, "entry has no \"key\" (Forge requires one)"),
                }
                if let (Some(kind), Some(t)) = (
                    kinds::by_connect_type(module_type),
                    kinds::connect_type_name(module_type),
                ) {
                    if kind.own_checks() {
                        let app = kinds::AppFacts {
                            product: if product == "confluence" {
                                Product::Confluence
                            } else {
                                Product::Jira
                            },
                            base_url: "",
                            modules: None,
                            page_urls: None,
                        };
                        kind.check(t, &p(), e, &app, &mut f);
                        continue;
                    }
                }
                for field in required {
                    if e.get(*field).is_none_or(Value::is_null) {
                        f.error(
                            &p(),
                            key,
                            format!(
                                "{module_type} entry has no \"{field}\", which Connect requires"
                            ),
                        );
                    }
                }
                if e.get("unlicensedAccess").is_some() {
                    f.error(
                        &json::child(&p(), "unlicensedAccess"),
                        key,
                        "unlicensedAccess is not allowed in connectModules",
                    );
                }
            }
        }
    }
    f
}

/// A module's place: the section (`$.modules`), its type and its index.
type Place<'a> = (&'a str, &'a str, usize);

/// Records where `key` is used, or reports it used twice.
fn key_seen<'a>(
    keys: &mut HashMap<&'a str, Place<'a>>,
    f: &mut Findings,
    key: &'a str,
    at: Place<'a>,
) {
    let path = |(section, t, i): Place<'_>| json::index(&json::child(section, t), i);
    if let Some(first) = keys.get(key) {
        f.error(&path(at), Some(key), format!("module key \"{key}\" is also used at {}; Forge rejects a key used twice across modules and connectModules", path(*first)));
    } else {
        keys.insert(key, at);
    }
}

/// Parses a rendered manifest back and checks it carries `want` (the migration's manifest value:
/// a template may add, never change or drop) and would deploy. The message names the problem.
pub fn check_rendered(text: &str, want: &Value) -> Result<(), String> {
    let parsed: Value =
        serde_yaml::from_str(text).map_err(|e| format!("renders YAML that does not parse: {e}"))?;
    contains(&parsed, want, "$").map_err(|path| {
        format!("the rendered manifest does not carry the migrated value at {path} (a template must not change or drop values)")
    })?;
    let problems: Vec<String> = check(&parsed)
        .0
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}", f.path, f.message))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the rendered manifest would not deploy: {}",
            problems.join("; ")
        ))
    }
}

/// Whether `have` holds every value of `want` (objects may have more keys; arrays and scalars
/// must match; numbers compare by value). On failure, the first differing path.
pub fn contains(have: &Value, want: &Value, path: &str) -> Result<(), String> {
    match (have, want) {
        (Value::Object(h), Value::Object(w)) => {
            for (k, wv) in w {
                let p = json::child(path, k);
                match h.get(k) {
                    Some(hv) => contains(hv, wv, &p)?,
                    None => return Err(p),
                }
            }
            Ok(())
        }
        (Value::Array(h), Value::Array(w)) if h.len() == w.len() => {
            for (i, (hv, wv)) in h.iter().zip(w).enumerate() {
                contains(hv, wv, &json::index(path, i))?;
            }
            Ok(())
        }
        (Value::Number(h), Value::Number(w)) if h == w || h.as_f64() == w.as_f64() => Ok(()),
        (h, w) if h == w => Ok(()),
        _ => Err(path.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(v: Value) -> Vec<String> {
        check(&v)
            .0
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect()
    }

    #[test]
    fn a_clean_manifest_has_no_findings() {
        let m = json!({
            "modules": {"jira:issueViewBackgroundScript": [{"key": "a", "resource": "a", "shouldReloadOnRefresh": true}]},
            "connectModules": {"jira:webhooks": [{"key": "w", "event": "jira:issue_created", "url": "/w"}]}
        });
        assert_eq!(errors(m), Vec::<String>::new());
    }

    #[test]
    fn finds_what_the_official_validator_skips() {
        let m = json!({
            "modules": {"jira:dashboardBackgroundScript": [{"key": "a", "resource": "a", "shouldReloadOnRefresh": true}]},
            "connectModules": {
                "jira:webItems": [{"key": "a", "name": {"value": "x"}}],
                "jira:jiraBackgroundScripts": [{"key": "b", "url": "/b", "location": {"type": "sideways"}}],
                "jira:generalPages": [{"name": {"value": "p"}, "url": "/p"}]
            }
        });
        let e = errors(m);
        assert!(
            e.iter().any(|e| e
                .contains("shouldReloadOnRefresh applies to jira:issueViewBackgroundScript only")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|e| e.contains("also used at $.modules")),
            "{e:?}"
        );
        assert!(e.iter().any(|e| e.contains("has no \"location\"")), "{e:?}");
        assert!(
            e.iter().any(|e| e.contains("location type \"sideways\"")),
            "{e:?}"
        );
        assert!(e.iter().any(|e| e.contains("has no \"key\"")), "{e:?}");
    }

    #[test]
    fn a_key_used_twice_names_both_places() {
        let m = json!({
            "modules": {"jira:issueViewBackgroundScript": [{"key": "a", "resource": "a"}]},
            "connectModules": {
                "jira:webItems": [{"key": "b", "name": {"value": "x"}, "location": "l"}],
                "jira:webPanels": [
                    {"key": "c", "name": {"value": "x"}, "location": "l", "url": "/c"},
                    {"key": "b", "name": {"value": "x"}, "location": "l", "url": "/b"},
                    {"key": "a", "name": {"value": "x"}, "location": "l", "url": "/a"}
                ]
            }
        });
        assert_eq!(
            errors(m),
            [
                "$.connectModules.jira:webPanels[1]: module key \"b\" is also used at $.connectModules.jira:webItems[0]; Forge rejects a key used twice across modules and connectModules",
                "$.connectModules.jira:webPanels[2]: module key \"a\" is also used at $.modules.jira:issueViewBackgroundScript[0]; Forge rejects a key used twice across modules and connectModules",
            ]
        );
    }

    #[test]
    fn contains_allows_additions_only() {
        let want = json!({"a": [1, {"b": 2}]});
        assert!(contains(&json!({"a": [1, {"b": 2, "c": 3}], "d": 4}), &want, "$").is_ok());
        assert_eq!(contains(&json!({"a": [1]}), &want, "$"), Err("$.a".into()));
        assert_eq!(
            contains(&json!({"a": [1, {"b": 3}]}), &want, "$"),
            Err("$.a[1].b".into())
        );
        assert!(contains(&json!({"n": 1.0}), &json!({"n": 1}), "$").is_ok());
    }
}
