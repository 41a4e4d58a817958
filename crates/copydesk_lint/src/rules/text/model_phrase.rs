//! `text/model-phrase`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Kind};

declare_rule! {
    /// A language model talking about itself: "Sure! Here is a rewritten description…", "As an AI language model…", "I hope this helps".
    ///
    /// ## Why is this bad?
    ///
    /// When a rewriting model answers chattily, its reply around the text is
    /// published with it. The phrases of `text.model-phrases` are matched
    /// (ignoring case, `’` as `'`) at the start of the value or of one of its
    /// sentences, never inside one: a headline such as "Here’s what to know
    /// about the halving" or "As AI demand grows…" is not reported.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// description: Sure! Here is a rewritten description of the article.
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// description: Here’s what miners do with their rigs as AI demand grows.
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the model's words and keep the text. Tune the phrases with
    /// `text.model-phrases` in copydesk.toml.
    pub struct ModelPhrase {
        code: "text/model-phrase",
        severity: Error,
        fix: None,
    }
}

impl Rule for ModelPhrase {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::ModelPhrase, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&ModelPhrase::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(ModelPhrase::META.code);
    }
}
