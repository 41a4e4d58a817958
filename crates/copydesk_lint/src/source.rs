//! A file's text and the one line index every front end uses: byte
//! offsets to lines and columns (characters for the renderers, UTF-16
//! code units for the language server) and back.

use std::ops::Range;
use std::sync::Arc;

/// Lines longer than this (in bytes) get a checkpoint every this many
/// bytes, so that a column lookup walks at most this far.
const CHECKPOINT: usize = 256;

/// How many lines after the front matter a file read back for cross-file
/// findings keeps ([`SourceFile::read_back`]).
pub const READ_BACK_CONTEXT_LINES: usize = 3;

/// One file's path (as shown to the user) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as it is displayed: relative to the working directory, `/`-separated.
    pub path: String,
    /// The whole file as UTF-8 text (BOM included when present); for a
    /// file read back only for cross-file findings, its first part
    /// ([`SourceFile::read_back`]).
    pub text: Arc<str>,
    /// Computed on the first line:column lookup: most files have no
    /// finding and never need it.
    lines: std::sync::OnceLock<LineIndex>,
}

/// A 1-based line and column; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

impl SourceFile {
    /// Wraps `text` read from `path`.
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
            lines: std::sync::OnceLock::new(),
        }
    }

    /// A file read back only to show cross-file findings, which all point
    /// into the front matter (ids, titles, dates): keeps the text up to the
    /// closing fence and [`READ_BACK_CONTEXT_LINES`] lines after it, the
    /// most a snippet shows, and drops the body, most of an article's
    /// bytes, so that 20,000 findings do not hold 20,000 bodies. Offsets,
    /// lines and columns in the kept part are those of the whole file. A
    /// text without a front-matter block is kept whole.
    ///
    /// Such a text is never the file: nothing may be written from it (only
    /// a file's own lint report, which holds the whole text, is fixed).
    pub fn read_back(path: impl Into<String>, mut text: String) -> Self {
        if let Ok(fm) = copydesk_schema::frontmatter::split(&text) {
            let body = &text.as_bytes()[fm.body.start.min(text.len())..];
            let end = body
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .nth(READ_BACK_CONTEXT_LINES - 1)
                .map_or(text.len(), |(i, _)| fm.body.start + i + 1);
            if end < text.len() && text.is_char_boundary(end) {
                text.truncate(end);
                text.shrink_to_fit();
            }
        }
        Self::new(path, text)
    }

    /// The file's line index (a BOM is not a column).
    pub fn lines(&self) -> &LineIndex {
        self.lines
            .get_or_init(|| LineIndex::skipping_bom(&self.text))
    }

    /// The line:column of byte `offset` (clamped to the text). A BOM is not
    /// a column, and offsets inside a character count as that character.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines().line_col(&self.text, offset)
    }

    /// Start and end line:column of a span; the end is exclusive, the
    /// position just after the last character.
    pub fn span_line_cols(&self, span: &Range<usize>) -> (LineCol, LineCol) {
        (self.line_col(span.start), self.line_col(span.end))
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.lines().line_count()
    }
}

/// The line starts of one text. It does not hold the text: each lookup is
/// given it (the same text it was built from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Arc<[usize]>,
    /// Checkpoints inside lines longer than [`CHECKPOINT`], in byte order:
    /// a lookup walks from the last one before its offset, not from the
    /// line's start, so many findings on one long line stay linear.
    marks: Arc<[Mark]>,
}

/// A character boundary inside a long line, with the characters and
/// UTF-16 code units from the line's start to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    byte: usize,
    chars: usize,
    utf16: usize,
}

impl LineIndex {
    /// Indexes `text`; a BOM counts as a character of the first line. Only
    /// `\n` ends a line (`\r\n` too, being one).
    pub fn new(text: &str) -> Self {
        Self::starting_at(text, 0, false)
    }

    /// Indexes `text`, its first line starting after a BOM when it has one.
    pub fn skipping_bom(text: &str) -> Self {
        Self::starting_at(
            text,
            if text.starts_with('\u{feff}') { 3 } else { 0 },
            false,
        )
    }

    /// Indexes `text` as the Language Server Protocol counts lines: `\n`,
    /// `\r\n` and a lone `\r` each end one.
    pub fn lsp(text: &str) -> Self {
        Self::starting_at(text, 0, true)
    }

