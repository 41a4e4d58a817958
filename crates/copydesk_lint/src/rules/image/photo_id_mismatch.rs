//! `image/photo-id-mismatch`.

use copydesk_schema::validate::truncate;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::image::{cover_urls, photo_id};

declare_rule! {
    /// The `coverImage` URLs do not all name the same Unsplash photo.
    ///
    /// ## Why is this bad?
    ///
    /// The six URLs are the sizes of one photo: the page picks one by
    /// screen width and the social card another. When one of them was
    /// pasted from another photo, readers see a different picture depending
    /// on their device, and the credit line is wrong for one of them.
    ///
    /// Each URL must name `photo-<id>` in its path (`small_s3`'s path ends
    /// with it). The id most of the URLs name is taken as the right one (the
    /// first URL's on a tie); every URL naming another id, or none, is
    /// reported, with a label on a URL that has the expected id. Only URLs
    /// that parse and are on an allowed host are compared: the other
    /// `image/*` rules report the rest.
    ///
    /// This is the built-in `coverImage` shape's convention: with another
    /// `[fields] cover`, the rule is inactive.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// coverImage:
    ///   raw: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?ixid=M3w4&ixlib=rb-4.1.0'
    ///   thumb: 'https://images.unsplash.com/photo-1518546305927-5a555bb7020d?fm=jpg&q=80&w=200'
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// coverImage:
    ///   raw: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?ixid=M3w4&ixlib=rb-4.1.0'
    ///   thumb: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=200'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Copy all six URLs again from the same photo's `urls` object. There
    /// is no automatic fix: the odd URL may be the right photo.
    pub struct PhotoIdMismatch {
        code: "image/photo-id-mismatch",
        severity: Error,
        fix: None,
    }
}

impl Rule for PhotoIdMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Cover]
    }

    fn inactive_reason(&self, settings: &crate::settings::Settings) -> Option<String> {
        super::unsplash_inactive(self, settings)
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let covers = cover_urls(ctx);
        let named: Vec<_> = covers
            .iter()
            .filter_map(|c| Some((c, photo_id(c.allowed_url(ctx.settings)?))))
            .collect();
        // The most common id; `max_by_key` keeps the last maximum, so the
        // candidates are scanned in reverse to let the first URL win a tie.
        let expected = named
            .iter()
            .rev()
            .filter_map(|(c, id)| id.map(|id| (c, id)))
            .max_by_key(|(_, id)| named.iter().filter(|(_, other)| *other == Some(id)).count());
        for (cover, id) in &named {
            let mut finding = match (id, expected) {
                (Some(id), Some((_, want))) if *id == want => continue,
                (Some(id), Some((reference, want))) => Finding::new(
                    cover.node.span.clone(),
                    format!(
                        "`{}` names photo `{}`, not `{}` as `{}` does",
                        cover.key_path(),
                        truncate(id, 60),
                        truncate(want, 60),
                        reference.key_path()
                    ),
                ),
                _ => Finding::new(
                    cover.node.span.clone(),
                    format!(
                        "`{}` names no Unsplash photo (`photo-<id>` in its path)",
                        cover.key_path()
                    ),
                ),
            };
            if let Some((reference, want)) = expected {
                finding = finding.label(
                    reference.node.span.clone(),
                    format!("names photo `{}`", truncate(want, 60)),
                );
            }
            out.push(finding.help(
                "the six URLs are one photo's sizes: copy them together from the same Unsplash photo",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    const CODE: &str = PhotoIdMismatch::META.code;

    const A: &str = "1647485938389-91df46750f1b";
    const B: &str = "1518546305927-5a555bb7020d";

    fn cover(ids: [Option<&str>; 6]) -> String {
        let mut text = "---\ncoverImage:\n".to_owned();
        for (variant, id) in super::super::VARIANTS.iter().zip(ids) {
            let path = id.map_or("/nothing".to_owned(), |id| format!("/photo-{id}"));
            let url = if *variant == "small_s3" {
                format!("https://s3.us-west-2.amazonaws.com/images.unsplash.com/small{path}")
            } else {
                format!("https://images.unsplash.com{path}?w=1")
            };
            text.push_str(&format!("  {variant}: '{url}'\n"));
        }
        text.push_str("---\n");
        text
    }

    #[test]
    fn examples() {
        check_examples(&PhotoIdMismatch::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn same_id_everywhere_is_fine() {
        assert!(lint_only(CODE, &cover([Some(A); 6])).is_empty());
    }

    #[test]
    fn the_odd_one_out_is_reported_with_a_label() {
        let text = cover([Some(B), Some(A), Some(A), Some(A), Some(A), Some(A)]);
        let found = lint_only(CODE, &text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(
            span_text(d),
            format!("'https://images.unsplash.com/photo-{B}?w=1'")
        );
        assert_eq!(
            d.message,
            format!("`coverImage.raw` names photo `{B}`, not `{A}` as `coverImage.full` does")
        );
        assert_eq!(
            related_texts(d),
            vec![(
                format!("'https://images.unsplash.com/photo-{A}?w=1'").as_str(),
                format!("names photo `{A}`").as_str()
            )]
        );
    }

    #[test]
    fn small_s3_and_missing_ids() {
        let text = cover([Some(A), Some(A), None, Some(A), Some(A), Some(B)]);
        let found = lint_only(CODE, &text);
        let got: Vec<_> = found.iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            got,
            vec![
                "`coverImage.regular` names no Unsplash photo (`photo-<id>` in its path)"
                    .to_owned(),
                format!(
                    "`coverImage.small_s3` names photo `{B}`, not `{A}` as `coverImage.raw` does"
                ),
            ]
        );
    }

    #[test]
    fn a_tie_goes_to_the_first_url() {
        let text = cover([Some(B), Some(B), Some(B), Some(A), Some(A), Some(A)]);
        let found = lint_only(CODE, &text);
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|d| d
            .message
            .ends_with(&format!("not `{B}` as `coverImage.raw` does"))));
    }

    #[test]
    fn foreign_hosts_and_broken_urls_are_not_compared() {
        let text = cover([Some(A); 6]).replace(
            &format!("  thumb: 'https://images.unsplash.com/photo-{A}?w=1'"),
            "  thumb: 'https://example.com/cat.jpg'",
        );
        assert!(lint_only(CODE, &text).is_empty());
        let text = cover([Some(A); 6]).replace(
            &format!("  thumb: 'https://images.unsplash.com/photo-{A}?w=1'"),
            "  thumb: 'images.unsplash.com/photo-{B}'",
        );
        assert!(lint_only(CODE, &text).is_empty());
    }
}
