//! Parsing a rendered YAML file back into the value it carries, with the meaning yaml_serde
//! (`serde_yaml`) gives it, in one pass and without yaml_serde's memory cost on large files.
//!
//! yaml_serde's loader keeps every event of a document (each with its own copy of the scalar and
//! its marks) before it builds a value: about 25 × the text, 82 MB for the 3.3 MB manifest of a
//! 20,000-module descriptor, the memory peak of the whole run, and ~100 ms. The templates write
//! a small, regular part of YAML: block mappings and sequences (the compact `- key: v` and `- - x`
//! forms included), one-line plain, single- and double-quoted scalars, `{}` and `[]`, comments.
//! [`parse_simple`] reads exactly that part, line by line, building the value as it goes.
//!
//! yaml_serde's value and its error messages are the contract, so [`parse_simple`] answers only for
//! documents whose value it can tell for sure is yaml_serde's; it gives up on anything else — a
//! tab, a carriage return or another character YAML 1.1 and 1.2 read differently, a directive or
//! document marker, an anchor, alias or tag, a block or multi-line scalar, a flow collection that
//! is not empty, an explicit or complex or merge (`<<`) key, indentation it does not expect, deep
//! nesting, a syntax error — and [`parse`] runs yaml_serde on the whole text, as before. Plain
//! scalars are typed as yaml_serde types them: the null and boolean words and plain integers
//! here, any other scalar that could be a number by yaml_serde itself. `tests/parse_back.rs` and
//! the `parse_back` fuzz target hold it to yaml_serde on generated documents.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// Deeper than any manifest, and well below yaml_serde's recursion limit (128).
const MAX_DEPTH: usize = 64;

/// YAML limits implicit keys to 1024 characters (the `yaml` helper writes longer ones as `? key`).
const MAX_KEY: usize = 1000;

/// `text` parsed as one YAML document into a JSON value, exactly as
/// `serde_yaml::from_str::<Value>(text)` would (the same value, or the same error).
pub fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    match parse_simple(text) {
        Some(v) => Ok(v),
        None => serde_yaml::from_str(text),
    }
}

/// The value of `text` if it is written in the part of YAML described in the module comment, or
/// `None` where only yaml_serde can say. Public for the tests and the fuzz target.
pub fn parse_simple(text: &str) -> Option<Value> {
    if !read_alike(text) {
        return None;
    }
    let mut doc = Doc::default();
    for line in text.split('\n') {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let col = line.len() - content.len();
        // Document markers and directives.
        if col == 0
            && (content.starts_with("---")
                || content.starts_with("...")
                || content.starts_with('%'))
        {
            return None;
        }
        doc.line(col, content)?;
    }
    doc.finish()
}

