//! The front-matter contract (version 2) as Rust types.
//!
//! These types are the one source of truth for `schemas/article.schema.json`:
//! the schema is generated from them with schemars, and a test fails when
//! the committed file differs. Editorial lists and patterns (categories,
//! languages, source types, image hosts; the formats of tags, categories,
//! `source.key` and `externalId`) are configuration, so the schema only
//! fixes their type; `copydesk_lint` checks them with the configured values.
//!
//! Version 2 follows what the seed's site really publishes (its own Astro
//! collection schema and 11,000 real articles): translations link their
//! original with `ai.translatedFrom`, `cta`, `canonicalUrl` and `source.url`
//! exist, and `ai`, `canonicalUrl` and `coverImage` may be null. A missing
//! or null `coverImage` is `image/missing-cover`, a rule of its own, so that
//! a newsroom can lower it to a warning.

use schemars::{JsonSchema, SchemaGenerator};
use serde::{Deserialize, Serialize};

/// `[A-Z][A-Z0-9_]*`: source types.
pub const UPPERCASE_TOKEN: &str = "^[A-Z][A-Z0-9_]*$";
/// RFC 3339 in UTC with seconds; `format: date-time` checks the calendar.
pub const TIMESTAMP: &str =
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$";
/// A BCP 47 tag whose primary subtag is lowercase (`en`, `pt-BR`, `zh-Hant-TW`).
pub const LANGUAGE_TAG: &str =
    "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$";
/// One line without leading or trailing whitespace.
pub const SINGLE_LINE_TRIMMED: &str = r"^\S([^\r\n]*\S)?$";

/// The front matter of one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(
    title = "copydesk article front matter",
    description = "The YAML front matter of a news article checked by copydesk (contract version 2)."
)]
pub struct Article {
    /// The headline: one line, 1–200 characters, no leading or trailing whitespace.
    #[schemars(length(min = 1, max = 200), pattern(SINGLE_LINE_TRIMMED))]
    pub title: String,
    /// The standfirst shown under the headline and in feeds: 1–500 characters.
    #[schemars(length(min = 1, max = 500))]
    pub description: String,
    /// When the article was first published: RFC 3339 in UTC, e.g. `2026-01-31T18:04:41.000Z`.
    #[schemars(extend("format" = "date-time"), pattern(TIMESTAMP))]
    pub published_at: String,
    /// When the article was last updated: same format, not before `publishedAt`.
    #[schemars(extend("format" = "date-time"), pattern(TIMESTAMP))]
    pub updated_at: String,
    /// BCP 47 language tag with a lowercase primary subtag (`en`, `pt-BR`); the allowed list is configuration.
    #[schemars(pattern(LANGUAGE_TAG))]
    pub lang: String,
    /// The article's id at its source, as a quoted string (an unquoted number loses leading zeros and large ids); digits only by default.
    #[schemars(length(min = 1))]
    pub external_id: String,
    /// Where the article came from.
    pub source: Source,
    /// The section: uppercase words (`MINING`, `TOKEN SALE`); the allowed list and the format (`editorial.category-pattern`) are configuration.
    #[schemars(length(min = 1))]
    pub category: String,
    /// Topic tags without duplicates (may be empty): uppercase words separated by single spaces or hyphens (`BITCOIN NEWS`, `DOGE-BTC`); the format (`editorial.tag-pattern`) is configuration.
    #[schemars(extend("uniqueItems" = true))]
    pub tags: Vec<String>,
    /// Calls to action shown with the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<String>")]
    pub cta: Option<Vec<String>>,
    /// Pins the article on listings; higher sorts first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u64", range(min = 0))]
    pub sticky_weight: Option<u64>,
    /// The article's overall tone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Sentiment")]
    pub sentiment: Option<Sentiment>,
    /// A ranking score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "f64")]
    pub score: Option<f64>,
    /// A draft is not published. Must be `true` or `false`; YAML 1.1 spellings such as `no` are errors.
    pub draft: bool,
    /// The article's canonical address when it was first published elsewhere: an absolute URL, or null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", extend("type" = ["string", "null"], "format" = "uri"))]
    pub canonical_url: Option<String>,
    /// The cover photo: one Unsplash photo's `urls` object. Required by copydesk (`image/missing-cover`, which a newsroom may lower to a warning); the site allows null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "CoverImage", extend("type" = ["object", "null"]))]
    pub cover_image: Option<CoverImage>,
    /// How the article was rewritten or translated by AI, when it was (or null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Ai", extend("type" = ["object", "null"]))]
    pub ai: Option<Ai>,
}

/// Where an article came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The source's display name.
    #[schemars(length(min = 1))]
    pub name: String,
    /// The source's stable slug (lowercase, e.g. `cointelegraph`; the format, `editorial.source-key-pattern`, is configuration); `externalId` is unique within it and the article's language.
    #[schemars(length(min = 1))]
    pub key: String,
    /// How the article arrived (`RSS`, `API`, `MANUAL` by default; the list is configuration).
    #[serde(rename = "type")]
    #[schemars(pattern(UPPERCASE_TOKEN))]
    pub kind: String,
    /// The article's address at its source: an absolute URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", extend("format" = "uri"))]
    pub url: Option<String>,
}

