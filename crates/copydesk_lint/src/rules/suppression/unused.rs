//! `suppression/unused`.

use crate::declare_rule;
use crate::rule::{Rule, RuleMeta};

declare_rule! {
    /// A `# copydesk: ignore[…]` comment that silences nothing.
    ///
    /// ## Why is this bad?
    ///
    /// Suppressions are for findings a newsroom accepts on purpose. Once
    /// the finding is fixed the comment is stale, and a stale suppression
    /// would silently hide the next, unrelated problem on that key.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: A fine title # copydesk: ignore[schema/invalid-value]
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: ' A title with a leading space' # copydesk: ignore[schema/invalid-value]
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the comment, or the code that no longer applies from its list.
    pub struct UnusedSuppression {
        code: "suppression/unused",
        severity: Warning,
        fix: None,
    }
}

/// Findings come from [`crate::lint::finalize`], which sees the file's
/// per-file and cross-file diagnostics together.
impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
}
