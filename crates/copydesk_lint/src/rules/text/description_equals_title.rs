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

/// `s` lowercased with whitespace runs as one space, the edges trimmed and
/// a closing full stop, ellipsis or exclamation dropped: a title and the
/// same words with a full stop are the same text.
fn normalized(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', '…', '!'])
        .trim_end()
        .to_lowercase()
}

/// The finding when the description repeats the title; none when either
/// is a placeholder, which is its own finding.
pub(super) fn check(root: &Node, entries: &[Entry]) -> Option<Entry> {
    let title = root.get("title")?;
    let description = root.get("description")?;
    let (t, d) = (
        normalized(title.as_str()?),
        normalized(description.as_str()?),
    );
    if t.is_empty() || t != d || entries.iter().any(|e| e.kind == Kind::Placeholder) {
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
