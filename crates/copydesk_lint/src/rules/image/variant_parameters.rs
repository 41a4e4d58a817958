//! `image/variant-parameters`.

use std::borrow::Cow;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};
use crate::rules::image::cover_urls;
use crate::rules::image::parts::UrlParts;

declare_rule! {
    /// A `coverImage` URL lacks the parameters of its variant (`w`, `fm`, `q`, `ixid`/`ixlib`).
    ///
    /// ## Why is this bad?
    ///
    /// Unsplash serves every size from one image through URL parameters.
    /// A `thumb` with `w=1080` makes phones download a picture five times
    /// too big; a missing `fm=jpg` or `q` serves the original file, often
    /// several megabytes; a `raw` without `ixid`/`ixlib` is no longer the
    /// URL Unsplash's API gave, which its guidelines require for tracking.
    ///
    /// The parameters of each variant:
    ///
    /// - `raw`: `ixid` and `ixlib`;
    /// - `full`: `fm=jpg` and `q` from 1 to 100;
    /// - `regular`: `w=1080`, `fm=jpg` and `q`;
    /// - `small`: `w=400`, `fm=jpg` and `q`;
    /// - `thumb`: `w=200`, `fm=jpg` and `q`.
    ///
    /// `small_s3` is a plain copy and carries none. Only URLs that parse and
    /// are on an allowed host are checked, and a missing variant is
    /// `schema/missing-key`.
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
    ///   thumb: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?fm=jpg&q=80&w=400'
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
    /// Copy the variant's URL again from the photo's `urls` object, or set
    /// the parameter the message names.
    pub struct VariantParameters {
        code: "image/variant-parameters",
        severity: Error,
        fix: None,
    }
}

