//! Suppression comments in the front matter.
//!
//! `# copydesk: ignore[code, …]` silences findings of those codes:
//! - written at the end of a key's line, or on its own line directly above
//!   a key, it applies to that key (its value included, nested keys too);
//! - written in the comment lines at the very top of the block, separated
//!   from the first key by a blank line, it applies to the whole file;
//! - `# copydesk: ignore-file[code, …]` anywhere in the block applies to
//!   the whole file.
//!
//! A code may be a whole group (`image`). A suppression that silences
//! nothing is reported as `suppression/unused`, so stale comments do not
//! pile up.

use std::ops::Range;

use copydesk_schema::frontmatter::FrontMatter;
use copydesk_schema::yaml::Node;

use crate::diagnostic::{Diagnostic, Finding};
use crate::registry;

/// One parsed suppression comment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suppression {
    /// The codes (or groups) listed.
    pub codes: Vec<String>,
    /// The byte range of each code in the file, in the order of `codes`,
    /// so an unused code is reported where it is written.
    pub code_spans: Vec<Range<usize>>,
    /// The byte range of the comment itself, from `#`.
    pub comment: Range<usize>,
    /// The spans whose findings it silences (`0..usize::MAX` for the whole file).
    pub scope: Range<usize>,
}

impl Suppression {
    /// Whether this suppression silences `d`.
    pub fn matches(&self, d: &Diagnostic) -> bool {
        self.matches_at(d.code, d.span.start)
    }

    /// Whether this suppression silences a finding of `code` starting at
    /// byte `start`.
    pub fn matches_at(&self, code: &str, start: usize) -> bool {
        self.scope.start <= start
            && start <= self.scope.end
            && self
                .codes
                .iter()
                .any(|c| c == code || code.split('/').next() == Some(c.as_str()))
    }
}

const MARKER: &str = "copydesk:";

/// A code in a suppression comment and its byte range in the comment.
type CodeAt = (String, Range<usize>);

/// Parses `ignore[...]`/`ignore-file[...]` after the marker; returns the
/// codes with their byte ranges in `comment`, and whether it is file-wide.
fn directive(comment: &str) -> Option<(Vec<CodeAt>, bool)> {
    let rest = comment.trim_start_matches('#').trim_start();
    let rest = rest.strip_prefix(MARKER)?.trim_start();
    let (file_wide, rest) = match rest.strip_prefix("ignore-file") {
        Some(r) => (true, r),
        None => (false, rest.strip_prefix("ignore")?),
    };
    let inner = rest.trim_start().strip_prefix('[')?;
    // Trimming and stripping prefixes leave suffixes of `comment`, so the
    // list starts this many bytes into it.
    let base = comment.len() - inner.len();
    let inner = &inner[..inner.find(']')?];
    let mut codes = Vec::new();
    let mut at = base;
    for part in inner.split(',') {
        let lead = part.len() - part.trim_start().len();
        let code = part.trim();
        if !code.is_empty() {
            codes.push((code.to_owned(), at + lead..at + lead + code.len()));
        }
        at += part.len() + 1;
    }
    (!codes.is_empty()).then_some((codes, file_wide))
}

/// Finds a `#` that starts a YAML comment on `line` (not inside quotes).
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && (prev == ' ' || prev == '\t' || i == 0) => return Some(i),
            None => {}
        }
        prev = c;
    }
    None
}

/// The smallest mapping entry (key start to value end) whose key starts on
/// the line beginning at `line_start`.
fn entry_on_line(root: &Node, line: &Range<usize>) -> Option<Range<usize>> {
    let mut best: Option<Range<usize>> = None;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if let Some(entries) = node.as_mapping() {
            for e in entries {
                if line.start <= e.key.span.start && e.key.span.start <= line.end {
                    let r = e.key.span.start..e.value.span.end.max(e.key.span.end);
                    if best.as_ref().is_none_or(|b| r.len() < b.len()) {
                        best = Some(r);
                    }
                }
                stack.push(&e.value);
            }
        } else if let Some(items) = node.as_sequence() {
            stack.extend(items.iter());
        }
    }
    best
}

