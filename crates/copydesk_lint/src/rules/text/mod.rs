//! Text hygiene of `title`, `description` and `tags`: what broken feeds
//! and language models leave in them.
//!
//! Every string is scanned once per file ([`scan::scan`]), on first use by
//! any rule of the group, and the findings of all the group's rules are
//! kept in the file's memo; each rule then reports its own kind. A problem
//! has one owner: whitespace at a title's edges is this group's (with an
//! exact span and a fix), so `schema/invalid-value` leaves such a title to
//! `text/whitespace` while that rule is on ([`claims`]), and likewise a tag
//! that only differs from another in case or spacing.

pub mod control_character;
pub mod description_equals_title;
pub mod description_length;
pub mod html_entity;
pub mod html_tag;
pub mod invisible_character;
pub mod model_phrase;
pub mod mojibake;
pub mod near_duplicate_tag;
pub mod non_breaking_space;
pub mod placeholder;
pub mod title_length;
pub mod truncated_title;
pub mod whitespace;

mod scan;
mod tables;
mod value_map;

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use copydesk_schema::validate::truncate;
use copydesk_schema::yaml::Node;
use regex::Regex;

use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};
use value_map::ValueMap;

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &control_character::ControlCharacter,
    &description_equals_title::DescriptionEqualsTitle,
    &description_length::DescriptionLength,
    &html_entity::HtmlEntity,
    &html_tag::HtmlTag,
    &invisible_character::InvisibleCharacter,
    &mojibake::Mojibake,
    &model_phrase::ModelPhrase,
    &near_duplicate_tag::NearDuplicateTag,
    &non_breaking_space::NonBreakingSpace,
    &placeholder::Placeholder,
    &title_length::TitleLength,
    &truncated_title::TruncatedTitle,
    &whitespace::Whitespace,
];

/// Which rule a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Control,
    DescriptionEqualsTitle,
    DescriptionLength,
    HtmlEntity,
    HtmlTag,
    Invisible,
    Mojibake,
    ModelPhrase,
    NearDuplicateTag,
    NonBreakingSpace,
    Placeholder,
    TitleLength,
    TruncatedTitle,
    Whitespace,
}

impl Kind {
    fn meta(self) -> &'static RuleMeta {
        match self {
            Kind::Control => &control_character::ControlCharacter::META,
            Kind::DescriptionEqualsTitle => &description_equals_title::DescriptionEqualsTitle::META,
            Kind::DescriptionLength => &description_length::DescriptionLength::META,
            Kind::HtmlEntity => &html_entity::HtmlEntity::META,
            Kind::HtmlTag => &html_tag::HtmlTag::META,
            Kind::Invisible => &invisible_character::InvisibleCharacter::META,
            Kind::Mojibake => &mojibake::Mojibake::META,
            Kind::ModelPhrase => &model_phrase::ModelPhrase::META,
            Kind::NearDuplicateTag => &near_duplicate_tag::NearDuplicateTag::META,
            Kind::NonBreakingSpace => &non_breaking_space::NonBreakingSpace::META,
            Kind::Placeholder => &placeholder::Placeholder::META,
            Kind::TitleLength => &title_length::TitleLength::META,
            Kind::TruncatedTitle => &truncated_title::TruncatedTitle::META,
            Kind::Whitespace => &whitespace::Whitespace::META,
        }
    }
}

/// A repair of a hit: its bytes of the value replaced.
#[derive(Debug, Clone)]
pub(crate) struct ValueFix {
    applicability: Applicability,
    message: String,
    replacement: String,
}

/// A problem at a byte range of one value.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    kind: Kind,
    range: Range<usize>,
    message: String,
    help: String,
    fix: Option<ValueFix>,
}

impl Hit {
    fn new(kind: Kind, range: Range<usize>, message: String, help: impl Into<String>) -> Self {
        Hit {
            kind,
            range,
            message,
            help: help.into(),
            fix: None,
        }
    }

