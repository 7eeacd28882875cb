//! Property tests: the YAML escaping helper round-trips any string, resource-key shortening is
//! always unique, short and pattern-valid, and no JSON document or raw text panics the parser or
//! the in-memory pipeline (descriptor → mapping → rendered files).
//!
//! Case counts are kept so that the whole file runs in well under 20 s in a debug build.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use connect2forge::descriptor::product::Product;
use connect2forge::descriptor::{self, ReadOptions};
use connect2forge::manifest::yaml::yaml_value;
use connect2forge::mapping::keys::{self, MAX_RESOURCE_KEY};
use connect2forge::scaffold::Templates;
use connect2forge::source::SourceText;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

// --- Strategies ---

/// Pieces that are special somewhere in YAML, JSON, HTML, JS or handlebars.
const FRAGMENTS: &[&str] = &[
    ": ",
    ":",
    " #",
    "#",
    "---",
    "...",
    "- ",
    "? ",
    "|",
    ">",
    "|-",
    ">+",
    "!",
    "!!str",
    "&a",
    "*a",
    "%",
    "@",
    "`",
    ",",
    "[",
    "]",
    "{",
    "}",
    "{{x}}",
    "{{#each x}}",
    "${x}",
    "'",
    "\"",
    "\\",
    "\\n",
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "  ",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "null",
    "Null",
    "~",
    "true",
    "False",
    "0",
    "-0",
    "0x1f",
    "0o17",
    "017",
    "1e3",
    "1_000",
    ".inf",
    "-.Inf",
    ".nan",
    "12:30",
    "2001-12-14",
    "<<",
    "=",
    "</script>",
    "<!--",
    "*/",
    "\u{0}",
    "\u{7}",
    "\u{8}",
    "\u{b}",
    "\u{c}",
    "\u{1b}",
    "\u{7f}",
    "\u{a0}",
    "\u{feff}",
    "\u{200b}",
    "\u{200e}",
    "\u{202e}",
    "\u{2066}",
    "\u{2028}",
    "\u{2029}",
    "\u{fffd}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{1f600}",
    "é",
    "\u{10ffff}",
];

/// Arbitrary strings weighted towards the characters and fragments that break YAML.
fn hostile_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => any::<char>().prop_map(String::from),
            3 => select(FRAGMENTS).prop_map(str::to_string),
            1 => select(&["\u{85}", "\u{7f}", "\u{80}", "\u{9f}", "\n\n", "\u{2028}"][..]).prop_map(str::to_string),
            2 => "[a-z ]{1,8}",
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

/// Characters `yaml_value` is known not to round-trip in a one-line scalar once the string also
/// holds a newline or control character, because it is then written as a JSON string, which
/// leaves them raw (see `yaml_scalar_bug_reproductions`): DEL and the C1 controls U+0080–U+009F
/// (not printable in YAML), U+0085, U+2028 and U+2029 (line breaks to the YAML parser, so folded
/// into a space) and the non-characters U+FFFE/U+FFFF.
fn scalar_bug(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'
    )
}

/// Hostile strings without the characters of `scalar_bug`.
fn scalar_safe_string() -> impl Strategy<Value = String> {
    hostile_string().prop_map(|s| s.replace(scalar_bug, ""))
}

/// Hostile strings without what `yaml_value`'s block form is known to break (see
/// `yaml_block_bug_reproductions`): `scalar_bug` (U+2028/U+2029 are line breaks to the YAML
/// emitter but not to the re-indentation) and trailing newlines (a `|+` block scalar's kept blank
/// lines, which the re-indentation trims).
fn block_safe_string() -> impl Strategy<Value = String> {
    hostile_string().prop_map(|s| {
        s.replace(scalar_bug, "")
            .trim_end_matches(['\n', '\r'])
            .to_string()
    })
}