/// Parses every suppression comment in the front-matter block.
pub fn parse(text: &str, fm: &FrontMatter, root: Option<&Node>) -> Vec<Suppression> {
    let block = &text[fm.yaml.clone()];
    // Most files have no suppression: skip the line scan for them.
    if !block.contains(MARKER) {
        return Vec::new();
    }
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut pos = fm.yaml.start;
    for l in block.split_inclusive('\n') {
        let content = l.trim_end_matches(['\n', '\r']);
        lines.push(pos..pos + content.len());
        pos += l.len();
    }
    let mut out = Vec::new();
    let mut in_header = true;
    for (i, line) in lines.iter().enumerate() {
        let s = &text[line.clone()];
        let trimmed = s.trim();
        let own_line = trimmed.starts_with('#');
        if !own_line && !trimmed.is_empty() {
            in_header = false;
        }
        let Some(at) = comment_start(s) else { continue };
        let Some((codes, file_wide)) = directive(&s[at..]) else {
            continue;
        };
        let comment = line.start + at..line.end;
        let header_blank_follows = in_header
            && lines[i + 1..]
                .iter()
                .take_while(|l| text[(*l).clone()].trim().starts_with('#'))
                .count()
                .checked_add(i + 1)
                .and_then(|j| lines.get(j))
                .is_some_and(|l| text[l.clone()].trim().is_empty());
        let scope = if file_wide || (own_line && header_blank_follows) {
            Some(0..usize::MAX)
        } else if own_line {
            // The next line that is not a comment holds the key.
            lines[i + 1..]
                .iter()
                .find(|l| !text[(*l).clone()].trim().starts_with('#'))
                .and_then(|l| root.and_then(|r| entry_on_line(r, l)))
        } else {
            root.and_then(|r| entry_on_line(r, line))
        };
        let offset = line.start + at;
        out.push(Suppression {
            code_spans: codes
                .iter()
                .map(|(_, r)| offset + r.start..offset + r.end)
                .collect(),
            codes: codes.into_iter().map(|(c, _)| c).collect(),
            comment: comment.clone(),
            scope: scope.unwrap_or(comment),
        });
    }
    out
}

/// Whether one of a file's `suppressions` silences `d`.
pub fn silenced(suppressions: &[Suppression], d: &Diagnostic) -> bool {
    suppressions.iter().any(|s| s.matches(d))
}

/// Drops the diagnostics of one file that its suppressions silence, and
/// returns findings for suppressions (or codes in them) that silenced nothing.
pub fn apply(suppressions: &[Suppression], diagnostics: &mut Vec<Diagnostic>) -> Vec<Finding> {
    let mut used = vec![vec![false; 0]; suppressions.len()];
    for (s, u) in suppressions.iter().zip(used.iter_mut()) {
        *u = vec![false; s.codes.len()];
    }
    diagnostics.retain(|d| {
        let mut keep = true;
        for (s, u) in suppressions.iter().zip(used.iter_mut()) {
            if s.matches(d) {
                keep = false;
                for (c, flag) in s.codes.iter().zip(u.iter_mut()) {
                    if c == d.code || d.code.split('/').next() == Some(c.as_str()) {
                        *flag = true;
                    }
                }
            }
        }
        keep
    });
    let mut unused = Vec::new();
    for (s, u) in suppressions.iter().zip(used) {
        for (i, (code, was_used)) in s.codes.iter().zip(u).enumerate() {
            if was_used || found_only_on_request(code) {
                continue;
            }
            let span = s.code_spans.get(i).cloned().unwrap_or(s.comment.clone());
            let known =
                registry::find(code).is_some() || registry::metas().any(|m| m.group() == code);
            let message = if known {
                format!("the suppression of `{code}` silences nothing")
            } else {
                format!("the suppression names an unknown rule `{code}`")
            };
            unused.push(
                Finding::new(span, message)
                    .help("remove it (or the code from its list): the finding it was for is gone"),
            );
        }
    }
    unused
}

/// The edit inserting `# copydesk: ignore[code]` that silences `d` in
/// `text`: at the end of the finding's line, or of an enclosing key's line
/// (up to four tried, innermost first), whichever is the first whose
/// suppression, once the edited front matter is parsed, really covers the
/// finding. Nothing when the finding is outside the front matter.
pub fn suppression_edit(
    text: &str,
    d: &Diagnostic,
    limits: &copydesk_schema::yaml::Limits,
) -> Option<crate::diagnostic::Edit> {
    let fm = copydesk_schema::frontmatter::split(text).ok()?;
    // JSON has no comments to hold a suppression.
    if fm.format == copydesk_schema::Format::Json
        || d.span.start < fm.yaml.start
        || d.span.start > fm.yaml.end
    {
        return None;
    }
    let lines = crate::source::LineIndex::new(text);
    let first = lines.line_of(fm.yaml.start);
    let mut line = lines.line_of(d.span.start);
    let mut indent = usize::MAX;
    let mut tries = 0;
    while line >= first && tries < 4 {
        let range = lines.line_range(text, line);
        let t = &text[range.clone()];
        let this_indent = t.len() - t.trim_start().len();
        let is_key = !t.trim().is_empty() && !t.trim_start().starts_with('#');
        if is_key && this_indent < indent {
            indent = this_indent;
            tries += 1;
            let edit = insertion(t, range, d.code);
            if silences(text, &edit, d, limits) {
                return Some(edit);
            }
        }
        if line == 0 {
            break;
        }
        line -= 1;
    }
    None
}

