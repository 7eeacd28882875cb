//! Lenient JSON reading with source positions.
//!
//! Descriptors carry `//` and `/* */` comments and trailing commas; `jsonc-parser` accepts exactly
//! those when told to (its defaults accept far more, which Connect itself would reject). The AST is
//! turned into a `serde_json::Value` while recording where each value starts, so later checks can
//! name line:column. The positions form a tree shaped like the value (no path strings, no hashing:
//! a 20,000-module descriptor has a quarter of a million values); a JSON path is resolved against
//! it only when a message needs a place.

use jsonc_parser::ast;
use serde_json::{Map, Value};

use crate::error::{Diagnostic, Severity};
use crate::source::SourceText;

/// A parsed document plus where each of its values starts.
#[derive(Debug, Clone)]
pub struct Located {
    /// The document.
    pub value: Value,
    /// Where `value` and each value inside it starts.
    pub pos: Pos,
    /// Warnings found while converting (duplicate keys).
    pub warnings: Vec<Diagnostic>,
}

/// The byte offset where a value starts, and its children's positions in the value's own order
/// (object properties as the map holds them, array elements by index).
#[derive(Debug, Clone, Default)]
pub struct Pos {
    /// Byte offset in the source text.
    pub start: usize,
    /// Children, parallel to the value's properties or elements.
    pub children: Vec<Pos>,
}

impl Located {
    /// The byte offset of the value at a JSON path as built by [`child`] and [`index`]; for a path
    /// that goes past what exists, the offset of the deepest existing value on it.
    pub fn offset(&self, path: &str) -> Option<usize> {
        let mut rest = path.strip_prefix('$')?;
        let (mut value, mut pos) = (&self.value, &self.pos);
        loop {
            let (next, tail) = match segment(rest) {
                Some(x) => x,
                None => return Some(pos.start),
            };
            let i = match (value, next) {
                // Linear, but only for a message's place.
                (Value::Object(m), Seg::Key(k)) => m.keys().position(|x| *x == k),
                (Value::Array(a), Seg::Index(i)) if i < a.len() => Some(i),
                _ => None,
            };
            let Some(i) = i else {
                return Some(pos.start);
            };
            value = match value {
                Value::Object(m) => m.values().nth(i)?,
                Value::Array(a) => &a[i],
                _ => return Some(pos.start),
            };
            pos = pos.children.get(i)?;
            rest = tail;
        }
    }
}

enum Seg {
    Key(String),
    Index(usize),
}

/// The first segment of a path tail (`.key`, `["key"]` or `[3]`) and what follows it.
fn segment(rest: &str) -> Option<(Seg, &str)> {
    if let Some(r) = rest.strip_prefix('.') {
        let end = r.find(['.', '[']).unwrap_or(r.len());
        return Some((Seg::Key(r[..end].to_string()), &r[end..]));
    }
    let r = rest.strip_prefix('[')?;
    if r.starts_with('"') {
        // A JSON string: find its closing quote (skipping escapes), then `]`.
        let b = r.as_bytes();
        let mut i = 1;
        while i < b.len() && b[i] != b'"' {
            i += if b[i] == b'\\' { 2 } else { 1 };
        }
        let key: String = serde_json::from_str(r.get(..=i)?).ok()?;
        return Some((Seg::Key(key), r.get(i + 1..)?.strip_prefix(']')?));
    }
    let end = r.find(']')?;
    Some((Seg::Index(r[..end].parse().ok()?), &r[end + 1..]))
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
        pos: Pos::default(),
        warnings: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut path = Vec::new();
    let (value, pos) = convert(src, &root, &mut path, offset_map, &mut located, &mut errors);
    if let Some(first) = errors.into_iter().next() {
        return Err(Box::new(first));
    }
    located.value = value;
    located.pos = pos;
    Ok(located)
}

/// Deeper than any real descriptor (they nest about 8 levels), and well within what the YAML
/// reader that checks the output accepts (128).
pub const MAX_DEPTH: usize = 64;

