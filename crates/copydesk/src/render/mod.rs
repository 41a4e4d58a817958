//! Output formats. Every format renders the same [`Diagnostic`]s; only the
//! presentation differs.

pub mod concise;
pub mod full;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod sarif;

use copydesk_lint::Diagnostic;

use crate::cli::Format;

/// Presentation settings.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Use ANSI colours (full format only).
    pub color: bool,
    /// Wrap `full` reports at this width.
    pub width: usize,
}

/// Renders `diagnostics` (already sorted) in `format`; `files` are the
/// paths of every file checked, for formats that list clean files too.
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    files: &[std::sync::Arc<str>],
    options: &Options,
) -> String {
    match format {
        Format::Full => full::render(diagnostics, options),
        Format::Concise => concise::render(diagnostics),
        Format::Json => json::render(diagnostics),
        Format::Sarif => sarif::render(diagnostics),
        Format::Github => github::render(diagnostics),
        Format::Junit => junit::render(diagnostics, files),
        Format::Gitlab => gitlab::render(diagnostics),
    }
}

/// Control characters in text quoted from a file are escaped before they
/// reach any output (the lint crate's rule, shared by every format).
pub use copydesk_lint::diagnostic::escape_controls;
