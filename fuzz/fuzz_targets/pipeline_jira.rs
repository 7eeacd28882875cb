//! `cargo fuzz run pipeline_jira`: as `pipeline`, with `--product jira --var localBaseUrl=https://x`
//! so detection and placeholder refusals do not hide the mapping.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    std::hint::black_box(c2f_fuzz::run(data, &c2f_fuzz::jira_options()));
});