/// Characters both parsers read the same way: no tab, carriage return or other control
/// character, none of YAML 1.1's extra line breaks (NEL, LS, PS), no BOM, and nothing libyaml
/// refuses as unprintable.
fn read_alike(text: &str) -> bool {
    let ascii_ok = |b: u8| b == b'\n' || (b' '..=b'~').contains(&b);
    if text.bytes().all(ascii_ok) {
        return true;
    }
    text.chars().all(|c| {
        if c.is_ascii() {
            ascii_ok(c as u8)
        } else {
            matches!(c, '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
                && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
        }
    })
}

/// A block collection being built, at the column of its keys or dashes. Entries are gathered on
/// the document's shared stacks (from the index held here on) and the collection is made at its
/// end with the exact size: a manifest holds ~100k small mappings, an `IndexMap` grown by inserts
/// keeps up to half of its room unused, and one `Vec` per collection was as many allocations.
struct Open {
    col: usize,
    node: Node,
}

enum Node {
    /// Where its items start on `Doc::items`.
    Seq(usize),
    /// Where its entries start on `Doc::entries`, and a key whose line ended at its `:`,
    /// waiting for a nested block.
    Map(usize, Option<String>),
}

#[derive(Default)]
struct Doc {
    stack: Vec<Open>,
    root: Option<Value>,
    items: Vec<Value>,
    entries: Vec<(String, Value)>,
}

/// What a line holds from some column on.
enum Item<'a> {
    /// `key:` and what follows its colon.
    Key(String, &'a str),
    /// A scalar (or `{}`, `[]`) that ends the line.
    Scalar(Value),
}

impl Doc {
    /// A line with content `content` (no leading spaces, not a comment) at column `col`.
    fn line(&mut self, col: usize, content: &str) -> Option<()> {
        if let Some(Open {
            col: top,
            node: Node::Map(_, Some(_)),
        }) = self.stack.last()
        {
            let top = *top;
            if col > top {
                // The nested block of the waiting key.
                return self.open(col, content);
            }
            if col == top && content.starts_with('-') {
                // `key:` then `- x` at the key's column: a sequence value YAML allows there.
                return None;
            }
            self.attach(Value::Null)?;
        }
        while self.stack.last().is_some_and(|o| o.col > col) {
            self.close()?;
        }
        match self.stack.last() {
            None if self.root.is_none() => self.open(col, content),
            Some(o) if o.col == col => self.entry(col, content),
            // Content after the root, between two levels, or deeper than an entry with a value
            // (a multi-line scalar).
            _ => None,
        }
    }

    /// Starts a block collection at `col` with the entry `content`.
    fn open(&mut self, col: usize, content: &str) -> Option<()> {
        if self.stack.len() >= MAX_DEPTH {
            return None;
        }
        let node = if dash(content).is_some() {
            Node::Seq(self.items.len())
        } else {
            Node::Map(self.entries.len(), None)
        };
        self.stack.push(Open { col, node });
        self.entry(col, content)
    }

    /// An entry of the collection on top of the stack, which is at `col`.
    fn entry(&mut self, col: usize, content: &str) -> Option<()> {
        match &self.stack.last()?.node {
            Node::Seq(_) => {
                let rest = dash(content)?;
                let inner = rest.trim_start_matches(' ');
                let inner_col = col + content.len() - inner.len();
                if inner.is_empty() || inner.starts_with('#') {
                    // `-` alone: a nested block or null, left to yaml_serde.
                    return None;
                }
                if dash(inner).is_some() {
                    // `- - x`: a sequence in a sequence.
                    return self.open(inner_col, inner);
                }
                match item(inner)? {
                    Item::Key(..) => self.open(inner_col, inner),
                    Item::Scalar(v) => self.attach(v),
                }
            }
            Node::Map(..) => {
                let Item::Key(key, rest) = item(content)? else {
                    return None;
                };
                let value = rest.trim_start_matches(' ');
                let v = if value.is_empty() || value.starts_with('#') {
                    None
                } else {
                    match item(value)? {
                        Item::Scalar(v) => Some(v),
                        // `a: b: c`
                        Item::Key(..) => return None,
                    }
                };
                let Some(Open {
                    node: Node::Map(_, waiting),
                    ..
                }) = self.stack.last_mut()
                else {
                    return None;
                };
                match v {
                    Some(v) => self.entries.push((key, v)),
                    None => *waiting = Some(key),
                }
                Some(())
            }
        }
    }

    /// Adds a finished value to the collection on top of the stack (or makes it the root).
    fn attach(&mut self, v: Value) -> Option<()> {
        match self.stack.last_mut() {
            None if self.root.is_none() => self.root = Some(v),
            None => return None,
            Some(Open {
                node: Node::Seq(_), ..
            }) => self.items.push(v),
            Some(Open {
                node: Node::Map(_, waiting),
                ..
            }) => self.entries.push((waiting.take()?, v)),
        }
        Some(())
    }

    /// Ends the collection on top of the stack.
    fn close(&mut self) -> Option<()> {
        let v = match self.stack.pop()?.node {
            Node::Seq(first) => {
                let mut items = Vec::with_capacity(self.items.len().checked_sub(first)?);
                items.extend(self.items.drain(first..));
                Value::Array(items)
            }
            Node::Map(first, waiting) => {
                if let Some(key) = waiting {
                    self.entries.push((key, Value::Null));
                }
                let mut map = Map::with_capacity(self.entries.len().checked_sub(first)?);
                for (k, v) in self.entries.drain(first..) {
                    // As serde_json's own visitor: a repeated key keeps its first place, the
                    // last value wins.
                    map.insert(k, v);
                }
                Value::Object(map)
            }
        };
        self.attach(v)
    }

    fn finish(mut self) -> Option<Value> {
        while !self.stack.is_empty() {
            self.close()?;
        }
        self.root
    }
}

/// What follows a block sequence's `- ` (or a `-` that ends the text), if `s` starts with one.
fn dash(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('-')?;
    (rest.is_empty() || rest.starts_with(' ')).then_some(rest)
}

/// A key (`key:` and the rest of the line) or a scalar ending the line, at the start of `s`.
fn item(s: &str) -> Option<Item<'_>> {
    // Quoted scalars are unescaped into a `String`, plain ones stay borrowed until kept.
    let (text, quoted, rest) = match s.as_bytes().first()? {
        b'\'' => {
            let (text, rest) = single_quoted(&s[1..])?;
            (Cow::Owned(text), true, rest)
        }
        b'"' => {
            let (text, rest) = double_quoted(&s[1..])?;
            (Cow::Owned(text), true, rest)
        }
        b'{' | b'[' => {
            let (v, rest) = match s.get(..2) {
                Some("{}") => (Value::Object(Map::new()), &s[2..]),
                Some("[]") => (Value::Array(Vec::new()), &s[2..]),
                _ => return None,
            };
            return line_end(rest).then_some(Item::Scalar(v));
        }
        // Indicators: block entries, explicit keys, values, anchors, aliases, tags, block
        // scalars, directives and reserved characters. `-`, `?` and `:` before a non-space start a
        // plain scalar (in block context, as the yaml helper writes `:x`).
        b'-' | b'?' | b':' if matches!(s.as_bytes().get(1), None | Some(b' ')) => return None,
        b',' | b']' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' => {
            return None
        }
        _ => {
            let (text, rest) = plain(s);
            (Cow::Borrowed(text), false, rest)
        }
    };
    let after = rest.trim_start_matches(' ');
    if let Some(value) = after.strip_prefix(':') {
        // A plain key ends at its colon; a space before it is an edge left to yaml_serde.
        let spaced = !quoted && rest.len() != after.len();
        if !(value.is_empty() || value.starts_with(' '))
            || spaced
            || text.len() > MAX_KEY
            || text == "<<"
            || (!quoted && text.is_empty())
        {
            return None;
        }
        return Some(Item::Key(exact(text), value));
    }
    if !line_end(rest) {
        return None;
    }
    if quoted {
        Some(Item::Scalar(Value::String(exact(text))))
    } else {
        plain_value(&text).map(Item::Scalar)
    }
}

