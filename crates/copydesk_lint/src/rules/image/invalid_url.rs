//! `image/invalid-url`.

use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::editorial::rewrite_scalar;
use crate::rules::image::{cover_urls, url_problem};

declare_rule! {
    /// A `coverImage` URL does not parse, or is not an absolute URL with a host.
    ///
    /// ## Why is this bad?
    ///
    /// The site builds the cover `<img>` and the social cards from these
    /// six URLs. A relative path, a typo in the scheme, a bad port or
    /// whitespace in the value gives a broken image on the page and in every
    /// share. URLs are parsed as browsers do (the WHATWG URL standard), and
    /// whitespace anywhere in the value is reported too, since a browser
    /// would silently encode or strip it.
    ///
    /// A URL this rule reports is not looked at by the other `image/*`
    /// rules.
    ///
    /// In a newsroom's own cover field (`[fields] cover`), a site-relative
    /// path (`/images/a.jpg`) is a legitimate URL; only what is no URL at all
    /// (whitespace, a bad port) is reported.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// coverImage:
    ///   thumb: 'images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=200'
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// coverImage:
    ///   thumb: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=200'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Copy the URL again from the photo's `urls` object. Whitespace around
    /// an otherwise good URL is removed by a safe fix.
    pub struct InvalidUrl {
        code: "image/invalid-url",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for InvalidUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Cover]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for cover in cover_urls(ctx) {
            let Some(problem) = cover.problem else {
                continue;
            };
            let mut finding = Finding::new(
                cover.node.span.clone(),
                format!("`{}` {problem}", cover.key_path()),
            )
            .help(if cover.variant.is_some() {
                "write the full URL, like `https://images.unsplash.com/photo-…`"
            } else {
                "write the image's URL, like `https://example.com/images/a.jpg` or `/images/a.jpg`"
            });
            let trimmed = cover.text.trim();
            if trimmed != cover.text && url_problem(cover.variant, trimmed).is_none() {
                if let Some(new) = rewrite_scalar(ctx.text(), cover.node, trimmed) {
                    finding = finding.fix(Fix::replace(
                        Applicability::Safe,
                        "Remove the whitespace around the URL",
                        cover.node.span.clone(),
                        new,
                    ));
                }
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    const CODE: &str = InvalidUrl::META.code;

    fn thumb(value: &str) -> String {
        format!("---\ncoverImage:\n  raw: 'https://images.unsplash.com/photo-1?ixid=a&ixlib=b'\n  thumb: {value}\n---\n")
    }

    #[test]
    fn examples() {
        check_examples(&InvalidUrl::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn messages() {
        for (value, message) in [
            (
                "'images.unsplash.com/photo-1'",
                "`coverImage.thumb` is not an absolute URL (it has no scheme such as `https://`)",
            ),
            (
                "'https://images.unsplash.com:99999/photo-1'",
                "`coverImage.thumb` is not a valid URL: invalid port number",
            ),
            (
                "'https://'",
                "`coverImage.thumb` is not a valid URL: empty host",
            ),
            (
                "'mailto:photos@unsplash.com'",
                "`coverImage.thumb` is not an absolute URL with a host",
            ),
            (
                "'https://images.unsplash.com/photo 1'",
                "`coverImage.thumb` contains whitespace",
            ),
            (
                "''",
                "`coverImage.thumb` is not an absolute URL (it has no scheme such as `https://`)",
            ),
        ] {
            let found = lint_only(CODE, &thumb(value));
            assert_eq!(found.len(), 1, "{value}");
            assert_eq!(span_text(&found[0]), value);
            assert_eq!(found[0].message, message);
            assert!(found[0].fix.is_none());
        }
    }

    #[test]
    fn whitespace_around_is_trimmed_keeping_quotes() {
        let text = thumb("' https://images.unsplash.com/photo-1?w=200 '");
        let found = lint_only(CODE, &text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(
            d.message,
            "`coverImage.thumb` has whitespace around the URL"
        );
        let fix = d.fix.as_ref().expect("a fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits.len(), 1);
        assert_eq!(fix.edits[0].range, d.span);
        assert_eq!(
            fix.edits[0].replacement,
            "'https://images.unsplash.com/photo-1?w=200'"
        );
        assert!(lint_only(CODE, &apply(&text, fix)).is_empty());
    }

    #[test]
    fn good_urls_and_other_types_are_not_reported() {
        assert!(lint_only(CODE, &thumb("https://images.unsplash.com/photo-1?w=200")).is_empty());
        // http, a foreign host or a number are other rules' findings.
        assert!(lint_only(CODE, &thumb("'http://example.com/x.jpg'")).is_empty());
        assert!(lint_only(CODE, &thumb("42")).is_empty());
    }
}
