//! `text/control-character`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Kind};

declare_rule! {
    /// A control character (U+0000–U+001F, DEL, U+0080–U+009F) in the title, description or a tag.
    ///
    /// ## Why is this bad?
    ///
    /// Control characters have no glyph: browsers show nothing, a box or a
    /// question mark, and feeds, sitemaps and search engines may reject the
    /// document. They come from text copied through old encodings: a U+0019
    /// stands where an apostrophe `’` (U+2019) lost its high byte, a U+0014
    /// where an em dash was.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: "ETH\x19s rally"
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: ETH’s rally
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Safe: a control character that stands for a lost quote or dash
    /// (U+0013, U+0014, U+0018, U+0019, U+001C, U+001D) becomes that character
    /// (`’` for U+0019); a tab becomes a space; any other is removed.
    pub struct ControlCharacter {
        code: "text/control-character",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for ControlCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::Control, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&ControlCharacter::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(ControlCharacter::META.code);
    }
}