/// An owned string without spare capacity: a large manifest keeps ~100k of them.
fn exact(text: Cow<'_, str>) -> String {
    match text {
        Cow::Borrowed(s) => s.to_string(),
        Cow::Owned(mut s) => {
            s.shrink_to_fit();
            s
        }
    }
}

/// Whether `rest`, after a scalar, is only spaces and perhaps a comment.
fn line_end(rest: &str) -> bool {
    let t = rest.trim_start_matches(' ');
    t.is_empty() || (t.starts_with('#') && t.len() < rest.len())
}

/// A one-line plain scalar at the start of `s`: it ends at a `:` before a space or the line's
/// end, at ` #`, or at the line's end; trailing spaces are not part of it. Returns it and the
/// rest of the line.
fn plain(s: &str) -> (&str, &str) {
    let b = s.as_bytes();
    let mut end = b.len();
    for (i, &c) in b.iter().enumerate() {
        let next = b.get(i + 1);
        if (c == b':' && matches!(next, None | Some(b' '))) || (c == b' ' && next == Some(&b'#')) {
            end = i;
            break;
        }
    }
    let text = s[..end].trim_end_matches(' ');
    (text, &s[text.len()..])
}

/// A single-quoted scalar closed on this line (`s` starts after the opening quote): its text and
/// the rest of the line.
fn single_quoted(s: &str) -> Option<(String, &str)> {
    let mut text = String::new();
    let mut rest = s;
    loop {
        let i = rest.find('\'')?;
        text.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        match rest.strip_prefix('\'') {
            Some(r) => {
                text.push('\'');
                rest = r;
            }
            None => return Some((text, rest)),
        }
    }
}

