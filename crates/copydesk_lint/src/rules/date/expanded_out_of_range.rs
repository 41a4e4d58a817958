//! `date/expanded-out-of-range`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Field, FileContext, Rule, RuleMeta};
use crate::rules::date::canonical_date;
use crate::rules::date::value::before;

declare_rule! {
    /// `ai.expandedAt` is before `publishedAt` or after `updatedAt`.
    ///
    /// ## Why is this bad?
    ///
    /// The AI expansion happens to a published article and is itself an
    /// update, so its time lies between the two: an expansion before
    /// publication, or later than the last update, means one of the dates is
    /// wrong, and the "rewritten by AI" notice on the page shows a
    /// misleading time.
    ///
    /// The rewriting pipeline writes `ai.expandedAt` and `updatedAt` in
    /// one step, a few milliseconds apart, so `ai.expandedAt` may be up to
    /// `dates.expanded-tolerance-seconds` (default 1) after `updatedAt`.
    ///
    /// Only dates written in the contract's form are compared (the other
    /// `date/*` rules report the rest). When `updatedAt` is itself before
    /// `publishedAt` there is no consistent range to check against, and
    /// `date/updated-before-published` reports that first.
    ///
    /// The three dates are `[fields] expanded`, `published` and `updated`.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// updatedAt: '2026-01-31T18:29:36.979Z'
    /// ai:
    ///   expandedAt: '2026-01-31T17:00:00.000Z'
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// updatedAt: '2026-01-31T18:29:36.979Z'
    /// ai:
    ///   expandedAt: '2026-02-01T09:00:00.000Z'
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// updatedAt: '2026-01-31T18:29:36.979Z'
    /// ai:
    ///   expandedAt: '2026-01-31T18:29:36.979Z'
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// updatedAt: '2026-01-31T18:29:36.979Z'
    /// ai:
    ///   expandedAt: '2026-01-31T18:29:36.981Z'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Check the pipeline's logs for the real expansion time, or correct
    /// `publishedAt`/`updatedAt` if they are the wrong ones. There is no
    /// automatic fix.
    pub struct ExpandedOutOfRange {
        code: "date/expanded-out-of-range",
        severity: Error,
        fix: None,
    }
}

impl Rule for ExpandedOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::Expanded]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some((e_path, expanded, e)) = canonical_date(ctx, Field::Expanded) else {
            return;
        };
        let published = canonical_date(ctx, Field::Published);
        let updated = canonical_date(ctx, Field::Updated);
        if let (Some((_, _, p)), Some((_, _, u))) = (&published, &updated) {
            if before(u, p, jiff::SignedDuration::ZERO) {
                return;
            }
        }
        let tolerance = jiff::SignedDuration::from_secs(
            i64::try_from(ctx.settings.config.dates.expanded_tolerance_seconds).unwrap_or(i64::MAX),
        );
        let finding = match (published, updated) {
            (Some((p_path, node, p)), _) if before(&e, &p, jiff::SignedDuration::ZERO) => {
                Finding::new(
                    expanded.span.clone(),
                    format!("`{e_path}` is before `{p_path}`"),
                )
                .label(node.span.clone(), format!("`{p_path}` is later"))
                .help("an article is expanded after it is published; check both dates")
            }
            (_, Some((u_path, node, u))) if before(&u, &e, tolerance) => Finding::new(
                expanded.span.clone(),
                format!("`{e_path}` is after `{u_path}`"),
            )
            .label(node.span.clone(), format!("`{u_path}` is earlier"))
            .help(format!("the expansion is an update: set `{u_path}` to at least `{e_path}`, or correct `{e_path}`")),
            _ => return,
        };
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::date::testing::*;

    const CODE: &str = ExpandedOutOfRange::META.code;

    fn article(published: &str, updated: &str, expanded: &str) -> String {
        format!(
            "---\npublishedAt: {published}\nupdatedAt: {updated}\nai:\n  rewritten: true\n  expandedAt: {expanded}\n---\n"
        )
    }

    #[test]
    fn examples() {
        check_examples(&ExpandedOutOfRange::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn before_published() {
        let text = article(
            "'2026-01-31T18:04:41.000Z'",
            "'2026-01-31T18:29:36.979Z'",
            "'2026-01-31T18:04:40.000Z'",
        );
        let found = lint_only(CODE, &text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(span_text(d), "'2026-01-31T18:04:40.000Z'");
        assert_eq!(d.message, "`ai.expandedAt` is before `publishedAt`");
        assert_eq!(
            related_texts(d),
            vec![("'2026-01-31T18:04:41.000Z'", "`publishedAt` is later")]
        );
        let (start, _) = d.line_cols();
        assert_eq!((start.line, start.column), (6, 15));
    }

    #[test]
    fn after_updated() {
        let text = article(
            "'2026-01-31T18:04:41.000Z'",
            "\"2026-01-31T18:29:36.979Z\"",
            "2026-01-31T18:30:37.000Z",
        );
        let found = lint_only(CODE, &text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(span_text(d), "2026-01-31T18:30:37.000Z");
        assert_eq!(d.message, "`ai.expandedAt` is after `updatedAt`");
        assert_eq!(
            related_texts(d),
            vec![("\"2026-01-31T18:29:36.979Z\"", "`updatedAt` is earlier")]
        );
    }

    #[test]
    fn bounds_are_inclusive_and_missing_dates_are_skipped() {
        let p = "'2026-01-31T18:04:41.000Z'";
        let u = "'2026-01-31T18:29:36.979Z'";
        assert!(lint_only(CODE, &article(p, u, p)).is_empty());
        assert!(lint_only(CODE, &article(p, u, u)).is_empty());
        // Without updatedAt, only the lower bound can be checked.
        let text = "---\npublishedAt: '2026-01-31T18:04:41.000Z'\nai:\n  expandedAt: '2030-01-01T00:00:00Z'\n---\n";
        assert!(lint_only(CODE, text).is_empty());
    }

    #[test]
    fn the_pipeline_writing_expanded_at_just_after_updated_at_is_fine() {
        let p = "'2026-01-31T18:04:41.000Z'";
        let u = "'2026-01-31T18:29:36.979Z'";
        assert!(lint_only(CODE, &article(p, u, "'2026-01-31T18:29:36.980Z'")).is_empty());
        assert!(lint_only(CODE, &article(p, u, "'2026-01-31T18:29:37.979Z'")).is_empty());
        assert_eq!(
            lint_only(CODE, &article(p, u, "'2026-01-31T18:29:37.980Z'")).len(),
            1
        );
        let mut config = Config::default();
        config.dates.expanded_tolerance_seconds = 0;
        let found = lint_with(
            only(CODE, config),
            &article(p, u, "'2026-01-31T18:29:36.980Z'"),
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn inverted_range_is_left_to_updated_before_published() {
        let text = article(
            "'2026-01-31T18:04:41.000Z'",
            "'2026-01-30T18:00:00.000Z'",
            "'2026-01-29T00:00:00.000Z'",
        );
        assert!(lint_only(CODE, &text).is_empty());
    }

    #[test]
    fn non_canonical_expanded_at_is_skipped() {
        let p = "'2026-01-31T18:04:41.000Z'";
        let u = "'2026-01-31T18:29:36.979Z'";
        assert!(lint_only(CODE, &article(p, u, "'2026-01-31T10:00:00+01:00'")).is_empty());
    }
}
