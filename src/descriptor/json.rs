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

use crate::diagnostics::{Diagnostic, Severity};
use crate::source::SourceText;

/// A parsed document plus where each of its values starts.
#[derive(Debug, Clone)]
pub struct Located {
    /// The document.
    pub value: Value,
    /// Where `value` and each value inside it starts.
    pub pos: Positions,
    /// Warnings found while converting (duplicate keys).
    pub warnings: Vec<Diagnostic>,
}

/// Where each value of a document starts: one flat list in preorder (a value, then its children
/// in the value's own order: object properties as the map holds them, array elements by index),
/// each with the size of its subtree, so a child is reached by hopping over its elder siblings.
/// Eight bytes a value in one allocation (a tree of `Vec`s took four times that in a quarter of a
/// million allocations for a 20,000-module descriptor). The root is node 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Node {
    /// Byte offset in the source text (inputs are far below 4 GiB; larger offsets are clamped).
    start: u32,
    /// Values in this subtree, itself included.
    size: u32,
}

impl Positions {
    /// Where node `n` starts (0 for a node that does not exist).
    pub fn start(&self, n: usize) -> usize {
        self.nodes.get(n).map_or(0, |x| x.start as usize)
    }

    /// The nodes of `n`'s children, in order.
    pub fn children(&self, n: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.nodes.get(n).map_or(0, |x| n + x.size as usize);
        let mut next = n + 1;
        std::iter::from_fn(move || {
            let c = next;
            (c < end).then(|| {
                next += self.nodes.get(c).map_or(1, |x| (x.size as usize).max(1));
                c
            })
        })
    }

    /// Starts a node at `start`; returns its index for [`Positions::close`].
    fn open(&mut self, start: usize) -> usize {
        self.nodes.push(Node {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            size: 1,
        });
        self.nodes.len() - 1
    }

    /// Ends node `n` after its last descendant.
    fn close(&mut self, n: usize) {
        let size = u32::try_from(self.nodes.len() - n).unwrap_or(u32::MAX);
        if let Some(x) = self.nodes.get_mut(n) {
            x.size = size;
        }
    }
}

impl Located {
    /// The byte offset of the value at a JSON path as built by [`child`] and [`index`]; for a path
    /// that goes past what exists, the offset of the deepest existing value on it.
    pub fn offset(&self, path: &str) -> Option<usize> {
        let mut rest = path.strip_prefix('$')?;
        let (mut value, mut n) = (&self.value, 0);
        loop {
            let (next, tail) = match segment(rest) {
                Some(x) => x,
                None => return Some(self.pos.start(n)),
            };
            let i = match (value, next) {
                // Linear, but only for a message's place.
                (Value::Object(m), Seg::Key(k)) => m.keys().position(|x| *x == k),
                (Value::Array(a), Seg::Index(i)) if i < a.len() => Some(i),
                _ => None,
            };
            let Some(i) = i else {
                return Some(self.pos.start(n));
            };
            value = match value {
                Value::Object(m) => m.values().nth(i)?,
                Value::Array(a) => &a[i],
                _ => return Some(self.pos.start(n)),
            };
            n = self.pos.children(n).nth(i)?;
            rest = tail;
        }
    }
}

/// A position tree, as the AST path builds it (a duplicate key moves its entry), flattened at the
/// end.
#[derive(Default)]
struct Tree {
    start: usize,
    children: Vec<Tree>,
}

