//! `body/empty-body`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The article has front matter but no text after it.
    ///
    /// ## Why is this bad?
    ///
    /// An article whose body is missing or only blank lines publishes as an
    /// empty page under a real headline: usually an import or a rewrite
    /// step failed and nobody noticed.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: CoreWeave shows how crypto-era infrastructure became AI's backbone
    /// ---
    ///
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: CoreWeave shows how crypto-era infrastructure became AI's backbone
    /// ---
    /// Former miners now rent their data centers to AI companies.
    /// ```
    ///
    /// ## Fix
    ///
    /// Write the article's text after the closing `---`, or re-run the
    /// import that produced the file. There is no automatic fix.
    pub struct EmptyBody {
        code: "body/empty-body",
        severity: Warning,
        fix: None,
    }
}

impl Rule for EmptyBody {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(fm) = ctx.front_matter() else {
            return;
        };
        let body = ctx.text().get(fm.body.clone()).unwrap_or_default();
        if body.trim().is_empty() {
            out.push(
                Finding::new(
                    fm.close_fence.clone(),
                    "the article has no body after its front matter",
                )
                .help("write the article's text after this closing `---`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::lint_only;

    #[test]
    fn missing_blank_and_present_bodies() {
        let code = "body/empty-body";
        let missing = lint_only(code, "---\ntitle: x\n---");
        assert_eq!(missing.len(), 1);
        assert_eq!(&missing[0].source.text[missing[0].span.clone()], "---");
        assert_eq!(missing[0].line_cols().0.line, 3);
        assert_eq!(lint_only(code, "---\ntitle: x\n...\r\n \r\n\t\n").len(), 1);
        assert!(lint_only(code, "---\ntitle: x\n---\nText.\n").is_empty());
    }
}