/// A double-quoted scalar closed on this line (`s` starts after the opening quote), with libyaml's
/// escapes: its text and the rest of the line. An unknown escape or an escaped code point that
/// is not a character is yaml_serde's error to report.
fn double_quoted(s: &str) -> Option<(String, &str)> {
    let mut text = String::new();
    let mut chars = s.char_indices();
    loop {
        let (i, c) = chars.next()?;
        match c {
            '"' => return Some((text, &s[i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                let digits = match e {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => 0,
                };
                let c = if digits > 0 {
                    let mut code = 0u32;
                    for _ in 0..digits {
                        code = code * 16 + chars.next()?.1.to_digit(16)?;
                    }
                    char::from_u32(code)?
                } else {
                    match e {
                        '0' => '\0',
                        'a' => '\u{7}',
                        'b' => '\u{8}',
                        't' => '\t',
                        'n' => '\n',
                        'v' => '\u{b}',
                        'f' => '\u{c}',
                        'r' => '\r',
                        'e' => '\u{1b}',
                        ' ' | '"' | '/' | '\\' => e,
                        'N' => '\u{85}',
                        '_' => '\u{a0}',
                        'L' => '\u{2028}',
                        'P' => '\u{2029}',
                        _ => return None,
                    }
                };
                text.push(c);
            }
            c => text.push(c),
        }
    }
}

/// A plain scalar's value. yaml_serde types plain scalars: the null and boolean words of YAML 1.2's
/// core schema, integers (also `0x1f`, `0o17`, `+1`), floats (`1.5`, `1e3`, `.inf`); anything else
/// is a string.
fn plain_value(s: &str) -> Option<Value> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    if let Some(n) = simple_integer(s) {
        return Some(n);
    }
    // Only scalars starting with a digit, a sign or a dot can be numbers to yaml_serde.
    if !s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return Some(Value::String(s.to_string()));
    }
    typed_by_yaml_serde(s)
}

/// `0` or `-?[1-9][0-9]*` within i64/u64: the integers yaml_serde reads as themselves.
fn simple_integer(s: &str) -> Option<Value> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let simple = s == "0"
        || (digits.len() <= 18
            && digits.starts_with(|c: char| matches!(c, '1'..='9'))
            && digits.bytes().all(|b| b.is_ascii_digit()));
    if !simple {
        return None;
    }
    if s.starts_with('-') {
        s.parse::<i64>().ok().map(Value::from)
    } else {
        s.parse::<u64>().ok().map(Value::from)
    }
}

