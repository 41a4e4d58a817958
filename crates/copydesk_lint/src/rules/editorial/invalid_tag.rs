//! `editorial/invalid-tag`.

use super::case_fix;
use super::format::mangling;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A tag is not in the site's tag format: uppercase words separated by single spaces or hyphens.
    ///
    /// ## Why is this bad?
    ///
    /// The site builds one topic page per tag, by exact spelling: `Bitcoin`
    /// and `BITCOIN` are two topics, and readers of one never see the
    /// other's stories. Tags are uppercase words (letters of any script
    /// that are not lowercase, digits; `&`, `.` or `'` inside a word),
    /// separated by single spaces or hyphens: `BITCOIN NEWS`, `SHIBA INU`,
    /// `DOGE-BTC`, `S&P 500`, `БІТКОЇН`.
    ///
    /// `editorial.tag-pattern` in copydesk.toml replaces this format with a
    /// regular expression the whole tag must match. A tag mangled on import
    /// (`-DIGITAL-ASSETS`, `@handle`, `M-A`) is `editorial/mangled-tag`'s,
    /// and whitespace at its edges or doubled inside is the text rules'.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// tags:
    ///   - Bitcoin news
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// tags:
    ///   - BITCOIN NEWS
    ///   - DOGE-BTC
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// A tag written in another letter case is uppercased by a safe fix
    /// when the uppercase form is in the format and not already a tag of
    /// the article, keeping the value's quoting.
    pub struct InvalidTag {
        code: "editorial/invalid-tag",
        severity: Error,
        fix: Safe,
    }
}

/// A tag as compared for variants: words joined by one space, lowercase.
fn fold(tag: &str) -> String {
    tag.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Rule for InvalidTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn keys(&self) -> &'static [&'static str] {
        &["tags"]
    }

    // The built-in format is the built-in contract's convention; with a
    // newsroom's own schema, that schema (or the configured pattern) says.
    fn inactive_reason(&self, settings: &crate::settings::Settings) -> Option<String> {
        let configured = settings.tag_pattern().is_some();
        super::convention_inactive(self, settings, configured, "editorial.tag-pattern")
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(tags) = super::tags(ctx) else {
            return;
        };
        let check = super::tag_format(ctx.settings);
        for node in tags {
            let Some(tag) = node.as_str() else { continue };
            if mangling(tag.trim()).is_some() || check.accepts_spaced(tag) {
                continue;
            }
            // A case or spacing variant of another tag of the article is
            // `text/near-duplicate-tag`'s: one problem, one finding.
            let folded = fold(tag);
            let variant = tags
                .iter()
                .filter(|n| !std::ptr::eq(*n, node))
                .filter_map(|n| n.as_str())
                .any(|other| fold(other) == folded);
            if variant {
                continue;
            }
            let listed = |t: &str| tags.iter().any(|n| n.as_str() == Some(t));
            let mut finding = Finding::new(
                node.span.clone(),
                format!(
                    "tag `{}` is not in the site's tag format: {}",
                    copydesk_schema::validate::truncate(tag, 60),
                    check.form()
                ),
            );
            match case_fix(ctx, node, &tag.to_uppercase(), &check) {
                Some((upper, fix)) if !listed(&upper) => {
                    finding = finding.help(format!("write it `{upper}`")).fix(fix);
                }
                Some((upper, _)) => {
                    finding = finding.help(format!(
                        "the article already has `{upper}`: remove this one"
                    ));
                }
                None => finding = finding.help(check.help()),
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::date::testing::*;

    const CODE: &str = InvalidTag::META.code;

    #[test]
    fn examples() {
        check_examples(&InvalidTag::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn lowercase_is_uppercased_unless_listed() {
        let text = "---\ntags: [bitcoin, 'Shiba Inu', BITCOIN, 'BITCOIN  NEWS', '-X']\n---\n";
        let found = lint_only(CODE, text);
        // `bitcoin` beside `BITCOIN` is text/near-duplicate-tag's.
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(span_text(&found[0]), "'Shiba Inu'");
        let fixed = apply(text, found[0].fix.as_ref().expect("a fix"));
        assert!(fixed.contains("'SHIBA INU'"), "{fixed}");
    }

    #[test]
    fn a_configured_pattern_replaces_the_format() {
        let mut config = Config::default();
        config.editorial.tag_pattern = Some("[a-z]+(-[a-z]+)*".into());
        let found = lint_with(
            only(CODE, config.clone()),
            "---\ntags: [bitcoin-news, BTC]\n---\n",
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(span_text(&found[0]), "BTC");
        assert!(
            found[0].message.contains("`editorial.tag-pattern`"),
            "{}",
            found[0].message
        );
        // The pattern is matched whole, anchored or not as written.
        assert_eq!(
            lint_with(only(CODE, config), "---\ntags: [x-bitcoin-news-y1]\n---\n").len(),
            1
        );
    }
}
