//! The `yaml` helper's writer: JSON values as YAML scalars and blocks that every common YAML
//! reader (1.1 or 1.2) reads back as the same value. Templates give the layout; values only ever
//! reach YAML through here.

use serde_json::Value;

/// Writes `v` as YAML: a one-line scalar, or with `indent` a block whose lines after the first
/// are indented by that many spaces (for a value after `- ` or `key: `).
pub fn yaml_value(v: &Value, indent: Option<usize>) -> std::result::Result<String, String> {
    let mut out = String::new();
    match v {
        Value::Object(_) | Value::Array(_) => {
            let Some(n) = indent else {
                // A flow collection: JSON is valid YAML.
                return serde_json::to_string(v).map_err(|e| e.to_string());
            };
            block(v, n, &mut out)?;
        }
        other => scalar(other, &mut out)?,
    }
    Ok(out)
}

/// Writes a scalar on one line. Strings are written as yaml_serde writes them, with two
/// exceptions: characters a one-line scalar cannot hold are escaped in double quotes, and YAML 1.1
/// booleans and sexagesimals are quoted.
fn scalar(v: &Value, out: &mut String) -> std::result::Result<(), String> {
    match v {
        Value::String(s) => yaml_str(s, out),
        other => {
            out.push_str(&serde_json::to_string(other).map_err(|e| e.to_string())?);
            Ok(())
        }
    }
}

fn yaml_str(s: &str, out: &mut String) -> std::result::Result<(), String> {
    if plain_safe(s) {
        // What yaml_serde writes for these, without running an emitter per scalar.
        out.push_str(s);
    } else if s.chars().any(needs_yaml_escape) {
        yaml_double_quoted(s, out);
    } else {
        let y = serde_yaml::to_string(s).map_err(|e| e.to_string())?;
        let y = y.trim_end_matches('\n');
        // yaml_serde writes YAML 1.2, where `yes` or `1:20` are strings; YAML 1.1 parsers
        // (still common) read them as a boolean or a number. Quote those too.
        if y == s && is_yaml11_special(s) {
            // Single-quoted: only `'` needs escaping there (doubled); a timestamp-like string
            // may hold one (`2001-12-14'`).
            out.push('\'');
            out.push_str(&s.replace('\'', "''"));
            out.push('\'');
        } else {
            out.push_str(y);
        }
    }
    Ok(())
}

/// Writes a collection in block style, its first line unindented (it follows `- ` or `key: `) and
/// the others at `indent` spaces; every scalar and key is written as by [`yaml_value`].
fn block(v: &Value, indent: usize, out: &mut String) -> std::result::Result<(), String> {
    let new_line = |out: &mut String| {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', indent));
    };
    let empty = |v: &Value| match v {
        Value::Object(o) => o.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => true,
    };
    match v {
        Value::Object(o) if !o.is_empty() => {
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    new_line(out);
                }
                let start = out.len();
                yaml_str(k, out)?;
                // YAML limits implicit keys to 1024 characters: longer ones take the explicit
                // `? key` form, with the `:` on the next line.
                if out.len() - start > 1000 {
                    out.insert_str(start, "? ");
                    new_line(out);
                }
                out.push(':');
                if empty(v) {
                    out.push(' ');
                    scalar_or_empty(v, out)?;
                } else {
                    new_line(out);
                    out.push_str("  ");
                    block(v, indent + 2, out)?;
                }
            }
            Ok(())
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    new_line(out);
                }
                out.push_str("- ");
                if empty(item) {
                    scalar_or_empty(item, out)?;
                } else {
                    block(item, indent + 2, out)?;
                }
            }
            Ok(())
        }
        other => scalar_or_empty(other, out),
    }
}

fn scalar_or_empty(v: &Value, out: &mut String) -> std::result::Result<(), String> {
    match v {
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        other => scalar(other, out)?,
    }
    Ok(())
}

