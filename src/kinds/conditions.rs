//! Connect `conditions` → Forge `displayConditions`.
//!
//! Connect modules list conditions (all must hold), each `{condition, invert, params}` or a
//! composite `{and: [...]}` / `{or: [...]}`. Forge modules take one `displayConditions` object
//! whose properties must all hold, with `or`, `and` and `not` for composites. The conditions below
//! have a Forge equivalent in `@forge/manifest` 13.7.0's display-conditions schema; every other
//! one is reported (with its place) and left out, since leaving a module visible is safer than
//! guessing, and the page itself can still check.

use serde_json::{json, Map, Value};

use crate::diagnostics::Findings;
use crate::json_path as json;
use crate::product::Product;

/// The Forge condition for a Connect one (without `invert`), if Forge has it.
fn one(name: &str, params: Option<&Map<String, Value>>, product: Product) -> Option<Value> {
    let param = |k: &str| params.and_then(|p| p.get(k)).and_then(Value::as_str);
    Some(match (product, name) {
        (_, "user_is_logged_in") => json!({"isLoggedIn": true}),
        (_, "user_is_sysadmin") => json!({"isSiteAdmin": true}),
        (Product::Jira, "user_is_admin") => json!({"isAdmin": true}),
        (Product::Confluence, "user_is_admin" | "user_is_confluence_administrator") => {
            json!({"isAdmin": true})
        }
        (Product::Confluence, "space_administrator" | "user_is_space_admin") => {
            json!({"isSpaceAdmin": true})
        }
        (Product::Jira, "has_project_permission") => {
            json!({"hasProjectPermission": param("permission")?})
        }
        (Product::Jira, "has_issue_permission") => {
            json!({"hasIssuePermission": param("permission")?})
        }
        (Product::Jira, "has_global_permission") => {
            json!({"hasGlobalPermission": param("permission")?})
        }
        (Product::Jira, "jira_expression") => json!({"jiraExpression": param("expression")?}),
        _ => return None,
    })
}

/// The Forge `displayConditions` of a Connect `conditions` list at `path`, or `None` when none
/// of them has a Forge equivalent; every condition left out is a warning.
pub fn display_conditions(
    conditions: &Value,
    path: &str,
    module: Option<&str>,
    product: Product,
    f: &mut Findings,
) -> Option<Value> {
    let list: Vec<&Value> = match conditions {
        Value::Array(a) => a.iter().collect(),
        v @ Value::Object(_) => vec![v],
        _ => return None,
    };
    let mut all = Vec::new();
    for (i, c) in list.into_iter().enumerate() {
        if let Some(v) = convert(c, &json::index(path, i), module, product, f) {
            all.push(v);
        }
    }
    combine("and", all)
}

/// One condition or composite.
fn convert(
    c: &Value,
    path: &str,
    module: Option<&str>,
    product: Product,
    f: &mut Findings,
) -> Option<Value> {
    let o = c.as_object()?;
    for op in ["and", "or"] {
        if let Some(Value::Array(items)) = o.get(op) {
            let inner: Vec<Value> = items
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    convert(
                        c,
                        &json::index(&json::child(path, op), i),
                        module,
                        product,
                        f,
                    )
                })
                .collect();
            if inner.len() < items.len() && op == "or" {
                // A branch left out of an `or` would hide the module where Connect showed it.
                f.warn(path, module, "an \"or\" condition has a branch without a Forge display condition: the whole \"or\" is left out (the module shows where Connect may have hidden it; check in the page)");
                return None;
            }
            return combine(op, inner);
        }
    }
    let name = o.get("condition").and_then(Value::as_str)?;
    let params = o.get("params").and_then(Value::as_object);
    let Some(v) = one(name, params, product) else {
        f.warn(path, module, format!("condition \"{name}\" has no Forge display condition: left out (the module shows where Connect hid it; check it in the page)"));
        return None;
    };
    match o.get("invert") {
        Some(Value::Bool(true)) => Some(json!({"not": v})),
        _ => Some(v),
    }
}

/// Several conditions as one object: a single one as it is, several under `and` / `or`.
fn combine(op: &str, mut items: Vec<Value>) -> Option<Value> {
    match items.len() {
        0 => None,
        1 => items.pop(),
        _ if op == "and" => {
            // Distinct properties merge into one object (Forge ANDs an object's properties).
            let mut merged = Map::new();
            let distinct = items.iter().all(|v| {
                v.as_object().is_some_and(|o| {
                    o.keys().all(|k| !merged.contains_key(k)) && {
                        merged.extend(o.clone());
                        true
                    }
                })
            });
            match distinct {
                true => Some(Value::Object(merged)),
                false => Some(json!({"and": items})),
            }
        }
        _ => Some(json!({ op: items })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dc(v: Value, product: Product) -> (Option<Value>, Vec<String>) {
        let mut f = Findings::default();
        let out = display_conditions(&v, "$.c", Some("k"), product, &mut f);
        (out, f.0.into_iter().map(|x| x.path).collect())
    }

    #[test]
    fn known_conditions_become_forge_display_conditions() {
        let (v, w) = dc(
            json!([{"condition": "user_is_logged_in"},
                   {"condition": "has_project_permission", "params": {"permission": "ADMINISTER_PROJECTS"}},
                   {"condition": "user_is_admin", "invert": true}]),
            Product::Jira,
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(
            v,
            Some(
                json!({"isLoggedIn": true, "hasProjectPermission": "ADMINISTER_PROJECTS",
                        "not": {"isAdmin": true}})
            )
        );
    }

    #[test]
    fn unknown_conditions_are_left_out_with_their_place() {
        let (v, w) = dc(
            json!([{"condition": "entity_property_equal_to"}, {"condition": "user_is_logged_in"}]),
            Product::Jira,
        );
        assert_eq!(v, Some(json!({"isLoggedIn": true})));
        assert_eq!(w, ["$.c[0]"]);
        let (v, w) = dc(
            json!([{"or": [{"condition": "user_is_admin"}, {"condition": "can_use_application"}]}]),
            Product::Jira,
        );
        assert_eq!(v, None);
        assert_eq!(w, ["$.c[0].or[1]", "$.c[0]"]);
    }
}
