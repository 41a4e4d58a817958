//! A fast path for the common shape of front matter.
//!
//! Nearly every article's front matter is a block mapping of one-line
//! scalars, with a few nested mappings (`source:`, `coverImage:`) and a
//! list of tags. [`parse_simple`] reads exactly that subset with a
//! hand-written line scanner, several times faster than driving
//! saphyr-parser's events, and builds the same tree — same nodes, spans,
//! text, styles and resolved values — that [`super::parse_full`] builds.
//! For anything outside the subset it returns `None` and the caller falls
//! back to the general parser, so it is conservative: when in doubt, bail.
//! A differential test (`fast/tests.rs`) holds the two paths to the same
//! outcome over fixtures, the YAML test suite and generated front matter.
//!
//! The subset:
//! - a block mapping at indent 0 (nested mappings at any deeper indent,
//!   each consistently indented), up to [`MAX_DEPTH`] levels;
//! - keys made of ASCII alphanumerics, `_`, `-` and `.`, not starting with
//!   `-` or `.`, directly followed by `:` and a space or the line end;
//! - values on the key's line: a plain scalar (no `: `, no trailing `:`,
//!   not starting with an indicator), a single-quoted scalar, or a
//!   double-quoted scalar without escapes, each optionally followed by a
//!   comment;
//! - an empty value followed by a more indented mapping, by a sequence of
//!   such scalars (more indented, or at the key's indent), or by nothing
//!   (null);
//! - blank lines, comment lines, CRLF line endings and UTF-8 text.
//!
//! It bails on tabs, control characters, a BOM or other special code
//! points, flow collections, anchors, aliases, tags, block scalars,
//! multi-line scalars, complex keys, document markers, directives,
//! duplicate keys, empty sequence items and anything over a limit — all of
//! which the full parser handles or reports.

use std::borrow::Cow;
use std::ops::Range;

use saphyr_parser::ScalarStyle;

use super::{make_scalar, Entry, Limits, Node, NodeKind, ParseOutcome};

/// The deepest nesting of collections the fast path takes (the root
/// mapping is level 1).
const MAX_DEPTH: usize = 8;
/// The most entries of one mapping; the duplicate check is quadratic.
const MAX_ENTRIES: usize = 128;
/// The longest key.
const MAX_KEY_LEN: usize = 128;

/// Parses `file[range]` when it is in the subset this module reads, giving
/// the outcome [`super::parse_full`] would give; `None` otherwise.
pub(crate) fn parse_simple(
    file: &str,
    range: Range<usize>,
    limits: &Limits,
) -> Option<ParseOutcome> {
    let block = file.get(range.clone())?;
    if block.len() > limits.max_bytes || !clean(block.as_bytes()) {
        return None;
    }
    let mut s = Scanner {
        file,
        b: file.as_bytes(),
        end: range.end,
        cur: None,
        nodes: 0,
        depth_limit: MAX_DEPTH.min(limits.max_depth),
    };
    s.cur = s.scan(range.start);
    let root = match s.cur {
        None => None,
        Some(line) => {
            if line.indent() != 0 || s.depth_limit < 1 {
                return None;
            }
            let root = s.mapping(0, 1)?;
            if s.cur.is_some() {
                return None;
            }
            Some(root)
        }
    };
    if s.nodes > limits.max_nodes {
        return None;
    }
    Some(ParseOutcome {
        root,
        issues: Vec::new(),
    })
}

/// Whether the block is free of everything the scanner does not model:
/// tabs, control characters (a CR only before a LF), DEL, C1 controls
/// (with NEL), the line and paragraph separators, a BOM and the
/// noncharacters U+FFFE/U+FFFF.
fn clean(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        // Runs of printable ASCII and LFs, 16 bytes at a time (written so
        // that it vectorizes).
        if let Some(chunk) = b.get(i..i + 16) {
            if chunk.iter().fold(true, |ok, &c| {
                ok & ((0x20..0x7f).contains(&c) | (c == b'\n'))
            }) {
                i += 16;
                continue;
            }
        }
        let bad = match b[i] {
            b'\n' => false,
            b'\r' => b.get(i + 1) != Some(&b'\n'),
            0..=0x1f | 0x7f => true,
            0xc2 => matches!(b.get(i + 1), Some(0x80..=0x9f)),
            0xe2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9)),
            0xef => matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ),
            _ => false,
        };
        if bad {
            return false;
        }
        i += 1;
    }
    true
}

