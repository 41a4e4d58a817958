//! Every rule, one file each, grouped by what they check. Each group's
//! `mod.rs` lists its rules; [`crate::registry`] merges and sorts them.

pub mod body;
pub mod corpus;
pub mod date;
pub mod editorial;
pub mod file;
pub mod frontmatter;
pub mod history;
pub mod image;
pub mod schema;
pub mod suppression;
pub mod text;
pub mod yaml;

use crate::rule::Rule;

/// Every group's name and list.
pub(crate) static GROUPS: &[(&str, &[&dyn Rule])] = &[
    ("body", body::RULES),
    ("corpus", corpus::RULES),
    ("date", date::RULES),
    ("editorial", editorial::RULES),
    ("file", file::RULES),
    ("frontmatter", frontmatter::RULES),
    ("history", history::RULES),
    ("image", image::RULES),
    ("schema", schema::RULES),
    ("suppression", suppression::RULES),
    ("text", text::RULES),
    ("yaml", yaml::RULES),
];
