//! JUnit XML for CI dashboards: a test suite per file, a failing test case
//! per finding, a passing one for a clean file.

use std::collections::BTreeMap;
use std::fmt::Write;

use copydesk_lint::Diagnostic;

/// Escapes text for XML attributes and content, dropping characters XML
/// 1.0 cannot carry.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Renders the report; `files` are all checked files' paths, so clean files
/// show as passing test cases.
pub fn write(diagnostics: &[Diagnostic], files: &[std::sync::Arc<str>], out: &mut super::Sink<'_>) {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> =
        files.iter().map(|f| (&**f, Vec::new())).collect();
    for d in diagnostics {
        by_file.entry(d.source.path.as_str()).or_default().push(d);
    }
    let tests: usize = by_file.values().map(|v| v.len().max(1)).sum();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"copydesk\" tests=\"{tests}\" failures=\"{}\" errors=\"0\">",
        diagnostics.len()
    );
    for (path, diags) in by_file {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            xml(path),
            diags.len().max(1),
            diags.len()
        );
        if diags.is_empty() {
            let _ = writeln!(
                out,
                "    <testcase name=\"front matter\" classname=\"{}\"/>",
                xml(path)
            );
        }
        for d in diags {
            let (s, _) = d.line_cols();
            let _ = writeln!(
                out,
                "    <testcase name=\"{}:{}:{} {}\" classname=\"{}\">",
                xml(path),
                s.line,
                s.column,
                xml(d.code),
                xml(path)
            );
            let mut body = format!("{}:{}:{}: {}", path, s.line, s.column, d.message);
            if let Some(help) = &d.help {
                body.push_str("\nhelp: ");
                body.push_str(help);
            }
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                xml(&d.message),
                xml(d.code),
                xml(&body)
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
}
