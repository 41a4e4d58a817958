//! The configuration model: what `copydesk.toml` may say.
//!
//! Defaults, then the file, then command-line flags: this module holds the
//! first two (the CLI applies its flags on top). Every struct denies
//! unknown fields so that a typo is an error, not a silently ignored line.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Do not run the rule.
    Off,
}

/// How widely `externalId` must be unique: a keyword, or the key paths
/// whose values, with the id, must be unique together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DuplicateScope {
    /// `"global"`: unique across the whole corpus; `"source"`: unique
    /// within one `source.key` (version 1's default).
    Named(ScopeName),
    /// Key paths (dotted, e.g. `["source.key", "lang"]`): two articles
    /// share an id only when these values are also the same. A file where
    /// one of them is not a string is not compared.
    Keys(Vec<String>),
}

/// The named duplicate scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScopeName {
    /// Unique across the whole corpus.
    Global,
    /// Unique within one `source.key`, whatever the language.
    Source,
}

impl Default for DuplicateScope {
    /// Unique per source and language: a translation (`slug.uk.md`)
    /// legitimately shares its original's id.
    fn default() -> Self {
        DuplicateScope::Keys(vec!["source.key".to_owned(), "lang".to_owned()])
    }
}

impl DuplicateScope {
    /// The key paths, each split into its segments.
    pub fn key_paths(&self) -> Vec<Vec<String>> {
        let dotted: Vec<&str> = match self {
            DuplicateScope::Named(ScopeName::Global) => Vec::new(),
            DuplicateScope::Named(ScopeName::Source) => vec!["source.key"],
            DuplicateScope::Keys(keys) => keys.iter().map(String::as_str).collect(),
        };
        dotted
            .iter()
            .map(|k| k.split('.').map(str::to_owned).collect())
            .collect()
    }
}

/// The whole of `copydesk.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
#[schemars(title = "copydesk configuration", description = "copydesk.toml")]
pub struct Config {
    /// Folders holding articles, relative to the config file. `copydesk check`
    /// without paths lints these, and cross-file rules always see all of them.
    pub content_roots: Vec<String>,
    /// File extensions treated as articles.
    pub extensions: Vec<String>,
    /// Globs (relative to the config file) a file must match to be linted; empty means all.
    pub include: Vec<String>,
    /// Globs (relative to the config file) of files never linted.
    pub exclude: Vec<String>,
    /// Rule levels (`error`, `warning`, `off`) by code (`date/not-utc`) or
    /// group (`date`); a code wins over its group. A group's `error` or
    /// `warning` does not turn on its rules that are off by default.
    pub rules: BTreeMap<String, RuleLevel>,
    /// Rule levels for files matching globs; later overrides win.
    pub overrides: Vec<Override>,
    /// The newsroom's own lists.
    pub editorial: Editorial,
    /// Date checks.
    pub dates: Dates,
    /// Cross-file checks.
    pub corpus: Corpus,
    /// `copydesk check --online`: how cover images are requested.
    pub online: Online,
    /// Text checks of `title`, `description` and `tags`.
    pub text: Text,
    /// The front-matter contract: the built-in one, or the newsroom's own.
    pub contract: ContractConfig,
    /// `history/*` rules (with `check --changed-since` or `--staged`).
    pub history: History,
    /// Where the semantic rules find the values they read.
    pub fields: Fields,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            content_roots: vec![".".to_owned()],
            extensions: vec!["md".to_owned(), "markdown".to_owned()],
            include: Vec::new(),
            exclude: Vec::new(),
            rules: BTreeMap::new(),
            overrides: Vec::new(),
            editorial: Editorial::default(),
            dates: Dates::default(),
            corpus: Corpus::default(),
            online: Online::default(),
            text: Text::default(),
            contract: ContractConfig::default(),
            history: History::default(),
            fields: Fields::default(),
        }
    }
}

/// What the `history/*` rules need besides git.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct History {
    /// Redirects the site serves, by the old article's path relative to the
    /// config file (e.g. `"news/old.md" = "news/new.md"`): a published article
    /// deleted or moved from a path listed here is not reported.
    pub redirects: BTreeMap<String, String>,
    /// A redirects file the site serves, relative to the config file, in
    /// the `_redirects` format of Netlify and Cloudflare Pages (`/from /to
    /// [status]` per line, `#` comments): an article whose old URL's last
    /// segment (its slug) is redirected from is not reported.
    pub redirects_file: Option<String>,
}

