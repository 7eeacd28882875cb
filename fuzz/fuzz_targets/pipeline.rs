//! `cargo fuzz run pipeline`: any bytes through the whole pipeline with the default options.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    std::hint::black_box(c2f_fuzz::run(data, &c2f_fuzz::default_options()));
});
