//! A JSON array of findings with 1-based, character-counted positions.

use copydesk_lint::{Diagnostic, SourceFile};
use serde_json::{json, Value};

fn position(source: &SourceFile, span: &std::ops::Range<usize>) -> (usize, usize, usize, usize) {
    let (s, e) = source.span_line_cols(span);
    (s.line, s.column, e.line, e.column)
}

/// One diagnostic as a JSON object.
pub fn to_json(d: &Diagnostic) -> Value {
    let (line, column, end_line, end_column) = position(&d.source, &d.span);
    let fix = d.fix.as_ref().map(|f| {
        json!({
            "applicability": f.applicability,
            "message": f.message,
            "edits": f.edits.iter().map(|e| {
                let (line, column, end_line, end_column) = position(&d.source, &e.range);
                json!({
                    "line": line,
                    "column": column,
                    "end_line": end_line,
                    "end_column": end_column,
                    "content": e.replacement,
                })
            }).collect::<Vec<_>>(),
        })
    });
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|r| {
            let (line, column, end_line, end_column) = position(&r.source, &r.span);
            json!({
                "path": r.source.path,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "message": r.message,
            })
        })
        .collect();
    json!({
        "path": d.source.path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "help": d.help,
        "fix": fix,
        "related": related,
    })
}

/// Renders the diagnostics.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let all: Vec<Value> = diagnostics.iter().map(to_json).collect();
    let mut s = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}