/// The first offset in `from..end` holding `x`, or `end` (memchr's
/// vectorised search: lines and quoted scalars are long enough for it to
/// beat a byte loop).
fn find(b: &[u8], from: usize, end: usize, x: u8) -> usize {
    b.get(from..end)
        .and_then(|hay| memchr::memchr(x, hay))
        .map_or(end, |i| from + i)
}

/// The first offset in `from..end` holding `x` or `y`, or `end`.
fn find2(b: &[u8], from: usize, end: usize, x: u8, y: u8) -> usize {
    b.get(from..end)
        .and_then(|hay| memchr::memchr2(x, y, hay))
        .map_or(end, |i| from + i)
}

/// A line holding something other than blanks or a comment.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Where the line starts.
    start: usize,
    /// Where its content starts, after the indentation.
    content: usize,
    /// Where its content ends, before the line break (`\n` or `\r\n`).
    end: usize,
    /// Where the next line starts.
    next: usize,
}

impl Line {
    fn indent(&self) -> usize {
        self.content - self.start
    }
}

struct Scanner<'a> {
    file: &'a str,
    b: &'a [u8],
    /// The end of the block.
    end: usize,
    /// The next content line, not yet consumed.
    cur: Option<Line>,
    /// Nodes built so far, counted as the full parser counts them.
    nodes: usize,
    depth_limit: usize,
}