/// What yaml_serde makes of the one-line plain scalar `s`, which might be a number (`1.5`, `0x1f`,
/// `.inf`) or a string (`1.0.0`, `-x`), read as the value of a one-key document; `None` if `s` would
/// not stand as that same plain scalar there.
fn typed_by_yaml_serde(s: &str) -> Option<Value> {
    if s.contains('\n') || s.contains(" #") || s.contains(": ") || s.ends_with(':') {
        return None;
    }
    let Ok(Value::Object(mut doc)) = serde_yaml::from_str::<Value>(&format!("k: {s}\n")) else {
        return None;
    };
    match doc.remove("k") {
        Some(Value::String(got)) if got != s => None,
        Some(Value::Array(_) | Value::Object(_)) => None,
        got if doc.is_empty() => got,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The simple path's value, checked against yaml_serde's.
    fn simple(text: &str) -> Value {
        let v = parse_simple(text).unwrap_or_else(|| panic!("left to yaml_serde: {text:?}"));
        let want: Value = serde_yaml::from_str(text).expect("yaml_serde reads it");
        assert_eq!(v, want, "{text:?}");
        v
    }

    /// Left to yaml_serde, and `parse` gives yaml_serde's result.
    fn left_to_yaml_serde(text: &str) {
        assert_eq!(
            parse_simple(text),
            None,
            "{text:?} was read by the simple path"
        );
        same_as_yaml_serde(text);
    }

    fn same_as_yaml_serde(text: &str) {
        let want = serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string());
        assert_eq!(parse(text).map_err(|e| e.to_string()), want, "{text:?}");
    }

    #[test]
    fn plain_scalars_are_typed_as_yaml_serde_types_them() {
        let words = [
            "~",
            "null",
            "Null",
            "NULL",
            "nULL",
            "true",
            "True",
            "TRUE",
            "tRUE",
            "false",
            "False",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "0",
            "-0",
            "+0",
            "00",
            "07",
            "-07",
            "1",
            "-1",
            "+1",
            "12",
            "-12",
            "1_000",
            "1,000",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "999999999999999999",
            "-999999999999999999",
            "1.5",
            "-1.5",
            "+1.5",
            "1.",
            ".5",
            "-.5",
            "1e3",
            "1E3",
            "1e-3",
            "-1e3",
            "1e400",
            "0x1f",
            "0X1f",
            "-0x1f",
            "+0x1f",
            "0x",
            "0o17",
            "0b101",
            "0xg",
            ".inf",
            "-.inf",
            "+.inf",
            ".Inf",
            ".NaN",
            ".nan",
            "inf",
            "-inf",
            "nan",
            "NaN",
            "infinity",
            ".",
            "..",
            "-x",
            "+x",
            ".x",
            "1.0.0",
            "2001-12-14",
            "12:30",
            "1:20:30",
            "1 2",
            "1a",
            "0.1.2-beta",
            "v1",
            "/a/b",
            "$x",
            "a:b",
            "a?b",
            "a#b",
            "a, b",
            "a]",
            "é",
            ":x",
            "?x",
            "-x:y",
            "::",
            "??",
        ];
        for w in words {
            for doc in [
                format!("k: {w}\n"),
                format!("- {w}\n"),
                format!("- k: {w}  # c\n"),
            ] {
                same_as_yaml_serde(&doc);
                if serde_yaml::from_str::<Value>(&doc).is_ok() {
                    simple(&doc);
                }
            }
        }
        assert_eq!(simple("k: 12\n"), json!({"k": 12}));
        assert_eq!(simple("k: -12\n"), json!({"k": -12}));
        assert_eq!(simple("k: 1.5\n"), json!({"k": 1.5}));
        assert_eq!(simple("k: 1.0.0\n"), json!({"k": "1.0.0"}));
        assert_eq!(simple("k: 07\n"), json!({"k": "07"}));
        assert_eq!(simple("k: 0x1f\n"), json!({"k": 31}));
        assert_eq!(simple("k: yes\n"), json!({"k": "yes"}));
        assert_eq!(simple("k: True\n"), json!({"k": true}));
        assert_eq!(simple("k: .inf\n"), json!({"k": null}));
        assert_eq!(simple("k:\n"), json!({"k": null}));
        assert_eq!(
            simple("1: a\nnull: b\n'~': c\n"),
            json!({"1": "a", "null": "b", "~": "c"})
        );
    }

    #[test]
    fn quoted_scalars_are_strings_with_libyaml_escapes() {
        let doc = r##"a: '1'
b: "true"
c: "x\ty\u00e9\n\x41\U0001F600\/\\\"\ \0\a\b\v\f\r\e\N\_\L\P"
d: 'it''s # not a comment'
e: ''
f: "null"  # c
'g h': "#"
"i\"": 'j: k'
"##;
        assert_eq!(
            simple(doc),
            json!({"a": "1", "b": "true", "c": "x\tyé\nA\u{1f600}/\\\" \0\u{7}\u{8}\u{b}\u{c}\r\u{1b}\u{85}\u{a0}\u{2028}\u{2029}", "d": "it's # not a comment", "e": "", "f": "null", "g h": "#", "i\"": "j: k"})
        );
    }

    #[test]
    fn hostile_strings_written_by_the_yaml_helper_are_read_back() {
        for s in [
            "a: b",
            "# x",
            "---",
            "...",
            "- x",
            "? x",
            "{{x}}",
            "${X}",
            "[a, b]",
            "{a: b}",
            "&a",
            "*a",
            "!t",
            "%x",
            "@x",
            "`x",
            "'q'",
            "\"q\"",
            "\\",
            "multi\nline",
            "tab\there",
            " lead",
            "trail ",
            "é ü",
            "\u{200b}\u{202e}",
            "\u{7}",
            "\u{85}",
            "\u{2028}",
            "\u{feff}",
            "\u{1f600}",
            "https://x/{issue.key}?a=1&b=2#frag",
            "<script>",
            "1.0",
            "<<",
            "-",
            ":",
            "?",
            "",
        ] {
            for doc in [
                format!(
                    "k: {}\nnext: 1\n",
                    super::super::yaml_value(&json!(s), None).unwrap()
                ),
                format!(
                    "- {}\n",
                    super::super::yaml_value(&json!({ s: [s] }), Some(2)).unwrap()
                ),
            ] {
                same_as_yaml_serde(&doc);
                let v = parse(&doc).expect("parses");
                assert!(
                    v == json!({"k": s, "next": 1}) || v == json!([{ s: [s] }]),
                    "{doc:?}"
                );
                if s != "<<" {
                    simple(&doc);
                }
            }
        }
    }

    #[test]
    fn block_collections_in_the_templates_layout() {
        let doc = "# c\n\napp:\n  id: x # c\n  list:\n    - a\n    - - 1\n      - 'b'\n    -   c: d\n        e: {}\n    - []\n  empty:\n  map:\n    k: [] \n    k2: -3\nrepeat: 1\nrepeat: 2\n";
        assert_eq!(
            simple(doc),
            json!({"app": {"id": "x", "list": ["a", [1, "b"], {"c": "d", "e": {}}, []], "empty": null, "map": {"k": [], "k2": -3}}, "repeat": 2})
        );
        // A repeated key keeps its first place, as in serde_json's own map.
        let keys: Vec<String> = simple("a: 1\nb: 2\na: 3\n")
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(
            simple("- 1\n- x: 2\n  y:\n"),
            json!([1, {"x": 2, "y": null}])
        );
        assert_eq!(simple("  a: 1\n  b: 2\n"), json!({"a": 1, "b": 2}));
    }

    #[test]
    fn whatever_the_simple_path_cannot_vouch_for_goes_to_yaml_serde() {
        for doc in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: !custom x\n",
            "base: {x: 1}\nm:\n  <<: {y: 2}\n",
            "? a\n: b\n",
            "?\n",
            "a: ?\n",
            "a: :\n",
            "? [a, b]\n: c\n",
            "[a, b]: c\n",
            ": empty key\n",
            "a : spaced key\n",
            "%YAML 1.1\n---\na: 1\n",
            "---\na: 1\n",
            "a: 1\n...\n",
            "a: 1\n---\nb: 2\n",
            "",
            "# only a comment\n",
            "plain\n",
            "a:\tb\n",
            "a: b\r\nc: d\r\n",
            "a: x\u{85}y\n",
            "a: x\u{2028}y\n",
            "\u{feff}a: 1\n",
            "a: [1, 2]\n",
            "a: {b: c}\n",
            "a: |\n  x\n",
            "a: >\n  x\n",
            "a: multi\n  line\n",
            "a:\n  plain on its own line\n",
            "a: 'two\n  lines'\n",
            "a: \"two\n  lines\"\n",
            "a:\n- x\n",
            "-\n  a: 1\n",
            "- # c\n  a: 1\n",
            "a: 99999999999999999999\n",
            "a: 1\nb: [1, 2\n",
            "a: 'unterminated\n",
            "a: \"\\q\"\n",
            "a: \"\\ud800\"\n",
            "a:\n  - x\n b: y\n",
            "a: b: c\n",
            "a: - b\n",
            "- a\nb: c\n",
            "a: 1\n  b: 2\n",
            "a: 'x'y\n",
            "a: 'x'#c\n",
            "a: \u{7}\n",
            "a: x # c\n  y\n",
            "a: x\n  - y\n",
        ] {
            left_to_yaml_serde(doc);
        }
        let long_key = format!("{}: 1\n", "k".repeat(1100));
        left_to_yaml_serde(&long_key);
        let deep: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        left_to_yaml_serde(&deep);
    }

    #[test]
    fn invalid_yaml_is_refused_with_yaml_serde_message() {
        for doc in [
            "a: [1, 2\n",
            "a: b: c\n",
            "a: 'x\n",
            "- a\nb: c\n",
            "a:\n  b: 1\n c: 2\n",
            "a: \"\\q\"\n",
        ] {
            let got = parse(doc).map_err(|e| e.to_string());
            let want = serde_yaml::from_str::<Value>(doc).map_err(|e| e.to_string());
            assert!(want.is_err(), "{doc:?} is valid to yaml_serde");
            assert_eq!(got, want);
        }
    }
}