/// Rule levels for a subset of files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    /// Globs relative to the config file, e.g. `archive/**`.
    pub files: Vec<String>,
    /// Rule levels by code or group for those files.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleLevel>,
}

/// The editorial lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct Editorial {
    /// Allowed `category` values; empty allows any uppercase token.
    pub categories: Vec<String>,
    /// Allowed `lang` tags; empty allows any well-formed tag.
    pub languages: Vec<String>,
    /// Allowed `source.type` values.
    pub source_types: Vec<String>,
    /// Hosts allowed for the five Unsplash variants; `*.` matches subdomains.
    pub image_hosts: Vec<String>,
    /// Hosts allowed for `coverImage.small_s3`; `*.` matches subdomains.
    pub s3_hosts: Vec<String>,
    /// Regular expression a whole `externalId` must match.
    pub external_id_pattern: String,
    /// Regular expression a whole tag must match. Unset: uppercase words
    /// (letters of any script that are not lowercase, digits; `&`, `.`,
    /// `'` inside a word) separated by single spaces or hyphens, such as
    /// `BITCOIN NEWS`, `DOGE-BTC` or `S&P 500`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_pattern: Option<String>,
    /// Regular expression a whole `category` must match. Unset: uppercase
    /// words, as for tags (`MINING`, `TOKEN SALE`), `_` allowed too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category_pattern: Option<String>,
    /// Regular expression a whole `source.key` must match. Unset: a
    /// lowercase slug (`cointelegraph`, `the-block`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_key_pattern: Option<String>,
}

impl Default for Editorial {
    fn default() -> Self {
        Editorial {
            categories: Vec::new(),
            languages: Vec::new(),
            source_types: vec!["RSS".into(), "API".into(), "MANUAL".into()],
            image_hosts: vec!["images.unsplash.com".into()],
            s3_hosts: vec!["*.amazonaws.com".into()],
            external_id_pattern: "^[0-9]+$".into(),
            tag_pattern: None,
            category_pattern: None,
            source_key_pattern: None,
        }
    }
}

/// Date checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct Dates {
    /// How far in the future (seconds) a date may be before it is reported,
    /// to absorb clock skew between the CMS and the checker.
    pub future_tolerance_seconds: u64,
    /// How far (seconds) `ai.expandedAt` may be after `updatedAt`: the
    /// rewriting pipeline writes both a few milliseconds apart.
    pub expanded_tolerance_seconds: u64,
}

impl Default for Dates {
    fn default() -> Self {
        Dates {
            future_tolerance_seconds: 300,
            expanded_tolerance_seconds: 1,
        }
    }
}

/// Cross-file checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct Corpus {
    /// The former name of `[fields] id-scope`, still accepted (setting
    /// both is an error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_scope: Option<DuplicateScope>,
    /// Seconds between the `publishedAt` of two articles from the same
    /// source within which alike headlines make them one story imported
    /// twice (`corpus/duplicate-story`).
    pub reimport_window_seconds: u64,
    /// How alike two headlines must be (0–1: the share of their words,
    /// after case, punctuation and stop words are set aside) for
    /// `corpus/duplicate-story`.
    pub reimport_similarity: f64,
}

impl Default for Corpus {
    fn default() -> Self {
        Corpus {
            duplicate_scope: None,
            reimport_window_seconds: 300,
            reimport_similarity: 0.7,
        }
    }
}

/// `copydesk check --online`: limits that keep the check polite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct Online {
    /// Requests in flight at once, over all hosts.
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Seconds one request (connecting, sending, reading the answer) may take.
    pub timeout_seconds: u64,
    /// Seconds the whole check may take, retries and waits included. URLs
    /// not checked by then are reported once as not checked (not as
    /// unreachable) and requested again next run.
    pub budget_seconds: u64,
    /// Seconds a result stays in `.copydesk_cache/online.json` before the URL is requested again.
    pub cache_ttl_seconds: u64,
    /// Retries of a request answered 429 or 5xx (after a backoff honouring `Retry-After`).
    pub retries: u32,
    /// FOR TESTS ONLY: request hosts that resolve to loopback, private,
    /// link-local or other non-public addresses. Off, such URLs are never
    /// requested (an article's image must load for readers on the internet,
    /// and the check must not probe the local network).
    pub allow_private_addresses: bool,
}

