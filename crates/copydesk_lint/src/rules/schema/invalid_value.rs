//! `schema/invalid-value`.

use copydesk_schema::SchemaIssueKind;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A value of the right type breaks the contract's constraints (pattern, length, range or allowed values).
    ///
    /// ## Why is this bad?
    ///
    /// A lowercase category, an empty title, a negative sticky weight or an
    /// unknown sentiment is accepted by YAML but not by the site: listings
    /// filter it out or sort it wrongly.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// sentiment: HAPPY
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// sentiment: POSITIVE
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Change the value as the message says; `copydesk schema` shows every constraint.
    pub struct InvalidValue {
        code: "schema/invalid-value",
        severity: Error,
        fix: None,
    }
}

impl Rule for InvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            let SchemaIssueKind::InvalidValue { message } = &issue.kind else {
                continue;
            };
            out.push(Finding::new(
                issue.span.clone(),
                format!("`{}` {message}", issue.key_path()),
            ));
        }
    }
}
