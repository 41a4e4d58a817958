//! `image/host-not-allowed`.

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::image::cover_urls;

declare_rule! {
    /// A `coverImage` URL is on a host that is not on the allowed list.
    ///
    /// ## Why is this bad?
    ///
    /// Cover images must come from hosts the newsroom has a licence and a
    /// content-security policy for. An image hot-linked from anywhere else
    /// can disappear, change, be blocked by the site's CSP, or be a
    /// copyright claim waiting to happen.
    ///
    /// The five Unsplash variants are checked against
    /// `editorial.image-hosts` (default `images.unsplash.com`), and
    /// `small_s3` against `editorial.s3-hosts` (default `*.amazonaws.com`);
    /// `*.example.com` allows the subdomains of example.com. An empty list
    /// allows any host.
    ///
    /// The default list is Unsplash's: for a newsroom's own cover field
    /// (`[fields] cover`), the rule runs once `editorial.image-hosts` lists the
    /// newsroom's hosts.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// coverImage:
    ///   regular: 'https://plus.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=1080'
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// coverImage:
    ///   regular: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=1080'
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Use the photo's URL on an allowed host, or, when the host is one the
    /// newsroom trusts, add it to `editorial.image-hosts` (or
    /// `editorial.s3-hosts`) in copydesk.toml. No rebuild is needed.
    pub struct HostNotAllowed {
        code: "image/host-not-allowed",
        severity: Error,
        fix: None,
    }
}

impl Rule for HostNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [crate::rule::Field] {
        &[crate::rule::Field::Cover]
    }

    // The default list is Unsplash's: it says nothing about a newsroom's
    // own cover field until the newsroom lists its hosts.
    fn inactive_reason(&self, settings: &crate::settings::Settings) -> Option<String> {
        settings.unmet(self.keys(), self.fields()).or_else(|| {
            super::host_list(settings).is_none().then(|| {
                "the default host list is Unsplash's, for the built-in `coverImage` shape; list the newsroom's hosts in `editorial.image-hosts`".to_owned()
            })
        })
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for cover in cover_urls(ctx) {
            let Some(host) = cover.url.and_then(|u| u.host) else {
                continue;
            };
            if cover.host_ok(ctx.settings, host) {
                continue;
            }
            let editorial = &ctx.settings.config.editorial;
            let (what, key, list) = if cover.is_s3() {
                ("S3 host", "editorial.s3-hosts", &editorial.s3_hosts)
            } else {
                (
                    "image host",
                    "editorial.image-hosts",
                    &editorial.image_hosts,
                )
            };
            let allowed = list
                .iter()
                .map(|h| format!("`{h}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Finding::new(
                    cover.node.span.clone(),
                    format!(
                        "`{}` is on `{host}`, which is not an allowed {what}",
                        cover.key_path()
                    ),
                )
                .help(format!(
                    "use a URL on {allowed}, or add `{host}` to `{key}` in copydesk.toml"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::date::testing::*;

    const CODE: &str = HostNotAllowed::META.code;

    #[test]
    fn examples() {
        check_examples(&HostNotAllowed::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn each_variant_against_its_own_list() {
        let text = "---\ncoverImage:\n  raw: 'https://images.unsplash.com/photo-1'\n  thumb: 'https://s3.amazonaws.com/photo-1'\n  small_s3: 'https://images.unsplash.com/small/photo-1'\n---\n";
        let found = lint_only(CODE, text);
        let got: Vec<_> = found
            .iter()
            .map(|d| (span_text(d), d.message.as_str(), d.help.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "'https://s3.amazonaws.com/photo-1'",
                    "`coverImage.thumb` is on `s3.amazonaws.com`, which is not an allowed image host",
                    Some("use a URL on `images.unsplash.com`, or add `s3.amazonaws.com` to `editorial.image-hosts` in copydesk.toml"),
                ),
                (
                    "'https://images.unsplash.com/small/photo-1'",
                    "`coverImage.small_s3` is on `images.unsplash.com`, which is not an allowed S3 host",
                    Some("use a URL on `*.amazonaws.com`, or add `images.unsplash.com` to `editorial.s3-hosts` in copydesk.toml"),
                ),
            ]
        );
        let (start, _) = found[0].line_cols();
        assert_eq!((start.line, start.column), (4, 10));
    }

    #[test]
    fn hosts_compare_without_case_and_lists_are_config() {
        let text = "---\ncoverImage:\n  thumb: 'https://IMAGES.Unsplash.com/photo-1'\n  small: 'https://cdn.example.org/photo-1'\n---\n";
        assert_eq!(lint_only(CODE, text).len(), 1);
        let mut config = only(CODE, Config::default());
        config.editorial.image_hosts.push("*.example.org".into());
        assert!(lint_with(config.clone(), text).is_empty());
        config.editorial.image_hosts.clear();
        assert!(
            lint_with(config, text).is_empty(),
            "an empty list allows any host"
        );
    }

    #[test]
    fn invalid_urls_are_left_to_invalid_url() {
        let text = "---\ncoverImage:\n  thumb: 'example.com/photo-1'\n---\n";
        assert!(lint_only(CODE, text).is_empty());
    }
}
