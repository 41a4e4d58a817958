//! `history/unpublished`.

use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// `draft: true` on an article that was published (with `--changed-since` or `--staged`).
    ///
    /// ## Why is this bad?
    ///
    /// Setting a published article back to draft removes it from the site:
    /// readers and search engines following its URL get a 404, and nothing
    /// in the diff says so plainly. It is sometimes meant (a legal
    /// takedown), which is why this is a warning and can be suppressed.
    ///
    /// Only runs with `copydesk check --changed-since REF` or `--staged`,
    /// and only when the old version was published (`draft` absent or
    /// `false`); the finding is on the new `draft` value.
    ///
    /// ## Examples
    ///
    /// Invalid: at REF the article had `draft: false`; now it has
    /// `draft: true`.
    ///
    /// Valid: the article was already `draft: true` at REF, or it stays
    /// `draft: false`.
    ///
    /// ## Fix
    ///
    /// Set `draft: false` again; to take a story down on purpose, delete it
    /// with a redirect, or suppress the finding with a comment saying why.
    pub struct Unpublished {
        code: "history/unpublished",
        severity: Warning,
        fix: None,
        on_request: true,
    }
}

/// Findings come from `copydesk check --changed-since` / `--staged`,
/// which fetch the old version from git and call [`super::compare`] or
/// [`super::removed`]: a rule sees one file, this compares two versions.
impl Rule for Unpublished {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
