//! `editorial/unknown-source-type`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::editorial::{check_list, ListRule};

declare_rule! {
    /// `source.type` is not one of the configured source types.
    ///
    /// ## Why is this bad?
    ///
    /// The source type tells the import pipeline how an article arrived and
    /// whether it may be refreshed from its source: an RSS item is
    /// re-fetched, a manual article never is. An unknown type is handled as
    /// none of them.
    ///
    /// The list is `editorial.source-types` in copydesk.toml, by default
    /// `RSS`, `API` and `MANUAL`; an empty list checks nothing.
    ///
    /// A listed type in another letter case (`rss`) is reported here with a
    /// safe fix; while this rule is on and the list is not empty, it owns
    /// every `source.type` that is not on the list, and
    /// `schema/invalid-value` does not report the same value again for its
    /// uppercase pattern.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// source:
    ///   type: FEED
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// source:
    ///   type: rss
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// source:
    ///   type: RSS
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Use a type from the list, or add the new one to
    /// `editorial.source-types`. A listed type in another letter case is
    /// rewritten as listed by a safe fix, keeping the value's quoting.
    pub struct UnknownSourceType {
        code: "editorial/unknown-source-type",
        severity: Error,
        fix: Safe,
    }
}

/// How this rule reads the configuration.
pub(crate) const RULE: ListRule = ListRule {
    meta: &UnknownSourceType::META,
    path: &["source", "type"],
    field: None,
    noun: "source type",
    config_key: "editorial.source-types",
    list: |e| &e.source_types,
};

impl Rule for UnknownSourceType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn keys(&self) -> &'static [&'static str] {
        &["source.type"]
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

    const CODE: &str = UnknownSourceType::META.code;

    #[test]
    fn examples() {
        check_examples(&UnknownSourceType::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn not_listed() {
        let found = lint_only(CODE, "---\nsource:\n  type: FEEDS\n---\n");
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(span_text(d), "FEEDS");
        assert_eq!(
            d.message,
            "`source.type` `FEEDS` is not an allowed source type"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("use one of `RSS`, `API`, `MANUAL`, or add it to `editorial.source-types` in copydesk.toml")
        );
        assert!(d.fix.is_none());
    }

    #[test]
    fn lowercase_is_fixed_keeping_quotes() {
        let text = "---\nsource:\n  type: 'rss'\n---\n";
        let found = lint_only(CODE, text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(span_text(d), "'rss'");
        assert_eq!(
            d.message,
            "`source.type` is written `rss`; the configured spelling is `RSS`"
        );
        let fix = d.fix.as_ref().expect("fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits[0].replacement, "'RSS'");
        assert!(lint_only(CODE, &apply(text, fix)).is_empty());
    }

    #[test]
    fn configured_list_replaces_the_default() {
        let mut config = only(CODE, Config::default());
        config.editorial.source_types = vec!["PARTNER".into()];
        assert!(lint_with(config.clone(), "---\nsource:\n  type: PARTNER\n---\n").is_empty());
        assert_eq!(
            lint_with(config, "---\nsource:\n  type: RSS\n---\n").len(),
            1
        );
    }

    #[test]
    fn one_finding_per_value_across_rules() {
        let found = lint_with(Config::default(), &seed_with("type: RSS", "type: rss"));
        let codes: Vec<_> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, [CODE]);
    }
}
