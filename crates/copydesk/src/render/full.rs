//! miette's graphical report: the source snippet with labels, one report
//! per finding; a cross-file finding shows the other file's snippet too.

use std::fmt;
use std::sync::Arc;

use copydesk_lint::{Diagnostic, Severity, SourceFile};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{escape_controls, Options};

/// A span in a file of its own, for related locations in other files.
#[derive(Debug)]
struct Elsewhere {
    message: String,
    source: Option<Snippet>,
    span: std::ops::Range<usize>,
}

impl fmt::Display for Elsewhere {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Elsewhere {}

impl miette::Diagnostic for Elsewhere {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.message.clone()),
            self.span.clone(),
        ))))
    }
}

#[derive(Debug)]
struct Report<'a> {
    d: &'a Diagnostic,
    message: String,
    /// `None` when a line to show is too long to print usefully.
    source: Option<Snippet>,
    elsewhere: Vec<Elsewhere>,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.d.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.d.help.as_deref()?;
        Some(Box::new(escape_controls(help).into_owned()))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let primary = LabeledSpan::new_primary_with_span(None, self.d.span.clone());
        let same_file = self
            .d
            .related
            .iter()
            .filter(|r| {
                Arc::ptr_eq(&r.source, &self.d.source) || r.source.path == self.d.source.path
            })
            .map(|r| {
                LabeledSpan::new_with_span(
                    Some(escape_controls(&r.message).into_owned()),
                    r.span.clone(),
                )
            });
        Some(Box::new(std::iter::once(primary).chain(same_file)))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.elsewhere.is_empty() {
            return None;
        }
        Some(Box::new(
            self.elsewhere.iter().map(|e| e as &dyn miette::Diagnostic),
        ))
    }
}

/// A file as miette shows it. miette would print the text as is and count
/// columns in bytes; this shows control characters as `?` (so a file cannot
/// send escape sequences to the terminal) and takes columns from
/// [`SourceFile::line_col`], so the header agrees with the other formats.
#[derive(Debug)]
struct Snippet {
    file: Arc<SourceFile>,
    shown: String,
}

/// `text` with every control character but tab and line breaks replaced by
/// a printable one of the same UTF-8 length, so byte spans stay valid. A
/// lone `\r` is replaced too: miette would count it as a line break.
fn neutralise_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let keep =
            !c.is_control() || c == '\t' || c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        out.push(match (keep, c.len_utf8()) {
            (true, _) => c,
            (false, 1) => '?',
            // C1 controls are two bytes in UTF-8.
            (false, _) => '¿',
        });
    }
    out
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents =
            self.shown
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let column = if contents.column() == 0 {
            0
        } else {
            self.file.line_col(contents.span().offset()).column - 1
        };
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.file.path.clone(),
                contents.data(),
                *contents.span(),
                contents.line(),
                column,
                contents.line_count(),
            )
            .with_language("yaml"),
        ))
    }
}

fn named(source: &Arc<SourceFile>) -> Snippet {
    Snippet {
        file: Arc::clone(source),
        shown: neutralise_controls(&source.text),
    }
}

/// Lines longer than this (in bytes) are not shown as a snippet: a
/// megabyte-long value would print a megabyte several times over.
const MAX_SNIPPET_LINE: usize = 2_000;

/// Whether a line that `span` touches is longer than [`MAX_SNIPPET_LINE`].
fn touches_long_line(text: &str, span: &std::ops::Range<usize>) -> bool {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    line_end - line_start > MAX_SNIPPET_LINE
}

/// Renders the diagnostics.
pub fn render(diagnostics: &[Diagnostic], options: &Options) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let mut out = String::new();
    for d in diagnostics {
        let snippet = !touches_long_line(&d.source.text, &d.span)
            && d.related
                .iter()
                .filter(|r| r.source.path == d.source.path)
                .all(|r| !touches_long_line(&d.source.text, &r.span));
        let mut message = escape_controls(&d.message).into_owned();
        if !snippet {
            let (start, _) = d.line_cols();
            message.push_str(&format!(
                "\n  at {}:{}:{} (the line is too long to show)",
                d.source.path, start.line, start.column
            ));
        }
        let report = Report {
            d,
            message,
            source: snippet.then(|| named(&d.source)),
            elsewhere: d
                .related
                .iter()
                .filter(|r| r.source.path != d.source.path)
                .map(|r| {
                    let long = touches_long_line(&r.source.text, &r.span);
                    let mut message = escape_controls(&r.message).into_owned();
                    if long {
                        let (start, _) = r.line_cols();
                        message.push_str(&format!(
                            " ({}:{}:{})",
                            r.source.path, start.line, start.column
                        ));
                    }
                    Elsewhere {
                        message,
                        source: (!long).then(|| named(&r.source)),
                        span: r.span.clone(),
                    }
                })
                .collect(),
        };
        if handler.render_report(&mut out, &report).is_err() {
            let (start, _) = d.line_cols();
            out.push_str(&format!(
                "{}:{}:{}: {}[{}] {}\n",
                d.source.path, start.line, start.column, d.severity, d.code, report.message
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_lint::Finding;

    fn render_one(text: &str, span: std::ops::Range<usize>) -> String {
        let source = Arc::new(SourceFile::new("a.md", text));
        let d = Diagnostic::from_finding(
            "schema/wrong-type",
            Severity::Error,
            &source,
            Finding::new(span, "bad"),
        );
        render(
            &[d],
            &Options {
                color: false,
                width: 100,
                base: None,
            },
        )
    }

    #[test]
    fn header_columns_count_characters() {
        let text = "\u{feff}---\ntitle: 'Café ✓' x: 1\n---\n";
        let at = text.find("x:").expect("x");
        let out = render_one(text, at..at + 1);
        assert!(out.contains("[a.md:2:17]"), "{out}");
        let out = render_one(text, 3..6);
        assert!(out.contains("[a.md:1:1]"), "{out}");
    }

    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        let text = "---\ntitle: \u{1b}[2Jx\u{9b}31m\rz\n---\n";
        let at = text.find('x').expect("x");
        let out = render_one(text, at..at + 1);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{9b}') && !out.contains('\r'));
        assert!(out.contains("title: ?[2Jx¿31m?z"), "{out}");
    }
}