/// The first value of each of `keys` in `query`, decoded as
/// `Url::query_pairs` decodes it, in one pass. Only a pair whose name is
/// one of `keys`, or is encoded (`%77`, `+`), is decoded: the others (a
/// long `ixid` when it is not asked for) are skipped, not decoded for
/// nothing on every cover URL.
fn params<'q, const N: usize>(query: &'q str, keys: [&str; N]) -> [Option<Cow<'q, str>>; N] {
    let mut found: [Option<Cow<'q, str>>; N] = std::array::from_fn(|_| None);
    for pair in query.split('&') {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        if !keys.contains(&name) && !name.contains(['%', '+']) {
            continue;
        }
        let Some((name, value)) = url::form_urlencoded::parse(pair.as_bytes()).next() else {
            continue;
        };
        let slot = keys
            .iter()
            .position(|k| *k == name)
            .and_then(|i| found.get_mut(i));
        if let Some(slot @ None) = slot {
            *slot = Some(value);
        }
    }
    found
}

/// What is wrong with the parameters of `variant`, one phrase each.
fn problems(variant: &str, url: UrlParts<'_>) -> Vec<String> {
    let query = url.query.unwrap_or_default();
    let mut out = Vec::new();
    if variant == "raw" {
        let keys = ["ixid", "ixlib"];
        let missing: Vec<String> = keys
            .into_iter()
            .zip(params(query, keys))
            .filter(|(_, value)| value.as_ref().is_none_or(|v| v.is_empty()))
            .map(|(key, _)| format!("`{key}`"))
            .collect();
        if !missing.is_empty() {
            out.push(format!("lacks {}", and_list(&missing)));
        }
        return out;
    }
    let width = match variant {
        "regular" => Some("1080"),
        "small" => Some("400"),
        "thumb" => Some("200"),
        _ => None,
    };
    let [w, fm, q] = params(query, ["w", "fm", "q"]);
    if let Some(want) = width {
        match w {
            None => out.push(format!("lacks `w={want}`")),
            Some(w) if w != want => out.push(format!("has `w={w}` instead of `w={want}`")),
            Some(_) => {}
        }
    }
    match fm {
        None => out.push("lacks `fm=jpg`".to_owned()),
        Some(fm) if fm != "jpg" => out.push(format!("has `fm={fm}` instead of `fm=jpg`")),
        Some(_) => {}
    }
    match q {
        None => out.push("lacks `q`".to_owned()),
        Some(q) if !q.parse::<u8>().is_ok_and(|q| (1..=100).contains(&q)) => {
            out.push(format!("has `q={q}` (must be 1 to 100)"));
        }
        Some(_) => {}
    }
    out
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Rule for VariantParameters {
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
        for cover in cover_urls(ctx) {
            let Some(variant) = cover.variant.filter(|_| !cover.is_s3()) else {
                continue;
            };
            let Some(url) = cover.allowed_url(ctx.settings) else {
                continue;
            };
            let found = problems(variant, url);
            if found.is_empty() {
                continue;
            }
            let wanted = match variant {
                "raw" => "`ixid` and `ixlib`",
                "full" => "`fm=jpg` and a `q` from 1 to 100",
                "regular" => "`w=1080`, `fm=jpg` and a `q` from 1 to 100",
                "small" => "`w=400`, `fm=jpg` and a `q` from 1 to 100",
                _ => "`w=200`, `fm=jpg` and a `q` from 1 to 100",
            };
            out.push(
                Finding::new(
                    cover.node.span.clone(),
                    format!("`{}` {}", cover.key_path(), and_list(&found)),
                )
                .help(format!(
                    "the `{}` variant carries {wanted}; copy its URL again from the photo's `urls`",
                    variant
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::testing::*;

    const CODE: &str = VariantParameters::META.code;

    /// A parameter is what `Url::query_pairs` gives first for its name,
    /// however the query spells or encodes it.
    #[test]
    fn a_parameter_is_what_query_pairs_decodes_first() {
        let queries = [
            "w=1080&fm=jpg&q=80",
            "ixid=M3wxMjA3fDB8MXxzZWFyY2h8MXx8&ixlib=rb-4.1.0",
            "%77=400&f%6D=jpg&q=%38%30",
            "w=1+080&fm=j%2Bpg&q",
            "&&w=&w=200&fm=png&fm=jpg&q=101",
            "w+=1&+w=2&w%20=3&w=4",
            "ixid&ixlib=&q=80%",
            "fm=%E2%9C%93&q=%FF",
            "",
            "=&=x&w==5",
        ];
        for query in queries {
            let url = url::Url::parse(&format!("https://images.unsplash.com/photo-1?{query}"))
                .expect("a URL");
            let pairs: Vec<_> = url.query_pairs().collect();
            let keys = ["w", "fm", "q", "ixid", "ixlib"];
            let got = params(url.query().unwrap_or_default(), keys);
            for (key, got) in keys.into_iter().zip(got) {
                let want = pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
                assert_eq!(got, want, "{key} in {query:?}");
            }
        }
    }

    fn one(variant: &str, query: &str) -> Vec<crate::Diagnostic> {
        let text = format!(
            "---\ncoverImage:\n  {variant}: 'https://images.unsplash.com/photo-1647485938389-91df46750f1b?{query}'\n---\n"
        );
        lint_only(CODE, &text)
    }

    fn message(variant: &str, query: &str) -> Option<String> {
        let found = one(variant, query);
        assert!(found.len() <= 1);
        found.first().map(|d| d.message.clone())
    }

    #[test]
    fn examples() {
        check_examples(&VariantParameters::META);
    }

    #[test]
    fn fixtures() {
        check_fixtures(CODE);
    }

    #[test]
    fn seed_parameters_are_fine() {
        assert!(lint_only(CODE, SEED).is_empty());
    }

    #[test]
    fn widths() {
        assert_eq!(
            message("thumb", "fm=jpg&q=80&w=400").as_deref(),
            Some("`coverImage.thumb` has `w=400` instead of `w=200`")
        );
        assert_eq!(
            message("regular", "fm=jpg&q=80").as_deref(),
            Some("`coverImage.regular` lacks `w=1080`")
        );
        assert_eq!(message("small", "fm=jpg&q=80&w=400"), None);
        assert_eq!(
            message("full", "fm=jpg&q=85&w=123"),
            None,
            "full has no width"
        );
    }

    #[test]
    fn format_and_quality() {
        assert_eq!(
            message("full", "q=85").as_deref(),
            Some("`coverImage.full` lacks `fm=jpg`")
        );
        assert_eq!(
            message("small", "fm=png&q=0&w=400").as_deref(),
            Some("`coverImage.small` has `fm=png` instead of `fm=jpg` and has `q=0` (must be 1 to 100)")
        );
        assert_eq!(
            message("thumb", "fm=jpg&w=200").as_deref(),
            Some("`coverImage.thumb` lacks `q`")
        );
        assert_eq!(
            message("regular", "fm=jpg&q=101").as_deref(),
            Some("`coverImage.regular` lacks `w=1080` and has `q=101` (must be 1 to 100)")
        );
        assert_eq!(message("full", "fm=jpg&q=1"), None);
        assert_eq!(message("full", "fm=jpg&q=100"), None);
    }

    #[test]
    fn raw_tracking_parameters() {
        assert_eq!(
            message("raw", "ixlib=rb-4.1.0").as_deref(),
            Some("`coverImage.raw` lacks `ixid`")
        );
        assert_eq!(
            message("raw", "").as_deref(),
            Some("`coverImage.raw` lacks `ixid` and `ixlib`")
        );
        assert_eq!(message("raw", "ixid=a&ixlib=b"), None);
        let found = one("raw", "ixid=");
        assert_eq!(
            span_text(&found[0]),
            "'https://images.unsplash.com/photo-1647485938389-91df46750f1b?ixid='"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("the `raw` variant carries `ixid` and `ixlib`; copy its URL again from the photo's `urls`")
        );
    }

    #[test]
    fn small_s3_foreign_hosts_and_broken_urls_are_skipped() {
        let text = "---\ncoverImage:\n  small_s3: 'https://s3.amazonaws.com/x/photo-1'\n  thumb: 'https://example.com/photo-1'\n  small: 'images.unsplash.com/photo-1'\n---\n";
        assert!(lint_only(CODE, text).is_empty());
    }
}