impl Default for Online {
    fn default() -> Self {
        Online {
            concurrency: 16,
            per_host: 4,
            timeout_seconds: 10,
            budget_seconds: 60,
            cache_ttl_seconds: 86_400,
            retries: 2,
            allow_private_addresses: false,
        }
    }
}

/// Text checks of `title`, `description` and `tags` (the `text/*` rules and `date/sentinel`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct Text {
    /// Whole values that are a placeholder, not text (compared ignoring case
    /// and surrounding whitespace). `lorem ipsum` anywhere and template
    /// syntax (`{{title}}`, `${title}`) are always placeholders.
    pub placeholders: Vec<String>,
    /// Phrases of a language model talking about itself, matched ignoring
    /// case at the start of the value or of one of its sentences.
    pub model_phrases: Vec<String>,
    /// Dates before this day (`YYYY-MM-DD` or an RFC 3339 timestamp) are
    /// sentinels, not publication dates (`date/sentinel`).
    pub earliest_date: String,
    /// `text/title-length` (off by default): the fewest characters a title should have.
    pub title_min_length: usize,
    /// `text/title-length` (off by default): the most characters a title should have.
    pub title_max_length: usize,
    /// `text/description-length` (off by default): the fewest characters a description should have.
    pub description_min_length: usize,
    /// `text/description-length` (off by default): the most characters a description should have.
    pub description_max_length: usize,
}

impl Default for Text {
    fn default() -> Self {
        let list = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        Text {
            placeholders: list(&[
                "undefined",
                "null",
                "nil",
                "none",
                "NaN",
                "TODO",
                "TBD",
                "TBC",
                "FIXME",
                "[object Object]",
                "placeholder",
                "untitled",
                "N/A",
            ]),
            model_phrases: list(&[
                "Sure! Here",
                "Sure, here",
                "Sure thing",
                "Certainly! Here",
                "Certainly, here",
                "Absolutely! Here",
                "Of course! Here",
                "Sure! Below",
                "Sure, below",
                "Certainly! Below",
                "Certainly, below",
                "Below is a rewritten",
                "Below is the rewritten",
                "Here is a rewritten",
                "Here's a rewritten",
                "Here is the rewritten",
                "Here's the rewritten",
                "Here is a revised",
                "Here's a revised",
                "Here is the revised",
                "Here's the revised",
                "Here is a rephrased",
                "Here's a rephrased",
                "As an AI language model",
                "As an AI model",
                "As an AI assistant",
                "As an AI,",
                "As a language model",
                "As a large language model",
                "I hope this helps",
                "I hope this meets",
                "Let me know if you",
                "I'm sorry, but I",
                "I cannot fulfill",
                "I can't fulfill",
                "Rewritten title:",
                "Rewritten description:",
                "Rewritten version:",
            ]),
            earliest_date: "1995-01-01".to_owned(),
            title_min_length: 20,
            title_max_length: 70,
            description_min_length: 50,
            description_max_length: 160,
        }
    }
}

/// `[contract]`: which JSON Schema articles' front matter must follow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct ContractConfig {
    /// A JSON Schema file (draft 2020-12 or 07), relative to the config
    /// file, that replaces the built-in contract (`copydesk schema` prints
    /// the built-in one as a starting point). Rules about a key the schema
    /// does not define are inactive.
    pub schema: Option<String>,
}

