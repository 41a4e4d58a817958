//! `frontmatter/empty`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The front-matter block has no keys.
    ///
    /// ## Why is this bad?
    ///
    /// An empty block (or one holding only comments) is an article with no
    /// metadata: usually a template that was never filled in.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// # fill in later
    /// ---
    /// Body.
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: AI Funding Pulse
    /// ---
    /// Body.
    /// ```
    ///
    /// ## Fix
    ///
    /// Write the article's keys between the fences.
    pub struct EmptyFrontMatter {
        code: "frontmatter/empty",
        severity: Error,
        fix: None,
    }
}

impl Rule for EmptyFrontMatter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let (Some(fm), Some(parse)) = (ctx.front_matter(), &ctx.parse) else {
            return;
        };
        let is_null = parse.root.as_ref().is_none_or(|r| {
            r.as_scalar()
                .is_some_and(|s| s.value == copydesk_schema::ScalarValue::Null)
        });
        if parse.issues.is_empty() && is_null {
            out.push(
                Finding::new(fm.open_fence.clone(), "the front matter is empty")
                    .label(fm.close_fence.clone(), "closed here with no keys in between")
                    .help("write the article's keys (title, description, publishedAt, …) between the fences"),
            );
        }
    }
}
