//! GitLab Code Quality report (a JSON array), shown in merge requests.

use copydesk_lint::fingerprint::fingerprints;
use copydesk_lint::{Diagnostic, Severity};
use serde_json::json;

/// Writes the Code Quality JSON, one item at a time.
pub fn write(diagnostics: &[Diagnostic], base: Option<&super::Base>, out: &mut super::Sink<'_>) {
    let prints = fingerprints(diagnostics);
    let items = diagnostics.iter().zip(prints).map(|(d, print)| {
        let (s, e) = d.line_cols();
        json!({
            "description": format!("{}: {}", d.code, d.message),
            "check_name": d.code,
            "fingerprint": print,
            "severity": match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
            },
            "location": {
                "path": super::repo_path(base, &d.source.path),
                "positions": {
                    "begin": { "line": s.line, "column": s.column },
                    "end": { "line": e.line, "column": e.column },
                }
            }
        })
    });
    super::pretty_array(items, "", out);
    out.push('\n');
}
