//! `path:line:col: severity[code] message`, one line per finding — the
//! format editors' `errorformat` and `grep` read.

use std::fmt::Write;

use copydesk_lint::Diagnostic;

use super::{escape_controls, Sink};

/// Writes the diagnostics.
pub fn write(diagnostics: &[Diagnostic], out: &mut Sink<'_>) {
    for d in diagnostics {
        let (start, _) = d.line_cols();
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            // One finding per line: a newline in a file name is escaped as
            // the other formats do (control characters already are).
            one_line(&d.source.path),
            start.line,
            start.column,
            d.severity,
            d.code,
            // One finding per line: a newline quoted from the file is escaped too.
            one_line(&escape_controls(&d.message))
        );
    }
}

/// `s` with its newlines written `\n`.
fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\n') {
        s.replace('\n', "\\n").into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use copydesk_lint::{Diagnostic, Finding, Severity, SourceFile};

    fn render(diagnostics: &[Diagnostic]) -> String {
        crate::render::render(
            crate::cli::Format::Concise,
            diagnostics,
            &[],
            &crate::render::Options::default(),
        )
    }

    #[test]
    fn a_quoted_newline_does_not_split_the_line() {
        let source = Arc::new(SourceFile::new("a.md", "---\n\"a\\nb\": 1\n---\n"));
        let finding = Finding::new(4..10, "unknown key `a\nb`");
        let d = copydesk_lint::Diagnostic::from_finding(
            "schema/unknown-key",
            Severity::Error,
            &source,
            finding,
        );
        let out = render(&[d]);
        assert_eq!(
            out,
            "a.md:2:1: error[schema/unknown-key] unknown key `a\\nb`\n"
        );
    }

    #[test]
    fn a_newline_in_a_file_name_does_not_split_the_line() {
        let source = Arc::new(SourceFile::new("a\nb.md", "---\nx: 1\n---\n"));
        let finding = Finding::new(4..5, "unknown key `x`");
        let d = copydesk_lint::Diagnostic::from_finding(
            "schema/unknown-key",
            Severity::Error,
            &source,
            finding,
        );
        let out = render(&[d]);
        assert_eq!(
            out,
            "a\\nb.md:2:1: error[schema/unknown-key] unknown key `x`\n"
        );
    }
}
