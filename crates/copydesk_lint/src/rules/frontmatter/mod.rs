//! The front-matter block itself.

pub mod empty;
pub mod missing;
pub mod not_a_mapping;
pub mod syntax_error;
pub mod unterminated;

use crate::rule::Rule;

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &empty::EmptyFrontMatter,
    &missing::MissingFrontMatter,
    &not_a_mapping::NotAMapping,
    &syntax_error::FrontMatterSyntaxError,
    &unterminated::UnterminatedFrontMatter,
];
