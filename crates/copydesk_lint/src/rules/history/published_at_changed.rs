//! `history/published-at-changed`.

use crate::declare_rule;
use crate::rule::{Field, Rule, RuleMeta};

declare_rule! {
    /// `publishedAt` changed after the article was published (with `--changed-since` or `--staged`).
    ///
    /// ## Why is this bad?
    ///
    /// The publication time is a fact about the story: rewriting it misdates
    /// the article in feeds, sitemaps and archives, and can hide when a
    /// story first ran. An update is recorded in `updatedAt`.
    ///
    /// Only runs with `copydesk check --changed-since REF` or `--staged`,
    /// and only when the old version was published (`draft` absent or
    /// `false`). Timestamps are compared as instants, so
    /// `2026-01-31T18:04:41.000Z` and `2026-01-31T18:04:41Z` are the same;
    /// a value that was or is no timestamp (a malformed date being
    /// corrected) is not compared: the `date/*` rules report it. The date
    /// is the `[fields] published` key (`publishedAt` by default; Jekyll's
    /// `2026-01-31 19:04:41 +0100` is read as the instant it is).
    ///
    /// ## Examples
    ///
    /// Invalid: at REF the article had `publishedAt: '2026-01-31T18:04:41.000Z'`
    /// and `draft: false`; now it has `publishedAt: '2026-02-01T09:00:00.000Z'`.
    ///
    /// Valid: only `updatedAt` changed, or the article was still a draft at
    /// REF, or the same instant is written differently.
    ///
    /// ## Fix
    ///
    /// Restore the old `publishedAt` and put the time of the change in
    /// `updatedAt`.
    pub struct PublishedAtChanged {
        code: "history/published-at-changed",
        severity: Error,
        fix: None,
        on_request: true,
    }
}

/// Findings come from `copydesk check --changed-since` / `--staged`,
/// which fetch the old version from git and call [`super::compare`] or
/// [`super::removed`]: a rule sees one file, this compares two versions.
impl Rule for PublishedAtChanged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::Published]
    }
}
