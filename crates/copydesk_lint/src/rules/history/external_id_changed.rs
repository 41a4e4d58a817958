//! `history/external-id-changed`.

use crate::declare_rule;
use crate::rule::{Field, Rule, RuleMeta};

declare_rule! {
    /// `externalId` changed after the article was published (with `--changed-since` or `--staged`).
    ///
    /// ## Why is this bad?
    ///
    /// `externalId` is the story's identity in the source system: imports
    /// deduplicate on it, analytics and translations (`ai.translatedFrom`)
    /// refer to it. Changed on a published article, the next import brings
    /// the story back as a new one and every reference to the old id breaks.
    ///
    /// Only runs with `copydesk check --changed-since REF` (the version at
    /// the merge base of REF and HEAD) or `--staged` (the version at HEAD),
    /// and only when that old version was published (`draft` absent or
    /// `false`). Values are compared as strings, so requoting is no change.
    /// The id is the `[fields] id` key (`externalId` by default); unmapped,
    /// the rule does not run.
    ///
    /// ## Examples
    ///
    /// Invalid: at REF the article had `externalId: 'CT-1001'` and
    /// `draft: false`; now it has `externalId: 'CT-1002'`.
    ///
    /// Valid: the article was a draft (`draft: true`) at REF, or its id is
    /// the same, or only its `updatedAt` or body changed.
    ///
    /// ## Fix
    ///
    /// Restore the old id. If the story really is another one, publish it
    /// as a new article instead of rewriting this one.
    pub struct ExternalIdChanged {
        code: "history/external-id-changed",
        severity: Error,
        fix: None,
        on_request: true,
    }
}

/// Findings come from `copydesk check --changed-since` / `--staged`,
/// which fetch the old version from git and call [`super::compare`] or
/// [`super::removed`]: a rule sees one file, this compares two versions.
impl Rule for ExternalIdChanged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn fields(&self) -> &'static [Field] {
        &[Field::Id]
    }
}
