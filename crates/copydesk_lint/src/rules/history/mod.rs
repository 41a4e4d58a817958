//! An article compared with its version at an earlier revision (`copydesk
//! check --changed-since REF` or `--staged`): what must not change once an
//! article is published.
//!
//! The lint library knows no git: the front end fetches the old text and
//! calls [`compare`] (a changed or renamed file) or [`removed`] (a deleted
//! one). Nothing is reported unless the old version was published (its
//! `draft` absent or `false`): a draft may change freely.

pub mod article_removed;
pub mod external_id_changed;
pub mod published_at_changed;
pub mod unpublished;

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use copydesk_schema::frontmatter;
use copydesk_schema::yaml::{Node, ScalarValue};

use crate::diagnostic::{Diagnostic, Finding};
use crate::fields::KeyPath;
use crate::rule::{Field, Rule, RuleMeta};
use crate::settings::Settings;
use crate::source::SourceFile;

/// The rules of this group (the registry sorts them with all the others).
pub(crate) static RULES: &[&dyn Rule] = &[
    &article_removed::ArticleRemoved,
    &external_id_changed::ExternalIdChanged,
    &published_at_changed::PublishedAtChanged,
    &unpublished::Unpublished,
];

/// The version of an article at the revision compared with.
#[derive(Debug, Clone, Copy)]
pub struct Old<'a> {
    /// Its text then.
    pub text: &'a str,
    /// Its path then, relative to the configuration root.
    pub config_path: &'a str,
    /// The revision as the user named it (`origin/main`, `HEAD`).
    pub rev: &'a str,
}

/// The findings on an article changed (or renamed: `old.config_path` is
/// not `config_path`) since `old`, on the new version `new`.
pub fn compare(
    settings: &Settings,
    old: &Old<'_>,
    new: &Arc<SourceFile>,
    config_path: &str,
) -> Vec<Diagnostic> {
    let Some(before) = front(settings, old.text) else {
        return Vec::new();
    };
    if !published(&before) {
        return Vec::new();
    }
    let Some(after) = front(settings, &new.text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |meta: &'static RuleMeta, finding: Finding| {
        // Off, or inactive (its `[fields]` field not mapped).
        let severity = settings.level(meta, config_path);
        if let Some(severity) = severity.filter(|_| settings.is_active(meta.code)) {
            out.push(Diagnostic::from_finding(meta.code, severity, new, finding));
        }
    };
    let rev = old.rev;
    let id = settings.field(Field::Id);
    if let Some(f) = id.and_then(|k| changed_value(&before, &after, k, rev, same_text)) {
        push(&external_id_changed::ExternalIdChanged::META, f);
    }
    let published = settings.field(Field::Published);
    if let Some(f) = published.and_then(|k| changed_value(&before, &after, k, rev, same_instant)) {
        push(&published_at_changed::PublishedAtChanged::META, f);
    }
    if let Some(node) = after.get("draft").filter(|n| is_bool(n, true)) {
        push(
            &unpublished::Unpublished::META,
            Finding::new(
                node.span.clone(),
                format!("`draft: true` on an article that was published at {rev}"),
            )
            .help("it disappears from the site: set `draft: false`, or remove it on purpose (with a redirect)"),
        );
    }
    if old.config_path != config_path && !redirected(settings, old.config_path, &before, &after) {
        let span = after
            .entry(ALIASES)
            .map_or_else(|| fence(&new.text), |e| e.key.span.clone());
        push(
            &article_removed::ArticleRemoved::META,
            Finding::new(
                span,
                format!(
                    "published article moved from `{}` (at {rev}) with no redirect from its old URL",
                    old.config_path
                ),
            )
            .help(format!(
                "list its old URL path in `{ALIASES}`, or map `{}` in `[history] redirects`",
                old.config_path
            )),
        );
    }
    out
}

