//! Rules that describe a corpus's conventions, not its outliers.
//!
//! The learned contract validates every article it came from, but the
//! other rules carry conventions of their own: no level-1 heading in the
//! body (many Jekyll and Hugo themes expect one), headings that never skip
//! a level, no non-breaking space between words (French typography wants
//! them). A rule that fires on a good share of the articles a newsroom
//! publishes is describing how that site writes, and after `init --infer`
//! `copydesk check` must report outliers: such a rule is turned off in the
//! written configuration, with the count, and the explanation says so.
//!
//! Never calibrated: the contract and parsing rules (`schema/`, `yaml/`,
//! `frontmatter/`, `file/`), whose findings are always real, and rules
//! whose findings depend on the clock (a future date is always an outlier).

use std::collections::{BTreeMap, BTreeSet};

use copydesk_lint::config::{Config, DateFormat, DuplicateScope, ScopeName};
use copydesk_lint::{registry, Settings};

use super::fields::{Fields, IdScope};
use super::Sample;

/// A rule is a convention when it fires on at least this share of the
/// articles…
const CONVENTION_SHARE: f64 = 0.1;
/// …and on at least this many.
const MIN_FILES: usize = 3;

/// Rule groups never turned off: their findings are always real.
const ALWAYS_REAL: [&str; 5] = ["schema/", "yaml/", "frontmatter/", "file/", "suppression/"];

/// A rule turned off because it describes the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convention {
    /// The rule's code.
    pub code: &'static str,
    /// The articles it fires on.
    pub files: usize,
    /// Out of how many.
    pub of: usize,
    /// The first of them, as an example.
    pub example: String,
}

/// The `[fields]` of the configuration for a guess.
pub fn fields_config(f: &Fields) -> copydesk_lint::config::Fields {
    let date_formats = f
        .date_formats
        .iter()
        .filter_map(|name| match *name {
            "rfc3339" => Some(DateFormat::Rfc3339),
            "date" => Some(DateFormat::Date),
            "jekyll" => Some(DateFormat::Jekyll),
            _ => None,
        })
        .collect();
    copydesk_lint::config::Fields {
        title: f.title.clone(),
        description: f.description.clone(),
        published: f.published.clone(),
        updated: f.updated.clone(),
        expanded: f.expanded.clone(),
        date_formats,
        id: f.id.clone(),
        id_scope: Some(match &f.id_scope {
            IdScope::Global => DuplicateScope::Named(ScopeName::Global),
            IdScope::Keys(keys) => DuplicateScope::Keys(keys.clone()),
        }),
        lang: f.lang.clone(),
        cover: f.cover.clone(),
        translation: f.translation.clone(),
    }
}

/// Lints `samples` with the learned contract and fields, and returns the
/// rules that fire on a convention's share of them, by code. `None` when
/// the learned configuration does not resolve (then nothing is turned off).
pub fn conventions(
    samples: &[Sample<'_>],
    fields: &Fields,
    schema: &serde_json::Value,
    now: jiff::Timestamp,
) -> Option<Vec<Convention>> {
    let config = Config {
        fields: fields_config(fields),
        ..Config::default()
    };
    let settings = Settings::new(config, now)
        .ok()?
        .with_contract(schema.clone())
        .ok()?;
    let reports = samples
        .iter()
        .map(|s| copydesk_lint::lint_text(&settings, s.path, s.path, s.text.to_owned()))
        .collect();
    let diagnostics = copydesk_lint::lint::finish(&settings, reports, Vec::new());
    let mut files: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for d in &diagnostics {
        files
            .entry(d.code)
            .or_default()
            .insert(d.source.path.to_string());
    }
    let of = samples.len();
    let calibrated = |code: &str| {
        !ALWAYS_REAL.iter().any(|g| code.starts_with(g))
            && registry::find(code).is_some_and(|r| !r.meta().time_dependent)
    };
    Some(
        files
            .into_iter()
            .filter(|(code, hit)| {
                calibrated(code)
                    && hit.len() >= MIN_FILES
                    && hit.len() as f64 >= CONVENTION_SHARE * of as f64
            })
            .map(|(code, hit)| Convention {
                code,
                files: hit.len(),
                of,
                example: hit.into_iter().next().unwrap_or_default(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions_but_never_the_clock_or_the_contract() {
        // Every post opens with a level-1 heading, is dated in the future
        // and has a key the schema does not know.
        let texts: Vec<(String, String)> = (0..4)
            .map(|i| {
                (
                    format!("p{i}.md"),
                    format!(
                        "---\ntitle: Post {i}\ndate: 2030-01-0{}\nx: 1\n---\n# Heading\n\nText.\n",
                        i + 1
                    ),
                )
            })
            .collect();
        let samples: Vec<Sample<'_>> = texts
            .iter()
            .map(|(path, text)| Sample { path, text })
            .collect();
        let fields = Fields {
            title: "title".into(),
            description: String::new(),
            published: "date".into(),
            updated: String::new(),
            expanded: String::new(),
            date_formats: vec!["date"],
            id: String::new(),
            id_scope: IdScope::Global,
            lang: String::new(),
            cover: Vec::new(),
            translation: String::new(),
            notes: Vec::new(),
        };
        let schema = serde_json::json!({
            "type": "object",
            "additionalProperties": false,
            "properties": { "title": {}, "date": {} }
        });
        let now = jiff::Timestamp::UNIX_EPOCH;
        let found = conventions(&samples, &fields, &schema, now).expect("resolves");
        let codes: Vec<&str> = found.iter().map(|c| c.code).collect();
        assert_eq!(codes, ["body/level-one-heading"]);
        assert_eq!((found[0].files, found[0].of), (4, 4));
        assert_eq!(found[0].example, "p0.md");
        // Two files are not a convention.
        let few = conventions(&samples[..2], &fields, &schema, now).expect("resolves");
        assert!(few.is_empty(), "{few:?}");
    }
}
