//! Splitting the front-matter block off a markdown file.
//!
//! The block starts at byte 0 (after an optional UTF-8 BOM) and is one of:
//! - YAML: a line `---`, ending with the next line `---` or `...`;
//! - TOML (Hugo, Zola): a line `+++`, ending with the next line `+++`;
//! - JSON (Hugo): an object, from its `{` to the matching `}`.
//!
//! All offsets returned here are byte offsets into the whole file, so that
//! spans computed later stay correct with a BOM and CRLF line endings.
//! [`parse`] reads the block in its format into the same span-keeping tree.

use std::ops::Range;

use crate::yaml::{Limits, ParseOutcome};

const BOM: &str = "\u{feff}";

/// The language of a front-matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `---` fences.
    #[default]
    Yaml,
    /// `+++` fences.
    Toml,
    /// A JSON object opening the file.
    Json,
}

impl Format {
    /// The format's name as users write it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
            Format::Json => "JSON",
        }
    }
}

/// Where the parts of a file with a front-matter block are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// The block's language.
    pub format: Format,
    /// The opening `---` or `+++` line, without its line ending; the `{`
    /// of a JSON block.
    pub open_fence: Range<usize>,
    /// The block's text between the fences (may be empty); for JSON the
    /// whole object, braces included. (Named when only YAML existed.)
    pub yaml: Range<usize>,
    /// The closing `---`, `...` or `+++` line, without its line ending;
    /// the `}` of a JSON block.
    pub close_fence: Range<usize>,
    /// Everything after the closing fence's line ending.
    pub body: Range<usize>,
}

/// Why a file has no usable front-matter block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not open with a `---` or `+++` line or a JSON object.
    Missing {
        /// Where the first line of the file is (empty for an empty file).
        first_line: Range<usize>,
        /// A `---` or `+++` line that appears later than byte 0, when there
        /// is one before any other content but blank lines.
        late_fence: Option<Range<usize>>,
    },
    /// The opening fence has no closing line (`---` or `...` for YAML,
    /// `+++` for TOML), or a JSON object no matching `}`.
    Unterminated {
        /// The opening fence.
        open_fence: Range<usize>,
    },
}

/// One line of the file: the content range (no line ending) and the offset
/// where the next line starts.
fn lines(text: &str, from: usize) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let (end, next) = match memchr_newline(&bytes[start..]) {
            Some(i) => {
                let nl = start + i;
                let end = if nl > start && bytes[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                (end, nl + 1)
            }
            None => (bytes.len(), bytes.len()),
        };
        pos = next;
        Some((start..end, next))
    })
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

/// Whether a line is a fence made of `marker`, allowing trailing blanks.
fn is_fence(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.bytes().all(|b| b == b' ' || b == b'\t'))
}

/// Splits `text` (a whole file) into front matter and body.
pub fn split(text: &str) -> Result<FrontMatter, SplitError> {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    if let Some(json) = split_json(text, start) {
        return json;
    }
    let mut it = lines(text, start);
    let Some((first, after_first)) = it.next() else {
        return Err(SplitError::Missing {
            first_line: start..start,
            late_fence: None,
        });
    };
    let is_opening = |s: &str| is_fence(s, "---") || is_fence(s, "+++");
    if !is_opening(&text[first.clone()]) {
        let late_fence = if text[first.clone()].trim().is_empty() {
            lines(text, after_first)
                .find(|(l, _)| !text[l.clone()].trim().is_empty())
                .filter(|(l, _)| is_opening(&text[l.clone()]))
                .map(|(l, _)| l)
        } else {
            None
        };
        return Err(SplitError::Missing {
            first_line: first,
            late_fence,
        });
    }
    let format = if is_fence(&text[first.clone()], "+++") {
        Format::Toml
    } else {
        Format::Yaml
    };
    for (line, next) in it {
        let s = &text[line.clone()];
        let closes = match format {
            Format::Toml => is_fence(s, "+++"),
            _ => is_fence(s, "---") || is_fence(s, "..."),
        };
        if closes {
            return Ok(FrontMatter {
                format,
                open_fence: first,
                yaml: after_first..line.start,
                close_fence: line,
                body: next..text.len(),
            });
        }
    }
    Err(SplitError::Unterminated { open_fence: first })
}

/// A JSON block: a `{` at `start` followed (after blanks) by a `"` or `}`,
/// so that a body opening with a template tag (`{{< … >}}`, `{% … %}`) is
/// not taken for one. `None` when the file does not open that way.
fn split_json(text: &str, start: usize) -> Option<Result<FrontMatter, SplitError>> {
    let rest = text.get(start..)?;
    let after = rest.strip_prefix('{')?.trim_start();
    if !after.starts_with(['"', '}']) {
        return None;
    }
    let open_fence = start..start + 1;
    let Some(end) = crate::json::object_end(text, start) else {
        return Some(Err(SplitError::Unterminated { open_fence }));
    };
    // The body starts on the line after the `}` when nothing else is on it.
    let tail = &text[end..];
    let blanks = tail.len() - tail.trim_start_matches([' ', '\t']).len();
    let body_start = match &tail[blanks..] {
        t if t.starts_with("\r\n") => end + blanks + 2,
        t if t.starts_with('\n') => end + blanks + 1,
        _ => end,
    };
    Some(Ok(FrontMatter {
        format: Format::Json,
        open_fence,
        yaml: start..end,
        close_fence: end - 1..end,
        body: body_start..text.len(),
    }))
}

