//! `text/title-length`.

use crate::config::Text;
use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{chars, report, Hit, Kind};

declare_rule! {
    /// A title shorter or longer than the newsroom's SEO bounds (off by default).
    ///
    /// ## Why is this bad?
    ///
    /// Search engines cut long titles in their results and give little
    /// weight to very short ones. This is an opinion, not a defect: real
    /// headlines run past 150 characters, so the rule is off until a
    /// newsroom turns it on (`"text/title-length" = "warning"` under
    /// `[rules]`) and sets `text.title-min-length` and
    /// `text.title-max-length` (default 20 and 70 characters). A long title
    /// is reported on the characters past the bound.
    ///
    /// ## Examples
    ///
    /// ```toml
    /// [rules]
    /// "text/title-length" = "warning"
    /// ```
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: CoreWeave shows how crypto-era infrastructure quietly became AI’s backbone for good
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Crypto-era infrastructure quietly became AI’s backbone
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Rewrite the headline within the bounds, or change them.
    pub struct TitleLength {
        code: "text/title-length",
        severity: Warning,
        fix: None,
        enabled: false,
    }
}

impl Rule for TitleLength {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::TitleLength, out);
    }
}

/// Reports a value outside `min..=max` characters (after trimming): a long
/// one on its characters past `max`, a short one as a whole.
pub(super) fn bounds(
    kind: Kind,
    noun: &str,
    key: &str,
    (min, max): (usize, usize),
    value: &str,
    out: &mut Vec<Hit>,
) {
    let start = value.len() - value.trim_start().len();
    let trimmed = value.trim();
    let n = chars(trimmed);
    if n == 0 {
        return;
    }
    if n > max {
        let cut = trimmed
            .char_indices()
            .nth(max)
            .map_or(trimmed.len(), |(i, _)| i);
        out.push(Hit::new(
            kind,
            start + cut..start + trimmed.len(),
            format!(
                "the {noun} is {n} characters long, {} past the {max} of `text.{key}-max-length`",
                n - max
            ),
            format!("shorten the {noun} to at most {max} characters"),
        ));
    } else if n < min {
        out.push(Hit::new(
            kind,
            start..start + trimmed.len(),
            format!(
                "the {noun} is {n} characters long, under the {min} of `text.{key}-min-length`"
            ),
            format!("write a {noun} of at least {min} characters"),
        ));
    }
}

/// Reports a title outside the configured bounds.
pub(super) fn check(cfg: &Text, title: &str, out: &mut Vec<Hit>) {
    bounds(
        Kind::TitleLength,
        "title",
        "title",
        (cfg.title_min_length, cfg.title_max_length),
        title,
        out,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&TitleLength::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(TitleLength::META.code);
    }

    #[test]
    fn off_by_default() {
        let long = format!("---\ntitle: {}\n---\n", "word ".repeat(60).trim());
        let found = lint_with(crate::config::Config::default(), &long);
        assert!(found.iter().all(|d| d.code != TitleLength::META.code));
    }
}
