//! `editorial/unknown-language`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::editorial::{check_list, ListRule};

declare_rule! {
    /// `lang` is not on the newsroom's list of languages.
    ///
    /// ## Why is this bad?
    ///
    /// The language picks the edition, the hreflang links and the
    /// hyphenation of the page. A language the site does not publish in
    /// puts the article in no edition at all.
    ///
    /// The list is `editorial.languages` in copydesk.toml; while it is
    /// empty (the default) any well-formed tag is accepted and this rule
    /// reports nothing.
    ///
    /// Language tags are case-insensitive, so a listed tag in another case
    /// (`EN`, `pt-br`) is reported here with a safe fix to the listed
    /// spelling; while this rule is on and the list is not empty, it owns
    /// every `lang` that is not on the list, and `schema/invalid-value` does
    /// not report the same value again for its pattern.
    ///
    /// ## Examples
    ///
    /// With this configuration:
    ///
    /// ```toml
    /// [editorial]
    /// languages = ["en", "pt-BR"]
    /// ```
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// lang: fr
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// lang: pt-br
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// lang: pt-BR
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Use a language from the list, or add the new one to
    /// `editorial.languages`. A listed tag in another letter case is
    /// rewritten as listed by a safe fix, keeping the value's quoting.
    pub struct UnknownLanguage {
        code: "editorial/unknown-language",
        severity: Error,
        fix: Safe,
    }
}

/// How this rule reads the configuration.
pub(crate) const RULE: ListRule = ListRule {
    meta: &UnknownLanguage::META,
    path: &["lang"],
    field: Some(crate::rule::Field::Lang),
    noun: "language",
    config_key: "editorial.languages",
    list: |e| &e.languages,
};

impl Rule for UnknownLanguage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Lang]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        check_list(ctx, &RULE, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diagnostic::Applicability;
    use crate::rules::date::testing::*;

    const CODE: &str = UnknownLanguage::META.code;

    fn config() -> Config {
        let mut config = only(CODE, Config::default());
        config.editorial.languages = vec!["en".into(), "pt-BR".into()];
        config
    }

    #[test]
    fn examples() {
        check_examples(&UnknownLanguage::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn not_listed() {
        let found = lint_with(config(), "---\nlang: 'fr'\n---\n");
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(span_text(d), "'fr'");
        assert_eq!(d.message, "`lang` `fr` is not an allowed language");
        assert_eq!(
            d.help.as_deref(),
            Some("use one of `en`, `pt-BR`, or add it to `editorial.languages` in copydesk.toml")
        );
        assert!(d.fix.is_none());
        let (start, end) = d.line_cols();
        assert_eq!((start.line, start.column, end.column), (2, 7, 11));
    }

    #[test]
    fn other_case_is_fixed() {
        let text = "---\nlang: EN\n---\n";
        let found = lint_with(config(), text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(span_text(d), "EN");
        assert_eq!(
            d.message,
            "`lang` is written `EN`; the configured spelling is `en`"
        );
        assert_eq!(d.help.as_deref(), Some("write `en`"));
        let fix = d.fix.as_ref().expect("fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.message, "Write `en`");
        assert_eq!(fix.edits[0].range, d.span);
        assert_eq!(fix.edits[0].replacement, "en");
        assert!(lint_with(config(), &apply(text, fix)).is_empty());
    }

    #[test]
    fn one_finding_per_value_across_rules() {
        let mut config = Config::default();
        config.editorial.languages = vec!["en".into()];
        let found = lint_with(config, &seed_with("lang: en", "lang: EN"));
        let codes: Vec<_> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, [CODE]);
    }
}
