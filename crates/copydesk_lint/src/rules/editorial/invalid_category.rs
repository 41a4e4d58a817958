//! `editorial/invalid-category`.

use super::format::is_uppercase_words;
use super::{case_fix, claimed_by_list_rule, FormatCheck};
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// `category` is not in the site's category format: uppercase words.
    ///
    /// ## Why is this bad?
    ///
    /// Section pages select articles by the exact category: `Mining` is not
    /// `MINING`, and an article filed under it appears in no section.
    /// Categories are uppercase words separated by single spaces, hyphens
    /// or underscores (`MINING`, `TOKEN SALE`, `DEFI`).
    ///
    /// `editorial.category-pattern` replaces this format with a regular
    /// expression the whole category must match. While
    /// `editorial.categories` lists the allowed categories, a value not on
    /// the list is `editorial/unknown-category`'s, not also this rule's.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// category: Token sale
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// category: TOKEN SALE
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// A category written in another letter case is uppercased by a safe
    /// fix when the uppercase form is in the format, keeping the quoting.
    pub struct InvalidCategory {
        code: "editorial/invalid-category",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for InvalidCategory {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn keys(&self) -> &'static [&'static str] {
        &["category"]
    }

    // The built-in format is the built-in contract's convention; with a
    // newsroom's own schema, that schema (or the configured pattern) says.
    fn inactive_reason(&self, settings: &crate::settings::Settings) -> Option<String> {
        let configured = settings.category_pattern().is_some();
        super::convention_inactive(self, settings, configured, "editorial.category-pattern")
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(node) = ctx.root().and_then(|r| r.get("category")) else {
            return;
        };
        let Some(value) = node.as_str() else { return };
        let check = FormatCheck {
            pattern: ctx.settings.category_pattern(),
            pattern_key: "editorial.category-pattern",
            default: is_uppercase_words,
            default_form: "uppercase words, like `MINING` or `TOKEN SALE`",
        };
        if value.trim().is_empty()
            || check.accepts_spaced(value)
            || claimed_by_list_rule(ctx, &["category".to_owned()])
        {
            return;
        }
        let mut finding = Finding::new(
            node.span.clone(),
            format!(
                "`category` `{}` is not in the site's category format: {}",
                copydesk_schema::validate::truncate(value, 60),
                check.form()
            ),
        );
        match case_fix(ctx, node, &value.to_uppercase(), &check) {
            Some((upper, fix)) => finding = finding.help(format!("write it `{upper}`")).fix(fix),
            None => finding = finding.help(check.help()),
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    const CODE: &str = InvalidCategory::META.code;

    #[test]
    fn examples() {
        check_examples(&InvalidCategory::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn uppercased_in_its_own_quoting() {
        let text = "---\ncategory: 'token sale'\n---\n";
        let found = lint_only(CODE, text);
        assert_eq!(found.len(), 1);
        let fixed = apply(text, found[0].fix.as_ref().expect("a fix"));
        assert_eq!(fixed, "---\ncategory: 'TOKEN SALE'\n---\n");
        assert!(lint_only(CODE, "---\ncategory: TOKEN_SALE\n---\n").is_empty());
        assert!(lint_only(CODE, "---\ncategory: 'ШІ'\n---\n").is_empty());
    }
}
