//! GitHub Actions workflow commands: each finding becomes an annotation
//! on the pull request's diff.

use std::fmt::Write;

use copydesk_lint::{Diagnostic, Severity};

/// Escapes a command's message (data).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes one `::error …::message` line per finding.
pub fn write(diagnostics: &[Diagnostic], base: Option<&super::Base>, out: &mut super::Sink<'_>) {
    for d in diagnostics {
        let (s, e) = d.line_cols();
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Controls are escaped per part, so the one newline kept is ours.
        let mut message = super::escape_controls(&d.message).into_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&super::escape_controls(help));
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&super::repo_path(base, &d.source.path)),
            s.line,
            s.column,
            e.line,
            e.column,
            property(&format!("copydesk {}", d.code)),
            data(&message)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(data("50%\nx"), "50%25%0Ax");
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
    }
}