impl Tree {
    fn flatten(&self, out: &mut Positions) {
        let n = out.open(self.start);
        for c in &self.children {
            c.flatten(out);
        }
        out.close(n);
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

pub use crate::json_path::{child, index};

/// Parses `src` as JSON with comments and trailing commas. `offset_map` maps offsets of the parsed
/// text back to the original (when placeholders were substituted before parsing).
pub fn parse(
    src: &SourceText,
    text: &str,
    offset_map: &dyn Fn(usize) -> usize,
) -> Result<Located, Box<Diagnostic>> {
    parse_ast(src, text, offset_map)
}

/// JSON plus comments and trailing commas: jsonc-parser's defaults accept far more (JSON5), which
/// Connect itself would reject.
const OPTIONS: jsonc_parser::ParseOptions = jsonc_parser::ParseOptions {
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

/// [`parse`] through jsonc-parser's AST: every error and warning, at its place.
fn parse_ast(
    src: &SourceText,
    text: &str,
    offset_map: &dyn Fn(usize) -> usize,
) -> Result<Located, Box<Diagnostic>> {
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &OPTIONS).map_err(|e| {
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
        pos: Positions::default(),
        warnings: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut path = Vec::new();
    let (value, tree) = convert(
        src,
        text,
        &root,
        &mut path,
        offset_map,
        &mut located,
        &mut errors,
    );
    if let Some(first) = errors.into_iter().next() {
        return Err(Box::new(first));
    }
    located.value = value;
    tree.flatten(&mut located.pos);
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
    text: &str,
    v: &'a ast::Value<'a>,
    path: &mut Vec<Step<'a>>,
    offset_map: &dyn Fn(usize) -> usize,
    out: &mut Located,
    errors: &mut Vec<Diagnostic>,
) -> (Value, Tree) {
    let start = offset_map(range_start(v));
    let leaf = |value| {
        (
            value,
            Tree {
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
        ast::Value::StringLit(s) => {
            raw_control(src, text, &s.range, offset_map, errors);
            leaf(Value::String(s.value.to_string()))
        }
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
                let (v, p) = convert(src, text, e, path, offset_map, out, errors);
                path.pop();
                values.push(v);
                children.push(p);
            }
            (Value::Array(values), Tree { start, children })
        }
        ast::Value::Object(o) => {
            let mut map = Map::new();
            let mut children = Vec::with_capacity(o.properties.len());
            for p in &o.properties {
                if let ast::ObjectPropName::String(k) = &p.name {
                    raw_control(src, text, &k.range, offset_map, errors);
                }
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
                let (value, pos) = convert(src, text, &p.value, path, offset_map, out, errors);
                path.pop();
                map.insert(name.to_string(), value);
                children.push(pos);
            }
            (Value::Object(map), Tree { start, children })
        }
    }
}

/// Strict JSON (RFC 8259, and `JSON.parse`) has no raw control character (U+0000 to U+001F)
/// inside a string: a line break or tab there must be written `\n` or `\t`. jsonc-parser takes
/// them, so the string's source text is checked here; the first one is an error at its place.
fn raw_control(
    src: &SourceText,
    text: &str,
    range: &jsonc_parser::common::Range,
    offset_map: &dyn Fn(usize) -> usize,
    errors: &mut Vec<Diagnostic>,
) {
    let raw = text.get(range.start..range.end).unwrap_or("");
    let Some(at) = raw.bytes().position(|b| b < 0x20) else {
        return;
    };
    let c = raw.as_bytes().get(at).copied().unwrap_or(0);
    errors.push(Diagnostic {
        severity: Severity::Error,
        file: src.name.clone(),
        position: Some(src.position(offset_map(range.start + at))),
        path: None,
        module: None,
        message: format!(
            "not valid JSON: a raw control character (U+{c:04X}) inside a string; write it as an escape (\\n, \\t, \\u{c:04x})"
        ),
    });
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

    fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Any document, compact or pretty, with a comment and trailing commas, reads back as
        /// the value it was written from, every value with a position.
        #[test]
        fn any_document_reads_back_as_itself(v in any_json(), pretty: bool) {
            let json = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                serde_json::to_string(&v).unwrap()
            };
            let text = format!("/* c */ {}\n// end", json.replace("\n}", ",\n}").replace("\n]", ",\n]"));
            let src = SourceText::new("t.json", text.clone());
            let read = parse(&src, &text, &|o| o).unwrap();
            proptest::prop_assert_eq!(&read.value, &v);
            proptest::prop_assert_eq!(read.offset("$"), Some(text.find(|c: char| !"/* c*/ ".contains(c)).unwrap_or(0)));
        }
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
