//! `schema/unknown-key`.

use copydesk_schema::SchemaIssueKind;

use crate::declare_rule;
use crate::diagnostic::{Applicability, Finding, Fix};
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// A key the contract does not define, usually a typo.
    ///
    /// ## Why is this bad?
    ///
    /// `publishedat` is not `publishedAt`: the site ignores the misspelt key
    /// and treats the real one as missing. Unknown keys are reported so that
    /// a typo never passes silently.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: Bitcoin miners pivot to AI
    /// subtitle: And why it matters
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: Bitcoin miners pivot to AI
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Correct the spelling (copydesk suggests the nearest key, and can
    /// rename it as an unsafe fix) or remove the key.
    pub struct UnknownKey {
        code: "schema/unknown-key",
        severity: Error,
        fix: Unsafe,
    }
}

/// The finding for a key that is a known key in another letter case and
/// sits next to it (`Title` and `title`): not a typo to rename but a second
/// copy of the field, which the site ignores.
fn other_case(
    ctx: &FileContext<'_>,
    issue: &copydesk_schema::SchemaIssue,
    key: &str,
    suggestion: Option<&str>,
) -> Option<Finding> {
    let known = suggestion.filter(|s| s.to_lowercase() == key.to_lowercase())?;
    let parent = ctx.root()?.pointer(
        issue.path[..issue.path.len().checked_sub(1)?]
            .iter()
            .map(String::as_str),
    )?;
    let present = parent.entry(known)?;
    Some(
        Finding::new(
            issue.span.clone(),
            format!("`{key}` duplicates `{known}` with other letter case"),
        )
        .label(present.key.span.clone(), format!("`{known}` is set here"))
        .help(format!(
            "keys are case-sensitive and the site reads only `{known}`: remove `{key}`, keeping the value you mean under `{known}`"
        )),
    )
}

impl Rule for UnknownKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        for issue in &ctx.schema_issues {
            let SchemaIssueKind::UnknownKey { key, suggestion } = &issue.kind else {
                continue;
            };
            let parent = copydesk_schema::validate::dotted(
                &issue.path[..issue.path.len().saturating_sub(1)],
            );
            let message = if parent.is_empty() {
                format!("unknown key `{key}`")
            } else {
                format!("unknown key `{key}` in `{parent}`")
            };
            if let Some(finding) = other_case(ctx, issue, key, suggestion.as_deref()) {
                out.push(finding);
                continue;
            }
            let mut finding = Finding::new(issue.span.clone(), message);
            match suggestion {
                Some(s) => {
                    // Renaming onto a key that is already there would make a duplicate.
                    let taken = ctx
                        .root()
                        .and_then(|r| {
                            r.pointer(
                                issue.path[..issue.path.len() - 1]
                                    .iter()
                                    .map(String::as_str),
                            )
                        })
                        .is_some_and(|p| p.entry(s).is_some());
                    finding = finding.help(if taken {
                        format!("did you mean `{s}`? It is already set, so remove this key")
                    } else {
                        format!("did you mean `{s}`?")
                    });
                    // A plain key is renamed as is; a JSON key inside its
                    // quotes (neither holds anything to escape).
                    let written = ctx.text().get(issue.span.clone());
                    let replacement = if written == Some(key.as_str()) {
                        Some(s.clone())
                    } else if written == Some(format!("\"{key}\"").as_str())
                        && !s.contains(['"', '\\'])
                    {
                        Some(format!("\"{s}\""))
                    } else {
                        None
                    };
                    if let Some(replacement) = replacement.filter(|_| !taken) {
                        finding = finding.fix(Fix::replace(
                            Applicability::Unsafe,
                            format!("Rename `{key}` to `{s}`"),
                            issue.span.clone(),
                            replacement,
                        ));
                    }
                }
                None => finding = finding.help(if ctx.settings.contract().is_builtin() {
                    "remove it, or check its spelling against `copydesk schema`"
                } else {
                    "remove it, or check its spelling against the schema `[contract] schema` names"
                }),
            }
            out.push(finding);
        }
    }
}
