//! `text/mojibake`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Kind};

declare_rule! {
    /// Mojibake: UTF-8 text that was read as Windows-1252 (`ETHâ€™s` for `ETH’s`).
    ///
    /// ## Why is this bad?
    ///
    /// A feed that decodes UTF-8 bytes as Windows-1252 turns every curly quote,
    /// dash, accented letter, Cyrillic word and emoji into two to four Latin
    /// characters: `â€™` for `’`, `Ã©` for `é`, `ðŸš€` for `🚀`. Readers see
    /// gibberish.
    ///
    /// A sequence is reported only when its Windows-1252 bytes are a complete
    /// UTF-8 character of a kind such text holds (Latin, Greek and Cyrillic
    /// letters, punctuation, symbols, CJK, emoji), so legitimate accented text
    /// (`Café`, `ÉTÉ`, `Straße`) is not.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: ETHâ€™s rally continues
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: ETH’s rally continues in São Paulo
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Unsafe: the characters are encoded as Windows-1252 and decoded as
    /// UTF-8, when that gives valid UTF-8 (`â€™` becomes `’`). It is almost
    /// always right, but look: the text was garbled once already.
    pub struct Mojibake {
        code: "text/mojibake",
        severity: Error,
        fix: Unsafe,
    }
}

impl Rule for Mojibake {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::Mojibake, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&Mojibake::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(Mojibake::META.code);
    }
}
