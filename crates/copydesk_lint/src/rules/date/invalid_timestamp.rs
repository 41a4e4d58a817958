//! `date/invalid-timestamp`.

use crate::config::DateFormat;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Field, FileContext, Rule, RuleMeta};
use crate::rules::date::value::{expected, DateProblem};
use crate::rules::date::{dated, schema_reports, DATE_FIELDS};

declare_rule! {
    /// A date field is not an RFC 3339 timestamp.
    ///
    /// ## Why is this bad?
    ///
    /// `publishedAt: 31/01/2026` or `updatedAt: yesterday` cannot be sorted,
    /// compared or shown in the reader's time zone; feeds and sitemaps
    /// reject it.
    ///
    /// The date fields are `[fields] published`, `updated` and `expanded`
    /// (by default `publishedAt`, `updatedAt`, `ai.expandedAt`), read in the
    /// formats of `[fields] date-formats` (by default RFC 3339 only; also
    /// `"date"`, `2026-01-31`, and `"jekyll"`, `2026-01-31 18:04:41 +0100`).
    /// With a newsroom's own schema, a TOML datetime is always a date.
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

    fn fields(&self) -> &'static [Field] {
        &[Field::Published]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let formats = ctx.settings.fields().date_formats();
        for field in DATE_FIELDS {
            let Some(d) = dated(ctx, field) else { continue };
            if d.value != Err(DateProblem::Malformed) || schema_reports(ctx, d.node) {
                continue;
            }
            let help = match formats.first() {
                Some(DateFormat::Date) => "write it like '2026-01-31'",
                Some(DateFormat::Jekyll) => "write it like '2026-01-31 18:04:41 +0000'",
                _ => "write it in UTC like '2026-01-31T18:04:41.000Z'",
            };
            out.push(
                Finding::new(
                    d.node.span.clone(),
                    format!("`{}` is not {}", d.path, expected(formats)),
                )
                .help(help),
            );
        }
    }
}
