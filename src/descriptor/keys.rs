//! Generated module keys: Forge requires a key on every module, and Connect let some entries go
//! without one. A keyless entry gets a readable key made from its type (a webhook's from its
//! event), made unique with `-2`, `-3`… against every key in use. The descriptor reader keys
//! entries before the kinds see them; the mapping keys what it adds (the lifecycle).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

/// A readable base for a generated key: webhooks by event, others by type.
pub fn generated_key_base(module_type: &str, o: &Map<String, Value>) -> String {
    let raw = match (module_type, o.get("event").and_then(Value::as_str)) {
        ("webhooks", Some(event)) => format!("webhook-{event}"),
        _ => module_type.to_string(),
    };
    let mut s: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    s.trim_matches('-').chars().take(80).collect()
}

/// The keys in use, and per base the next `-N` suffix to try: `unique_key` resumes there, so n
/// keyless entries of one type (say webhooks of one event) cost O(n log n), not O(n²). The
/// result is the same as searching from 2, since keys are only ever added.
pub struct Taken {
    /// Every key in use.
    pub keys: HashSet<String>,
    /// Per base, the next suffix to try.
    pub next: HashMap<String, usize>,
}

/// `base` if no key has it, else the first free `base-N` (N from 2); taken from then on.
pub fn unique_key(base: &str, taken: &mut Taken) -> String {
    let k = if taken.keys.contains(base) {
        let n = taken.next.entry(base.to_string()).or_insert(2);
        loop {
            let k = format!("{base}-{n}");
            *n += 1;
            if !taken.keys.contains(&k) {
                break k;
            }
        }
    } else {
        base.to_string()
    };
    taken.keys.insert(k.clone());
    k
}

/// Gives every keyless entry of a descriptor's `modules` its generated key, first among its
/// properties, so that the kinds (which need a key to make a Forge module) and the mapping see
/// one: the JSON path and key of each, in document order, for the warning. Webhooks are left
/// alone: their kind keys them by event, and a webhook is no module of Forge's; so are the types
/// `strict` names (whose kinds check Connect's own rules, a required key among them).
pub fn give_keys(
    modules: &mut Map<String, Value>,
    strict: impl Fn(&str) -> bool,
) -> Vec<(String, String)> {
    let entries = |v: &Value| match v {
        Value::Array(a) => a.len(),
        _ => 1,
    };
    let mut taken = Taken {
        keys: HashSet::with_capacity(modules.values().map(entries).sum()),
        next: HashMap::new(),
    };
    for v in modules.values() {
        let list: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            o => vec![o],
        };
        for e in list {
            if let Some(k) = e.get("key").and_then(Value::as_str) {
                taken.keys.insert(k.to_string());
            }
        }
    }
    let mut made = Vec::new();
    for (module_type, v) in modules.iter_mut() {
        if module_type == "webhooks" || strict(module_type) {
            continue;
        }
        let list: Vec<(Option<usize>, &mut Value)> = match v {
            Value::Array(a) => a
                .iter_mut()
                .enumerate()
                .map(|(i, e)| (Some(i), e))
                .collect(),
            o => vec![(None, o)],
        };
        for (i, e) in list {
            let Value::Object(o) = e else { continue };
            if o.contains_key("key") {
                continue;
            }
            let k = unique_key(&generated_key_base(module_type, o), &mut taken);
            o.shift_insert(0, "key".into(), Value::String(k.clone()));
            let path = match i {
                Some(i) => format!("$.modules.{module_type}[{i}]"),
                None => format!("$.modules.{module_type}"),
            };
            made.push((path, k));
        }
    }
    made
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keyless_entries_get_unique_keys_and_webhooks_are_left_alone() {
        let mut m = json!({
            "webItems": [{"url": "/a"}, {"key": "webItems", "url": "/b"}, {"url": "/c"}],
            "generalPages": {"url": "/p"},
            "webhooks": [{"event": "jira:issue_created", "url": "/w"}],
            "jiraBackgroundScripts": [{"url": "/bg"}]
        });
        let made = give_keys(m.as_object_mut().unwrap(), |t| t == "jiraBackgroundScripts");
        assert_eq!(
            made,
            vec![
                (
                    "$.modules.webItems[0]".to_string(),
                    "webItems-2".to_string()
                ),
                (
                    "$.modules.webItems[2]".to_string(),
                    "webItems-3".to_string()
                ),
                (
                    "$.modules.generalPages".to_string(),
                    "generalPages".to_string()
                ),
            ]
        );
        // The key comes first, the entry's own properties after it.
        assert_eq!(
            serde_json::to_string(&m["webItems"][0]).unwrap(),
            r#"{"key":"webItems-2","url":"/a"}"#
        );
        assert_eq!(m["generalPages"]["key"], "generalPages");
        assert!(m["webhooks"][0].get("key").is_none());
        assert!(m["jiraBackgroundScripts"][0].get("key").is_none());
    }
}
