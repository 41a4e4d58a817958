//! The newsroom's configured lists and formats.
//!
//! `category`, `lang` and `source.type` each have a list in
//! `[editorial]`; tags, `category` and `source.key` have a format (built
//! in, or the newsroom's pattern). So that one value never gets two
//! findings, the list rule owns every value that is not on its (non-empty)
//! list, whether or not it also breaks the format: the format rule
//! (`editorial/invalid-category`) and `schema/invalid-value` (for the
//! contract's patterns of `lang` and `source.type`) stay silent about such
//! a value while the list rule is on for the file (see
//! [`claimed_by_list_rule`]). A lowercase `mining` with `MINING` on the
//! list is therefore `editorial/unknown-category` with a safe fix to
//! `MINING`; with an empty list (or that rule off) it is
//! `editorial/invalid-category`, whose fix uppercases it.

pub mod external_id_format;
mod format;
pub mod invalid_category;
pub mod invalid_source_key;
pub mod invalid_tag;
pub mod lang_suffix_mismatch;
pub mod mangled_tag;
pub mod unknown_category;
pub mod unknown_language;
pub mod unknown_source_type;

use copydesk_schema::validate::truncate;
use copydesk_schema::yaml::{resolve_plain, Node, ScalarValue, Style};

use crate::config::Editorial;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &external_id_format::ExternalIdFormat,
    &invalid_category::InvalidCategory,
    &invalid_source_key::InvalidSourceKey,
    &invalid_tag::InvalidTag,
    &lang_suffix_mismatch::LangSuffixMismatch,
    &mangled_tag::MangledTag,
    &unknown_category::UnknownCategory,
    &unknown_language::UnknownLanguage,
    &unknown_source_type::UnknownSourceType,
];

/// A rule that checks one key against one configured list.
pub(crate) struct ListRule {
    /// The rule.
    pub meta: &'static RuleMeta,
    /// The key path of the value, unless it is a `[fields]` field.
    pub path: &'static [&'static str],
    /// The `[fields]` field that says where the value is, if any.
    pub field: Option<crate::rule::Field>,
    /// What the value is, e.g. "category".
    pub noun: &'static str,
    /// The TOML key of the list, e.g. `editorial.categories`.
    pub config_key: &'static str,
    /// The list.
    pub list: fn(&Editorial) -> &[String],
}

/// The three list rules.
pub(crate) static LIST_RULES: [ListRule; 3] = [
    unknown_category::RULE,
    unknown_language::RULE,
    unknown_source_type::RULE,
];

/// The value at `rule.path` when the list rule reports it: the list is
/// non-empty and the value is a string that is not on it.
fn unlisted<'a>(ctx: &'a FileContext<'_>, rule: &ListRule) -> Option<(&'a Node, &'a str)> {
    let list = (rule.list)(&ctx.settings.config.editorial);
    if list.is_empty() {
        return None;
    }
    let node = ctx.root()?.pointer(rule.value_path(ctx.settings)?)?;
    let value = node.as_str()?;
    (!list.iter().any(|e| e == value)).then_some((node, value))
}

/// Whether a `schema/invalid-value` issue at `path` is left to a list rule
/// because that rule is on for this file and reports the value.
pub(crate) fn claimed_by_list_rule(ctx: &FileContext<'_>, path: &[String]) -> bool {
    LIST_RULES.iter().any(|rule| {
        rule.value_path(ctx.settings).is_some_and(|p| {
            let p: Vec<&str> = p.collect();
            p.len() == path.len() && p.iter().zip(path).all(|(a, b)| a == b)
        }) && ctx.settings.level(rule.meta, ctx.config_path).is_some()
            && unlisted(ctx, rule).is_some()
    })
}

/// `items` as "`A`, `B`, `C`", at most eight of them.
fn enumerate(items: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut out: Vec<String> = items.iter().take(SHOWN).map(|s| format!("`{s}`")).collect();
    if items.len() > SHOWN {
        out.push(format!("and {} more", items.len() - SHOWN));
    }
    out.join(", ")
}

/// The list entry nearest to a misspelt value.
fn nearest<'a>(value: &str, list: &'a [String]) -> Option<&'a str> {
    let upper = value.to_uppercase();
    list.iter()
        .map(|e| (strsim::jaro_winkler(&upper, &e.to_uppercase()), e))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, e)| e.as_str())
}

impl ListRule {
    /// The key path of the value with these settings; `None` when its
    /// field is not mapped.
    fn value_path<'s>(
        &self,
        settings: &'s crate::settings::Settings,
    ) -> Option<Box<dyn Iterator<Item = &'s str> + 's>> {
        match self.field {
            Some(field) => Some(Box::new(settings.field(field)?.iter())),
            None => Some(Box::new(self.path.iter().copied())),
        }
    }
}

