//! `editorial/external-id-format`.

use copydesk_schema::validate::truncate;

use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::editorial::rewrite_scalar;

declare_rule! {
    /// `externalId` does not match the configured pattern (digits only by default).
    ///
    /// ## Why is this bad?
    ///
    /// `externalId` is the article's id at its source, and the import
    /// pipeline finds duplicates and updates by it. An id in another shape
    /// (`ct-57619983`, `57619983 `, a URL) is a sign it was copied from the
    /// wrong field, and it never matches the source's id again, so the next
    /// import creates a second copy of the article.
    ///
    /// The pattern is `editorial.external-id-pattern` in copydesk.toml, a
    /// regular expression the whole id must match (default `^[0-9]+$`). Only
    /// quoted strings are checked: an unquoted number is
    /// `schema/number-not-string`, and an empty string is
    /// `schema/invalid-value`.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// externalId: 'ct-57619983'
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// externalId: '57619983'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Copy the id from the source again. Whitespace around an id that
    /// otherwise matches is removed by a safe fix.
    pub struct ExternalIdFormat {
        code: "editorial/external-id-format",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for ExternalIdFormat {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Id]
    }

    // The built-in format is the built-in contract's convention; with a
    // newsroom's own schema, that schema (or the configured pattern) says.
    fn inactive_reason(&self, settings: &crate::settings::Settings) -> Option<String> {
        let configured = settings.config.editorial.external_id_pattern
            != crate::config::Editorial::default().external_id_pattern;
        super::convention_inactive(self, settings, configured, "editorial.external-id-pattern")
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(path) = ctx.settings.field(crate::rule::Field::Id) else {
            return;
        };
        let Some(node) = ctx.root().and_then(|r| r.pointer(path.iter())) else {
            return;
        };
        let Some(value) = node.as_str().filter(|v| !v.is_empty()) else {
            return;
        };
        let pattern = ctx.settings.external_id_pattern();
        if pattern.is_match(value) {
            return;
        }
        let written = &ctx.settings.config.editorial.external_id_pattern;
        let mut finding = Finding::new(
            node.span.clone(),
            format!(
                "`{path}` `{}` does not match the pattern `{written}`",
                truncate(value, 60)
            ),
        )
        .help(
            "copy the id from the source again, or change `editorial.external-id-pattern` \
             in copydesk.toml",
        );
        let trimmed = value.trim();
        if trimmed != value && pattern.is_match(trimmed) {
            if let Some(new) = rewrite_scalar(ctx.text(), node, trimmed) {
                finding = finding
                    .help("remove the whitespace around the id")
                    .fix(Fix::replace(
                        Applicability::Safe,
                        "Remove the whitespace around the id",
                        node.span.clone(),
                        new,
                    ));
            }
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::date::testing::*;

    const CODE: &str = ExternalIdFormat::META.code;

    #[test]
    fn examples() {
        check_examples(&ExternalIdFormat::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn not_digits() {
        let found = lint_only(CODE, "---\nexternalId: \"ct-57619983\"\n---\n");
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(span_text(d), "\"ct-57619983\"");
        assert_eq!(
            d.message,
            "`externalId` `ct-57619983` does not match the pattern `^[0-9]+$`"
        );
        assert!(d.fix.is_none());
        let (start, end) = d.line_cols();
        assert_eq!((start.line, start.column, end.column), (2, 13, 26));
    }

    #[test]
    fn whitespace_is_trimmed() {
        let text = "---\nexternalId: ' 57619983 '\n---\n";
        let found = lint_only(CODE, text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(
            d.help.as_deref(),
            Some("remove the whitespace around the id")
        );
        let fix = d.fix.as_ref().expect("fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits[0].range, d.span);
        assert_eq!(fix.edits[0].replacement, "'57619983'");
        assert!(lint_only(CODE, &apply(text, fix)).is_empty());
    }

    #[test]
    fn numbers_and_empty_strings_belong_to_schema_rules() {
        assert!(lint_only(CODE, "---\nexternalId: 57619983\n---\n").is_empty());
        assert!(lint_only(CODE, "---\nexternalId: ''\n---\n").is_empty());
        let found = lint_with(
            Config::default(),
            &seed_with("externalId: '57619983'", "externalId: ''"),
        );
        let codes: Vec<_> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["schema/invalid-value"]);
    }

    #[test]
    fn pattern_is_configurable_and_whole() {
        let mut config = only(CODE, Config::default());
        config.editorial.external_id_pattern = "[a-z]+-[0-9]+".into();
        assert!(lint_with(config.clone(), "---\nexternalId: 'ct-1'\n---\n").is_empty());
        // The whole id must match, even when the pattern is not anchored.
        assert_eq!(
            lint_with(config.clone(), "---\nexternalId: 'ct-1 copy'\n---\n").len(),
            1
        );
        let found = lint_with(config, "---\nexternalId: '57619983'\n---\n");
        assert_eq!(
            found[0].message,
            "`externalId` `57619983` does not match the pattern `[a-z]+-[0-9]+`"
        );
    }
}
