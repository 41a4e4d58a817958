//! From a scalar's value back to its bytes in the file: where a character
//! of the decoded value was written (for exact spans), and the smallest
//! edit of the file that changes part of the value (for fixes that keep
//! the author's quoting and every other byte).

use std::ops::Range;

use copydesk_schema::yaml::{parse, Limits, Node, Style};

use crate::rules::editorial::rewrite_scalar;

/// How a scalar's value maps to its bytes.
enum Map {
    /// The value's bytes are the file's, from this offset on.
    Direct(usize),
    /// Per character of the value: its offset in the value and the bytes
    /// that wrote it (an escape, a doubled quote).
    Chars(Vec<(usize, Range<usize>)>),
    /// Folded or block text: only the whole node can be pointed at.
    Whole,
}

/// A scalar's value and where it is written.
pub(crate) struct ValueMap<'a> {
    file: &'a str,
    node: &'a Node,
    map: Map,
}

impl<'a> ValueMap<'a> {
    /// The map of `node` (a string scalar) in `file`.
    pub(crate) fn new(file: &'a str, node: &'a Node) -> Self {
        let map = node.as_scalar().zip(file.get(node.span.clone())).map_or(
            Map::Whole,
            |(scalar, raw)| {
                let text = scalar.text.as_str();
                let start = node.span.start;
                match scalar.style {
                    Style::Plain if raw == text => Map::Direct(start),
                    Style::SingleQuoted | Style::DoubleQuoted
                        if raw.len() == text.len() + 2
                            && raw.get(1..raw.len() - 1) == Some(text) =>
                    {
                        Map::Direct(start + 1)
                    }
                    Style::SingleQuoted if !raw.contains('\n') => {
                        quoted_chars(raw, start, text, single_quoted_char)
                    }
                    Style::DoubleQuoted if !raw.contains('\n') => {
                        quoted_chars(raw, start, text, double_quoted_char)
                    }
                    Style::Block => block_line(raw, start, text),
                    _ => Map::Whole,
                }
            },
        );
        ValueMap { file, node, map }
    }

    /// The file bytes that wrote the value's bytes `r`; the whole node
    /// when the value is folded or written as a block.
    pub(crate) fn span(&self, r: &Range<usize>) -> Range<usize> {
        match &self.map {
            Map::Direct(offset) => offset + r.start..offset + r.end,
            Map::Chars(chars) => {
                let at = |v: usize| match chars.binary_search_by_key(&v, |(o, _)| *o) {
                    Ok(i) => Some(chars[i].1.start),
                    Err(i) if i == chars.len() => chars.last().map(|(_, raw)| raw.end),
                    Err(_) => None,
                };
                match (at(r.start), at(r.end)) {
                    (Some(a), Some(b)) if a <= b => a..b,
                    _ => self.node.span.clone(),
                }
            }
            Map::Whole => self.node.span.clone(),
        }
    }

    /// The edit of the file that replaces the value's bytes `r` with
    /// `replacement`: the written bytes alone when that reads back as the
    /// new value, else the whole scalar rewritten in its quoting; `None`
    /// when neither can be done faithfully.
    pub(crate) fn edit(
        &self,
        value: &str,
        r: &Range<usize>,
        replacement: &str,
    ) -> Option<(Range<usize>, String)> {
        let new_value = format!(
            "{}{replacement}{}",
            value.get(..r.start)?,
            value.get(r.end..)?
        );
        let style = self.node.as_scalar()?.style;
        let raw = self.file.get(self.node.span.clone())?;
        if !matches!(self.map, Map::Whole) {
            let span = self.span(r);
            let escaped = match style {
                Style::SingleQuoted => replacement.replace('\'', "''"),
                Style::DoubleQuoted => escape_double(replacement),
                _ => replacement.to_owned(),
            };
            let rel = span.start.checked_sub(self.node.span.start)?
                ..span.end.checked_sub(self.node.span.start)?;
            let new_raw = format!("{}{escaped}{}", raw.get(..rel.start)?, raw.get(rel.end..)?);
            if self.reads_back(&new_raw, &new_value) {
                return Some((span, escaped));
            }
        }
        let whole = rewrite_scalar(self.file, self.node, &new_value)?;
        self.reads_back(&whole, &new_value)
            .then(|| (self.node.span.clone(), whole))
    }