/// Any JSON value, with strings from `strings` and object keys that are mostly descriptor names.
fn json_value(strings: BoxedStrategy<String>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        strings.clone().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![3 => property_name(), 1 => strings.clone()],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

const NAMES: &[&str] = &[
    "key",
    "name",
    "value",
    "description",
    "baseUrl",
    "authentication",
    "type",
    "scopes",
    "lifecycle",
    "installed",
    "modules",
    "jiraBackgroundScripts",
    "generalPages",
    "webhooks",
    "configurePage",
    "jiraIssueGlances",
    "webItems",
    "dialogs",
    "dynamicContentMacros",
    "url",
    "event",
    "location",
    "shouldReloadOnRefresh",
    "conditions",
    "params",
    "translations",
    "cloudAppMigration",
    "unlicensedAccess",
    "vendor",
    "links",
    "icon",
    "apiVersion",
    "repoPages",
    "target",
    "content",
];

fn property_name() -> impl Strategy<Value = String> {
    select(NAMES).prop_map(str::to_string)
}

/// Strings a descriptor would plausibly hold, plus hostile ones.
fn descriptor_string() -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(&[
            "https://x.example.com", "http://localhost:3000", "{{localBaseUrl}}", "${BASE_URL}",
            "${APP_KEY:me.app}", "/bg", "/bg?issue={issue.key}", "//evil", "javascript:x",
            "issue_view", "ISSUE_VIEW", "dashboard", "jwt", "none", "READ", "write", "jira:issue_created",
            "com.example.app", "bg", "a-b-c", "", " ", "{{#if x}}", "<% x %>",
        ][..]).prop_map(str::to_string),
        2 => hostile_string(),
        1 => "[a-zA-Z0-9-]{1,120}",
    ]
    .boxed()
}

/// Mostly `good`, sometimes any descriptor string.
fn mostly(good: impl Strategy<Value = String> + 'static) -> BoxedStrategy<String> {
    prop_oneof![12 => good, 1 => descriptor_string()].boxed()
}

/// A value that is mostly a string from `good`, sometimes any JSON value.
fn mostly_value(good: impl Strategy<Value = String> + 'static) -> BoxedStrategy<Value> {
    prop_oneof![
        30 => mostly(good).prop_map(Value::String),
        1 => json_value(descriptor_string()),
    ]
    .boxed()
}

/// A relative URL with hostile but (mostly) printable characters.
fn relative_url() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => hostile_string().prop_map(|s| format!("/p{}", s.replace(char::is_control, ""))),
        1 => hostile_string().prop_map(|s| format!("/p{s}")),
    ]
}

/// A background script entry: mostly valid, with hostile values and stray fields.
fn background_script() -> impl Strategy<Value = Value> {
    (
        mostly_value("[a-zA-Z0-9-]{1,110}"),
        mostly_value(relative_url()),
        prop_oneof![
            4 => (
                mostly(select(&["issue_view", "ISSUE_VIEW", "dashboard", "DASHBOARD"][..]).prop_map(str::to_string)),
                prop::option::of(prop_oneof![3 => any::<bool>().prop_map(Value::Bool), 1 => json_value(descriptor_string())]),
            )
                .prop_map(|(t, r)| {
                    let mut l = json!({ "type": t });
                    if let Some(r) = r {
                        l["shouldReloadOnRefresh"] = r;
                    }
                    l
                }),
            1 => json_value(descriptor_string()),
        ],
        prop::option::of((property_name(), json_value(descriptor_string()))),
    )
        .prop_map(|(key, url, location, extra)| {
            let mut e = json!({"key": key, "url": url, "location": location});
            if let Some((k, v)) = extra {
                e[k] = v;
            }
            e
        })
}

/// Another module's entry (kept under connectModules): mostly valid, with hostile values.
fn other_module() -> impl Strategy<Value = Value> {
    (
        prop::option::weighted(0.9, mostly_value("[a-zA-Z0-9-]{1,40}")),
        hostile_string(),
        mostly_value(relative_url()),
        prop::option::of((property_name(), json_value(descriptor_string()))),
    )
        .prop_map(|(key, name, url, extra)| {
            let mut e = json!({"name": {"value": name}, "url": url, "event": "jira:issue_created", "location": "system.top.navigation.bar"});
            if let Some(k) = key {
                e["key"] = k;
            }
            if let Some((k, v)) = extra {
                e[k] = v;
            }
            e
        })
}

