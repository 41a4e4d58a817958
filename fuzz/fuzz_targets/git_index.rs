//! Arbitrary bytes as git's index file, which a commit hook's run reads:
//! parsing must not panic or allocate beyond what the bytes hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    copydesk::fuzzing::git_index(data);
});