/// The finding on a published article deleted since `old.rev` with no
/// redirect, shown on its old text (there is no new one).
pub fn removed(settings: &Settings, old: &Old<'_>, old_path: &str) -> Vec<Diagnostic> {
    let Some(before) = front(settings, old.text) else {
        return Vec::new();
    };
    let meta = &article_removed::ArticleRemoved::META;
    let Some(severity) = settings.level(meta, old.config_path) else {
        return Vec::new();
    };
    let old_slug = before.get("slug").and_then(Node::as_str);
    if !published(&before)
        || has_redirect(settings, old.config_path)
        || file_redirected(settings, old.config_path, old_slug)
    {
        return Vec::new();
    }
    let source = Arc::new(SourceFile::new(old_path, old.text));
    let id = settings
        .field(Field::Id)
        .and_then(|k| before.pointer(k.iter()));
    let span = id.map_or_else(|| fence(old.text), |n| n.span.clone());
    let finding = Finding::new(
        span,
        format!(
            "published article deleted since {} with no redirect (shown as it was there)",
            old.rev
        ),
    )
    .help(format!(
        "map `{}` to where readers should go in `[history] redirects`, or restore it",
        old.config_path
    ));
    vec![Diagnostic::from_finding(
        meta.code, severity, &source, finding,
    )]
}

/// The front-matter key whose list of URL paths redirect to an article
/// (Hugo's, also read by Jekyll's and Eleventy's redirect plugins).
const ALIASES: &str = "aliases";

/// The parsed front matter of `text`, when it has a mapping.
fn front(settings: &Settings, text: &str) -> Option<Node> {
    let fm = frontmatter::split(text).ok()?;
    let root = frontmatter::parse(text, &fm, &settings.limits).root?;
    root.as_mapping().is_some().then_some(root)
}

/// Whether an article was published: `draft` absent or `false`. Any other
/// value (`true`, `no`, a string) is not read as published.
fn published(root: &Node) -> bool {
    root.get("draft").is_none_or(|n| is_bool(n, false))
}

fn is_bool(node: &Node, value: bool) -> bool {
    node.as_scalar()
        .is_some_and(|s| s.value == ScalarValue::Bool(value))
}

/// The front-matter block's opening fence: where a file-wide finding goes.
fn fence(text: &str) -> Range<usize> {
    frontmatter::split(text).map_or(0..0, |fm| fm.open_fence)
}

/// A finding on `key`'s new value when it differs from the old one (both
/// scalars); nothing when either is missing or not a scalar.
fn changed_value(
    before: &Node,
    after: &Node,
    key: &KeyPath,
    rev: &str,
    same: fn(&str, &str) -> bool,
) -> Option<Finding> {
    let old = before.pointer(key.iter())?.as_scalar()?;
    let node = after.pointer(key.iter())?;
    let new = node.as_scalar()?;
    if same(&old.text, &new.text) {
        return None;
    }
    Some(Finding::new(
        node.span.clone(),
        format!(
            "`{}` changed after publication: it was {:?} at {rev}",
            key.dotted(),
            old.text
        ),
    ))
}

/// The same id: blanks around it were never part of it.
fn same_text(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
}

/// The same moment, however written (`.000Z`, `Z`, `+02:00`, Jekyll's
/// `2026-01-31 19:04:41 +0100`). Two values that are not moments of one
/// kind (an instant, a local date-time, a day) are not compared:
/// correcting a malformed date is not rewriting it, and the `date/*`
/// rules report a malformed one.
fn same_instant(a: &str, b: &str) -> bool {
    match (moment(a), moment(b)) {
        (Some(a), Some(b)) if std::mem::discriminant(&a) == std::mem::discriminant(&b) => a == b,
        _ => true,
    }
}

/// A date as written in front matter.
#[derive(Debug, PartialEq)]
enum Moment {
    Instant(jiff::Timestamp),
    Local(jiff::civil::DateTime),
    Day(jiff::civil::Date),
}

