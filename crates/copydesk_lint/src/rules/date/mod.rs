//! Timestamps: format, calendar, order, future.

pub mod impossible_date;
pub mod invalid_timestamp;
pub mod not_utc;

use crate::rule::Rule;

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &impossible_date::ImpossibleDate,
    &invalid_timestamp::InvalidTimestamp,
    &not_utc::NotUtc,
];
