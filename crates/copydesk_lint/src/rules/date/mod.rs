//! Timestamps: format, calendar, order, future.

pub mod expanded_out_of_range;
pub mod impossible_date;
pub mod in_future;
pub mod invalid_timestamp;
pub mod not_utc;
pub mod sentinel;
pub mod updated_before_published;

pub(crate) mod value;

use copydesk_schema::yaml::{Node, Style};

use crate::fields::{Field, KeyPath};
use crate::rule::{FileContext, Rule};
use value::{DateProblem, DateValue};

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &expanded_out_of_range::ExpandedOutOfRange,
    &impossible_date::ImpossibleDate,
    &in_future::InFuture,
    &invalid_timestamp::InvalidTimestamp,
    &not_utc::NotUtc,
    &sentinel::Sentinel,
    &updated_before_published::UpdatedBeforePublished,
];

/// The date fields, in the order they are checked and reported.
pub(crate) const DATE_FIELDS: [Field; 3] = [Field::Published, Field::Updated, Field::Expanded];

/// One date field's value in a file, read in the configured formats.
pub(crate) struct Dated<'a> {
    /// Its key path, as messages name it.
    pub path: &'a KeyPath,
    /// The value node.
    pub node: &'a Node,
    /// The date, or what is wrong with it.
    pub value: Result<DateValue, DateProblem>,
}

/// The value of the date field `field`, when it is mapped and holds a
/// string (anything else is a `schema/*` finding), read in the configured
/// formats. A TOML datetime is read from its text the same way; with a
/// newsroom's own schema, one in none of the formats is still a date in
/// any of its forms (a typed value, always well formed), while the
/// built-in contract holds it to its own form as before.
pub(crate) fn dated<'a>(ctx: &'a FileContext<'_>, field: Field) -> Option<Dated<'a>> {
    let i = DATE_FIELDS.iter().position(|f| *f == field)?;
    // Seven rules read the same three dates: each is parsed once per file.
    let parsed = ctx.memo.dates.get_or_init(|| {
        DATE_FIELDS.map(|f| {
            let (_, node) = date_node(ctx, f)?;
            // The built-in contract has no such keyword: there it is malformed.
            let builtin = ctx.settings.contract().is_builtin();
            let text = node
                .as_str()
                .filter(|t| builtin || !value::is_generator_keyword(t))?;
            let mut value = value::parse(text, ctx.settings.fields().date_formats());
            if value == Err(DateProblem::Malformed)
                && !ctx.settings.contract().is_builtin()
                && is_toml_datetime(ctx, node)
            {
                value = value::parse_toml(text);
            }
            Some(value)
        })
    });
    let value = parsed.get(i)?.clone()?;
    let (path, node) = date_node(ctx, field)?;
    Some(Dated { path, node, value })
}

/// Each date field's parse in a file, in [`DATE_FIELDS`] order (`None`:
/// not mapped, absent, not a string, or a keyword the site generator
/// replaces with a date).
pub(crate) type Parsed = [Option<Result<DateValue, DateProblem>>; 3];

fn date_node<'a>(ctx: &'a FileContext<'_>, field: Field) -> Option<(&'a KeyPath, &'a Node)> {
    let path = ctx.settings.field(field)?;
    Some((path, ctx.root()?.pointer(path.iter())?))
}

/// Whether `node` is a TOML datetime: in TOML front matter, every string
/// is quoted, so a plain string scalar is a datetime.
pub(crate) fn is_toml_datetime(ctx: &FileContext<'_>, node: &Node) -> bool {
    ctx.front_matter()
        .is_some_and(|fm| fm.format == copydesk_schema::frontmatter::Format::Toml)
        && node.as_scalar().is_some_and(|s| s.style == Style::Plain)
}

/// Whether a newsroom's own schema already reports the value at `node`
/// (its own pattern or format): the date rule then stays silent rather
/// than report the same value twice.
pub(crate) fn schema_reports(ctx: &FileContext<'_>, node: &Node) -> bool {
    ctx.schema_issues.iter().any(|i| {
        i.span == node.span && !matches!(i.kind, copydesk_schema::SchemaIssueKind::Timestamp(_))
    })
}

/// The node and date of `field` when it holds a date the other rules may
/// compare. Anything else (malformed, impossible, not UTC where UTC is
/// the convention) is already another date rule's finding, so the
/// ordering and future rules stay silent about it rather than report the
/// same value twice; so is a sentinel (`1970-01-01`) while `date/sentinel`
/// reports it.
pub(crate) fn canonical_date<'a>(
    ctx: &'a FileContext<'_>,
    field: Field,
) -> Option<(&'a KeyPath, &'a Node, DateValue)> {
    let found = written_date(ctx, field)?;
    if found.2.instant < ctx.settings.earliest_date()
        && ctx
            .settings
            .level(&sentinel::Sentinel::META, ctx.config_path)
            .is_some()
    {
        return None;
    }
    Some(found)
}