    fn starting_at(text: &str, first: usize, lone_cr: bool) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![first];
        // Line ends found many bytes at a time (every read-back file of a
        // run with 100k findings is indexed).
        if lone_cr {
            let ends = memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'));
            starts.extend(ends.map(|i| i + 1));
        } else {
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        }
        let mut marks = Vec::new();
        for (line, &start) in starts.iter().enumerate() {
            let end = starts.get(line + 1).map_or(text.len(), |&next| next - 1);
            if end.saturating_sub(start) > CHECKPOINT {
                mark_line(text, start..end, &mut marks);
            }
        }
        LineIndex {
            starts: starts.into(),
            marks: marks.into(),
        }
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1) - 1
    }

    /// The byte range of 0-based line `line` of `text`, without its line
    /// ending (`\n`, `\r\n`, or for [`LineIndex::lsp`] a lone `\r`); past
    /// the last line, the empty end.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(text.len());
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&next| next - 1);
        let end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    /// The last checkpoint at or before byte `offset` on the line starting
    /// at `line_start`, or the line's start.
    fn mark_before(&self, line_start: usize, offset: usize) -> Mark {
        let i = self.marks.partition_point(|m| m.byte <= offset);
        match i.checked_sub(1).map(|i| self.marks[i]) {
            Some(m) if m.byte > line_start => m,
            _ => Mark {
                byte: line_start,
                chars: 0,
                utf16: 0,
            },
        }
    }

    /// The 1-based line and character column of byte `offset` of `text`
    /// (clamped to it); an offset inside a character counts as that
    /// character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let from = self.mark_before(self.starts[line].min(offset), offset);
        scanned(offset - from.byte);
        let column = from.chars
            + text[from.byte..]
                .char_indices()
                .take_while(|(i, _)| from.byte + i < offset)
                .count()
            + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// The 0-based line and UTF-16 column of byte `offset` of `text`
    /// (clamped to it); an offset inside a character counts as that
    /// character's start.
    pub fn utf16_position(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let from = self.mark_before(start, offset);
        scanned(offset - from.byte);
        (
            line,
            from.utf16 + text[from.byte..offset].encode_utf16().count(),
        )
    }

    /// The byte offset of 0-based `line` and UTF-16 column `character` of
    /// `text`, clamped to the line (a column past its end is its end,
    /// before `\r\n`; a line past the text's end is the text's end).
    pub fn utf16_offset(&self, text: &str, line: usize, character: usize) -> usize {
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&next| next - 1);
        // The last checkpoint of this line at or before the column.
        let first = self.marks.partition_point(|m| m.byte <= start);
        let last = self.marks.partition_point(|m| m.byte <= end);
        let line_marks = &self.marks[first..last.max(first)];
        let from = match line_marks.partition_point(|m| m.utf16 <= character) {
            0 => Mark {
                byte: start,
                chars: 0,
                utf16: 0,
            },
            k => line_marks[k - 1],
        };
        let content = &text[from.byte..end];
        let mut units = from.utf16;
        let mut walked = 0;
        for (i, c) in content.char_indices() {
            if units >= character {
                scanned(i);
                return from.byte + i;
            }
            units += c.len_utf16();
            walked = i;
        }
        scanned(walked);
        from.byte + content.strip_suffix('\r').map_or(content.len(), str::len)
    }
}

/// Pushes a checkpoint every [`CHECKPOINT`] bytes of the line `range`.
fn mark_line(text: &str, range: Range<usize>, marks: &mut Vec<Mark>) {
    let (mut chars, mut utf16) = (0, 0);
    let mut next = range.start + CHECKPOINT;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        if at >= next {
            marks.push(Mark {
                byte: at,
                chars,
                utf16,
            });
            next = at + CHECKPOINT;
        }
        chars += 1;
        utf16 += c.len_utf16();
    }
}