/// The path of the value being converted, made into a string only for a message.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn path_string(steps: &[Step<'_>]) -> String {
    steps.iter().fold("$".to_string(), |p, s| match s {
        Step::Key(k) => child(&p, k),
        Step::Index(i) => index(&p, *i),
    })
}

fn convert<'a>(
    src: &SourceText,
    v: &'a ast::Value<'a>,
    path: &mut Vec<Step<'a>>,
    offset_map: &dyn Fn(usize) -> usize,
    out: &mut Located,
    errors: &mut Vec<Diagnostic>,
) -> (Value, Pos) {
    let start = offset_map(range_start(v));
    let leaf = |value| {
        (
            value,
            Pos {
                start,
                children: Vec::new(),
            },
        )
    };
    if path.len() > MAX_DEPTH {
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
        return leaf(Value::Null);
    }
    match v {
        ast::Value::NullKeyword(_) => leaf(Value::Null),
        ast::Value::BooleanLit(b) => leaf(Value::Bool(b.value)),
        ast::Value::StringLit(s) => leaf(Value::String(s.value.to_string())),
        ast::Value::NumberLit(n) => match number(n.value) {
            Some(n) => leaf(Value::Number(n)),
            None => {
                errors.push(Diagnostic {
                    severity: Severity::Error,
                    file: src.name.clone(),
                    position: Some(src.position(start)),
                    path: Some(path_string(path)),
                    module: None,
                    message: format!("number {} is out of range", n.value),
                });
                leaf(Value::Null)
            }
        },
        ast::Value::Array(a) => {
            let mut values = Vec::with_capacity(a.elements.len());
            let mut children = Vec::with_capacity(a.elements.len());
            for (i, e) in a.elements.iter().enumerate() {
                path.push(Step::Index(i));
                let (v, p) = convert(src, e, path, offset_map, out, errors);
                path.pop();
                values.push(v);
                children.push(p);
            }
            (Value::Array(values), Pos { start, children })
        }
        ast::Value::Object(o) => {
            let mut map = Map::new();
            let mut children = Vec::with_capacity(o.properties.len());
            for p in &o.properties {
                let name = p.name.as_str();
                if let Some(i) = map
                    .contains_key(name)
                    .then(|| map.keys().position(|k| k == name))
                    .flatten()
                {
                    // JSON.parse (which Connect's tooling uses) keeps the last one: do the same, and say so.
                    path.push(Step::Key(name));
                    out.warnings.push(Diagnostic {
                        severity: Severity::Warning,
                        file: src.name.clone(),
                        position: Some(src.position(offset_map(p.range.start))),
                        path: Some(path_string(path)),
                        module: None,
                        message: format!(
                            "duplicate key \"{name}\": the last one wins, as with JSON.parse"
                        ),
                    });
                    path.pop();
                    map.shift_remove(name);
                    children.remove(i);
                }
                path.push(Step::Key(name));
                let (value, pos) = convert(src, &p.value, path, offset_map, out, errors);
                path.pop();
                map.insert(name.to_string(), value);
                children.push(pos);
            }
            (Value::Object(map), Pos { start, children })
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
        assert_eq!(l.offset("$.b.c"), Some(text.find("true").unwrap()));
        assert_eq!(l.offset("$.a[1]"), Some(text.find("2,").unwrap()));
        // Past what exists: the deepest existing value.
        assert_eq!(l.offset("$.b.c.d"), l.offset("$.b.c"));
        assert_eq!(l.offset("$.a[9]"), l.offset("$.a"));
        assert_eq!(l.offset("$"), Some(0));
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
        let text = "{\"a\": 1, \"b\": {\"x y\": 3}, \"a\": 2}";
        let l = located(text).unwrap();
        assert_eq!(l.value, serde_json::json!({"b": {"x y": 3}, "a": 2}));
        assert_eq!(l.warnings.len(), 1);
        // Positions follow the value's order after the duplicate moved to the end.
        assert_eq!(l.offset("$.a"), Some(text.rfind('2').unwrap()));
        assert_eq!(l.offset("$.b[\"x y\"]"), Some(text.find('3').unwrap()));
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
