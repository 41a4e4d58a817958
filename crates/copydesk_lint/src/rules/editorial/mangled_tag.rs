//! `editorial/mangled-tag`.

use super::format::{mangling, Mangling};
use super::rewrite_scalar;
use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A tag was mangled on its way from the feed: debris at its edges (`-DIGITAL-ASSETS`, `@handle`, `#BTC`) or punctuation turned into hyphens (`M-A` from `M&A`).
    ///
    /// ## Why is this bad?
    ///
    /// Importers and slugifiers break tags in recognisable ways: a word
    /// dropped before a hyphen leaves `-DIGITAL-ASSETS`, a social handle
    /// arrives as `@vitalikbuterin`, a hashtag keeps its `#`, and `M&A` or
    /// `U.S.` come out as `M-A` and `U-S`. Such a tag gets a topic page of
    /// its own that no reader finds, and splits the real topic's archive.
    /// This is a defect of the data, not a matter of style; a tag that is
    /// merely not in the site's format (`Bitcoin`) is
    /// `editorial/invalid-tag`.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// tags:
    ///   - -DIGITAL-ASSETS
    /// ---
    /// ```
    ///
    /// ```markdown
    /// ---
    /// tags: ['M-A']
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// tags:
    ///   - DIGITAL ASSETS
    ///   - DOGE-BTC
    ///   - K-POP
    ///   - S&P 500
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Debris at the edges is removed by a safe fix when what remains is a
    /// well-formed tag that the article does not already have
    /// (`-DIGITAL-ASSETS` → `DIGITAL-ASSETS`). A handle, or letters joined
    /// by hyphens, has no automatic fix: only an editor knows whether `M-A`
    /// was `M&A`.
    pub struct MangledTag {
        code: "editorial/mangled-tag",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for MangledTag {
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
        // Looked up once per mangled tag: a scan of the list each time
        // was quadratic in the number of tags.
        let listed: std::collections::HashSet<&str> =
            tags.iter().filter_map(|t| t.as_str()).collect();
        for node in tags {
            let Some(tag) = node.as_str() else { continue };
            let Some(how) = mangling(tag.trim()) else {
                continue;
            };
            let shown = copydesk_schema::validate::truncate(tag, 60);
            let finding = match how {
                Mangling::Edges(clean) => {
                    let mut f = Finding::new(
                        node.span.clone(),
                        format!("tag `{shown}` was mangled on import: stray characters at its edges"),
                    );
                    let listed = listed.contains(clean.as_str());
                    let well_formed = super::tag_format(ctx.settings).accepts(&clean);
                    if well_formed && !listed {
                        f = f.help(format!("the tag is `{clean}`"));
                        if let Some(new) = rewrite_scalar(ctx.text(), node, &clean) {
                            f = f.fix(Fix::replace(
                                Applicability::Safe,
                                format!("Write `{clean}`"),
                                node.span.clone(),
                                new,
                            ));
                        }
                    } else if listed {
                        f = f.help(format!("the article already has `{clean}`: remove this one"));
                    } else {
                        f = f.help("a social handle or a hashtag is not a topic: replace it with the topic's tag, or remove it");
                    }
                    f
                }
                Mangling::Letters => Finding::new(
                    node.span.clone(),
                    format!("tag `{shown}` was mangled on import: single letters joined by hyphens, where the feed had punctuation (`M&A`, `U.S.`)"),
                )
                .help("write the tag as the site's topic is named, or remove it"),
            };
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    const CODE: &str = MangledTag::META.code;

    #[test]
    fn examples() {
        check_examples(&MangledTag::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn edge_debris_is_removed_keeping_the_quoting() {
        let text = "---\ntags:\n  - '-DIGITAL-ASSETS'\n  - \"#BTC\"\n  - '@handle'\n---\n";
        let found = lint_only(CODE, text);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(span_text(&found[0]), "'-DIGITAL-ASSETS'");
        let fixed = apply(text, found[0].fix.as_ref().expect("a fix"));
        assert!(fixed.contains("  - 'DIGITAL-ASSETS'\n"), "{fixed}");
        let fixed = apply(text, found[1].fix.as_ref().expect("a fix"));
        assert!(fixed.contains("  - \"BTC\"\n"), "{fixed}");
        assert!(found[2].fix.is_none());
        // Already listed: no fix that would only make a duplicate.
        let text = "---\ntags: [BTC, '#BTC']\n---\n";
        let found = lint_only(CODE, text);
        assert!(found[0].fix.is_none());
    }
}
