//! JSON paths (`$.modules.webPanels[2].url`) and the short descriptions of values that messages
//! use, shared by every stage that reports on a JSON or YAML document: the descriptor reader, the
//! module kinds' checks and the manifest checks. A leaf: it depends on nothing in the crate.

use serde_json::Value;

/// The JSON path of a child property.
pub fn child(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_string()))
    }
}

/// The JSON path of an array element.
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// What a value is, for a message (`a string`, `an object`).
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value for a message: at most 60 characters, so a hostile 10,000-character value does not
/// flood the terminal.
pub fn shown(s: &str) -> String {
    let head: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        format!("{head}… ({} characters)", s.chars().count())
    } else {
        head
    }
}
