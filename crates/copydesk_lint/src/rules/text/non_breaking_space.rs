//! `text/non-breaking-space`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Kind};

declare_rule! {
    /// A non-breaking space (U+00A0) between two words where a plain space belongs.
    ///
    /// ## Why is this bad?
    ///
    /// Text pasted from a CMS or a web page carries non-breaking spaces between
    /// ordinary words: the line cannot wrap there, and search and comparisons
    /// see one long word. Typographic uses are not reported: after a number
    /// (`10 km`, `5 %`), before French punctuation (`:`, `»`), after `«`; nor
    /// the narrow no-break space U+202F.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: "Miners\u00A0pivot to AI"
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: "Miners 10\u00A0km from the dam pivot to AI"
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Safe: the non-breaking space becomes a plain space.
    pub struct NonBreakingSpace {
        code: "text/non-breaking-space",
        severity: Warning,
        fix: Safe,
    }
}

impl Rule for NonBreakingSpace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::NonBreakingSpace, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&NonBreakingSpace::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(NonBreakingSpace::META.code);
    }
}
