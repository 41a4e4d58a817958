//! `date/not-utc`.

use copydesk_schema::timestamp::TimestampProblem;
use copydesk_schema::SchemaIssueKind;

use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A valid timestamp that is not written in UTC with seconds.
    ///
    /// ## Why is this bad?
    ///
    /// The corpus compares and sorts dates as strings: `2026-01-31T20:04:41+02:00`
    /// and `2026-01-31T18:04:41Z` are the same instant but sort apart, and a
    /// time without seconds breaks tools that expect the full form.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2026-01-31T20:04:41.000+02:00'
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
    /// Rewrite the same instant in UTC with seconds. The fix is safe: the
    /// instant does not change, and the value keeps its quoting.
    pub struct NotUtc {
        code: "date/not-utc",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for NotUtc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn keys(&self) -> &'static [&'static str] {
        &["publishedAt"]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            let SchemaIssueKind::Timestamp(TimestampProblem::NotCanonical { reason, rewrite }) =
                &issue.kind
            else {
                continue;
            };
            let written = ctx.text().get(issue.span.clone()).unwrap_or_default();
            let quote = match written.chars().next() {
                Some(q @ ('\'' | '"')) => q.to_string(),
                _ => String::new(),
            };
            out.push(
                Finding::new(
                    issue.span.clone(),
                    format!("`{}` {reason}", issue.key_path()),
                )
                .help(format!("write it in UTC: `{quote}{rewrite}{quote}`"))
                .fix(Fix::replace(
                    Applicability::Safe,
                    "Rewrite in UTC with seconds",
                    issue.span.clone(),
                    format!("{quote}{rewrite}{quote}"),
                )),
            );
        }
    }
}
