//! `image/missing-cover`.

use copydesk_schema::yaml::ScalarValue;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The article has no cover image: `coverImage` is missing or null.
    ///
    /// ## Why is this bad?
    ///
    /// Listings, social cards and feeds show the cover photo; without one
    /// the article appears with an empty frame or a generic placeholder.
    /// The site itself accepts `coverImage: null`, so this is its own rule:
    /// a newsroom that publishes text-only stories can lower it to a
    /// warning (`"image/missing-cover" = "warning"` under `[rules]`) or turn
    /// it off, without silencing anything else about covers.
    ///
    /// A required cover is the built-in contract's: for a newsroom's own cover
    /// field (`[fields] cover`), this rule runs only when it is set under
    /// `[rules]`.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: Bitcoin miners pivot to AI
    /// coverImage: null
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Bitcoin miners pivot to AI
    /// coverImage:
    ///   raw: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?ixid=M3w&ixlib=rb-4.1.0'
    ///   full: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=85'
    ///   regular: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=1080'
    ///   small: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=400'
    ///   thumb: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=200'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Pick a photo and paste its Unsplash `urls` object under
    /// `coverImage`. There is no automatic fix.
    pub struct MissingCover {
        code: "image/missing-cover",
        severity: Error,
        fix: None,
    }
}

impl Rule for MissingCover {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Cover]
    }

    // The built-in contract requires a cover; in a newsroom's own field,
    // an article without an image is usually legitimate.
    fn inactive_reason(&self, settings: &crate::settings::Settings) -> Option<String> {
        settings.unmet(self.keys(), self.fields()).or_else(|| {
            (!super::unsplash_shape(settings) && !settings.requested(Self::META.code))
            .then(|| {
                format!(
                    "a cover image is the built-in contract's requirement; set \"{}\" under [rules] to require one in [fields] cover",
                    Self::META.code
                )
            })
        })
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(root) = ctx.root() else {
            return;
        };
        let paths = ctx.settings.field_paths(crate::rule::Field::Cover);
        let help = if super::unsplash_shape(ctx.settings) {
            "add the cover photo's Unsplash `urls` object under `coverImage` (raw, full, regular, small, thumb)".to_owned()
        } else {
            format!(
                "add the cover image's URL under `{}`",
                ctx.settings.field_name(crate::rule::Field::Cover)
            )
        };
        let mut null = None;
        for path in paths {
            let parent = match path.segments().split_last() {
                Some((_, [])) => Some(root),
                Some((_, parent)) => root.pointer(parent.iter().map(String::as_str)),
                None => None,
            };
            let Some(entry) = parent.and_then(|p| p.entry(path.leaf())) else {
                continue;
            };
            let is_null = entry
                .value
                .as_scalar()
                .is_some_and(|s| s.value == ScalarValue::Null);
            if !is_null {
                return;
            }
            null = null.or(Some((path, entry)));
        }
        match null {
            None => {
                let names: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
                out.push(
                    Finding::new(
                        ctx.block_anchor(),
                        format!("the article has no {}", names.join(" or ")),
                    )
                    .help(help),
                );
            }
            Some((path, entry)) => {
                // `coverImage:` with nothing after it has an empty value
                // span: point at the key then.
                let span = if entry.value.span.is_empty() {
                    entry.key.span.clone()
                } else {
                    entry.value.span.clone()
                };
                out.push(
                    Finding::new(
                        span,
                        format!("`{path}` is null: the article has no cover image"),
                    )
                    .help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    const CODE: &str = MissingCover::META.code;

    #[test]
    fn examples() {
        check_examples(&MissingCover::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn missing_null_and_empty_point_at_the_right_place() {
        let found = lint_only(CODE, "---\ntitle: x\n---\n");
        assert_eq!(span_text(&found[0]), "---");
        assert_eq!(found[0].message, "the article has no `coverImage`");
        let found = lint_only(CODE, "---\ntitle: x\ncoverImage: ~\n---\n");
        assert_eq!(span_text(&found[0]), "~");
        let found = lint_only(CODE, "---\ntitle: x\ncoverImage:\n---\n");
        assert_eq!(span_text(&found[0]), "coverImage");
        assert!(lint_only(CODE, SEED).is_empty());
    }
}
