//! `path:line:col: severity[code] message`, one line per finding — the
//! format editors' `errorformat` and `grep` read.

use std::fmt::Write;

use copydesk_lint::Diagnostic;

use super::escape_controls;

/// Renders the diagnostics.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (start, _) = d.line_cols();
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            d.source.path,
            start.line,
            start.column,
            d.severity,
            d.code,
            escape_controls(&d.message)
        );
    }
    out
}