#[cfg(test)]
thread_local! {
    static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts bytes a column lookup walks, for the test that lookups stay
/// linear in the number of findings on one line.
#[inline]
fn scanned(_bytes: usize) {
    #[cfg(test)]
    SCANNED.with(|s| s.set(s.get() + _bytes));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100,000 duplicate keys on one line of a flow mapping, one finding
    /// each: every lookup walks at most a bounded stretch of the line, not
    /// the line from its start (which took minutes).
    #[test]
    fn columns_on_one_long_line_are_linear() {
        let n = 100_000;
        let mut text = String::from("---\nx: {");
        let mut keys = Vec::with_capacity(n);
        for i in 0..n {
            keys.push(text.len());
            // Multibyte on some keys, so characters, UTF-16 units and
            // bytes differ.
            text.push_str(if i % 7 == 0 { "é🎉: 1, " } else { "a: 1, " });
        }
        text.push_str("}\n---\n");
        let index = LineIndex::new(&text);
        SCANNED.with(|s| s.set(0));
        for &k in &keys {
            let col = index.line_col(&text, k);
            let (line, units) = index.utf16_position(&text, k);
            assert_eq!(index.utf16_offset(&text, line, units), k);
            assert_eq!(col.line, 2);
        }
        let scanned = SCANNED.with(std::cell::Cell::get);
        // Three lookups a key, each from a checkpoint at most
        // `CHECKPOINT` bytes (plus a character) before it.
        assert!(
            scanned <= 3 * n * (CHECKPOINT + 4),
            "{scanned} bytes scanned for {n} keys"
        );
        // Spot checks against a plain count from the line's start.
        let line_start = 4;
        for &k in keys.iter().step_by(9_973) {
            let chars = text[line_start..k].chars().count();
            let units = text[line_start..k].encode_utf16().count();
            assert_eq!(index.line_col(&text, k).column, chars + 1);
            assert_eq!(index.utf16_position(&text, k), (1, units));
        }
    }

    /// A file read back for cross-file findings keeps its front matter and
    /// three lines after it, at the same offsets, lines and columns; the
    /// body it drops is what 20,000 findings held before.
    #[test]
    fn a_read_back_file_keeps_its_front_matter_at_the_same_positions() {
        let body: String = (1..=50).map(|i| format!("Paragraph {i}.\r\n")).collect();
        for (open, close) in [("\u{feff}---", "---"), ("+++", "+++")] {
            let head = format!("{open}\r\ntitle: 'Café ✓'\r\n{close}\r\n");
            let whole = SourceFile::new("a.md", format!("{head}{body}"));
            let back = SourceFile::read_back("a.md", format!("{head}{body}"));
            assert_eq!(
                &*back.text,
                format!("{head}Paragraph 1.\r\nParagraph 2.\r\nParagraph 3.\r\n")
            );
            let at = head.find('\'').expect("quote");
            assert_eq!(back.line_col(at), whole.line_col(at));
            assert_eq!(back.line_col(at).line, 2);
        }
        // Short bodies and files without a block are kept whole.
        let short = "---\ntitle: x\n---\nOne line";
        assert_eq!(&*SourceFile::read_back("a.md", short.into()).text, short);
        let none = "no front matter\n".repeat(10);
        assert_eq!(&*SourceFile::read_back("a.md", none.clone()).text, none);
    }

    #[test]
    fn lines_start_after_each_line_end_of_either_kind() {
        let by_bytes = |text: &str, lone_cr: bool| -> Vec<usize> {
            let b = text.as_bytes();
            let mut starts = vec![0];
            for (i, &c) in b.iter().enumerate() {
                if c == b'\n' || (lone_cr && c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                    starts.push(i + 1);
                }
            }
            starts
        };
        for text in [
            "",
            "a",
            "\n",
            "\r",
            "\r\n",
            "a\r\rb\r\n\nc\r",
            "é\r\n\r\r\nz\n\r",
        ] {
            for lone_cr in [false, true] {
                let index = LineIndex::starting_at(text, 0, lone_cr);
                assert_eq!(
                    &*index.starts,
                    by_bytes(text, lone_cr),
                    "{text:?} {lone_cr}"
                );
            }
        }
    }

    #[test]
    fn line_cols_with_bom_crlf_and_multibyte() {
        let f = SourceFile::new("a.md", "\u{feff}---\r\ntitle: 'Café ✓'\r\n");
        assert_eq!(f.line_col(3), LineCol { line: 1, column: 1 });
        let at = f.text.find('\'').expect("quote");
        assert_eq!(f.line_col(at), LineCol { line: 2, column: 8 });
        let end = f.text.rfind('\'').expect("quote") + 1;
        assert_eq!(
            f.line_col(end),
            LineCol {
                line: 2,
                column: 16
            }
        );
    }
}