/// A descriptor-shaped object: mostly the right names and shapes, with hostile values, wrong
/// types and stray fields mixed in, so that most cases reach the mapping and the templates.
fn descriptor_like() -> impl Strategy<Value = Value> {
    let modules = (
        prop::collection::vec(background_script(), 0..4),
        prop::collection::btree_map(
            select(
                &[
                    "generalPages",
                    "webhooks",
                    "jiraIssueTabPanels",
                    "adminPages",
                    "dialogs",
                    "webPanels",
                ][..],
            ),
            prop_oneof![
                4 => prop::collection::vec(other_module(), 0..3).prop_map(Value::Array),
                1 => other_module(),
            ],
            0..3,
        ),
        prop::option::weighted(0.1, (select(NAMES), json_value(descriptor_string()))),
    )
        .prop_map(|(scripts, others, stray)| {
            let mut m = Map::new();
            if !scripts.is_empty() {
                m.insert("jiraBackgroundScripts".into(), Value::Array(scripts));
            }
            for (k, v) in others {
                m.insert(k.to_string(), v);
            }
            if let Some((k, v)) = stray {
                m.insert(k.to_string(), v);
            }
            Value::Object(m)
        });
    (
        mostly_value("[a-z][a-z0-9._-]{0,40}"),
        mostly_value(
            select(
                &[
                    "https://x.example.com",
                    "http://localhost:3000/app",
                    "{{localBaseUrl}}",
                    "${BASE_URL}",
                ][..],
            )
            .prop_map(str::to_string),
        ),
        prop::option::of(mostly_value(hostile_string())),
        prop::option::of(mostly_value(hostile_string())),
        prop::option::of(
            mostly(select(&["jwt", "JWT", "none"][..]).prop_map(str::to_string))
                .prop_map(|t| json!({"type": t})),
        ),
        prop::option::of(prop::collection::vec(
            mostly_value(
                select(&["READ", "write", "ACT_AS_USER", "NONE"][..]).prop_map(str::to_string),
            ),
            0..4,
        )),
        prop::option::of(prop::collection::btree_map(
            select(&["installed", "uninstalled", "enabled"][..]),
            mostly_value(relative_url()),
            0..3,
        )),
        prop::option::weighted(0.95, modules),
        prop::option::weighted(0.2, (select(NAMES), json_value(descriptor_string()))),
    )
        .prop_map(
            |(key, base, name, description, auth, scopes, lifecycle, modules, stray)| {
                let mut o = Map::new();
                o.insert("key".into(), key);
                o.insert("baseUrl".into(), base);
                let mut put = |k: &str, v: Option<Value>| {
                    if let Some(v) = v {
                        o.insert(k.to_string(), v);
                    }
                };
                put("name", name);
                put("description", description);
                put("authentication", auth);
                put("scopes", scopes.map(Value::Array));
                put(
                    "lifecycle",
                    lifecycle.map(|l| {
                        Value::Object(l.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
                    }),
                );
                put("modules", modules);
                if let Some((k, v)) = stray {
                    o.insert(k.to_string(), v);
                }
                Value::Object(o)
            },
        )
}

// --- Helpers ---

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| Templates::load(None).expect("built-in templates load"))
}

/// Runs the whole in-memory pipeline on `text`; any outcome but a panic is fine.
fn pipeline(text: &str, options: &ReadOptions) {
    let src = SourceText::new("prop.json", text.to_string());
    let read = descriptor::read(&src, options);
    let migrated = connect2forge::migration::render_descriptor(&src, options, templates(), None);
    if read.is_err() {
        assert!(
            migrated.is_err(),
            "the pipeline accepted what the reader refused"
        );
    }
    if let Err(connect2forge::Error::Input(diags)) = &read {
        assert!(
            !diags.is_empty(),
            "an input error lists at least one problem"
        );
        for d in diags {
            assert_eq!(d.file, "prop.json");
            let _ = d.to_line();
        }
    }
}