/// Whether `text` with `edit` (an insertion) has a suppression covering
/// `d` (moved by the insertion when it comes after it).
fn silences(
    text: &str,
    edit: &crate::diagnostic::Edit,
    d: &Diagnostic,
    limits: &copydesk_schema::yaml::Limits,
) -> bool {
    let mut candidate = String::with_capacity(text.len() + edit.replacement.len());
    candidate.push_str(&text[..edit.range.start]);
    candidate.push_str(&edit.replacement);
    candidate.push_str(&text[edit.range.end..]);
    let Ok(fm) = copydesk_schema::frontmatter::split(&candidate) else {
        return false;
    };
    let outcome = copydesk_schema::yaml::parse(&candidate, fm.yaml.clone(), limits);
    // A finding starting right at the insertion point (an empty value at
    // the line's end) stays before the comment.
    let start = if d.span.start > edit.range.start {
        d.span.start + edit.replacement.len()
    } else {
        d.span.start
    };
    parse(&candidate, &fm, outcome.root.as_ref())
        .iter()
        .any(|s| s.matches_at(d.code, start))
}

/// Where to insert a suppression for `code` on the line `range` (text `t`):
/// into an existing `# copydesk: ignore[...]` list, else at the line's end.
fn insertion(t: &str, range: Range<usize>, code: &str) -> crate::diagnostic::Edit {
    if let Some(at) = t.find("# copydesk: ignore[") {
        if let Some(close) = t[at..].find(']') {
            let pos = range.start + at + close;
            return crate::diagnostic::Edit {
                range: pos..pos,
                replacement: format!(", {code}"),
            };
        }
    }
    let end = range.start + t.trim_end().len();
    crate::diagnostic::Edit {
        range: end..end,
        replacement: format!(" # copydesk: ignore[{code}]"),
    }
}

/// Whether every rule a suppression names (a code, or a group) is found
/// only in runs that ask for it (`RuleMeta::on_request`): such a
/// suppression silences nothing in every other run, rightly, and is never
/// "unused".
fn found_only_on_request(code: &str) -> bool {
    let mut named = registry::metas()
        .filter(|m| m.code == code || m.group() == code)
        .peekable();
    named.peek().is_some() && named.all(|m| m.on_request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_schema::{frontmatter, yaml};

    fn sup(text: &str) -> Vec<Suppression> {
        let fm = frontmatter::split(text).expect("front matter");
        let root = yaml::parse(text, fm.yaml.clone(), &yaml::Limits::default()).root;
        parse(text, &fm, root.as_ref())
    }

    #[test]
    fn scopes() {
        let text = "---\n# copydesk: ignore[body]\n\ntitle: x # copydesk: ignore[schema/invalid-value]\n# copydesk: ignore[date/not-utc, date/in-future]\npublishedAt: '2026'\ntags: ['a # b']\n---\n";
        let s = sup(text);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].scope, 0..usize::MAX);
        assert_eq!(&text[s[1].scope.clone()], "title: x");
        assert_eq!(&text[s[2].scope.clone()], "publishedAt: '2026'");
        assert_eq!(s[2].codes, vec!["date/not-utc", "date/in-future"]);
        let written: Vec<&str> = s[2].code_spans.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(written, s[2].codes);
        assert_eq!(
            &text[s[1].comment.clone()],
            "# copydesk: ignore[schema/invalid-value]"
        );
    }

    #[test]
    fn a_comment_above_the_first_key_is_not_file_wide() {
        let text = "---\n# copydesk: ignore[x/y]\ntitle: x\n---\n";
        let s = sup(text);
        assert_eq!(&text[s[0].scope.clone()], "title: x");
    }

    #[test]
    fn a_suppression_edit_goes_where_it_silences_the_finding() {
        use crate::diagnostic::Severity;
        use crate::source::SourceFile;
        let edit_for = |text: &str, at: &str, code: &'static str| {
            let start = text.find(at).expect("finding");
            let source = std::sync::Arc::new(SourceFile::new("a.md", text));
            let f = Finding::new(start..start + at.len(), "m");
            let d = Diagnostic::from_finding(code, Severity::Error, &source, f);
            let edit = suppression_edit(text, &d, &yaml::Limits::default())?;
            let mut out = text.to_owned();
            out.replace_range(edit.range, &edit.replacement);
            Some(out)
        };
        let nested = "---\ncoverImage:\n  url: http://a\n---\n";
        assert_eq!(
            edit_for(nested, "http://a", "image/insecure-url").as_deref(),
            Some("---\ncoverImage:\n  url: http://a # copydesk: ignore[image/insecure-url]\n---\n")
        );
        let listed = "---\ntitle: x # copydesk: ignore[a/b]\n---\n";
        assert_eq!(
            edit_for(listed, "x", "c/d").as_deref(),
            Some("---\ntitle: x # copydesk: ignore[a/b, c/d]\n---\n")
        );
        // A comment inside a block scalar is text: the key's line takes it.
        let block = "---\nsummary: |\n  some text\n---\n";
        assert_eq!(
            edit_for(block, "some text", "c/d").as_deref(),
            Some("---\nsummary: | # copydesk: ignore[c/d]\n  some text\n---\n")
        );
        assert_eq!(edit_for("---\ntitle: x\n---\nbody\n", "body", "c/d"), None);
    }
}
