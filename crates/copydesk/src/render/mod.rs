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
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use ANSI colours (full format only).
    pub color: bool,
    /// Wrap `full` reports at this width.
    pub width: usize,
    /// Where display paths are relative to and the repository root, for
    /// formats that locate files for another tool (SARIF); `None` leaves
    /// display paths as they are.
    pub base: Option<Base>,
}

/// The folders that turn a display path into a location another tool
/// resolves: SARIF's `%SRCROOT%` is the repository's root, not wherever
/// copydesk happened to run.
#[derive(Debug, Clone)]
pub struct Base {
    /// The working directory: display paths are relative to it.
    pub cwd: std::path::PathBuf,
    /// The configuration root (the repository root).
    pub root: std::path::PathBuf,
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
        Format::Sarif => sarif::render(diagnostics, options.base.as_ref()),
        Format::Github => github::render(diagnostics, options.base.as_ref()),
        Format::Junit => junit::render(diagnostics, files),
        Format::Gitlab => gitlab::render(diagnostics, options.base.as_ref()),
    }
}

impl Base {
    /// `display` (relative to the working directory) as a path relative to
    /// the repository root, `/`-separated, for tools that resolve paths
    /// from the checkout (GitHub annotations, GitLab Code Quality); as it
    /// is when the file is outside the root.
    pub fn repo_path(&self, display: &str) -> String {
        self.repo_relative(display)
            .unwrap_or_else(|| display.to_owned())
    }

    /// `display` relative to the repository root, `/`-separated; `None`
    /// when the file is outside it.
    pub fn repo_relative(&self, display: &str) -> Option<String> {
        let abs = self.absolute(display);
        let rel = abs.strip_prefix(lexical(&self.root)).ok()?;
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// The file's absolute path, without `.` or `..`.
    pub fn absolute(&self, display: &str) -> std::path::PathBuf {
        lexical(&self.cwd.join(display))
    }
}

/// `path` without `.` and `..` components (display paths may climb out of
/// the working directory), without touching the file system.
pub(crate) fn lexical(path: &std::path::Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Where a tool that resolves paths from the checkout finds `display`.
fn repo_path(base: Option<&Base>, display: &str) -> String {
    base.map_or_else(|| display.to_owned(), |b| b.repo_path(display))
}

/// Control characters in text quoted from a file are escaped before they
/// reach any output (the lint crate's rule, shared by every format).
pub use copydesk_lint::diagnostic::escape_controls;
