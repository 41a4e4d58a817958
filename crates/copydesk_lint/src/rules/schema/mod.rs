//! The contract's keys and types.

pub mod duplicate_item;
pub mod invalid_value;
pub mod missing_key;
pub mod number_not_string;
pub mod unknown_key;
pub mod wrong_type;
pub mod yaml11_boolean;

use crate::rule::Rule;

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &duplicate_item::DuplicateItem,
    &invalid_value::InvalidValue,
    &missing_key::MissingKey,
    &number_not_string::NumberNotString,
    &unknown_key::UnknownKey,
    &wrong_type::WrongType,
    &yaml11_boolean::Yaml11Boolean,
];
