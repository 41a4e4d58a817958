//! miette's graphical report: the source snippet with labels, one report
//! per finding; a cross-file finding shows the other file's snippet too.

use std::fmt;
use std::sync::Arc;

use copydesk_lint::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use super::{escape_controls, Options};

/// A span in a file of its own, for related locations in other files.
#[derive(Debug)]
struct Elsewhere {
    message: String,
    source: NamedSource<Arc<str>>,
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
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
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
    source: NamedSource<Arc<str>>,
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
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
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

fn named(source: &copydesk_lint::SourceFile) -> NamedSource<Arc<str>> {
    NamedSource::new(source.path.clone(), neutralize(&source.text)).with_language("yaml")
}

/// The snippet text with control characters (but tab and line endings)
/// replaced by a visible character of the same UTF-8 length, so that
/// spans stay valid and the file cannot send escapes to the terminal.
fn neutralize(text: &Arc<str>) -> Arc<str> {
    let is_bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(is_bad) {
        return Arc::clone(text);
    }
    text.chars()
        .map(|c| match c {
            c if !is_bad(c) => c,
            c if c.len_utf8() == 1 => '?',
            _ => '\u{bf}',
        })
        .collect::<String>()
        .into()
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
        let report = Report {
            d,
            message: escape_controls(&d.message).into_owned(),
            source: named(&d.source),
            elsewhere: d
                .related
                .iter()
                .filter(|r| r.source.path != d.source.path)
                .map(|r| Elsewhere {
                    message: escape_controls(&r.message).into_owned(),
                    source: named(&r.source),
                    span: r.span.clone(),
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
