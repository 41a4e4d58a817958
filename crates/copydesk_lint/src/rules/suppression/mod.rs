//! Suppression comments.

pub mod unused;

use crate::rule::Rule;

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[&unused::UnusedSuppression];