/// `[fields]`: where the semantic rules find the values they read, as key
/// paths (dots for nesting). `""` means the newsroom has no such field: the
/// rules that need it are inactive. The defaults are the built-in
/// contract's keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct Fields {
    /// The headline (`text/*`, `corpus/duplicate-title`, `corpus/duplicate-story`).
    pub title: String,
    /// The summary (`text/*`).
    pub description: String,
    /// The publication date (`date/*`, `corpus/duplicate-story`, `corpus/translation-mismatch`).
    pub published: String,
    /// The date of the last update (`date/updated-before-published`, `date/expanded-out-of-range`).
    pub updated: String,
    /// When a pipeline expanded or rewrote the article (`date/expanded-out-of-range`).
    pub expanded: String,
    /// The date formats the date rules accept: `"rfc3339"`, `"date"`
    /// (`YYYY-MM-DD`) and `"jekyll"` (`YYYY-MM-DD HH:MM:SS +ZZZZ`, also
    /// without seconds or offset, as Jekyll allows).
    pub date_formats: Vec<DateFormat>,
    /// The article's id at its source (`editorial/external-id-format`, `corpus/duplicate-external-id`).
    pub id: String,
    /// Where the id must be unique: key paths whose values must also match
    /// (unset: `["source.key", "lang"]`, so a translation may share its
    /// original's id), `"source"` (per `source.key`) or `"global"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_scope: Option<DuplicateScope>,
    /// The article's language tag (`editorial/unknown-language`,
    /// `editorial/lang-suffix-mismatch`, `body/language-mismatch`, corpus rules).
    pub lang: String,
    /// Cover image: key paths of URL values (a string, or a mapping or list
    /// of strings) (`image/*`).
    pub cover: Vec<String>,
    /// The id of the original a translation was made from (`corpus/orphan-translation` and the other translation rules).
    pub translation: String,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            title: "title".into(),
            description: "description".into(),
            published: "publishedAt".into(),
            updated: "updatedAt".into(),
            expanded: "ai.expandedAt".into(),
            date_formats: vec![DateFormat::Rfc3339],
            id: "externalId".into(),
            id_scope: None,
            lang: "lang".into(),
            cover: vec!["coverImage".into()],
            translation: "ai.translatedFrom".into(),
        }
    }
}

/// A date format the date rules accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DateFormat {
    /// An RFC 3339 timestamp, `2026-01-31T18:04:41.000Z` (UTC is the convention).
    Rfc3339,
    /// A day, `2026-01-31`.
    Date,
    /// Jekyll's `2026-01-31 18:04:41 +0100`, also without seconds or offset.
    Jekyll,
}

/// Whether `host` matches an allow-list entry (`*.example.com` matches
/// subdomains of example.com, not example.com itself).
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    // Compared ignoring ASCII case, byte for byte, without lowercased
    // copies: several rules ask for each of six URLs per article.
    let host = host.as_bytes();
    allowed
        .iter()
        .any(|pattern| match pattern.strip_prefix("*.") {
            Some(suffix) => {
                let suffix = suffix.as_bytes();
                host.len() > suffix.len() + 1
                    && host[host.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
                    && host[host.len() - suffix.len() - 1] == b'.'
            }
            None => host.eq_ignore_ascii_case(pattern.as_bytes()),
        })
}

/// The JSON Schema of `copydesk.toml`, the content of `schemas/config.schema.json`.
pub fn config_schema_json() -> String {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.inline_subschemas = true;
    let schema = settings.into_generator().into_root_schema_for::<Config>();
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_patterns() {
        let allowed = vec![
            "images.unsplash.com".to_owned(),
            "*.amazonaws.com".to_owned(),
        ];
        assert!(host_allowed("images.unsplash.com", &allowed));
        assert!(host_allowed("s3.us-west-2.amazonaws.com", &allowed));
        assert!(!host_allowed("amazonaws.com", &allowed));
        assert!(!host_allowed("evilamazonaws.com", &allowed));
        assert!(!host_allowed("unsplash.com", &allowed));
        assert!(host_allowed("Images.Unsplash.COM", &allowed));
        assert!(host_allowed("A.AmazonAWS.com", &allowed));
        assert!(!host_allowed(".amazonaws.com", &allowed));
        assert!(!host_allowed("é.amazonaws.co", &allowed));
        assert!(host_allowed("é.amazonaws.com", &allowed));
        let upper = vec![
            "*.AmazonAWS.com".to_owned(),
            "IMAGES.unsplash.com".to_owned(),
        ];
        assert!(host_allowed("x.amazonaws.com", &upper));
        assert!(host_allowed("images.unsplash.com", &upper));
    }
}
