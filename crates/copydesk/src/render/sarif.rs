//! SARIF 2.1.0, for GitHub code scanning and other dashboards. Columns are
//! Unicode code points (`columnKind`), matching every other format.

use copydesk_lint::fingerprint::fingerprints;
use copydesk_lint::{registry, Diagnostic, Severity, SourceFile};
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn location(source: &SourceFile, span: &std::ops::Range<usize>) -> Value {
    let (s, e) = source.span_line_cols(span);
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": source.path, "uriBaseId": "%SRCROOT%" },
            "region": {
                "startLine": s.line,
                "startColumn": s.column,
                "endLine": e.line,
                "endColumn": e.column,
            }
        }
    })
}

/// Renders a SARIF log with one run.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let metas: Vec<_> = registry::metas().collect();
    let rules: Vec<Value> = metas
        .iter()
        .map(|m| {
            let docs = m.documentation();
            json!({
                "id": m.code,
                "shortDescription": { "text": m.summary() },
                "fullDescription": { "text": m.summary() },
                "help": { "text": docs, "markdown": docs },
                "helpUri": m.docs_url(),
                "defaultConfiguration": {
                    "level": level(m.default_severity),
                    "enabled": m.enabled_by_default,
                },
                "properties": { "fix": m.fix },
            })
        })
        .collect();
    let prints = fingerprints(diagnostics);
    let results: Vec<Value> = diagnostics
        .iter()
        .zip(prints)
        .map(|(d, print)| {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut loc = location(&r.source, &r.span);
                    loc["id"] = json!(i + 1);
                    loc["message"] = json!({ "text": r.message });
                    loc
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": metas.iter().position(|m| m.code == d.code).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [location(&d.source, &d.span)],
                "partialFingerprints": { "copydesk/v1": print },
            });
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            if let Some(fix) = &d.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        let deleted = location(&d.source, &e.range);
                        json!({
                            "deletedRegion": deleted["physicalLocation"]["region"],
                            "insertedContent": { "text": e.replacement },
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": fix.message },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": d.source.path, "uriBaseId": "%SRCROOT%" },
                        "replacements": replacements,
                    }],
                }]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "copydesk",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/copydesk/copydesk",
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
