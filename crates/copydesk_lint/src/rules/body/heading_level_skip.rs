//! `body/heading-level-skip`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A heading is more than one level deeper than the heading before it.
    ///
    /// ## Why is this bad?
    ///
    /// Headings form the article's outline: screen readers navigate by it and
    /// search engines read it. Jumping from `##` to `####` leaves a hole in
    /// the outline, and the styles of the skipped level never apply. The
    /// title in the front matter is the page's level-1 heading, so the body's
    /// first heading should be a `##` (or a `#`, which
    /// `body/level-one-heading` reports on its own).
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: Miners pivot to AI compute
    /// ---
    /// ## Overview
    ///
    /// #### Costs
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
    /// ### Costs
    ///
    /// ## From the author
    /// ```
    ///
    /// ## Fix
    ///
    /// Make the heading one level deeper than the previous one at most (here
    /// `### Costs`), or add the missing intermediate heading. There is no
    /// automatic fix: changing one level can unbalance the headings below it.
    pub struct HeadingLevelSkip {
        code: "body/heading-level-skip",
        severity: Warning,
        fix: None,
    }
}

fn hashes(level: u8) -> String {
    "#".repeat(usize::from(level))
}

/// "level 3" or "levels 2 and 3" or "levels 2, 3 and 4".
fn skipped(from: u8, to: u8) -> String {
    let levels: Vec<String> = (from..to).map(|l| l.to_string()).collect();
    match levels.split_last() {
        Some((last, [])) => format!("level {last}"),
        Some((last, rest)) => format!("levels {} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl Rule for HeadingLevelSkip {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(headings) = super::headings(ctx) else {
            return;
        };
        // The front matter's title is the implicit level-1 heading the
        // first body heading hangs from.
        let mut previous: Option<&super::Heading> = None;
        for h in headings {
            let prev_level = previous.map_or(1, |p| p.level);
            if h.level > prev_level + 1 {
                let expected = prev_level + 1;
                let message = format!(
                    "heading level {} follows level {prev_level}, skipping {}",
                    h.level,
                    skipped(expected, h.level)
                );
                let mut finding = Finding::new(h.span.clone(), message).help(format!(
                    "make it a `{}` heading, or add the missing level above it",
                    hashes(expected)
                ));
                finding = match previous {
                    Some(p) => finding.label(
                        p.span.clone(),
                        format!("previous heading, level {}", p.level),
                    ),
                    None => match ctx
                        .settings
                        .field(crate::rule::Field::Title)
                        .and_then(|p| ctx.root()?.pointer(p.iter()))
                    {
                        Some(title) => finding.label(title.span.clone(), "the title is level 1"),
                        None => finding,
                    },
                };
                out.push(finding);
            }
            previous = Some(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::lint_only;

    #[test]
    fn skips_are_found_and_labelled() {
        let code = "body/heading-level-skip";
        let text = "---\ntitle: x\n---\n## A\n\n#### B\n\n### C\n\n## D\n\n### E\n\nF\n---\n";
        let found = lint_only(code, text);
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!(&text[d.span.clone()], "#### B");
        assert_eq!(
            d.message,
            "heading level 4 follows level 2, skipping level 3"
        );
        assert_eq!(&text[d.related[0].span.clone()], "## A");
    }

    #[test]
    fn first_heading_hangs_from_the_title() {
        let code = "body/heading-level-skip";
        let text = "---\ntitle: x\n---\n#### Deep\n";
        let found = lint_only(code, text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "heading level 4 follows level 1, skipping levels 2 and 3"
        );
        assert_eq!(&text[found[0].related[0].span.clone()], "x");
        assert!(lint_only(code, "---\ntitle: x\n---\n# A\n\n## B\n").is_empty());
        // Going back up any number of levels is fine.
        assert!(lint_only(
            code,
            "---\ntitle: x\n---\n## A\n\n### B\n\n#### C\n\n## D\n"
        )
        .is_empty());
    }
}