fn moment(text: &str) -> Option<Moment> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(Moment::Instant(ts));
    }
    // Jekyll's forms with an offset, with or without seconds.
    for format in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"] {
        if let Ok(ts) = jiff::Timestamp::strptime(format, text) {
            return Some(Moment::Instant(ts));
        }
    }
    if text.len() > 10 {
        return text
            .parse::<jiff::civil::DateTime>()
            .ok()
            .map(Moment::Local);
    }
    text.parse::<jiff::civil::Date>().ok().map(Moment::Day)
}

/// Whether readers of the old path are sent on: `[history] redirects`
/// maps it, or the new version's `aliases` lists a URL path ending in the
/// old slug, or both versions share the same `slug` in the same folder
/// (a site that builds URLs from `slug` keeps the URL).
fn redirected(settings: &Settings, old_path: &str, before: &Node, after: &Node) -> bool {
    if has_redirect(settings, old_path) {
        return true;
    }
    let old_slug = before
        .get("slug")
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty());
    let stem = file_slug(old_path);
    let aliases = after
        .get(ALIASES)
        .and_then(Node::as_sequence)
        .unwrap_or(&[]);
    let listed = aliases.iter().filter_map(Node::as_str).any(|alias| {
        let last = last_segment(alias);
        !last.is_empty() && (Some(last) == old_slug || Some(last) == stem.as_deref())
    });
    listed
        || (old_slug.is_some() && old_slug == after.get("slug").and_then(Node::as_str))
        || file_redirected(settings, old_path, old_slug)
}

/// Whether the site's redirects file sends on a URL path ending in the
/// article's slug (its `slug`, or its file's).
fn file_redirected(settings: &Settings, old_path: &str, old_slug: Option<&str>) -> bool {
    let stem = file_slug(old_path);
    settings.redirected_from().iter().any(|from| {
        let last = last_segment(from);
        !last.is_empty() && (Some(last) == old_slug || Some(last) == stem.as_deref())
    })
}

/// Whether `[history] redirects` maps `path` (written with or without `./`).
fn has_redirect(settings: &Settings, path: &str) -> bool {
    let path = path.trim_start_matches("./");
    settings
        .config
        .history
        .redirects
        .keys()
        .any(|k| k.trim_start_matches("./") == path)
}

/// The last segment of a URL path, without a trailing slash or `.html`.
fn last_segment(url_path: &str) -> &str {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let path = path.trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or("");
    last.strip_suffix(".html").unwrap_or(last)
}

