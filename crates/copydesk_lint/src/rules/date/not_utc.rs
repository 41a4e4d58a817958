//! `date/not-utc`.

use crate::config::DateFormat;
use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{Field, FileContext, Rule, RuleMeta};
use crate::rules::date::value::DateProblem;
use crate::rules::date::{dated, DATE_FIELDS};
use crate::settings::Settings;

declare_rule! {
    /// A valid timestamp that is not written in UTC with seconds.
    ///
    /// ## Why is this bad?
    ///
    /// The corpus compares and sorts dates as strings: `2026-01-31T20:04:41+02:00`
    /// and `2026-01-31T18:04:41Z` are the same instant but sort apart, and a
    /// time without seconds breaks tools that expect the full form.
    ///
    /// UTC is the built-in contract's convention for RFC 3339 dates: with a
    /// newsroom's own schema (`[contract] schema`), this rule runs only when it
    /// is set under `[rules]`.
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

    fn fields(&self) -> &'static [Field] {
        &[Field::Published]
    }

    // UTC is the built-in contract's convention; a newsroom's own schema
    // may well write offsets (Hugo does), unless it asks for this rule.
    fn inactive_reason(&self, settings: &Settings) -> Option<String> {
        settings.unmet(self.keys(), self.fields()).or_else(|| {
            if !settings.fields().date_formats().contains(&DateFormat::Rfc3339) {
                Some("[fields] date-formats does not include \"rfc3339\"".to_owned())
            } else if !settings.contract().is_builtin() && !settings.requested(Self::META.code) {
                Some(format!(
                    "UTC is the built-in contract's convention; set \"{}\" under [rules] to require it with the newsroom's own schema",
                    Self::META.code
                ))
            } else {
                None
            }
        })
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for field in DATE_FIELDS {
            let Some(d) = dated(ctx, field) else { continue };
            let Err(DateProblem::NotCanonical {
                reason, rewrite, ..
            }) = &d.value
            else {
                continue;
            };
            let span = d.node.span.clone();
            let written = ctx.text().get(span.clone()).unwrap_or_default();
            let quote = match written.chars().next() {
                Some(q @ ('\'' | '"')) => q.to_string(),
                _ => String::new(),
            };
            out.push(
                Finding::new(span.clone(), format!("`{}` {reason}", d.path))
                    .help(format!("write it in UTC: `{quote}{rewrite}{quote}`"))
                    .fix(Fix::replace(
                        Applicability::Safe,
                        "Rewrite in UTC with seconds",
                        span,
                        format!("{quote}{rewrite}{quote}"),
                    )),
            );
        }
    }
}
