//! `text/whitespace`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Kind};

declare_rule! {
    /// Leading, trailing or doubled whitespace in the title, description or a tag.
    ///
    /// ## Why is this bad?
    ///
    /// A title with a space before it or two spaces inside looks broken on the
    /// page, and two titles that differ only in spacing are the same headline
    /// to readers but not to search or to duplicate detection.
    ///
    /// This rule owns whitespace at the edges of a one-line title: while it is
    /// on, `schema/invalid-value` does not report such a title again for the
    /// contract's "no leading or trailing whitespace" pattern.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners  pivot to AI
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Safe: whitespace at the edges is removed, a doubled run becomes one
    /// space; the value keeps its quoting.
    pub struct Whitespace {
        code: "text/whitespace",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for Whitespace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::Whitespace, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&Whitespace::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(Whitespace::META.code);
    }
}
