//! `yaml/limit-exceeded`.

use copydesk_schema::YamlIssue;

use crate::declare_rule;
use crate::diagnostic::Finding;
use crate::rule::{FileContext, Rule, RuleMeta};

declare_rule! {
    /// The front matter is nested too deeply, expands too many aliases, or is too large.
    ///
    /// ## Why is this bad?
    ///
    /// An article's front matter is a few dozen keys two levels deep.
    /// Thousands of nested lists or an alias "bomb" (`&a [*b, *b, …]`
    /// repeated) is either corruption or an attack on the tools that read
    /// the file; copydesk stops reading the block instead of hanging.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```markdown
    /// ---
    /// title: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
    /// ---
    /// ```
    ///
    /// Valid:
    ///
    /// ```markdown
    /// ---
    /// title: x
    /// ---
    /// ```
    ///
    /// ## Fix
    ///
    /// Replace the block with the article's plain keys; front matter needs
    /// no anchors, aliases or deep nesting.
    pub struct LimitExceeded {
        code: "yaml/limit-exceeded",
        severity: Error,
        fix: None,
    }
}

impl Rule for LimitExceeded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let Some(parse) = &ctx.parse else { return };
        for issue in &parse.issues {
            let finding = match issue {
                YamlIssue::TooDeep { span, limit } => Finding::new(
                    span.clone(),
                    format!("the front matter is nested more than {limit} levels deep; stopped reading it"),
                ),
                YamlIssue::TooManyNodes { span, limit } => Finding::new(
                    span.clone(),
                    format!("the front matter expands to more than {limit} values (an alias bomb?); stopped reading it"),
                ),
                YamlIssue::TooLarge { span, limit } => Finding::new(
                    ctx.block_anchor().start..ctx.block_anchor().end.max(span.start.min(ctx.block_anchor().end)),
                    format!("the front matter is {} bytes; at most {limit} are read", span.len()),
                ),
                _ => continue,
            };
            out.push(
                finding.help(
                    "front matter needs only plain keys: no anchors, aliases or deep nesting",
                ),
            );
        }
    }
}
