//! `body/level-one-heading`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The body has a level-1 heading (`# …` or a `===` underline).
    ///
    /// ## Why is this bad?
    ///
    /// The article's title lives in the front matter's `title`, and the site
    /// renders it as the page's only level-1 heading. A `#` heading in the
    /// body shows a second headline, usually a copy of the title left by an
    /// import, and breaks the page's outline for screen readers and search
    /// engines. A page whose front matter has no title (`[fields] title`)
    /// is left alone: there, the heading is the title.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI compute
    /// ---
    /// # Miners pivot to AI compute
    ///
    /// Former miners now rent their data centers to AI companies.
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI compute
    /// ---
    /// ## Overview
    ///
    /// Former miners now rent their data centers to AI companies.
    /// ```
    ///
    /// ## Fix
    ///
    /// Delete the heading when it repeats the title; otherwise make it a
    /// level-2 heading (`## …`) and shift its subheadings down by one.
    /// There is no automatic fix: which of the two is right needs a reader.
    pub struct LevelOneHeading {
        code: "body/level-one-heading",
        severity: Warning,
        fix: None,
    }
}

impl Rule for LevelOneHeading {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        // A page whose front matter has no title (an "About" page of a
        // static site) is titled by its heading: nothing is doubled.
        let title = ctx
            .root()
            .zip(ctx.settings.field(crate::rule::Field::Title))
            .and_then(|(root, path)| root.pointer(path.iter()));
        if title.is_none() {
            return;
        }
        let Some(headings) = super::headings(ctx) else {
            return;
        };
        for h in headings.iter().filter(|h| h.level == 1) {
            out.push(
                Finding::new(
                    h.span.clone(),
                    "a level-1 heading in the body: the title belongs in the front matter's `title`",
                )
                .help("delete it if it repeats the title, or make it a `##` heading"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::lint_only;

    #[test]
    fn atx_and_setext_level_one() {
        let code = "body/level-one-heading";
        let found = lint_only(code, "---\ntitle: x\n---\n# One\n\nTwo\n===\n\n## Fine\n");
        let texts: Vec<&str> = found
            .iter()
            .map(|d| &d.source.text[d.span.clone()])
            .collect();
        assert_eq!(texts, vec!["# One", "Two\n==="]);
        // A `#` inside a code block is not a heading.
        assert!(lint_only(code, "---\ntitle: x\n---\n```\n# not a heading\n```\n").is_empty());
        // Without a title in the front matter, the heading is the title.
        assert!(lint_only(code, "---\nlayout: page\n---\n# About\n\nUs.\n").is_empty());
    }
}
