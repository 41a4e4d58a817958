//! `text/truncated-title`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

use super::{report, Hit, Kind};

declare_rule! {
    /// A title that ends in an ellipsis (`…` or `...`): the feed cut it off.
    ///
    /// ## Why is this bad?
    ///
    /// Feeds shorten long headlines and mark the cut with an ellipsis; an
    /// import that takes the feed's title publishes half a headline. A
    /// description ending in `…` is an excerpt, which is what a description
    /// is, and is not reported.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: CoreWeave shows how crypto-era infrastructure quietly became…
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: CoreWeave shows how crypto-era infrastructure quietly became AI’s backbone
    /// description: The landscape of data centers is undergoing a transformation…
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Write the whole headline, from the source article.
    pub struct TruncatedTitle {
        code: "text/truncated-title",
        severity: Warning,
        fix: None,
    }
}

impl Rule for TruncatedTitle {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        report(ctx, Kind::TruncatedTitle, out);
    }
}

/// Reports a title whose last characters are an ellipsis.
pub(super) fn check(title: &str, out: &mut Vec<Hit>) {
    let trimmed = title.trim_end();
    let dots = if trimmed.ends_with('…') {
        '…'.len_utf8()
    } else if trimmed.ends_with("...") {
        trimmed.len() - trimmed.trim_end_matches('.').len()
    } else {
        return;
    };
    if trimmed.len() == dots {
        return;
    }
    let range = trimmed.len() - dots..trimmed.len();
    out.push(Hit::new(
        Kind::TruncatedTitle,
        range,
        "the title ends in an ellipsis: it looks cut off by the feed".to_owned(),
        "write the whole headline",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    #[test]
    fn examples() {
        check_examples(&TruncatedTitle::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(TruncatedTitle::META.code);
    }

    #[test]
    fn the_ellipsis_is_the_span() {
        for (title, dots) in [("Miners pivot…", "…"), ("'Miners pivot...'", "...")] {
            let found = lint_only(
                TruncatedTitle::META.code,
                &format!("---\ntitle: {title}\n---\n"),
            );
            assert_eq!(found.len(), 1, "{title}");
            assert_eq!(span_text(&found[0]), dots);
        }
    }
}