/// An article's tone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Sentiment {
    /// Good news.
    Positive,
    /// Bad news.
    Negative,
    /// Neither.
    Neutral,
}

/// The six URLs of one Unsplash photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverImage {
    /// The original file; carries `ixid` and `ixlib`.
    #[schemars(extend("format" = "uri"))]
    pub raw: String,
    /// Full size: `fm=jpg` and `q`.
    #[schemars(extend("format" = "uri"))]
    pub full: String,
    /// 1080 px wide: `w=1080`, `fm=jpg`, `q`.
    #[schemars(extend("format" = "uri"))]
    pub regular: String,
    /// 400 px wide: `w=400`, `fm=jpg`, `q`.
    #[schemars(extend("format" = "uri"))]
    pub small: String,
    /// 200 px wide: `w=200`, `fm=jpg`, `q`.
    #[schemars(extend("format" = "uri"))]
    pub thumb: String,
    /// A copy of `small` on S3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", extend("format" = "uri"))]
    pub small_s3: Option<String>,
}

/// How an article was rewritten by AI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Ai {
    /// Whether the body was rewritten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "bool")]
    pub rewritten: Option<bool>,
    /// When the body was expanded: between `publishedAt` and `updatedAt` (within `dates.expanded-tolerance-seconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", extend("format" = "date-time"), pattern(TIMESTAMP))]
    pub expanded_at: Option<String>,
    /// The rewriting pipeline's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u64", range(min = 1))]
    pub version: Option<u64>,
    /// On a translation: the `externalId` of the original it was translated from (same source, another language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1))]
    pub translated_from: Option<String>,
}

/// The contract's JSON Schema (2020-12), generated from [`Article`].
pub fn article_schema() -> serde_json::Value {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    // Inline subschemas keep instance paths and schema paths parallel, which
    // makes "did you mean" and error mapping a plain walk.
    settings.inline_subschemas = true;
    let generator = SchemaGenerator::new(settings);
    let schema = generator.into_root_schema_for::<Article>();
    let mut value = schema.to_value();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "$id".to_owned(),
            "https://copydesk.dev/schemas/article.schema.json".into(),
        );
    }
    value
}

/// [`article_schema`] as pretty-printed JSON with a trailing newline, the
/// exact bytes of `schemas/article.schema.json`.
pub fn article_schema_json() -> String {
    let mut s = serde_json::to_string_pretty(&article_schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// How many `$ref`s are followed in a row, and how deep `allOf`/`anyOf`/
/// `oneOf` are searched, when looking up keys: enough for any real schema,
/// and a bound for a cyclic one.
const MAX_REF_HOPS: usize = 16;
const MAX_COMBINATOR_DEPTH: usize = 4;

/// `node` with its local `$ref`s (`#/$defs/…`, `#/definitions/…`)
/// followed.
fn resolve<'a>(
    root: &'a serde_json::Value,
    mut node: &'a serde_json::Value,
) -> &'a serde_json::Value {
    for _ in 0..MAX_REF_HOPS {
        let target = node
            .get("$ref")
            .and_then(|r| r.as_str())
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| root.pointer(pointer));
        match target {
            Some(t) => node = t,
            None => break,
        }
    }
    node
}

/// The subschemas that may describe one value: `node` itself and the
/// members of its `allOf`, `anyOf` and `oneOf`, references followed.
fn branches<'a>(
    root: &'a serde_json::Value,
    node: &'a serde_json::Value,
    out: &mut Vec<&'a serde_json::Value>,
    depth: usize,
) {
    let node = resolve(root, node);
    out.push(node);
    if depth >= MAX_COMBINATOR_DEPTH {
        return;
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for member in node
            .get(key)
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
        {
            branches(root, member, out, depth + 1);
        }
    }
}

/// The property names the schema allows for the object at `path` (JSON
/// pointer segments), for "did you mean" suggestions and for telling
/// whether a newsroom's schema defines a key. Local `$ref`s and the
/// branches of `allOf`/`anyOf`/`oneOf` are followed.
pub fn known_keys(schema: &serde_json::Value, path: &[&str]) -> Vec<String> {
    let mut nodes = Vec::new();
    branches(schema, schema, &mut nodes, 0);
    for seg in path {
        let mut next = Vec::new();
        for node in &nodes {
            let child = node
                .get("properties")
                .and_then(|p| p.get(*seg))
                .or_else(|| node.get("items").filter(|i| i.is_object()));
            if let Some(child) = child {
                branches(schema, child, &mut next, 0);
            }
        }
        if next.is_empty() {
            return Vec::new();
        }
        nodes = next;
    }
    let mut keys: Vec<String> = Vec::new();
    for node in nodes {
        for k in node
            .get("properties")
            .and_then(|p| p.as_object())
            .into_iter()
            .flat_map(|p| p.keys())
        {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    keys
}
