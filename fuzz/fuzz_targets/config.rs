//! Arbitrary text as copydesk.toml: parsing, resolving and reporting a bad
//! key's position must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        copydesk::fuzzing::config(text);
    }
});
