//! A span-keeping parse of JSON front matter (Hugo's `{ … }` block).
//!
//! serde_json drops positions, and the front matter needs the byte span of
//! every key and value, so this is a small RFC 8259 parser that builds the
//! same [`Node`] tree as the YAML parser: strings are double-quoted scalars
//! (span includes the quotes), numbers, `true`, `false` and `null` plain
//! ones. Depth, node count and size are bounded by [`Limits`]; recursion is
//! bounded by the depth limit, and every step consumes input, so hostile
//! input ends in an issue, never a panic or a hang.

use std::collections::HashMap;
use std::ops::Range;

use crate::yaml::{
    Entry, Limits, Node, NodeKind, ParseOutcome, Scalar, ScalarValue, Style, YamlIssue,
};

/// The end (just after the matching `}`) of the JSON object whose `{` is
/// at `start`, skipping braces inside strings; `None` when it never closes.
/// Used to split the block off the body before parsing it.
pub(crate) fn object_end(text: &str, start: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    let mut in_string = false;
    while i < b.len() {
        match (in_string, b[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => in_string = false,
            (false, b'"') => in_string = true,
            (false, b'{' | b'[') => depth += 1,
            (false, b'}' | b']') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

struct Parser<'a> {
    file: &'a str,
    end: usize,
    pos: usize,
    limits: &'a Limits,
    nodes: usize,
    issues: Vec<YamlIssue>,
}

/// Why parsing stopped; the issue is already recorded.
struct Stop;

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.file.as_bytes()[self.pos])
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// The character at `at` (or the empty span at the end), for errors.
    fn char_span(&self, at: usize) -> Range<usize> {
        let len = self.file[at.min(self.end)..self.end]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        at..at + len
    }

    fn error(&mut self, at: usize, message: impl Into<String>) -> Stop {
        let span = self.char_span(at);
        self.issues.push(YamlIssue::Syntax {
            span,
            message: message.into(),
            kind: crate::yaml::SyntaxKind::Other,
        });
        Stop
    }

    fn count(&mut self, span: &Range<usize>) -> Result<(), Stop> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            self.issues.push(YamlIssue::TooManyNodes {
                span: span.clone(),
                limit: self.limits.max_nodes,
            });
            return Err(Stop);
        }
        Ok(())
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), Stop> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(self.pos, format!("expected {what}")))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, Stop> {
        self.skip_ws();
        let start = self.pos;
        let node = match self.peek() {
            Some(b'{' | b'[') if depth >= self.limits.max_depth => {
                self.issues.push(YamlIssue::TooDeep {
                    span: start..start + 1,
                    limit: self.limits.max_depth,
                });
                return Err(Stop);
            }
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => self.string()?,
            Some(b't' | b'f' | b'n') => self.literal()?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            None => return Err(self.error(start, "expected a value, found the end of the block")),
            Some(_) => return Err(self.error(start, "expected a value")),
        };
        self.count(&node.span)?;
        Ok(node)
    }

    fn object(&mut self, depth: usize) -> Result<Node, Stop> {
        let start = self.pos;
        self.pos += 1;
        let mut entries: Vec<Entry> = Vec::new();
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(mapping(start..self.pos, entries));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') if !entries.is_empty() => {
                    return Err(self.error(
                        self.pos,
                        "a comma before `}`: JSON allows none after the last entry",
                    ))
                }
                _ => return Err(self.error(self.pos, "expected a key in double quotes")),
            }
            let key = self.string()?;
            self.count(&key.span)?;
            self.expect(b':', "`:` after the key")?;
            let value = self.value(depth + 1)?;
            let name = key.as_scalar().map(|s| s.text.clone()).unwrap_or_default();
            match seen.get(&name) {
                Some(first) => self.issues.push(YamlIssue::DuplicateKey {
                    key: name,
                    first: first.clone(),
                    second: key.span.clone(),
                }),
                None => {
                    seen.insert(name, key.span.clone());
                    entries.push(Entry { key, value });
                }
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(mapping(start..self.pos, entries));
                }
                _ => return Err(self.error(self.pos, "expected `,` or `}` after the value")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, Stop> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                if self.peek() == Some(b']') && !items.is_empty() {
                    return Err(self.error(
                        self.pos,
                        "a comma before `]`: JSON allows none after the last item",
                    ));
                }
                items.push(self.value(depth + 1)?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.error(self.pos, "expected `,` or `]` after the item")),
                }
            }
        }
        Ok(Node {
            span: start..self.pos,
            kind: NodeKind::Sequence(items),
        })
    }

    fn literal(&mut self) -> Result<Node, Stop> {
        let start = self.pos;
        let file = self.file;
        let rest = &file[start..self.end];
        let (word, value) = [
            ("true", ScalarValue::Bool(true)),
            ("false", ScalarValue::Bool(false)),
            ("null", ScalarValue::Null),
        ]
        .into_iter()
        .find(|(w, _)| rest.starts_with(w))
        .ok_or_else(|| self.error(start, "expected a value (strings need double quotes)"))?;
        self.pos += word.len();
        Ok(plain(start..self.pos, word, value))
    }

    fn number(&mut self) -> Result<Node, Stop> {
        let start = self.pos;
        let file = self.file;
        let end = self.end;
        let b = file.as_bytes();
        let digits = |p: &mut usize| {
            let from = *p;
            while *p < end && b[*p].is_ascii_digit() {
                *p += 1;
            }
            *p - from
        };
        let mut p = start;
        if b[p] == b'-' {
            p += 1;
        }
        let int_start = p;
        let n = digits(&mut p);
        if n == 0 || (n > 1 && b[int_start] == b'0') {
            return Err(self.error(start, "invalid number"));
        }
        let mut is_float = false;
        if p < end && b[p] == b'.' {
            p += 1;
            is_float = true;
            if digits(&mut p) == 0 {
                return Err(self.error(p, "expected digits after `.`"));
            }
        }
        if p < end && matches!(b[p], b'e' | b'E') {
            p += 1;
            is_float = true;
            if p < end && matches!(b[p], b'+' | b'-') {
                p += 1;
            }
            if digits(&mut p) == 0 {
                return Err(self.error(p, "expected digits in the exponent"));
            }
        }
        self.pos = p;
        let raw = &file[start..p];
        let value = match (is_float, raw.parse::<i64>()) {
            (false, Ok(i)) => ScalarValue::Int(i),
            _ => ScalarValue::Float(raw.parse::<f64>().unwrap_or(f64::INFINITY)),
        };
        Ok(plain(start..p, raw, value))
    }

    fn string(&mut self) -> Result<Node, Stop> {
        let start = self.pos;
        self.pos += 1;
        let mut text = String::new();
        loop {
            let Some(c) = self.file[self.pos..self.end].chars().next() else {
                return Err(self.error(start, "unterminated string"));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\\' => {
                    let at = self.pos;
                    self.pos += 1;
                    let decoded = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let c = self.unicode_escape(at)?;
                            text.push(c);
                            continue;
                        }
                        _ => return Err(self.error(at, "invalid escape sequence")),
                    };
                    self.pos += 1;
                    text.push(decoded);
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.error(
                        self.pos,
                        "control character in a string (write `\\n` for a line break)",
                    ))
                }
                c => {
                    self.pos += c.len_utf8();
                    text.push(c);
                }
            }
        }
        Ok(Node {
            span: start..self.pos,
            kind: NodeKind::Scalar(Scalar {
                text,
                style: Style::DoubleQuoted,
                value: ScalarValue::Str,
            }),
        })
    }

    fn hex4(&mut self, at: usize) -> Result<u32, Stop> {
        let hex = self
            .file
            .get(self.pos..self.pos + 4)
            .filter(|h| self.pos + 4 <= self.end && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match hex {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.error(at, "`\\u` needs four hex digits")),
        }
    }

    fn unicode_escape(&mut self, at: usize) -> Result<char, Stop> {
        let hi = self.hex4(at)?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if self.file.get(self.pos..self.pos + 2) != Some("\\u") {
                return Err(self.error(at, "a lone surrogate in a `\\u` escape"));
            }
            self.pos += 2;
            let lo = self.hex4(at)?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(self.error(at, "a lone surrogate in a `\\u` escape"));
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code).ok_or_else(|| self.error(at, "a lone surrogate in a `\\u` escape"))
    }
}

