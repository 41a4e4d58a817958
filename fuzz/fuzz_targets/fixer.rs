//! The fixer on arbitrary text: the result still parses, a second fix is
//! a no-op, and no byte outside an edit changes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        copydesk::fuzzing::fixer(text);
    }
});
