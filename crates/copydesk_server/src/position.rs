//! Byte offsets (what the lint crate speaks) to LSP positions (lines and
//! UTF-16 code units, what the protocol speaks) and back.

use lsp_types::{Position, Range};

/// The line starts of one text, for converting positions.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// The position of byte `offset`, clamped to the text; an offset inside
    /// a character counts as that character's start.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character = self.text[start..offset].encode_utf16().count();
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
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let line = &self.text[start..end];
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        // The line ending is not part of the line: `\r\n` ends at `\r`.
        start + line.strip_suffix('\r').map_or(line.len(), str::len)
    }

    /// The byte range of the line holding byte `offset`, without its line
    /// ending.
    pub fn line_at(&self, offset: usize) -> std::ops::Range<usize> {
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        self.line_range(line)
    }

    /// The byte range of 0-based line `line`, without its line ending.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(self.text.len());
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    /// The 0-based line number of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1) - 1
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
}
