//! `date/sentinel`.

use jiff::Timestamp;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::date::{written_date, DATE_FIELDS};

declare_rule! {
    /// A date that is a "no date" sentinel (`1970-01-01T00:00:00Z`, `0001-01-01T00:00:00Z`) or earlier than the configured earliest date.
    ///
    /// ## Why is this bad?
    ///
    /// When a feed has no date, the pipeline writes what its language
    /// prints for zero: the Unix epoch (`1970-01-01T00:00:00Z`) or the zero
    /// date of .NET and Go (`0001-01-01T00:00:00Z`). The article then sorts
    /// last in every listing and claims to be decades old. Any date before
    /// `text.earliest-date` (default `1995-01-01`, before the corpus could
    /// have been published) is reported the same way; a newsroom with an
    /// older archive sets an earlier day.
    ///
    /// While this rule is on, a sentinel is not compared with the other
    /// dates by `date/updated-before-published` and
    /// `date/expanded-out-of-range`: one wrong value, one finding.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '1970-01-01T00:00:00Z'
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '1998-05-04T09:00:00Z'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Find the real date at the source. There is no automatic fix.
    pub struct Sentinel {
        code: "date/sentinel",
        severity: Error,
        fix: None,
    }
}

impl Rule for Sentinel {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let earliest = ctx.settings.earliest_date();
        for field in DATE_FIELDS {
            let Some((key, node, date)) = written_date(ctx, field) else {
                continue;
            };
            let ts = date.instant;
            if ts >= earliest {
                continue;
            }
            let what = if ts == Timestamp::UNIX_EPOCH {
                "is the Unix epoch (1970-01-01T00:00:00Z), what a pipeline writes for a missing date".to_owned()
            } else if ts.to_string().starts_with("0001-01-01T00:00:00") {
                "is the zero date (0001-01-01T00:00:00Z), what a pipeline writes for a missing date"
                    .to_owned()
            } else {
                format!(
                    "is before {}, the earliest date configured (`text.earliest-date`)",
                    ctx.settings.config.text.earliest_date
                )
            };
            out.push(
                Finding::new(node.span.clone(), format!("`{key}` {what}"))
                    .help("write the article's real date from its source"),
            );
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
        check_examples(&Sentinel::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(Sentinel::META.code);
    }

    #[test]
    fn a_sentinel_is_one_finding_and_the_bound_is_config() {
        let text = seed_with(
            "updatedAt: '2026-01-31T18:29:36.979Z'",
            "updatedAt: '0001-01-01T00:00:00Z'",
        );
        let found: Vec<_> = lint_with(Config::default(), &text)
            .into_iter()
            .map(|d| (d.code, span_text(&d).to_owned(), d.message))
            .collect();
        assert_eq!(
            found,
            [(
                "date/sentinel",
                "'0001-01-01T00:00:00Z'".to_owned(),
                "`updatedAt` is the zero date (0001-01-01T00:00:00Z), what a pipeline writes for a missing date".to_owned()
            )]
        );
        let text = seed_with(
            "publishedAt: '2026-01-31T18:04:41.000Z'",
            "publishedAt: '2001-01-31T18:04:41.000Z'",
        );
        assert!(lint_with(Config::default(), &text).is_empty());
        let mut config = Config::default();
        config.text.earliest_date = "2010-01-01".into();
        let found = lint_with(config, &text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].message, "`publishedAt` is before 2010-01-01, the earliest date configured (`text.earliest-date`)");
    }
}