/// Characters a YAML scalar cannot carry literally on one line: line breaks (including YAML 1.1's
/// NEL, LS and PS), anything outside YAML's printable set, the BOM, and bidi controls (which
/// would make the file read differently from what it holds).
fn needs_yaml_escape(c: char) -> bool {
    let printable = matches!(c, '\t' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    !printable || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') || is_bidi_control(c)
}

pub use crate::source::is_bidi_control;

/// A YAML double-quoted scalar with every special character escaped.
fn yaml_double_quoted(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_yaml_escape(c) && (c as u32) <= 0xffff => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if needs_yaml_escape(c) => out.push_str(&format!("\\U{:08x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Strings yaml_serde writes as they are (a plain scalar): printable ASCII starting with a letter,
/// `/`, `_` or `$` (so not a number, and no indicator), not a YAML 1.1 special word nor a word Rust
/// parses as a float, without `: ` or ` #` inside, and not ending with a space or `:` (libyaml's
/// rules for a plain scalar in block context). Written without running an emitter per scalar,
/// which is costly on large descriptors (docs/performance.md);
/// `plain_safe_strings_are_what_yaml_serde_writes` holds this to yaml_serde.
fn plain_safe(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b.first(), Some(c) if c.is_ascii_alphabetic() || matches!(c, b'/' | b'_' | b'$'))
        && b.iter().all(|c| (b' '..=b'~').contains(c))
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !is_yaml11_special(s)
        && !["inf", "infinity", "nan"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(s))
}

/// Plain scalars that a common YAML reader reads as something other than this string: YAML 1.1
/// (PyYAML, SnakeYAML, libyaml-based readers) and YAML 1.2 (core and JSON schemas). A superset on
/// purpose: quoting a string that needed none costs two characters, a plain one misread changes
/// the value. Covers booleans (`y`, `on`, any case), null (`~`, `null`, empty), the value and merge
/// keys (`=`, `<<`), numbers with `_`, base prefixes (`0x`, `0o`, `0b`), exponents and
/// sexagesimals (`1:20`), `.inf`/`.nan`, and timestamps (`2001-12-14...`).
fn is_yaml11_special(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "", "=", "<<",
    ];
    if WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return true;
    }
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if [".inf", ".nan", "inf", "nan", "infinity", ".infinity"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(body))
    {
        return true;
    }
    numberish(body) || timestamp_prefix(s)
}

/// A number in some YAML schema (sign already removed): `0x`/`0o`/`0b` digits, or digits with
/// `_`, `.` and `:` (decimal, octal, float, sexagesimal) and an optional exponent.
fn numberish(b: &str) -> bool {
    let bytes = b.as_bytes();
    if let [b'0', b'x' | b'X' | b'o' | b'O' | b'b' | b'B', rest @ ..] = bytes {
        if !rest.is_empty() && rest.iter().all(|c| c.is_ascii_hexdigit() || *c == b'_') {
            return true;
        }
    }
    let (mantissa, exponent) = match b.find(['e', 'E']) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let digits_ok = mantissa.bytes().any(|c| c.is_ascii_digit())
        && mantissa.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && mantissa
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'_' | b'.' | b':'));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
    });
    digits_ok && exponent_ok
}

