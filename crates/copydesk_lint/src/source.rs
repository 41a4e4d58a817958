//! A file's text and the mapping from byte offsets to line:column.

use std::ops::Range;
use std::sync::Arc;

/// One file's path (as shown to the user) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as it is displayed: relative to the working directory, `/`-separated.
    pub path: String,
    /// The whole file as UTF-8 text (BOM included when present).
    pub text: Arc<str>,
    line_starts: Arc<[usize]>,
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
        let text: Arc<str> = text.into();
        let mut line_starts = vec![if text.starts_with('\u{feff}') { 3 } else { 0 }];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceFile {
            path: path.into(),
            text,
            line_starts: line_starts.into(),
        }
    }

    /// The line:column of byte `offset` (clamped to the text). A BOM is not
    /// a column, and offsets inside a character count as that character.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.line_starts[line].min(offset);
        let column = self.text[start..]
            .char_indices()
            .take_while(|(i, _)| start + i < offset)
            .count()
            + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Start and end line:column of a span; the end is exclusive, the
    /// position just after the last character.
    pub fn span_line_cols(&self, span: &Range<usize>) -> (LineCol, LineCol) {
        (self.line_col(span.start), self.line_col(span.end))
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
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
