//! `date/impossible-date`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Field, FileContext, Rule, RuleMeta};
use crate::rules::date::value::DateProblem;
use crate::rules::date::{dated, schema_reports, DATE_FIELDS};

declare_rule! {
    /// A timestamp names a date or time that does not exist, such as February 30.
    ///
    /// ## Why is this bad?
    ///
    /// `2026-02-30` looks like a date, but no calendar has it: some tools
    /// reject the article, others silently roll it over to March 2.
    ///
    /// The date fields and their formats are `[fields] published`, `updated`,
    /// `expanded` and `date-formats`.
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

    fn fields(&self) -> &'static [Field] {
        &[Field::Published]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for field in DATE_FIELDS {
            let Some(d) = dated(ctx, field) else { continue };
            let Err(DateProblem::Impossible { reason }) = &d.value else {
                continue;
            };
            if schema_reports(ctx, d.node) {
                continue;
            }
            out.push(
                Finding::new(
                    d.node.span.clone(),
                    format!("`{}` is not a real date: {reason}", d.path),
                )
                .help("check the source for the real date"),
            );
        }
    }
}