/// The node and date of `field`, sentinel or not: a well-formed date, or
/// a non-canonical RFC 3339 one where `date/not-utc` does not run.
pub(crate) fn written_date<'a>(
    ctx: &'a FileContext<'_>,
    field: Field,
) -> Option<(&'a KeyPath, &'a Node, DateValue)> {
    let d = dated(ctx, field)?;
    let value = match d.value {
        Ok(v) => v,
        Err(DateProblem::NotCanonical { value, .. }) if !not_utc_reports(ctx) => value,
        Err(_) => return None,
    };
    Some((d.path, d.node, value))
}

/// Whether `date/not-utc` reports a non-canonical date in this file. The
/// built-in contract keeps such a date out of the other rules as before,
/// whatever the rule's level; with a newsroom's own schema, a date
/// `date/not-utc` does not report is compared as the instant it is.
fn not_utc_reports(ctx: &FileContext<'_>) -> bool {
    let meta = &not_utc::NotUtc::META;
    ctx.settings.is_active(meta.code)
        && (ctx.settings.contract().is_builtin()
            || ctx.settings.level(meta, ctx.config_path).is_some())
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use crate::config::Config;

    fn newsroom(config: Config) -> crate::Settings {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {"publishedAt": {}, "updatedAt": {}}
        });
        settings(config)
            .with_contract(schema)
            .expect("a usable schema")
    }

    fn codes(settings: &crate::Settings, text: &str) -> Vec<(&'static str, String)> {
        crate::lint_text(settings, "t.md", "t.md", text.to_owned())
            .diagnostics
            .into_iter()
            .map(|d| (d.code, d.message))
            .collect()
    }

    #[test]
    fn toml_datetimes_keep_the_builtin_contract_and_suit_a_newsrooms() {
        let offset = "+++\npublishedAt = 2026-01-31T20:04:41+02:00\n+++\nText.\n";
        let day = "+++\npublishedAt = 2026-01-31\n+++\nText.\n";
        let builtin = settings(only("date/not-utc", Config::default()));
        let found = crate::lint_text(&builtin, "t.md", "t.md", offset.to_owned()).diagnostics;
        assert_eq!(found.len(), 1, "{found:#?}");
        let fix = found[0].fix.as_ref().expect("a fix");
        // Unquoted: it stays a TOML datetime.
        assert_eq!(
            apply(offset, fix),
            "+++\npublishedAt = 2026-01-31T18:04:41Z\n+++\nText.\n"
        );
        let builtin = settings(only("date/invalid-timestamp", Config::default()));
        assert_eq!(codes(&builtin, day).len(), 1);
        // A newsroom's schema: both are dates, and compared as such.
        let own = newsroom(Config::default());
        assert_eq!(codes(&own, offset), []);
        assert_eq!(codes(&own, day), []);
        let later =
            "+++\npublishedAt = 2026-01-31T20:04:41+02:00\nupdatedAt = 2026-01-29\n+++\nText.\n";
        assert_eq!(
            codes(&own, later),
            [(
                "date/updated-before-published",
                "`updatedAt` is before `publishedAt`".to_owned()
            )]
        );
    }

    #[test]
    fn an_eleventy_date_keyword_is_no_date_to_check_in_a_newsrooms_contract() {
        let text = "---\npublishedAt: git Last Modified\n---\nText.\n";
        assert_eq!(codes(&newsroom(Config::default()), text), []);
        let builtin = settings(only("date/invalid-timestamp", Config::default()));
        assert_eq!(codes(&builtin, text).len(), 1);
    }

    #[test]
    fn turning_not_utc_off_leaves_offsets_to_the_other_rules() {
        let mut config = Config::default();
        config
            .rules
            .insert("date/not-utc".into(), crate::config::RuleLevel::Off);
        let own = newsroom(config);
        assert_eq!(
            own.inactive_reason("date/not-utc")
                .map(|r| r.starts_with("UTC")),
            Some(true)
        );
        let text = "---\npublishedAt: '2026-01-31T20:04:41+02:00'\nupdatedAt: '2026-01-31T19:00:00+02:00'\n---\nText.\n";
        assert_eq!(
            codes(&own, text),
            [(
                "date/updated-before-published",
                "`updatedAt` is before `publishedAt`".to_owned()
            )]
        );
    }
}

/// Shared helpers for the unit tests of the value rules (date, image,
/// editorial): lint a text with one rule on, apply fixes, run doc examples.
#[cfg(test)]
pub(crate) mod testing {
    use crate::config::{Config, RuleLevel};
    use crate::diagnostic::{Diagnostic, Fix};
    use crate::rule::RuleMeta;
    use crate::{lint_text, registry, Settings};

    /// The fixed "now" of every rule test and fixture.
    pub(crate) const NOW: &str = "2026-11-22T00:00:00Z";

    /// The seed article, which lints clean.
    pub(crate) const SEED: &str = include_str!("../../../../../fixtures/seeds/article.md");

