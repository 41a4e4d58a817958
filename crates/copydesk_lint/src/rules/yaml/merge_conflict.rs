//! `yaml/merge-conflict`.

use std::ops::Range;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// Unresolved git merge-conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`) in the front matter.
    ///
    /// ## Why is this bad?
    ///
    /// A merge that stopped on a conflict left both sides of it in the
    /// file. The block is not YAML any more: the site cannot build the
    /// article, and nothing in it can be checked. The YAML parser's own
    /// complaint ("could not find expected ':'") would send the editor
    /// quoting values; this finding names the conflict instead, and while
    /// it is on `yaml/syntax-error` is silent about such a block.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// <<<<<<< HEAD
    /// title: Miners pivot to AI
    /// =======
    /// title: Bitcoin miners pivot to AI
    /// >>>>>>> feature/headline
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Bitcoin miners pivot to AI
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep one side (or combine them) and delete the three marker lines,
    /// then commit the resolution.
    pub struct MergeConflict {
        code: "yaml/merge-conflict",
        severity: Error,
        fix: None,
    }
}

/// One conflict: its `<<<<<<<` line, and the `=======` and `>>>>>>>`
/// lines when present (each without its line break).
pub(crate) struct Conflict {
    ours: Range<usize>,
    separator: Option<Range<usize>>,
    theirs: Option<Range<usize>>,
}

/// Whether `line` is the marker `marker` (seven characters, then the end
/// of the line or a space and a label).
fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// The conflicts in the front-matter block; none when the block has no
/// `<<<<<<<` line followed by a `=======` or `>>>>>>>` line.
pub(crate) fn conflicts(ctx: &FileContext<'_>) -> Vec<Conflict> {
    let Some(fm) = ctx.front_matter() else {
        return Vec::new();
    };
    let Some(block) = ctx.text().get(fm.yaml.clone()) else {
        return Vec::new();
    };
    // Almost no block has a `<` at all: one vectorised search says so.
    if memchr::memchr(b'<', block.as_bytes()).is_none() || !block.contains("<<<<<<<") {
        return Vec::new();
    }
    // A conflict opened in the block may close after its fence (the
    // other side's `---` ended the block early): read on to the end.
    let rest = ctx.text().get(fm.yaml.start..).unwrap_or_default();
    let mut out: Vec<Conflict> = Vec::new();
    let mut offset = fm.yaml.start;
    for raw in rest.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let span = offset..offset + line.len();
        offset += raw.len();
        if offset > fm.yaml.end && out.iter().all(|c| c.theirs.is_some()) {
            break;
        }
        if is_marker(line, "<<<<<<<") && span.start < fm.yaml.end {
            out.push(Conflict {
                ours: span,
                separator: None,
                theirs: None,
            });
        } else if let Some(open) = out.last_mut().filter(|c| c.theirs.is_none()) {
            if is_marker(line, "=======") && open.separator.is_none() {
                open.separator = Some(span);
            } else if is_marker(line, ">>>>>>>") {
                open.theirs = Some(span);
            }
        }
    }
    out.retain(|c| c.separator.is_some() || c.theirs.is_some());
    out
}

/// Whether this rule reports the file's block (so that the YAML errors
/// the markers cause are not reported as well).
pub(crate) fn reported(ctx: &FileContext<'_>) -> bool {
    ctx.settings
        .level(&MergeConflict::META, ctx.config_path)
        .is_some()
        && !conflicts(ctx).is_empty()
}

impl Rule for MergeConflict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for c in conflicts(ctx) {
            let ours = ctx.text().get(c.ours.clone()).unwrap_or_default();
            let theirs = c
                .theirs
                .as_ref()
                .and_then(|t| ctx.text().get(t.clone()))
                .unwrap_or(">>>>>>>");
            let mut finding = Finding::new(
                c.ours.clone(),
                format!(
                    "unresolved merge conflict between `{}` and `{}`: the front matter holds both sides",
                    ours.trim_end(),
                    theirs.trim_end()
                ),
            )
            .help("keep one side (or combine them), delete the marker lines, then commit the resolution");
            if let Some(sep) = c.separator {
                finding = finding.label(sep, "the other side starts here");
            }
            if let Some(end) = c.theirs {
                finding = finding.label(end, "the conflict ends here");
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&MergeConflict::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(MergeConflict::META.code);
    }

    #[test]
    fn a_conflict_across_the_closing_fence_is_named() {
        let text = "---\ntitle: Miners pivot\n<<<<<<< HEAD\ndescription: a\n---\n=======\ndescription: b\n---\n>>>>>>> other\nBody\n";
        let found = lint_only(MergeConflict::META.code, text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(span_text(&found[0]), "<<<<<<< HEAD");
        assert_eq!(found[0].related.len(), 2);
    }

    #[test]
    fn the_conflict_replaces_the_syntax_error() {
        let text = seed_with(
            "lang: en\n",
            "<<<<<<< HEAD\r\nlang: en\r\n=======\r\nlang: uk\r\n>>>>>>> translation\r\n",
        );
        let found = lint_with(Config::default(), &text);
        let got: Vec<_> = found.iter().map(|d| (d.code, span_text(d))).collect();
        assert_eq!(got, [("yaml/merge-conflict", "<<<<<<< HEAD")], "{found:#?}");
        assert_eq!(
            found[0].message,
            "unresolved merge conflict between `<<<<<<< HEAD` and `>>>>>>> translation`: the front matter holds both sides"
        );
    }
}
