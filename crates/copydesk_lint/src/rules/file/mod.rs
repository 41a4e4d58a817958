//! The file's bytes.

pub mod binary_file;
pub mod not_utf8;
pub mod too_large;

use crate::rule::Rule;

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &binary_file::BinaryFile,
    &not_utf8::NotUtf8,
    &too_large::TooLarge,
];
