//! The cover image URLs.
//!
//! The six URLs are one Unsplash photo's `urls` object. Each rule looks at
//! one aspect, and the later ones only look at URLs the earlier ones let
//! through, so that one broken URL is one finding: `image/invalid-url`
//! first (a URL that does not parse is nothing else's business), then the
//! scheme and the host; the Unsplash conventions (photo id, parameters)
//! apply only to parsed URLs on an allowed host.

pub mod host_not_allowed;
pub mod insecure_url;
pub mod invalid_url;
pub mod missing_cover;
pub mod photo_id_mismatch;
pub mod unreachable;
pub mod variant_parameters;

use std::ops::Range;

use copydesk_schema::frontmatter;
use copydesk_schema::yaml::Node;
use url::Url;

use crate::config::host_allowed;
use crate::rule::{FileContext, Rule};
use crate::settings::Settings;

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &host_not_allowed::HostNotAllowed,
    &insecure_url::InsecureUrl,
    &invalid_url::InvalidUrl,
    &missing_cover::MissingCover,
    &photo_id_mismatch::PhotoIdMismatch,
    &unreachable::Unreachable,
    &variant_parameters::VariantParameters,
];

/// The keys of `coverImage`, in the order they are written and reported.
pub(crate) const VARIANTS: [&str; 6] = ["raw", "full", "regular", "small", "thumb", "small_s3"];

/// One `coverImage` URL as written.
pub(crate) struct CoverUrl<'a> {
    /// The key under `coverImage`, e.g. `thumb`.
    pub variant: &'static str,
    /// The value node (its span includes any quotes).
    pub node: &'a Node,
    /// The string value.
    pub text: &'a str,
    /// The parsed URL, when `image/invalid-url` has nothing to say about it.
    pub url: Option<&'a Url>,
    /// What `image/invalid-url` says about it, when anything.
    pub problem: Option<&'a str>,
}

impl CoverUrl<'_> {
    /// `coverImage.<variant>`, as messages name it.
    pub fn key_path(&self) -> String {
        format!("coverImage.{}", self.variant)
    }

    /// Whether this is `small_s3`, whose host list is `editorial.s3-hosts`.
    pub fn is_s3(&self) -> bool {
        self.variant == "small_s3"
    }

    /// The parsed URL when its host is allowed for this variant.
    pub fn allowed_url(&self, settings: &Settings) -> Option<&Url> {
        self.url
            .filter(|u| u.host_str().is_some_and(|h| self.host_ok(settings, h)))
    }

    /// Whether `host` is allowed for this variant. An empty list checks
    /// nothing, like the other editorial lists.
    pub fn host_ok(&self, settings: &Settings, host: &str) -> bool {
        let list = if self.is_s3() {
            &settings.config.editorial.s3_hosts
        } else {
            &settings.config.editorial.image_hosts
        };
        list.is_empty() || host_allowed(host, list)
    }
}

/// Why a URL string is not a usable absolute URL, or `None` when it is.
pub(crate) fn url_problem(text: &str) -> Option<String> {
    parse_url(text).err()
}

/// The URL, or why the string is not a usable absolute URL.
fn parse_url(text: &str) -> Result<Url, String> {
    if text.trim() != text {
        return Err("has whitespace around the URL".to_owned());
    }
    if text.chars().any(char::is_whitespace) {
        return Err("contains whitespace".to_owned());
    }
    match Url::parse(text) {
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            Err("is not an absolute URL (it has no scheme such as `https://`)".to_owned())
        }
        Err(e) => Err(format!("is not a valid URL: {e}")),
        Ok(u) if u.cannot_be_a_base() || u.host_str().is_none_or(str::is_empty) => {
            Err("is not an absolute URL with a host".to_owned())
        }
        Ok(u) => Ok(u),
    }
}

/// The string-valued URLs under `coverImage`, in [`VARIANTS`] order. A
/// missing variant or a non-string value is a `schema/*` finding, so it
/// is skipped here.
pub(crate) fn cover_urls<'a>(ctx: &'a FileContext<'_>) -> Vec<CoverUrl<'a>> {
    let Some(cover) = ctx.root().and_then(|r| r.get("coverImage")) else {
        return Vec::new();
    };
    // Five rules read these URLs: parse them once per file.
    let parsed = ctx.memo.cover_urls.get_or_init(|| {
        VARIANTS
            .iter()
            .filter_map(|&variant| Some((variant, parse_url(cover.get(variant)?.as_str()?))))
            .collect()
    });
    parsed
        .iter()
        .filter_map(|(variant, result)| {
            let node = cover.get(variant)?;
            Some(CoverUrl {
                variant,
                node,
                text: node.as_str()?,
                url: result.as_ref().ok(),
                problem: result.as_ref().err().map(String::as_str),
            })
        })
        .collect()
}

/// The Unsplash photo id a URL names: what follows `photo-` in the last
/// path segment that starts with it (`/photo-<id>` on images.unsplash.com,
/// `…/small/photo-<id>` on S3).
pub(crate) fn photo_id(url: &Url) -> Option<&str> {
    url.path_segments()?
        .filter_map(|s| s.strip_prefix("photo-"))
        .rfind(|id| !id.is_empty())
}

/// A cover image URL that `copydesk check --online` may request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineUrl {
    /// The key under `coverImage`, e.g. `thumb`.
    pub variant: &'static str,
    /// The value's span in the file (quotes included).
    pub span: Range<usize>,
    /// The URL as written.
    pub url: Url,
    /// Whether its host is on the variant's list (`editorial.image-hosts`,
    /// or `editorial.s3-hosts` for `small_s3`). Unlike the offline rules,
    /// an empty list allows nothing here: the network is only touched
    /// where the newsroom said so.
    pub host_listed: bool,
}

/// The well-formed `coverImage` URLs of an article's text, in [`VARIANTS`]
/// order, for the CLI's `--online` pass. A file without front matter, or
/// whose `coverImage` URLs do not parse, yields none (the offline rules
/// report those).
pub fn online_urls(settings: &Settings, text: &str) -> Vec<OnlineUrl> {
    let Ok(fm) = frontmatter::split(text) else {
        return Vec::new();
    };
    let outcome = frontmatter::parse(text, &fm, &settings.limits);
    let Some(cover) = outcome.root.as_ref().and_then(|r| r.get("coverImage")) else {
        return Vec::new();
    };
    let editorial = &settings.config.editorial;
    VARIANTS
        .iter()
        .filter_map(|&variant| {
            let node = cover.get(variant)?;
            let url = parse_url(node.as_str()?).ok()?;
            let list = if variant == "small_s3" {
                &editorial.s3_hosts
            } else {
                &editorial.image_hosts
            };
            let host_listed = url.host_str().is_some_and(|h| host_allowed(h, list));
            Some(OnlineUrl {
                variant,
                span: node.span.clone(),
                url,
                host_listed,
            })
        })
        .collect()
}
