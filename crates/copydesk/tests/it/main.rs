//! The integration tests of the `copydesk` library, in one test binary:
//! the rule fixtures, the fix kinds they show, and the fuzz regressions.

mod fix_kinds;
mod fixtures;
mod fuzz_regressions;
