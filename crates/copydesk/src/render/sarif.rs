//! SARIF 2.1.0, for GitHub code scanning and other dashboards. Columns are
//! Unicode code points (`columnKind`), matching every other format.

use std::path::{Component, Path};

use copydesk_lint::fingerprint::fingerprints;
use copydesk_lint::{registry, Diagnostic, Severity, SourceFile};
use serde_json::{json, Value};

use super::Base;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Turns display paths into SARIF artifact locations: relative to
/// `%SRCROOT%` (the repository root) and percent-encoded when the file is
/// under it, an absolute `file:` URI otherwise. A display path is relative
/// to the working directory, which need not be the root.
struct Locator<'b> {
    base: Option<&'b Base>,
}

impl Locator<'_> {
    /// `originalUriBaseIds`: where `%SRCROOT%` is, when known.
    fn base_ids(&self) -> Option<Value> {
        let root = super::lexical(&self.base?.root);
        let uri = format!("{}/", file_uri(&root).trim_end_matches('/'));
        Some(json!({ "%SRCROOT%": { "uri": uri } }))
    }

    fn artifact(&self, display: &str) -> Value {
        let Some(base) = self.base else {
            return json!({ "uri": encode_path(display), "uriBaseId": "%SRCROOT%" });
        };
        match base.repo_relative(display) {
            Some(rel) => json!({ "uri": encode_path(&rel), "uriBaseId": "%SRCROOT%" }),
            None => json!({ "uri": file_uri(&base.absolute(display)) }),
        }
    }
}

/// An absolute path as a `file:` URI.
fn file_uri(path: &Path) -> String {
    let segments: Vec<_> = path
        .components()
        .filter(|c| !matches!(c, Component::RootDir | Component::Prefix(_)))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    format!("file:///{}", encode_path(&segments.join("/")))
}

/// A `/`-separated path as a URI path: each segment percent-encoded
/// (`%`, `,`, spaces, `#`, `?` and non-ASCII included), `/` kept.
fn encode_path(path: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    path.split('/')
        .map(|seg| percent_encoding::utf8_percent_encode(seg, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

fn location(loc: &Locator, source: &SourceFile, span: &std::ops::Range<usize>) -> Value {
    let (s, e) = source.span_line_cols(span);
    json!({
        "physicalLocation": {
            "artifactLocation": loc.artifact(&source.path),
            "region": {
                "startLine": s.line,
                "startColumn": s.column,
                "endLine": e.line,
                "endColumn": e.column,
            }
        }
    })
}

/// A SARIF log with one run, written around its results: the text before
/// the results array, its indentation, and the text after it.
pub struct Frame {
    /// Up to the `"results": ` key, included.
    pub head: String,
    /// The indentation of the results key's line.
    pub indent: String,
    /// After the results array, to the end (with the final newline).
    pub tail: String,
}

/// The log around the results: the tool, its rules and `%SRCROOT%`.
pub fn frame(base: Option<&Base>) -> Frame {
    let loc = Locator { base };
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
    let mut log = json!({
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
            "results": [],
        }]
    });
    if let Some(ids) = loc.base_ids() {
        log["runs"][0]["originalUriBaseIds"] = ids;
    }
    let s = serde_json::to_string_pretty(&log).unwrap_or_default();
    // The results go where the empty array was printed, at its indentation
    // (a key's quotes inside a string value would be escaped: this is the
    // key, which the log above always has).
    let at = s.find(RESULTS_KEY).unwrap_or(s.len());
    let line_start = s[..at].rfind('\n').map_or(0, |i| i + 1);
    let array_at = (at + RESULTS_KEY.len()).saturating_sub(2).min(s.len());
    Frame {
        head: s[..array_at].to_owned(),
        indent: s[line_start..at].to_owned(),
        tail: format!("{}\n", s.get(at + RESULTS_KEY.len()..).unwrap_or_default()),
    }
}

/// The results of `diagnostics`, as SARIF result objects. One file's
/// findings must not be split between two calls: fingerprints number
/// equal findings within a file.
pub fn results<'d>(
    diagnostics: &'d [Diagnostic],
    base: Option<&'d Base>,
) -> impl Iterator<Item = Value> + 'd {
    let loc = Locator { base };
    let metas: Vec<_> = registry::metas().collect();
    let prints = fingerprints(diagnostics);
    diagnostics.iter().zip(prints).map(move |(d, print)| {
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
                let mut loc = location(&loc, &r.source, &r.span);
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
            "locations": [location(&loc, &d.source, &d.span)],
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
                    let deleted = location(&loc, &d.source, &e.range);
                    json!({
                        "deletedRegion": deleted["physicalLocation"]["region"],
                        "insertedContent": { "text": e.replacement },
                    })
                })
                .collect();
            result["fixes"] = json!([{
                "description": { "text": fix.message },
                "artifactChanges": [{
                    "artifactLocation": loc.artifact(&d.source.path),
                    "replacements": replacements,
                }],
            }]);
        }
        result
    })
}

/// The results key as `serde_json` pretty-prints it with an empty array.
const RESULTS_KEY: &str = "\"results\": []";
