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
    files: &[String],
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

/// Replaces control characters (other than tab) so that a finding quoting
/// file content cannot inject terminal escapes or break line formats.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() && c != '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}