/// YAML 1.1's timestamp starts `YYYY-M-D` (a date, or a date and a time).
fn timestamp_prefix(s: &str) -> bool {
    let mut parts = s.splitn(3, '-');
    let (Some(y), Some(m), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let d: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let all_digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit())
    };
    all_digits(y, 4..=4) && all_digits(m, 1..=2) && all_digits(&d, 1..=2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn roundtrip(s: &str) {
        let y = yaml_value(&json!(s), None).unwrap();
        let doc = format!("k: {y}\n");
        let back: Value = serde_yaml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
        assert_eq!(back["k"], json!(s), "{doc}");
    }

    /// Strings written as they are must be exactly what the yaml_serde emitter writes.
    fn check_plain_safe(s: &str) {
        if plain_safe(s) {
            assert_eq!(
                serde_yaml::to_string(s).ok().as_deref(),
                Some(format!("{s}\n").as_str()),
                "{s:?}"
            );
            assert!(!is_yaml11_special(s), "{s:?}");
        }
    }

    #[test]
    fn plain_safe_strings_are_what_yaml_serde_writes() {
        let ascii: Vec<char> = (' '..='~').collect();
        for a in &ascii {
            check_plain_safe(&a.to_string());
            for b in &ascii {
                check_plain_safe(&format!("{a}{b}"));
            }
        }
        // Longer strings over the characters that matter to YAML, after each allowed first one.
        let special: Vec<char> = "aZ0 :#-?,[]{}'\"/.$_!%&*|>@`~=\\".chars().collect();
        for first in ["a", "Z", "/", "$", "_", "y", "n", "o", "t", "f", "i"] {
            for b in &special {
                for c in &special {
                    for d in &special {
                        check_plain_safe(&format!("{first}{b}{c}{d}"));
                    }
                }
            }
        }
        for s in [
            "Page 0",
            "https://example.com/x?y={z}&w=[1]#frag",
            "a, b",
            "a: b",
            "a:",
            "a #b",
            "a#b",
            "a ",
            "inf",
            "Infinity",
            "NaN",
            "nan",
            "True",
            "NULL",
            "Yes",
            "off",
            "y",
            "N",
            "/a/b c",
            "$ref",
            "_x",
            "a'b\"c",
            "a\\b",
            "a - b",
            "a -",
            "a ?",
            "a|b",
            "a > b",
        ] {
            check_plain_safe(s);
        }
        assert!(plain_safe("Page 0") && plain_safe("https://example.com/x?y={z}"));
        assert!(!plain_safe("a: b") && !plain_safe("a #b") && !plain_safe("Yes"));
    }

    #[test]
    fn yaml_scalars_round_trip_hostile_strings() {
        for s in [
            "plain",
            "a: b",
            "# not a comment",
            "---",
            "{{x}}",
            "yes",
            "no",
            "null",
            "~",
            "123",
            "0x1f",
            "multi\nline",
            "tab\there",
            " lead",
            "trail ",
            "'q'",
            "\"dq\"",
            "- item",
            "",
            "&anchor",
            "*alias",
            "!tag",
            "%",
            "@",
            "`",
            "a #b",
            "ünïcödé",
            "\u{200b}\u{202e}",
            "\u{0007}",
            "https://x/{issue.key}",
        ] {
            roundtrip(s);
        }
    }

    #[test]
    fn blocks_quote_nested_yaml_11_specials_and_round_trip() {
        let v = json!({"key": "a", "value": "yes", "list": ["on", {"x": "1:20", "e": [], "o": {}}], "n": 1.5, "z": null});
        let y = yaml_value(&v, Some(6)).unwrap();
        assert!(
            y.contains("value: 'yes'") && y.contains("- 'on'") && y.contains("x: '1:20'"),
            "{y}"
        );
        let doc = format!("x:\n  y:\n    - {y}\n");
        let back: Value = serde_yaml::from_str(&doc).unwrap();
        assert_eq!(back["x"]["y"][0], v, "{doc}");
    }

    #[test]
    fn yaml_11_booleans_and_sexagesimals_are_quoted() {
        for s in ["yes", "No", "ON", "off", "y", "1:20", "190:20:30"] {
            let y = yaml_value(&json!(s), None).unwrap();
            assert!(y.starts_with('\'') || y.starts_with('"'), "{s} → {y}");
        }
        assert_eq!(yaml_value(&json!("plain"), None).unwrap(), "plain");
        // Quoted because it starts like a timestamp, with its own quote doubled.
        assert_eq!(
            yaml_value(&json!("2001-12-14'"), None).unwrap(),
            "'2001-12-14'''"
        );
    }

    #[test]
    fn yaml_blocks_indent_after_the_first_line() {
        let v = json!({"key": "a", "name": {"value": "N\nM"}, "list": [1, 2]});
        let y = yaml_value(&v, Some(6)).unwrap();
        let doc = format!("x:\n  y:\n    - {y}\n");
        let back: Value = serde_yaml::from_str(&doc).unwrap();
        assert_eq!(back["x"]["y"][0], v, "{doc}");
    }
}