fn mapping(span: Range<usize>, entries: Vec<Entry>) -> Node {
    Node {
        span,
        kind: NodeKind::Mapping(entries),
    }
}

fn plain(span: Range<usize>, raw: &str, value: ScalarValue) -> Node {
    Node {
        span,
        kind: NodeKind::Scalar(Scalar {
            text: raw.to_owned(),
            style: Style::Plain,
            value,
        }),
    }
}

/// Parses the JSON block `file[range]` (one object); spans in the result
/// are byte offsets into `file`. An empty object yields no root, as an
/// empty YAML block does.
pub fn parse(file: &str, range: Range<usize>, limits: &Limits) -> ParseOutcome {
    let mut out = ParseOutcome::default();
    if range.len() > limits.max_bytes {
        out.issues.push(YamlIssue::TooLarge {
            span: range,
            limit: limits.max_bytes,
        });
        return out;
    }
    let mut p = Parser {
        file,
        end: range.end.min(file.len()),
        pos: range.start,
        limits,
        nodes: 0,
        issues: Vec::new(),
    };
    let root = p.value(0).ok().and_then(|root| {
        p.skip_ws();
        if p.pos < p.end {
            p.error(p.pos, "unexpected text after the object");
            return None;
        }
        Some(root)
    });
    out.issues = p.issues;
    out.root = root.filter(|r| r.as_mapping().is_none_or(|e| !e.is_empty()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> ParseOutcome {
        parse(src, 0..src.len(), &Limits::default())
    }

    #[test]
    fn spans_are_bytes_in_the_file() {
        let file = "\u{feff}{\r\n  \"title\": \"Café \\\"ü\\\" \\u00e9\\ud83d\\ude00\",\r\n  \"n\": -12,\r\n  \"f\": 1.5e3,\r\n  \"tags\": [\"a\", true, null],\r\n  \"m\": {\"k\": \"v\"}\r\n}\r\nbody";
        let end = object_end(file, 3).expect("closes");
        let out = parse(file, 3..end, &Limits::default());
        assert!(out.issues.is_empty(), "{:?}", out.issues);
        let root = out.root.expect("root");
        let text = |n: &Node| &file[n.span.clone()];
        let title = root.get("title").expect("title");
        assert_eq!(text(title), "\"Café \\\"ü\\\" \\u00e9\\ud83d\\ude00\"");
        assert_eq!(title.as_str(), Some("Café \"ü\" é😀"));
        assert_eq!(
            &file[root.entry("title").expect("e").key.span.clone()],
            "\"title\""
        );
        let n = root.get("n").expect("n");
        assert_eq!(
            (text(n), &n.as_scalar().expect("s").value),
            ("-12", &ScalarValue::Int(-12))
        );
        assert_eq!(text(root.get("f").expect("f")), "1.5e3");
        assert_eq!(text(root.pointer(["tags", "1"]).expect("t")), "true");
        assert_eq!(text(root.get("tags").expect("tags")), "[\"a\", true, null]");
        assert_eq!(text(root.get("m").expect("m")), "{\"k\": \"v\"}");
        assert_eq!(text(&root), &file[3..end]);
    }

    #[test]
    fn errors_have_spans_and_never_panic() {
        for (src, at) in [
            ("{\"a\": 1,}", "}"),
            ("{\"a\" 1}", "1"),
            ("{\"a\": 'x'}", "'"),
            ("{\"a\": 01}", "0"),
            ("{\"a\": \"\\x\"}", "\\"),
            ("{\"a\": tru}", "t"),
            ("{a: 1}", "a"),
        ] {
            match &p(src).issues[..] {
                [YamlIssue::Syntax { span, .. }] => assert_eq!(&src[span.clone()], at, "{src}"),
                other => panic!("{src}: {other:?}"),
            }
        }
        for src in [
            "{",
            "{\"",
            "{\"a\":",
            "{\"a\": \"\\u12",
            "{\"a\": -",
            "{\"a\": 1.",
            "{\"a\": \"é",
        ] {
            assert!(!p(src).issues.is_empty(), "{src}");
        }
    }

    #[test]
    fn limits_and_duplicates() {
        let deep = "{\"a\": ".repeat(10_000) + &"}".repeat(10_000);
        assert!(matches!(p(&deep).issues[..], [YamlIssue::TooDeep { .. }]));
        let out = p("{\"a\": 1, \"a\": 2}");
        assert!(matches!(out.issues[..], [YamlIssue::DuplicateKey { .. }]));
        assert_eq!(
            out.root.expect("root").get("a").map(|n| n.span.clone()),
            Some(6..7)
        );
        assert!(p("{}").root.is_none());
    }
}