    /// A document holding the block scalar's header line and `raw` as its
    /// content, as written in the file (the node's span starts after the
    /// header).
    fn block_doc(&self, raw: &str) -> Option<String> {
        let pre = self.file.get(..self.node.span.start)?;
        let line_start = pre.rfind('\n').map_or(0, |i| i + 1);
        let indent = &pre[line_start..];
        let header_line = pre[..line_start]
            .trim_end_matches(['\n', '\r'])
            .rsplit('\n')
            .next()?;
        let header = header_line.rsplit_once(':')?.1.trim();
        header
            .starts_with(['|', '>'])
            .then(|| format!("k: {header}\n{indent}{raw}\n"))
    }

    /// Whether `raw`, written where the node is, is read as the string
    /// `want` (checked in a flow list too when the node is in one).
    fn reads_back(&self, raw: &str, want: &str) -> bool {
        let in_flow = self.file[..self.node.span.start]
            .trim_end_matches([' ', '\t'])
            .ends_with(['[', ',']);
        let block = self
            .node
            .as_scalar()
            .is_some_and(|s| s.style == Style::Block);
        let reads = |doc: String, flow: bool| {
            let out = parse(&doc, 0..doc.len(), &Limits::default());
            let node = out.root.as_ref().and_then(|r| r.get("k"));
            let node = if flow {
                node.and_then(|n| n.as_sequence()).and_then(|s| s.first())
            } else {
                node
            };
            out.issues.is_empty()
                && node.is_some_and(|n| {
                    n.as_str() == Some(want)
                        && n.as_scalar().is_some_and(|s| s.text == want)
                        && (block || n.span.len() == raw.len())
                })
        };
        if block {
            return self.block_doc(raw).is_some_and(|doc| reads(doc, false));
        }
        !raw.contains(['\n', '\r'])
            && reads(format!("k: {raw}\n"), false)
            && (!in_flow || reads(format!("k: [{raw}]\n"), true))
    }
}

/// One character of a single-quoted scalar: `''` is a quote.
fn single_quoted_char(inner: &str) -> Option<(char, usize)> {
    let c = inner.chars().next()?;
    Some(if inner.starts_with("''") {
        ('\'', 2)
    } else {
        (c, c.len_utf8())
    })
}

/// One character of a double-quoted scalar, decoding an escape.
fn double_quoted_char(inner: &str) -> Option<(char, usize)> {
    let c = inner.chars().next()?;
    if c != '\\' {
        return Some((c, c.len_utf8()));
    }
    let e = inner[1..].chars().next()?;
    let hex = |n: usize| -> Option<(char, usize)> {
        let digits = inner.get(2..2 + n)?;
        let code = u32::from_str_radix(digits, 16).ok()?;
        Some((char::from_u32(code)?, 2 + n))
    };
    match e {
        'x' => hex(2),
        'u' => hex(4),
        'U' => hex(8),
        _ => {
            let c = match e {
                '0' => '\0',
                'a' => '\u{7}',
                'b' => '\u{8}',
                't' | '\t' => '\t',
                'n' => '\n',
                'v' => '\u{b}',
                'f' => '\u{c}',
                'r' => '\r',
                'e' => '\u{1b}',
                ' ' => ' ',
                '"' => '"',
                '/' => '/',
                '\\' => '\\',
                'N' => '\u{85}',
                '_' => '\u{a0}',
                'L' => '\u{2028}',
                'P' => '\u{2029}',
                _ => return None,
            };
            Some((c, 1 + e.len_utf8()))
        }
    }
}