/// Parses the block of `fm` in its format; spans in the result are byte
/// offsets into `file`.
pub fn parse(file: &str, fm: &FrontMatter, limits: &Limits) -> ParseOutcome {
    match fm.format {
        Format::Yaml => crate::yaml::parse(file, fm.yaml.clone(), limits),
        Format::Toml => crate::toml_block::parse(file, fm.yaml.clone(), limits),
        Format::Json => crate::json::parse(file, fm.yaml.clone(), limits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf() {
        let t = "---\ntitle: x\n---\nbody\n";
        let fm = split(t).expect("has front matter");
        assert_eq!(&t[fm.yaml.clone()], "title: x\n");
        assert_eq!(&t[fm.body.clone()], "body\n");
        assert_eq!(&t[fm.close_fence], "---");
        assert_eq!(fm.format, Format::Yaml);
    }

    #[test]
    fn splits_toml() {
        let t = "\u{feff}+++\r\ntitle = 'x'\r\n+++\r\nbody";
        let fm = split(t).expect("has front matter");
        assert_eq!(fm.format, Format::Toml);
        assert_eq!(&t[fm.yaml.clone()], "title = 'x'\r\n");
        assert_eq!(&t[fm.close_fence], "+++");
        assert_eq!(&t[fm.body], "body");
        // A YAML block does not close with `+++`, nor a TOML one with `---`.
        assert!(matches!(
            split("+++\na = 1\n---\n"),
            Err(SplitError::Unterminated { .. })
        ));
        match split("\n+++\na = 1\n+++\n") {
            Err(SplitError::Missing { late_fence, .. }) => assert_eq!(late_fence, Some(1..4)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn splits_json() {
        let t =
            "\u{feff}{\r\n  \"title\": \"a } { \\\" b\",\r\n  \"n\": {\"m\": [1]}\r\n}  \r\nbody\n";
        let fm = split(t).expect("has front matter");
        assert_eq!(fm.format, Format::Json);
        assert_eq!(fm.open_fence, 3..4);
        assert!(t[fm.yaml.clone()].starts_with('{') && t[fm.yaml.clone()].ends_with('}'));
        assert_eq!(&t[fm.close_fence], "}");
        assert_eq!(&t[fm.body], "body\n");
        assert!(matches!(
            split("{\"a\": 1\nbody\n"),
            Err(SplitError::Unterminated { open_fence }) if open_fence == (0..1)
        ));
        // Template tags opening a body are not JSON front matter.
        for t in ["{{< figure >}}\n", "{% raw %}\n", "{x}\n"] {
            assert!(matches!(split(t), Err(SplitError::Missing { .. })), "{t}");
        }
    }

    #[test]
    fn splits_crlf_and_bom() {
        let t = "\u{feff}---\r\ntitle: x\r\n...\r\nbody";
        let fm = split(t).expect("has front matter");
        assert_eq!(fm.open_fence, 3..6);
        assert_eq!(&t[fm.yaml.clone()], "title: x\r\n");
        assert_eq!(&t[fm.close_fence], "...");
        assert_eq!(&t[fm.body], "body");
    }

    #[test]
    fn empty_block_and_eof_fence() {
        let fm = split("---\n---").expect("has front matter");
        assert_eq!(fm.yaml, 4..4);
        assert_eq!(fm.body, 7..7);
    }

    #[test]
    fn missing_and_unterminated() {
        assert!(matches!(split("hello\n"), Err(SplitError::Missing { .. })));
        assert!(matches!(split(""), Err(SplitError::Missing { .. })));
        assert!(matches!(split("----\n"), Err(SplitError::Missing { .. })));
        assert_eq!(
            split("---\ntitle: x\n"),
            Err(SplitError::Unterminated { open_fence: 0..3 })
        );
        match split("\n\n---\na: 1\n---\n") {
            Err(SplitError::Missing { late_fence, .. }) => assert_eq!(late_fence, Some(2..5)),
            other => panic!("unexpected {other:?}"),
        }
    }

    proptest::proptest! {
        /// Whatever follows a `+++` or `{`, splitting and parsing never
        /// panic, and every span is inside the file on char boundaries.
        #[test]
        fn toml_and_json_never_panic(
            body in "[\\[\\]{}\"'=:,.#a-z0-9 \\\\\n\r\té€😀+-]{0,80}",
            json in proptest::bool::ANY,
        ) {
            let file = if json { format!("{{\"{body}") } else { format!("+++\n{body}\n+++\n") };
            if let Ok(fm) = split(&file) {
                let out = parse(&file, &fm, &Limits::default());
                let mut spans: Vec<Range<usize>> = Vec::new();
                for issue in &out.issues {
                    if let crate::yaml::YamlIssue::Syntax { span, .. } = issue {
                        spans.push(span.clone());
                    }
                }
                let mut stack: Vec<&crate::yaml::Node> = out.root.iter().collect();
                while let Some(n) = stack.pop() {
                    spans.push(n.span.clone());
                    if let Some(entries) = n.as_mapping() {
                        for e in entries {
                            spans.push(e.key.span.clone());
                            stack.push(&e.value);
                        }
                    } else if let Some(items) = n.as_sequence() {
                        stack.extend(items);
                    }
                }
                for span in spans {
                    proptest::prop_assert!(file.get(span.clone()).is_some(), "{span:?} in {file:?}");
                }
            }
        }
    }
}
