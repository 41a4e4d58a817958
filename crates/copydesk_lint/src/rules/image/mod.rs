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
pub(crate) mod parts;
pub mod photo_id_mismatch;
pub mod unreachable;
pub mod variant_parameters;

use std::borrow::Cow;
use std::ops::Range;

use copydesk_schema::frontmatter;
use copydesk_schema::yaml::Node;
use url::Url;

use self::parts::{ParsedUrl, UrlParts};
use crate::config::host_allowed;
use crate::rule::{Field, FileContext, Rule};
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

/// The key paths of [`VARIANTS`], as messages name them.
const VARIANT_PATHS: [&str; 6] = [
    "coverImage.raw",
    "coverImage.full",
    "coverImage.regular",
    "coverImage.small",
    "coverImage.thumb",
    "coverImage.small_s3",
];

/// One cover image URL as written.
pub(crate) struct CoverUrl<'a> {
    /// The key under `coverImage`, e.g. `thumb`, in the built-in
    /// (Unsplash) shape; `None` in a newsroom's own cover field.
    pub variant: Option<&'static str>,
    /// Where it is, as messages name it: `coverImage.thumb`, `image`, `images.0`.
    pub key_path: Cow<'static, str>,
    /// The value node (its span includes any quotes).
    pub node: &'a Node,
    /// The string value.
    pub text: &'a str,
    /// The parsed URL, when it is absolute and `image/invalid-url` has
    /// nothing to say about it (a relative reference, legitimate in a
    /// newsroom's own field, has none).
    pub url: Option<UrlParts<'a>>,
    /// What `image/invalid-url` says about it, when anything.
    pub problem: Option<&'a str>,
}

impl CoverUrl<'_> {
    /// Where it is, as messages name it (`coverImage.thumb`).
    pub fn key_path(&self) -> &str {
        &self.key_path
    }

    /// Whether this is `small_s3`, whose host list is `editorial.s3-hosts`.
    pub fn is_s3(&self) -> bool {
        self.variant == Some("small_s3")
    }

    /// The parsed URL when its host is allowed for this variant.
    pub fn allowed_url(&self, settings: &Settings) -> Option<UrlParts<'_>> {
        self.url
            .filter(|u| u.host.is_some_and(|h| self.host_ok(settings, h)))
    }

    /// Whether `host` is allowed for this variant. An empty list checks
    /// nothing, like the other editorial lists; so does the default
    /// (Unsplash) list for a newsroom's own cover field.
    pub fn host_ok(&self, settings: &Settings, host: &str) -> bool {
        let list = if self.is_s3() {
            &settings.config.editorial.s3_hosts
        } else {
            match host_list(settings) {
                Some(list) => list,
                None => return true,
            }
        };
        list.is_empty() || host_allowed(host, list)
    }
}

/// Whether the cover image is the built-in contract's: one `coverImage`
/// mapping of an Unsplash photo's `urls` (the contract defines
/// `coverImage.raw`). The Unsplash conventions (photo id, variant
/// parameters, the default host list) apply only then.
pub(crate) fn unsplash_shape(settings: &Settings) -> bool {
    settings.builtin_cover()
}

/// The image host list in force for non-S3 URLs: `editorial.image-hosts`
/// for the built-in shape, or when the newsroom configured its own list;
/// `None` (any host) for a newsroom's own cover field with the default
/// (Unsplash) list.
pub(crate) fn host_list(settings: &Settings) -> Option<&[String]> {
    let hosts = &settings.config.editorial.image_hosts;
    (unsplash_shape(settings) || *hosts != crate::config::Editorial::default().image_hosts)
        .then_some(hosts.as_slice())
}

/// Why the Unsplash-only rules do not run, or `None`.
pub(crate) fn unsplash_inactive(rule: &dyn Rule, settings: &Settings) -> Option<String> {
    settings.unmet(rule.keys(), rule.fields()).or_else(|| {
        (!unsplash_shape(settings)).then(|| {
            "it checks an Unsplash photo's `urls`, the built-in `coverImage` shape, which [fields] cover does not name".to_owned()
        })
    })
}

/// Why a URL string is not a usable URL for a cover of this `variant`
/// (an absolute URL in the built-in shape, any URL reference in a
/// newsroom's own field), or `None` when it is.
pub(crate) fn url_problem(variant: Option<&str>, text: &str) -> Option<String> {
    match variant {
        Some(_) => parse_url(text).err(),
        None => parse_site_url(text).err(),
    }
}

/// Whether `text` holds any whitespace (`char::is_whitespace`), checked
/// a byte at a time where it is ASCII: six cover URLs per article.
fn has_whitespace(text: &str) -> bool {
    if text.is_ascii() {
        // Without an early exit the compiler checks many bytes at once: a
        // URL has no whitespace, so the whole of it is read anyway.
        text.bytes()
            .map(|b| u8::from(b == b' ' || b.wrapping_sub(b'\t') <= b'\r' - b'\t'))
            .fold(0, |found, w| found | w)
            != 0
    } else {
        text.chars().any(char::is_whitespace)
    }
}

/// The URL, or why the string is not a usable absolute URL.
fn parse_url(text: &str) -> Result<ParsedUrl, String> {
    // Plain text needs no parser (and has no whitespace to report).
    if let Some(plain) = parts::as_written(text) {
        return Ok(plain);
    }
    if text.trim() != text {
        return Err("has whitespace around the URL".to_owned());
    }
    if has_whitespace(text) {
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
        Ok(u) => Ok(ParsedUrl::Parsed(u)),
    }
}

