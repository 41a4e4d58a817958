//! A span-keeping parse of TOML front matter (Hugo's and Zola's `+++`).
//!
//! `toml`'s `DeTable` keeps the byte span of every key and value (see
//! docs/decisions.md), and its parser bounds its own recursion; this module
//! turns that tree into the same [`Node`] tree as the YAML parser, spans
//! moved to file offsets and entries back in file order. TOML types map as
//! a rule expects: a basic string is a double-quoted scalar, a literal
//! string a single-quoted one, a multi-line string a block scalar; an
//! integer, float or boolean a plain scalar of that value; and a datetime
//! (a native TOML type, which JSON Schema has not) a plain *string* scalar
//! of its text as written, so that the date rules and the schema's string
//! patterns read `publishedAt = 2026-01-01T00:00:00Z` as they read the
//! same value in YAML.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::yaml::{
    Entry, Limits, Node, NodeKind, ParseOutcome, Scalar, ScalarValue, Style, YamlIssue,
};

struct Convert<'a> {
    file: &'a str,
    base: usize,
    limits: &'a Limits,
    nodes: usize,
}

/// Why conversion stopped: the issue to report.
type Stop = YamlIssue;

impl Convert<'_> {
    fn span(&self, local: Range<usize>) -> Range<usize> {
        self.base + local.start..self.base + local.end
    }

    fn count(&mut self, span: &Range<usize>) -> Result<(), Stop> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(YamlIssue::TooManyNodes {
                span: span.clone(),
                limit: self.limits.max_nodes,
            });
        }
        Ok(())
    }

    fn table(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        depth: usize,
    ) -> Result<Node, Stop> {
        if depth > self.limits.max_depth {
            return Err(YamlIssue::TooDeep {
                span,
                limit: self.limits.max_depth,
            });
        }
        let mut entries = Vec::with_capacity(table.len());
        for (k, v) in table.iter() {
            let key_span = self.span(k.span());
            self.count(&key_span)?;
            let key = Node {
                span: key_span,
                kind: NodeKind::Scalar(Scalar {
                    text: k.get_ref().to_string(),
                    style: Style::Plain,
                    value: ScalarValue::Str,
                }),
            };
            let value = self.value(v.get_ref(), self.span(v.span()), depth + 1)?;
            entries.push(Entry { key, value });
        }
        // `DeTable` sorts its keys; rules and suppressions expect file order.
        entries.sort_by_key(|e| e.key.span.start);
        Ok(Node {
            span,
            kind: NodeKind::Mapping(entries),
        })
    }

    fn value(
        &mut self,
        value: &DeValue<'_>,
        span: Range<usize>,
        depth: usize,
    ) -> Result<Node, Stop> {
        self.count(&span)?;
        let raw = self.file.get(span.clone()).unwrap_or_default();
        let scalar = |text: String, style: Style, value: ScalarValue| {
            NodeKind::Scalar(Scalar { text, style, value })
        };
        let kind = match value {
            DeValue::String(s) => {
                let style = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
                    Style::Block
                } else if raw.starts_with('\'') {
                    Style::SingleQuoted
                } else {
                    Style::DoubleQuoted
                };
                scalar(s.to_string(), style, ScalarValue::Str)
            }
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                let value = i64::from_str_radix(&digits, i.radix())
                    .map_or(ScalarValue::Float(f64::INFINITY), ScalarValue::Int);
                scalar(raw.to_owned(), Style::Plain, value)
            }
            DeValue::Float(f) => {
                let text = f.as_str().replace('_', "");
                let value = match text.trim_start_matches(['+', '-']) {
                    "inf" if text.starts_with('-') => f64::NEG_INFINITY,
                    "inf" => f64::INFINITY,
                    "nan" => f64::NAN,
                    _ => text.parse().unwrap_or(f64::INFINITY),
                };
                scalar(raw.to_owned(), Style::Plain, ScalarValue::Float(value))
            }
            DeValue::Boolean(b) => scalar(raw.to_owned(), Style::Plain, ScalarValue::Bool(*b)),
            DeValue::Datetime(d) => {
                let text = if raw.is_empty() {
                    d.to_string()
                } else {
                    raw.to_owned()
                };
                scalar(text, Style::Plain, ScalarValue::Str)
            }
            DeValue::Array(items) => {
                if depth > self.limits.max_depth {
                    return Err(YamlIssue::TooDeep {
                        span,
                        limit: self.limits.max_depth,
                    });
                }
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    out.push(self.value(item.get_ref(), self.span(item.span()), depth + 1)?);
                }
                NodeKind::Sequence(out)
            }
            DeValue::Table(t) => return self.table(t, span, depth),
        };
        Ok(Node { span, kind })
    }
}

