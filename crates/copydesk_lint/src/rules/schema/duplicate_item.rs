//! `schema/duplicate-item`.

use copydesk_schema::SchemaIssueKind;

use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A list repeats an item, such as the same tag twice.
    ///
    /// ## Why is this bad?
    ///
    /// A repeated tag shows twice on the page and counts twice in topic
    /// pages and feeds.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// tags:
    ///   - MINING
    ///   - MINING
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// tags:
    ///   - MINING
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the repeated item. The fix is safe when the item stands on a
    /// line of its own.
    pub struct DuplicateItem {
        code: "schema/duplicate-item",
        severity: Error,
        fix: Safe,
    }
}

/// The bytes of the whole line holding `span` when that line is just
/// `- item` (plus blanks and a comment-free end), newline included.
fn own_line(text: &str, span: &std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i + 1);
    let before = text[start..span.start].trim();
    let after = text[span.end..end].trim();
    (before == "-" && after.is_empty()).then_some(start..end)
}

impl Rule for DuplicateItem {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            let SchemaIssueKind::DuplicateItem { first } = &issue.kind else {
                continue;
            };
            let value = ctx.text().get(issue.span.clone()).unwrap_or_default();
            let mut finding = Finding::new(
                issue.span.clone(),
                format!("`{}` lists {value} twice", issue.key_path()),
            )
            .label(first.clone(), "first listed here")
            .help("remove the repeated item");
            if let Some(line) = own_line(ctx.text(), &issue.span) {
                finding = finding.fix(Fix::replace(
                    Applicability::Safe,
                    "Remove the repeated item",
                    line,
                    "",
                ));
            }
            out.push(finding);
        }
    }
}
