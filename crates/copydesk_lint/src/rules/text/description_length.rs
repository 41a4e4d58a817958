//! `text/description-length`.

use crate::config::Text;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, title_length::bounds, Hit, Kind};

declare_rule! {
    /// A description shorter or longer than the newsroom's SEO bounds (off by default).
    ///
    /// ## Why is this bad?
    ///
    /// Search engines show about 160 characters of a description and ignore
    /// a very short one. This is an opinion, not a defect: real descriptions
    /// run past 200 characters (the seed's is about 190), so the rule is off
    /// until a newsroom turns it on (`"text/description-length" = "warning"`
    /// under `[rules]`) and sets `text.description-min-length` and
    /// `text.description-max-length` (default 50 and 160 characters). A long
    /// description is reported on the characters past the bound.
    ///
    /// ## Examples
    ///
    /// ```toml
    /// [rules]
    /// "text/description-length" = "warning"
    /// ```
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// description: Miners pivot.
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// description: Former cryptocurrency miners pivot towards providing computing resources for AI.
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Rewrite the description within the bounds, or change them.
    pub struct DescriptionLength {
        code: "text/description-length",
        severity: Warning,
        fix: None,
        enabled: false,
    }
}

impl Rule for DescriptionLength {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::DescriptionLength, out);
    }
}

/// Reports a description outside the configured bounds.
pub(super) fn check(cfg: &Text, description: &str, out: &mut Vec<Hit>) {
    bounds(
        Kind::DescriptionLength,
        "description",
        "description",
        (cfg.description_min_length, cfg.description_max_length),
        description,
        out,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&DescriptionLength::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(DescriptionLength::META.code);
    }
}
