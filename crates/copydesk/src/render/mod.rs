//! Output formats. Every format renders the same [`Diagnostic`]s; only the
//! presentation differs.

pub mod concise;
pub mod full;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod sarif;

use copydesk_lint::Diagnostic;

use crate::cli::Format;

/// Presentation settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use ANSI colours (full format only).
    pub color: bool,
    /// Wrap `full` reports at this width.
    pub width: usize,
    /// Where display paths are relative to and the repository root, for
    /// formats that locate files for another tool (SARIF); `None` leaves
    /// display paths as they are.
    pub base: Option<Base>,
}

/// The folders that turn a display path into a location another tool
/// resolves: SARIF's `%SRCROOT%` is the repository's root, not wherever
/// copydesk happened to run.
#[derive(Debug, Clone)]
pub struct Base {
    /// The working directory: display paths are relative to it.
    pub cwd: std::path::PathBuf,
    /// The configuration root (the repository root).
    pub root: std::path::PathBuf,
}

/// Renders `diagnostics` (already sorted) in `format` into a string (tests,
/// the fuzz targets; `copydesk check` writes a [`Stream`]). `files` are the
/// paths of every file checked, for formats that list clean files too.
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    files: &[std::sync::Arc<str>],
    options: &Options,
) -> String {
    let mut bytes = Vec::new();
    let mut stream = Stream::new(format, options, &mut bytes);
    stream.write(diagnostics);
    // Writing to a vector does not fail.
    let _ = stream.finish(files);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A report written as the findings come, a file's findings at a time in
/// path order: a run with 100k findings never holds them all, nor their
/// output. JUnit, whose header counts every finding, spools each file's
/// rendered suite until [`Stream::finish`] (see [`junit::Spool`]).
pub struct Stream<'w> {
    format: Format,
    options: Options,
    sink: Sink<'w>,
    /// The open array of the JSON formats.
    array: ArrayWriter,
    /// SARIF's text after the results, once its head is written.
    sarif_tail: Option<String>,
    junit: junit::Spool,
}

impl<'w> Stream<'w> {
    /// A report in `format` to `out`.
    pub fn new(format: Format, options: &Options, out: &'w mut dyn std::io::Write) -> Self {
        let mut sink = Sink::new(out);
        let mut array = ArrayWriter::default();
        let mut sarif_tail = None;
        if format == Format::Sarif {
            let frame = sarif::frame(options.base.as_ref());
            sink.push_str(&frame.head);
            array.indent = frame.indent;
            sarif_tail = Some(frame.tail);
        }
        Stream {
            format,
            options: options.clone(),
            sink,
            array,
            sarif_tail,
            junit: junit::Spool::new(),
        }
    }

    /// Writes the next findings, sorted, after every file of the last call.
    pub fn write(&mut self, diagnostics: &[Diagnostic]) {
        let (options, out) = (&self.options, &mut self.sink);
        match self.format {
            Format::Full => full::write(diagnostics, options, out),
            Format::Concise => concise::write(diagnostics, out),
            Format::Json => {
                for d in diagnostics {
                    self.array.item(&json::to_json(d), out);
                }
            }
            Format::Sarif => {
                for result in sarif::results(diagnostics, options.base.as_ref()) {
                    self.array.item(&result, out);
                }
            }
            Format::Github => github::write(diagnostics, options.base.as_ref(), out),
            Format::Gitlab => {
                for item in gitlab::items(diagnostics, options.base.as_ref()) {
                    self.array.item(&item, out);
                }
            }
            Format::Junit => self.junit.add(diagnostics),
        }
    }

    /// Ends the report (`files`: every file checked, for JUnit) and
    /// flushes it; the first write error, if any.
    pub fn finish(mut self, files: &[std::sync::Arc<str>]) -> std::io::Result<()> {
        let out = &mut self.sink;
        match self.format {
            Format::Json | Format::Gitlab => {
                self.array.end(out);
                out.push('\n');
            }
            Format::Sarif => {
                self.array.end(out);
                out.push_str(self.sarif_tail.as_deref().unwrap_or("\n"));
            }
            Format::Junit => std::mem::take(&mut self.junit).finish(files, out),
            Format::Full | Format::Concise | Format::Github => {}
        }
        self.sink.finish()
    }
}

/// Where a format writes: text is gathered in a buffer handed to the
/// output every [`Sink::CHUNK`] bytes. The first write error is kept and
/// returned by [`Sink::finish`]; nothing is written after it.
pub struct Sink<'w> {
    buf: String,
    out: &'w mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl<'w> Sink<'w> {
    /// How much text is gathered before it is written.
    const CHUNK: usize = 64 * 1024;

    /// A sink writing to `out`.
    pub fn new(out: &'w mut dyn std::io::Write) -> Self {
        Sink {
            buf: String::with_capacity(Self::CHUNK + 1024),
            out,
            error: None,
        }
    }

    /// Appends `s`.
    pub fn push_str(&mut self, s: &str) {
        self.buf.push_str(s);
        if self.buf.len() >= Self::CHUNK {
            self.drain();
        }
    }

    /// Appends `c`.
    pub fn push(&mut self, c: char) {
        let mut utf8 = [0; 4];
        self.push_str(c.encode_utf8(&mut utf8));
    }

    fn drain(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(self.buf.as_bytes()) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }

    /// Records an error met in producing the output (nothing more is
    /// written): [`Sink::finish`] returns it.
    pub fn fail(&mut self, e: std::io::Error) {
        self.error.get_or_insert(e);
    }

    /// Writes what is left and flushes; the first error met, if any.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.drain();
        match self.error.take() {
            Some(e) => Err(e),
            None => self.out.flush(),
        }
    }
}

impl std::fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

