//! `text/html-tag`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Kind};

declare_rule! {
    /// An HTML tag (`<p>`, `<br>`, `</a>`) in the title, description or a tag.
    ///
    /// ## Why is this bad?
    ///
    /// Front matter is plain text: the site escapes it, so the markup is shown
    /// to readers as is. A tag is reported only when it is one: a known HTML
    /// element name, closed by `>` (with attributes, if any, written
    /// `name="value"`). Generics (`Vec<T>`, `Option<String>`, `Array<object>`),
    /// comparisons (`a < b`), hearts (`<3`) and text inside backticks are not
    /// tags, nor is a tag named as a tag ("the `<p>` tag").
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: <p>Miners pivot to AI
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Why Rust’s Vec<T> beats a < b for <3 miners
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Unsafe, and only when removing the markup is unambiguous: inline
    /// formatting and links (`<b>`, `<em>`, `<a href="…">`, `</a>`) are
    /// removed and their words kept; a line or paragraph break (`<br>`, `<p>`)
    /// becomes a space between two words. Tags whose removal would change the
    /// text (`<sup>`, `<del>`, `<img>`, `<script>`) have no fix.
    pub struct HtmlTag {
        code: "text/html-tag",
        severity: Error,
        fix: Unsafe,
    }
}

impl Rule for HtmlTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::HtmlTag, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&HtmlTag::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(HtmlTag::META.code);
    }
}
