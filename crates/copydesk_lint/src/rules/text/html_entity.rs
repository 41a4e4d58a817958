//! `text/html-entity`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Kind};

declare_rule! {
    /// An HTML character reference (`&amp;`, `&#8217;`, `&nbsp;`) in the title, description or a tag.
    ///
    /// ## Why is this bad?
    ///
    /// Front matter is plain text: the site escapes it when it renders, so
    /// `Q&amp;A` reaches readers as `Q&amp;A`. Feeds leave entities behind
    /// when they copy HTML. Only complete references are reported (a known
    /// name or a number, closed by `;`): `AT&T`, `R&D` and `M&A` are text.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: ETH&#8217;s rally
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: AT&T and R&D budgets meet M&A
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Safe: the reference is replaced by the character it stands for
    /// (`&nbsp;` by a plain space, numbers 128–159 as Windows-1252 as browsers
    /// read them).
    pub struct HtmlEntity {
        code: "text/html-entity",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for HtmlEntity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::HtmlEntity, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&HtmlEntity::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(HtmlEntity::META.code);
    }
}