/// The slug a file's path gives a site: its stem, or its folder's name for
/// a page bundle (`index.md`, `_index.md`).
fn file_slug(path: &str) -> Option<String> {
    let p = Path::new(path);
    let stem = p.file_stem()?.to_str()?;
    // A translation `slug.uk.md` has the slug `slug`.
    let stem = stem.split('.').next().unwrap_or(stem);
    if stem == "index" || stem == "_index" {
        return p.parent()?.file_name()?.to_str().map(str::to_owned);
    }
    Some(stem.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_segments() {
        assert_eq!(last_segment("/news/old-title/"), "old-title");
        assert_eq!(last_segment("/news/old-title.html"), "old-title");
        assert_eq!(
            file_slug("news/old-title.uk.md").as_deref(),
            Some("old-title")
        );
        assert_eq!(
            file_slug("news/old-title/index.md").as_deref(),
            Some("old-title")
        );
    }

    #[test]
    fn same_instant_ignores_the_spelling() {
        assert!(same_instant(
            "2026-01-31T18:04:41.000Z",
            "2026-01-31T18:04:41Z"
        ));
        assert!(same_instant(
            "2026-01-31T20:04:41+02:00",
            "2026-01-31T18:04:41Z"
        ));
        assert!(!same_instant(
            "2026-01-31T18:04:41Z",
            "2026-01-30T18:04:41Z"
        ));
        // A malformed date corrected is not a date rewritten.
        assert!(same_instant("2026-01-31 18:04", "2026-01-31T18:04:00Z"));
        assert!(same_instant(
            "2026-01-31 19:04:41 +0100",
            "2026-01-31T18:04:41Z"
        ));
        assert!(!same_instant(
            "2026-01-31 19:04:41 +0100",
            "2026-01-30T18:04:41Z"
        ));
        assert!(!same_instant("2026-01-31", "2026-02-01"));
        assert!(same_instant("2026-01-31", "2026-01-31T08:00:00Z"));
    }

    const OLD: &str = "---\ntitle: A story\npublishedAt: '2026-01-31T18:04:41.000Z'\nupdatedAt: '2026-01-31T18:04:41.000Z'\nexternalId: '1001'\nslug: a-story\ndraft: false\n---\nBody.\n";

    fn codes(old_text: &str, old_path: &str, new_text: &str, new_path: &str) -> Vec<&'static str> {
        let settings = Settings::with_defaults("2026-11-22T00:00:00Z".parse().expect("now"));
        let old = Old {
            text: old_text,
            config_path: old_path,
            rev: "main",
        };
        let new = Arc::new(SourceFile::new(new_path, new_text));
        compare(&settings, &old, &new, new_path)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn ordinary_edits_are_not_history_findings() {
        let updated = OLD.replace(
            "updatedAt: '2026-01-31T18:04:41.000Z'",
            "updatedAt: '2026-02-01T00:00:00Z'",
        );
        assert!(codes(OLD, "a.md", &updated, "a.md").is_empty());
        let body = OLD.replace("Body.", "A corrected body.");
        assert!(codes(OLD, "a.md", &body, "a.md").is_empty());
        let requoted = OLD.replace("externalId: '1001'", "externalId: \"1001\"");
        assert!(codes(OLD, "a.md", &requoted, "a.md").is_empty());
    }

    #[test]
    fn a_draft_may_change_anything() {
        let draft = OLD.replace("draft: false", "draft: true");
        let changed = draft.replace("externalId: '1001'", "externalId: '2002'");
        assert!(codes(&draft, "a.md", &changed, "b.md").is_empty());
    }

    #[test]
    fn each_change_is_its_rule() {
        let id = OLD.replace("externalId: '1001'", "externalId: '2002'");
        assert_eq!(
            codes(OLD, "a.md", &id, "a.md"),
            ["history/external-id-changed"]
        );
        let date = OLD.replace(
            "publishedAt: '2026-01-31T18:04:41.000Z'",
            "publishedAt: '2026-02-01T00:00:00Z'",
        );
        assert_eq!(
            codes(OLD, "a.md", &date, "a.md"),
            ["history/published-at-changed"]
        );
        let draft = OLD.replace("draft: false", "draft: true");
        assert_eq!(codes(OLD, "a.md", &draft, "a.md"), ["history/unpublished"]);
    }

    #[test]
    fn a_rename_needs_a_redirect() {
        let no_slug = OLD.replace("slug: a-story\n", "");
        assert_eq!(
            codes(&no_slug, "news/a.md", &no_slug, "news/b.md"),
            ["history/article-removed"]
        );
        // The same slug: the URL does not come from the path.
        assert!(codes(OLD, "news/a.md", OLD, "news/b.md").is_empty());
        let aliased = no_slug.replace("draft: false\n", "draft: false\naliases:\n  - /news/a/\n");
        assert!(codes(&no_slug, "news/a.md", &aliased, "news/b.md").is_empty());
        // An alias of another page is no redirect from this one.
        let other = no_slug.replace("draft: false\n", "draft: false\naliases:\n  - /news/zzz/\n");
        assert_eq!(
            codes(&no_slug, "news/a.md", &other, "news/b.md"),
            ["history/article-removed"]
        );
    }
}
