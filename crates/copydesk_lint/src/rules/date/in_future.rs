//! `date/in-future`.

use std::time::Duration;

use jiff::Timestamp;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Field, FileContext, Rule, RuleMeta};
use crate::rules::date::{canonical_date, DATE_FIELDS};

declare_rule! {
    /// `publishedAt`, `updatedAt` or `ai.expandedAt` is in the future.
    ///
    /// ## Why is this bad?
    ///
    /// A news article reports what has happened: a future date is a typo
    /// (a wrong year or month) or a time-zone slip, and sites that
    /// schedule by date hide the story until then, or sort it above
    /// everything else.
    ///
    /// "Now" is the current time, or `--now <timestamp>` for reproducible
    /// runs. A date up to `dates.future-tolerance-seconds` (default 300)
    /// ahead is accepted, to absorb clock skew between the CMS and the
    /// checker. Only dates in the contract's form are compared; the other
    /// `date/*` rules report the rest.
    ///
    /// The date fields are `[fields] published`, `updated` and `expanded`. A
    /// date without an offset (`2026-01-31 18:04`, or a bare day) is on the
    /// newsroom's clock: it is in the future only once it is so in every time
    /// zone.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2027-01-31T18:04:41.000Z'
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
    /// Check the source for the real date and correct it. There is no
    /// automatic fix.
    pub struct InFuture {
        code: "date/in-future",
        severity: Error,
        fix: None,
        time_dependent: true,
    }
}

/// "3 days", "5 hours": how far ahead, in the largest unit that reads well.
fn ahead(secs: i64) -> String {
    let (n, unit) = match secs {
        s if s < 120 => (s, "second"),
        s if s < 2 * 3600 => (s / 60, "minute"),
        s if s < 2 * 86_400 => (s / 3600, "hour"),
        s => (s / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

impl Rule for InFuture {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::Published]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let now = ctx.settings.now;
        let tolerance = ctx.settings.config.dates.future_tolerance_seconds;
        let limit = now
            .saturating_add(Duration::from_secs(tolerance))
            .unwrap_or(Timestamp::MAX);
        for field in DATE_FIELDS {
            let Some((path, node, date)) = canonical_date(ctx, field) else {
                continue;
            };
            // A date without an offset is in the future only once it is
            // in every time zone (a bare day, once that day began there).
            let ts = date.earliest();
            if ts <= limit {
                continue;
            }
            let secs = ts.duration_since(now).as_secs();
            // The clock's nanoseconds are noise in a message.
            let shown = Timestamp::from_second(now.as_second()).unwrap_or(now);
            out.push(
                Finding::new(
                    node.span.clone(),
                    format!(
                        "`{}` is {} in the future (now is {shown})",
                        path,
                        ahead(secs)
                    ),
                )
                .help(format!(
                    "check the date; at most {tolerance} seconds ahead are accepted \
                     (`dates.future-tolerance-seconds`)"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::date::testing::*;

    const CODE: &str = InFuture::META.code;

    #[test]
    fn examples() {
        check_examples(&InFuture::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn reports_each_future_date() {
        let text = "---\npublishedAt: '2026-11-21T23:00:00.000Z'\nupdatedAt: '2026-11-25T00:00:00.000Z'\nai:\n  expandedAt: \"2026-11-22T01:30:00Z\"\n---\n";
        let found = lint_only(CODE, text);
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|d| (span_text(d), d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "'2026-11-25T00:00:00.000Z'",
                    "`updatedAt` is 3 days in the future (now is 2026-11-22T00:00:00Z)"
                ),
                (
                    "\"2026-11-22T01:30:00Z\"",
                    "`ai.expandedAt` is 90 minutes in the future (now is 2026-11-22T00:00:00Z)"
                ),
            ]
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("check the date; at most 300 seconds ahead are accepted (`dates.future-tolerance-seconds`)")
        );
        let (start, _) = found[0].line_cols();
        assert_eq!((start.line, start.column), (3, 12));
    }

    #[test]
    fn tolerance_is_configurable() {
        let text = "---\npublishedAt: '2026-11-22T00:05:00.000Z'\n---\n";
        assert!(
            lint_only(CODE, text).is_empty(),
            "exactly at the default tolerance"
        );
        let text = "---\npublishedAt: '2026-11-22T00:05:00.001Z'\n---\n";
        let found = lint_only(CODE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "`publishedAt` is 5 minutes in the future (now is 2026-11-22T00:00:00Z)"
        );

        let mut config = only(CODE, Config::default());
        config.dates.future_tolerance_seconds = 3600;
        assert!(lint_with(config.clone(), text).is_empty());
        config.dates.future_tolerance_seconds = 0;
        assert_eq!(lint_with(config.clone(), text).len(), 1);
        config.dates.future_tolerance_seconds = u64::MAX;
        let far = "---\npublishedAt: '9999-12-31T23:59:59Z'\n---\n";
        assert!(lint_with(config, far).is_empty());
    }

    #[test]
    fn non_canonical_dates_are_skipped() {
        let text = "---\npublishedAt: '2030-01-01T00:00:00+01:00'\nupdatedAt: '2030-02-30T00:00:00Z'\n---\n";
        assert!(lint_only(CODE, text).is_empty());
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(ahead(1), "1 second");
        assert_eq!(ahead(119), "119 seconds");
        assert_eq!(ahead(120), "2 minutes");
        assert_eq!(ahead(7200), "2 hours");
        assert_eq!(ahead(86_400), "24 hours");
        assert_eq!(ahead(2 * 86_400), "2 days");
    }
}