/// A URL in a newsroom's own cover field: an absolute URL, or a reference
/// relative to the site (`/images/a.jpg`, `a.jpg`, `//cdn.example.com/a.jpg`),
/// which is legitimate there (`Ok(None)`); only a value that is no URL at
/// all is a problem.
fn parse_site_url(text: &str) -> Result<Option<ParsedUrl>, String> {
    match parse_url(text) {
        Ok(u) => Ok(Some(u)),
        Err(problem) if text.trim() != text || has_whitespace(text) => Err(problem),
        Err(problem) => match Url::parse(text) {
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                static BASE: std::sync::LazyLock<Option<Url>> =
                    std::sync::LazyLock::new(|| Url::parse("https://site.invalid/").ok());
                match BASE.as_ref().map(|b| b.join(text)) {
                    Some(Err(e)) => Err(format!("is not a valid URL: {e}")),
                    _ => Ok(None),
                }
            }
            // `data:` and the like: not an image host's URL, not ours to judge.
            Ok(u) if u.cannot_be_a_base() => Ok(None),
            _ => Err(problem),
        },
    }
}

/// The string-valued cover URL nodes, in order: in the built-in shape the
/// `coverImage` variants in [`VARIANTS`] order; else each cover field's
/// string, or the strings of its mapping or list. A missing variant or a
/// non-string value is a `schema/*` finding, so it is skipped here.
fn cover_nodes<'a>(
    settings: &Settings,
    root: &'a Node,
) -> Vec<(Option<&'static str>, Cow<'static, str>, &'a Node, &'a str)> {
    let mut out = Vec::new();
    if unsplash_shape(settings) {
        if let Some(cover) = root.get("coverImage") {
            for (variant, key_path) in VARIANTS.into_iter().zip(VARIANT_PATHS) {
                if let Some((node, text)) = cover.get(variant).and_then(|n| Some((n, n.as_str()?)))
                {
                    out.push((Some(variant), Cow::Borrowed(key_path), node, text));
                }
            }
        }
        return out;
    }
    for path in settings.field_paths(Field::Cover) {
        let Some(node) = root.pointer(path.iter()) else {
            continue;
        };
        if let Some(text) = node.as_str() {
            out.push((None, Cow::Owned(path.dotted().to_owned()), node, text));
        } else if let Some(entries) = node.as_mapping() {
            // A theme's cover mapping also holds its alt text and caption
            // (`cover: {image: a.jpg, alt: A red bridge}`): only values
            // that look like a URL or a path are read as one.
            for e in entries {
                let value = e.value.as_str().filter(|t| looks_like_url(t));
                if let (Some(key), Some(text)) = (e.key_str(), value) {
                    out.push((None, Cow::Owned(format!("{path}.{key}")), &e.value, text));
                }
            }
        } else if let Some(items) = node.as_sequence() {
            for (i, item) in items.iter().enumerate() {
                if let Some(text) = item.as_str() {
                    out.push((None, Cow::Owned(format!("{path}.{i}")), item, text));
                }
            }
        }
    }
    out
}

/// Whether a string in a cover mapping looks like a URL or a path (one
/// word with a `/` or a `.` in it), rather than alt text or a caption.
fn looks_like_url(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && !t.contains(char::is_whitespace) && t.contains(['/', '.'])
}

/// The cover image's string URLs, parsed once per file for the five
/// rules that read them.
pub(crate) fn cover_urls<'a>(ctx: &'a FileContext<'_>) -> Vec<CoverUrl<'a>> {
    let Some(root) = ctx.root() else {
        return Vec::new();
    };
    let nodes = cover_nodes(ctx.settings, root);
    if nodes.is_empty() {
        return Vec::new();
    }
    let parsed = ctx.memo.cover_urls.get_or_init(|| {
        nodes
            .iter()
            .map(|(variant, _, _, text)| match variant {
                Some(_) => parse_url(text).map(Some),
                None => parse_site_url(text),
            })
            .collect()
    });
    nodes
        .into_iter()
        .zip(parsed)
        .map(|((variant, key_path, node, text), result)| CoverUrl {
            variant,
            key_path,
            node,
            text,
            url: result
                .as_ref()
                .ok()
                .and_then(Option::as_ref)
                .map(|u| u.parts(text)),
            problem: result.as_ref().err().map(String::as_str),
        })
        .collect()
}

/// The Unsplash photo id a URL names: what follows `photo-` in the last
/// path segment that starts with it (`/photo-<id>` on images.unsplash.com,
/// `…/small/photo-<id>` on S3).
pub(crate) fn photo_id(url: UrlParts<'_>) -> Option<&str> {
    url.path_segments()
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
            let text = node.as_str()?;
            let url = parse_url(text).ok()?.into_url(text)?;
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

#[cfg(test)]
mod whitespace_tests {
    #[test]
    fn whitespace_is_found_as_char_is_whitespace_finds_it() {
        for text in [
            "https://a.example/x",
            "https://a.example/ x",
            "https://a.example/\u{b}x",
            "https://a.example/\u{c}",
            "https://a.example/\u{1f}",
            "\rhttps://a.example/",
            "https://a.example/\u{a0}x",
            "https://a.example/é",
            "https://a.example/\u{2003}",
            "",
        ] {
            assert_eq!(
                super::has_whitespace(text),
                text.chars().any(char::is_whitespace),
                "{text:?}"
            );
        }
    }
}
