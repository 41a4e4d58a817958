//! Well-formed, bounded YAML.

pub mod duplicate_key;
pub mod limit_exceeded;
pub mod merge_conflict;
pub mod syntax_error;

use crate::rule::Rule;

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &duplicate_key::DuplicateKey,
    &limit_exceeded::LimitExceeded,
    &merge_conflict::MergeConflict,
    &syntax_error::SyntaxError,
];
