//! The manifest parse-back (`render::parse_back::parse`) against yaml_serde, on generated
//! YAML-like documents: whatever the text, it must give yaml_serde's value, or yaml_serde's error
//! message. The simple path must also take the documents the templates write.
//!
//! `C2F_PARSE_BACK_CASES=N` sets the cases per property (default 2,000, a few seconds); run with
//! `--release` and a large N to search longer.

use connect2forge::render::parse_back::{parse, parse_simple};
use connect2forge::render::yaml_value;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value};

fn cases() -> u32 {
    std::env::var("C2F_PARSE_BACK_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000)
}

/// Same value or same error as yaml_serde.
fn agrees(doc: &str) -> Result<(), TestCaseError> {
    let want = serde_yaml::from_str::<Value>(doc).map_err(|e| e.to_string());
    let got = parse(doc).map_err(|e| e.to_string());
    prop_assert_eq!(&got, &want, "document: {:?}", doc);
    if let Some(v) = parse_simple(doc) {
        prop_assert_eq!(Ok(v), want, "streamed: {:?}", doc);
    }
    Ok(())
}

/// Pieces of YAML lines: structure, scalars of every type and style, and what the fast path must
/// leave to yaml_serde.
const PIECES: &[&str] = &[
    "- ",
    "-",
    "- - ",
    "key: ",
    "key:",
    "k2: ",
    "a b: ",
    "'q k': ",
    "\"d\\tk\": ",
    "1: ",
    "~: ",
    "? ",
    ": ",
    ":",
    "x",
    "plain words",
    "1",
    "-1",
    "+1",
    "0",
    "-0",
    "07",
    "0x1f",
    "0o7",
    "1.5",
    "1e3",
    ".5",
    ".inf",
    "1.0.0",
    "12:30",
    "true",
    "True",
    "yes",
    "null",
    "~",
    "'it''s'",
    "''",
    "\"a\\tb\\\"\"",
    "\"\\u00e9\\x41\\U0001F600\"",
    "\"\\q\"",
    "\"\\ud800\"",
    "'open",
    "\"open",
    "{}",
    "[]",
    "[a, b]",
    "{a: 1}",
    "[",
    "{",
    "]",
    "}",
    ",",
    "# c",
    " #c",
    "#c",
    "&a ",
    "*a",
    "!t ",
    "!!str ",
    "!!int ",
    "|",
    ">",
    "|-",
    ">+",
    "---",
    "...",
    "%YAML 1.1",
    "<<: ",
    "@",
    "`",
    "  ",
    " ",
    "\t",
    "\r",
    "é",
    "\u{a0}",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "a:b",
    "http://x/y?z=1",
    "a #b",
    "a# b",
    "-x",
    "?x",
    ":x",
    "- x",
    "x ",
    "\\",
    "'",
    "\"",
];

/// Lines of pieces at small indents.
fn soup() -> impl Strategy<Value = String> {
    let line = (
        prop_oneof![4 => (0usize..4).prop_map(|n| n * 2), 1 => 0usize..7],
        prop::collection::vec(select(PIECES), 1..5),
    )
        .prop_map(|(indent, parts)| format!("{}{}", " ".repeat(indent), parts.concat()));
    (prop::collection::vec(line, 1..10), any::<bool>()).prop_map(|(lines, nl)| {
        let mut doc = lines.join("\n");
        if nl {
            doc.push('\n');
        }
        doc
    })
}

/// Scalars for `shaped` lines: mostly what the simple path reads, some of what it leaves.
const SCALARS: &[&str] = &[
    "a",
    "b c",
    "1",
    "-2",
    "1.5",
    "07",
    "0x1f",
    "yes",
    "true",
    "null",
    "~",
    "''",
    "'q''t'",
    "\"d\\n\"",
    "\"\\u00e9\"",
    "{}",
    "[]",
    "a:b",
    "a#b",
    "-x",
    ":x",
    "?x",
    "é",
    "%",
    "<<",
    "1.0.0",
    "'a: b'",
    "\"# c\"",
    "[a]",
    "&x a",
    "*x",
    "!t a",
    "|",
    "'",
    "\"",
];

/// Lines shaped like block collections: indent, dashes, a key, a value, a comment, at random.
fn shaped() -> impl Strategy<Value = String> {
    let line = (
        prop_oneof![3 => (0usize..3).prop_map(|n| n * 2), 1 => 0usize..7],
        0usize..3,
        prop::option::weighted(0.8, select(SCALARS)),
        prop::option::of(select(SCALARS)),
        prop::option::weighted(0.2, select(&[" # c", "#c", "  ", " ", ":", " :"][..])),
    )
        .prop_map(|(indent, dashes, key, value, tail)| {
            let mut line = " ".repeat(indent);
            line.push_str(&"- ".repeat(dashes));
            if let Some(k) = key {
                line.push_str(k);
                line.push(':');
                if value.is_some() {
                    line.push(' ');
                }
            }
            line.push_str(value.unwrap_or(""));
            line.push_str(tail.unwrap_or(""));
            line
        });
    prop::collection::vec(line, 1..7).prop_map(|lines| lines.join("\n") + "\n")
}

const WORDS: &[&str] = &[
    "key",
    "name",
    "value",
    "url",
    "a b",
    "yes",
    "null",
    "1",
    "-2",
    "1.5",
    "07",
    "0x1f",
    "",
    " x",
    "x ",
    "a: b",
    "# c",
    "- d",
    "{e}",
    "[f]",
    "'g'",
    "\"h\"",
    "é",
    "i\nj",
    "k\tl",
    "\u{85}",
    "1.0.0",
    "${V}",
    "{{x}}",
    "https://x/{issue.key}",
    "~",
    "true",
    "<<",
    "?",
    "-",
    ":",
];

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1000i64..1000).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        select(WORDS).prop_map(Value::from),
        "[ -~]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((select(WORDS).prop_map(String::from), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A manifest-like document: `v` written by the `yaml` helper in the template's layout, as a block
