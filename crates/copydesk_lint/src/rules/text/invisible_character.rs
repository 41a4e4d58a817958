//! `text/invisible-character`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Kind};

declare_rule! {
    /// An invisible character in the title, description or a tag: a zero-width space, a stray joiner, a word joiner, a byte-order mark or a bidirectional control.
    ///
    /// ## Why is this bad?
    ///
    /// Readers cannot see it, but it is there: two titles that look the same
    /// compare different, search does not find the words it splits, and a
    /// bidirectional control (U+202A–U+202E, U+2066–U+2069) can reorder what
    /// is displayed. Feeds and copy-paste from web pages leave them, often at
    /// the start of a title.
    ///
    /// A zero-width joiner or non-joiner doing its job is legitimate and not
    /// reported: between the parts of an emoji sequence (👨‍👩‍👧), or
    /// between letters of a script that uses it (Persian می‌خواهم, Devanagari).
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: "\u200B\u200BMiners pivot to AI"
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI 👨‍👩‍👧
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Safe: the invisible characters are removed.
    pub struct InvisibleCharacter {
        code: "text/invisible-character",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for InvisibleCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::Invisible, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&InvisibleCharacter::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(InvisibleCharacter::META.code);
    }
}
