//! `date/updated-before-published`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{Field, FileContext, Rule, RuleMeta};
use crate::rules::date::canonical_date;
use crate::rules::date::value::before;

declare_rule! {
    /// `updatedAt` is earlier than `publishedAt`.
    ///
    /// ## Why is this bad?
    ///
    /// An article cannot be updated before it was published. Feeds and
    /// sitemaps that trust `updatedAt` treat it as stale, and "updated"
    /// labels on the page show a time before the story existed. It usually
    /// means one of the two dates was typed or converted wrongly.
    ///
    /// Only dates written in the contract's form (RFC 3339 in UTC with
    /// seconds) are compared; a malformed, impossible or non-UTC date is
    /// already reported by the other `date/*` rules.
    ///
    /// The two dates are `[fields] updated` and `published`; dates without an
    /// offset compare as written, by day when one is a bare day.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// updatedAt: '2026-01-30T18:29:36.979Z'
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// publishedAt: '2026-01-31T18:04:41.000Z'
    /// updatedAt: '2026-01-31T18:29:36.979Z'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Check the source for the real dates and correct the wrong one. There
    /// is no automatic fix: copydesk cannot tell which of the two is wrong.
    pub struct UpdatedBeforePublished {
        code: "date/updated-before-published",
        severity: Error,
        fix: None,
    }
}

impl Rule for UpdatedBeforePublished {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::Published, Field::Updated]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let (Some((p_path, published, p)), Some((u_path, updated, u))) = (
            canonical_date(ctx, Field::Published),
            canonical_date(ctx, Field::Updated),
        ) else {
            return;
        };
        if before(&u, &p, jiff::SignedDuration::ZERO) {
            out.push(
                Finding::new(
                    updated.span.clone(),
                    format!("`{u_path}` is before `{p_path}`"),
                )
                .label(published.span.clone(), format!("`{p_path}` is later"))
                .help("check both dates; an article cannot be updated before it is published"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    const CODE: &str = UpdatedBeforePublished::META.code;

    #[test]
    fn examples() {
        check_examples(&UpdatedBeforePublished::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn points_at_updated_with_a_label_on_published() {
        let text = "---\npublishedAt: '2026-01-31T18:04:41.000Z'\nupdatedAt: '2026-01-31T18:04:40.999Z'\n---\n";
        let found = lint_only(CODE, text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(span_text(d), "'2026-01-31T18:04:40.999Z'");
        assert_eq!(d.message, "`updatedAt` is before `publishedAt`");
        assert_eq!(
            related_texts(d),
            vec![("'2026-01-31T18:04:41.000Z'", "`publishedAt` is later")]
        );
        assert!(d.fix.is_none());
        let (start, _) = d.line_cols();
        assert_eq!((start.line, start.column), (3, 12));
    }

    #[test]
    fn equal_dates_are_fine() {
        let text = "---\npublishedAt: '2026-01-31T18:04:41Z'\nupdatedAt: '2026-01-31T18:04:41.000Z'\n---\n";
        assert!(lint_only(CODE, text).is_empty());
    }

    #[test]
    fn non_canonical_dates_are_left_to_other_rules() {
        // 17:00+02:00 is 15:00Z, before publishedAt, but date/not-utc owns it.
        for updated in [
            "'2026-01-31T17:00:00+02:00'",
            "'2026-01-30T10:00'",
            "'yesterday'",
            "2026-01-30",
        ] {
            let text = format!(
                "---\npublishedAt: '2026-01-31T18:04:41.000Z'\nupdatedAt: {updated}\n---\n"
            );
            assert!(lint_only(CODE, &text).is_empty(), "{updated}");
        }
    }
}