/// The per-character map of a one-line quoted scalar, when decoding its
/// bytes gives exactly the parsed value (else the whole node).
fn quoted_chars(
    raw: &str,
    start: usize,
    text: &str,
    next: fn(&str) -> Option<(char, usize)>,
) -> Map {
    let Some(inner) = raw
        .get(1..raw.len().saturating_sub(1))
        .filter(|_| raw.len() >= 2)
    else {
        return Map::Whole;
    };
    let mut chars = Vec::new();
    let mut decoded = String::with_capacity(text.len());
    let mut pos = 0;
    while pos < inner.len() {
        let Some((c, len)) = inner.get(pos..).and_then(next) else {
            return Map::Whole;
        };
        chars.push((decoded.len(), start + 1 + pos..start + 1 + pos + len));
        decoded.push(c);
        pos += len;
    }
    if decoded == text {
        Map::Chars(chars)
    } else {
        Map::Whole
    }
}

/// The map of a block scalar whose value is one line (`>-` then the
/// text): that line is written as is, once, after the header.
fn block_line(raw: &str, start: usize, text: &str) -> Map {
    let line = text.trim_end_matches('\n');
    if line.is_empty() || line.contains('\n') || raw.matches(line).count() != 1 {
        return Map::Whole;
    }
    let Some(pos) = raw.find(line) else {
        return Map::Whole;
    };
    let before = &raw[..pos];
    let before = match before.find('\n') {
        Some(nl) if before.starts_with(['|', '>']) => &before[nl..],
        _ => before,
    };
    if before.chars().all(|c| matches!(c, ' ' | '\r' | '\n')) {
        Map::Direct(start + pos)
    } else {
        Map::Whole
    }
}

/// `s` as the inside of a double-quoted scalar.
fn escape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node_of(yaml: &str) -> (String, Node) {
        let out = parse(yaml, 0..yaml.len(), &Limits::default());
        let node = out.root.and_then(|r| r.get("k").cloned()).expect("k");
        (yaml.to_owned(), node)
    }

    #[test]
    fn spans_and_edits_follow_the_quoting() {
        let cases = [
            ("k: a  b\n", "a  b", 1..3, " ", "k: a b\n"),
            ("k: 'it''s  ok'\n", "it's  ok", 4..6, " ", "k: 'it''s ok'\n"),
            ("k: \"x\\u200By\"\n", "x\u{200b}y", 1..4, "", "k: \"xy\"\n"),
            ("k: 'a&quot;b'\n", "a&quot;b", 1..7, "\"", "k: 'a\"b'\n"),
            (
                "k: \"a&quot;b\"\n",
                "a&quot;b",
                1..7,
                "\"",
                "k: \"a\\\"b\"\n",
            ),
        ];
        for (yaml, value, r, replacement, want) in cases {
            let (file, node) = node_of(yaml);
            assert_eq!(node.as_str(), Some(value), "{yaml}");
            let map = ValueMap::new(&file, &node);
            let (range, text) = map.edit(value, &r, replacement).expect(yaml);
            let mut out = file.clone();
            out.replace_range(range, &text);
            assert_eq!(out, want, "{yaml}");
        }
    }

    #[test]
    fn a_plain_edit_that_would_change_the_type_quotes_the_value() {
        let (file, node) = node_of("k: \u{200b}123\n");
        let map = ValueMap::new(&file, &node);
        let value = "\u{200b}123";
        let (range, text) = map.edit(value, &(0..3), "").expect("fix");
        assert_eq!(range, node.span);
        assert_eq!(text, "'123'");
    }

    #[test]
    fn a_one_line_block_maps_and_edits_its_line() {
        for yaml in ["k: >-\n  a  b\nz: 1\n", "k: |\r\n  a  b\r\nz: 1\r\n"] {
            let (file, node) = node_of(yaml);
            let value = node.as_str().expect("str").to_owned();
            let map = ValueMap::new(&file, &node);
            assert_eq!(&file[map.span(&(1..3))], "  ", "{yaml:?}");
            let (range, text) = map.edit(&value, &(1..3), " ").expect("fix");
            let mut out = file.clone();
            out.replace_range(range, &text);
            assert_eq!(out, yaml.replacen("a  b", "a b", 1), "{yaml:?}");
        }
    }

    #[test]
    fn escapes_map_to_their_bytes() {
        let (file, node) = node_of("k: \"a\\tb\\u00A0c\"\n");
        let map = ValueMap::new(&file, &node);
        assert_eq!(&file[map.span(&(1..2))], "\\t");
        assert_eq!(&file[map.span(&(3..5))], "\\u00A0");
    }
}
