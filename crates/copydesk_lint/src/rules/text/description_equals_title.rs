//! `text/description-equals-title`.

use copydesk_schema::yaml::Node;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Entry, Field, Kind};

declare_rule! {
    /// A description that repeats the title (ignoring case and spacing).
    ///
    /// ## Why is this bad?
    ///
    /// A feed with no summary fills the description with the headline:
    /// listings and search results then show the same words twice, and the
    /// article has no standfirst.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI
    /// description: Miners pivot to AI
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI
    /// description: Former cryptocurrency miners now rent their data centers to AI labs.
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Write a description that says what the article adds to its headline.
    pub struct DescriptionEqualsTitle {
        code: "text/description-equals-title",
        severity: Warning,
        fix: None,
    }
}

impl Rule for DescriptionEqualsTitle {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::DescriptionEqualsTitle, out);
    }
}

/// Whether `a` and `b` are the same words, ignoring case, spacing and a
/// closing full stop, ellipsis or exclamation mark; compared word by word
/// without building either string.
fn same_text(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.trim_end()
            .trim_end_matches(['.', '…', '!'])
            .trim_end()
            .to_owned()
    };
    let (a, b) = (a.trim_start(), b.trim_start());
    // Most descriptions are far longer than their title: no work for them.
    if a.len().abs_diff(b.len()) > 8 {
        return false;
    }
    let (a, b) = (strip(a), strip(b));
    let mut words = a.split_whitespace().zip(b.split_whitespace());
    a.split_whitespace().count() == b.split_whitespace().count()
        && !a.is_empty()
        && words.all(|(x, y)| {
            x.chars()
                .flat_map(char::to_lowercase)
                .eq(y.chars().flat_map(char::to_lowercase))
        })
}

/// The finding when the description repeats the title; none when either
/// is a placeholder, which is its own finding.
pub(super) fn check(
    title: Option<&Node>,
    description: Option<&Node>,
    entries: &[Entry],
) -> Option<Entry> {
    let (title, description) = (title?, description?);
    if !same_text(title.as_str()?, description.as_str()?)
        || entries.iter().any(|e| e.kind == Kind::Placeholder)
    {
        return None;
    }
    Some(Entry {
        kind: Kind::DescriptionEqualsTitle,
        field: Field::Description,
        range: 0..0,
        finding: Finding::new(
            description.span.clone(),
            "the description repeats the title",
        )
        .label(title.span.clone(), "the title")
        .help("write a description that says what the article adds to its headline"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&DescriptionEqualsTitle::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(DescriptionEqualsTitle::META.code);
    }

    #[test]
    fn case_and_spacing_do_not_hide_it() {
        let text = "---\ntitle: Miners pivot to AI\ndescription: '  miners PIVOT  to ai. '\n---\n";
        let found = lint_only(DescriptionEqualsTitle::META.code, text);
        assert_eq!(found.len(), 1);
        assert_eq!(span_text(&found[0]), "'  miners PIVOT  to ai. '");
    }
}