/// Parses the TOML block `file[range]`; spans in the result are byte
/// offsets into `file`. An empty block yields no root, as in YAML.
pub fn parse(file: &str, range: Range<usize>, limits: &Limits) -> ParseOutcome {
    let mut out = ParseOutcome::default();
    if range.len() > limits.max_bytes {
        out.issues.push(YamlIssue::TooLarge {
            span: range,
            limit: limits.max_bytes,
        });
        return out;
    }
    let Some(block) = file.get(range.clone()) else {
        return out;
    };
    let root = match DeTable::parse(block) {
        Ok(root) => root,
        Err(e) => {
            let local = e.span().unwrap_or(0..0);
            let start = (range.start + local.start).min(range.end);
            let end = (range.start + local.end).clamp(start, range.end);
            let span = if start == end {
                // Underline one character, as the YAML parser does.
                let len = file
                    .get(start..range.end)
                    .and_then(|rest| rest.chars().next())
                    .map_or(0, char::len_utf8);
                start..start + len
            } else {
                start..end
            };
            out.issues.push(YamlIssue::Syntax {
                span,
                message: e.message().trim_end().to_owned(),
                kind: crate::yaml::SyntaxKind::Other,
            });
            return out;
        }
    };
    let mut convert = Convert {
        file,
        base: range.start,
        limits,
        nodes: 0,
    };
    match convert.table(root.get_ref(), range, 0) {
        Ok(node) => out.root = Some(node).filter(|n| n.as_mapping().is_some_and(|e| !e.is_empty())),
        Err(issue) => out.issues.push(issue),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_bytes_in_the_file() {
        let file = "\u{feff}+++\r\ntitle = \"Café ü\" # c\r\nlit = 'x'\r\nn = 1_000\r\ndate = 2026-01-02T03:04:05Z\r\nday = 2026-01-02\r\ntags = [\"a\", \"b\"]\r\n\r\n[extra]\r\nkey = \"v\"\r\n+++\r\n";
        let block = 8..file.len() - 5;
        let out = parse(file, block, &Limits::default());
        assert!(out.issues.is_empty(), "{:?}", out.issues);
        let root = out.root.expect("root");
        let text = |n: &Node| &file[n.span.clone()];
        let keys: Vec<_> = root
            .as_mapping()
            .expect("map")
            .iter()
            .map(|e| &file[e.key.span.clone()])
            .collect();
        assert_eq!(keys, ["title", "lit", "n", "date", "day", "tags", "extra"]);
        let title = root.get("title").expect("title");
        assert_eq!(
            (text(title), title.as_str()),
            ("\"Café ü\"", Some("Café ü"))
        );
        assert_eq!(
            title.as_scalar().map(|s| s.style),
            Some(Style::DoubleQuoted)
        );
        assert_eq!(
            root.get("lit").and_then(Node::as_scalar).map(|s| s.style),
            Some(Style::SingleQuoted)
        );
        let n = root.get("n").and_then(Node::as_scalar).expect("n");
        assert_eq!(
            (n.text.as_str(), &n.value),
            ("1_000", &ScalarValue::Int(1000))
        );
        let date = root.get("date").expect("date");
        assert_eq!(
            (text(date), date.as_str()),
            ("2026-01-02T03:04:05Z", Some("2026-01-02T03:04:05Z"))
        );
        assert_eq!(root.get("day").and_then(Node::as_str), Some("2026-01-02"));
        assert_eq!(text(root.pointer(["tags", "1"]).expect("tag")), "\"b\"");
        assert_eq!(
            text(root.pointer(["extra", "key"]).expect("extra.key")),
            "\"v\""
        );
    }

    #[test]
    fn errors_point_into_the_file_and_never_panic() {
        let file = "+++\ntitle = \"x\"\ntitle = \"y\"\n+++\n";
        let out = parse(file, 4..file.len() - 4, &Limits::default());
        match &out.issues[..] {
            [YamlIssue::Syntax { span, .. }] => assert!(span.start >= 16, "{span:?}"),
            other => panic!("{other:?}"),
        }
        for src in [
            "a = ",
            "a = \"é",
            "[a",
            "a = [[[[",
            "a = {b = ",
            "= 1",
            "a = 1979-05-27T",
        ] {
            assert!(
                !parse(src, 0..src.len(), &Limits::default())
                    .issues
                    .is_empty(),
                "{src}"
            );
        }
        let deep = "a = ".to_owned() + &"[".repeat(10_000) + &"]".repeat(10_000);
        assert!(!parse(&deep, 0..deep.len(), &Limits::default())
            .issues
            .is_empty());
        assert!(parse("", 0..0, &Limits::default()).root.is_none());
    }
}
