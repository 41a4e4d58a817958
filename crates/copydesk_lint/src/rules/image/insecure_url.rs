//! `image/insecure-url`.

use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::editorial::{content_start, rewrite_scalar};
use crate::rules::image::cover_urls;

declare_rule! {
    /// A `coverImage` URL is not `https`.
    ///
    /// ## Why is this bad?
    ///
    /// The site is served over HTTPS: browsers block or flag an `http://`
    /// image on an `https://` page (mixed content), so the cover is missing
    /// or the page loses its padlock. Other schemes (`ftp://`) do not load
    /// in an `<img>` at all.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// coverImage:
    ///   thumb: 'http://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=200'
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
    /// Write `https://`. When the URL is `http://` and its host is on the
    /// allowed list (those hosts all serve HTTPS), a safe fix rewrites the
    /// scheme and leaves the rest of the value, quotes included, as it is.
    pub struct InsecureUrl {
        code: "image/insecure-url",
        severity: Error,
        fix: Safe,
    }
}

impl Rule for InsecureUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Cover]
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for cover in cover_urls(ctx) {
            let Some(url) = cover.url else {
                continue;
            };
            let scheme = url.scheme;
            if scheme == "https" {
                continue;
            }
            let mut finding = Finding::new(
                cover.node.span.clone(),
                format!("`{}` uses `{scheme}://`, not `https://`", cover.key_path()),
            )
            .help("serve cover images over `https://`");
            // Only a plainly written value is edited in place, and only the
            // scheme: the rest of the URL and its quoting stay byte for byte.
            let start = content_start(ctx.text(), cover.node);
            let plain_http = ctx
                .text()
                .get(start..start + 5)
                .is_some_and(|s| s.eq_ignore_ascii_case("http:"));
            // Only a listed host is known to serve the same image over
            // https: an unlisted one in a newsroom's own field gets no fix.
            let listed = cover.variant.is_some() || super::host_list(ctx.settings).is_some();
            let allowed = listed && url.host.is_some_and(|h| cover.host_ok(ctx.settings, h));
            if scheme == "http"
                && plain_http
                && allowed
                && rewrite_scalar(ctx.text(), cover.node, cover.text).is_some()
            {
                finding = finding.fix(Fix::replace(
                    Applicability::Safe,
                    "Use `https://`",
                    start..start + 4,
                    "https",
                ));
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::date::testing::*;

    const CODE: &str = InsecureUrl::META.code;

    #[test]
    fn examples() {
        check_examples(&InsecureUrl::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn http_on_an_allowed_host_is_fixed() {
        let text = "---\ncoverImage:\n  small: \"HTTP://images.unsplash.com/photo-1?w=400\"\n  small_s3: http://s3.us-west-2.amazonaws.com/images.unsplash.com/small/photo-1\n---\n";
        let found = lint_only(CODE, text);
        assert_eq!(found.len(), 2);
        let d = &found[0];
        assert_eq!(span_text(d), "\"HTTP://images.unsplash.com/photo-1?w=400\"");
        assert_eq!(
            d.message,
            "`coverImage.small` uses `http://`, not `https://`"
        );
        let fix = d.fix.as_ref().expect("fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits.len(), 1);
        assert_eq!(&text[fix.edits[0].range.clone()], "HTTP");
        assert_eq!(fix.edits[0].replacement, "https");
        let d = &found[1];
        assert_eq!(
            span_text(d),
            "http://s3.us-west-2.amazonaws.com/images.unsplash.com/small/photo-1"
        );
        assert_eq!(
            d.message,
            "`coverImage.small_s3` uses `http://`, not `https://`"
        );
        let fix2 = d.fix.as_ref().expect("fix");
        let fixed = apply(&apply(text, fix2), fix);
        assert_eq!(
            fixed,
            "---\ncoverImage:\n  small: \"https://images.unsplash.com/photo-1?w=400\"\n  small_s3: https://s3.us-west-2.amazonaws.com/images.unsplash.com/small/photo-1\n---\n"
        );
        assert!(lint_only(CODE, &fixed).is_empty());
    }

    #[test]
    fn no_fix_for_other_hosts_or_schemes() {
        let text = "---\ncoverImage:\n  thumb: 'http://example.com/photo-1'\n  small: 'ftp://images.unsplash.com/photo-1'\n---\n";
        let found = lint_only(CODE, text);
        let got: Vec<_> = found
            .iter()
            .map(|d| (d.message.as_str(), d.fix.is_some()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("`coverImage.thumb` uses `http://`, not `https://`", false),
                ("`coverImage.small` uses `ftp://`, not `https://`", false),
            ]
        );
        // With the host allowed (or the list empty), the fix is offered.
        let mut config = only(CODE, Config::default());
        config.editorial.image_hosts.clear();
        let found = lint_with(config, text);
        assert!(found[0].fix.is_some());
        assert!(found[1].fix.is_none());
    }

    #[test]
    fn unparsable_urls_are_left_to_invalid_url() {
        let text = "---\ncoverImage:\n  thumb: 'http://images.unsplash.com:99999/photo-1'\n---\n";
        assert!(lint_only(CODE, text).is_empty());
    }
}
