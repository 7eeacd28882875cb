//! `cargo fuzz run port_page`: any small app through page rendering, splitting and carrying; the
//! carried index.html is read back with the same HTML5 tokenizer (`c2f_fuzz::port_page`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    c2f_fuzz::port_page(data);
});
