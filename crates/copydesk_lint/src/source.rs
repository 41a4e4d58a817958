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
    /// Computed on the first line:column lookup: most files have no
    /// finding and never need it.
    line_starts: std::sync::OnceLock<Arc<[usize]>>,
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
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let text = &self.text;
            let mut starts = vec![if text.starts_with('\u{feff}') { 3 } else { 0 }];
            starts.extend(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            starts.into()
        })
    }

    /// The line:column of byte `offset` (clamped to the text). A BOM is not
    /// a column, and offsets inside a character count as that character.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = starts[line].min(offset);
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
        self.line_starts().len()
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
