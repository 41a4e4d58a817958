//! The front-matter contract of a copydesk article.
//!
//! This crate knows what an article's front matter must look like and where
//! every piece of it sits in the file: it splits the block off the markdown
//! body ([`frontmatter`]), parses it into a span-keeping tree
//! ([`yaml`]; TOML and JSON blocks into the same tree: [`toml_block`],
//! [`json`]), defines the contract as Rust types that generate the
//! published JSON Schema ([`contract`]), and validates a tree against that
//! schema, reporting every problem at the byte span of the offending value
//! ([`validate`]). It has no opinion on severities, rule codes or output:
//! that is `copydesk_lint`'s job.

pub mod contract;
pub mod frontmatter;
#[doc(hidden)]
pub mod fuzzing;
pub mod json;
pub mod timestamp;
pub mod toml_block;
pub mod validate;
pub mod yaml;

pub use contract::{article_schema, article_schema_json, Article};
pub use frontmatter::{split, Format, FrontMatter, SplitError};
pub use validate::{validate, Contract, SchemaIssue, SchemaIssueKind};
pub use yaml::{
    parse, parse_full, Limits, Node, NodeKind, ParseOutcome, Scalar, ScalarValue, SyntaxKind,
    YamlIssue,
};
