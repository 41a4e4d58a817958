//! copydesk's linting engine.
//!
//! Given a file's bytes and the resolved configuration, [`lint::lint_bytes`]
//! runs the front-matter pipeline and every enabled rule and returns
//! diagnostics with exact spans; [`lint::lint_corpus`] runs the cross-file
//! rules over the compact [`corpus::CorpusIndex`]. The rules live one per
//! file under [`rules`], listed once in [`registry`]. This crate never
//! prints, reads the environment or exits: the CLI and the language server
//! do that.

pub mod config;
pub mod corpus;
pub mod diagnostic;
#[doc(hidden)]
pub mod doc_examples;
pub mod fields;
pub mod fingerprint;
pub mod fix;
pub mod lint;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod settings;
pub mod source;
pub mod suppress;

pub use diagnostic::{Applicability, Diagnostic, Edit, Finding, Fix, Related, Severity};
pub use lint::{
    lint_bytes, lint_corpus, lint_oversized, lint_oversized_stream, lint_text, FileReport,
};
pub use settings::{RuleSelection, Settings};
pub use source::{LineCol, LineIndex, SourceFile};
