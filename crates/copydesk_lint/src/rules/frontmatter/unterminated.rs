//! `frontmatter/unterminated`.

use copydesk_schema::SplitError;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The front-matter block is opened with `---` (or `+++`, or a JSON
    /// `{`) but never closed.
    ///
    /// ## Why is this bad?
    ///
    /// Without a closing fence, the whole article — body included — reads
    /// as front matter: the site either fails to build or publishes an
    /// article with no body.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: AI Funding Pulse
    ///
    /// Bitcoin miners pivot to AI data centers.
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: AI Funding Pulse
    /// ---
    /// Bitcoin miners pivot to AI data centers.
    /// ```
    ///
    /// ## Fix
    ///
    /// Add a line `---` after the last front-matter key (`+++` for TOML;
    /// the matching `}` for JSON).
    pub struct UnterminatedFrontMatter {
        code: "frontmatter/unterminated",
        severity: Error,
        fix: None,
    }
}

impl Rule for UnterminatedFrontMatter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        if let Some(Err(SplitError::Unterminated { open_fence })) = &ctx.split {
            let help = match ctx.text().get(open_fence.clone()).map(str::trim_end) {
                Some("+++") => "add a line `+++` after the last front-matter key",
                Some("{") => "close the object with its matching `}` before the body",
                _ => "add a line `---` after the last front-matter key",
            };
            out.push(
                Finding::new(
                    open_fence.clone(),
                    "the front matter opened here is never closed",
                )
                .help(help),
            );
        }
    }
}