impl Scanner<'_> {
    /// The first content line at or after `pos`, skipping blank and
    /// comment lines.
    fn scan(&self, mut pos: usize) -> Option<Line> {
        let b = self.b;
        while pos < self.end {
            let nl = find(b, pos, self.end, b'\n');
            let next = if nl < self.end { nl + 1 } else { self.end };
            let end = if nl > pos && b[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            };
            let mut content = pos;
            while content < end && b[content] == b' ' {
                content += 1;
            }
            if content < end && b[content] != b'#' {
                return Some(Line {
                    start: pos,
                    content,
                    end,
                    next,
                });
            }
            pos = next;
        }
        None
    }

    /// Consumes the current line.
    fn advance(&mut self, line: Line) {
        self.cur = self.scan(line.next);
    }

    /// Whether the line is a block sequence item: `-` then a space or the
    /// line end.
    fn is_item(&self, line: Line) -> bool {
        self.b[line.content] == b'-'
            && (line.content + 1 == line.end || self.b[line.content + 1] == b' ')
    }

    fn scalar(&mut self, span: Range<usize>, text: Cow<'_, str>, style: ScalarStyle) -> Node {
        self.nodes += 1;
        Node {
            span,
            kind: NodeKind::Scalar(make_scalar(text, style, None)),
        }
    }

    /// The block mapping whose keys sit at `indent`, starting at the
    /// current line; `depth` is its nesting level.
    fn mapping(&mut self, indent: usize, depth: usize) -> Option<Node> {
        let b = self.b;
        let mut entries: Vec<Entry> = Vec::new();
        while let Some(line) = self.cur {
            if line.indent() < indent {
                break;
            }
            if line.indent() > indent || entries.len() >= MAX_ENTRIES {
                return None;
            }
            let colon = self.key_end(line)?;
            let name = &self.file[line.content..colon];
            if entries.iter().any(|e| e.key_str() == Some(name)) {
                return None;
            }
            let key = self.scalar(line.content..colon, Cow::Borrowed(name), ScalarStyle::Plain);
            let mut p = colon + 1;
            while p < line.end && b[p] == b' ' {
                p += 1;
            }
            self.advance(line);
            let value = if p < line.end && b[p] != b'#' {
                self.inline(p, line.end)?
            } else {
                self.block_value(indent, colon, depth)?
            };
            entries.push(Entry { key, value });
        }
        let first = entries.first()?.key.span.start;
        let last = entries.last()?;
        let end = last.value.span.end.max(last.key.span.end);
        self.nodes += 1;
        Some(Node {
            span: first..end,
            kind: NodeKind::Mapping(entries),
        })
    }

    /// The end of the plain key that starts `line`: the offset of its `:`.
    fn key_end(&self, line: Line) -> Option<usize> {
        let b = self.b;
        let first = b[line.content];
        if !(first.is_ascii_alphanumeric() || first == b'_') {
            return None;
        }
        let mut i = line.content + 1;
        while i < line.end && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'-' | b'.')) {
            i += 1;
        }
        if i == line.end || b[i] != b':' || i - line.content > MAX_KEY_LEN {
            return None;
        }
        if i + 1 < line.end && b[i + 1] != b' ' {
            return None;
        }
        Some(i)
    }

    /// The value of a key at `indent` whose line ends after its `:` (at
    /// `colon`): a nested collection on the following lines, or null.
    fn block_value(&mut self, indent: usize, colon: usize, depth: usize) -> Option<Node> {
        match self.cur {
            Some(next) if next.indent() > indent => {
                if depth >= self.depth_limit {
                    return None;
                }
                if self.is_item(next) {
                    self.sequence(next.indent(), false)
                } else {
                    self.mapping(next.indent(), depth + 1)
                }
            }
            Some(next) if next.indent() == indent && self.is_item(next) => {
                if depth >= self.depth_limit {
                    return None;
                }
                self.sequence(indent, true)
            }
            // The full parser places an empty value where its key ends.
            _ => Some(self.scalar(colon..colon, Cow::Borrowed(""), ScalarStyle::Plain)),
        }
    }

    /// A block sequence of one-line scalars whose `-` sit at `indent`. One
    /// at its key's own indent (`indentless`) starts at its first item, any
    /// other at its first `-`, as in the full parser.
    fn sequence(&mut self, indent: usize, indentless: bool) -> Option<Node> {
        let b = self.b;
        let mut items = Vec::new();
        let mut start = 0;
        while let Some(line) = self.cur {
            if line.indent() < indent {
                break;
            }
            if line.indent() > indent {
                return None;
            }
            if !self.is_item(line) {
                // A key of the enclosing mapping, or (when the sequence is
                // more indented than its key) an error the caller bails on.
                break;
            }
            let mut p = line.content + 1;
            while p < line.end && b[p] == b' ' {
                p += 1;
            }
            if p == line.end || b[p] == b'#' {
                return None;
            }
            self.advance(line);
            let item = self.inline(p, line.end)?;
            if items.is_empty() {
                start = if indentless {
                    item.span.start
                } else {
                    line.content
                };
            }
            items.push(item);
        }
        let end = items.last()?.span.end;
        self.nodes += 1;
        Some(Node {
            span: start..end,
            kind: NodeKind::Sequence(items),
        })
    }

    /// The scalar that starts at `p` and must end on its line (whose
    /// content ends at `end`), with only blanks or a comment after it.
    fn inline(&mut self, p: usize, end: usize) -> Option<Node> {
        let b = self.b;
        match b[p] {
            b'\'' => {
                let mut i = p + 1;
                let mut escaped = false;
                loop {
                    i = find(b, i, end, b'\'');
                    if i >= end {
                        return None;
                    }
                    if i + 1 < end && b[i + 1] == b'\'' {
                        escaped = true;
                        i += 2;
                        continue;
                    }
                    break;
                }
                self.trailer(i + 1, end)?;
                let raw = &self.file[p + 1..i];
                let text = if escaped {
                    Cow::Owned(raw.replace("''", "'"))
                } else {
                    Cow::Borrowed(raw)
                };
                Some(self.scalar(p..i + 1, text, ScalarStyle::SingleQuoted))
            }
            b'"' => {
                let i = find2(b, p + 1, end, b'"', b'\\');
                if i == end || b[i] == b'\\' {
                    return None;
                }
                self.trailer(i + 1, end)?;
                let text = Cow::Borrowed(&self.file[p + 1..i]);
                Some(self.scalar(p..i + 1, text, ScalarStyle::DoubleQuoted))
            }
            first => {
                let ok_start = match first {
                    b'-' => p + 1 < end && (b[p + 1].is_ascii_alphanumeric() || b[p + 1] == b'.'),
                    b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
                    | b'|' | b'>' | b'%' | b'@' | b'`' | b'\\' => false,
                    _ => true,
                };
                if !ok_start {
                    return None;
                }
                // A ` #` starts a comment; a `: ` or a final `:` would make
                // this a key.
                let mut stop = end;
                let mut i = p + 1;
                loop {
                    i = find2(b, i, end, b'#', b':');
                    if i == end {
                        break;
                    }
                    if b[i] == b'#' {
                        if b[i - 1] == b' ' {
                            stop = i;
                            break;
                        }
                    } else if i + 1 == end || b[i + 1] == b' ' {
                        return None;
                    }
                    i += 1;
                }
                while b[stop - 1] == b' ' {
                    stop -= 1;
                }
                let text = Cow::Borrowed(&self.file[p..stop]);
                Some(self.scalar(p..stop, text, ScalarStyle::Plain))
            }
        }
    }

    /// Checks what follows a quoted scalar closing at `q`: blanks, then
    /// the line end or a comment.
    fn trailer(&self, q: usize, end: usize) -> Option<()> {
        let mut j = q;
        while j < end && self.b[j] == b' ' {
            j += 1;
        }
        (j == end || (self.b[j] == b'#' && j > q)).then_some(())
    }
}

#[cfg(test)]
mod tests;