    /// Settings from `config` at [`NOW`].
    /// A fixed pseudo-random stream (xorshift) for generated test cases:
    /// each call gives a number below its argument.
    pub(crate) fn random(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        }
    }

    pub(crate) fn settings(config: Config) -> Settings {
        Settings::new(config, NOW.parse().expect("NOW is a timestamp")).expect("valid config")
    }

    /// `config` with every rule but `code` turned off.
    pub(crate) fn only(code: &str, mut config: Config) -> Config {
        for meta in registry::metas() {
            if meta.code != code {
                config.rules.insert(meta.code.to_owned(), RuleLevel::Off);
            }
        }
        config
    }

    /// Lints `text` with every rule of `config` on.
    pub(crate) fn lint_with(config: Config, text: &str) -> Vec<Diagnostic> {
        lint_text(&settings(config), "t.md", "t.md", text.to_owned()).diagnostics
    }

    /// Lints `text` with only `code` on, the rest of the configuration default.
    pub(crate) fn lint_only(code: &str, text: &str) -> Vec<Diagnostic> {
        lint_with(only(code, Config::default()), text)
    }

    /// The file text under the diagnostic's primary span.
    pub(crate) fn span_text(d: &Diagnostic) -> &str {
        &d.source.text[d.span.clone()]
    }

    /// The texts under the diagnostic's related spans.
    pub(crate) fn related_texts(d: &Diagnostic) -> Vec<(&str, &str)> {
        d.related
            .iter()
            .map(|r| (&r.source.text[r.span.clone()], r.message.as_str()))
            .collect()
    }

    /// `text` with `fix` applied.
    pub(crate) fn apply(text: &str, fix: &Fix) -> String {
        let mut out = text.to_owned();
        for edit in fix.edits.iter().rev() {
            out.replace_range(edit.range.clone(), &edit.replacement);
        }
        out
    }

    /// The seed with `from` replaced by `to` (which must occur once).
    pub(crate) fn seed_with(from: &str, to: &str) -> String {
        assert_eq!(
            SEED.matches(from).count(),
            1,
            "{from:?} is not unique in the seed"
        );
        SEED.replacen(from, to, 1)
    }

    /// A rule's doc examples (read by [`crate::doc_examples::parse`]),
    /// with their configuration parsed.
    pub(crate) struct Examples {
        pub config: Config,
        pub invalid: Vec<String>,
        pub valid: Vec<String>,
    }

    /// Reads the examples section of a rule's documentation.
    pub(crate) fn examples(meta: &RuleMeta) -> Examples {
        let ex = crate::doc_examples::parse(meta).unwrap_or_else(|e| panic!("{}: {e}", meta.code));
        Examples {
            config: ex
                .config
                .map(|t| toml::from_str(&t).expect("example config"))
                .unwrap_or_default(),
            invalid: ex.invalid,
            valid: ex.valid,
        }
    }

    /// Asserts that every invalid example of `meta` yields exactly one
    /// finding (of that rule, the only one on) and every valid one none.
    pub(crate) fn check_examples(meta: &RuleMeta) {
        let ex = examples(meta);
        assert!(
            !ex.invalid.is_empty() && !ex.valid.is_empty(),
            "{}",
            meta.code
        );
        let config = only(meta.code, ex.config);
        for text in &ex.invalid {
            let found = lint_with(config.clone(), text);
            assert_eq!(
                found.len(),
                1,
                "{}: invalid example\n{text}\n{found:#?}",
                meta.code
            );
        }
        for text in &ex.valid {
            let found = lint_with(config.clone(), text);
            assert!(
                found.is_empty(),
                "{}: valid example\n{text}\n{found:#?}",
                meta.code
            );
        }
    }

    /// Lints every fixture of `group/rule` with every rule on and the rule
    /// folder's `copydesk.toml` (when it has one), asserting that invalid
    /// fixtures yield only that rule's findings and valid ones nothing.
    pub(crate) fn check_fixtures(code: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/rules")
            .join(code);
        let config: Config = std::fs::read_to_string(dir.join("copydesk.toml"))
            .map(|t| toml::from_str(&t).expect("fixture config"))
            .unwrap_or_default();
        for (side, want_findings) in [("invalid", true), ("valid", false)] {
            let mut files: Vec<_> = std::fs::read_dir(dir.join(side))
                .unwrap_or_else(|e| panic!("{code}/{side}: {e}"))
                .map(|e| e.expect("dir entry").path())
                .collect();
            files.sort();
            assert!(!files.is_empty(), "{code}/{side} has no fixture");
            for file in files {
                let text = std::fs::read_to_string(&file).expect("fixture text");
                let found = lint_with(config.clone(), &text);
                if want_findings {
                    assert!(!found.is_empty(), "{} yields nothing", file.display());
                    for d in &found {
                        assert_eq!(d.code, code, "{}: {d:#?}", file.display());
                    }
                } else {
                    assert!(found.is_empty(), "{}: {found:#?}", file.display());
                }
            }
        }
    }
}
