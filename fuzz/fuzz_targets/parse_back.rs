//! `cargo fuzz run parse_back`: any text through the manifest parse-back
//! (`render::parse_back`), which must give yaml_serde's value or yaml_serde's error message.
#![no_main]

use connect2forge::render::parse_back::{parse, parse_simple};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let want = serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string());
    if let Some(v) = parse_simple(text) {
        assert_eq!(Ok(v), want, "the simple path differs on {text:?}");
    }
    assert_eq!(parse(text).map_err(|e| e.to_string()), want, "{text:?}");
});