    fn with_fix(mut self, fix: Option<ValueFix>) -> Self {
        self.fix = fix;
        self
    }
}

/// One of the checked strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Title,
    Description,
    Tag(usize),
}

/// One finding of the group, with where it is.
#[derive(Debug)]
struct Entry {
    kind: Kind,
    field: Field,
    /// The bytes of the value it concerns.
    range: Range<usize>,
    finding: Finding,
}

/// Every finding of the group in one file.
#[derive(Debug, Default)]
pub struct Analysis {
    entries: Vec<Entry>,
}

/// The group's findings in this file, computed on first use.
fn analysis<'a>(ctx: &'a FileContext<'_>) -> &'a Analysis {
    ctx.memo.text.get_or_init(|| analyze(ctx))
}

/// Reports the findings of one rule of the group.
pub(crate) fn report(ctx: &FileContext<'_>, kind: Kind, out: &mut Vec<Finding>) {
    out.extend(
        analysis(ctx)
            .entries
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.finding.clone()),
    );
}

/// The value of a `[fields]` field, when it is mapped and present.
fn mapped<'a>(
    settings: &crate::settings::Settings,
    root: &'a Node,
    field: crate::rule::Field,
) -> Option<&'a Node> {
    root.pointer(settings.field(field)?.iter())
}

/// The checked strings: title, description and each string tag.
fn fields<'a>(
    settings: &crate::settings::Settings,
    root: &'a Node,
) -> Vec<(Field, &'a Node, &'a str)> {
    use crate::rule::Field as Mapped;
    let mut out = Vec::new();
    for (field, mapped_as) in [
        (Field::Title, Mapped::Title),
        (Field::Description, Mapped::Description),
    ] {
        if let Some(node) = mapped(settings, root, mapped_as) {
            if let Some(s) = node.as_str() {
                out.push((field, node, s));
            }
        }
    }
    if let Some(tags) = root.get("tags").and_then(Node::as_sequence) {
        for (i, node) in tags.iter().enumerate() {
            if let Some(s) = node.as_str() {
                out.push((Field::Tag(i), node, s));
            }
        }
    }
    out
}

/// How messages name a value ("the title", "tag `MINING`"), written only
/// when there is something to report.
pub(crate) struct What<'a>(Field, &'a str);

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Field::Title => f.write_str("the title"),
            Field::Description => f.write_str("the description"),
            Field::Tag(_) => write!(f, "tag `{}`", truncate(self.1, 40)),
        }
    }
}

fn analyze(ctx: &FileContext<'_>) -> Analysis {
    let mut analysis = Analysis::default();
    let Some(root) = ctx.root() else {
        return analysis;
    };
    let cfg = &ctx.settings.config.text;
    // The off-by-default rules cost nothing while they are off.
    let on = |kind: Kind| ctx.settings.level(kind.meta(), ctx.config_path).is_some();
    let fields = fields(ctx.settings, root);
    let variants = near_duplicate_tag::variants(ctx, &fields);
    let mut hits = Vec::new();
    for &(field, node, value) in &fields {
        hits.clear();
        scan::scan(
            value,
            &What(field, value),
            cfg,
            ctx.settings.phrase_firsts(),
            &mut hits,
        );
        match field {
            Field::Title => {
                truncated_title::check(value, &mut hits);
                if on(Kind::TitleLength) {
                    title_length::check(cfg, value, &mut hits);
                }
            }
            Field::Description if on(Kind::DescriptionLength) => {
                description_length::check(cfg, value, &mut hits);
            }
            _ => {}
        }
        if variants.iter().any(|(f, _)| *f == field) {
            // The variant is removed as a whole: its spacing is moot.
            hits.retain(|h| !matches!(h.kind, Kind::Whitespace | Kind::NonBreakingSpace));
        }
        if hits.is_empty() {
            continue;
        }
        let map = ValueMap::new(ctx.text(), node);
        for hit in hits.drain(..) {
            let mut finding = Finding::new(map.span(&hit.range), hit.message).help(hit.help);
            if let Some(fix) = hit.fix {
                if let Some((range, text)) = map.edit(value, &hit.range, &fix.replacement) {
                    finding =
                        finding.fix(Fix::replace(fix.applicability, fix.message, range, text));
                }
            }
            analysis.entries.push(Entry {
                kind: hit.kind,
                field,
                range: hit.range,
                finding,
            });
        }
    }
    analysis
        .entries
        .extend(variants.into_iter().map(|(field, finding)| Entry {
            kind: Kind::NearDuplicateTag,
            field,
            range: 0..0,
            finding,
        }));
    let title = mapped(ctx.settings, root, crate::rule::Field::Title);
    let description = mapped(ctx.settings, root, crate::rule::Field::Description);
    if let Some(entry) = description_equals_title::check(title, description, &analysis.entries) {
        analysis.entries.push(entry);
    }
    analysis
}

