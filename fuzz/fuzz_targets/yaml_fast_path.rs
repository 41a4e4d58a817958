//! The YAML fast path against the general parser: whenever the fast path
//! accepts a block, its outcome (tree, spans, scalar text and styles,
//! issues) must be exactly the general parser's, under several limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    copydesk_schema::fuzzing::yaml_fast_path(data);
});