/// One JSON array written an item at a time, pretty-printed as
/// `serde_json` prints the whole array when its first line (`[`) is at
/// column `indent`: byte for byte the same, without the whole tree.
#[derive(Default)]
pub(crate) struct ArrayWriter {
    indent: String,
    started: bool,
}

impl ArrayWriter {
    pub(crate) fn item(&mut self, item: &serde_json::Value, out: &mut Sink<'_>) {
        out.push_str(if self.started { ",\n" } else { "[\n" });
        self.started = true;
        let object = serde_json::to_string_pretty(item).unwrap_or_default();
        // A line break inside a string is escaped (`\n`), so every line of
        // the object starts a JSON line.
        for (j, line) in object.lines().enumerate() {
            if j > 0 {
                out.push('\n');
            }
            out.push_str(&self.indent);
            out.push_str("  ");
            out.push_str(line);
        }
    }

    pub(crate) fn end(&mut self, out: &mut Sink<'_>) {
        if self.started {
            out.push('\n');
            out.push_str(&self.indent);
            out.push(']');
        } else {
            out.push_str("[]");
        }
    }
}

impl Base {
    /// `display` (relative to the working directory) as a path relative to
    /// the repository root, `/`-separated, for tools that resolve paths
    /// from the checkout (GitHub annotations, GitLab Code Quality); as it
    /// is when the file is outside the root.
    pub fn repo_path(&self, display: &str) -> String {
        self.repo_relative(display)
            .unwrap_or_else(|| display.to_owned())
    }

    /// `display` relative to the repository root, `/`-separated; `None`
    /// when the file is outside it.
    pub fn repo_relative(&self, display: &str) -> Option<String> {
        let abs = self.absolute(display);
        let rel = abs.strip_prefix(lexical(&self.root)).ok()?;
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// The file's absolute path, without `.` or `..`.
    pub fn absolute(&self, display: &str) -> std::path::PathBuf {
        lexical(&self.cwd.join(display))
    }
}

/// `path` without `.` and `..` components (display paths may climb out of
/// the working directory), without touching the file system.
pub(crate) fn lexical(path: &std::path::Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Where a tool that resolves paths from the checkout finds `display`.
fn repo_path(base: Option<&Base>, display: &str) -> String {
    base.map_or_else(|| display.to_owned(), |b| b.repo_path(display))
}

/// Control characters in text quoted from a file are escaped before they
/// reach any output (the lint crate's rule, shared by every format).
pub use copydesk_lint::diagnostic::escape_controls;

#[cfg(test)]
mod tests {
    use clap::ValueEnum;
    use std::sync::Arc;

    use copydesk_lint::{Applicability, Diagnostic, Finding, Fix, Related, Severity, SourceFile};

    use super::*;

    /// Findings in two files, one naming the other, one with a fix and a
    /// message that needs escaping.
    fn findings() -> Vec<Diagnostic> {
        let a = Arc::new(SourceFile::new("a.md", "---\ntitle: \"x\"\nid: 1\n---\n"));
        let b = Arc::new(SourceFile::new("b.md", "---\ntitle: \"x\"\n---\n"));
        let fix = Fix::replace(Applicability::Safe, "Quote it", 20..21, "'1'");
        let mut one = Diagnostic::from_finding(
            "corpus/duplicate-title",
            Severity::Warning,
            &a,
            Finding::new(11..14, "the \"same\"\ttitle"),
        );
        one.related.push(Related {
            source: Arc::clone(&b),
            span: 11..14,
            message: "here".into(),
        });
        let c = Arc::new(SourceFile::new("c.md", "---\ntitle: \"x\"\nid: 1\n---\n"));
        let two = Diagnostic::from_finding(
            "schema/wrong-type",
            Severity::Error,
            &c,
            Finding::new(20..21, "a number").fix(fix),
        );
        vec![one, two]
    }

    /// The JSON formats are written a piece at a time, through chunks:
    /// byte for byte what pretty-printing the whole document gives, empty
    /// or not.
    #[test]
    fn streamed_json_documents_are_the_whole_document_pretty_printed() {
        for format in [Format::Json, Format::Sarif, Format::Gitlab] {
            for all in [Vec::new(), findings()] {
                let out = render(format, &all, &[], &Options::default());
                let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
                let whole = serde_json::to_string_pretty(&value).expect("JSON") + "\n";
                assert_eq!(out, whole, "{format:?}");
            }
        }
    }

    /// A report written a file at a time is the report written at once,
    /// in every format.
    #[test]
    fn a_report_streamed_a_file_at_a_time_is_the_whole_report() {
        let all = findings();
        let files: Vec<Arc<str>> = vec!["a.md".into(), "b.md".into(), "c.md".into()];
        for &format in Format::value_variants() {
            let whole = render(format, &all, &files, &Options::default());
            let mut bytes = Vec::new();
            let mut stream = Stream::new(format, &Options::default(), &mut bytes);
            stream.write(&all[..1]);
            stream.write(&[]);
            stream.write(&all[1..]);
            stream.finish(&files).expect("written");
            assert_eq!(
                String::from_utf8(bytes).expect("UTF-8"),
                whole,
                "{format:?}"
            );
        }
    }

    /// Output larger than a chunk arrives whole and in order.
    #[test]
    fn a_sink_hands_over_every_byte_in_order() {
        let mut bytes = Vec::new();
        let mut sink = Sink::new(&mut bytes);
        let mut want = String::new();
        for i in 0..50_000 {
            let line = format!("line {i}\n");
            sink.push_str(&line);
            want.push_str(&line);
        }
        sink.push('é');
        want.push('é');
        sink.finish().expect("written");
        assert_eq!(String::from_utf8(bytes).expect("UTF-8"), want);
    }
}
