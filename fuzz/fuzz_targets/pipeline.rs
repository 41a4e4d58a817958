//! Arbitrary bytes through split, parse, lint, the corpus pass and every
//! output format: nothing may panic, and every span must lie in the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    copydesk::fuzzing::pipeline(data);
});