fn options(product: Option<Product>, var: Option<String>) -> ReadOptions {
    ReadOptions {
        vars: var
            .map(|v| BTreeMap::from([("localBaseUrl".to_string(), v)]))
            .unwrap_or_default(),
        product,
        keep_connect: Vec::new(),
    }
}

fn product() -> impl Strategy<Value = Option<Product>> {
    prop_oneof![
        Just(None),
        Just(Some(Product::Jira)),
        Just(Some(Product::Confluence))
    ]
}

/// `yaml_value(s)` after `k: `, parsed back.
fn scalar_after_key(s: &str) -> Result<(), TestCaseError> {
    let y = yaml_value(&json!(s), None).map_err(TestCaseError::fail)?;
    let doc = format!("k: {y}\nafter: 1\n");
    let back: Value = serde_yaml::from_str(&doc)
        .map_err(|e| TestCaseError::fail(format!("{doc:?} does not parse: {e}")))?;
    prop_assert_eq!(&back, &json!({"k": s, "after": 1}), "document: {:?}", doc);
    Ok(())
}

/// `yaml_value(v, indent)` after a `- ` whose dash is `indent - 2` columns in, inside nested
/// mappings (the manifest template's use), followed by a sibling, parsed back.
fn block_after_dash(v: &Value, indent: usize) -> Result<(), TestCaseError> {
    let y = yaml_value(v, Some(indent)).map_err(TestCaseError::fail)?;
    let levels = (indent - 2) / 2;
    let mut doc = String::new();
    for i in 0..levels {
        doc.push_str(&format!("{}l{i}:\n", "  ".repeat(i)));
    }
    let pad = "  ".repeat(levels);
    doc.push_str(&format!("{pad}- {y}\n{pad}- sibling\n"));
    let back: Value = serde_yaml::from_str(&doc)
        .map_err(|e| TestCaseError::fail(format!("{doc:?} does not parse: {e}")))?;
    let mut want = json!([v, "sibling"]);
    for i in (0..levels).rev() {
        want = json!({ format!("l{i}"): want });
    }
    prop_assert_eq!(&back, &want, "document: {:?}", doc);
    Ok(())
}

fn check_resource_keys(input: &[String], taken: &BTreeSet<String>) -> Result<(), TestCaseError> {
    let out = keys::resource_keys(input, taken);
    prop_assert_eq!(out.len(), input.len());
    let mut seen = BTreeSet::new();
    for (k, r) in input.iter().zip(&out) {
        prop_assert!(
            !r.is_empty() && r.len() <= MAX_RESOURCE_KEY,
            "{:?} → {:?}: length",
            k,
            r
        );
        prop_assert!(
            r.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{:?} → {:?}: not ^[a-zA-Z0-9_-]+$",
            k,
            r
        );
        prop_assert!(keys::is_resource_key(r));
        prop_assert!(
            seen.insert(r.clone()),
            "{:?} → {:?}: used twice in {:?}",
            k,
            r,
            out
        );
        prop_assert!(!taken.contains(r), "{:?} → {:?}: already taken", k, r);
    }
    prop_assert_eq!(
        &out,
        &keys::resource_keys(input, taken),
        "not deterministic"
    );
    Ok(())
}

/// A Connect module key: `[a-zA-Z0-9-]{1,100}`.
fn connect_key() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9-]{1,100}"
}

/// Sets of Connect keys, many sharing long prefixes (the case shortening must disambiguate).
fn connect_key_set() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        prop::collection::btree_set(connect_key(), 1..60).prop_map(|s| s.into_iter().collect()),
        (
            "[a-z][a-z0-9-]{15,95}",
            prop::collection::btree_set("[a-zA-Z0-9-]{0,12}", 1..60)
        )
            .prop_map(|(prefix, suffixes)| {
                let keys: BTreeSet<String> = suffixes
                    .into_iter()
                    .map(|s| format!("{prefix}{s}").chars().take(100).collect())
                    .collect();
                keys.into_iter().collect()
            }),
        (
            "[a-z]{1,20}",
            prop::collection::btree_set(0u32..100_000, 1..60)
        )
            .prop_map(|(prefix, ns)| ns
                .into_iter()
                .map(|n| format!("{prefix}-{}-{n}", "x".repeat(30)))
                .collect()),
    ]
}