/// Runs a list rule: one finding when the value is not on the list, with a
/// safe fix when it is on the list in another letter case.
pub(crate) fn check_list(ctx: &FileContext<'_>, rule: &ListRule, out: &mut Vec<Finding>) {
    let Some((node, value)) = unlisted(ctx, rule) else {
        return;
    };
    let key: Vec<&str> = rule
        .value_path(ctx.settings)
        .into_iter()
        .flatten()
        .collect();
    let key = key.join(".");
    let list = (rule.list)(&ctx.settings.config.editorial);
    if let Some(listed) = list.iter().find(|e| e.eq_ignore_ascii_case(value)) {
        let mut finding = Finding::new(
            node.span.clone(),
            format!("`{key}` is written `{value}`; the configured spelling is `{listed}`"),
        )
        .help(format!("write `{listed}`"));
        if let Some(new) = rewrite_scalar(ctx.text(), node, listed) {
            finding = finding.fix(Fix::replace(
                Applicability::Safe,
                format!("Write `{listed}`"),
                node.span.clone(),
                new,
            ));
        }
        out.push(finding);
        return;
    }
    let guess = nearest(value, list)
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    out.push(
        Finding::new(
            node.span.clone(),
            format!(
                "`{key}` `{}` is not an allowed {}",
                truncate(value, 60),
                rule.noun
            ),
        )
        .help(format!(
            "{guess}use one of {}, or add it to `{}` in copydesk.toml",
            enumerate(list),
            rule.config_key
        )),
    );
}

/// A value's format: the newsroom's pattern when it set one, else the
/// built-in check.
pub(crate) struct FormatCheck<'a> {
    /// The configured pattern (anchored), if any.
    pub pattern: Option<&'a regex::Regex>,
    /// Its TOML key, e.g. `editorial.tag-pattern`.
    pub pattern_key: &'static str,
    /// The built-in check.
    pub default: fn(&str) -> bool,
    /// The built-in format in words, for messages.
    pub default_form: &'static str,
}

impl FormatCheck<'_> {
    /// Whether `s` is in the format.
    pub fn accepts(&self, s: &str) -> bool {
        match self.pattern {
            Some(p) => p.is_match(s),
            None => (self.default)(s),
        }
    }

    /// Whether `s` is in the format, or would be with its whitespace
    /// trimmed and runs of it as one space: whitespace is the text rules'
    /// finding, not a second one here.
    pub fn accepts_spaced(&self, s: &str) -> bool {
        if self.accepts(s) {
            return true;
        }
        let spaced = s.split_whitespace().collect::<Vec<_>>().join(" ");
        spaced != s && self.accepts(&spaced)
    }

    /// The format in words.
    pub fn form(&self) -> String {
        match self.pattern {
            Some(p) => format!("it must match `{}` (`{}`)", self.pattern_key, p.as_str()),
            None => self.default_form.to_owned(),
        }
    }

    /// What to do about a value out of the format.
    pub fn help(&self) -> String {
        match self.pattern {
            Some(_) => format!("rewrite it to match `{}`", self.pattern_key),
            None => format!(
                "rewrite it in the format, or set `{}` in copydesk.toml if the site's format differs",
                self.pattern_key
            ),
        }
    }
}

/// The article's `tags`, when they are a list.
pub(crate) fn tags<'a>(ctx: &'a FileContext<'_>) -> Option<&'a [Node]> {
    ctx.root()?.get("tags")?.as_sequence()
}

/// The tag format in force: `editorial.tag-pattern`, else uppercase words.
pub(crate) fn tag_format(settings: &crate::settings::Settings) -> FormatCheck<'_> {
    FormatCheck {
        pattern: settings.tag_pattern(),
        pattern_key: "editorial.tag-pattern",
        default: format::is_uppercase_words,
        default_form: "uppercase words separated by single spaces or hyphens, like `BITCOIN NEWS` or `DOGE-BTC`",
    }
}

/// Why a rule checking one of the built-in contract's formats does not
/// run: its keys or fields are missing, or the contract is a newsroom's
/// own and the format (`pattern_key`) is not `configured`.
pub(crate) fn convention_inactive(
    rule: &dyn Rule,
    settings: &crate::settings::Settings,
    configured: bool,
    pattern_key: &str,
) -> Option<String> {
    settings.unmet(rule.keys(), rule.fields()).or_else(|| {
        (!settings.contract().is_builtin() && !configured).then(|| {
            format!("its format is the built-in contract's convention; set `{pattern_key}` to check the newsroom's own")
        })
    })
}

/// The safe fix that rewrites `node` as `candidate` (the same value in
/// another letter case) when that is in the format.
pub(crate) fn case_fix(
    ctx: &FileContext<'_>,
    node: &Node,
    candidate: &str,
    check: &FormatCheck<'_>,
) -> Option<(String, Fix)> {
    let value = node.as_str()?;
    if candidate == value || !check.accepts(candidate) {
        return None;
    }
    let new = rewrite_scalar(ctx.text(), node, candidate)?;
    let fix = Fix::replace(
        Applicability::Safe,
        format!("Write `{candidate}`"),
        node.span.clone(),
        new,
    );
    Some((candidate.to_owned(), fix))
}

/// Whether `s` can be written as a plain YAML scalar and still read back
/// as the same string.
fn plain_safe(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && resolve_plain(s) == ScalarValue::Str
}

fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The text that replaces the scalar `node` so that it reads `new`, in the
/// same quoting style. `None` when the value is not written simply (escape
/// sequences, folded lines, a block scalar), where an edit could not keep
/// the author's form; a plain scalar whose new text would read as another
/// type (`TRUE`, `NULL`) or need quoting is single-quoted.
pub(crate) fn rewrite_scalar(file: &str, node: &Node, new: &str) -> Option<String> {
    let scalar = node.as_scalar()?;
    let raw = file.get(node.span.clone())?;
    match scalar.style {
        Style::Plain if raw == scalar.text => Some(if plain_safe(new) {
            new.to_owned()
        } else {
            single_quoted(new)
        }),
        Style::SingleQuoted if raw == single_quoted(&scalar.text) => Some(single_quoted(new)),
        Style::DoubleQuoted
            if raw.len() == scalar.text.len() + 2
                && raw.get(1..raw.len() - 1) == Some(scalar.text.as_str())
                && !scalar.text.contains(['\\', '"']) =>
        {
            (!new.contains(['\\', '"']) && !new.chars().any(char::is_control))
                .then(|| format!("\"{new}\""))
        }
        _ => None,
    }
}

/// Where the scalar's content starts in the file: after the opening quote
/// of a quoted scalar. Only meaningful for values `rewrite_scalar` accepts.
pub(crate) fn content_start(file: &str, node: &Node) -> usize {
    match file.as_bytes().get(node.span.start) {
        Some(b'\'' | b'"') => node.span.start + 1,
        _ => node.span.start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::date::testing::*;

    fn fixture(path: &str) -> String {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/rules")
            .join(path);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    fn fixture_config(rule: &str) -> Config {
        toml::from_str(&fixture(&format!("{rule}/copydesk.toml"))).expect("fixture config")
    }

    #[test]
    fn config_changes_need_no_rebuild() {
        // A newsroom adds a category: the article using it becomes clean.
        let text = fixture("editorial/unknown-category/invalid/not-listed.md");
        let mut config = fixture_config("editorial/unknown-category");
        let found = lint_with(config.clone(), &text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, "editorial/unknown-category");
        config.editorial.categories.push("REGULATION".into());
        assert!(lint_with(config, &text).is_empty());

        // ... and an image host: the cover on it becomes clean.
        let text = fixture("image/host-not-allowed/invalid/plus-unsplash.md");
        let found = lint_with(Config::default(), &text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, "image/host-not-allowed");
        let mut config = Config::default();
        config
            .editorial
            .image_hosts
            .push("plus.unsplash.com".into());
        assert!(lint_with(config, &text).is_empty());

        // The same through a copydesk.toml text, as the CLI reads it.
        let config: Config = toml::from_str(
            "[editorial]\nimage-hosts = [\"images.unsplash.com\", \"*.unsplash.com\"]\n",
        )
        .expect("config");
        assert!(lint_with(config, &text).is_empty());
    }

    #[test]
    fn list_rule_off_hands_the_format_back_to_the_format_rule() {
        let text = "---\ncategory: mining\n---\n";
        let mut config = Config::default();
        config.editorial.categories = vec!["MINING".into()];
        let codes = |config: Config| -> Vec<&'static str> {
            let mut codes: Vec<_> = lint_with(config, text)
                .into_iter()
                .filter(|d| d.span == (14..20))
                .map(|d| d.code)
                .collect();
            codes.sort_unstable();
            codes
        };
        assert_eq!(codes(config.clone()), ["editorial/unknown-category"]);
        config.rules.insert(
            "editorial/unknown-category".into(),
            crate::config::RuleLevel::Off,
        );
        assert_eq!(codes(config.clone()), ["editorial/invalid-category"]);
        // An empty list checks no membership: the format rule owns the value.
        assert_eq!(codes(Config::default()), ["editorial/invalid-category"]);
    }

    #[test]
    fn rewriting_keeps_the_quoting() {
        let cases = [
            ("k: mining\n", Some("MINING")),
            ("k: 'mining'\n", Some("'MINING'")),
            ("k: \"mining\"\n", Some("\"MINING\"")),
            ("k: 'it''s'\n", Some("'MINING'")),
            ("k: \"m\\x69ning\"\n", None),
            ("k: |\n  mining\n", None),
        ];
        for (yaml, want) in cases {
            let out = copydesk_schema::yaml::parse(yaml, 0..yaml.len(), &Default::default());
            let node = out.root.as_ref().and_then(|r| r.get("k")).expect("k");
            assert_eq!(
                rewrite_scalar(yaml, node, "MINING").as_deref(),
                want,
                "{yaml}"
            );
        }
        let yaml = "k: true_\n";
        let out = copydesk_schema::yaml::parse(yaml, 0..yaml.len(), &Default::default());
        let node = out.root.as_ref().and_then(|r| r.get("k")).expect("k");
        assert_eq!(
            rewrite_scalar(yaml, node, "TRUE").as_deref(),
            Some("'TRUE'")
        );
        assert_eq!(
            rewrite_scalar(yaml, node, "a: b").as_deref(),
            Some("'a: b'")
        );
    }
}
