//! `schema/wrong-type`.

use copydesk_schema::yaml::ScalarValue;
use copydesk_schema::{SchemaIssue, SchemaIssueKind};

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

/// The value as written when it is YAML's NaN or an infinity where a
/// number is wanted: "found the number .nan" would read as if it were fine.
fn non_finite<'a>(ctx: &'a FileContext<'_>, issue: &SchemaIssue) -> Option<&'a str> {
    let node = ctx.root()?.pointer(issue.path.iter().map(String::as_str))?;
    let scalar = node.as_scalar()?;
    match scalar.value {
        ScalarValue::Float(f) if !f.is_finite() => Some(scalar.text.as_str()),
        _ => None,
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
            out.push(match non_finite(ctx, issue) {
                Some(raw) => Finding::new(
                    issue.span.clone(),
                    format!("`{}` is `{raw}`, not a finite number", issue.key_path()),
                )
                .help(format!(
                    "write {expected} such as `0`, or remove the key; `.nan` and `.inf` are YAML's not-a-number and infinity"
                )),
                None => Finding::new(
                    issue.span.clone(),
                    format!("`{}` must be {expected}, found {found}", issue.key_path()),
                ),
            });
        }
    }
}
