//! Lenient JSON reading with source positions.
//!
//! Descriptors carry `//` and `/* */` comments and trailing commas; `jsonc-parser` accepts exactly
//! those when told to (its defaults accept far more, which Connect itself would reject). The AST is
//! turned into a `serde_json::Value` while recording where each value starts, so later checks can
//! name line:column.

use std::collections::HashMap;

use jsonc_parser::ast;
use serde_json::{Map, Value};

use crate::error::{Diagnostic, Severity};
use crate::source::SourceText;

/// A parsed document plus the byte offset where each JSON path's value starts.
#[derive(Debug, Clone)]
pub struct Located {
    /// The document.
    pub value: Value,
    /// `$.a.b[0]` → byte offset of that value in the text.
    pub offsets: HashMap<String, usize>,
    /// Warnings found while converting (duplicate keys).
    pub warnings: Vec<Diagnostic>,
}

/// The JSON path of a child property.
pub fn child(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", serde_json::Value::String(key.to_string()))
    }
}

/// The JSON path of an array element.
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Parses `src` as JSON with comments and trailing commas. `offset_map` maps offsets of the parsed
/// text back to the original (when placeholders were substituted before parsing).
pub fn parse(
    src: &SourceText,
    text: &str,
    offset_map: &dyn Fn(usize) -> usize,
) -> Result<Located, Box<Diagnostic>> {
    let options = jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|e| {
        let start = offset_map(e.range().start);
        Box::new(Diagnostic {
            severity: Severity::Error,
            file: src.name.clone(),
            position: Some(src.position(start)),
            path: None,
            module: None,
            message: format!("not valid JSON: {}", e.kind()),
        })
    })?;
    let Some(root) = parsed.value else {
        return Err(Box::new(Diagnostic {
            severity: Severity::Error,
            file: src.name.clone(),
            position: Some(src.position(0)),
            path: None,
            module: None,
            message: "the file holds no JSON value (it is empty or only comments)".into(),
        }));
    };
    let mut located = Located {
        value: Value::Null,
        offsets: HashMap::new(),
        warnings: Vec::new(),
    };
    let mut errors = Vec::new();
    let value = convert(src, &root, "$", 0, offset_map, &mut located, &mut errors);
    if let Some(first) = errors.into_iter().next() {
        return Err(Box::new(first));
    }
    located.value = value;
    Ok(located)
}

/// Deeper than any real descriptor (they nest about 8 levels), and well within what the YAML
/// reader that checks the output accepts (128).
pub const MAX_DEPTH: usize = 64;

fn convert(
    src: &SourceText,
    v: &ast::Value<'_>,
    path: &str,
    depth: usize,
    offset_map: &dyn Fn(usize) -> usize,
    out: &mut Located,
    errors: &mut Vec<Diagnostic>,
) -> Value {
    let start = offset_map(range_start(v));
    if depth > MAX_DEPTH {
        if errors.is_empty() {
            errors.push(Diagnostic {
                severity: Severity::Error,
                file: src.name.clone(),
                position: Some(src.position(start)),
                path: None,
                module: None,
                message: format!(
                    "values nest deeper than {MAX_DEPTH} levels; no Connect descriptor does"
                ),
            });
        }
        return Value::Null;
    }
    out.offsets.insert(path.to_string(), start);
    match v {
        ast::Value::NullKeyword(_) => Value::Null,
        ast::Value::BooleanLit(b) => Value::Bool(b.value),
        ast::Value::StringLit(s) => Value::String(s.value.to_string()),
        ast::Value::NumberLit(n) => match number(n.value) {
            Some(n) => Value::Number(n),
            None => {
                errors.push(Diagnostic {
                    severity: Severity::Error,
                    file: src.name.clone(),
                    position: Some(src.position(start)),
                    path: Some(path.to_string()),
                    module: None,
                    message: format!("number {} is out of range", n.value),
                });
                Value::Null
            }
        },
        ast::Value::Array(a) => Value::Array(
            a.elements
                .iter()
                .enumerate()
                .map(|(i, e)| convert(src, e, &index(path, i), depth + 1, offset_map, out, errors))
                .collect(),
        ),
        ast::Value::Object(o) => {
            let mut map = Map::new();
            for p in &o.properties {
                let name = p.name.as_str().to_string();
                let child_path = child(path, &name);
                if map.contains_key(&name) {
                    // JSON.parse (which Connect's tooling uses) keeps the last one: do the same, and say so.
                    out.warnings.push(Diagnostic {
                        severity: Severity::Warning,
                        file: src.name.clone(),
                        position: Some(src.position(offset_map(p.range.start))),
                        path: Some(child_path.clone()),
                        module: None,
                        message: format!(
                            "duplicate key \"{name}\": the last one wins, as with JSON.parse"
                        ),
                    });
                    map.shift_remove(&name);
                }
                let value = convert(
                    src,
                    &p.value,
                    &child_path,
                    depth + 1,
                    offset_map,
                    out,
                    errors,
                );
                map.insert(name, value);
            }
            Value::Object(map)
        }
    }
}

fn range_start(v: &ast::Value<'_>) -> usize {
    match v {
        ast::Value::StringLit(x) => x.range.start,
        ast::Value::NumberLit(x) => x.range.start,
        ast::Value::BooleanLit(x) => x.range.start,
        ast::Value::Object(x) => x.range.start,
        ast::Value::Array(x) => x.range.start,
        ast::Value::NullKeyword(x) => x.range.start,
    }
}

fn number(text: &str) -> Option<serde_json::Number> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(i.into());
    }
    if let Ok(u) = text.parse::<u64>() {
        return Some(u.into());
    }
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(text: &str) -> Result<Located, Box<Diagnostic>> {
        let src = SourceText::new("t.json", text.to_string());
        parse(&src, text, &|o| o)
    }

    #[test]
    fn accepts_comments_and_trailing_commas_only() {
        let text = "{ // c\n \"a\": [1, 2,], /* b */ \"b\": {\"c\": true,},\n}";
        let l = located(text).unwrap();
        assert_eq!(l.value, serde_json::json!({"a": [1, 2], "b": {"c": true}}));
        assert_eq!(l.offsets["$.b.c"], text.find("true").unwrap());
        assert!(located("{'a': 1}").is_err());
        assert!(located("{a: 1}").is_err());
        assert!(located("{\"a\": 0x10}").is_err());
    }

    #[test]
    fn errors_carry_line_and_column() {
        let e = located("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        let p = e.position.unwrap();
        assert_eq!((p.line, p.column), (3, 7));
    }

    #[test]
    fn duplicate_keys_warn_and_last_wins() {
        let l = located("{\"a\": 1, \"a\": 2}").unwrap();
        assert_eq!(l.value, serde_json::json!({"a": 2}));
        assert_eq!(l.warnings.len(), 1);
    }

    #[test]
    fn out_of_range_numbers_are_errors() {
        assert!(located("{\"a\": 1e999}").is_err());
        assert_eq!(
            located("{\"a\": 18446744073709551615}").unwrap().value["a"],
            serde_json::json!(18446744073709551615u64)
        );
    }
}
