//! A file's text and the one line index every front end uses: byte
//! offsets to lines and columns (characters for the renderers, UTF-16
//! code units for the language server) and back.

use std::ops::Range;
use std::sync::Arc;

/// One file's path (as shown to the user) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as it is displayed: relative to the working directory, `/`-separated.
    pub path: String,
    /// The whole file as UTF-8 text (BOM included when present).
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
}

impl LineIndex {
    /// Indexes `text`; a BOM counts as a character of the first line.
    pub fn new(text: &str) -> Self {
        Self::starting_at(text, 0)
    }

    /// Indexes `text`, its first line starting after a BOM when it has one.
    pub fn skipping_bom(text: &str) -> Self {
        Self::starting_at(text, if text.starts_with('\u{feff}') { 3 } else { 0 })
    }

    fn starting_at(text: &str, first: usize) -> Self {
        let mut starts = vec![first];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            starts: starts.into(),
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
    /// ending (`\n` or `\r\n`); past the last line, the empty end.
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

    /// The 1-based line and character column of byte `offset` of `text`
    /// (clamped to it); an offset inside a character counts as that
    /// character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line].min(offset);
        let column = text[start..]
            .char_indices()
            .take_while(|(i, _)| start + i < offset)
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
        (line, text[start..offset].encode_utf16().count())
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
        let content = &text[start..end];
        let mut units = 0usize;
        for (i, c) in content.char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + content.strip_suffix('\r').map_or(content.len(), str::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
