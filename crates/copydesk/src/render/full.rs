//! miette's graphical report: the source snippet with labels, one report
//! per finding; a cross-file finding shows the other file's snippet too.

use std::collections::HashMap;
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
    /// The text with control characters neutralised, once per file.
    shown: Arc<str>,
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
        // miette reads a text from its start to the span: handed only the
        // lines from the first one shown, a file with thousands of findings
        // is not read from the top for each.
        let first_line = self
            .file
            .lines()
            .line_of(span.offset())
            .saturating_sub(context_lines_before);
        let window = match first_line {
            // The first line holds the BOM, if any.
            0 => 0,
            n => self.file.lines().line_range(&self.file.text, n).start,
        };
        let shifted = SourceSpan::new((span.offset().saturating_sub(window)).into(), span.len());
        let contents =
            self.shown[window..].read_span(&shifted, context_lines_before, context_lines_after)?;
        let offset = contents.span().offset() + window;
        let column = if contents.column() == 0 {
            0
        } else {
            self.file.line_col(offset).column - 1
        };
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.file.path.clone(),
                contents.data(),
                SourceSpan::new(offset.into(), contents.span().len()),
                contents.line() + first_line,
                column,
                contents.line_count() + first_line,
            )
            .with_language("yaml"),
        ))
    }
}

/// The snippets of the files one chunk of reports shows (see [`CHUNK`]),
/// each file's text neutralised once: never more than a copy of the files
/// those few findings hold already.
#[derive(Default)]
struct Snippets(HashMap<*const SourceFile, Arc<str>>);

impl Snippets {
    fn of(&mut self, source: &Arc<SourceFile>) -> Snippet {
        let shown = self
            .0
            .entry(Arc::as_ptr(source))
            .or_insert_with(|| neutralise_controls(&source.text).into());
        Snippet {
            file: Arc::clone(source),
            shown: Arc::clone(shown),
        }
    }
}

/// Lines longer than this (in bytes) are not shown as a snippet: a
/// megabyte-long value would print a megabyte several times over.
const MAX_SNIPPET_LINE: usize = 2_000;

/// Whether a line that `span` touches is longer than [`MAX_SNIPPET_LINE`].
/// (From the line index: searching the text for line ends would read a
/// long line again for each of its findings.)
fn touches_long_line(source: &SourceFile, span: &std::ops::Range<usize>) -> bool {
    let text = &source.text;
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let lines = source.lines();
    let line_start = lines
        .line_range(text, lines.line_of(start))
        .start
        .min(start);
    let line_end = lines.line_range(text, lines.line_of(end)).end.max(end);
    line_end - line_start > MAX_SNIPPET_LINE
}

/// How many reports are laid out at once, on all cores: at most their
/// text is held before it is written.
const BATCH: usize = 512;
/// Reports one thread lays out in a row, sharing its file snippets.
const CHUNK: usize = 16;

/// Writes the diagnostics, one report after another. miette lays out each
/// report on its own, which for thousands of cross-file findings (each
/// with other files' snippets) is most of a run: the reports of a batch are
/// laid out in parallel, then written in order.
pub fn write(diagnostics: &[Diagnostic], options: &Options, out: &mut super::Sink<'_>) {
    use rayon::prelude::*;
    for batch in diagnostics.chunks(BATCH) {
        let texts: Vec<String> = batch
            .par_chunks(CHUNK)
            .map(|chunk| reports(chunk, options))
            .collect();
        for text in texts {
            out.push_str(&text);
        }
    }
}

/// The reports of `diagnostics`, each followed by a blank line.
fn reports(diagnostics: &[Diagnostic], options: &Options) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let mut snippets = Snippets::default();
    let mut text = String::new();
    let mut one = String::new();
    for d in diagnostics {
        let snippet = !touches_long_line(&d.source, &d.span)
            && d.related
                .iter()
                .filter(|r| r.source.path == d.source.path)
                .all(|r| !touches_long_line(&d.source, &r.span));
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
            source: snippet.then(|| snippets.of(&d.source)),
            elsewhere: d
                .related
                .iter()
                .filter(|r| r.source.path != d.source.path)
                .map(|r| {
                    let long = touches_long_line(&r.source, &r.span);
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
                        source: (!long).then(|| snippets.of(&r.source)),
                        span: r.span.clone(),
                    }
                })
                .collect(),
        };
        one.clear();
        if handler.render_report(&mut one, &report).is_err() {
            let (start, _) = d.line_cols();
            one = format!(
                "{}:{}:{}: {}[{}] {}\n",
                d.source.path, start.line, start.column, d.severity, d.code, report.message
            );
        }
        text.push_str(&one);
        text.push('\n');
    }
    text
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
        crate::render::render(
            crate::cli::Format::Full,
            &[d],
            &[],
            &Options {
                color: false,
                width: 100,
                base: None,
            },
        )
    }

    /// Reports laid out in parallel come out in the order of the findings,
    /// each as it is alone: across chunks and batches, and with other
    /// files' snippets.
    #[test]
    fn many_reports_are_written_in_order_each_as_alone() {
        let options = Options {
            color: false,
            width: 100,
            base: None,
        };
        let sources: Vec<Arc<SourceFile>> = (0..40)
            .map(|i| {
                Arc::new(SourceFile::new(
                    format!("{i:02}.md"),
                    format!("---\ntitle: T{i}\n---\n"),
                ))
            })
            .collect();
        let diagnostics: Vec<Diagnostic> = (0..BATCH + 3 * CHUNK + 5)
            .map(|n| {
                let source = &sources[n % sources.len()];
                let mut d = Diagnostic::from_finding(
                    "corpus/duplicate-title",
                    Severity::Warning,
                    source,
                    Finding::new(4..9, format!("finding {n}")),
                );
                let other = &sources[(n + 1) % sources.len()];
                d.related.push(copydesk_lint::Related {
                    source: Arc::clone(other),
                    span: 4..9,
                    message: format!("the same in {}", other.path),
                });
                d
            })
            .collect();
        let alone: String = diagnostics
            .iter()
            .map(|d| {
                crate::render::render(
                    crate::cli::Format::Full,
                    std::slice::from_ref(d),
                    &[],
                    &options,
                )
            })
            .collect();
        let together = crate::render::render(crate::cli::Format::Full, &diagnostics, &[], &options);
        assert_eq!(together, alone);
        assert!(together.contains("finding 529") && together.contains("[39.md:2:1]"));
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

    /// miette is handed the text from the first line shown: the line
    /// numbers, context and header are those of the whole file.
    #[test]
    fn snippets_far_down_a_file_keep_their_line_numbers() {
        let mut text = String::from("\u{feff}---\n");
        for i in 2..60 {
            text.push_str(&format!("k{i}: é v{i}\n"));
        }
        text.push_str("---\n");
        let at = text.find("v50").expect("v50");
        let out = render_one(&text, at..at + 3);
        assert!(out.contains("[a.md:50:8]"), "{out}");
        for line in ["49 │ k49: é v49", "50 │ k50: é v50", "51 │ k51: é v51"] {
            assert!(out.contains(line), "{line} in {out}");
        }
        assert!(!out.contains("48 │"), "{out}");
        let out = render_one(&text, 3..6);
        assert!(
            out.contains("[a.md:1:1]") && out.contains("2 │ k2: é v2"),
            "{out}"
        );
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
