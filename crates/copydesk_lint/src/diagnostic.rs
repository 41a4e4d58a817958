//! Findings and the diagnostics they become.
//!
//! A rule returns [`Finding`]s: spans and words, no code or severity. The
//! runner stamps each with its rule's code and the configured severity,
//! making a [`Diagnostic`], the one type every output format renders.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::source::{LineCol, SourceFile};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the run.
    Error,
    /// Reported; fails the run only past `--max-warnings`.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Whether a fix can be applied without a human looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the article's meaning; applied by `--fix`.
    Safe,
    /// May change meaning; applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace the bytes `range` of the file with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// Byte range in the file.
    pub range: Range<usize>,
    /// The new text.
    pub replacement: String,
}

/// A fix: edits that together resolve one finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// What the fix does, e.g. "Quote the id".
    pub message: String,
    /// Non-overlapping edits, sorted by position.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix with one edit.
    pub fn replace(
        applicability: Applicability,
        message: impl Into<String>,
        range: Range<usize>,
        replacement: impl Into<String>,
    ) -> Self {
        Fix {
            applicability,
            message: message.into(),
            edits: vec![Edit {
                range,
                replacement: replacement.into(),
            }],
        }
    }
}

/// A secondary span in the same file as the finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Byte range in the file.
    pub span: Range<usize>,
    /// What is there, e.g. "first defined here".
    pub message: String,
}

/// What a rule reports: where and what, without code or severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The offending value's byte range.
    pub span: Range<usize>,
    /// One sentence saying what is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Other places in the same file.
    pub labels: Vec<Label>,
    /// An automatic fix.
    pub fix: Option<Fix>,
}

impl Finding {
    /// A finding with only a span and a message.
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Finding {
            span,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            fix: None,
        }
    }

    /// Adds a help line.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label in the same file.
    #[must_use]
    pub fn label(mut self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a fix.
    #[must_use]
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

/// A secondary location of a diagnostic, possibly in another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The file the span is in (the diagnostic's own file for same-file labels).
    pub source: Arc<SourceFile>,
    /// Byte range in that file.
    pub span: Range<usize>,
    /// What is there.
    pub message: String,
}

impl Related {
    /// Start and end line:column of the span in its file.
    pub fn line_cols(&self) -> (LineCol, LineCol) {
        self.source.span_line_cols(&self.span)
    }
}

/// A finding with its rule's code and effective severity, in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's stable code, e.g. `date/updated-before-published`.
    pub code: &'static str,
    /// The effective severity.
    pub severity: Severity,
    /// The file.
    pub source: Arc<SourceFile>,
    /// The offending value's byte range.
    pub span: Range<usize>,
    /// One sentence saying what is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Secondary spans, in this file or others.
    pub related: Vec<Related>,
    /// An automatic fix.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// Builds a diagnostic from a rule's finding in `source`.
    pub fn from_finding(
        code: &'static str,
        severity: Severity,
        source: &Arc<SourceFile>,
        finding: Finding,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            source: Arc::clone(source),
            span: finding.span,
            message: shorten(finding.message),
            help: finding.help.map(shorten),
            related: finding
                .labels
                .into_iter()
                .map(|l| Related {
                    source: Arc::clone(source),
                    span: l.span,
                    message: shorten(l.message),
                })
                .collect(),
            fix: finding.fix.map(|mut f| {
                f.message = shorten(f.message);
                f
            }),
        }
    }

    /// Start and end line:column of the primary span.
    pub fn line_cols(&self) -> (LineCol, LineCol) {
        self.source.span_line_cols(&self.span)
    }

    /// The order every output uses: path, position, code, message.
    pub fn sort_key(&self) -> (&str, usize, &str, &str) {
        (&self.source.path, self.span.start, self.code, &self.message)
    }
}

/// The longest message or help line kept, in characters: a finding that
/// quotes a megabyte-long value must not print a megabyte.
pub const MAX_MESSAGE_CHARS: usize = 400;

/// Cuts `s` to [`MAX_MESSAGE_CHARS`] and escapes control characters (but
/// tab and newline), so a message quoting file content can neither flood
/// nor drive a terminal, in any output format.
fn shorten(s: String) -> String {
    // No more bytes than the limit is no more characters either: most
    // messages (one per finding) are not walked character by character.
    let cut = if s.len() > MAX_MESSAGE_CHARS {
        s.char_indices().nth(MAX_MESSAGE_CHARS).map(|(i, _)| i)
    } else {
        None
    };
    let s = match cut {
        Some(i) => format!("{}…", &s[..i]),
        None => s,
    };
    match escape_controls(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

/// Whether `s` may hold a control character: a byte under 0x20, 0x7f, or
/// 0xc2, which begins U+0080–U+009F in UTF-8. Text without any of these
/// holds none; a loop without an early exit, which the compiler runs many
/// bytes at a time, tells so before any character is decoded (messages
/// and paths, one per finding or file).
pub fn may_hold_control(s: &str) -> bool {
    s.bytes().fold(false, |found, b| {
        found | (b < 0x20) | (b == 0x7f) | (b == 0xc2)
    })
}

/// Replaces control characters other than tab and newline by their Rust
/// escape (`\u{1b}`); borrows when there is nothing to replace.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !may_hold_control(s) || !s.chars().any(|c| c.is_control() && c != '\t' && c != '\n') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && c != '\t' && c != '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Sorts diagnostics into the deterministic output order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_whatever_surrounds_them() {
        let reference = |s: &str| -> String {
            s.chars()
                .flat_map(|c| {
                    let escape = c.is_control() && c != '\t' && c != '\n';
                    let shown: Vec<char> = if escape {
                        c.escape_default().collect()
                    } else {
                        vec![c]
                    };
                    shown
                })
                .collect()
        };
        let chars = (0..0x3000)
            .chain(0xfff0..0x10000)
            .chain([0x1f600, 0x10ffff]);
        for c in chars.filter_map(char::from_u32) {
            for s in [format!("{c}"), format!("a{c}é"), format!("£{c}\u{a0}{c}")] {
                assert_eq!(escape_controls(&s), reference(&s), "{:x}", u32::from(c));
            }
        }
    }

    #[test]
    fn messages_are_cut_at_the_character_limit() {
        for (unit, n, cut) in [
            ("a", 400, false),
            ("a", 401, true),
            ("é", 400, false),
            ("é", 401, true),
        ] {
            let s = unit.repeat(n);
            let shown = shorten(s.clone());
            if cut {
                assert_eq!(shown, format!("{}…", unit.repeat(MAX_MESSAGE_CHARS)));
            } else {
                assert_eq!(shown, s);
            }
        }
    }
}
