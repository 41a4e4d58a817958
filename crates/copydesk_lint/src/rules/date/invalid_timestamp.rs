//! `date/invalid-timestamp`.

use copydesk_schema::timestamp::TimestampProblem;
use copydesk_schema::SchemaIssueKind;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A date field is not an RFC 3339 timestamp.
    ///
    /// ## Why is this bad?
    ///
    /// `publishedAt: 31/01/2026` or `updatedAt: yesterday` cannot be sorted,
    /// compared or shown in the reader's time zone; feeds and sitemaps
    /// reject it.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '31/01/2026 18:04'
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Write the instant in UTC as `YYYY-MM-DDTHH:MM:SS.sssZ`.
    pub struct InvalidTimestamp {
        code: "date/invalid-timestamp",
        severity: Error,
        fix: None,
    }
}

impl Rule for InvalidTimestamp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn keys(&self) -> &'static [&'static str] {
        &["publishedAt"]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            if let SchemaIssueKind::Timestamp(TimestampProblem::Malformed) = &issue.kind {
                out.push(
                    Finding::new(
                        issue.span.clone(),
                        format!("`{}` is not an RFC 3339 timestamp", issue.key_path()),
                    )
                    .help("write it in UTC like '2026-01-31T18:04:41.000Z'"),
                );
            }
        }
    }
}
