//! The integration tests of the `copydesk` library, in one test binary:
//! the rule fixtures and the fuzz regressions.

mod fixtures;
mod fuzz_regressions;