// --- Properties ---

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn yaml_scalars_round_trip(s in scalar_safe_string()) {
        scalar_after_key(&s)?;
    }

    #[test]
    fn yaml_blocks_round_trip(
        s in block_safe_string(),
        t in block_safe_string(),
        indent in prop::sample::select(&[2usize, 4, 6, 8, 10][..]),
    ) {
        // Alone, as a value, as a key, inside a nested object and a list; the empty collections.
        block_after_dash(&json!(s), indent)?;
        let v = json!({"key": "k", "name": {"value": s.clone()}, t.clone(): s.clone(), "list": [s.clone(), {"x": t.clone()}, [], {}], "n": 1});
        block_after_dash(&v, indent)?;
        block_after_dash(&json!([t, s]), indent)?;
        block_after_dash(&json!({}), indent)?;
        block_after_dash(&json!([]), indent)?;
    }

    #[test]
    fn yaml_round_trips_arbitrary_json(v in json_value(block_safe_string().boxed()), indent in prop::sample::select(&[2usize, 6][..])) {
        // serde_yaml refuses documents nested deeper than 128; json_value stays far below that.
        block_after_dash(&v, indent)?;
        if !v.is_object() && !v.is_array() {
            let y = yaml_value(&v, None).map_err(TestCaseError::fail)?;
            let back: Value = serde_yaml::from_str(&format!("k: {y}\n")).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(connect2forge::manifest::validate::contains(&back["k"], &v, "$").is_ok(), "{:?} → {:?}", v, back);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// The full property, over every string: fails on the characters of `scalar_bug`.
    #[test]
    fn yaml_scalars_round_trip_any_string(s in hostile_string()) {
        scalar_after_key(&s)?;
    }

    /// The full property for blocks: also fails on trailing newlines and U+2028/U+2029.
    #[test]
    fn yaml_blocks_round_trip_any_string(s in hostile_string(), indent in prop::sample::select(&[2usize, 6][..])) {
        block_after_dash(&json!({"name": {"value": s.clone()}}), indent)?;
        block_after_dash(&json!([s]), indent)?;
    }
}

/// `yaml_value(s)` read back after `k: `, or why not.
fn scalar_outcome(s: &str) -> Result<Value, String> {
    let y = yaml_value(&json!(s), None)?;
    serde_yaml::from_str::<Value>(&format!("k: {y}\n"))
        .map(|v| v["k"].clone())
        .map_err(|e| format!("{y:?}: {e}"))
}

#[test]
fn yaml_scalar_bug_reproductions() {
    // Through the CLI, each of these as the descriptor's "description" is refused (exit 2) with
    // "template 'manifest.yml.hbs (built-in)': renders YAML that does not parse" or "... does not
    // carry the migrated value at $.app.description": a valid descriptor blamed on the template.
    for s in [
        "a\u{7f}b",
        "a\u{80}b",
        "a\u{85}b",
        "a\u{9f}b",
        "\u{0}\u{fffe}",
        "\t\u{ffff}",
        "\n\u{2028} ",
    ] {
        assert_eq!(scalar_outcome(s), Ok(json!(s)), "{s:?}");
    }
}

#[test]
fn yaml_block_bug_reproductions() {
    // Through the CLI, a connectModules entry whose last value ends in "\n\n" (say
    // "name": {"value": "x\n\n"}) is refused with "template 'manifest.yml.hbs (built-in)': the
    // rendered manifest does not carry the migrated value at $.connectModules...".
    for v in [
        json!(["x\n\n"]),
        json!({"name": {"value": "\n"}}),
        json!(["x\n\u{2028}"]),
        json!({"k": "a\n\u{2029}b"}),
    ] {
        let y = yaml_value(&v, Some(2)).unwrap();
        let back = serde_yaml::from_str::<Value>(&format!("- {y}\n"));
        assert_eq!(back.ok(), Some(json!([v])), "yaml_value wrote {y:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 250, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn resource_keys_are_unique_short_valid_and_deterministic(keys in connect_key_set()) {
        check_resource_keys(&keys, &BTreeSet::new())?;
        // Keys that already fit are kept as they are.
        if keys.iter().all(|k| k.len() <= MAX_RESOURCE_KEY) {
            prop_assert_eq!(keys::resource_keys(&keys, &BTreeSet::new()), keys.clone());
        }
        // Input order changes which key keeps the readable form, never validity or uniqueness.
        let mut reversed = keys.clone();
        reversed.reverse();
        check_resource_keys(&reversed, &BTreeSet::new())?;
    }

    #[test]
    fn resource_keys_avoid_taken_keys(keys in connect_key_set(), taken in prop::collection::btree_set("[a-zA-Z0-9_-]{1,23}", 0..20)) {
        // Also take the keys themselves and their first shortening, to force the fallbacks.
        let mut taken = taken;
        taken.extend(keys.iter().take(5).cloned());
        taken.extend(keys::resource_keys(&keys[..keys.len().min(5)], &BTreeSet::new()));
        check_resource_keys(&keys, &taken)?;
    }

    #[test]
    fn resource_keys_survive_every_fallback(key in connect_key()) {
        // Each call takes the previous answer away, walking through every hash length and then
        // the counter.
        let mut taken = BTreeSet::new();
        for _ in 0..8 {
            let k = keys::resource_keys(std::slice::from_ref(&key), &taken);
            check_resource_keys(std::slice::from_ref(&key), &taken)?;
            prop_assert!(taken.insert(k[0].clone()));
        }
    }

    #[test]
    fn resource_keys_of_any_string_are_valid(keys in prop::collection::vec(hostile_string(), 1..10)) {
        check_resource_keys(&keys, &BTreeSet::new())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(v in json_value(descriptor_string()), p in product()) {
        pipeline(&v.to_string(), &options(p, None));
    }

    #[test]
    fn descriptor_shaped_json_never_panics(
        v in descriptor_like(),
        p in prop_oneof![3 => Just(Some(Product::Jira)), 1 => product()],
        var in prop::option::of(prop_oneof!["\"https://[a-z]{1,8}.example.com\"", hostile_string()]),
        pretty in any::<bool>(),
    ) {
        let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
        pipeline(&text, &options(p, var));
    }

    #[test]
    fn arbitrary_text_never_panics(s in prop_oneof![any::<String>(), hostile_string(), "[{}\\[\\]:,\" a-z0-9/*\n]{0,80}"]) {
        pipeline(&s, &ReadOptions::default());
    }

    #[test]
    fn mutated_example_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..8, select(&["", "{", "}", "[", "]", ",", ":", "\"", "//", "/*", "*/", "{{", "}}", "\\", "null", "\u{85}", "\n"][..])), 1..4),
        var in prop::option::of(hostile_string()),
    ) {
        let mut text = include_str!("../examples/atlassian-connect.json").to_string();
        for (at, len, insert) in edits {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, insert);
        }
        pipeline(&text, &options(None, var));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// What the reader accepts, the built-in templates must render: a template error names the
    /// built-in template and no place in the descriptor, so the user cannot act on it.
    #[test]
    fn accepted_descriptors_render(v in descriptor_like()) {
        let src = SourceText::new("prop.json", v.to_string());
        let options = options(Some(Product::Jira), None);
        if descriptor::read(&src, &options).is_ok() {
            let r = connect2forge::migration::render_descriptor(&src, &options, templates(), None);
            prop_assert!(!matches!(r, Err(connect2forge::Error::Template { .. })), "{:?}", r.err());
        }
    }
}
