//! `date/impossible-date`.

use copydesk_schema::timestamp::TimestampProblem;
use copydesk_schema::SchemaIssueKind;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A timestamp names a date or time that does not exist, such as February 30.
    ///
    /// ## Why is this bad?
    ///
    /// `2026-02-30` looks like a date, but no calendar has it: some tools
    /// reject the article, others silently roll it over to March 2.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2026-02-30T10:00:00.000Z'
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2026-02-28T10:00:00.000Z'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Check the source for the real date and correct it.
    pub struct ImpossibleDate {
        code: "date/impossible-date",
        severity: Error,
        fix: None,
    }
}

impl Rule for ImpossibleDate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn keys(&self) -> &'static [&'static str] {
        &["publishedAt"]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            if let SchemaIssueKind::Timestamp(TimestampProblem::Impossible { reason }) = &issue.kind
            {
                out.push(
                    Finding::new(
                        issue.span.clone(),
                        format!("`{}` is not a real date: {reason}", issue.key_path()),
                    )
                    .help("check the source for the real date"),
                );
            }
        }
    }
}