/// The pattern the contract gives each tag, read from the published
/// schema so that it follows the contract.
static TAG_PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let schema = copydesk_schema::article_schema();
    let pattern = schema.pointer("/properties/tags/items/pattern")?.as_str()?;
    Regex::new(pattern).ok()
});

/// Whether a `schema/invalid-value` issue at `path` is this group's to
/// report: a one-line title whose only fault is whitespace (or invisible
/// characters) at its edges, or a tag that is a case or spacing variant of
/// another, or whose only fault is whitespace or invisible characters,
/// while the rule that reports it is on for the file.
pub(crate) fn claims(ctx: &FileContext<'_>, path: &[String]) -> bool {
    let Some(root) = ctx.root() else {
        return false;
    };
    let on = |kind: Kind| ctx.settings.level(kind.meta(), ctx.config_path).is_some();
    let is_title = ctx
        .settings
        .field(crate::rule::Field::Title)
        .is_some_and(|t| t.segments() == path);
    let field = match path {
        _ if is_title => Field::Title,
        [key, i] if key == "tags" => match i.parse() {
            Ok(i) => Field::Tag(i),
            Err(_) => return false,
        },
        _ => return false,
    };
    let Some(value) = root
        .pointer(path.iter().map(String::as_str))
        .and_then(Node::as_str)
    else {
        return false;
    };
    let entries = || {
        analysis(ctx)
            .entries
            .iter()
            .filter(|e| e.field == field && on(e.kind))
    };
    let cleaned = scan::cleaned(value);
    match field {
        Field::Title => {
            !cleaned.is_empty()
                && !value.contains(['\n', '\r'])
                && value.trim() != value
                && entries().any(|e| {
                    matches!(e.kind, Kind::Whitespace | Kind::Control | Kind::Invisible)
                        && scan::at_edge(value, &e.range)
                })
        }
        _ => {
            entries().any(|e| e.kind == Kind::NearDuplicateTag)
                || (entries().any(|e| {
                    matches!(
                        e.kind,
                        Kind::Whitespace | Kind::Control | Kind::Invisible | Kind::NonBreakingSpace
                    )
                }) && TAG_PATTERN.as_ref().is_some_and(|p| p.is_match(&cleaned)))
        }
    }
}

/// Counts characters, for the length rules.
fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Groups values by a key, keeping first-seen order (for the tag rule).
fn group_by<'a>(items: impl Iterator<Item = (usize, Cow<'a, str>)>) -> Vec<Vec<usize>> {
    let mut index: HashMap<Cow<'a, str>, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, key) in items {
        match index.get(&key) {
            Some(&g) => groups[g].push(i),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![i]);
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::rules::date::testing::*;

    #[test]
    fn the_seed_is_clean_for_every_text_rule() {
        let found: Vec<_> = lint_with(Config::default(), SEED)
            .into_iter()
            .filter(|d| d.code.starts_with("text/"))
            .collect();
        assert!(found.is_empty(), "{found:#?}");
    }
}
