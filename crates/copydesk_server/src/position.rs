//! Byte offsets (what the lint crate speaks) to LSP positions (lines and
//! UTF-16 code units, what the protocol speaks) and back, over the lint
//! crate's [`copydesk_lint::LineIndex`]. Lines end as the protocol says:
//! at `\n`, `\r\n` or a lone `\r`.

use lsp_types::{Position, Range};

/// One text and its line index, for converting positions.
pub struct LineIndex<'a> {
    text: &'a str,
    lines: copydesk_lint::LineIndex,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            lines: copydesk_lint::LineIndex::lsp(text),
        }
    }

    /// The position of byte `offset`, clamped to the text; an offset inside
    /// a character counts as that character's start.
    pub fn position(&self, offset: usize) -> Position {
        let (line, character) = self.lines.utf16_position(self.text, offset);
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of a byte span.
    pub fn range(&self, span: &std::ops::Range<usize>) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of `position`, clamped to its line (a character
    /// past the line's end is the line's end, a line past the text's end is
    /// the text's end), as the protocol asks.
    pub fn offset(&self, position: Position) -> usize {
        self.lines.utf16_offset(
            self.text,
            position.line as usize,
            position.character as usize,
        )
    }

    /// The byte range of the line holding byte `offset`, without its line
    /// ending.
    pub fn line_at(&self, offset: usize) -> std::ops::Range<usize> {
        self.line_range(self.line_of(offset))
    }

    /// The byte range of 0-based line `line`, without its line ending.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        self.lines.line_range(self.text, line)
    }

    /// The 0-based line number of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }

    /// The position just after the last character.
    pub fn end(&self) -> Position {
        self.position(self.text.len())
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "---\ntitle: '🎉 日本 x'\r\nnext\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').expect("x");
        // `title: '` is 8 units, 🎉 is 2, the space 1, 日本 2, space 1.
        assert_eq!(idx.position(x), Position::new(1, 14));
        assert_eq!(idx.offset(Position::new(1, 14)), x);
        // Past the end of the line: the line's end, before `\r\n`.
        let cr = text.find('\r').expect("cr");
        assert_eq!(idx.offset(Position::new(1, 99)), cr);
        assert_eq!(idx.offset(Position::new(9, 0)), text.len());
        // Inside a surrogate pair: the character's start.
        let party = text.find('🎉').expect("emoji");
        assert_eq!(idx.position(party + 2), idx.position(party));
        assert_eq!(idx.line_range(1), text.find("title").expect("t")..cr);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a\rb\r\nc\nd";
        let idx = LineIndex::new(text);
        for (needle, line) in [("a", 0), ("b", 1), ("c", 2), ("d", 3)] {
            let at = text.find(needle).expect("needle");
            assert_eq!(idx.position(at), Position::new(line, 0));
            assert_eq!(idx.offset(Position::new(line, 0)), at);
            // Past the line's end: before its line ending.
            assert_eq!(idx.offset(Position::new(line, 9)), at + 1);
        }
        assert_eq!(idx.line_range(0), 0..1);
        assert_eq!(idx.line_range(1), 2..3);
        assert_eq!(idx.end(), Position::new(3, 1));
    }
}
