//! Splitting the front-matter block off a markdown file.
//!
//! The block starts at byte 0 (after an optional UTF-8 BOM) with a line
//! `---` and ends with the next line `---` or `...`. All offsets returned
//! here are byte offsets into the whole file, so that spans computed later
//! stay correct with a BOM and CRLF line endings.

use std::ops::Range;

const BOM: &str = "\u{feff}";

/// Where the parts of a file with a front-matter block are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// The opening `---` line, without its line ending.
    pub open_fence: Range<usize>,
    /// The YAML text between the fences (may be empty).
    pub yaml: Range<usize>,
    /// The closing `---` or `...` line, without its line ending.
    pub close_fence: Range<usize>,
    /// Everything after the closing fence's line ending.
    pub body: Range<usize>,
}

/// Why a file has no usable front-matter block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not open with a `---` line.
    Missing {
        /// Where the first line of the file is (empty for an empty file).
        first_line: Range<usize>,
        /// A `---` line that appears later than byte 0, when there is one
        /// before any other content but blank lines.
        late_fence: Option<Range<usize>>,
    },
    /// The opening `---` has no closing `---` or `...` line.
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
    bytes.iter().position(|&b| b == b'\n')
}

/// Whether a line is a fence made of `marker`, allowing trailing blanks.
fn is_fence(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.bytes().all(|b| b == b' ' || b == b'\t'))
}

/// Splits `text` (a whole file) into front matter and body.
pub fn split(text: &str) -> Result<FrontMatter, SplitError> {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut it = lines(text, start);
    let Some((first, after_first)) = it.next() else {
        return Err(SplitError::Missing {
            first_line: start..start,
            late_fence: None,
        });
    };
    if !is_fence(&text[first.clone()], "---") {
        let late_fence = if text[first.clone()].trim().is_empty() {
            lines(text, after_first)
                .find(|(l, _)| !text[l.clone()].trim().is_empty())
                .filter(|(l, _)| is_fence(&text[l.clone()], "---"))
                .map(|(l, _)| l)
        } else {
            None
        };
        return Err(SplitError::Missing {
            first_line: first,
            late_fence,
        });
    }
    for (line, next) in it {
        let s = &text[line.clone()];
        if is_fence(s, "---") || is_fence(s, "...") {
            return Ok(FrontMatter {
                open_fence: first,
                yaml: after_first..line.start,
                close_fence: line,
                body: next..text.len(),
            });
        }
    }
    Err(SplitError::Unterminated { open_fence: first })
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
}
