//! `schema/wrong-type`.

use copydesk_schema::SchemaIssueKind;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A value has the wrong type: a string where a list is wanted, a list where a mapping is wanted, ….
    ///
    /// ## Why is this bad?
    ///
    /// The site reads each key as one type. `tags: MINING` is a string, not
    /// a list of one tag; `coverImage: https://…` is not the six-URL
    /// mapping. The page breaks or drops the value.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// tags: MINING
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// tags:
    ///   - MINING
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Write the value in the type the contract gives (`copydesk schema`).
    pub struct WrongType {
        code: "schema/wrong-type",
        severity: Error,
        fix: None,
    }
}

impl Rule for WrongType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            let SchemaIssueKind::WrongType { expected, found } = &issue.kind else {
                continue;
            };
            out.push(Finding::new(
                issue.span.clone(),
                format!("`{}` must be {expected}, found {found}", issue.key_path()),
            ));
        }
    }
}
