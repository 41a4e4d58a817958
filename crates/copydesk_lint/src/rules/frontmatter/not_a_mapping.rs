//! `frontmatter/not-a-mapping`.

use copydesk_schema::{NodeKind, ScalarValue};

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The front matter is a list or a single value instead of `key: value` lines.
    ///
    /// ## Why is this bad?
    ///
    /// The contract is a mapping of keys. A list or a bare string in the
    /// block cannot hold a title, dates or a source, and usually means the
    /// keys lost their `: ` separators.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// - AI Funding Pulse
    /// - 2026-01-31
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: AI Funding Pulse
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Write each field as `key: value` on its own line.
    pub struct NotAMapping {
        code: "frontmatter/not-a-mapping",
        severity: Error,
        fix: None,
    }
}

impl Rule for NotAMapping {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(root) = ctx.parse.as_ref().and_then(|p| p.root.as_ref()) else {
            return;
        };
        let what = match &root.kind {
            NodeKind::Mapping(_) => return,
            NodeKind::Sequence(_) => "a list",
            NodeKind::Scalar(s) if s.value == ScalarValue::Null => return,
            NodeKind::Scalar(_) => "a single value",
        };
        out.push(
            Finding::new(
                root.span.clone(),
                format!("the front matter is {what}, not a mapping of keys"),
            )
            .help("write each field as `key: value` on its own line"),
        );
    }
}
