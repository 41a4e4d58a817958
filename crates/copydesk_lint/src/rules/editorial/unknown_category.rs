//! `editorial/unknown-category`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::editorial::{check_list, ListRule};

declare_rule! {
    /// `category` is not on the newsroom's list of categories.
    ///
    /// ## Why is this bad?
    ///
    /// The category decides the section an article appears in. A category
    /// the site does not have (`REGULATON`, `CRYPTO` where the site says
    /// `MARKETS`) leaves the story out of every section page and menu.
    ///
    /// The list is `editorial.categories` in copydesk.toml; while it is
    /// empty (the default) any uppercase token is accepted and this rule
    /// reports nothing.
    ///
    /// A value in the wrong letter case (`mining` where the list has
    /// `MINING`) is reported here, with a safe fix, and not also by
    /// `schema/invalid-value` for breaking the uppercase pattern: while this
    /// rule is on and the list is not empty, it owns every `category` that
    /// is not on the list. With an empty list, or this rule off,
    /// `schema/invalid-value` reports a lowercase category and uppercases it.
    ///
    /// ## Examples
    ///
    /// With this configuration:
    ///
    /// ```toml
    /// [editorial]
    /// categories = ["MINING", "MARKETS", "POLICY"]
    /// ```
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// category: REGULATION
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// category: mining
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// category: MINING
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Use a category from the list, or add the new one to
    /// `editorial.categories`. A category on the list in another letter case
    /// is rewritten as listed by a safe fix, keeping the value's quoting.
    pub struct UnknownCategory {
        code: "editorial/unknown-category",
        severity: Error,
        fix: Safe,
    }
}

/// How this rule reads the configuration.
pub(crate) const RULE: ListRule = ListRule {
    meta: &UnknownCategory::META,
    path: &["category"],
    field: None,
    noun: "category",
    config_key: "editorial.categories",
    list: |e| &e.categories,
};

impl Rule for UnknownCategory {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn keys(&self) -> &'static [&'static str] {
        &["category"]
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

    const CODE: &str = UnknownCategory::META.code;

    fn config(categories: &[&str]) -> Config {
        let mut config = only(CODE, Config::default());
        config.editorial.categories = categories.iter().map(|s| (*s).to_owned()).collect();
        config
    }

    #[test]
    fn examples() {
        check_examples(&UnknownCategory::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn not_listed() {
        let text = "---\ncategory: REGULATON\n---\n";
        let found = lint_with(config(&["MINING", "REGULATION"]), text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(span_text(d), "REGULATON");
        assert_eq!(
            d.message,
            "`category` `REGULATON` is not an allowed category"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `REGULATION`? use one of `MINING`, `REGULATION`, or add it to `editorial.categories` in copydesk.toml")
        );
        assert!(d.fix.is_none());
    }

    #[test]
    fn long_lists_are_shortened() {
        let list = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"];
        let found = lint_with(config(&list), "---\ncategory: ZZZ\n---\n");
        assert_eq!(
            found[0].help.as_deref(),
            Some("use one of `A`, `B`, `C`, `D`, `E`, `F`, `G`, `H`, and 2 more, or add it to `editorial.categories` in copydesk.toml")
        );
    }

    #[test]
    fn other_case_is_fixed_keeping_quotes() {
        let text = "---\ncategory: \"Mining\"\n---\n";
        let found = lint_with(config(&["MINING"]), text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(span_text(d), "\"Mining\"");
        assert_eq!(
            d.message,
            "`category` is written `Mining`; the configured spelling is `MINING`"
        );
        let fix = d.fix.as_ref().expect("fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits.len(), 1);
        assert_eq!(fix.edits[0].range, d.span);
        assert_eq!(fix.edits[0].replacement, "\"MINING\"");
        assert!(lint_with(config(&["MINING"]), &apply(text, fix)).is_empty());
    }

    #[test]
    fn empty_list_and_non_strings_are_not_checked() {
        assert!(lint_with(config(&[]), "---\ncategory: ANYTHING\n---\n").is_empty());
        assert!(lint_with(config(&["MINING"]), "---\ncategory: 12\n---\n").is_empty());
        assert!(lint_with(config(&["MINING"]), "---\ntitle: x\n---\n").is_empty());
    }

    #[test]
    fn crlf_and_bom_keep_spans_and_fixes_right() {
        let text = format!(
            "\u{feff}{}",
            seed_with("category: MINING", "category: mining").replace('\n', "\r\n")
        );
        let found = lint_with(config(&["MINING"]), &text);
        assert_eq!(found.len(), 1);
        assert_eq!(span_text(&found[0]), "mining");
        let (start, end) = found[0].line_cols();
        assert_eq!((start.line, start.column, end.column), (12, 11, 17));
        let fixed = apply(&text, found[0].fix.as_ref().expect("fix"));
        assert!(fixed.contains("\r\ncategory: MINING\r\n"));
        assert!(lint_with(config(&["MINING"]), &fixed).is_empty());
    }

    #[test]
    fn one_finding_per_value_across_rules() {
        // Every rule on: the lowercase value is this rule's alone.
        let mut config = Config::default();
        config.editorial.categories = vec!["MINING".into()];
        let text = seed_with("category: MINING", "category: mining");
        let found = lint_with(config, &text);
        let codes: Vec<_> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, [CODE]);
    }
}
