//! `editorial/invalid-source-key`.

use super::format::is_slug;
use super::{case_fix, FormatCheck};
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// `source.key` is not a lowercase slug.
    ///
    /// ## Why is this bad?
    ///
    /// `source.key` identifies the feed an article came from: the
    /// importer, the duplicate checks and the per-source pages compare it
    /// exactly, so `CoinDesk` and `coindesk` are two sources. It is a
    /// lowercase slug: lowercase letters and digits, joined by single `-`,
    /// `_` or `.` (`cointelegraph`, `the-block`, `bitcoin_com`).
    ///
    /// `editorial.source-key-pattern` replaces this format with a regular
    /// expression the whole key must match.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// source:
    ///   key: CoinDesk
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// source:
    ///   key: coindesk
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// A key written in another letter case is lowercased by a safe fix
    /// when the lowercase form is in the format, keeping the quoting.
    pub struct InvalidSourceKey {
        code: "editorial/invalid-source-key",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for InvalidSourceKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn keys(&self) -> &'static [&'static str] {
        &["source.key"]
    }

    // The built-in format is the built-in contract's convention; with a
    // newsroom's own schema, that schema (or the configured pattern) says.
    fn inactive_reason(&self, settings: &crate::settings::Settings) -> Option<String> {
        let configured = settings.source_key_pattern().is_some();
        super::convention_inactive(self, settings, configured, "editorial.source-key-pattern")
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(node) = ctx.root().and_then(|r| r.pointer(["source", "key"])) else {
            return;
        };
        let Some(value) = node.as_str() else { return };
        let check = FormatCheck {
            pattern: ctx.settings.source_key_pattern(),
            pattern_key: "editorial.source-key-pattern",
            default: is_slug,
            default_form: "a lowercase slug like `cointelegraph` or `the-block`",
        };
        if value.trim().is_empty() || check.accepts_spaced(value) {
            return;
        }
        let mut finding = Finding::new(
            node.span.clone(),
            format!(
                "`source.key` `{}` is not in the site's format: {}",
                copydesk_schema::validate::truncate(value, 60),
                check.form()
            ),
        );
        match case_fix(ctx, node, &value.to_lowercase(), &check) {
            Some((lower, fix)) => finding = finding.help(format!("write it `{lower}`")).fix(fix),
            None => finding = finding.help(check.help()),
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    const CODE: &str = InvalidSourceKey::META.code;

    #[test]
    fn examples() {
        check_examples(&InvalidSourceKey::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn lowercased_when_that_is_a_slug() {
        let text = "---\nsource:\n  key: CoinDesk\n---\n";
        let found = lint_only(CODE, text);
        let fixed = apply(text, found[0].fix.as_ref().expect("a fix"));
        assert_eq!(fixed, "---\nsource:\n  key: coindesk\n---\n");
        let found = lint_only(CODE, "---\nsource:\n  key: coin desk\n---\n");
        assert!(found[0].fix.is_none());
    }
}
