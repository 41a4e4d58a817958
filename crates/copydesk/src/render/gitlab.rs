//! GitLab Code Quality report (a JSON array), shown in merge requests.

use copydesk_lint::fingerprint::fingerprints;
use copydesk_lint::{Diagnostic, Severity};
use serde_json::{json, Value};

/// The Code Quality items of `diagnostics` (one file's findings are never
/// split between two calls: fingerprints number equal findings per file).
pub fn items<'d>(
    diagnostics: &'d [Diagnostic],
    base: Option<&'d super::Base>,
) -> impl Iterator<Item = Value> + 'd {
    let prints = fingerprints(diagnostics);
    diagnostics.iter().zip(prints).map(move |(d, print)| {
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
    })
}