/// and, with `flow`, also as the helper's flow (JSON) form.
fn manifest_like(v: &Value, flow: bool) -> String {
    let block = yaml_value(v, Some(6)).unwrap_or_default();
    let flow = if flow {
        format!("    - {}\n", yaml_value(v, None).unwrap_or_default())
    } else {
        String::new()
    };
    format!("# generated\napp:\n  id: x\nconnectModules:\n  jira:webItems:\n    - {block}\n{flow}scopes:\n  - READ\n")
}

/// `doc` with a few characters inserted, removed or replaced.
fn mutated() -> impl Strategy<Value = String> {
    (
        value(),
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                0u8..3,
                select(
                    &[
                        " ", "  ", "\n", "-", ":", "#", "'", "\"", "?", "{", "[", ",", "&", "!",
                        "|", "\\", "x", "0",
                    ][..],
                ),
            ),
            1..4,
        ),
    )
        .prop_map(|(v, edits)| {
            let mut doc: Vec<char> = manifest_like(&v, true).chars().collect();
            for (at, op, piece) in edits {
                if doc.is_empty() {
                    break;
                }
                let i = at.index(doc.len());
                match op {
                    0 => {
                        doc.splice(i..i, piece.chars());
                    }
                    1 => {
                        doc.remove(i);
                    }
                    _ => {
                        doc.splice(i..=i, piece.chars());
                    }
                }
            }
            doc.into_iter().collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn line_soup_agrees_with_yaml_serde(doc in soup()) {
        agrees(&doc)?;
    }

    #[test]
    fn shaped_lines_agree_with_yaml_serde(doc in shaped()) {
        agrees(&doc)?;
    }

    #[test]
    fn mutated_manifests_agree_with_yaml_serde(doc in mutated()) {
        agrees(&doc)?;
    }

    #[test]
    fn manifests_the_helper_writes_are_read_by_the_simple_path(v in value()) {
        agrees(&manifest_like(&v, true))?;
        // Flow collections and merge keys are left to yaml_serde; the rest of a block is not.
        let doc = manifest_like(&v, false);
        agrees(&doc)?;
        // (The yaml helper quotes a key `<<`, which the simple path still leaves to yaml_serde.)
        if !doc.contains("<<") {
            prop_assert!(parse_simple(&doc).is_some(), "left to yaml_serde: {:?}", doc);
        }
    }
}

#[test]
fn the_default_manifest_of_the_example_is_read_by_the_simple_path() {
    let templates = connect2forge::render::Templates::load(None).expect("templates");
    let src = connect2forge::source::SourceText::new(
        "atlassian-connect.json",
        include_str!("../examples/atlassian-connect.json").to_string(),
    );
    let (_, _, files) = connect2forge::migrate_text(
        &src,
        &connect2forge::descriptor::ReadOptions::default(),
        &templates,
        None,
    )
    .expect("migrates");
    let manifest = &files
        .iter()
        .find(|f| f.path == "manifest.yml")
        .expect("a manifest")
        .content;
    let simple = parse_simple(manifest).expect("read by the simple path");
    assert_eq!(
        Ok(simple),
        serde_yaml::from_str::<Value>(manifest).map_err(|e| e.to_string())
    );
    assert_eq!(
        parse(manifest)
            .ok()
            .and_then(|v| v.get("app").cloned())
            .map(|a| a["id"].is_string()),
        Some(true)
    );
}

/// The fuzz target's checked-in corpus, as the target checks it.
#[test]
fn the_parse_back_fuzz_corpus_agrees_with_yaml_serde() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/parse_back");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/corpus/parse_back") {
        let path = entry.expect("a corpus entry").path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // the target skips what is not UTF-8
        };
        agrees(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        seen += 1;
    }
    assert!(seen > 0);
}
